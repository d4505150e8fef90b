"""Name lookup: any case, ё/е, Kazakh letters, Latin transliterations and typos."""

from __future__ import annotations

import pytest

from profgraph.errors import Ambiguous, NotFound
from profgraph.lookup import NameIndex, search_key
from profgraph.sources.curated import read_curated

from conftest import edit_csv

# The 2021 Kazakh Latin alphabet, written out independently of profgraph's folding tables.
KAZAKH_LATIN_2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o",
    "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h",
    "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}
# A common everyday romanisation of Russian (as typed on a Latin keyboard).
RUSSIAN_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}


def romanise(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in text.lower())


def test_search_keys_fold_case_yo_and_scripts():
    assert search_key("КАССИР") == search_key("Кассир") == search_key("kassir") == "kassir"
    assert search_key("Ёлка") == search_key("елка")
    assert search_key("қаржы") == search_key("qarjy") == search_key("karzhy")
    assert search_key("e-commerce  manager!") == "e commerce manager"


@pytest.mark.parametrize("spelling", ["кассир", "Кассир", "КАССИР", "kassir", "Kassir", "касир", "cashier"])
def test_cashier_spellings(curated, spelling):
    assert curated.names.resolve(spelling).id == "cashier"


@pytest.mark.parametrize("lang, table", [("kk", KAZAKH_LATIN_2021), ("ru", RUSSIAN_LATIN)])
def test_latin_spellings_of_every_profession(curated, lang, table):
    professions = curated.model.professions.values()
    wrong = []
    for profession in professions:
        latin = romanise(profession.labels[lang], table)
        try:
            found = curated.names.resolve(latin).id
        except (NotFound, Ambiguous) as error:
            found = str(error)
        if found != profession.id:
            wrong.append((profession.labels[lang], latin, found))
    assert len(wrong) <= len(professions) // 50, wrong


@pytest.mark.slow
def test_one_typo_in_long_labels(curated):
    professions = [p for p in curated.model.professions.values() if len(p.labels["ru"]) >= 8]
    wrong = []
    for profession in professions:
        text = profession.labels["ru"]
        middle = len(text) // 2
        typo = text[:middle] + text[middle + 1:]  # drop one letter
        try:
            found = curated.names.resolve(typo).id
        except (NotFound, Ambiguous) as error:
            found = str(error)
        if found != profession.id:
            wrong.append((typo, found))
    assert len(wrong) <= len(professions) // 10, wrong


def test_unknown_name_suggests_the_closest(curated):
    with pytest.raises(NotFound) as caught:
        curated.names.resolve("астронавт-кондитер")
    assert caught.value.exit_code == 2
    with pytest.raises(NotFound) as caught:
        curated.names.resolve("кассирр бухгалтер")
    assert caught.value.suggestions, "a near miss must come with suggestions"


def test_ambiguous_synonym_lists_candidates(tiny_copy):
    edit_csv(tiny_copy / "professions.csv", "assistant,,,,4120", "assistant,,,helper,4120")
    edit_csv(tiny_copy / "professions.csv", "operator,,,,4132", "operator,,,helper,4132")
    names = NameIndex(read_curated(tiny_copy))
    with pytest.raises(Ambiguous) as caught:
        names.resolve("helper")
    assert "assistant" in str(caught.value) and "operator" in str(caught.value)


def test_search_ranks_across_languages(curated):
    hits = curated.names.search("кассир", kind="profession")
    assert hits[0].id == "cashier" and hits[0].score == 100.0
    assert len({hit.id for hit in hits}) == len(hits)
    english = curated.names.search("cashier", kind="profession")
    assert english[0].id == "cashier"


def test_a_bare_prefix_shared_by_many_is_ambiguous(curated):
    managers = [p.id for p in curated.model.professions.values()
                if any(f" {search_key(label)}".count(" menedzher")
                       for label in [*p.labels.values(), *(a for alts in p.alt_labels.values() for a in alts)])]
    assert len(managers) >= 2
    with pytest.raises(Ambiguous) as caught:
        curated.names.resolve("менеджер")
    listed = [candidate.rsplit("(", 1)[1].rstrip(")") for candidate in caught.value.candidates]
    assert len(listed) >= 2 and set(listed) <= set(managers)


def _key_step_by_step(text: str) -> str:
    """The search key as the module docstring defines it, one step at a time and one character at a time."""
    import re
    import unicodedata

    from profgraph.lookup import folding_tables

    tables = folding_tables()
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(tables["letters"].get(char, char) for char in text)
    text = "".join(tables["cyrillic"].get(char, char) for char in text)
    latin = sorted(tables["latin"], key=len, reverse=True)
    text = re.sub("|".join(map(re.escape, latin)), lambda match: tables["latin"][match.group(0)], text)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return re.sub("[^a-z0-9]+", " ", text).strip()


def test_search_keys_equal_the_step_by_step_definition(curated):
    """The folding is one translation table and skips decomposing ASCII; on every curated name and on
    random strings of Kazakh, Russian, Latin and combining letters it gives the step-by-step key."""
    import random
    from profgraph.lookup import names_of

    model = curated.model
    names = [name for entity in (*model.professions.values(), *model.skills.values()) for name in names_of(entity)]
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАӘҒҚҢӨҰҮҺІЁşçıñğqxjwäöüéßﬁⅨ\u0301\u0308 -_.,'09kyshchaAZ"
    generator = random.Random(13)
    names += ["".join(generator.choice(letters) for _ in range(generator.randint(0, 24))) for _ in range(20000)]
    differing = [name for name in names if search_key.__wrapped__(name) != _key_step_by_step(name)]
    assert not differing, differing[:5]
