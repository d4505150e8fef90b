"""The static site: every profession and skill of a dataset as linked HTML pages, in up to three languages.

Layout of the folder it writes::

    index.html                  language chooser
    assets/                     vis-network, graph.js, graph.css, site.css (shared by every page)
    <lang>/index.html           professions grouped by status, then sector
    <lang>/sectors.html         professions grouped by sector, then status
    <lang>/skills.html          skills grouped by type
    <lang>/graph.html           the whole graph, interactive
    <lang>/profession/<id>.html labels, status, exposure, skills by type, top reskilling paths, a local graph
    <lang>/skill/<id>.html      the professions that need the skill
    .profgraph-site             what built the folder (so a rebuild may replace it)

Every link is relative and every asset local, so the folder works from ``file://``, a USB stick
or any web host. The ``*_context`` functions return what each template needs; a web server can
call them with its own URL builder (see :mod:`profgraph.pages`) to serve the same pages.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .atomic import replace_folder
from .errors import UsageError
from .i18n import LANGUAGE_NAMES, SKILL_TYPE_NAMES, sort_key, status_name, texts
from .model import Model, label
from .pages import OWN_ASSETS, VIS_ASSETS, RelativeUrls, asset_path, page_path, render
from .paths import DEFAULT_TOP
from .rules import Rules
from .render import build_view
from .vocab import LANGUAGES, SKILL_TYPES, STATUSES

MARKER = ".profgraph-site"
PATHS_TO = "emerging"  # profession pages show the best paths to this status


@dataclass
class SiteSummary:
    """What :func:`build_site` wrote: the folder, its languages, page counts and the seconds it took."""

    folder: Path
    languages: tuple[str, ...]
    professions: int
    skills: int
    pages: int
    seconds: float


def build_site(dataset, output: str | Path, languages=LANGUAGES, *, top: int = DEFAULT_TOP) -> SiteSummary:
    """Write the static site of ``dataset`` into the folder ``output`` and return a :class:`SiteSummary`.

    The site is built in a temporary sibling folder and renamed into place, so ``output`` holds
    the old site or the new one, never half of one. Raises :class:`~profgraph.errors.UsageError`
    for an unknown language or when ``output`` exists and is neither empty nor a profgraph site
    (so a typo never wipes a folder), OSError when it cannot be written.
    """
    started = time.perf_counter()
    languages = tuple(dict.fromkeys(languages)) or LANGUAGES
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise UsageError(f"unknown language {unknown[0]!r}; use one of {', '.join(LANGUAGES)}")
    destination = Path(output)
    if destination.exists() and not _replaceable(destination):
        raise UsageError(f"{destination} exists and is not a profgraph site; choose a new or empty folder")
    destination.parent.mkdir(parents=True, exist_ok=True)
    workspace = Path(tempfile.mkdtemp(prefix=f".{destination.name}.build-", dir=destination.parent))
    try:
        pages = _write_site(dataset, workspace, languages, top)
        model = dataset.model
        (workspace / MARKER).write_text(json.dumps({
            "dataset": model.name, "languages": list(languages), "professions": len(model.professions),
            "skills": len(model.skills), "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }, indent=2), encoding="utf-8")
        os.chmod(workspace, 0o755)
        replace_folder(workspace, destination)
    except BaseException:
        shutil.rmtree(workspace, ignore_errors=True)
        raise
    return SiteSummary(destination, languages, len(dataset.model.professions), len(dataset.model.skills), pages,
                       time.perf_counter() - started)


def _replaceable(folder: Path) -> bool:
    return folder.is_dir() and ((folder / MARKER).is_file() or not any(folder.iterdir()))


def _write_site(dataset, folder: Path, languages: tuple[str, ...], top: int) -> int:
    model = dataset.model
    (folder / "assets").mkdir()
    for name in OWN_ASSETS + VIS_ASSETS:
        shutil.copyfile(asset_path(name), folder / "assets" / name)
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
        common = {"lang": lang, "words": texts(lang), "language_names": LANGUAGE_NAMES,
                  "footer": _footer(model, lang)}
        for kind, template, context in (("index", "site/index.html", index_context),
                                        ("sectors", "site/sectors.html", sectors_context),
                                        ("skills", "site/skills.html", skills_context)):
            page = page_path(lang, kind)
            write(page, template, RelativeUrls(page, lang, languages, kind), **common, **context(model, lang))
        page = page_path(lang, "graph")
        urls = RelativeUrls(page, lang, languages, "graph")
        write(page, "site/graph.html", urls, **common, **graph_context(dataset, lang, urls))
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


def _footer(model: Model, lang: str) -> str:
    from .render import footer

    return footer(model, lang)


def page_links(urls) -> Callable[[str, str], str]:
    """Return ``page_url(kind, id)`` for graph nodes: the page of a profession or skill, the sector's
    entry in the sector index."""
    def page_url(kind: str, entity_id: str) -> str:
        if kind == "sector":
            return f"{urls.page('sectors')}#sector-{entity_id}"
        return urls.page(kind, entity_id)

    return page_url


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
        for skill in profession.essential:
            needed[skill]["essential"].append(pid)
        for skill in profession.optional:
            needed[skill]["optional"].append(pid)
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


def _skill_links(model: Model, skill_ids, lang: str) -> list[dict]:
    """Return ``[{"type", "name", "skills": [{"id", "label"}]}]`` for the types that have skills, in type order."""
    groups = []
    for skill_type in SKILL_TYPES:
        skills = [{"id": skill, "label": label(model.skills[skill], lang)} for skill in skill_ids
                  if model.skills[skill].type == skill_type]
        if skills:
            groups.append({"type": skill_type, "name": SKILL_TYPE_NAMES[lang][skill_type], "skills": skills})
    return groups


def profession_context(dataset, profession_id: str, lang: str, urls, *, top: int = DEFAULT_TOP) -> dict:
    """Context of a profession page: ``profession`` (labels, status, sector, ISCO, exposure and its
    source, ESCO link, skills by type, transformations), ``report`` (the best reskilling paths to
    emerging professions, from :func:`profgraph.reports.reskilling_report_for`) and ``graph`` (the
    local graph's widget context, those paths highlighted)."""
    model = dataset.model
    profession = model.professions[profession_id]
    view = build_view(dataset, profession_id=profession_id, depth=1, to=PATHS_TO, lang=lang, top=top,
                      page_url=page_links(urls))
    from .reports import profession_card, successor_reports

    source = model.sources.get(profession.exposure_source) if profession.exposure_source else None
    successors = model.successors(profession_id)
    origins = [t.origin for t in model.transformations if t.successor == profession_id]
    return {
        "title": label(profession, lang),
        "profession": {
            **_entry(model, profession_id, lang),
            "labels": {other: profession.labels[other] for other in LANGUAGES if profession.labels.get(other)},
            "alt_labels": list(profession.alt_labels.get(lang, ())),
            "sector": {"id": profession.sector, "label": _sector_label(model, profession.sector, lang)}
            if profession.sector in model.sectors else None,
            "isco08": profession.isco08,
            "source": None if source is None else {"title": source.title, "url": source.url},
            "esco_uri": profession.esco_uri,
            "essential": _skill_links(model, profession.essential, lang),
            "optional": _skill_links(model, profession.optional, lang),
            "transforms_into": _sorted_entries(model, successors, lang),
            "measures": profession_card(model, profession_id, lang)["measures"],
            "successors": successor_reports(dataset, profession_id, Rules(), lang=lang),
            "transforms_from": _sorted_entries(model, origins, lang),
        },
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
                  "labels": {other: skill.labels[other] for other in LANGUAGES if skill.labels.get(other)},
                  "alt_labels": list(skill.alt_labels.get(lang, ())), "esco_uri": skill.esco_uri},
        "essential": _sorted_entries(model, needed["essential"], lang),
        "optional": _sorted_entries(model, needed["optional"], lang),
    }


def graph_context(dataset, lang: str, urls) -> dict:
    """Context of the whole-graph page: the widget context of :func:`profgraph.render.build_view` with page links."""
    view = build_view(dataset, lang=lang, page_url=page_links(urls))
    return {"title": view.title, "graph": view.widget_context()}

