"""Plain-text lines of the answers of :mod:`profgraph.answers` (and of the statistics and import
summaries) for the terminal: every move with why it passes (coverage, preparation, pay, risk before
-> after), every refusal with what blocks it. Each renderer takes the answer's dict and returns its
lines; the command line prints them."""

from __future__ import annotations

from .rules import MEASURE_NAMES as LONG_MEASURES
from .vocab import LANGUAGES, SKILL_TYPES
from .web.i18n import SKILL_TYPE_NAMES as SKILL_TYPE_NAMES_BY_LANGUAGE

SKILL_TYPE_NAMES = SKILL_TYPE_NAMES_BY_LANGUAGE["en"]
SHORT_MEASURES = {"automation": "automation", "genai": "genAI"}
RULE_SET_NAMES = {"viable": "viable", "viable_desirable": "viable + desirable", "viable_safer": "viable + safer",
                  "viable_stepping_stones": "viable + stepping stones", "all_rules": "all rules"}


def target_name(target: dict) -> str:
    """Return how a report's ``target`` reads: its status, ``safer`` or the profession's label."""
    return target.get("status") or target.get("set") or target["profession"]["label"]


def measure(summary: dict, name: str) -> str:
    """Return "high 3.65" / "unknown" for a profession summary's measure (``automation`` or ``genai``)."""
    values = summary.get(name) or {}
    value = values.get("risk" if name == "automation" else "score")
    return "unknown" if value is None else f"{values.get('level') or 'level unknown'} {value:.2f}"


def risks(summary: dict) -> str:
    """Return both risk measures of a profession summary in words."""
    return ", ".join(f"{LONG_MEASURES[name]} {measure(summary, name)}" for name in LONG_MEASURES)


def _change(risk: dict, name: str) -> str:
    values = risk[name]

    def side(value, level):
        return "unknown" if value is None else f"{level or 'level unknown'} {value:.2f}"

    return f"{SHORT_MEASURES[name]} {side(values['from'], values['from_level'])} -> {side(values['to'], values['to_level'])}"


def move_line(move: dict) -> str:
    """Return why a move (:func:`profgraph.rules.move_facts`, or a path step) passes or not, in one line."""
    prep = move["preparation"]
    scale = "job zone" if prep["scale"] == "job_zone" else "ISCO skill level"
    preparation = "preparation unknown" if prep["change"] is None else \
        f"preparation {prep['from']:g} -> {prep['to']:g} ({scale})"
    pay = move["pay"]
    basis = "Nesta earnings" if pay["basis"] == "nesta-earnings" else "KZ wages"
    paid = "pay unknown" if pay["ratio"] is None else f"pay {pay['ratio']:.0%} ({basis})"
    return ", ".join([f"coverage {move['coverage']:.0%}", preparation, paid,
                      *(_change(move["risk"], name) for name in SHORT_MEASURES)])


def skill_lines(grouped: dict, indent: str = "      ") -> list[str]:
    """Return one line per skill type that has skills: ``digital: a, b``."""
    return [f"{indent}{SKILL_TYPE_NAMES[skill_type] + ':':<19}{', '.join(grouped[skill_type])}"
            for skill_type in SKILL_TYPES if grouped.get(skill_type)]


def _checks(path: dict) -> str:
    checks = path["checks"]
    said = [word for key, word in (("safer", "safer"), ("strictly_safer", "strictly safer"), ("desirable", "desirable"))
            if checks[key]]
    return ", ".join(said) if said else "flagged"


def path_lines(report: dict) -> list[str]:
    """Return the text of a reskilling report (:func:`profgraph.answers.reskilling_report_for`)."""
    origin = report["origin"]
    rules = report["rules"]
    lines = [f"From: {origin['label']} ({origin['status'] or 'no status'}; {risks(origin)})",
             f"To:   {target_name(report['target'])}  (at most {report['settings']['max_steps']} steps)",
             f"Rules: {rules['text']}"]
    client = report.get("client")
    if client:
        lines.append(f"Client: {client['skills']} skills"
                     + (f"; has also: {', '.join(client['added'])}" if client["added"] else "")
                     + (f"; lacks: {', '.join(client['removed'])}" if client["removed"] else ""))
        lines += [f"  {entry['label']}: you have {entry['have']} of {entry['of']} skills ({entry['percent']}%), "
                  f"coverage {entry['coverage']:.0%}" for entry in client["destinations"]]
    for path in report["paths"]:
        steps = path["steps"]
        end = steps[-1]["to"]
        route = " -> ".join([steps[0]["from"]["label"]] + [step["to"]["label"] for step in steps])
        pay = "pay unknown" if path["pay_ratio"] is None else f"pay {path['pay_ratio']:.0%} of now"
        lines += ["", f"#{path['rank']}  {route}",
                  f"    effort {path['effort']:.2f} (lower is better), {path['new_skills_total']} new skills; ends "
                  f"{end['status'] or 'with no status'}: {_checks(path)}",
                  f"    {pay}; {'; '.join(_change(path['risk'], name) for name in SHORT_MEASURES)}"]
        for flag in path["flags"]:
            lines.append(f"    flagged: {flag['text']}" + (f" ({flag['profession']})" if flag.get("profession") else ""))
        for number, step in enumerate(steps, 1):
            lines.append(f"    step {number}: {step['from']['label']} -> {step['to']['label']}")
            lines.append(f"      {'why:':<19}{move_line(step)}")
            lines += skill_lines(step["skills_to_learn"])
    if report.get("no_path"):
        lines += ["", f"No path meets the rules: {report['no_path']['reason']}."]
        misses = report["no_path"]["nearest_misses"]
        if misses:
            lines.append("Nearest misses:")
        for miss in misses:
            lines.append("  " + " -> ".join(entry["label"] for entry in miss["route"]))
            for block in miss["blocked_by"]:
                where = f"step {block['step']}: " if block.get("step") else ""
                lines.append(f"      blocked: {where}{block['text']}")
        lines.append("Show others, flagged, with --allow-riskier, --allow-lower-pay or --allow-stepping-stones; "
                     "--min-coverage and --max-prep-step change what is viable.")
    lines += successor_lines(report.get("successors") or [])
    return lines


def successor_lines(successors: list[dict]) -> list[str]:
    """Return the lines about what a profession transforms into: reachable or not, and what blocks it."""
    if not successors:
        return []
    lines = ["", "Transforms into:"]
    for successor in successors:
        name = successor["profession"]["label"]
        objections = "; ".join(block["text"] for block in successor["blocked_by"])
        if successor["reachable"]:
            steps = successor["steps"]
            lines.append(f"  {name}: reachable in {steps} step{'s' if steps != 1 else ''}"
                         + (f", but {objections}" if objections else ", and passes the rules"))
        else:
            lines.append(f"  {name}: not reachable" + (f": {objections}" if objections else ""))
            lines.append("    skills to learn:")
            lines += skill_lines(successor["missing_skills"], "      ")
    return lines


def card_measure_lines(measures: dict) -> list[str]:
    """Return the lines of a profession card's measures (:func:`profgraph.answers.profession_card`), each
    with how it was obtained and its source."""
    from .measures import BASES

    def origin(values: dict, source_key: str = "source", basis_key: str = "basis") -> str:
        source = values.get(source_key)
        basis = values.get(basis_key)
        said = [BASES[basis] if basis in BASES else None, f"source: {source['title']}" if source else None]
        return "  (" + "; ".join(part for part in said if part) + ")" if any(said) else ""

    automation, genai = measures["automation"], measures["genai"]
    prep, pay = measures["preparation"], measures["pay"]
    lines = []
    if automation["risk"] is None:
        lines.append("automation risk: unknown")
    else:
        lines.append(f"automation risk: {automation['level'] or 'level unknown'} {automation['risk']:.2f} of 5 "
                     f"(Nesta: {automation['category'] or 'no category'}; bottleneck tasks "
                     + ("unknown" if automation["prevalence"] is None else f"{automation['prevalence']:.0%}")
                     + f"; riskier than {automation['percentile']:.0%} of Nesta's occupations)" + origin(automation))
    if genai["score"] is None:
        lines.append("generative-AI exposure: unknown")
    else:
        lines.append(f"generative-AI exposure: {genai['level'] or 'level unknown'} {genai['score']:.2f} "
                     f"(ILO: {genai['category'] or 'no category'})" + origin(genai))
    level = "unknown" if prep["isco_skill_level"] is None else str(prep["isco_skill_level"])
    lines.append(f"preparation: ISCO skill level {level}" + origin(prep, "skill_level_source", "_")
                 + ("" if prep["job_zone"] is None else
                    f"; job zone {prep['job_zone']:g}, education level {prep['education_level']:g}" + origin(prep)))
    lines.append("pay: " + ("unknown" if pay["wage_kzt"] is None else
                            f"{pay['wage_kzt']:,.0f} KZT a month (national average of its ISCO-08 major group)")
                 + origin(pay, "wage_source", "_"))
    return lines


def verdict(move: dict, blocked_by: list[dict]) -> str:
    """Return a one-line judgement of a move: what it passes and why, or what blocks it."""
    passes = [word for key, word in (("viable", "viable"), ("desirable", "desirable"), ("safer", "safer"),
                                     ("strictly_safer", "strictly safer")) if move[key]]
    said = ", ".join(passes) if passes else "passes no rule"
    objections = "; ".join(block["text"] for block in blocked_by)
    return f"{said}{' - ' + objections if objections else ''}  ({move_line(move)})"


def card_lines(card: dict) -> list[str]:
    """Return the text of a profession card (:func:`profgraph.answers.profession_card`): labels in
    every language, status, sector, ISCO code, measures with their sources, skills by relation and
    type, personal qualities, and what it transforms into (reachable or not) and from."""
    lines = [f"{card['label']}  [{card['id']}]"]
    for lang in LANGUAGES:
        if lang in card["labels"]:
            alts = card["alt_labels"].get(lang)
            lines.append(f"  {lang}: {card['labels'][lang]}" + (f"  (also: {', '.join(alts)})" if alts else ""))
    lines.append(f"status:   {card['status'] or 'n/a'}")
    if card["sector"]:
        lines.append(f"sector:   {card['sector']['label']} ({card['sector']['code']})")
    lines.append(f"ISCO-08:  {card['isco08'] or 'n/a'}")
    lines += card_measure_lines(card["measures"])
    if card["esco_uri"]:
        match = f"  ({card['esco_match']} match)" if card["esco_match"] else ""
        lines.append(f"ESCO:     {card['esco_uri']}{match}")
    for heading, key in (("essential skills", "essential_skills"), ("optional skills", "optional_skills")):
        lines.append(f"{heading}:")
        lines += skill_lines(card[key], "  ")
    if card["traits"]:
        lines.append(f"personal qualities: {', '.join(card['traits'])}")
    lines += successor_lines(card["transforms_into"])[1:]  # without the blank line before the heading
    if card["transforms_from"]:
        lines.append("takes over from: " + ", ".join(f"{p['label']} ({p['status']})" for p in card["transforms_from"]))
    return lines


def search_lines(hits: list[dict]) -> list[str]:
    """Return one line per search hit (:func:`profgraph.answers.search_report`): score, kind, label, id,
    and the text matched when it is not the label."""
    lines = []
    for hit in hits:
        matched = "" if hit["matched"] == hit["label"] else f"  (matched {hit['matched_lang']}: {hit['matched']})"
        lines.append(f"{hit['score']:5.1f}  {hit['kind']:<10}  {hit['label']}  [{hit['id']}]{matched}")
    return lines


def similar_lines(report: dict) -> list[str]:
    """Return the text of :func:`profgraph.answers.similar_report`: each profession with its similarity,
    coverage both ways, shared skills and the rules' verdict on the move there."""
    origin = report["origin"]
    lines = [f"Most similar to {origin['label']}  [{origin['id']}]"]
    for rank, other in enumerate(report["similar"], 1):
        lines.append(f"{rank:3}  {other['similarity']:.2f}  {other['label']}  [{other['id']}]  coverage "
                     f"{other['coverage']:.2f} there, {other['coverage_back']:.2f} back, "
                     f"{other['shared_skills']} shared skills")
        lines.append(f"       {verdict(other['move'], other['blocked_by'])}")
    return lines


def upskill_lines(report: dict) -> list[str]:
    """Return the text of :func:`profgraph.answers.upskill_report`: the skill sets to learn, best first,
    each with the destinations it unlocks, or why none was found."""
    origin, target, settings = report["origin"], report["target"], report["settings"]
    lines = [f"From: {origin['label']} ({risks(origin)})",
             f"To:   {target_name(target)}  ({target.get('count', 1)} professions, {target['eligible']} the rules "
             f"accept, {target['viable_now']} viable now at coverage >= {settings['min_coverage']:.2f})",
             f"Rules: {report['rules']['text']}"]
    if not report["options"]:
        return lines + ["", f"No set of up to {settings['max_skills']} skills unlocks a new transition. "
                            "Try --max-skills or --min-coverage."]
    for option in report["options"]:
        skills = ", ".join(f"{skill['label']} ({SKILL_TYPE_NAMES[skill['type']]})" for skill in option["skills"])
        lines += ["", f"#{option['rank']}  learn {skills}",
                  f"    unlocks {len(option['unlocks'])}: "
                  + ", ".join(f"{p['label']} ({p['coverage']:.2f})" for p in option["unlocks"])]
    return lines


def stats_lines(result: dict) -> list[str]:
    """Return the text of :func:`profgraph.stats.dataset_stats`, the Atlas's counts and the article's
    share of exposed jobs beside the dataset's own figures."""
    from .stats import ARTICLE_HIGH_EXPOSURE_SHARE, ATLAS_COUNTS

    professions, skills, requirements = result["professions"], result["skills"], result["requirements"]
    lines = [f"professions: {professions['total']}   (Atlas of new professions, 2021: "
             f"{ATLAS_COUNTS['emerging']} emerging, {ATLAS_COUNTS['transforming']} transforming, "
             f"{ATLAS_COUNTS['disappearing']} disappearing)"]
    for status, count in professions["by_status"].items():
        atlas = f"   Atlas: {ATLAS_COUNTS[status]}" if status in ATLAS_COUNTS else ""
        lines.append(f"  {status:<14}{count:>5}{atlas}")
    lines.append("by sector:")
    lines += [f"  {sector:<24}{count:>5}" for sector, count in professions["by_sector"].items()]
    if professions["high_exposure_share"] is not None:
        lines.append(f"high or significant automation exposure (>= {professions['high_exposure_threshold']}): "
                     f"{professions['high_exposure_share']:.0%} of {professions['with_exposure']} professions "
                     f"(article, share of jobs in Kazakhstan: {ARTICLE_HIGH_EXPOSURE_SHARE:.0%})")
    lines.append(f"skills: {skills['total']}")
    lines += [f"  {SKILL_TYPE_NAMES[skill_type]:<19}{count:>5}" for skill_type, count in skills["by_type"].items()]
    lines.append(f"requirements: {requirements['total']} ({requirements['essential']} essential, "
                 f"{requirements['with_level']} with a level)")
    if requirements["per_profession"]:
        for title, key in (("per profession", "per_profession"), ("skills (no traits)", "skills_per_profession"),
                           ("traits", "traits_per_profession")):
            spread = requirements[key]
            lines.append(f"  {title + ':':<21}min {spread['min']}, mean {spread['mean']:.1f}, max {spread['max']}")
    links, isco, successors = result["links"], result["isco"], result["successors"]
    stranded, moves = result["stranded"], result["without_moves"]
    return lines + [
        f"linked to ESCO: {links['esco_professions']:.0%} of professions "
        f"({', '.join(f'{n} {match}' for match, n in links['esco_matches'].items())}), "
        f"{links['esco_skills']:.0%} of skills",
        f"ISCO-08 against the ESCO occupation's group: {isco['agree']} agree, {isco['explained']} differ with a note, "
        f"{isco['unexplained']} differ without one, {isco['unknown']} without a code",
        f"transformations: {result['transformations']}, {successors['directly_viable']} viable in one move, "
        f"{successors['reachable']} reachable by a path, {successors['unreachable']} not "
        f"({len(successors['unexplained'])} without a note)",
        f"traits among skills to learn in {result['paths_checked']} paths from disappearing professions: "
        f"{result['traits_in_skills_to_learn']}",
        f"stranded (disappearing, no path to emerging under the rules): {len(stranded)}"
        + (f": {', '.join(stranded)}" if stranded else ""),
        f"  rules: {result['rules']['text']}",
        "  no path to emerging, per rule: " + ", ".join(
            f"{RULE_SET_NAMES[name]} {entry['count']}" for name, entry in result["stranded_by_rule"].items()),
        f"professions without a single move: viable {moves['viable']}, viable + desirable {moves['desirable']}, "
        f"viable + desirable + safer {moves['safe']}",
    ]


def esco_import_lines(summary: dict, manifest: dict, store_path) -> list[str]:
    """Return the text of an ESCO import's summary (:meth:`profgraph.sources.esco.EscoImport.summary`)
    into the store at ``store_path`` whose ``manifest`` counts the transitions kept."""
    reasons = ", ".join(f"{n} {why.replace('_', ' ')}" for why, n in summary["links_dropped"].items() if n)
    lines = [f"Imported ESCO into {store_path}: {summary['professions']} professions, {summary['skills']} skills, "
             f"{summary['requirements']} requirements from {summary['links_read']} links"
             + (f" (dropped: {reasons})" if reasons else ""),
             "skill types: " + ", ".join(f"{SKILL_TYPE_NAMES[t]} {n}" for t, n in summary["skill_types"].items())]
    if summary["exposure"]:
        basis = summary["exposure"]
        lines.append(f"automation risk: {basis['own']} own estimate, {basis['broader']} from a broader occupation, "
                     f"{basis['skill_profile']} estimated from their skills, {basis['isco']} from the ISCO group, "
                     f"{basis['none']} none")
    known = summary["measures"]
    lines.append(f"other measures: generative-AI exposure {known['genai']}, job zone {known['job_zone']}, "
                 f"earnings {known['earnings']}, wage {known['wage']}")
    lines.append(f"transitions with coverage >= {manifest['transitions_floor']}: {manifest['transitions']}")
    return lines
