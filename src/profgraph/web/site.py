"""The static site: every profession and skill of a dataset as linked HTML pages, in up to three languages.

Layout of the folder it writes::

    index.html                  language chooser
    assets/                     vis-network, graph.js, graph.css, search.js, site.css (shared by every page)
                                and search-index.js (every name's search key, for the search box)
    <lang>/index.html           professions grouped by status, then sector
    <lang>/sectors.html         professions grouped by sector, then status
    <lang>/skills.html          skills grouped by type
    <lang>/graph.html           the whole graph, interactive
    <lang>/profession/<id>.html labels, status, exposure, skills by type, top reskilling paths, a local graph
    <lang>/skill/<id>.html      the professions that need the skill
    .profgraph-output           what built the folder and every file it wrote (so a rebuild may replace it)

Every link is relative and every asset local, so the folder works from ``file://``, a USB stick
or any web host. The ``*_context`` functions return what each template needs; a web server can
call them with its own URL builder (see :mod:`profgraph.web.templating`) to serve the same pages.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..atomic import OutputFolder
from ..errors import UsageError
from .i18n import LANGUAGE_NAMES, SKILL_TYPE_NAMES, other_languages, sort_key, source_name, status_name, texts
from ..lookup import folding_tables, names_of, search_key
from ..model import Model, label
from .templating import OWN_ASSETS, PAGE_KINDS, VIS_ASSETS, RelativeUrls, asset_path, page_name, page_path, render
from ..reskilling import DEFAULT_MAX_STEPS, DEFAULT_TOP
from ..rules import DEFAULT_MIN_COVERAGE, Rules
from .graphview import build_view, footer
from ..vocab import LANGUAGES, LEARNABLE_SKILL_TYPES, SKILL_TYPES, STATUSES, TRAIT

PATHS_TO = "emerging"  # profession pages show the best paths to this status
SEARCH_INDEX = "search-index.js"  # the search box's index, written beside the other assets


@dataclass
class SiteSummary:
    """What :func:`build_site` wrote: the folder, its languages, page counts and the seconds it took."""

    folder: Path
    languages: tuple[str, ...]
    professions: int
    skills: int
    pages: int
    seconds: float


def build_site(dataset, output: str | Path, languages=LANGUAGES, *, top: int = DEFAULT_TOP,
               force: bool = False) -> SiteSummary:
    """Write the static site of ``dataset`` into the folder ``output`` and return a :class:`SiteSummary`.

    The site is built in a temporary sibling folder and renamed into place, so ``output`` holds
    the old site or the new one, never half of one. Raises :class:`~profgraph.errors.UsageError`
    for an unknown language or when ``output`` holds anything but an earlier site, unless
    ``force`` moves it aside (:class:`~profgraph.atomic.OutputFolder`: nothing profgraph did not
    write is ever deleted), OSError when it cannot be written.
    """
    started = time.perf_counter()
    languages = tuple(dict.fromkeys(languages)) or LANGUAGES
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise UsageError(f"unknown language {unknown[0]!r}; use one of {', '.join(LANGUAGES)}")
    destination = Path(output)
    model = dataset.model
    details = {"dataset": model.name, "languages": list(languages), "professions": len(model.professions),
               "skills": len(model.skills)}
    store_path = getattr(dataset, "path", None)
    with OutputFolder(destination, "site", force=force, inputs=[store_path], details=details) as site_folder:
        pages = _write_site(dataset, site_folder.workspace, languages, top)
    return SiteSummary(destination, languages, len(model.professions), len(model.skills), pages,
                       time.perf_counter() - started)


def _write_site(dataset, folder: Path, languages: tuple[str, ...], top: int) -> int:
    model = dataset.model
    (folder / "assets").mkdir()
    for name in OWN_ASSETS + VIS_ASSETS:
        shutil.copyfile(asset_path(name), folder / "assets" / name)
    (folder / "assets" / SEARCH_INDEX).write_text(search_index_script(model), encoding="utf-8")
    written = 0
    requirements = needed_by(model)

    def write(page: str, template: str, urls: RelativeUrls, **context) -> None:
        nonlocal written
        target = folder / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(template, urls=urls, **context), encoding="utf-8")
        written += 1

    write("index.html", "site/languages.html", RelativeUrls("index.html", languages[0], languages, "home"),
          **languages_context(languages))
    for lang in languages:
        common = page_values(model, lang)
        for kind in PAGE_KINDS:
            page = page_path(lang, kind)
            urls = RelativeUrls(page, lang, languages, kind)
            write(page, f"site/{kind}.html", urls, **common, **list_context(dataset, kind, lang, urls))
        for profession_id in model.professions:
            page = page_path(lang, "profession", profession_id)
            urls = RelativeUrls(page, lang, languages, "profession", profession_id)
            write(page, "site/profession.html", urls, **common,
                  **profession_context(dataset, profession_id, lang, urls, top=top))
        for skill_id in model.skills:
            page = page_path(lang, "skill", skill_id)
            write(page, "site/skill.html", RelativeUrls(page, lang, languages, "skill", skill_id), **common,
                  **skill_context(model, skill_id, lang, requirements))
    return written


def page_values(model: Model, lang: str) -> dict:
    """Return what every page in ``lang`` shows, whoever serves it: ``lang``, ``words``,
    ``language_names`` and the ``footer`` line (:func:`profgraph.web.graphview.footer`)."""
    return {"lang": lang, "words": texts(lang), "language_names": LANGUAGE_NAMES, "footer": footer(model, lang)}


def list_context(dataset, kind: str, lang: str, urls) -> dict:
    """Return the context of the list page ``kind`` (a key of
    :data:`~profgraph.web.templating.PAGE_KINDS`: index, skills, sectors or graph) in ``lang``."""
    if kind == "graph":
        return graph_context(dataset, lang, urls)
    return {"index": index_context, "sectors": sectors_context, "skills": skills_context}[kind](dataset.model, lang)


def page_links(urls) -> Callable[[str, str], str]:
    """Return ``page_url(kind, id)`` for graph nodes: the page of a profession or skill, the sector's
    entry in the sector index."""
    def page_url(kind: str, entity_id: str) -> str:
        if kind == "sector":
            return f"{urls.page('sectors')}#sector-{entity_id}"
        return urls.page(kind, entity_id)

    return page_url


def search_index(model: Model) -> dict:
    """Return the search box's index: ``fold`` (:func:`profgraph.lookup.folding_tables`, to fold a
    query as the CLI does) and ``entries``, one per profession and skill:
    ``[kind, id, page file name, status or "", {lang: label}, [[search key, name], ...]]`` over its
    labels and synonyms in every language (one name per key)."""
    entries = []
    for kind, entities in (("profession", model.professions), ("skill", model.skills)):
        for entity in entities.values():
            keys = {}
            for name in names_of(entity):
                keys.setdefault(search_key(name), name)
            entries.append([kind, entity.id, page_name(entity.id), getattr(entity, "status", None) or "",
                            dict(entity.labels), [[key, name] for key, name in keys.items() if key]])
    return {"fold": folding_tables(), "entries": entries}


def search_index_script(model: Model) -> str:
    """Return :func:`search_index` as a script that sets ``window.PROFGRAPH_INDEX`` (a script, not a
    JSON file, so that pages opened from ``file://`` can load it)."""
    text = json.dumps(search_index(model), ensure_ascii=False, separators=(",", ":"))
    # inside a script, "</" could end it early when inlined; U+2028/9 end a line in older engines
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.PROFGRAPH_INDEX = {text};\n"


def _entry(model: Model, profession_id: str, lang: str) -> dict:
    profession = model.professions[profession_id]
    return {"id": profession.id, "label": label(profession, lang), "status": profession.status,
            "status_name": status_name(profession.status, lang), "exposure": profession.exposure}


def _sorted_entries(model: Model, profession_ids, lang: str) -> list[dict]:
    return sorted((_entry(model, pid, lang) for pid in profession_ids), key=lambda entry: sort_key(entry["label"]))


def _sector_label(model: Model, sector_id: str | None, lang: str) -> str:
    return label(model.sectors[sector_id], lang) if sector_id in model.sectors else "—"


def languages_context(languages) -> dict:
    """Context of the language chooser: each language's name, site title and introduction."""
    return {"choices": [{"lang": lang, "name": LANGUAGE_NAMES[lang], "title": texts(lang)["site_title"],
                         "intro": texts(lang)["site_intro"]} for lang in languages]}


def index_context(model: Model, lang: str) -> dict:
    """Context of the index: ``groups``, one per status (in :data:`STATUSES` order, then unknown),
    each with its ``sectors`` (sorted by label), each with its professions (sorted by label)."""
    groups = []
    for status in (*STATUSES, None):
        members = [pid for pid, profession in model.professions.items() if profession.status == status]
        if not members:
            continue
        by_sector: dict[str | None, list[str]] = {}
        for pid in members:
            by_sector.setdefault(model.professions[pid].sector, []).append(pid)
        sectors = [{"id": sector or "unknown", "label": _sector_label(model, sector, lang),
                    "professions": _sorted_entries(model, pids, lang)} for sector, pids in by_sector.items()]
        sectors.sort(key=lambda sector: sort_key(sector["label"]))
        groups.append({"status": status or "unknown", "name": status_name(status, lang), "count": len(members),
                       "sectors": sectors})
    return {"title": texts(lang)["by_status"], "groups": groups, "total": len(model.professions)}


def sectors_context(model: Model, lang: str) -> dict:
    """Context of the sector index: ``sectors`` (sorted by label), each with ``statuses`` and their professions."""
    sectors = []
    sector_ids = list(model.sectors) + ([None] if any(p.sector not in model.sectors for p in
                                                      model.professions.values()) else [])
    for sector_id in sector_ids:
        members = [pid for pid, p in model.professions.items()
                   if (p.sector == sector_id if sector_id else p.sector not in model.sectors)]
        statuses = [{"status": status or "unknown", "name": status_name(status, lang),
                     "professions": _sorted_entries(model, [pid for pid in members
                                                            if model.professions[pid].status == status], lang)}
                    for status in (*STATUSES, None)]
        sectors.append({"id": sector_id or "unknown", "label": _sector_label(model, sector_id, lang),
                        "code": model.sectors[sector_id].code if sector_id else "", "count": len(members),
                        "statuses": [group for group in statuses if group["professions"]]})
    sectors.sort(key=lambda sector: sort_key(sector["label"]))
    return {"title": texts(lang)["by_sector"], "sectors": sectors}


def needed_by(model: Model) -> dict[str, dict[str, list[str]]]:
    """Return, for every skill id, the ids of the professions that need it as ``essential`` and ``optional``."""
    needed: dict[str, dict[str, list[str]]] = {skill: {"essential": [], "optional": []} for skill in model.skills}
    for pid, profession in model.professions.items():
        for skill, relation, _ in profession.requirements():
            needed[skill][relation].append(pid)
    return needed


def skills_context(model: Model, lang: str) -> dict:
    """Context of the skill index: ``types``, each with its skills (sorted by label) and how many
    professions need each."""
    needed = needed_by(model)
    types = []
    for skill_type in SKILL_TYPES:
        skills = [{"id": skill.id, "label": label(skill, lang),
                   "count": len(needed[skill.id]["essential"]) + len(needed[skill.id]["optional"])}
                  for skill in model.skills.values() if skill.type == skill_type]
        skills.sort(key=lambda skill: sort_key(skill["label"]))
        types.append({"type": skill_type, "name": SKILL_TYPE_NAMES[lang][skill_type], "skills": skills})
    return {"title": texts(lang)["skills_by_type"], "types": types}


def _skill_links(model: Model, skill_ids, lang: str, levels: dict | None = None,
                 types: tuple[str, ...] = LEARNABLE_SKILL_TYPES) -> list[dict]:
    """Return ``[{"type", "name", "skills": [{"id", "label", "level"}]}]`` for the ``types`` that have
    skills, in type order (by default the learnable ones: traits are listed apart)."""
    groups = []
    for skill_type in types:
        skills = [{"id": skill, "label": label(model.skills[skill], lang), "level": (levels or {}).get(skill)}
                  for skill in skill_ids if model.skills[skill].type == skill_type]
        if skills:
            groups.append({"type": skill_type, "name": SKILL_TYPE_NAMES[lang][skill_type], "skills": skills})
    return groups


def _measures_context(model: Model, profession_id: str, lang: str) -> dict:
    """The measures of a profession page (:func:`profgraph.answers.measures_summary`), each source named in
    ``lang`` (:func:`profgraph.web.i18n.source_name`), with its skill level, job zone and wage."""
    from ..answers import measures_summary

    m = model.professions[profession_id].measures

    def named(source_id):
        found = model.sources.get(source_id) if source_id else None
        return None if found is None else {"title": source_name(found, lang), "url": found.url}

    summary = measures_summary(model, profession_id)
    return {"automation": {**summary["automation"], "source": named(m.automation_source)},
            "genai": {**summary["genai"], "source": named(m.genai_source)},
            "preparation": {"isco_skill_level": m.skill_level, "job_zone": m.job_zone},
            "pay": {"wage_kzt": m.wage_kzt, "wage_source": named(m.wage_source)}}


def profession_context(dataset, profession_id: str, lang: str, urls, *, top: int = DEFAULT_TOP) -> dict:
    """Context of a profession page: ``profession`` (labels, status, sector, ISCO, exposure and its
    source, its ``measures``, ESCO link, skills by type, transformations: each successor with
    ``reachable`` and ``steps`` (the shortest path of viable steps through acceptable stepping stones,
    :func:`profgraph.answers.successor_reports`), what the rules object to (``blocked_by``) and
    the skills missing), ``report`` (the best reskilling paths to
    emerging professions, from :func:`profgraph.answers.reskilling_report_for`) and ``graph`` (the
    local graph's widget context, those paths highlighted)."""
    from ..answers import successor_reports

    model = dataset.model
    profession = model.professions[profession_id]
    view = build_view(dataset, profession_id=profession_id, depth=1, to=PATHS_TO, lang=lang, top=top,
                      page_url=page_links(urls))
    source = model.sources.get(profession.exposure_source) if profession.exposure_source else None
    successors = sorted(({**_entry(model, found["profession"]["id"], lang),
                          **{key: found[key] for key in ("reachable", "steps", "blocked_by", "missing_skills")}}
                         for found in successor_reports(dataset, profession_id, Rules(), lang=lang)),
                        key=lambda entry: sort_key(entry["label"]))
    measures = _measures_context(model, profession_id, lang)
    origins = [t.origin for t in model.transformations if t.successor == profession_id]
    return {
        "title": label(profession, lang),
        "profession": {
            **_entry(model, profession_id, lang),
            "labels": {LANGUAGE_NAMES[other]: profession.labels[other] for other in other_languages(lang)
                       if profession.labels.get(other)},
            "alt_labels": list(profession.alt_labels.get(lang, ())),
            "sector": {"id": profession.sector, "label": _sector_label(model, profession.sector, lang)}
            if profession.sector in model.sectors else None,
            "isco08": profession.isco08,
            "source": None if source is None else {"title": source_name(source, lang), "url": source.url},
            "esco_uri": profession.esco_uri,
            "essential": _skill_links(model, profession.essential, lang, profession.levels),
            "optional": _skill_links(model, profession.optional, lang, profession.levels),
            "traits": _skill_links(model, profession.skills, lang, types=(TRAIT,)),
            "transforms_into": successors,
            "measures": measures,
            "transforms_from": _sorted_entries(model, origins, lang),
        },
        "rules": {"percent": round(DEFAULT_MIN_COVERAGE * 100), "steps": DEFAULT_MAX_STEPS},
        "report": view.report,
        "paths_title": texts(lang)["paths_heading"].format(target=status_name(PATHS_TO, lang)),
        "skill_type_names": SKILL_TYPE_NAMES[lang],
        "graph": view.widget_context(show_paths=False),
    }


def skill_context(model: Model, skill_id: str, lang: str, requirements: dict | None = None) -> dict:
    """Context of a skill page: ``skill`` (labels, type, ESCO link) and the professions that need it,
    as ``essential`` and ``optional`` lists sorted by label. ``requirements`` (from :func:`needed_by`)
    saves recounting when many skill pages are built."""
    skill = model.skills[skill_id]
    needed = (requirements or needed_by(model))[skill_id]
    return {
        "title": label(skill, lang),
        "skill": {"id": skill.id, "label": label(skill, lang), "type": skill.type,
                  "type_name": SKILL_TYPE_NAMES[lang][skill.type],
                  "labels": {LANGUAGE_NAMES[other]: skill.labels[other] for other in other_languages(lang)
                             if skill.labels.get(other)},
                  "alt_labels": list(skill.alt_labels.get(lang, ())), "esco_uri": skill.esco_uri},
        "essential": _sorted_entries(model, needed["essential"], lang),
        "optional": _sorted_entries(model, needed["optional"], lang),
    }


def graph_context(dataset, lang: str, urls) -> dict:
    """Context of the whole-graph page: the widget context of :func:`profgraph.web.graphview.build_view` with page links."""
    view = build_view(dataset, lang=lang, page_url=page_links(urls))
    return {"title": view.title, "graph": view.widget_context()}

