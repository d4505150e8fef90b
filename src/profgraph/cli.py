"""The ``profgraph`` command: a thin click layer over the library. Each command parses its options,
calls the library (:mod:`profgraph.answers` and the others) and prints the answer as JSON or as the
lines of :mod:`profgraph.textreport`.

Heavy libraries are imported inside the commands, so ``--help`` and a path query start fast; option
defaults are read from the library modules that own them when they are needed (:class:`LibraryDefault`).
Every :class:`~profgraph.errors.ProfgraphError` becomes a one-line message and its exit code; a
:class:`~profgraph.errors.UsageError` names the option of the library parameter at fault.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import sys
import warnings
from dataclasses import dataclass

import click

from . import __version__, formats
from .errors import ProfgraphError, UsageError, printable
from .vocab import LANGUAGES

LABEL_LANGUAGE = "ru"  # the language of the labels printed unless --lang names another


class LibraryDefault:
    """An option's default, read from the library module that owns it: ``LibraryDefault("rules",
    "DEFAULT_MIN_COVERAGE")`` is :data:`profgraph.rules.DEFAULT_MIN_COVERAGE`, and a dotted name reads
    a class attribute (``ServerSettings.sparql_timeout``). click calls it when a command runs without
    the option, and ``--help`` prints it, so the module is imported only then."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self):
        value = importlib.import_module(f".{self.module}", __package__)
        for attribute in self.name.split("."):
            value = getattr(value, attribute)
        return value

    def __str__(self) -> str:
        return str(self())

    def __repr__(self) -> str:
        return f"LibraryDefault({self.module!r}, {self.name!r})"


LANG = click.option("--lang", type=click.Choice(LANGUAGES), default=LABEL_LANGUAGE, show_default=True,
                    help="Language of the labels printed.")
_STORE = click.option("--store", "store", type=click.Path(file_okay=False), envvar="PROFGRAPH_STORE",
                      help="A store folder built by 'profgraph import' (env PROFGRAPH_STORE); "
                           "default: the embedded curated data.")
_ENDPOINT = click.option("--endpoint", "endpoint", envvar="PROFGRAPH_ENDPOINT",
                         help="A SPARQL 1.1 query endpoint holding the dataset (env PROFGRAPH_ENDPOINT; its "
                              "graph: env PROFGRAPH_GRAPH), instead of a local store.")


_USER_HELP = ("Log in to the SPARQL server as USER (env PROFGRAPH_USER), with the password of env "
              "PROFGRAPH_PASSWORD or one asked for; a bearer token instead: env PROFGRAPH_TOKEN.")
_USER = click.option("--user", envvar="PROFGRAPH_USER", help=_USER_HELP)


@dataclass(frozen=True)
class DataOptions:
    """Where a command reads the dataset: its --store, --endpoint and --user (see :func:`_load`)."""

    store: str | None
    endpoint: str | None
    user: str | None


def DATASET(command):
    """The --store, --endpoint and --user options of every command that reads the dataset, given to the
    command as one :class:`DataOptions` argument ``data``."""

    @functools.wraps(command)
    def with_data(*args, store, endpoint, user, **kwargs):
        return command(*args, data=DataOptions(store, endpoint, user), **kwargs)

    return _STORE(_ENDPOINT(_USER(with_data)))


FORMAT = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                      show_default=True, help="Output format.")
MIN_COVERAGE = click.option("--min-coverage", type=float, default=LibraryDefault("rules", "DEFAULT_MIN_COVERAGE"),
                            show_default=True, help="Least coverage for a transition to be viable.")
DEFAULT_TOP = LibraryDefault("reskilling", "DEFAULT_TOP")

FORCE = click.option("--force", is_flag=True,
                     help="Write even into a folder holding files profgraph did not write: the folder is "
                          "moved, whole, to FOLDER.backup-DATE-TIME beside it (nothing is deleted).")
OUTPUT_FILE_HELP = "a regular file or a new path, replaced atomically; '-' for standard output"

_RULE_OPTIONS = (
    click.option("--risk", default=LibraryDefault("rules", "DEFAULT_RISK"), show_default=True,
                 help="What 'safer' is judged on: automation (Nesta 2020 automation risk), genai (ILO 2025 "
                      "generative-AI exposure) or both."),
    click.option("--min-pay-ratio", type=float, default=LibraryDefault("rules", "DEFAULT_MIN_PAY_RATIO"),
                 show_default=True, help="Least pay of a destination, as a share of the origin's (0 to 1)."),
    click.option("--max-prep-step", type=int, default=LibraryDefault("rules", "DEFAULT_MAX_PREP_STEP"),
                 show_default=True,
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


def _rules(**options):
    """Return the checked :class:`profgraph.rules.Rules` of the command's options."""
    from .rules import make_rules

    return make_rules(**options)


def _called(parameter: str) -> str:
    """Return how the running command names the library parameter ``parameter``: its option's long
    form (``--top``), its argument's name (``NAME``), or the parameter itself when it takes neither."""
    context = click.get_current_context(silent=True)
    for param in context.command.params if context is not None else ():
        if param.name == parameter:
            return max(param.opts, key=len) if isinstance(param, click.Option) else param.human_readable_name
    return parameter


def handle_errors(command):
    """Turn profgraph's own errors into ``Error: ...`` on stderr and the error's exit code, its notices
    into ``Note: ...`` lines, and SIGTERM or SIGHUP into an orderly exit (status 128 + the signal's
    number) that removes half-written outputs as Ctrl+C does."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with _notes_on_stderr(), _exit_on_termination():
                return command(*args, **kwargs)
        except ProfgraphError as error:  # one line, whatever a file or a server put in it
            message = error.naming(_called) if isinstance(error, UsageError) else str(error)
            click.echo(f"Error: {printable(message)}", err=True)
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


def _load(data: DataOptions, queries_only: bool = False):
    """Return the dataset ``data`` names (:func:`profgraph.datasets.load`: an endpoint wins over a
    store); with ``queries_only``, an endpoint is only asked queries
    (:class:`~profgraph.remote.RemoteEndpoint`), not pulled."""
    credentials = _credentials(data.user) if data.endpoint else None
    if data.endpoint and queries_only:
        import os

        from .remote import RemoteEndpoint

        return RemoteEndpoint(data.endpoint, os.environ.get("PROFGRAPH_GRAPH") or None, credentials)
    from .datasets import load

    return load(data.store, endpoint=data.endpoint, credentials=credentials)


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


@contextlib.contextmanager
def _bar_after(seconds: float, total: int, label: str):
    """Yield a function that advances a click progress bar on stderr by a count; the bar appears only
    once ``seconds`` have passed, so a quick run prints none."""
    import time

    started, bar = time.monotonic(), None

    def advance(count: int) -> None:
        nonlocal bar
        if bar is None and time.monotonic() - started > seconds:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(count)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _print(answer, output_format: str, text_lines) -> None:
    """Print ``answer`` as JSON, or as the lines ``text_lines(answer)`` returns (:mod:`profgraph.textreport`)."""
    if output_format == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    for line in text_lines(answer):
        click.echo(line)


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
@click.option("--top", type=int, default=DEFAULT_TOP, show_default=True, help="How many paths to print.")
@click.option("--max-steps", type=int, default=LibraryDefault("reskilling", "DEFAULT_MAX_STEPS"), show_default=True,
              help="Most transitions in one path.")
@click.option("--have", default=None, metavar="SKILL,...", help="Skills the client has beyond the job's profile.")
@click.option("--lack", default=None, metavar="SKILL,...", help="Skills of the job's profile the client lacks.")
@click.option("--profile", "profile_file", default=None, metavar="FILE",
              help="A JSON profile of the client's skills (see 'profgraph profile').")
@MIN_COVERAGE
@RULES
@LANG
@FORMAT
@DATASET
@handle_errors
def path(name, to, top, max_steps, have, lack, profile_file, min_coverage, lang, output_format, data,
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
    from .answers import reskilling_report
    from .client import read_profile, split_names
    from .textreport import path_lines

    rules = _rules(min_coverage=min_coverage, **rule_options)
    profile = read_profile(profile_file) if profile_file is not None else None
    report = reskilling_report(_load(data), name, to, top=top, max_steps=max_steps, lang=lang, rules=rules,
                               have=split_names(have), lack=split_names(lack), profile=profile)
    _print(report, output_format, path_lines)


@main.command()
@click.argument("name")
@click.option("--to", "to", default=LibraryDefault("web.plan", "DEFAULT_TARGET"), show_default=True,
              help="A status, 'safer' or a profession name, as for 'profgraph path'.")
@click.option("--have", default=None, metavar="SKILL,...", help="Skills the client has beyond the job's profile.")
@click.option("--lack", default=None, metavar="SKILL,...", help="Skills of the job's profile the client lacks.")
@click.option("--profile", "profile_file", default=None, metavar="FILE",
              help="A JSON profile of the client's skills (see 'profgraph profile').")
@click.option("--region", default=None, help="Compare pay with this region's wages (default: the whole country).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The HTML file to write (atomically); '-' for standard output.")
@LANG
@DATASET
@handle_errors
def plan(name, to, have, lack, profile_file, region, output, lang, data):
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
    page = plan_page(_load(data), name, to=to, lang=lang, rules=rules, have=split_names(have),
                     lack=split_names(lack), profile=profile)
    write_text_atomic(output, page)


@main.command()
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-", show_default=True,
              help="Write to FILE (atomically); '-' for standard output.")
@LANG
@DATASET
@handle_errors
def profile(name, output, lang, data):
    """The standard skill profile of profession NAME as a client profile file (JSON) to edit.

    Remove from "have" what the client cannot do, add what they can (from any job), then give the
    file to 'profgraph path NAME --profile FILE'.

    \b
    Examples:
      profgraph profile "кассир" --lang ru -o client.json
    """
    from .atomic import write_text_atomic
    from .client import profile_document

    dataset = _load(data)
    document = profile_document(dataset, dataset.names.resolve(name).id, lang)
    write_text_atomic(output, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@main.command()
@click.argument("name")
@MIN_COVERAGE
@RULES
@LANG
@FORMAT
@DATASET
@handle_errors
def show(name, min_coverage, lang, output_format, data, **rule_options):
    """The card of profession NAME: labels, status, measures, skills, successors.

    Each measure says how it was obtained and its source; each profession it transforms into says
    whether the transition rules let a worker reach it, and what is missing if not.

    \b
    Example:
      profgraph show "кассир" --lang kk
    """
    from .answers import profession_card
    from .textreport import card_lines

    rules = _rules(min_coverage=min_coverage, **rule_options)
    dataset = _load(data)
    card = profession_card(dataset.model, dataset.names.resolve(name).id, lang, dataset=dataset, rules=rules)
    _print(card, output_format, card_lines)


@main.command()
@click.argument("text")
@click.option("--kind", type=click.Choice(["profession", "skill"]), default=None,
              help="Only professions or only skills (default: both).")
@click.option("--limit", type=click.IntRange(1, 100), default=LibraryDefault("answers", "DEFAULT_SEARCH_LIMIT"),
              show_default=True)
@LANG
@FORMAT
@DATASET
@handle_errors
def search(text, kind, limit, lang, output_format, data):
    """Professions and skills whose labels match TEXT, in any of the three languages.

    \b
    Examples:
      profgraph search "аналитик"
      profgraph search kassir --kind profession
    """
    from .answers import search_report
    from .textreport import search_lines

    hits = search_report(_load(data), text, kind=kind, limit=limit, lang=lang)
    if not hits and output_format == "text":
        from .errors import shown

        click.echo(f"Nothing matches {shown(text)}.", err=True)
        sys.exit(1)
    _print(hits, output_format, search_lines)


@main.command()
@DATASET
@handle_errors
def validate(data):
    """Check the dataset: SHACL shapes over the RDF graph plus the table checks.

    Exits 1 when there is any violation; warnings alone exit 0.

    \b
    Example:
      profgraph validate
    """
    from .validate import validate as run_checks

    dataset = _load(data)
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


@main.command()
@FORMAT
@DATASET
@handle_errors
def stats(output_format, data):
    """Counts by status, sector and skill type, automation exposure, ESCO links, stranded professions.

    \b
    Example:
      profgraph stats --format json
    """
    from .stats import dataset_stats
    from .textreport import stats_lines

    _print(dataset_stats(_load(data)), output_format, stats_lines)


@main.group(name="import")
def import_():
    """Build a store from a published classification."""


@import_.command(name="esco")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--risk", type=click.Path(exists=True, dir_okay=False),
              help="An automation-risk table (Nesta-style CSV: risk 1..5 by ESCO URI or ISCO code).")
@click.option("--lang", "lang", default=LibraryDefault("sources.esco", "DEFAULT_LANG"), show_default=True,
              help="Language of the ESCO files to read.")
@click.option("--store", "store", required=True, type=click.Path(file_okay=False),
              help="The store folder to build: new, empty or an earlier store (replaced atomically).")
@click.option("--reference", type=click.Path(file_okay=False), default=None,
              help="The reference data folder with nesta-mcc/, ilo-genai-2025/ and kz-wages-2022/ (default: "
                   "$PROFGRAPH_REFERENCE, else ../shared/data beside the checkout); what is found there adds job "
                   "zones, earnings, generative-AI exposure and wages.")
@FORCE
@handle_errors
def import_esco(paths, risk, lang, store, reference, force):
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
    from .textreport import esco_import_lines

    check_output_folder(store, "store", force=force, inputs=[*paths, risk])  # before the progress bar
    with click.progressbar(length=import_steps(risk is not None), label="Importing ESCO", file=sys.stderr,
                           item_show_func=lambda step: step or "") as bar:
        dataset, summary = run_import(paths, store, risk=risk, lang=lang, force=force,
                                      progress=lambda step: bar.update(1, step), reference=reference_dir(reference))
    for line in esco_import_lines(summary, dataset.manifest, dataset.path):
        click.echo(line)


@main.command()
@click.argument("name")
@click.option("--top", type=int, default=LibraryDefault("answers", "DEFAULT_SIMILAR_TOP"), show_default=True,
              help="How many professions to list.")
@MIN_COVERAGE
@RULES
@LANG
@FORMAT
@DATASET
@handle_errors
def similar(name, top, min_coverage, lang, output_format, data, **rule_options):
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
    from .textreport import similar_lines

    rules = _rules(min_coverage=min_coverage, **rule_options)
    _print(similar_report(_load(data), name, top=top, lang=lang, rules=rules), output_format, similar_lines)


@main.command()
@click.argument("name")
@click.option("--to", "to", default=LibraryDefault("answers", "DEFAULT_UPSKILL_TARGET"), show_default=True,
              help="Destinations: 'safer', a status (emerging, transforming, stable) or a profession name.")
@click.option("--top", type=int, default=DEFAULT_TOP, show_default=True, help="How many skill sets to list.")
@click.option("--max-skills", type=int, default=LibraryDefault("upskill", "DEFAULT_MAX_SKILLS"), show_default=True,
              help="Most skills in one set (1 to 3).")
@MIN_COVERAGE
@RULES
@LANG
@FORMAT
@DATASET
@handle_errors
def upskill(name, to, top, max_skills, min_coverage, lang, output_format, data, **rule_options):
    """Which skills, learned on top of NAME's, unlock the most new viable transitions.

    Only destinations the transition rules accept once the skills are learned count: a preparation
    step within --max-prep-step, desirable and safer (unless an --allow option says otherwise).

    \b
    Examples:
      profgraph upskill "кассир" --to emerging --max-skills 2
      profgraph upskill "legal administrative assistant" --store esco-store --lang en
    """
    from .answers import upskill_report
    from .textreport import upskill_lines

    report = upskill_report(_load(data), name, to, top=top, max_skills=max_skills, lang=lang,
                            rules=_rules(min_coverage=min_coverage, **rule_options), progress=_progress_bar())
    _print(report, output_format, upskill_lines)


@main.command()
@click.option("--from", "origin", default=None, help="Only the moves out of this profession (default: every one).")
@click.option("--format", "output_format", default=LibraryDefault("transitions", "DEFAULT_FORMAT"), show_default=True,
              help="csv, json or parquet.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of stdout; parquet needs it.")
@MIN_COVERAGE
@RULES
@LANG
@DATASET
@handle_errors
def transitions(origin, output_format, output, min_coverage, lang, data, **rule_options):
    """The whole transitions table: every move with coverage, similarity, preparation change, pay
    ratio, risk changes and the flags viable, desirable, safer and strictly_safer.

    Moves with coverage of at least the store's floor (0.2) are listed; the flags follow the
    transition rules. Rows stream out as they are computed.

    \b
    Examples:
      profgraph transitions --from "кассир" --format json
      profgraph transitions --store esco-store --format parquet -o transitions.parquet
    """
    from .atomic import atomic_file
    from .transitions import check_format, move_count, origin_rows, transition_blocks, write_transitions

    check_format(output_format)
    if output_format == "parquet" and output is None:
        raise UsageError("--format parquet needs -o FILE")
    rules = _rules(min_coverage=min_coverage, **rule_options)
    dataset = _load(data)
    rows = origin_rows(dataset, None if origin is None else dataset.names.resolve(origin).id)
    blocks = transition_blocks(dataset, rules, rows, lang=lang)
    with _bar_after(1.0, move_count(dataset, rows), "Transitions") as progress:
        if output:
            with atomic_file(output) as handle:
                count = write_transitions(blocks, output_format, handle, rules, progress)
        else:
            count = write_transitions(blocks, output_format, sys.stdout.buffer, rules, progress)
            sys.stdout.buffer.flush()
    if output:
        click.echo(f"Wrote {count} transitions to {output}", err=True)


@main.command()
@click.argument("name", required=False)
@click.option("--depth", type=int, default=LibraryDefault("web.graphview", "DEFAULT_DEPTH"), show_default=True,
              help="Hops out from NAME over professions a worker can move to or from, and transformations.")
@click.option("--to", "to", help="Highlight the best reskilling paths from NAME to a status, 'safer' or a "
                                 "profession.")
@click.option("--status", "statuses", multiple=True,
              help="Keep only professions with this status: emerging, transforming, stable or disappearing "
                   "(repeatable).")
@click.option("--sector", "sectors", multiple=True,
              help="Keep only professions in this sector: id, code or name (repeatable).")
@click.option("--top", type=int, default=DEFAULT_TOP, show_default=True, help="How many paths to highlight with --to.")
@click.option("--max-nodes", type=int, default=LibraryDefault("web.graphview", "DEFAULT_MAX_NODES"), show_default=True,
              help="Most nodes drawn; the page says what it hid.")
@LANG
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help=f"The HTML file to write: {OUTPUT_FILE_HELP}.")
@DATASET
@handle_errors
def render(name, depth, to, statuses, sectors, top, max_nodes, lang, output, data):
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
    view = build_view(_load(data), name, depth=depth, to=to, statuses=statuses, sectors=sectors, lang=lang,
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
@click.option("--top", type=int, default=DEFAULT_TOP, show_default=True, help="Reskilling paths shown per profession.")
@FORCE
@DATASET
@handle_errors
def site(output, languages, top, force, data):
    """A static site of every profession and skill, in Kazakh, Russian and English.

    It needs no server and no network: open OUTPUT/index.html from disk, copy the folder to a
    USB stick, or put it on any web host.

    \b
    Example:
      profgraph site -o site/
    """
    from .atomic import check_output_folder
    from .web.site import build_site

    check_output_folder(output, "site", force=force, inputs=[data.store])
    summary = build_site(_load(data), output, languages or LANGUAGES, top=top, force=force)
    click.echo(f"Wrote {summary.folder}: {summary.pages} pages ({summary.professions} professions, "
               f"{summary.skills} skills, languages {', '.join(summary.languages)}) in {summary.seconds:.1f} s")


@main.command()
@click.option("--host", default=LibraryDefault("web.app", "DEFAULT_HOST"), show_default=True,
              help="Address to listen on (loopback by default; 0.0.0.0 exposes the server to the network).")
@click.option("--port", type=click.IntRange(1, 65535), default=LibraryDefault("web.app", "DEFAULT_PORT"),
              show_default=True)
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Another name clients reach the server by, accepted in the Host header besides 127.0.0.1, "
                   "localhost and --host (repeatable; '*' accepts any).")
@click.option("--sparql-timeout", type=float, default=LibraryDefault("web.app", "ServerSettings.sparql_timeout"),
              show_default=True,
              help="Seconds a SPARQL query may run before it is stopped (answered 503), at most 3600.")
@click.option("--max-result-bytes", type=click.IntRange(1024),
              default=LibraryDefault("web.app", "ServerSettings.max_result_bytes"), show_default=True,
              help="Largest SPARQL result sent; a larger one is refused (400) with a hint to add LIMIT.")
@click.option("--sparql-workers", type=click.IntRange(1, 64),
              default=LibraryDefault("web.app", "ServerSettings.sparql_workers"), show_default=True,
              help="Processes answering SPARQL queries in parallel.")
@click.option("--sparql-queue", type=click.IntRange(0, 1000),
              default=LibraryDefault("web.app", "ServerSettings.sparql_queue"), show_default=True,
              help="SPARQL queries that may wait for a free process; more are answered 503 at once.")
@click.option("--sparql-memory", "sparql_memory_mb", type=click.IntRange(256),
              default=LibraryDefault("web.app", "ServerSettings.sparql_memory_mb"), show_default=True, metavar="MB",
              help="Memory (address space) a SPARQL query process may use; a query needing more gets 503.")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL-PREFIX",
              help="Let SPARQL SERVICE call endpoints under this URL (repeatable); SERVICE is refused otherwise.")
@click.option("--request-timeout", type=float, default=LibraryDefault("web.app", "ServerSettings.request_timeout"),
              show_default=True, metavar="SECONDS",
              help="Seconds a client has to send a request's head, and again its body; then the connection closes.")
@click.option("--lang", "languages", multiple=True, type=click.Choice(LANGUAGES),
              help="A language of the pages (repeatable; default: kk, ru and en).")
@DATASET
@handle_errors
def serve(host, port, allowed_hosts, sparql_timeout, max_result_bytes, sparql_workers, sparql_queue,
          sparql_memory_mb, allowed_services, request_timeout, languages, data):
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
                              sparql_workers=sparql_workers, sparql_queue=sparql_queue,
                              sparql_memory_mb=sparql_memory_mb,
                              allowed_services=allowed_services, allowed_hosts=host_names(host, allowed_hosts),
                              request_timeout=request_timeout)
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    run_server(_load(data), host=host, port=port, settings=settings, languages=languages or LANGUAGES)


@main.command()
@click.option("--endpoint", "store_url", required=True,
              help="The Graph Store endpoint to write to (SPARQL 1.1 Graph Store HTTP Protocol), e.g. "
                   "http://host:7878/store (Oxigraph) or http://host:8890/sparql-graph-crud-auth (Virtuoso, with --user).")
@click.option("--graph", help="The named graph to replace (default: the default graph; Virtuoso has none "
                              "there, so the dataset's own named graph, as the output says).")
@_USER
@_STORE
@handle_errors
def push(store_url, graph, user, store):
    """Upload the local dataset to a SPARQL server, replacing its graph.

    The dataset sent is the store of --store (env PROFGRAPH_STORE), else the embedded curated data;
    --endpoint names where it goes, so PROFGRAPH_ENDPOINT, which names a dataset to read, does not apply.
    It goes in chunks: an HTTP PUT that empties the graph, then POSTs of 8 MB of N-Triples.

    \b
    Example:
      oxigraph serve --location db --bind 127.0.0.1:7878 &
      profgraph push --endpoint http://127.0.0.1:7878/store
      profgraph path "кассир" --to emerging --endpoint http://127.0.0.1:7878/query
      PROFGRAPH_PASSWORD=... profgraph push --endpoint http://host:8890/sparql-graph-crud-auth --user writer \\
          --graph https://w3id.org/profgraph/graph/data
    """
    from .datasets import load_local
    from .push import push as push_dataset

    result = push_dataset(load_local(store), store_url, graph, credentials=_credentials(user),
                          progress=_progress_bar())
    if result.note:
        click.echo(f"Note: {result.note}", err=True)
    click.echo(f"Sent {result.triples} triples to {store_url} "
               f"({'graph ' + result.graph if result.graph else 'default graph'})")


# ----------------------------------------------------------------------------- researchers: SPARQL and exports


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(), help="Read the query from FILE ('-' for stdin).")
@click.option("--format", "output_format", type=click.Choice(formats.names(*formats.QUERY_KINDS)),
              default=LibraryDefault("sparql", "DEFAULT_FORMAT"), show_default=True,
              help="SELECT: table, csv, tsv, json, xml; ASK: table, json, xml; CONSTRUCT/DESCRIBE: ttl, nt, jsonld, rdfxml.")
@click.option("--timeout", type=float, default=None, metavar="SECONDS", help="Stop the query after SECONDS (exit 3).")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL-PREFIX",
              help="Let SERVICE call endpoints under this URL (repeatable); SERVICE is refused otherwise.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help=f"Write the result to FILE instead of stdout: {OUTPUT_FILE_HELP}.")
@DATASET
@handle_errors
def sparql(query, query_file, output_format, timeout, allowed_services, output, data):
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
    from .sparql import check_timeout, read_query_file, run_query

    if (query is None) == (query_file is None):
        raise UsageError("give a QUERY or -f FILE (one of them)")
    if query_file is not None:
        query = read_query_file(query_file)
    if timeout is not None:
        check_timeout(timeout)
    output = "-" if output is None else output
    check_output_file(output)
    dataset = _load(data, queries_only=True)
    with open_output(output) as handle:
        run_query(dataset, query, handle, output_format, timeout, allowed_services)


@main.command()
def prefixes():
    """List the prefixes SPARQL queries may use without declaring them (as PREFIX lines)."""
    from .vocab import prefix_declarations

    for declaration in prefix_declarations(align=15):
        click.echo(declaration)


@main.command()
@click.option("--format", "output_format", type=click.Choice(formats.names(formats.EXPORT)), required=True,
              help="RDF: ttl, nt, nq, jsonld, rdfxml; graph: graphml, gexf; tables: csv (PATH is a folder).")
@click.option("-o", "--output", required=True, type=click.Path(),
              help=f"File to write: {OUTPUT_FILE_HELP}. For csv, a folder: new, empty or an earlier CSV export.")
@click.option("--with-ontology/--without-ontology", default=True, show_default=True,
              help="Include the ontology in RDF exports.")
@FORCE
@DATASET
@handle_errors
def export(output_format, output, with_ontology, force, data):
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
        check_output_folder(output, "csv", force=force, inputs=[data.store])
    elif output_format != "csv":
        check_output_file(output)
    path = export_dataset(_load(data), output_format, output, with_ontology, force=force)
    if output != "-":
        click.echo(f"Wrote {path}", err=True)
