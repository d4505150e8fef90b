"""The HTML pages of ``profgraph serve``: the templates of the static site (:mod:`profgraph.web.site`)
rendered with :class:`ServerUrls`, plus a search page, the path finder and the printable plan.

Each handler takes a Starlette request and finds the dataset in the app's
:class:`~profgraph.web.context.ServerContext`; a page in a language the app does not serve, or of an
entity the data does not hold, is 404. Every page is rendered with Jinja's autoescaping.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response

from ..errors import ProfgraphError
from .api import HAVE, LACK, status_code
from .context import ServerContext, context_of
from .i18n import SKILL_TYPE_NAMES, STATUS_NAMES, texts
from .parameters import MAX_TEXT, Parameter, parse
from .plan import DEFAULT_TARGET, plan_page as plan_html
from .templating import OWN_ASSETS, PAGE_KINDS, VIS_ASSETS, asset_path, render

MAX_LISTED_SKILLS = 3000  # the path finder lists every skill to add when there are at most this many
ASSET_MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
LIST_PAGES = tuple(kind for kind in PAGE_KINDS if kind != "index")  # the pages at /{lang}/{kind}
PLAN_PARAMETERS = (Parameter("from", "string", "the client's profession", required=True),
                   Parameter("to", "string", "the target", required=True, default=DEFAULT_TARGET), HAVE, LACK)


class ServerUrls:
    """The links of one page served by ``profgraph serve``: the same methods as
    :class:`profgraph.web.templating.RelativeUrls`, plus ``search()`` and ``path_finder()``.

    ``query`` (a dict) is kept when the page links to itself in another language.
    """

    def __init__(self, lang: str, languages, kind: str, entity_id: str | None = None, query: dict | None = None):
        self.lang, self.languages, self.kind, self.entity_id = lang, tuple(languages), kind, entity_id
        self.query = query or {}

    def page(self, kind: str, entity_id: str | None = None, lang: str | None = None) -> str:
        """Return the absolute path of a page (``lang`` defaults to this page's language)."""
        lang = lang or self.lang
        if kind == "index":
            return f"/{lang}/"
        if kind in PAGE_KINDS or kind in ("search", "path", "plan"):
            return f"/{lang}/{kind}"
        if entity_id is None:
            raise ValueError(f"a {kind} page needs an id")
        return f"/{lang}/{kind}/{quote(entity_id, safe='')}"

    def asset(self, name: str) -> str:
        """Return the path of the shared asset ``name``."""
        return f"/assets/{name}"

    def entity_pattern(self, kind: str) -> str:
        """Return the path of the page of any profession or skill (``kind``), with ``{id}`` where its
        id goes, URL-encoded (the search box fills it in)."""
        return f"/{self.lang}/{kind}/{{id}}"

    def language(self, lang: str) -> str:
        """Return the path of this same page in ``lang``, with the same query."""
        query = urlencode(self.query)
        return self.page(self.kind, self.entity_id, lang) + (f"?{query}" if query else "")

    def home(self) -> str:
        """Return the path of the language chooser."""
        return "/"

    def search(self) -> str:
        """Return the path of the search page."""
        return self.page("search")

    def path_finder(self) -> str:
        """Return the path of the path finder."""
        return self.page("path")


# ------------------------------------------------------------------ helpers of the handlers

def page_lang(request) -> str:
    """Return the language of the page ``request`` asks for. Raises a 404 ``HTTPException`` for a
    language the app does not serve."""
    lang = request.path_params["lang"]
    if lang not in context_of(request).languages:
        raise HTTPException(404, f"no pages in {lang!r}")
    return lang


def render_page(context: ServerContext, template: str, urls: ServerUrls, **values) -> str:
    """Return the site template ``template`` rendered for ``urls`` with ``values`` and what every
    page shows (:func:`profgraph.web.site.page_values`)."""
    from .site import page_values

    common = context.remembered(("page values", urls.lang), lambda: page_values(context.model, urls.lang))
    return render(template, urls=urls, **common, **values)


def html(context: ServerContext, template: str, urls: ServerUrls, status: int = 200, **values):
    """Return :func:`render_page` as an HTML response with ``status``."""
    return HTMLResponse(render_page(context, template, urls, **values), status)


def list_page(context: ServerContext, lang: str, kind: str) -> str:
    """Return the page ``index`` or one of :data:`LIST_PAGES` in ``lang`` (rendered once)."""
    from .site import list_context

    def rendered() -> str:
        urls = ServerUrls(lang, context.languages, kind)
        return render_page(context, f"site/{kind}.html", urls, **list_context(context.dataset, kind, lang, urls))

    return context.remembered(("page", lang, kind), rendered)


# ------------------------------------------------------------------ the pages

def languages_page(request):
    """``/``: the language chooser."""
    from .site import languages_context

    languages = context_of(request).languages
    urls = ServerUrls(languages[0], languages, "home")
    return HTMLResponse(render("site/languages.html", urls=urls, **languages_context(languages)))


def index_page(request):
    """``/{lang}/``: the professions by status and sector."""
    return HTMLResponse(list_page(context_of(request), page_lang(request), "index"))


def list_pages(request):
    """``/{lang}/{kind}``: the sectors, the skills or the whole graph (404 for another ``kind``)."""
    kind = request.path_params["kind"]
    if kind not in LIST_PAGES:
        raise HTTPException(404)
    return HTMLResponse(list_page(context_of(request), page_lang(request), kind))


def profession_page(request):
    """``/{lang}/profession/{id}``: a profession's page (404 for an id the data does not hold)."""
    from .site import profession_context

    context, lang, pid = context_of(request), page_lang(request), request.path_params["id"]
    if pid not in context.model.professions:
        raise HTTPException(404, "no such profession")
    urls = ServerUrls(lang, context.languages, "profession", pid)
    return html(context, "site/profession.html", urls, **profession_context(context.dataset, pid, lang, urls))


def skill_page(request):
    """``/{lang}/skill/{id}``: a skill's page (404 for an id the data does not hold)."""
    from .site import needed_by, skill_context

    context, lang, sid = context_of(request), page_lang(request), request.path_params["id"]
    if sid not in context.model.skills:
        raise HTTPException(404, "no such skill")
    urls = ServerUrls(lang, context.languages, "skill", sid)
    requirements = context.remembered("needed_by", lambda: needed_by(context.model))
    return html(context, "site/skill.html", urls, **skill_context(context.model, sid, lang, requirements))


def search_page(request):
    """``/{lang}/search?q=``: the professions and skills whose labels match ``q``."""
    from ..answers import search_report

    context, lang = context_of(request), page_lang(request)
    query = request.query_params.get("q", "")[:MAX_TEXT]
    urls = ServerUrls(lang, context.languages, "search", query={"q": query})
    hits = search_report(context.dataset, query, limit=20, lang=lang) if query.strip() else []
    return html(context, "site/search.html", urls, title=texts(lang)["search_results"].format(query=query),
                query=query, hits=hits, error=None)


def path_page(request):
    """``/{lang}/path?from=&to=&have=&lack=``: the path finder, with the paths and their graph for a
    client with the skills of their profession, plus ``have`` and less ``lack``. The skills form
    (``skills_form``) is answered with a redirect to the page of the ticked skills."""
    from ..client import ClientDataset, client_skills, split_names, with_client
    from .graphview import build_view
    from .site import page_links

    context, lang, params = context_of(request), page_lang(request), request.query_params
    origin, target = params.get("from", "")[:MAX_TEXT], params.get("to", DEFAULT_TARGET)[:MAX_TEXT]
    have, lack = split_names(params.get("have")), split_names(params.get("lack"))
    report = graph = error = None
    skills, status = [], 200
    if origin.strip() and target.strip():
        try:
            origin_id = context.dataset.names.resolve(origin).id
            if "skills_form" in params:
                return ticked_skills_redirect(context, lang, params, origin, target, origin_id, have)
            client = client_skills(context.dataset, origin_id, have=have, lack=lack)
            # The job's standard profile searches the dataset itself (its graphs are built once).
            seen = ClientDataset(context.dataset, client) if have or lack else context.dataset
            view = build_view(seen, profession_id=origin_id, to=target, lang=lang,
                              page_url=page_links(ServerUrls(lang, context.languages, "path")))
            report, graph = with_client(context.dataset, view.report, lang), view.widget_context(show_paths=True)
            skills = skill_choices(context, origin_id, client, lang)
        except ProfgraphError as failure:
            error, status = str(failure), status_code(failure)
    query = {key: value for key, value in (("from", origin), ("to", target), ("have", ",".join(have)),
                                           ("lack", ",".join(lack))) if value}
    words = texts(lang)
    statuses = [*STATUS_NAMES[lang].items(), ("safer", words["safer"])]
    return html(context, "site/path.html", ServerUrls(lang, context.languages, "path", query=query), status,
                title=words["path_finder"], origin=origin, target=target, statuses=statuses, report=report,
                graph=graph, error=error, skill_type_names=SKILL_TYPE_NAMES[lang], have=",".join(have),
                skills=skills, all_skills=skill_labels(context, lang))


def ticked_skills_redirect(context: ServerContext, lang: str, params, origin: str, target: str, origin_id: str,
                           have: list[str]):
    """Return the 303 redirect that answers the path finder's skills form: the page's state is what
    the ticked (``held``) and added (``add``) skills differ from the job's profile by, kept in the
    URL as ``have`` and ``lack`` so that it can be shared. Raises
    :class:`~profgraph.errors.UsageError` for a skill name that does not resolve."""
    from ..client import learnable, resolve_skills, split_names

    ticked = set(params.getlist("held"))
    standard = learnable(context.model, context.model.professions[origin_id].skills)
    added = [skill for skill in dict.fromkeys(resolve_skills(context.dataset, have)[0]) if skill in ticked]
    added += resolve_skills(context.dataset, split_names(params.get("add")))[0]
    state = {"from": origin, "to": target, "have": ",".join(dict.fromkeys(s for s in added if s not in standard)),
             "lack": ",".join(s for s in standard if s not in ticked)}
    query = urlencode({key: value for key, value in state.items() if value})
    return RedirectResponse(ServerUrls(lang, context.languages, "path").path_finder() + "?" + query, 303)


def skill_choices(context: ServerContext, origin_id: str, client, lang: str) -> list[dict]:
    """Return the skills the path finder offers to tick (id, label, held): the job's profile (traits
    left out) and those the client added."""
    from ..client import learnable
    from ..model import label

    model = context.model
    standard = learnable(model, model.professions[origin_id].skills)
    return [{"id": skill, "label": label(model.skills[skill], lang), "held": skill in client.skills}
            for skill in (*standard, *client.added)]


def skill_labels(context: ServerContext, lang: str) -> tuple[str, ...]:
    """Return every skill's label in ``lang``, for the add-a-skill list (none when there are more than
    :data:`MAX_LISTED_SKILLS`)."""
    from ..model import label

    skills = context.model.skills
    if len(skills) > MAX_LISTED_SKILLS:
        return ()
    return context.remembered(("skill labels", lang),
                              lambda: tuple(sorted(label(skill, lang) for skill in skills.values())))


def plan_page(request):
    """``/{lang}/plan?from=&to=&have=&lack=``: the printable plan (:mod:`profgraph.web.plan`) of the
    path finder's state; a bad state is answered in plain text (400, or 404 for an unknown name)."""
    context, lang = context_of(request), page_lang(request)
    try:
        arguments = parse(PLAN_PARAMETERS, request.query_params)
        return HTMLResponse(plan_html(context.dataset, arguments["from"], to=arguments["to"], lang=lang,
                                      have=arguments["have"], lack=arguments["lack"]))
    except ProfgraphError as failure:
        return PlainTextResponse(str(failure), status_code(failure))


# ------------------------------------------------------------------ redirects and assets

def language_home(request):
    """``/{lang}``: a redirect to ``/{lang}/`` (relative: never built from the Host header)."""
    lang = request.path_params["lang"]
    if lang not in context_of(request).languages:
        raise HTTPException(404)
    return RedirectResponse(f"/{lang}/", 307)


def to_default_language(request):
    """``/search``, ``/path``: a redirect to the same page in Russian (or the first served language),
    with the same query."""
    languages = context_of(request).languages
    kind, query = request.url.path.strip("/"), request.url.query
    lang = "ru" if "ru" in languages else languages[0]
    return RedirectResponse(f"/{lang}/{kind}" + (f"?{query}" if query else ""), 302)


def asset(request):
    """``/assets/{name}``: one of the site's fixed set of assets, or the search index script (no file
    system path is ever built from a request)."""
    from .site import SEARCH_INDEX, search_index_script

    name, cache = request.path_params["name"], {"Cache-Control": "max-age=3600"}
    if name == SEARCH_INDEX:
        context = context_of(request)
        script = context.remembered(SEARCH_INDEX, lambda: search_index_script(context.model).encode("utf-8"))
        return Response(script, media_type=ASSET_MEDIA_TYPES[".js"], headers=cache)
    if name not in OWN_ASSETS + VIS_ASSETS:
        raise HTTPException(404)
    path = asset_path(name)
    return FileResponse(path, media_type=ASSET_MEDIA_TYPES.get(path.suffix), headers=cache)
