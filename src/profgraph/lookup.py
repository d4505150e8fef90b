"""Finding professions and skills by name, in Kazakh, Russian or English, in any script.

Every label and synonym is reduced to a *search key*: case folded, ё/е and the Kazakh letters
ә ғ қ ң ө ұ ү һ і folded to their nearest Russian letters, then transliterated to Latin,
with the letters of the 2021 Kazakh Latin alphabet (ä ğ q ñ ö ū ü ı ş ç) folded the same
way. "Кассир", "КАССИР", "kassir" and "kasir" thus meet; typos are tolerated by fuzzy
matching (rapidfuzz) on the keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .errors import Ambiguous, NotFound
from .model import Model, Profession, Skill

_KAZAKH = str.maketrans({"ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
                         "һ": "х", "і": "и", "й": "и"})
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}
# Kazakh Latin (2021) and common romanisations, folded onto the same keys.
_LATIN = {"ş": "sh", "ç": "ch", "ı": "i", "ñ": "n", "ğ": "g", "q": "k", "x": "h", "j": "zh", "w": "v",
          "kh": "h", "yu": "iu", "ya": "ia", "shch": "sh"}
_LATIN_PATTERN = re.compile("|".join(sorted(map(re.escape, _LATIN), key=len, reverse=True)))
# The Kazakh folding and the Cyrillic transliteration in one table (a Kazakh letter goes straight to
# the Latin of the Russian letter it folds to): one str.translate instead of a loop over characters.
_TO_LATIN = str.maketrans({**_CYRILLIC, **{chr(code): _CYRILLIC.get(letter, letter) for code, letter in _KAZAKH.items()}})
_NON_WORD = re.compile(r"[^a-z0-9]+")

FUZZY_CUTOFF = 60.0
RESOLVE_THRESHOLD = 85.0
FUZZY_CAP = 92.0  # below every prefix match
PREFIX_FLOOR = 93.0  # a word of a label starts with the query
LABEL_PREFIX_FLOOR = 95.0  # the label itself starts with the query
PARTIAL_SCALE = 0.9
PARTIAL_CUTOFF = 75.0


@lru_cache(maxsize=1 << 16)  # pages ask for the keys of the same labels again and again
def search_key(text: str) -> str:
    """Return the search key of ``text``: lower-case ASCII words separated by single spaces.

    >>> search_key("КАССИР") == search_key("kassir") == search_key("Кассир")
    True
    """
    text = unicodedata.normalize("NFC", text).casefold().translate(_TO_LATIN)
    text = _LATIN_PATTERN.sub(lambda match: _LATIN[match.group(0)], text)
    if not text.isascii():  # ASCII has no combining marks to drop
        text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", text).strip()


def names_of(entity: Profession | Skill) -> list[str]:
    """Return every name of a profession or skill: its labels, then its synonyms, in every language."""
    synonyms = getattr(entity, "alt_labels", {})
    return [*entity.labels.values(), *(text for texts in synonyms.values() for text in texts)]


def folding_tables() -> dict:
    """Return the tables :func:`search_key` folds with, for a browser script to fold a query the
    same way: ``letters`` (Kazakh letters and ё to Russian ones), ``cyrillic`` (Cyrillic to Latin),
    ``latin`` (Latin spellings, longest first in the script's pattern), each a dict of strings.
    The steps are those of :func:`search_key`: NFC, lower case, ``letters``, ``cyrillic``, ``latin``,
    NFKD without combining marks, and every run of characters other than a-z and 0-9 to one space."""
    return {"letters": {chr(code): text for code, text in _KAZAKH.items()}, "cyrillic": dict(_CYRILLIC),
            "latin": dict(_LATIN)}


@dataclass(frozen=True)
class Match:
    """One search hit: the entity ``id``, its ``kind``, the label that matched and its language, the score (0-100)."""

    id: str
    kind: str
    label: str
    lang: str
    score: float


class NameIndex:
    """Search keys of every label and synonym of the professions (and skills) of a model."""

    def __init__(self, model: Model):
        self.keys: list[str] = []
        self.entries: list[tuple[str, str, str, str]] = []  # (kind, id, label, lang)
        self.preferred: set[int] = set()  # entries that are a preferred label or an id, not a synonym
        for kind, entities in (("profession", model.professions), ("skill", model.skills)):
            for entity in entities.values():
                names = [(lang, text, True) for lang, text in entity.labels.items()]
                names += [(lang, text, False) for lang, texts in entity.alt_labels.items() for text in texts]
                names.append(("id", entity.id, True))
                for lang, text, preferred in names:
                    if preferred:
                        self.preferred.add(len(self.entries))
                    self.keys.append(search_key(text))
                    self.entries.append((kind, entity.id, text, lang))

    @classmethod
    def stored(cls, keys: list[str], entries: list[tuple[str, str, str, str]], preferred: list[int]) -> "NameIndex":
        """Return the index whose :attr:`keys`, :attr:`entries` and :attr:`preferred` are these (as a store keeps
        them), without computing them from the model again."""
        index = cls.__new__(cls)
        index.keys, index.entries, index.preferred = keys, entries, set(preferred)
        return index

    def search(self, text: str, kind: str | None = None, limit: int = 10) -> list[Match]:
        """Return up to ``limit`` entities matching ``text``, best first, one row per entity.

        Exact key matches score 100, then labels that start with the query (96..95), then labels with a word that does (94..93), then whole-label fuzzy
        matches (Levenshtein ratio, at most 92), then partial matches (scaled by 0.9).
        """
        from rapidfuzz import fuzz, process

        query = search_key(text)
        if not query:
            return []
        best: dict[tuple[str, str], Match] = {}

        def offer(index: int, score: float) -> None:
            entry_kind, entity_id, label, lang = self.entries[index]
            if kind and entry_kind != kind:
                return
            current = best.get((entry_kind, entity_id))
            if current is None or score > current.score:
                best[(entry_kind, entity_id)] = Match(entity_id, entry_kind, label, lang, round(score, 1))

        for index, key in enumerate(self.keys):
            if key == query:
                offer(index, 100.0)
            elif key.startswith(query):
                offer(index, 96.0 - min(len(key) - len(query), 20) * 0.05)  # 95..96
            elif f" {query}" in f" {key}":
                offer(index, 94.0 - min(len(key) - len(query), 20) * 0.05)  # 93..94
        # Whole-label similarity decides whether a name resolves; partial matches (WRatio)
        # only rank search hits, scaled below the threshold at which :meth:`resolve` accepts.
        for scorer, scale, cutoff in ((fuzz.ratio, 1.0, FUZZY_CUTOFF), (fuzz.WRatio, PARTIAL_SCALE, PARTIAL_CUTOFF)):
            for _, score, index in process.extract(query, self.keys, scorer=scorer,
                                                   score_cutoff=cutoff, limit=limit * 20):
                offer(index, min(score * scale, FUZZY_CAP))
        ranked = sorted(best.values(), key=lambda match: (-match.score, match.label))
        return ranked[:limit]

    def resolve(self, text: str, kind: str = "profession", suggestions: int = 5) -> Match:
        """Return the single entity of ``kind`` that ``text`` names.

        A unique exact match wins, or among several exact matches the unique one that is a
        preferred label (not a synonym) or an id; else a unique prefix match (the start of a label or of one
        of its words); else the best fuzzy match when it scores at least
        :data:`RESOLVE_THRESHOLD` and clearly beats the runner-up. Raises
        :class:`~profgraph.errors.Ambiguous` when several match equally well, and
        :class:`~profgraph.errors.NotFound` (with the closest labels) when none matches well.
        """
        query = search_key(text)
        exact: dict[str, int] = {}  # entity id -> its first entry whose key is the query's
        preferred: dict[str, int] = {}  # the same among preferred labels and ids
        for index, key in enumerate(self.keys):
            if key == query and self.entries[index][0] == kind:
                exact.setdefault(self.entries[index][1], index)
                if index in self.preferred:
                    preferred.setdefault(self.entries[index][1], index)
        # One exact match wins; among several, the one whose preferred label it is ("baker" is
        # ESCO's baker, not the pastry chef who has it as a synonym). Both skip the fuzzy
        # matching, which is slow on large datasets.
        for found in (exact, preferred):
            if len(found) == 1:
                _, entity_id, label, lang = self.entries[next(iter(found.values()))]
                return Match(entity_id, kind, label, lang, 100.0)
        matches = self.search(text, kind=kind, limit=max(suggestions, 10))
        if not matches or matches[0].score < RESOLVE_THRESHOLD:
            raise NotFound(text, [match.label for match in matches[:suggestions]], kind)
        best = matches[0].score
        if best == 100.0:
            tied = [match for match in matches if match.score == 100.0]
        elif best >= LABEL_PREFIX_FLOOR:
            tied = [match for match in matches if match.score >= LABEL_PREFIX_FLOOR]
        elif best >= PREFIX_FLOOR:
            tied = [match for match in matches if match.score >= PREFIX_FLOOR]
        else:
            tied = [match for match in matches if match.score >= best - 2.0]
        if len(tied) > 1:
            raise Ambiguous(text, [f"{match.label} ({match.id})" for match in tied], kind)
        return matches[0]
