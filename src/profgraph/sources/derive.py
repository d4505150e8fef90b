"""Derive a profession's :class:`~profgraph.model.Measures` from the reference tables, at the finest
level they allow. Used by ``scripts/derive_measures.py`` for the curated data and by the ESCO import.

- automation risk, bottleneck prevalence and Nesta's category: the linked ESCO occupation's row of
  the risk table (``esco-occupation``), else its nearest broader occupation's (``esco-broader``),
  else an estimate from the profession's ESCO skills and ISCO-08 code
  (:mod:`profgraph.exposure_model`, ``skill-profile``; its category by Nesta's quartile rule,
  :func:`profgraph.measures.nesta_category`), else an ISCO-08 group's row or mean. The
  percentile is always among the risk table's rows;
- generative-AI exposure: the ILO unit group, else the mean of its minor group
  (:meth:`profgraph.sources.ilo.GenAITable.for_isco`);
- preparation: the ISCO-08 skill level of the major group; job zone and education level, with the
  indicative earnings, from Nesta's inputs for the linked occupation or its nearest broader one;
- pay: the national wage of the ISCO-08 major group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..measures import isco_skill_level, nesta_category
from ..model import Measures
from ..vocab import RELATION_WEIGHT
from .nesta import OccupationInputs, RiskTable, nearest

_GROUP_BASES = {4: "isco-unit-group", 3: "isco-minor-group"}
_ESCO_BASES = {"own": "esco-occupation", "broader": "esco-broader"}  # what profgraph.sources.nesta.nearest found


@dataclass
class Reference:
    """The reference tables measures are derived from (any may be None: its measures stay unknown), each
    with the id of the source its values cite, and ESCO's broader-occupation links."""

    risk: RiskTable | None = None
    risk_source: str | None = None
    groups: list[tuple[RiskTable, str]] = field(default_factory=list)  # ISCO fallbacks, in order, with sources
    inputs: Mapping[str, OccupationInputs] | None = None
    inputs_source: str | None = None
    genai: object | None = None  # profgraph.sources.ilo.GenAITable
    genai_source: str | None = None
    wages: Mapping[str, float] | None = None  # ISCO-08 major group -> national monthly wage
    wages_source: str | None = None
    skill_level_source: str | None = None
    broader: Mapping[str, Sequence[str]] = field(default_factory=dict)
    estimator: object | None = None  # profgraph.exposure_model.SkillProfileModel


def fit_estimator(risk: RiskTable, profiles: Mapping[str, Mapping[str, float]], iscos: Mapping[str, str | None]):
    """Return the :class:`~profgraph.exposure_model.SkillProfileModel` fitted on the risk table's
    occupations that have a skill profile (``profiles``: occupation URI -> {skill URI: weight}), or
    None when the table has no prevalence or too few such occupations."""
    from .. import exposure_model

    training = [uri for uri, record in risk.by_uri.items() if uri in profiles and record.prevalence is not None]
    if len(training) < 20:
        return None
    return exposure_model.fit([profiles[uri] for uri in training], [iscos.get(uri) or None for uri in training],
                              [[risk.by_uri[uri].risk, risk.by_uri[uri].prevalence] for uri in training])


def esco_profiles(folder: Path):
    """Return, from the ESCO download in ``folder``: occupation URI -> {skill URI: weight (that of
    :data:`~profgraph.vocab.RELATION_WEIGHT`, the higher for a skill listed twice)}, URI -> ISCO-08
    code, URI -> its broader occupations' URIs."""
    from .esco import TABLES, _broader_occupations, find_files, read_table

    files = find_files([folder])
    relations = read_table(files["relations"], TABLES["relations"][1])
    occupations = read_table(files["occupations"], TABLES["occupations"][1])
    broader = _broader_occupations(read_table(files["occupation_broader"], TABLES["occupation_broader"][1]))
    profiles: dict[str, dict[str, float]] = {}
    for occupation, relation, skill in zip(relations["occupationUri"], relations["relationType"], relations["skillUri"]):
        profile = profiles.setdefault(occupation, {})
        profile[skill] = max(RELATION_WEIGHT.get(relation, RELATION_WEIGHT["optional"]), profile.get(skill, 0.0))
    return profiles, {uri: code or None for uri, code in zip(occupations["conceptUri"], occupations["iscoGroup"])}, \
        broader


CROSS_VALIDATIONS = (("skills and ISCO group, whole profiles", {}),
                     ("skills and ISCO group, 8 skills per profile", {"cut": 8}),
                     ("skills alone, whole profiles", {"use_isco": False}),
                     ("skills alone, 8 skills per profile", {"cut": 8, "use_isco": False}))


def cross_validation(risk: RiskTable, profiles: Mapping[str, Mapping[str, float]],
                     iscos: Mapping[str, str | None]) -> list[tuple[str, dict]]:
    """Return the skill-profile model's 5-fold cross-validated agreement with the risk table's own
    occupation-level figures (:func:`profgraph.exposure_model.cross_validate`), for each of
    :data:`CROSS_VALIDATIONS` (8 skills: the median curated profile's ESCO-linked skills)."""
    from .. import exposure_model

    from scipy.stats import spearmanr

    training = [uri for uri, record in risk.by_uri.items() if uri in profiles and record.prevalence is not None]
    targets = [[risk.by_uri[uri].risk, risk.by_uri[uri].prevalence] for uri in training]
    figures = [(label, exposure_model.cross_validate([profiles[uri] for uri in training],
                                                     [iscos.get(uri) for uri in training], targets, **options))
               for label, options in CROSS_VALIDATIONS]
    # the baseline: each occupation's unit group mean over the group's other occupations (leave one out)
    groups: dict[str, list[int]] = {}
    for index, uri in enumerate(training):
        groups.setdefault(iscos.get(uri) or "", []).append(index)
    pairs = [[(sum(targets[j][k] for j in members if j != i) / (len(members) - 1), targets[i][k]) for k in (0, 1)]
             for code, members in groups.items() if code and len(members) > 1 for i in members]
    baseline = {name: float(spearmanr(*zip(*[pair[k] for pair in pairs]))[0]) for k, name in enumerate(("risk",
                                                                                                       "prevalence"))}
    return figures + [("ISCO unit group's mean alone (leave one out)", {**baseline, "n": len(pairs)})]



def _risk_values(record, basis: str, source: str | None) -> dict:
    """Return the automation-risk fields of :class:`Measures` taken from a Nesta ``record``
    (an occupation's or an ISCO group's), obtained by ``basis``, citing ``source``."""
    return dict(automation_risk=record.risk, automation_prevalence=record.prevalence,
                automation_category=record.category, automation_basis=basis, automation_source=source)

def derive_measures(reference: Reference, items: Sequence[tuple[str | None, str | None, Mapping[str, float]]],
                    risk_from_occupation: Sequence[bool] | None = None) -> list[Measures]:
    """Return the measures of each profession given as ``(ESCO occupation URI or None, ISCO-08 code or
    None, {ESCO skill URI: weight})``, by the rules of the module docstring. Where
    ``risk_from_occupation`` is False for a profession (its ESCO occupation is broader or narrower
    than it, not a close match), the occupation still gives preparation and pay, but the risk is
    estimated from the profession's own skills: a new profession is not its broader occupation."""
    from .. import exposure_model

    risk = reference.risk
    own_risk = risk_from_occupation if risk_from_occupation is not None else [True] * len(items)
    found = [nearest(uri, reference.broader, risk.by_uri.__contains__) if risk is not None and uri and use else None
             for (uri, _, _), use in zip(items, own_risk)]
    estimable = [i for i, (hit, (_, _, profile)) in enumerate(zip(found, items))
                 if hit is None and reference.estimator is not None and len(profile) >= exposure_model.MIN_SKILLS]
    estimates = {}
    if estimable:
        predicted = reference.estimator.predict([items[i][2] for i in estimable], [items[i][1] for i in estimable])
        estimates = dict(zip(estimable, predicted.tolist()))
    quartiles = risk.quartiles() if risk is not None else None
    answers = []
    for index, ((uri, isco, _), hit) in enumerate(zip(items, found)):
        values: dict = {}
        if hit is not None:
            values.update(_risk_values(risk.by_uri[hit[0]], _ESCO_BASES[hit[1]], reference.risk_source))
        elif index in estimates:
            estimated, prevalence = estimates[index]
            prevalence = min(max(prevalence, 0.0), 1.0)
            estimated = min(max(estimated, 1.0), 5.0)
            values.update(automation_risk=estimated, automation_prevalence=prevalence,
                          automation_category=nesta_category(estimated, prevalence, quartiles) if quartiles else None,
                          automation_basis="skill-profile", automation_source=reference.risk_source)
        else:
            for table, source in reference.groups:
                group = table.for_isco(isco)
                if group is not None:
                    record, code = group
                    values.update(_risk_values(record, _GROUP_BASES.get(len(code), "isco-major-group"), source))
                    break
        if values.get("automation_risk") is not None and risk is not None:
            values["automation_percentile"] = risk.exposure(values["automation_risk"])
        exposure = reference.genai.for_isco(isco) if reference.genai is not None else None
        if exposure is not None:
            values.update(genai_score=exposure[0], genai_category=exposure[1], genai_basis=exposure[2],
                          genai_percentile=reference.genai.percentile(exposure[0]),
                          genai_source=reference.genai_source)
        level = isco_skill_level(isco)
        if level is not None and reference.skill_level_source:
            values.update(skill_level=level, skill_level_source=reference.skill_level_source)
        occupation = nearest(uri, reference.broader, reference.inputs.__contains__) \
            if reference.inputs is not None and uri else None
        if occupation is not None:
            inputs = reference.inputs[occupation[0]]
            values.update(job_zone=inputs.job_zone, education_level=inputs.education_level,
                          annual_earnings=inputs.annual_earnings,
                          occupation_basis=_ESCO_BASES[occupation[1]],
                          occupation_source=reference.inputs_source)
        if reference.wages is not None and isco and isco[0] in reference.wages:
            values.update(wage_kzt=reference.wages[isco[0]], wage_source=reference.wages_source)
        answers.append(Measures(**values))
    return answers
