"""Checks of a dataset: SHACL shapes over the built RDF graph, the W3C Data Cube integrity
constraints over its indicator observations, plus table checks that shapes cannot express well
(unique labels per language, enough requirements, references, ESCO matches and ISCO codes, traits
typed as such) and the reachability of "transforms into" successors.

Each finding is a :class:`Finding`; ``severity`` is "violation" (the data are wrong) or
"warning" (worth a look). ``profgraph validate`` exits 1 when there is any violation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Model
from .vocab import LANGUAGES, TRAIT

if TYPE_CHECKING:  # for annotations; the functions import rdflib where they use it
    from rdflib import Graph

MIN_REQUIREMENTS = 12  # skills (traits not counted) a curated profile requires at least
MIN_REQUIREMENTS_IMPORTED = 6  # the floor for an imported classification, whose profiles we do not curate


@dataclass(frozen=True)
class Finding:
    """One problem: its ``severity``, the ``check`` that found it, the ``focus`` (an id or IRI) and a message."""

    severity: str
    check: str
    focus: str
    message: str


def table_findings(model: Model, complete_languages: bool = True) -> list[Finding]:
    """Return the findings of the table checks on ``model``.

    ``complete_languages`` asks for labels in kk, ru and en on every profession and skill and
    profiles of at least :data:`MIN_REQUIREMENTS` skills (the curated data's promises; an
    imported classification may carry one language and thinner profiles).
    """
    from .sources.esco import TRAIT_SKILLS
    from .stats import isco_agreement

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
    used_skills: set[str] = set()
    least = MIN_REQUIREMENTS if complete_languages else MIN_REQUIREMENTS_IMPORTED
    close: dict[str, str] = {}
    for profession in model.professions.values():
        used_skills.update(profession.skills)
        skills = sum(model.skills[skill].type != TRAIT for skill in profession.skills)
        if skills < least:
            findings.append(Finding("violation", "requirements", profession.id,
                                    f"requires {skills} skills (traits not counted), fewer than {least}"))
        for unrequired in profession.levels.keys() - set(profession.skills):
            findings.append(Finding("violation", "requirements", profession.id, f"has a level for {unrequired}, "
                                    "which it does not require"))
        if profession.esco_uri and (profession.esco_match or "close") == "close":
            if profession.esco_uri in close:
                findings.append(Finding("violation", "esco-match", profession.id,
                                        f"closeMatch to the ESCO occupation {close[profession.esco_uri]} matches too; "
                                        "the narrower profession is a broadMatch"))
            close.setdefault(profession.esco_uri, profession.id)
        if not profession.essential:
            findings.append(Finding("violation", "requirements", profession.id, "has no essential skill"))
        if profession.exposure is not None and profession.exposure_source not in model.sources:
            findings.append(Finding("violation", "provenance", profession.id, "automation exposure has no source"))
    for pid in isco_agreement(model)["unexplained"]:
        profession = model.professions[pid]
        findings.append(Finding("violation", "isco-agreement", pid,
                                f"ISCO-08 {profession.isco08} differs from its ESCO occupation's {profession.esco_isco08} "
                                "and isco_note does not say why"))
    for skill in model.skills.values():
        if skill.esco_uri in TRAIT_SKILLS and skill.type != TRAIT:
            findings.append(Finding("warning", "traits", skill.id, f"is linked to an ESCO attitude or value but typed "
                                    f"{skill.type}, not trait"))
    for skill_id in model.skills.keys() - used_skills:
        findings.append(Finding("warning", "unused-skill", skill_id, "no profession requires this skill"))
    pairs: defaultdict[tuple[str, str], int] = defaultdict(int)
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


def check_shapes(data: Graph) -> list[Finding]:
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


def successor_findings(dataset) -> list[Finding]:
    """Return a violation for each "transforms into" link whose successor no reskilling path reaches
    under the transition rules (viable moves through acceptable stepping stones, within the step
    limit) and whose row has no note saying why it is listed, and a warning for each that is
    reachable, but not in one move, without a note."""
    from .reskilling import DEFAULT_MAX_STEPS
    from .stats import successor_reachability

    findings = []
    for link in successor_reachability(dataset):
        if link["note"] or link["direct"]:
            continue
        if link["steps"] is None:
            findings.append(Finding("violation", "successors", link["origin"],
                                    f"transforms into {link['successor']}, which no path of at most {DEFAULT_MAX_STEPS} "
                                    f"viable moves reaches (direct coverage {link['coverage']:.2f}), and no note says why"))
        else:
            findings.append(Finding("warning", "successors", link["origin"],
                                    f"transforms into {link['successor']}, reached in {link['steps']} moves "
                                    f"(direct coverage {link['coverage']:.2f}); no note says why it is listed"))
    return findings


def validate(dataset, complete_languages: bool = True) -> list[Finding]:
    """Return every finding of the table checks, the successor checks, the SHACL shapes and the Data Cube
    constraints, violations first."""
    findings = (table_findings(dataset.model, complete_languages) + successor_findings(dataset)
                + shacl_findings(dataset) + cube_findings(dataset))
    return sorted(findings, key=lambda f: (f.severity != "violation", f.check, f.focus))
