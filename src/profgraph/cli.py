"""The ``profgraph`` command: a thin click layer over the library.

Heavy libraries are imported inside the commands, so ``--help`` and a path query start fast.
Every :class:`~profgraph.errors.ProfgraphError` becomes a one-line message and its exit code.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
import warnings

import click

from . import __version__
from .vocab import LANGUAGES

LANG = click.option("--lang", type=click.Choice(LANGUAGES), default="ru", show_default=True,
                    help="Language of the labels printed.")
_STORE = click.option("--store", "store", type=click.Path(file_okay=False), envvar="PROFGRAPH_STORE",
                      help="A store folder built by 'profgraph import' (env PROFGRAPH_STORE); "
                           "default: the embedded curated data.")
# --endpoint rides along with --store: _load reads it from the context, so no command signature changes.
_ENDPOINT = click.option("--endpoint", envvar="PROFGRAPH_ENDPOINT", expose_value=False, is_eager=False,
                         callback=lambda ctx, _, value: ctx.meta.__setitem__("profgraph.web.endpoint", value),
                         help="A SPARQL 1.1 query endpoint holding the dataset (env PROFGRAPH_ENDPOINT; its "
                              "graph: env PROFGRAPH_GRAPH), instead of a local store.")


_USER_HELP = ("Log in to the SPARQL server as USER (env PROFGRAPH_USER), with the password of env "
              "PROFGRAPH_PASSWORD or one asked for; a bearer token instead: env PROFGRAPH_TOKEN.")
_USER = click.option("--user", envvar="PROFGRAPH_USER", expose_value=False,
                     callback=lambda ctx, _, value: ctx.meta.__setitem__("profgraph.remote.user", value),
                     help=_USER_HELP)


def STORE(command):
    """The --store, --endpoint and --user options of every reading command."""
    return _STORE(_ENDPOINT(_USER(command)))
FORMAT = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                      show_default=True, help="Output format.")
MIN_COVERAGE = click.option("--min-coverage", type=float, default=0.4, show_default=True,
                            help="Least coverage for a transition to be viable.")

FORCE = click.option("--force", is_flag=True,
                     help="Write even into a folder holding files profgraph did not write: the folder is "
                          "moved, whole, to FOLDER.backup-DATE-TIME beside it (nothing is deleted).")
OUTPUT_FILE_HELP = "a regular file or a new path, replaced atomically; '-' for standard output"

SKILL_TYPE_NAMES = {"digital": "digital", "cognitive": "cognitive",
                    "socio_behavioural": "socio-behavioural", "professional": "professional",
                    "trait": "trait"}
_RULE_OPTIONS = (
    click.option("--risk", default="automation", show_default=True,
                 help="What 'safer' is judged on: automation (Nesta 2020 automation risk), genai (ILO 2025 "
                      "generative-AI exposure) or both."),
    click.option("--min-pay-ratio", type=float, default=0.75, show_default=True,
                 help="Least pay of a destination, as a share of the origin's (0 to 1)."),
    click.option("--max-prep-step", type=int, default=1, show_default=True,
                 help="Most change in preparation level (job zone, else ISCO skill level) in one step."),
    click.option("--allow-riskier", is_flag=True, help="Also show destinations that are not safer, flagged."),
    click.option("--allow-lower-pay", is_flag=True, help="Also show destinations that pay less, flagged."),
    click.option("--allow-stepping-stones", is_flag=True,
                 help="Let paths go through disappearing or riskier professions, flagged."),
    click.option("--region", default=None,
                 help="Compare pay with this region's wages (e.g. 'Almaty city'; default: the whole country); "
                      "reads the reference data ($PROFGRAPH_REFERENCE)."),
)


def RULES(command):
    """The options of the transition rules (profgraph.rules) of every command that judges a move."""
    for option in reversed(_RULE_OPTIONS):
        command = option(command)
    return command


def _rules(min_coverage: float = 0.4, **options):
    """Return the checked :class:`profgraph.rules.Rules` of the command's options."""
    from .rules import make_rules

    return make_rules(min_coverage=min_coverage, **options)


def handle_errors(command):
    """Turn profgraph's own errors into ``Error: ...`` on stderr and the error's exit code, its notices
    into ``Note: ...`` lines, and SIGTERM or SIGHUP into an orderly exit (status 128 + the signal's
    number) that removes half-written outputs as Ctrl+C does."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import ProfgraphError, printable

        try:
            with _notes_on_stderr(), _exit_on_termination():
                return command(*args, **kwargs)
        except ProfgraphError as error:  # one line, whatever a file or a server put in it
            click.echo(f"Error: {printable(str(error))}", err=True)
            sys.exit(error.exit_code)
        except BrokenPipeError:  # the reader (head, less) went away: stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as error:
            click.echo(printable(f"Error: {error.strerror or error}: {error.filename or ''}".rstrip(": ")), err=True)
            sys.exit(1)

    return wrapper


@contextlib.contextmanager
def _notes_on_stderr():
    from .atomic import FolderMovedAside

    with warnings.catch_warnings():
        shown = warnings.showwarning

        def show(message, category, *args, **kwargs):
            if issubclass(category, FolderMovedAside):
                click.echo(f"Note: {message}", err=True)
            else:
                shown(message, category, *args, **kwargs)

        warnings.simplefilter("always", FolderMovedAside)
        warnings.showwarning = show
        yield


@contextlib.contextmanager
def _exit_on_termination():
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    installed = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        try:
            if signal.getsignal(signum) is signal.SIG_DFL:
                installed[signum] = signal.signal(signum, stop)
        except ValueError:  # not the main thread: leave the signals alone
            pass
    try:
        yield
    finally:
        for signum, previous in installed.items():
            signal.signal(signum, previous)


def _load(store, queries_only: bool = False):
    """The dataset of --store/--endpoint; with ``queries_only``, an endpoint is only asked queries
    (:class:`~profgraph.remote.RemoteEndpoint`), not pulled."""
    import os

    from .store import load

    context = click.get_current_context(silent=True)
    endpoint = (context.meta.get("profgraph.web.endpoint") if context else None) or os.environ.get("PROFGRAPH_ENDPOINT")
    credentials = _credentials(context.meta.get("profgraph.remote.user") if context else None) if endpoint else None
    if endpoint and queries_only:
        from .remote import RemoteEndpoint

        return RemoteEndpoint(endpoint, os.environ.get("PROFGRAPH_GRAPH") or None, credentials)
    return load(store, endpoint=endpoint, credentials=credentials)


def _credentials(user):
    """The credentials for a SPARQL server: ``user`` (or PROFGRAPH_USER) with PROFGRAPH_PASSWORD, or a
    password asked for on a terminal; or PROFGRAPH_TOKEN; None when none is given."""
    from .remote import credentials_from_environment

    def ask(name: str):
        if not sys.stdin.isatty():
            return None
        return click.prompt(f"Password for {name}", hide_input=True, err=True)

    return credentials_from_environment(user, ask)


def _progress_bar():
    """A :class:`profgraph.workload.Progress` drawing a click progress bar (with its time estimate) on
    stderr; the library starts it only for long work, and off a terminal click prints the label once."""
    from .workload import Progress

    class Bar(Progress):
        bar = None

        def start(self, total: int, label: str) -> None:
            if self.bar is None:
                self.bar = click.progressbar(length=total, label=label, file=sys.stderr, show_eta=True)
                self.bar.__enter__()
            self.bar.length = total

        def advance(self, amount: int) -> None:
            if self.bar is not None:
                self.bar.update(amount)

        def finish(self) -> None:
            if self.bar is not None:
                self.bar.__exit__(None, None, None)
                self.bar = None

    return Bar()


def _print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _exposure(value) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _target_name(target: dict) -> str:
    return target.get("status") or target.get("set") or target["profession"]["label"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="profgraph")
def main():
    """profgraph: professions, skills and reskilling paths for Kazakhstan's labour market.

    \b
    Examples:
      profgraph path "кассир" --to emerging
      profgraph show kassir --lang en
      profgraph search "аналитик"
    """


@main.command()
@click.argument("name")
@click.option("--to", "to", required=True,
              help="A status (emerging, transforming, stable), 'safer' (any profession that is not disappearing, "
                   "safer by the rules) or a profession name.")
@click.option("--top", type=int, default=5, show_default=True, help="How many paths to print.")
@click.option("--max-steps", type=int, default=3, show_default=True, help="Most transitions in one path.")
@click.option("--have", default=None, metavar="SKILL,...", help="Skills the client has beyond the job's profile.")
@click.option("--lack", default=None, metavar="SKILL,...", help="Skills of the job's profile the client lacks.")
@click.option("--profile", "profile_file", default=None, metavar="FILE",
              help="A JSON profile of the client's skills (see 'profgraph profile').")
@MIN_COVERAGE
@RULES
@LANG
@FORMAT
@STORE
@handle_errors
def path(name, to, top, max_steps, have, lack, profile_file, min_coverage, lang, output_format, store,
         **rule_options):
    """Ranked reskilling paths from profession NAME to a target, under the transition rules.

    Every destination is viable, desirable and safer unless an --allow option says otherwise (then
    flagged); every step says why it passes. When nothing passes, the nearest misses and what
    blocks them are printed.

    \b
    Examples:
      profgraph path "кассир" --to emerging
      profgraph path kassir --to "e-commerce manager" --lang en --format json
      profgraph path "кассир" --to safer --risk both --region "Almaty city"
      profgraph path "legal administrative assistant" --to safer --store esco-store --lang en
      profgraph path "кассир" --to emerging --lack "работа в команде" --have "работа с CRM-системами"
      profgraph path "кассир" --to emerging --profile client.json
    """
    from .client import read_profile, split_names
    from .answers import reskilling_report
    from .textreport import path_lines

    rules = _rules(min_coverage, **rule_options)
    profile = read_profile(profile_file) if profile_file is not None else None
    report = reskilling_report(_load(store), name, to, top=top, max_steps=max_steps, lang=lang, rules=rules,
                               have=split_names(have), lack=split_names(lack), profile=profile)
    if output_format == "json":
        _print_json(report)
        return
    for line in path_lines(report, _target_name(report["target"])):
        click.echo(line)


@main.command()
@click.argument("name")
@click.option("--to", "to", default="emerging", show_default=True,
              help="A status, 'safer' or a profession name, as for 'profgraph path'.")
@click.option("--have", default=None, metavar="SKILL,...", help="Skills the client has beyond the job's profile.")
@click.option("--lack", default=None, metavar="SKILL,...", help="Skills of the job's profile the client lacks.")
@click.option("--profile", "profile_file", default=None, metavar="FILE",
              help="A JSON profile of the client's skills (see 'profgraph profile').")
@click.option("--region", default=None, help="Compare pay with this region's wages (default: the whole country).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The HTML file to write (atomically); '-' for standard output.")
@LANG
@STORE
@handle_errors
def plan(name, to, have, lack, profile_file, region, output, lang, store):
    """A printable plan for a client in profession NAME: one HTML page (A4, no graph) with the current
    job's risk and the 3 best paths, each step with the skills to learn, coverage, preparation, pay
    and risk before -> after.

    \b
    Examples:
      profgraph plan "кассир" --lang kk -o plan.html
      profgraph plan "кассир" --profile client.json --region "Almaty city" -o plan.html
    """
    from .atomic import write_text_atomic
    from .client import read_profile, split_names
    from .web.plan import plan_page

    rules = _rules(region=region)
    profile = read_profile(profile_file) if profile_file is not None else None
    write_text_atomic(output, plan_page(_load(store), name, to=to, lang=lang, rules=rules, have=split_names(have),
                                        lack=split_names(lack), profile=profile))


@main.command()
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-", show_default=True,
              help="Write to FILE (atomically); '-' for standard output.")
@LANG
@STORE
@handle_errors
def profile(name, output, lang, store):
    """The standard skill profile of profession NAME as a client profile file (JSON) to edit.

    Remove from "have" what the client cannot do, add what they can (from any job), then give the
    file to 'profgraph path NAME --profile FILE'.

    \b
    Examples:
      profgraph profile "кассир" --lang ru -o client.json
    """
    from .atomic import write_text_atomic
    from .client import profile_document

    dataset = _load(store)
    document = profile_document(dataset, dataset.names.resolve(name).id, lang)
    write_text_atomic(output, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@main.command()
@click.argument("name")
@MIN_COVERAGE
@RULES
@LANG
@FORMAT
@STORE
@handle_errors
def show(name, min_coverage, lang, output_format, store, **rule_options):
    """The card of profession NAME: labels, status, measures, skills, successors.

    Each measure says how it was obtained and its source; each profession it transforms into says
    whether the transition rules let a worker reach it, and what is missing if not.

    \b
    Example:
      profgraph show "кассир" --lang kk
    """
    from .answers import profession_card
    from .textreport import card_measure_lines, successor_lines

    rules = _rules(min_coverage, **rule_options)
    dataset = _load(store)
    card = profession_card(dataset.model, dataset.names.resolve(name).id, lang, dataset=dataset, rules=rules)
    if output_format == "json":
        _print_json(card)
        return
    click.echo(f"{card['label']}  [{card['id']}]")
    for lang_ in LANGUAGES:
        if lang_ in card["labels"]:
            alts = card["alt_labels"].get(lang_)
            click.echo(f"  {lang_}: {card['labels'][lang_]}" + (f"  (also: {', '.join(alts)})" if alts else ""))
    click.echo(f"status:   {card['status'] or 'n/a'}")
    if card["sector"]:
        click.echo(f"sector:   {card['sector']['label']} ({card['sector']['code']})")
    click.echo(f"ISCO-08:  {card['isco08'] or 'n/a'}")
    for line in card_measure_lines(card["measures"]):
        click.echo(line)
    if card["esco_uri"]:
        click.echo(f"ESCO:     {card['esco_uri']}" + (f"  ({card['esco_match']} match)" if card["esco_match"] else ""))
    for heading, key in (("essential skills", "essential_skills"), ("optional skills", "optional_skills")):
        click.echo(f"{heading}:")
        for skill_type, labels in card[key].items():
            if labels:
                click.echo(f"  {SKILL_TYPE_NAMES[skill_type] + ':':<19}{', '.join(labels)}")
    if card["traits"]:
        click.echo(f"personal qualities: {', '.join(card['traits'])}")
    for line in successor_lines(card["transforms_into"])[1:]:  # without the blank line before the heading
        click.echo(line)
    if card["transforms_from"]:
        click.echo("takes over from: " + ", ".join(f"{p['label']} ({p['status']})" for p in card["transforms_from"]))


@main.command()
@click.argument("text")
@click.option("--kind", type=click.Choice(["profession", "skill"]), default=None,
              help="Only professions or only skills (default: both).")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@LANG
@FORMAT
@STORE
@handle_errors
def search(text, kind, limit, lang, output_format, store):
    """Professions and skills whose labels match TEXT, in any of the three languages.

    \b
    Examples:
      profgraph search "аналитик"
      profgraph search kassir --kind profession
    """
    from .answers import search_report

    hits = search_report(_load(store), text, kind=kind, limit=limit, lang=lang)
    if output_format == "json":
        _print_json(hits)
        return
    if not hits:
        from .errors import shown

        click.echo(f"Nothing matches {shown(text)}.", err=True)
        sys.exit(1)
    for hit in hits:
        matched = "" if hit["matched"] == hit["label"] else f"  (matched {hit['matched_lang']}: {hit['matched']})"
        click.echo(f"{hit['score']:5.1f}  {hit['kind']:<10}  {hit['label']}  [{hit['id']}]{matched}")


@main.command()
@STORE
@handle_errors
def validate(store):
    """Check the dataset: SHACL shapes over the RDF graph plus the table checks.

    Exits 1 when there is any violation; warnings alone exit 0.

    \b
    Example:
      profgraph validate
    """
    from .validate import validate as run_checks

    dataset = _load(store)
    findings = run_checks(dataset, complete_languages=dataset.manifest.get("name") == "curated")
    violations = [f for f in findings if f.severity == "violation"]
    warnings = [f for f in findings if f.severity == "warning"]
    for finding in findings:
        click.echo(f"{finding.severity:<9} {finding.check:<18} {finding.focus}: {finding.message}")
    model = dataset.model
    click.echo(f"checked {len(model.professions)} professions, {len(model.skills)} skills: "
               f"{len(violations)} violation(s), {len(warnings)} warning(s)")
    if violations:
        sys.exit(1)


RULE_SET_NAMES = {"viable": "viable", "viable_desirable": "viable + desirable", "viable_safer": "viable + safer",
                  "viable_stepping_stones": "viable + stepping stones", "all_rules": "all rules"}
ATLAS_COUNTS = {"emerging": 239, "transforming": 95, "disappearing": 129}
ARTICLE_HIGH_EXPOSURE_SHARE = 0.52


@main.command()
@FORMAT
@STORE
@handle_errors
def stats(output_format, store):
    """Counts by status, sector and skill type, automation exposure, ESCO links, stranded professions.

    \b
    Example:
      profgraph stats --format json
    """
    from .stats import dataset_stats

    result = dataset_stats(_load(store))
    if output_format == "json":
        _print_json(result)
        return
    professions, skills = result["professions"], result["skills"]
    click.echo(f"professions: {professions['total']}   (Atlas of new professions, 2021: "
               f"{ATLAS_COUNTS['emerging']} emerging, {ATLAS_COUNTS['transforming']} transforming, "
               f"{ATLAS_COUNTS['disappearing']} disappearing)")
    for status, count in professions["by_status"].items():
        atlas = f"   Atlas: {ATLAS_COUNTS[status]}" if status in ATLAS_COUNTS else ""
        click.echo(f"  {status:<14}{count:>5}{atlas}")
    click.echo("by sector:")
    for sector, count in professions["by_sector"].items():
        click.echo(f"  {sector:<24}{count:>5}")
    if professions["high_exposure_share"] is not None:
        click.echo(f"high or significant automation exposure (>= {professions['high_exposure_threshold']}): "
                   f"{professions['high_exposure_share']:.0%} of {professions['with_exposure']} professions "
                   f"(article, share of jobs in Kazakhstan: {ARTICLE_HIGH_EXPOSURE_SHARE:.0%})")
    click.echo(f"skills: {skills['total']}")
    for skill_type, count in skills["by_type"].items():
        click.echo(f"  {SKILL_TYPE_NAMES[skill_type]:<19}{count:>5}")
    requirements = result["requirements"]
    click.echo(f"requirements: {requirements['total']} ({requirements['essential']} essential, "
               f"{requirements['with_level']} with a level)")
    if requirements["per_profession"]:
        for title, key in (("per profession", "per_profession"), ("skills (no traits)", "skills_per_profession"),
                           ("traits", "traits_per_profession")):
            spread = requirements[key]
            click.echo(f"  {title + ':':<21}min {spread['min']}, mean {spread['mean']:.1f}, max {spread['max']}")
    links, isco, successors = result["links"], result["isco"], result["successors"]
    click.echo(f"linked to ESCO: {links['esco_professions']:.0%} of professions "
               f"({', '.join(f'{n} {match}' for match, n in links['esco_matches'].items())}), "
               f"{links['esco_skills']:.0%} of skills")
    click.echo(f"ISCO-08 against the ESCO occupation's group: {isco['agree']} agree, {isco['explained']} differ "
               f"with a note, {isco['unexplained']} differ without one, {isco['unknown']} without a code")
    click.echo(f"transformations: {result['transformations']}, {successors['directly_viable']} viable in one move, "
               f"{successors['reachable']} reachable by a path, {successors['unreachable']} not "
               f"({len(successors['unexplained'])} without a note)")
    click.echo(f"traits among skills to learn in {result['paths_checked']} paths from disappearing professions: "
               f"{result['traits_in_skills_to_learn']}")
    stranded = result["stranded"]
    click.echo(f"stranded (disappearing, no path to emerging under the rules): {len(stranded)}"
               + (f": {', '.join(stranded)}" if stranded else ""))
    click.echo(f"  rules: {result['rules']['text']}")
    click.echo("  no path to emerging, per rule: " + ", ".join(
        f"{RULE_SET_NAMES[name]} {entry['count']}" for name, entry in result["stranded_by_rule"].items()))
    moves = result["without_moves"]
    click.echo(f"professions without a single move: viable {moves['viable']}, viable + desirable {moves['desirable']}, "
               f"viable + desirable + safer {moves['safe']}")


@main.group(name="import")
def import_():
    """Build a store from a published classification."""


@import_.command(name="esco")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--risk", type=click.Path(exists=True, dir_okay=False),
              help="An automation-risk table (Nesta-style CSV: risk 1..5 by ESCO URI or ISCO code).")
@click.option("--lang", "esco_lang", default="en", show_default=True, help="Language of the ESCO files to read.")
@click.option("--store", "store", required=True, type=click.Path(file_okay=False),
              help="The store folder to build: new, empty or an earlier store (replaced atomically).")
@click.option("--reference", type=click.Path(file_okay=False), default=None,
              help="The reference data folder with nesta-mcc/, ilo-genai-2025/ and kz-wages-2022/ (default: "
                   "$PROFGRAPH_REFERENCE, else ../shared/data beside the checkout); what is found there adds job "
                   "zones, earnings, generative-AI exposure and wages.")
@FORCE
@handle_errors
def import_esco(paths, risk, esco_lang, store, reference, force):
    """Import the ESCO CSV download (zips, CSV files or folders) into the store folder.

    Each occupation gets the measures the transition rules read (automation risk, generative-AI
    exposure, preparation, pay), from the risk table and the reference data folder.

    \b
    Example:
      profgraph import esco ../shared/data/esco-v1.1.1 --risk ../shared/data/nesta-mcc/mcc_risk_All_occupations.csv --store esco-store
      profgraph path "legal administrative assistant" --to safer --store esco-store --lang en
    """
    from .atomic import check_output_folder
    from .reference import reference_dir
    from .sources.esco import import_esco as run_import, import_steps

    check_output_folder(store, "store", force=force, inputs=[*paths, risk])  # before the progress bar
    with click.progressbar(length=import_steps(risk is not None), label="Importing ESCO", file=sys.stderr,
                           item_show_func=lambda step: step or "") as bar:
        dataset, summary = run_import(paths, store, risk=risk, lang=esco_lang, force=force,
                                      progress=lambda step: bar.update(1, step), reference=reference_dir(reference))
    reasons = ", ".join(f"{n} {why.replace('_', ' ')}" for why, n in summary["links_dropped"].items() if n)
    click.echo(f"Imported ESCO into {dataset.path}: {summary['professions']} professions, {summary['skills']} skills, "
               f"{summary['requirements']} requirements from {summary['links_read']} links"
               + (f" (dropped: {reasons})" if reasons else ""))
    click.echo("skill types: " + ", ".join(f"{SKILL_TYPE_NAMES[t]} {n}" for t, n in summary["skill_types"].items()))
    if summary["exposure"]:
        basis = summary["exposure"]
        click.echo(f"automation risk: {basis['own']} own estimate, {basis['broader']} from a broader occupation, "
                   f"{basis['skill_profile']} estimated from their skills, {basis['isco']} from the ISCO group, "
                   f"{basis['none']} none")
    known = summary["measures"]
    click.echo(f"other measures: generative-AI exposure {known['genai']}, job zone {known['job_zone']}, "
               f"earnings {known['earnings']}, wage {known['wage']}")
    click.echo(f"transitions with coverage >= {dataset.manifest['transitions_floor']}: {dataset.manifest['transitions']}")


@main.command()
@click.argument("name")
@click.option("--top", type=int, default=10, show_default=True, help="How many professions to list.")
@MIN_COVERAGE
@RULES
@LANG
@FORMAT
@STORE
@handle_errors
def similar(name, top, min_coverage, lang, output_format, store, **rule_options):
    """The professions most similar to NAME by the skills they require.

    Similarity is the cosine of skill vectors weighted by essential/optional and by how
    specific each skill is (see README). Coverage is the share of each profession's skills
    that a worker in NAME already has. Each move is judged by the transition rules (viable,
    desirable, safer), which do not filter the list.

    \b
    Examples:
      profgraph similar "кассир"
      profgraph similar "software developer" --store esco-store --top 5 --format json
    """
    from .answers import similar_report

    from .textreport import verdict

    report = similar_report(_load(store), name, top=top, lang=lang, rules=_rules(min_coverage, **rule_options))
    if output_format == "json":
        _print_json(report)
        return
    origin = report["origin"]
    click.echo(f"Most similar to {origin['label']}  [{origin['id']}]")
    for rank, other in enumerate(report["similar"], 1):
        click.echo(f"{rank:3}  {other['similarity']:.2f}  {other['label']}  [{other['id']}]  coverage "
                   f"{other['coverage']:.2f} there, {other['coverage_back']:.2f} back, {other['shared_skills']} shared skills")
        click.echo(f"       {verdict(other['move'], other['blocked_by'])}")


@main.command()
@click.argument("name")
@click.option("--to", "to", default="safer", show_default=True,
              help="Destinations: 'safer', a status (emerging, transforming, stable) or a profession name.")
@click.option("--top", type=int, default=5, show_default=True, help="How many skill sets to list.")
@click.option("--max-skills", type=int, default=1, show_default=True, help="Most skills in one set (1 to 3).")
@MIN_COVERAGE
@RULES
@LANG
@FORMAT
@STORE
@handle_errors
def upskill(name, to, top, max_skills, min_coverage, lang, output_format, store, **rule_options):
    """Which skills, learned on top of NAME's, unlock the most new viable transitions.

    Only destinations the transition rules accept once the skills are learned count: a preparation
    step within --max-prep-step, desirable and safer (unless an --allow option says otherwise).

    \b
    Examples:
      profgraph upskill "кассир" --to emerging --max-skills 2
      profgraph upskill "legal administrative assistant" --store esco-store --lang en
    """
    from .answers import upskill_report

    from .textreport import risks

    report = upskill_report(_load(store), name, to, top=top, max_skills=max_skills, lang=lang,
                            rules=_rules(min_coverage, **rule_options), progress=_progress_bar())
    if output_format == "json":
        _print_json(report)
        return
    origin, target = report["origin"], report["target"]
    click.echo(f"From: {origin['label']} ({risks(origin)})")
    click.echo(f"To:   {_target_name(target)}  ({target.get('count', 1)} professions, {target['eligible']} the rules "
               f"accept, {target['viable_now']} viable now at coverage >= {min_coverage:.2f})")
    click.echo(f"Rules: {report['rules']['text']}")
    if not report["options"]:
        click.echo(f"\nNo set of up to {max_skills} skills unlocks a new transition. Try --max-skills or --min-coverage.")
        return
    for option in report["options"]:
        skills = ", ".join(f"{skill['label']} ({SKILL_TYPE_NAMES[skill['type']]})" for skill in option["skills"])
        click.echo(f"\n#{option['rank']}  learn {skills}")
        click.echo(f"    unlocks {len(option['unlocks'])}: "
                   + ", ".join(f"{p['label']} ({p['coverage']:.2f})" for p in option["unlocks"]))


@main.command()
@click.option("--from", "origin", default=None, help="Only the moves out of this profession (default: every one).")
@click.option("--format", "output_format", default="csv", show_default=True, help="csv, json or parquet.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of stdout; parquet needs it.")
@MIN_COVERAGE
@RULES
@LANG
@STORE
@handle_errors
def transitions(origin, output_format, output, min_coverage, lang, store, **rule_options):
    """The whole transitions table: every move with coverage, similarity, preparation change, pay
    ratio, risk changes and the flags viable, desirable, safer and strictly_safer.

    Moves with coverage of at least the store's floor (0.2) are listed; the flags follow the
    transition rules. Rows stream out as they are computed.

    \b
    Examples:
      profgraph transitions --from "кассир" --format json
      profgraph transitions --store esco-store --format parquet -o transitions.parquet
    """
    import time

    from .errors import UsageError
    from .transitions import FORMATS, origin_rows, transition_blocks, write_transitions

    if output_format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if output_format == "parquet" and output is None:
        raise UsageError("--format parquet needs -o FILE")
    rules = _rules(min_coverage, **rule_options)
    dataset = _load(store)
    rows = origin_rows(dataset, None if origin is None else dataset.names.resolve(origin).id)
    started, bar = time.monotonic(), None
    total = int(sum(dataset.transitions["indptr"][r + 1] - dataset.transitions["indptr"][r] for r in rows.tolist()))

    def progress(count: int) -> None:
        nonlocal bar
        if bar is None and time.monotonic() - started > 1.0:  # only a run that takes a while shows a bar
            bar = click.progressbar(length=total, label="Transitions", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(count)

    blocks = transition_blocks(dataset, rules, rows, lang=lang)
    try:
        if output:
            from .atomic import atomic_file

            with atomic_file(output) as handle:
                count = write_transitions(blocks, output_format, handle, rules, progress)
        else:
            count = write_transitions(blocks, output_format, sys.stdout.buffer, rules, progress)
            sys.stdout.buffer.flush()
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if output:
        click.echo(f"Wrote {count} transitions to {output}", err=True)


@main.command()
@click.argument("name", required=False)
@click.option("--depth", type=int, default=1, show_default=True,
              help="Hops out from NAME over professions a worker can move to or from, and transformations.")
@click.option("--to", "to", help="Highlight the best reskilling paths from NAME to a status, 'safer' or a "
                                 "profession.")
@click.option("--status", "statuses", multiple=True,
              help="Keep only professions with this status: emerging, transforming, stable or disappearing "
                   "(repeatable).")
@click.option("--sector", "sectors", multiple=True,
              help="Keep only professions in this sector: id, code or name (repeatable).")
@click.option("--top", type=int, default=5, show_default=True, help="How many paths to highlight with --to.")
@click.option("--max-nodes", type=int, default=1000, show_default=True,
              help="Most nodes drawn; the page says what it hid.")
@LANG
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help=f"The HTML file to write: {OUTPUT_FILE_HELP}.")
@STORE
@handle_errors
def render(name, depth, to, statuses, sectors, top, max_nodes, lang, output, store):
    """An interactive graph page of profession NAME's neighbourhood, or of the whole graph.

    The page is one file that works offline: open it in any browser.

    \b
    Examples:
      profgraph render "кассир" --to emerging --lang kk -o cashier.html
      profgraph render --sector finance --lang en -o finance.html
    """
    from .atomic import check_output_file
    from .web.graphview import build_view, write_graph_page

    check_output_file(output)
    view = build_view(_load(store), name, depth=depth, to=to, statuses=statuses, sectors=sectors, lang=lang,
                      max_nodes=max_nodes, top=top)
    write_graph_page(view, output)
    summary = f"Wrote {output}: {len(view.nodes)} nodes, {len(view.edges)} links"
    to_stderr = output == "-"  # standard output carries the page
    click.echo(summary + (f", {len(view.paths)} paths highlighted" if view.report is not None else ""), err=to_stderr)
    for note in view.notes:
        click.echo(note, err=to_stderr)


@main.command()
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="The folder to write: new, empty or an earlier site (replaced atomically).")
@click.option("--lang", "languages", multiple=True, type=click.Choice(LANGUAGES),
              help="A language of the site (repeatable; default: kk, ru and en).")
@click.option("--top", type=int, default=5, show_default=True, help="Reskilling paths shown per profession.")
@FORCE
@STORE
@handle_errors
def site(output, languages, top, force, store):
    """A static site of every profession and skill, in Kazakh, Russian and English.

    It needs no server and no network: open OUTPUT/index.html from disk, copy the folder to a
    USB stick, or put it on any web host.

    \b
    Example:
      profgraph site -o site/
    """
    from .atomic import check_output_folder
    from .web.site import build_site

    check_output_folder(output, "site", force=force, inputs=[store])
    summary = build_site(_load(store), output, languages or LANGUAGES, top=top, force=force)
    click.echo(f"Wrote {summary.folder}: {summary.pages} pages ({summary.professions} professions, "
               f"{summary.skills} skills, languages {', '.join(summary.languages)}) in {summary.seconds:.1f} s")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; 0.0.0.0 exposes the server to the network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another name clients reach the server by, accepted in the Host header besides 127.0.0.1, "
                   "localhost and --host (repeatable; '*' accepts any).")
@click.option("--sparql-timeout", type=float, default=10.0, show_default=True,
              help="Seconds a SPARQL query may run before it is stopped (answered 503), at most 3600.")
@click.option("--max-result-bytes", type=click.IntRange(1024), default=10 * 1024 * 1024, show_default=True,
              help="Largest SPARQL result sent; a larger one is refused (400) with a hint to add LIMIT.")
@click.option("--sparql-workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Processes answering SPARQL queries in parallel.")
@click.option("--sparql-queue", type=click.IntRange(0, 1000), default=8, show_default=True,
              help="SPARQL queries that may wait for a free process; more are answered 503 at once.")
@click.option("--sparql-memory", type=click.IntRange(256), default=1024, show_default=True, metavar="MB",
              help="Memory (address space) a SPARQL query process may use; a query needing more gets 503.")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL-PREFIX",
              help="Let SPARQL SERVICE call endpoints under this URL (repeatable); SERVICE is refused otherwise.")
@click.option("--request-timeout", type=float, default=10.0, show_default=True, metavar="SECONDS",
              help="Seconds a client has to send a request's head, and again its body; then the connection closes.")
@click.option("--lang", "languages", multiple=True, type=click.Choice(LANGUAGES),
              help="A language of the pages (repeatable; default: kk, ru and en).")
@STORE
@handle_errors
def serve(host, port, allowed_hosts, sparql_timeout, max_result_bytes, sparql_workers, sparql_queue, sparql_memory,
          allowed_services, request_timeout, languages, store):
    """Serve the counsellor pages, a JSON API and a read-only SPARQL endpoint over HTTP.

    \b
    Pages: http://HOST:PORT/  (search, profession pages, path finder, graph)
    API:   /api/search?q=  /api/profession/ID  /api/path?from=&to=  /api/similar?name=
           described by /api/openapi.json
    SPARQL 1.1 Protocol: /sparql

    \b
    Example:
      profgraph serve --port 8000
      curl 'http://127.0.0.1:8000/api/path?from=кассир&to=emerging'
    """
    from .web.app import ServerSettings, host_names, serve as run_server

    settings = ServerSettings(sparql_timeout=sparql_timeout, max_result_bytes=max_result_bytes,
                              sparql_workers=sparql_workers, sparql_queue=sparql_queue, sparql_memory_mb=sparql_memory,
                              allowed_services=allowed_services, allowed_hosts=host_names(host, allowed_hosts),
                              request_timeout=request_timeout)
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    run_server(_load(store), host=host, port=port, settings=settings, languages=languages or LANGUAGES)


@main.command()
@click.option("--endpoint", "store_url", required=True,
              help="The Graph Store endpoint (SPARQL 1.1 Graph Store HTTP Protocol), e.g. http://host:7878/store "
                   "(Oxigraph) or http://host:8890/sparql-graph-crud-auth (Virtuoso, with --user).")
@click.option("--graph", help="The named graph to replace (default: the default graph; Virtuoso has none "
                              "there, so the dataset's own named graph, as the output says).")
@click.option("--user", envvar="PROFGRAPH_USER", help=_USER_HELP)
@_STORE
@handle_errors
def push(store_url, graph, user, store):
    """Upload the dataset to a SPARQL server, replacing its graph (HTTP PUT, then POSTs of 8 MB).

    \b
    Example:
      oxigraph serve --location db --bind 127.0.0.1:7878 &
      profgraph push --endpoint http://127.0.0.1:7878/store
      profgraph path "кассир" --to emerging --endpoint http://127.0.0.1:7878/query
      PROFGRAPH_PASSWORD=... profgraph push --endpoint http://host:8890/sparql-graph-crud-auth --user writer \\
          --graph https://w3id.org/profgraph/graph/data
    """
    from .push import push as push_dataset
    from .store import load

    result = push_dataset(load(store), store_url, graph, credentials=_credentials(user), progress=_progress_bar())
    if result.note:
        click.echo(f"Note: {result.note}", err=True)
    click.echo(f"Sent {result.triples} triples to {store_url} "
               f"({'graph ' + result.graph if result.graph else 'default graph'})")


# ----------------------------------------------------------------------------- researchers: SPARQL and exports
# The format lists repeat profgraph.sparql.FORMATS and profgraph.export.FORMATS (a test keeps them
# equal) so that the CLI does not import those modules before a command needs them.
SPARQL_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld", "rdfxml")
EXPORT_FORMATS = ("ttl", "nt", "nq", "jsonld", "rdfxml", "graphml", "gexf", "csv")


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(), help="Read the query from FILE ('-' for stdin).")
@click.option("--format", "output_format", type=click.Choice(SPARQL_FORMATS), default="table", show_default=True,
              help="SELECT: table, csv, tsv, json, xml; ASK: table, json, xml; CONSTRUCT/DESCRIBE: ttl, nt, jsonld, rdfxml.")
@click.option("--timeout", type=float, default=None, metavar="SECONDS", help="Stop the query after SECONDS (exit 3).")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL-PREFIX",
              help="Let SERVICE call endpoints under this URL (repeatable); SERVICE is refused otherwise.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help=f"Write the result to FILE instead of stdout: {OUTPUT_FILE_HELP}.")
@STORE
@handle_errors
def sparql(query, query_file, output_format, timeout, allowed_services, output, store):
    """Run a SPARQL query on the graph and print its result.

    The data and the ontology form the default graph unless FROM / FROM NAMED name the graphs
    to query; the prefixes listed by 'profgraph prefixes' need no declaration. A syntax error exits 2, a timeout 3. SERVICE calls are refused unless
    their endpoint is allowed with --allow-service.

    \b
    Examples:
      profgraph sparql "SELECT ?p ?label WHERE { ?p pg:status pg:Emerging ; skos:prefLabel ?label FILTER(lang(?label) = 'en') }"
      profgraph sparql -f examples/queries/exposure-by-sector.rq --format csv
      profgraph sparql "ASK { profession:cashier pg:status pg:Disappearing }"
    """
    from .atomic import check_output_file, open_output
    from .errors import UsageError
    from .sparql import check_timeout, read_query_file, run_query

    if (query is None) == (query_file is None):
        raise UsageError("give a QUERY or -f FILE (one of them)")
    if query_file is not None:
        query = read_query_file(query_file)
    if timeout is not None:
        check_timeout(timeout)
    output = "-" if output is None else output
    check_output_file(output)
    dataset = _load(store, queries_only=True)
    with open_output(output) as handle:
        run_query(dataset, query, handle, output_format, timeout, allowed_services)


@main.command()
def prefixes():
    """List the prefixes SPARQL queries may use without declaring them (as PREFIX lines)."""
    from .vocab import PREFIXES

    for prefix, namespace in PREFIXES.items():
        click.echo(f"PREFIX {prefix + ':':<16}<{namespace}>")


@main.command()
@click.option("--format", "output_format", type=click.Choice(EXPORT_FORMATS), required=True,
              help="RDF: ttl, nt, nq, jsonld, rdfxml; graph: graphml, gexf; tables: csv (PATH is a folder).")
@click.option("-o", "--output", required=True, type=click.Path(),
              help=f"File to write: {OUTPUT_FILE_HELP}. For csv, a folder: new, empty or an earlier CSV export.")
@click.option("--with-ontology/--without-ontology", default=True, show_default=True,
              help="Include the ontology in RDF exports.")
@FORCE
@STORE
@handle_errors
def export(output_format, output, with_ontology, force, store):
    """Export the graph: RDF, GraphML/GEXF (Gephi, Cytoscape) or CSV tables.

    \b
    Examples:
      profgraph export --format ttl -o profgraph.ttl
      profgraph export --format graphml -o professions-skills.graphml
      profgraph export --format csv -o tables/
    """
    from .atomic import check_output_file, check_output_folder
    from .export import export as export_dataset

    if output_format == "csv" and output != "-":
        check_output_folder(output, "csv", force=force, inputs=[store])
    elif output_format != "csv":
        check_output_file(output)
    path = export_dataset(_load(store), output_format, output, with_ontology, force=force)
    if output != "-":
        click.echo(f"Wrote {path}", err=True)
