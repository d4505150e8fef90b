"""A printable plan for a client: one self-contained HTML page (no graph, A4) with the client's current
job and risk level in plain words and the best reskilling paths, each step with the skills to learn by
type, coverage, preparation, pay and risk before -> after; the date, the data sources and the version
in the footer. The paths are :func:`profgraph.answers.reskilling_report`'s, so the plan says what the
CLI, the API and the pages say."""

from __future__ import annotations

import datetime

from ..client import with_client
from .i18n import SKILL_TYPE_NAMES, STATUS_NAMES, source_name, texts
from ..answers import reskilling_report
from ..rules import Rules

PLAN_PATHS = 3  # the paths a plan shows: what fits two A4 pages
DEFAULT_TARGET = "emerging"  # what a plan looks for paths to


def plan_context(dataset, name: str, *, to: str = DEFAULT_TARGET, lang: str = "ru", rules: Rules | None = None,
                 have=(), lack=(), profile: dict | None = None, today: datetime.date | None = None) -> dict:
    """Return what the plan template needs: ``report`` (the :data:`PLAN_PATHS` best paths from the
    profession ``name`` to ``to`` for the client's skills), ``status``, ``skill_type_names``,
    ``sources`` (the names, in ``lang``, of the sources of the figures shown), ``date`` and ``version``.
    Raises what :func:`profgraph.answers.reskilling_report` raises."""
    from .. import __version__

    report = reskilling_report(dataset, name, to, top=PLAN_PATHS, lang=lang, rules=rules, have=have, lack=lack,
                               profile=profile)
    report = with_client(dataset, report, lang)
    model = dataset.model
    shown = {report["origin"]["id"]} | {step["to"]["id"] for path in report["paths"] for step in path["steps"]}
    cited = set()
    for pid in shown:
        measures = model.professions[pid].measures
        cited |= {measures.automation_source, measures.genai_source}
        if any(path["pay_basis"] == "kz-wage" for path in report["paths"]):
            cited.add(measures.wage_source)
    sources = sorted({source_name(model.sources[sid], lang) for sid in cited if sid in model.sources})
    return {"report": report, "status": STATUS_NAMES[lang].get(report["origin"]["status"] or "", ""),
            "skill_type_names": SKILL_TYPE_NAMES[lang], "sources": sources,
            "date": (today or datetime.date.today()).isoformat(), "version": __version__, "lang": lang,
            "words": texts(lang)}


def plan_page(dataset, name: str, **options) -> str:
    """Return the plan as one self-contained HTML page (:func:`plan_context` with ``options``)."""
    from .templating import render

    return render("plan.html", **plan_context(dataset, name, **options))
