"""Plain-text lines of the answers of :mod:`profgraph.answers` for the terminal: every move with why
it passes (coverage, preparation, pay, risk before -> after), every refusal with what blocks it."""

from __future__ import annotations

from .vocab import SKILL_TYPES

SKILL_TYPE_NAMES = {"digital": "digital", "cognitive": "cognitive",
                    "socio_behavioural": "socio-behavioural", "professional": "professional"}
SHORT_MEASURES = {"automation": "automation", "genai": "genAI"}
LONG_MEASURES = {"automation": "automation risk", "genai": "generative-AI exposure"}


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


def path_lines(report: dict, target_name: str) -> list[str]:
    """Return the text of a reskilling report (:func:`profgraph.answers.reskilling_report_for`)."""
    origin = report["origin"]
    rules = report["rules"]
    lines = [f"From: {origin['label']} ({origin['status'] or 'no status'}; {risks(origin)})",
             f"To:   {target_name}  (at most {report['settings']['max_steps']} steps)",
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
