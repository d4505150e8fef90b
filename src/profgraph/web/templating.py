"""HTML pages from the Jinja2 templates in ``templates/``: the environment, the static assets and
the URL builders the templates call.

Templates never assume where they are served from: each gets a ``urls`` object with
``page(kind, id=None)``, ``asset(name)``, ``language(lang)`` and ``entity_pattern(kind)`` methods. :class:`RelativeUrls`
gives relative links for a static site (it works from ``file://`` and from any sub-folder of a
web host); a web server can pass its own object with the same methods. Autoescaping is on for
every template, so labels are always shown as text.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
OWN_ASSETS = ("graph.css", "graph.js", "search.js", "site.css")
VIS_ASSETS = ("vis-network.min.js",)
PAGE_KINDS = {"index": "index.html", "skills": "skills.html", "sectors": "sectors.html", "graph": "graph.html"}
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")


def asset_path(name: str) -> Path:
    """Return the file of the asset ``name``; vis-network is the copy that ships inside pyvis.

    Raises KeyError for an unknown asset.
    """
    if name in OWN_ASSETS:
        return TEMPLATES / "assets" / name
    if name in VIS_ASSETS:
        import pyvis

        return Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2" / name
    raise KeyError(name)


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    """Return the text of the asset ``name`` (see :func:`asset_path`)."""
    return asset_path(name).read_text(encoding="utf-8")


def inline_asset(name: str):
    """Return the asset ``name`` as markup to put inside a ``<script>`` or ``<style>`` element.

    Raises ValueError if the text would close that element early.
    """
    from markupsafe import Markup

    text = asset_text(name)
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"asset {name} contains a closing </script> or </style> tag and cannot be inlined")
    return Markup(text)


@lru_cache(maxsize=None)
def environment():
    """Return the Jinja2 environment over ``templates/`` (autoescaped, strict about undefined names)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    # tojson escapes <, >, & and ' (safe inside <script>); keep Cyrillic readable and the order stable.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    env.globals["inline_asset"] = inline_asset
    from .i18n import STATUS_NAMES

    env.globals["STATUS_NAMES"] = STATUS_NAMES
    return env


def render(template: str, **context) -> str:
    """Return the template ``template`` rendered with ``context``."""
    return environment().get_template(template).render(**context)


def page_name(entity_id: str) -> str:
    """Return the file name (without folder) of an entity's page: its id when that is a safe, lower-case
    file name (so it is the same on case-insensitive file systems), else a hash of it."""
    if _SAFE_NAME.match(entity_id):
        return f"{entity_id}.html"
    return "id-" + hashlib.sha256(entity_id.encode("utf-8")).hexdigest()[:20] + ".html"


def page_path(lang: str, kind: str, entity_id: str | None = None) -> str:
    """Return the path of a page inside a static site, e.g. ``ru/profession/cashier.html``.

    ``kind`` is ``profession``/``skill`` (with ``entity_id``) or one of :data:`PAGE_KINDS`.
    """
    if kind in PAGE_KINDS:
        return f"{lang}/{PAGE_KINDS[kind]}"
    if entity_id is None:
        raise ValueError(f"a {kind} page needs an id")
    return f"{lang}/{kind}/{page_name(entity_id)}"


class RelativeUrls:
    """The links of one page of a static site, relative to that page.

    ``page_file`` is the page's path inside the site (as :func:`page_path` gives it);
    ``languages`` are the languages the site holds.
    """

    def __init__(self, page_file: str, lang: str, languages, kind: str, entity_id: str | None = None):
        self.page_file, self.lang, self.languages = page_file, lang, tuple(languages)
        self.kind, self.entity_id = kind, entity_id
        self._folder = [part for part in posixpath.dirname(page_file).split("/") if part]

    def _relative(self, target: str) -> str:
        # posixpath.relpath, without its file-system normalisation (a site build makes ~100 links a page)
        parts = target.split("/")
        common = 0
        while common < min(len(self._folder), len(parts) - 1) and self._folder[common] == parts[common]:
            common += 1
        return "../" * (len(self._folder) - common) + "/".join(parts[common:])

    def page(self, kind: str, entity_id: str | None = None, lang: str | None = None) -> str:
        """Return the link to a page of the site (``lang`` defaults to this page's language)."""
        return self._relative(page_path(lang or self.lang, kind, entity_id))

    def asset(self, name: str) -> str:
        """Return the link to the shared asset ``name``."""
        return self._relative(f"assets/{name}")

    def entity_pattern(self, kind: str) -> str:
        """Return the link to the page of any profession or skill (``kind``), with ``{file}`` where
        its :func:`page_name` goes (the search box fills it in)."""
        return self._relative(f"{self.lang}/{kind}/x")[:-1] + "{file}"

    def language(self, lang: str) -> str:
        """Return the link to this same page in ``lang``."""
        return self.page(self.kind, self.entity_id, lang)

    def home(self) -> str:
        """Return the link to the site's language chooser."""
        return self._relative("index.html")
