"""Interactive graph views: a selection of the graph drawn with vis-network (through pyvis).

A *view* is the neighbourhood of one profession (its skills, its sector, the professions it can
move to or from, what it transforms into and from, ``depth`` hops out) or the whole graph,
filtered by status and sector. With ``to``, the best reskilling paths from the profession are
highlighted (computed by :func:`profgraph.answers.reskilling_report_for`).

Node colour says the status (skills: their type), shape the kind (profession: dot, skill:
diamond, sector: box); every profession is drawn the same size (the view's own profession
larger), so size never reads as "more is better" or "worse". Coverage shows as a percentage on
the highlighted path edges and on hover. Views over ``max_nodes`` are capped:
professions linked to the fewest others and skills needed by the fewest shown professions
are hidden first, and the page says what it hid.

The page written by :func:`write_graph_page` is one self-contained file: vis-network (shipped
inside pyvis), the styles and the data are inline; it fetches nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ..errors import UsageError, shown
from .i18n import LANGUAGE_NAMES, SKILL_TYPE_NAMES, other_languages, source_name, status_name, texts
from ..lookup import folding_tables, names_of, search_key
from ..model import Model, label
from ..reskilling import DEFAULT_MIN_COVERAGE, DEFAULT_TOP
from ..vocab import LANGUAGES, SKILL_TYPES, STATUSES

DEFAULT_DEPTH = 1
MAX_DEPTH = 5
DEFAULT_MAX_NODES = 1000
MIN_MAX_NODES = 10
MAX_MAX_NODES = 3000  # the Python layout holds a few node x node matrices; vis-network slows down past this
EDGES_PER_NODE = 4  # the edge cap is this many times the node cap
WHOLE_GRAPH_PROFESSION_SHARE = 0.5  # of a capped whole-graph view's nodes, at most this share are professions
SIMILAR_LIMIT = 8  # professions a worker can move to or from, shown around each profession of a neighbourhood
DIMMED_OPACITY = 0.3  # the fill of nodes and edges off the highlighted paths
DIMMED_LABEL_COLOUR = "#5F5F5F"  # labels off the paths stay readable: contrast 6.4:1 on white
LABEL_BACKGROUND = "rgba(255, 255, 255, 0.85)"  # edges pass under a label, not through its letters
SKILL_LABEL_CHARACTERS = 24  # longer skill labels are shortened on the canvas (full text on hover)
PROFESSION_SIZE, FOCUS_SIZE = 16, 24

# Paul Tol's colours (the muted teal and sand, the high-contrast blue, the vibrant red): the four
# statuses stay apart in greyscale (CIELAB lightness 64, 82, 29 and 46) and under deuteranomaly,
# protanomaly and tritanomaly (tests/test_render.py simulates them); Okabe-Ito's orange and
# vermilion, used before, were one orange to many readers.
STATUS_COLOURS = {"emerging": "#44AA99", "transforming": "#DDCC77", "stable": "#004488", "disappearing": "#CC3311"}
UNKNOWN_STATUS_COLOUR = "#9E9E9E"
NODE_BORDER = "#333333"  # the light sand needs an outline on white
SKILL_TYPE_COLOURS = {"digital": "#56B4E9", "cognitive": "#F0E442", "socio_behavioural": "#CC79A7",
                      "professional": "#B8B8B8", "trait": "#009E73"}
SECTOR_COLOUR = "#F2F2F2"
EDGE_COLOURS = {"essential": "#A8A8A8", "optional": "#C8C8C8", "sector": "#D8D8D8", "transformation": "#333333",
                "transition": "#7A7A7A", "path": "#E6007E"}
# Spring lengths (browser physics) and strengths (Python layout): professions gather round their
# sector, skills sit further out.
EDGE_LENGTHS = {"essential": 200, "optional": 220, "sector": 150, "transformation": 180, "transition": 220, "path": 200}
EDGE_STRENGTHS = {"essential": 2.0, "optional": 1.0, "sector": 2.0, "transformation": 1.5, "transition": 1.0,
                  "path": 2.0}
BROWSER_LAYOUT_LIMIT = 150  # larger views are laid out in Python (layout.py); the browser only polishes them
LAYOUT_SPACING = 45.0  # about half the distance between neighbouring nodes of a Python layout, in pixels
DATASET_NAMES = {"esco": "ESCO"}  # how a page names a dataset other than the embedded one
FONT = "system-ui, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif"


def node_id(kind: str, entity_id: str) -> str:
    """Return the id of a node in a view: ``kind:entity_id`` (a skill and a profession may share a slug)."""
    return f"{kind}:{entity_id}"


@dataclass
class GraphView:
    """A drawable selection of the graph.

    ``nodes`` and ``edges`` hold vis-network options (pyvis ``add_node``/``add_edge`` keyword
    arguments plus ``id``, and ``source``/``to`` for edges); ``details`` maps a node id to what
    the side panel shows about it; ``paths`` lists the highlighted paths (``rank``, ``route``,
    ``nodes``, ``edges``, ``newSkills``, ``score``, ``coverage``: each step's as a whole percentage); ``notes`` says, in the view's language,
    what was filtered or capped; ``report`` is the reskilling report behind ``paths``.
    """

    title: str
    lang: str
    nodes: list[dict]
    edges: list[dict]
    details: dict[str, dict]
    focus: str | None = None
    paths: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_nodes: int = 0
    report: dict | None = None
    footer: str = ""

    @property
    def laid_out(self) -> bool:
        """True when the nodes carry positions computed in Python (the page only polishes them)."""
        return bool(self.nodes) and "x" in self.nodes[0]

    def network(self):
        """Return the view as a :class:`pyvis.network.Network` (directed, with this view's physics options).

        Its options are a dict, which pyvis's ``get_network_data`` returns as a JSON string."""
        from pyvis.network import Network

        network = Network(directed=True)
        for node in self.nodes:
            options = dict(node)
            network.add_node(options.pop("id"), **options)
        for edge in self.edges:
            options = dict(edge)
            network.add_edge(options.pop("source"), options.pop("to"), **options)
        network.options = vis_options(len(self.nodes), len(self.edges), self.laid_out)
        return network

    def page_data(self) -> dict:
        """Return everything the page script needs: vis nodes, edges and options, details, paths, focus."""
        nodes, edges, _heading, _height, _width, options = self.network().get_network_data()
        words = texts(self.lang)
        return {"nodes": nodes, "edges": edges, "options": json.loads(options), "details": self.details,
                "paths": self.paths, "focus": self.focus, "dimmed": DIMMED_OPACITY,
                "dimmedLabel": DIMMED_LABEL_COLOUR, "spread": len(self.nodes) <= BROWSER_LAYOUT_LIMIT,
                "fold": folding_tables(), "words": {key: words[key] for key in ("no_match", "open_page")}}

    def widget_context(self, show_paths: bool = True) -> dict:
        """Return the context graph_widget.html needs to draw this view."""
        return {"view": self, "words": texts(self.lang), "legend": legend(self.lang), "data": self.page_data(),
                "show_paths": show_paths}


def legend(lang: str) -> dict:
    """Return the legend in ``lang``: ``statuses`` and ``skill_types`` as (name, colour) pairs,
    ``sector`` (a colour) and ``edges`` as (name, colour, line style) triples."""
    words = texts(lang)
    return {
        "statuses": [(status_name(status, lang), STATUS_COLOURS[status]) for status in STATUSES],
        "skill_types": [(SKILL_TYPE_NAMES[lang][skill_type], SKILL_TYPE_COLOURS[skill_type])
                        for skill_type in SKILL_TYPES],
        "sector": SECTOR_COLOUR,
        "edges": [(words["essential"], EDGE_COLOURS["essential"], "solid"),
                  (words["optional"], EDGE_COLOURS["optional"], "dashed"),
                  (words["transforms_into"], EDGE_COLOURS["transformation"], "solid"),
                  (words["transition"], EDGE_COLOURS["transition"], "dashed"),
                  (words["path"], EDGE_COLOURS["path"], "thick")],
    }


def graph_page(view: GraphView) -> str:
    """Return the self-contained HTML page of ``view``: vis-network, styles, script and data inline."""
    from .templating import render

    return render("graph_page.html", **view.widget_context())


def write_graph_page(view: GraphView, path):
    """Write :func:`graph_page` of ``view`` to ``path`` atomically; return the path. Raises OSError."""
    from ..atomic import write_text_atomic

    return write_text_atomic(path, graph_page(view))


def vis_options(node_count: int, edge_count: int, laid_out: bool = False) -> dict:
    """Return vis-network options for a view of ``node_count`` nodes and ``edge_count`` edges.

    The browser runs a bounded number of physics iterations before the first paint: a few to
    push apart overlapping nodes of a view ``laid_out`` in Python, more to lay out a small view
    from scratch. Then the page script turns physics off, so nothing drifts while a counsellor reads.
    """
    large = node_count > BROWSER_LAYOUT_LIMIT or edge_count > 4 * BROWSER_LAYOUT_LIMIT
    return {
        "layout": {"randomSeed": 7, "improvedLayout": node_count <= 100},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -20000, "centralGravity": 0.2,
                          "springConstant": 0.03, "damping": 0.25, "avoidOverlap": 0.5},
            "minVelocity": 1.5,
            "stabilization": {"enabled": True, "iterations": 60 if laid_out else 500, "updateInterval": 25,
                              "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "keyboard": {"enabled": False}},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "selectionWidth": 2, "font": {"size": 11, "face": FONT, "strokeWidth": 3}},
        "nodes": {"font": {"face": FONT}},
    }


def build_view(dataset, name: str | None = None, *, profession_id: str | None = None, depth: int = DEFAULT_DEPTH,
               to: str | None = None, statuses=(), sectors=(), lang: str = "ru", max_nodes: int = DEFAULT_MAX_NODES,
               min_coverage: float = DEFAULT_MIN_COVERAGE, top: int = DEFAULT_TOP,
               page_url: Callable[[str, str], str] | None = None) -> GraphView:
    """Return the :class:`GraphView` of profession ``name``'s neighbourhood (or that of the
    profession whose id is ``profession_id``), or of the whole graph when neither is given.

    ``statuses`` and ``sectors`` keep only professions with those statuses / in those sectors
    (sectors by id, code or label; the profession ``name`` and path professions always stay).
    ``to`` (a status or a profession name; needs ``name``) highlights the ``top`` best
    reskilling paths. ``page_url(kind, id)``, when given, links each node's details to its page.

    Raises :class:`~profgraph.errors.UsageError` for an option out of range or an unknown
    status or sector, :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous`
    for a name that does not resolve.
    """
    if lang not in LANGUAGES:
        raise UsageError("{lang} must be one of {languages}, not {value!r}", "lang", languages=", ".join(LANGUAGES),
                         value=lang)
    if not 0 <= depth <= MAX_DEPTH:
        raise UsageError("{depth} must be between 0 and {high}, not {value}", "depth", high=MAX_DEPTH, value=depth)
    if not MIN_MAX_NODES <= max_nodes <= MAX_MAX_NODES:
        raise UsageError("{max_nodes} must be between {low} and {high}, not {value}", "max_nodes",
                         low=MIN_MAX_NODES, high=MAX_MAX_NODES, value=max_nodes)
    if to and not (name or profession_id):
        raise UsageError("{to} needs the profession the paths start from ({name})", "to")
    model = dataset.model
    words = texts(lang)
    wanted_statuses = _statuses(statuses)
    wanted_sectors = _sectors(model, sectors)

    def allowed(pid: str) -> bool:
        profession = model.professions[pid]
        return ((not wanted_statuses or profession.status in wanted_statuses)
                and (not wanted_sectors or profession.sector in wanted_sectors))

    report, links, origin, forced = None, set(), None, []
    graph = dataset.transition_graph(min_coverage)
    if name is None and profession_id is None:
        professions = _by_links(model, graph, min_coverage, [pid for pid in model.professions if allowed(pid)])
    else:
        origin = profession_id if profession_id is not None else dataset.names.resolve(name).id
        if origin not in model.professions:
            raise UsageError(f"no profession has the id {origin!r}")
        professions, links = _neighbourhood(model, graph, origin, depth, min_coverage, allowed)
        forced = [origin]
        if to:
            report = _report(dataset, origin, to, top=top, min_coverage=min_coverage, lang=lang)
            forced += [step["to"]["id"] for path in report["paths"] for step in path["steps"]]
            forced = list(dict.fromkeys(forced))
            professions = list(dict.fromkeys(forced + professions))
    view = _Assembly(model, lang, page_url)
    view.select(professions, forced, origin, max_nodes)
    view.add_edges(graph, links, min_coverage, max_nodes * EDGES_PER_NODE)
    if report:
        view.add_paths(report)
    filters = [status_name(status, lang) for status in wanted_statuses]
    filters += [label(model.sectors[sector], lang) for sector in wanted_sectors]
    if filters:
        view.notes.insert(0, words["filtered"].format(filters=", ".join(filters)))
    if len(view.nodes) > BROWSER_LAYOUT_LIMIT:
        view.place()
    return GraphView(_title(model, origin, report, lang), lang, view.nodes, view.edges, view.details,
                     focus=None if origin is None else node_id("profession", origin), paths=view.paths,
                     notes=view.notes, total_nodes=view.total, report=report, footer=footer(model, lang))


def _title(model: Model, origin: str | None, report: dict | None, lang: str) -> str:
    words = texts(lang)
    if origin is None:
        return words["whole_graph"]
    name = label(model.professions[origin], lang)
    if report is None:
        return words["neighbourhood"].format(name=name)
    target = report["target"]
    if target.get("set") == "safer":
        return words["paths_to_safer"].format(name=name)
    if "status" in target:
        return words["paths_to_status"].format(name=name, target=status_name(target["status"], lang))
    return words["paths_to_profession"].format(name=name, target=target["profession"]["label"])


def footer(model: Model, lang: str) -> str:
    """Return the line that says, in ``lang``, whose data a page shows and what made it."""
    from .. import __version__

    words = texts(lang)
    note = words["data_note"] if model.name == "curated" else words["data_note_other"].format(
        name=DATASET_NAMES.get(model.name, model.name))
    return f"{note} {words['generated'].format(version=__version__)}"


def _statuses(statuses) -> list[str]:
    wanted = []
    for status in statuses:
        key = status.strip().lower()
        if key not in STATUSES:
            raise UsageError(f"unknown status {shown(status)}; use one of {', '.join(STATUSES)}")
        wanted.append(key)
    return list(dict.fromkeys(wanted))


def _sectors(model: Model, sectors) -> list[str]:
    """Return the ids of ``sectors``, each given by id, code or label in any language."""
    if not sectors:
        return []
    keys = {}
    for sector in model.sectors.values():
        for text in (sector.id, sector.code, *sector.labels.values()):
            keys.setdefault(search_key(text), sector.id)
    wanted = []
    for text in sectors:
        sector_id = keys.get(search_key(text))
        if sector_id is None:
            raise UsageError(f"unknown sector {shown(text)}; use one of {', '.join(sorted(model.sectors))}")
        wanted.append(sector_id)
    return list(dict.fromkeys(wanted))


def _report(dataset, origin: str, to: str, *, top: int, min_coverage: float, lang: str) -> dict:
    from ..answers import reskilling_report_for, target_arguments

    return reskilling_report_for(dataset, origin, **target_arguments(dataset, to), top=top, min_coverage=min_coverage,
                                 lang=lang)


def _by_links(model: Model, graph, min_coverage: float, professions: list[str]) -> list[str]:
    """Return ``professions`` best linked first (viable moves and transformations), ties in model order."""
    links = Counter()
    for transformation in model.transformations:
        links[transformation.origin] += 1
        links[transformation.successor] += 1
    for origin, destination, coverage in graph.edges(data="coverage"):
        if coverage >= min_coverage:
            links[origin] += 1
            links[destination] += 1
    position = {pid: index for index, pid in enumerate(professions)}
    return sorted(professions, key=lambda pid: (-links[pid], position[pid]))


def _similar(graph, profession_id: str, min_coverage: float) -> list[tuple[str, float]]:
    """Return up to :data:`SIMILAR_LIMIT` professions a worker can move to or from, closest first."""
    closeness: dict[str, float] = {}
    for other, edge in graph.succ[profession_id].items():
        if edge["coverage"] >= min_coverage:
            closeness[other] = edge["coverage"]
    for other, edge in graph.pred[profession_id].items():
        if edge["coverage"] >= min_coverage:
            closeness[other] = max(closeness.get(other, 0.0), edge["coverage"])
    return sorted(closeness.items(), key=lambda item: (-item[1], item[0]))[:SIMILAR_LIMIT]


def _neighbourhood(model: Model, graph, origin: str, depth: int, min_coverage: float,
                   allowed) -> tuple[list[str], set[frozenset]]:
    """Return the professions within ``depth`` hops of ``origin`` (closest first) and the
    similarity links found on the way (pairs of profession ids)."""
    transformed: dict[str, list[str]] = {}
    for transformation in model.transformations:
        transformed.setdefault(transformation.origin, []).append(transformation.successor)
        transformed.setdefault(transformation.successor, []).append(transformation.origin)
    order, seen, links = [origin], {origin}, set()
    frontier = [origin]
    for _ in range(depth):
        reached = []
        for profession_id in frontier:
            similar = [other for other, _ in _similar(graph, profession_id, min_coverage)]
            for other in similar:
                links.add(frozenset((profession_id, other)))
            for other in similar + transformed.get(profession_id, []):
                if other not in seen and allowed(other):
                    seen.add(other)
                    order.append(other)
                    reached.append(other)
        frontier = reached
    return order, links


class _Assembly:
    """Builds the nodes, edges, details and notes of one view, in the view's language."""

    def __init__(self, model: Model, lang: str, page_url):
        self.model, self.lang, self.page_url = model, lang, page_url
        self.words = texts(lang)
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.details: dict[str, dict] = {}
        self.paths: list[dict] = []
        self.notes: list[str] = []
        self.total = 0
        self.professions: list[str] = []
        self.skills: list[str] = []
        self.sectors: set[str] = set()

    # -- nodes -------------------------------------------------------------------------------

    def select(self, professions: list[str], forced: list[str], origin: str | None, max_nodes: int) -> None:
        """Choose the nodes within ``max_nodes``: forced professions, sectors, professions, then skills.

        A neighbourhood shows the origin's sector and skills; a whole-graph view shows every sector
        and the skills that two or more of its professions need (a skill only one of them needs
        links nothing and is listed in that profession's details instead).
        """
        model = self.model
        if origin is None:
            candidate_sectors = _sectors_of(model, professions)
            pool = {skill for pid in professions for skill in model.professions[pid].skills}
        else:
            candidate_sectors = _sectors_of(model, [origin])
            pool = set(model.professions[origin].skills)
        room = max_nodes - len(candidate_sectors)
        if origin is None:  # leave skills room, or a capped whole graph is professions without links
            room = int(room * WHOLE_GRAPH_PROFESSION_SHARE)
        kept = list(dict.fromkeys(forced + professions))[:max(len(forced), room)]
        sectors = candidate_sectors if origin is not None else _sectors_of(model, kept)
        shared = Counter(skill for pid in kept for skill in model.professions[pid].skills if skill in pool)
        order = {skill: index for index, skill in enumerate(model.skills)}
        solitary = 0
        if origin is None:
            solitary = sum(1 for skill in pool if shared[skill] == 1)
            if solitary:
                self.notes.append(self.words["solitary_skills"].format(count=solitary))
        # skills no kept profession needs (only capped ones do) are hidden by the cap, like the rest
        drawable = sorted((skill for skill in pool if shared[skill] >= (2 if origin is None else 1)),
                          key=lambda skill: (-shared[skill], order[skill]))
        self.skills = drawable[:max(0, max_nodes - len(kept) - len(sectors))]
        self.professions = kept
        # a sector is drawn when one of its professions is, so only professions and skills count as hidden
        self.total = len(professions) + len(pool) - solitary + len(sectors)
        shown = len(kept) + len(sectors) + len(self.skills)
        if shown < self.total:
            self.notes.append(self.words["capped"].format(
                shown=shown, total=self.total, cap=max_nodes, professions=len(professions) - len(kept),
                skills=len(pool) - solitary - len(self.skills))
                + " " + self.words["capped_hint_pages" if self.page_url else "capped_hint"])
        for pid in kept:
            self._profession_node(pid, focus=pid == origin)
        for sector_id in sectors:
            self._sector_node(sector_id, caption=origin is None)
        self.sectors = set(sectors)
        for skill_id in self.skills:
            self._skill_node(skill_id, shared[skill_id])

    def _details(self, kind: str, entity, fields: list[tuple[str, str]], **extra) -> dict:
        """Return what the side panel shows about a node; ``keys`` are the search keys of all the
        names of a profession (every language, synonyms too), ``otherLabels`` its labels in the languages a page in
        this view's language shows (:func:`profgraph.web.i18n.other_languages`), by language name."""
        own = label(entity, self.lang)
        others = [(LANGUAGE_NAMES[other], entity.labels[other]) for other in other_languages(self.lang)
                  if entity.labels.get(other) and entity.labels[other] != own]
        keys = []
        if kind == "profession":  # the graph's search box finds professions
            keys = list(dict.fromkeys(search_key(name) for name in names_of(entity)))
        url = self.page_url(kind, entity.id) if self.page_url else None
        return {"kind": kind, "kindName": self.words[kind], "label": own, "otherLabels": others, "keys": keys,
                "fields": fields, "url": url, **extra}

    def _profession_node(self, profession_id: str, focus: bool) -> None:
        model, words, lang = self.model, self.words, self.lang
        profession = model.professions[profession_id]
        source = model.sources.get(profession.exposure_source) if profession.exposure_source else None
        exposure = (words["exposure_unknown"] if profession.exposure is None else f"{profession.exposure:.2f}")
        fields = [(words["status"], status_name(profession.status, lang))]
        if profession.sector in model.sectors:
            fields.append((words["sector"], label(model.sectors[profession.sector], lang)))
        fields.append((words["isco"], profession.isco08 or "—"))
        fields.append((words["exposure"], exposure))
        if source is not None:
            fields.append((words["source"], source_name(source, lang)))
        skills = {SKILL_TYPE_NAMES[lang][skill_type]: [label(model.skills[s], lang) for s in profession.skills
                                                       if model.skills[s].type == skill_type]
                  for skill_type in SKILL_TYPES}
        nid = node_id("profession", profession_id)
        self.details[nid] = self._details("profession", profession, fields, status=profession.status,
                                          skills={k: v for k, v in skills.items() if v})
        colour = STATUS_COLOURS.get(profession.status, UNKNOWN_STATUS_COLOUR)
        self.nodes.append({
            "id": nid, "label": label(profession, lang), "shape": "dot",
            "size": FOCUS_SIZE if focus else PROFESSION_SIZE,
            "color": {"background": colour, "border": "#000000" if focus else NODE_BORDER,
                      "highlight": {"background": colour, "border": "#000000"},
                      "hover": {"background": colour, "border": "#000000"}},
            "borderWidth": 4 if focus else 1,
            "font": {"size": 20 if focus else 15, "color": "#111111", "strokeWidth": 0, "background": LABEL_BACKGROUND},
            "title": _tooltip(label(profession, lang), words["profession"], fields),
            "mass": 2 if focus else 1, "widthConstraint": {"maximum": 150},
        })

    def _sector_node(self, sector_id: str, caption: bool) -> None:
        """Add a sector; as the ``caption`` of a cluster in a whole-graph view, in large type."""
        sector = self.model.sectors[sector_id]
        fields = [("NACE", sector.code)]
        nid = node_id("sector", sector_id)
        self.details[nid] = self._details("sector", sector, fields)
        self.nodes.append({
            "id": nid, "label": label(sector, self.lang), "shape": "box",
            "color": {"background": SECTOR_COLOUR, "border": "#555555",
                      "highlight": {"background": "#FFFFFF", "border": "#000000"}},
            "font": {"size": 34 if caption else 16, "color": "#222222"}, "margin": 8,
            "widthConstraint": {"maximum": 400 if caption else 200},
            "title": _tooltip(label(sector, self.lang), self.words["sector"], fields),
        })

    def _skill_node(self, skill_id: str, shared: int) -> None:
        skill = self.model.skills[skill_id]
        type_name = SKILL_TYPE_NAMES[self.lang][skill.type]
        fields = [(self.words["skill_type"], type_name)]
        nid = node_id("skill", skill_id)
        self.details[nid] = self._details("skill", skill, fields, skillType=skill.type)
        colour = SKILL_TYPE_COLOURS[skill.type]
        self.nodes.append({
            "id": nid, "label": shorten(label(skill, self.lang), SKILL_LABEL_CHARACTERS), "shape": "diamond",
            "size": 7 + min(shared, 8),
            "color": {"background": colour, "border": "#666666",
                      "highlight": {"background": colour, "border": "#000000"}},
            "font": {"size": 12, "color": "#444444", "background": LABEL_BACKGROUND},
            "widthConstraint": {"maximum": 180},
            "title": _tooltip(label(skill, self.lang), self.words["skill"], fields),
        })

    # -- edges -------------------------------------------------------------------------------

    def _edge(self, source: str, to: str, kind: str, **options) -> dict:
        edge = {"id": f"e{len(self.edges)}", "source": source, "to": to, "kind": kind, "length": EDGE_LENGTHS[kind],
                **options}
        self.edges.append(edge)
        return edge

    def add_edges(self, graph, links: set[frozenset], min_coverage: float, max_edges: int) -> None:
        """Add transformations, similarity links, sector and requirement links (those last go first when capped)."""
        model, words = self.model, self.words
        shown = set(self.professions)
        for transformation in model.transformations:
            if transformation.origin in shown and transformation.successor in shown:
                self._edge(node_id("profession", transformation.origin),
                           node_id("profession", transformation.successor), "transformation",
                           arrows="to", width=2.5, color={"color": EDGE_COLOURS["transformation"]},
                           title=words["transforms_into"])
        self._similarity_edges(graph, links, shown, min_coverage)
        for pid in self.professions:
            sector = model.professions[pid].sector
            if sector in self.sectors:
                self._edge(node_id("profession", pid), node_id("sector", sector), "sector", arrows="",
                           width=1, color={"color": EDGE_COLOURS["sector"]}, title=words["in_sector"])
        skills = set(self.skills)
        requirements = sorted(((pid, skill, relation) for pid in self.professions
                               for skill, relation, _ in model.professions[pid].requirements() if skill in skills),
                              key=lambda edge: edge[2] != "essential")  # the cap drops optional edges first
        room = max(0, max_edges - len(self.edges))
        if len(requirements) > room:
            self.notes.append(words["edges_capped"].format(shown=len(self.edges) + room,
                                                           total=len(self.edges) + len(requirements)))
        for pid, skill, relation in requirements[:room]:
            self._edge(node_id("profession", pid), node_id("skill", skill), relation, arrows="",
                       width=1.2 if relation == "essential" else 1, dashes=relation == "optional",
                       color={"color": EDGE_COLOURS[relation]}, title=words[relation])

    def _similarity_edges(self, graph, links: set[frozenset], shown: set[str], min_coverage: float) -> None:
        names = {pid: label(self.model.professions[pid], self.lang) for pid in shown}
        for a, b in sorted(tuple(sorted(pair)) for pair in links if pair <= shown):
            forward, backward = (graph.edges[x, y]["coverage"] if graph.has_edge(x, y) else 0.0
                                 for x, y in ((a, b), (b, a)))
            arrows = ", ".join(end for end, value in (("to", forward), ("from", backward)) if value >= min_coverage)
            moves = [self.words["has_share"].format(origin=names[x], destination=names[y], percent=percent(value))
                     for x, y, value in ((a, b, forward), (b, a, backward))]
            self._edge(node_id("profession", a), node_id("profession", b), "transition", arrows=arrows,
                       width=1.5, dashes=[6, 4], coverage=round(max(forward, backward), 4),
                       color={"color": EDGE_COLOURS["transition"]},
                       title="\n".join([self.words["transition"], *moves]))

    def place(self) -> None:
        """Give every node a position from :func:`profgraph.web.layout.force_layout`.

        A skill's springs weaken with the number of professions that need it, so that generic
        skills (needed everywhere) do not pull every profession into one ball and the sectors
        hold their professions together.
        """
        from .layout import force_layout

        index = {node["id"]: i for i, node in enumerate(self.nodes)}
        degree = Counter(edge["to"] for edge in self.edges if edge["kind"] in ("essential", "optional"))
        springs = [(index[edge["source"]], index[edge["to"]],
                    EDGE_STRENGTHS[edge["kind"]] / (degree[edge["to"]] or 1)) for edge in self.edges]
        positions = force_layout(len(self.nodes), springs, scale=LAYOUT_SPACING)
        for node, (x, y) in zip(self.nodes, positions.tolist()):
            node["x"], node["y"] = round(x, 1), round(y, 1)

    def add_paths(self, report: dict) -> None:
        """Draw the report's paths as highlighted edges and list them for the side panel."""
        by_step: dict[tuple[str, str], dict] = {}
        for path in report["paths"]:
            steps = path["steps"]
            route = [steps[0]["from"]] + [step["to"] for step in steps]
            edge_ids = []
            for step in steps:
                key = (step["from"]["id"], step["to"]["id"])
                if key not in by_step:
                    by_step[key] = self._edge(node_id("profession", key[0]), node_id("profession", key[1]), "path",
                                              arrows="to", width=4, ranks=[],
                                              color={"color": EDGE_COLOURS["path"]},
                                              smooth={"enabled": True, "type": "curvedCW", "roundness": 0.15},
                                              title=self.words["has_share"].format(
                                                  origin=step["from"]["label"], destination=step["to"]["label"],
                                                  percent=percent(step["coverage"])))
                by_step[key]["ranks"].append(path["rank"])
                edge_ids.append(by_step[key]["id"])
            self.paths.append({
                "rank": path["rank"], "route": [stop["label"] for stop in route],
                "nodes": [node_id("profession", stop["id"]) for stop in route], "edges": edge_ids,
                "newSkills": path["new_skills_total"], "score": path["score"],
                "coverage": [percent(step["coverage"]) for step in steps],
            })
        for edge in by_step.values():
            edge["title"] = f"{self.words['path']} " + ", ".join(f"#{rank}" for rank in edge["ranks"]) \
                + "\n" + edge["title"]


def _sectors_of(model: Model, professions: list[str]) -> list[str]:
    """Return the ids of the sectors of ``professions``, in model order."""
    wanted = {model.professions[pid].sector for pid in professions}
    return [sector for sector in model.sectors if sector in wanted]


def percent(share: float) -> int:
    """Return the share in [0, 1] as a whole percentage (0.685 -> 69)."""
    return int(round(share * 100))


def shorten(text: str, characters: int) -> str:
    """Return ``text`` cut at the last word boundary within ``characters`` and ended with "…"
    when it is longer (the whole text stays in the node's tooltip and details)."""
    if len(text) <= characters:
        return text
    cut = text[:characters - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;-") + "…"


def _tooltip(title: str, kind: str, fields: list[tuple[str, str]]) -> str:
    """Return a node's tooltip as plain text (vis-network shows a string title as text, never as HTML)."""
    return "\n".join([f"{title} ({kind})", *(f"{name}: {value}" for name, value in fields)])
