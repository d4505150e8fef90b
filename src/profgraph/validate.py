"""Checks of a dataset: SHACL shapes over the built RDF graph, the W3C Data Cube integrity
constraints over its indicator observations, plus table checks that shapes cannot express well
(unique labels per language, enough requirements, references).

Each finding is a :class:`Finding`; ``severity`` is "violation" (the data are wrong) or
"warning" (worth a look). ``profgraph validate`` exits 1 when there is any violation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Model
from .vocab import LANGUAGES

MIN_REQUIREMENTS = 6


@dataclass(frozen=True)
class Finding:
    """One problem: its ``severity``, the ``check`` that found it, the ``focus`` (an id or IRI) and a message."""

    severity: str
    check: str
    focus: str
    message: str


def table_findings(model: Model, complete_languages: bool = True) -> list[Finding]:
    """Return the findings of the table checks on ``model``.

    ``complete_languages`` asks for labels in kk, ru and en on every profession and skill
    (the curated data's promise; an imported classification may carry one language).
    """
    findings = []
    for kind, entities in (("profession", model.professions), ("skill", model.skills)):
        seen: dict[tuple[str, str], str] = {}
        for entity in entities.values():
            for lang in LANGUAGES:
                text = entity.labels.get(lang)
                if not text:
                    if complete_languages:
                        findings.append(Finding("violation", "label-completeness", entity.id,
                                                f"{kind} has no {lang} label"))
                    continue
                key = (lang, text.casefold())
                if key in seen:
                    findings.append(Finding("violation", "unique-labels", entity.id,
                                            f"{kind} {lang} label {text!r} is also {seen[key]}'s"))
                else:
                    seen[key] = entity.id
    used_skills = set()
    for profession in model.professions.values():
        used_skills.update(profession.skills)
        if len(profession.skills) < MIN_REQUIREMENTS:
            findings.append(Finding("violation", "requirements", profession.id,
                                    f"requires {len(profession.skills)} skills, fewer than {MIN_REQUIREMENTS}"))
        if not profession.essential:
            findings.append(Finding("violation", "requirements", profession.id, "has no essential skill"))
        if profession.exposure is not None and profession.exposure_source not in model.sources:
            findings.append(Finding("violation", "provenance", profession.id, "automation exposure has no source"))
    for skill_id in model.skills.keys() - used_skills:
        findings.append(Finding("warning", "unused-skill", skill_id, "no profession requires this skill"))
    pairs = defaultdict(int)
    for transformation in model.transformations:
        pairs[(transformation.origin, transformation.successor)] += 1
        if transformation.origin == transformation.successor:
            findings.append(Finding("violation", "transformations", transformation.origin, "transforms into itself"))
    for (origin, successor), count in pairs.items():
        if count > 1:
            findings.append(Finding("violation", "transformations", origin, f"transforms into {successor} {count} times"))
    return findings


def shacl_findings(dataset) -> list[Finding]:
    """Return the SHACL findings on the dataset's RDF data graphs against ``ontology/shapes.ttl``."""
    from pyoxigraph import RdfFormat
    from rdflib import Graph

    from .export import data_graphs

    data = Graph()
    for graph in data_graphs(dataset.rdf):
        data.parse(data=dataset.rdf.dump(format=RdfFormat.N_TRIPLES, from_graph=graph), format="nt")
    return check_shapes(data)


def cube_findings(dataset) -> list[Finding]:
    """Return a violation for each W3C Data Cube integrity constraint (IC-1..IC-19) that the
    dataset's ontology and data, together, violate (:mod:`profgraph.datacube`)."""
    from .datacube import violations

    return [Finding("violation", "datacube", name, f"Data Cube integrity constraint violated: {requirement}")
            for name, requirement in violations(dataset.rdf).items()]


def check_shapes(data) -> list[Finding]:
    """Return the SHACL findings on the rdflib graph ``data``, sorted by focus node."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    from .resources import ontology_dir

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    if conforms:
        return []
    findings = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        findings.append(Finding("violation" if severity == SH.Violation else "warning", "shacl", str(focus),
                                f"{path.n3() if path is not None else ''} {message}".strip()))
    return sorted(findings, key=lambda f: (f.focus, f.message))


def validate(dataset, complete_languages: bool = True) -> list[Finding]:
    """Return every finding of the table checks and the SHACL shapes, violations first."""
    findings = table_findings(dataset.model, complete_languages) + shacl_findings(dataset) + cube_findings(dataset)
    return sorted(findings, key=lambda f: (f.severity != "violation", f.check, f.focus))
