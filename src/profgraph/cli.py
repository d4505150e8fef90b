"""The ``profgraph`` command: a thin click layer over the library.

Heavy libraries are imported inside the commands, so ``--help`` and a path query start fast.
Every :class:`~profgraph.errors.ProfgraphError` becomes a one-line message and its exit code.
"""

from __future__ import annotations

import functools
import json
import sys

import click

from . import __version__
from .vocab import LANGUAGES, SKILL_TYPES

LANG = click.option("--lang", type=click.Choice(LANGUAGES), default="ru", show_default=True,
                    help="Language of the labels printed.")
STORE = click.option("--store", "store", type=click.Path(file_okay=False), envvar="PROFGRAPH_STORE",
                     help="A store folder built by 'profgraph import' (env PROFGRAPH_STORE); "
                          "default: the embedded curated data.")
FORMAT = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                      show_default=True, help="Output format.")

SKILL_TYPE_NAMES = {"digital": "digital", "cognitive": "cognitive",
                    "socio_behavioural": "socio-behavioural", "professional": "professional"}


def handle_errors(command):
    """Turn profgraph's own errors into ``Error: ...`` on stderr and the error's exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import ProfgraphError

        try:
            return command(*args, **kwargs)
        except ProfgraphError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)
        except OSError as error:
            click.echo(f"Error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True)
            sys.exit(1)

    return wrapper


def _load(store):
    from .store import load

    return load(store)


def _print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _exposure(value) -> str:
    return "n/a" if value is None else f"{value:.2f}"


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
              help="A status (emerging, transforming, stable) or a profession name.")
@click.option("--top", type=int, default=5, show_default=True, help="How many paths to print.")
@click.option("--max-steps", type=int, default=3, show_default=True, help="Most transitions in one path.")
@click.option("--min-coverage", type=float, default=0.4, show_default=True,
              help="Least coverage for a transition to be viable.")
@LANG
@FORMAT
@STORE
@handle_errors
def path(name, to, top, max_steps, min_coverage, lang, output_format, store):
    """Ranked reskilling paths from profession NAME to a target.

    \b
    Examples:
      profgraph path "кассир" --to emerging
      profgraph path kassir --to "e-commerce manager" --lang en --format json
    """
    from .reports import reskilling_report

    report = reskilling_report(_load(store), name, to, top=top, max_steps=max_steps,
                               min_coverage=min_coverage, lang=lang)
    if output_format == "json":
        _print_json(report)
        return
    origin = report["origin"]
    target = report["target"]
    wanted = target.get("status") or target["profession"]["label"]
    click.echo(f"From: {origin['label']} ({origin['status']}, automation exposure {_exposure(origin['automation_exposure'])})")
    click.echo(f"To:   {wanted}  (coverage >= {min_coverage:.2f}, at most {max_steps} steps)")
    if not report["paths"]:
        click.echo("\nNo viable path. Try a lower --min-coverage or more --max-steps.")
        return
    for path_ in report["paths"]:
        steps = path_["steps"]
        end = steps[-1]["to"]
        route = " -> ".join([steps[0]["from"]["label"]] + [step["to"]["label"] for step in steps])
        click.echo(f"\n#{path_['rank']}  {route}")
        click.echo(f"    score {path_['score']:.2f} (lower is better), {path_['new_skills_total']} new skills, "
                   f"ends {end['status']} at exposure {_exposure(end['automation_exposure'])}")
        for number, step in enumerate(steps, 1):
            click.echo(f"    step {number}: {step['from']['label']} -> {step['to']['label']}  "
                       f"(coverage {step['coverage']:.2f})")
            for skill_type in SKILL_TYPES:
                labels = step["skills_to_learn"][skill_type]
                if labels:
                    click.echo(f"      {SKILL_TYPE_NAMES[skill_type] + ':':<19}{', '.join(labels)}")


@main.command()
@click.argument("name")
@LANG
@FORMAT
@STORE
@handle_errors
def show(name, lang, output_format, store):
    """The card of profession NAME: labels, status, exposure, skills, successors.

    \b
    Example:
      profgraph show "кассир" --lang kk
    """
    from .reports import profession_card

    dataset = _load(store)
    card = profession_card(dataset.model, dataset.names.resolve(name).id, lang)
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
    source = card["exposure_source"]
    click.echo(f"automation exposure: {_exposure(card['automation_exposure'])}"
               + (f"  (source: {source['title']})" if source else ""))
    if card["esco_uri"]:
        click.echo(f"ESCO:     {card['esco_uri']}")
    for heading, key in (("essential skills", "essential_skills"), ("optional skills", "optional_skills")):
        click.echo(f"{heading}:")
        for skill_type in SKILL_TYPES:
            if card[key][skill_type]:
                click.echo(f"  {SKILL_TYPE_NAMES[skill_type] + ':':<19}{', '.join(card[key][skill_type])}")
    if card["transforms_into"]:
        click.echo("transforms into: " + ", ".join(f"{p['label']} ({p['status']})" for p in card["transforms_into"]))
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
    from .reports import search_report

    hits = search_report(_load(store), text, kind=kind, limit=limit, lang=lang)
    if output_format == "json":
        _print_json(hits)
        return
    if not hits:
        click.echo(f"Nothing matches {text!r}.", err=True)
        sys.exit(1)
    for hit in hits:
        matched = "" if hit["matched"] == hit["label"] else f"  (matched {hit['matched_lang']}: {hit['matched']})"
        click.echo(f"{hit['score']:5.1f}  {hit['kind']:<10}  {hit['label']}  [{hit['id']}]{matched}")



# ----------------------------------------------------------------------------- researchers: SPARQL and exports
# The format lists repeat profgraph.sparql.FORMATS and profgraph.export.FORMATS (a test keeps them
# equal) so that the CLI does not import those modules before a command needs them.
SPARQL_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt")
EXPORT_FORMATS = ("ttl", "nt", "nq", "jsonld", "rdfxml", "graphml", "gexf", "csv")


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(), help="Read the query from FILE ('-' for stdin).")
@click.option("--format", "output_format", type=click.Choice(SPARQL_FORMATS), default="table", show_default=True,
              help="SELECT: table, csv, tsv, json, xml; ASK: table, json, xml; CONSTRUCT/DESCRIBE: ttl, nt.")
@click.option("--timeout", type=float, default=None, metavar="SECONDS", help="Stop the query after SECONDS (exit 3).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the result to FILE (atomically) instead of stdout.")
@STORE
@handle_errors
def sparql(query, query_file, output_format, timeout, output, store):
    """Run a SPARQL query on the graph and print its result.

    The data and the ontology form the default graph; the prefixes listed by 'profgraph prefixes'
    need no declaration. A syntax error exits 2, a timeout 3.

    \b
    Examples:
      profgraph sparql "SELECT ?p ?label WHERE { ?p pg:status pg:Emerging ; skos:prefLabel ?label FILTER(lang(?label) = 'en') }"
      profgraph sparql -f examples/queries/exposure-by-sector.rq --format csv
      profgraph sparql "ASK { profession:cashier pg:status pg:Disappearing }"
    """
    from .errors import UsageError
    from .sparql import read_query_file, run_query

    if (query is None) == (query_file is None):
        raise UsageError("give a QUERY or -f FILE (one of them)")
    if query_file is not None:
        query = read_query_file(query_file)
    dataset = _load(store)
    if output:
        from .atomic import atomic_file

        with atomic_file(output) as handle:
            run_query(dataset, query, handle, output_format, timeout)
        return
    stdout = sys.stdout.buffer
    try:
        run_query(dataset, query, stdout, output_format, timeout)
    except BrokenPipeError:  # the reader (head, less) went away: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        sys.exit(1)


@main.command()
def prefixes():
    """List the prefixes SPARQL queries may use without declaring them (as PREFIX lines)."""
    from .vocab import PREFIXES

    for prefix, namespace in PREFIXES.items():
        click.echo(f"PREFIX {prefix + ':':<16}<{namespace}>")


@main.command()
@click.option("--format", "output_format", type=click.Choice(EXPORT_FORMATS), required=True,
              help="RDF: ttl, nt, nq, jsonld, rdfxml; graph: graphml, gexf; tables: csv (PATH is a folder).")
@click.option("-o", "--output", required=True, type=click.Path(), help="File to write (a folder for csv).")
@click.option("--with-ontology/--without-ontology", default=True, show_default=True,
              help="Include the ontology in RDF exports.")
@STORE
@handle_errors
def export(output_format, output, with_ontology, store):
    """Export the graph: RDF, GraphML/GEXF (Gephi, Cytoscape) or CSV tables.

    \b
    Examples:
      profgraph export --format ttl -o profgraph.ttl
      profgraph export --format graphml -o professions-skills.graphml
      profgraph export --format csv -o tables/
    """
    from .export import export as export_dataset

    path = export_dataset(_load(store), output_format, output, with_ontology)
    click.echo(f"Wrote {path}", err=True)
