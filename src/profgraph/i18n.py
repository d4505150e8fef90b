"""The words of the HTML views (graph pages and the static site) in Kazakh, Russian and English.

Status and skill-type names are the ``skos:prefLabel`` of their concepts in ontology/profgraph.ttl
(tests/test_render.py checks that they agree). Messages with ``{placeholders}`` are filled with
``str.format``.
"""

from __future__ import annotations

from .vocab import LANGUAGES

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

STATUS_NAMES = {
    "kk": {"emerging": "жаңа", "transforming": "өзгеретін", "stable": "тұрақты", "disappearing": "жойылатын"},
    "ru": {"emerging": "новая", "transforming": "трансформирующаяся", "stable": "стабильная",
           "disappearing": "исчезающая"},
    "en": {"emerging": "emerging", "transforming": "transforming", "stable": "stable", "disappearing": "disappearing"},
}

SKILL_TYPE_NAMES = {
    "kk": {"digital": "цифрлық", "cognitive": "когнитивтік", "socio_behavioural": "әлеуметтік-мінез-құлықтық",
           "professional": "кәсіби"},
    "ru": {"digital": "цифровые", "cognitive": "когнитивные", "socio_behavioural": "социально-поведенческие",
           "professional": "профессиональные"},
    "en": {"digital": "digital", "cognitive": "cognitive", "socio_behavioural": "socio-behavioural",
           "professional": "professional"},
}

_TEXTS = {
    "graph": ("Кәсіптер графы", "Граф профессий", "Profession graph"),
    "whole_graph": ("Толық граф", "Весь граф", "Whole graph"),
    "neighbourhood": ("{name}: көршілес кәсіптер мен дағдылар", "{name}: соседние профессии и навыки",
                      "{name}: neighbouring professions and skills"),
    "paths_to_status": ("{name}: «{target}» мәртебесіндегі кәсіптерге қайта даярлау жолдары",
                        "{name}: пути переобучения к профессиям со статусом «{target}»",
                        "{name}: reskilling paths to {target} professions"),
    "paths_to_safer": ("{name}: автоматтандыру қаупі төменірек кәсіптерге қайта даярлау жолдары",
                       "{name}: пути переобучения к профессиям с меньшим риском автоматизации",
                       "{name}: reskilling paths to professions at lower risk of automation"),
    "paths_to_profession": ("{name}: «{target}» кәсібіне қайта даярлау жолдары",
                            "{name}: пути переобучения к профессии «{target}»",
                            "{name}: reskilling paths to {target}"),
    "search": ("Кәсіпті іздеу…", "Найти профессию…", "Find a profession…"),
    "no_match": ("Ештеңе табылмады", "Ничего не найдено", "Nothing found"),
    "legend": ("Шартты белгілер", "Условные обозначения", "Legend"),
    "profession": ("кәсіп", "профессия", "profession"),
    "skill": ("дағды", "навык", "skill"),
    "sector": ("сала", "отрасль", "sector"),
    "status": ("мәртебесі", "статус", "status"),
    "status_unknown": ("мәртебесі белгісіз", "статус неизвестен", "status unknown"),
    "skill_type": ("дағды түрі", "тип навыка", "skill type"),
    "isco": ("ISCO-08", "ISCO-08", "ISCO-08"),
    "exposure": ("автоматтандыру қаупі", "подверженность автоматизации", "automation exposure"),
    "exposure_unknown": ("белгісіз", "нет оценки", "no estimate"),
    "source": ("дереккөз", "источник", "source"),
    "size_note": ("Барлық кәсіптер бірдей өлшемде.", "Все профессии одного размера.",
                  "Every profession is drawn the same size."),
    "focus_note": ("Бастапқы кәсіп үлкенірек, қоршаулы.", "Исходная профессия крупнее и обведена.",
                   "The starting one is larger and outlined."),
    "has_share": ("{origin} → {destination}: дағдылардың {percent}% бар",
                  "{origin} → {destination}: уже есть {percent}% навыков",
                  "{origin} → {destination}: {percent}% of the skills already there"),
    "coverage_note": ("69% — келесі кәсіптің дағдыларының қазірдің өзінде бар үлесі",
                      "69% — доля навыков следующей профессии, которые уже есть",
                      "69% — share of the next profession's skills the worker already has"),
    "paths_only": ("Тек жолдар", "Только пути", "Paths only"),
    "effort": ("еңбек сыйымдылығы", "трудоёмкость", "effort"),
    "effort_hint": ("Жетіспейтін дағдылар, қадамдар және автоматтандыру қаупі бойынша; аз болса, жақсы.",
                    "По недостающим навыкам, числу шагов и риску автоматизации; чем меньше, тем лучше.",
                    "From the missing skills, the steps and the automation exposure; lower is easier."),
    "exposure_short": ("қауіп", "риск", "risk"),
    "exposure_scale": ("0 — төмен, 1 — жоғары", "0 — низкая, 1 — высокая", "0 low, 1 high"),
    "exposure_hint": ("Автоматтандыру қаупі: 0-ден (төмен) 1-ге дейін (жоғары)",
                      "Подверженность автоматизации: от 0 (низкая) до 1 (высокая)",
                      "Automation exposure: from 0 (low) to 1 (high)"),
    "essential": ("міндетті дағды", "обязательный навык", "essential skill"),
    "optional": ("қосымша дағды", "дополнительный навык", "optional skill"),
    "essential_skills": ("Міндетті дағдылар", "Обязательные навыки", "Essential skills"),
    "optional_skills": ("Қосымша дағдылар", "Дополнительные навыки", "Optional skills"),
    "in_sector": ("саласы", "отрасль", "in sector"),
    "transforms_into": ("айналады", "трансформируется в", "transforms into"),
    "transforms_into_heading": ("Неге айналады", "Во что трансформируется", "Transforms into"),
    "transforms_from_heading": ("Нені алмастырады", "Приходит на смену", "Takes over from"),
    "transition": ("ықтимал ауысу (дағдыларды қамту)", "возможный переход (покрытие навыков)",
                   "viable move (skill coverage)"),
    "path": ("қайта даярлау жолы", "путь переобучения", "reskilling path"),
    "paths": ("Ең жақсы қайта даярлау жолдары", "Лучшие пути переобучения", "Best reskilling paths"),
    "paths_heading": ("«{target}» мәртебесіндегі кәсіптерге апаратын жолдар",
                      "Пути к профессиям со статусом «{target}»", "Paths to {target} professions"),
    "show_all_paths": ("Барлық жолдар", "Все пути", "All paths"),
    "no_paths": ("Мүмкін жол табылмады", "Возможных путей не найдено", "No viable path found"),
    "new_skills": ("жаңа дағды: {count}", "новых навыков: {count}", "{count} new skills"),
    "coverage": ("қамту", "покрытие", "coverage"),
    "score": ("құны", "стоимость", "score"),
    "step": ("{number}-қадам", "шаг {number}", "step {number}"),
    "skills_to_learn": ("үйрену керек", "чему научиться", "to learn"),
    "details_hint": ("Толығырақ көру үшін түйінді басыңыз немесе кәсіпті іздеңіз.",
                     "Нажмите на узел или найдите профессию, чтобы увидеть подробности.",
                     "Click a node or search for a profession to see its details."),
    "open_page": ("Бетін ашу", "Открыть страницу", "Open its page"),
    "capped": ("{total} түйіннің {shown} көрсетілген (шек {cap}); жасырылғаны: кәсіп {professions}, дағды {skills}. "
               "Көріністі --sector, --status немесе кәсіп атауымен тарылтыңыз.",
               "Показано {shown} из {total} узлов (предел {cap}): скрыто профессий {professions}, навыков "
               "{skills}. Сузьте вид с помощью --sector, --status или названия профессии.",
               "Showing {shown} of {total} nodes (cap {cap}); hidden: professions {professions}, skills {skills}. "
               "Narrow the view with --sector, --status or a profession name."),
    "solitary_skills": ("Көрсетілген кәсіптердің біреуіне ғана қажет {count} дағды сызылмаған; олар сол кәсіптің "
                        "мәліметтерінде берілген.",
                        "Навыки, нужные только одной из показанных профессий ({count}), не нарисованы: они "
                        "перечислены в карточке этой профессии.",
                        "{count} skills needed by only one profession shown are not drawn: they are listed in "
                        "that profession's details."),
    "edges_capped": ("{total} байланыстың {shown} көрсетілген.", "Показано {shown} из {total} связей.",
                     "Showing {shown} of {total} links."),
    "filtered": ("Сүзгі: {filters}", "Фильтр: {filters}", "Filter: {filters}"),
    "layout": ("Орналасу есептелуде…", "Раскладка рассчитывается…", "Laying out…"),
    "professions": ("Кәсіптер", "Профессии", "Professions"),
    "skills": ("Дағдылар", "Навыки", "Skills"),
    "sectors": ("Салалар", "Отрасли", "Sectors"),
    "by_status": ("Мәртебесі мен саласы бойынша кәсіптер", "Профессии по статусу и отрасли",
                  "Professions by status and sector"),
    "by_sector": ("Салалар бойынша кәсіптер", "Профессии по отраслям", "Professions by sector"),
    "skills_by_type": ("Түрі бойынша дағдылар", "Навыки по типам", "Skills by type"),
    "needed_by": ("Бұл дағды қажет кәсіптер", "Профессии, которым нужен этот навык",
                  "Professions that need this skill"),
    "needed_essential": ("Міндетті дағды ретінде", "Как обязательный навык", "As an essential skill"),
    "needed_optional": ("Қосымша дағды ретінде", "Как дополнительный навык", "As an optional skill"),
    "skills_count": ("дағды: {count}", "навыков: {count}", "{count} skills"),
    "successor_path": ("жол бар, қадам саны: {steps}", "путь есть, шагов: {steps}", "a viable path: {steps} step(s)"),
    "successor_no_path": ("Қазіргі ережелер бойынша мүмкін жол жоқ: әр қадамда дағдылардың кемінде {percent}% "
                          "болуы керек, ең көбі {steps} қадам.",
                          "При текущих правилах пути нет: на каждом шаге нужно не меньше {percent}% навыков "
                          "следующей профессии, не больше {steps} шагов.",
                          "No viable path under the current rules: each step needs at least {percent}% of the "
                          "next profession's skills, in at most {steps} steps."),
    "esco_link": ("ESCO-дағы сипаттамасы", "Описание в ESCO", "Its ESCO entry"),
    "search_site": ("Кәсіпті не дағдыны іздеу…", "Найти профессию или навык…", "Find a profession or skill…"),
    "search_more": ("Барлық нәтиже", "Все результаты", "All results"),
    "professions_count": ("кәсіп: {count}", "профессий: {count}", "{count} professions"),
    "other_languages": ("Басқа тілдерде", "На других языках", "In other languages"),
    "also_called": ("Басқаша атауы", "Также называется", "Also called"),
    "local_graph": ("Көршілес кәсіптер мен дағдылар", "Соседние профессии и навыки",
                    "Neighbouring professions and skills"),
    "language": ("Тіл", "Язык", "Language"),
    "site_title": ("Кәсіптер атласы", "Атлас профессий", "Atlas of professions"),
    "site_intro": ("Қазақстан еңбек нарығының кәсіптері, дағдылары және қайта даярлау жолдары.",
                   "Профессии рынка труда Казахстана, их навыки и пути переобучения.",
                   "Professions of Kazakhstan's labour market, their skills and reskilling paths."),
    "data_note": ("Деректер: profgraph жобасының топтамасы; ресми тізім емес.",
                  "Данные: набор проекта profgraph; не официальный перечень.",
                  "Data: the profgraph dataset; not an official list."),
    "data_note_other": ("Деректер: {name}.", "Данные: {name}.", "Data: {name}."),
    "search_button": ("Іздеу", "Найти", "Search"),
    "search_results": ("«{query}» бойынша іздеу", "Поиск: «{query}»", "Search: “{query}”"),
    "path_finder": ("Жол іздеу", "Поиск пути", "Path finder"),
    "path_from": ("Қазіргі кәсіп", "Текущая профессия", "Current profession"),
    "path_to": ("Мақсат: мәртебе, «safer» немесе кәсіп атауы", "Цель: статус, «safer» или название профессии",
                "Target: a status, “safer” or a profession name"),
    "safer": ("автоматтандыру қаупі төменірек", "меньший риск автоматизации", "lower automation risk"),
    "find_paths": ("Жолдарды табу", "Найти пути", "Find paths"),
    "generated": ("profgraph {version} жасаған", "Создано profgraph {version}", "Made by profgraph {version}"),
}

TEXTS = {lang: {key: values[index] for key, values in _TEXTS.items()} for index, lang in enumerate(LANGUAGES)}


def texts(lang: str) -> dict[str, str]:
    """Return the UI words in ``lang`` as a dict key -> text. Raises KeyError for an unknown language."""
    return TEXTS[lang]


# Short names of the sources figures cite, in each language (proper names stay as they are);
# a source not listed is named by its publisher, else its title.
SOURCE_NAMES = {
    "profgraph-team": ("profgraph жобасының командасы", "команда проекта profgraph", "the profgraph team"),
    "nesta-mcc-isco4": ("Nesta: ISCO-08 топтары бойынша автоматтандыру қаупі (2020)",
                        "Nesta: риск автоматизации по группам ISCO-08 (2020)",
                        "Nesta, Mapping Career Causeways: automation risk by ISCO-08 group (2020)"),
    "nesta-mcc-isco3": ("Nesta: ISCO-08 кіші топтары бойынша автоматтандыру қаупі (2020)",
                        "Nesta: риск автоматизации по подгруппам ISCO-08 (2020)",
                        "Nesta, Mapping Career Causeways: automation risk by ISCO-08 minor group (2020)"),
    "esco-v1-1-1": ("ESCO v1.1.1 (Еуропалық комиссия)", "ESCO v1.1.1 (Европейская комиссия)",
                    "ESCO v1.1.1 (European Commission)"),
    "esco": ("ESCO (Еуропалық комиссия)", "ESCO (Европейская комиссия)", "ESCO (European Commission)"),
    "atlas-2021": ("Қазақстанның жаңа кәсіптер атласы (2021)", "Атлас новых профессий Казахстана (2021)",
                   "Atlas of new professions of Kazakhstan (2021)"),
}


def source_name(source, lang: str) -> str:
    """Return the short name of ``source`` (a :class:`profgraph.model.Source`) in ``lang``:
    from :data:`SOURCE_NAMES`, else its publisher, else its title."""
    names = SOURCE_NAMES.get(source.id)
    if names:
        return names[LANGUAGES.index(lang)]
    return source.publisher or source.title


def other_languages(lang: str) -> tuple[str, ...]:
    """Return the languages whose labels a page in ``lang`` shows beside its own: all others on an
    English page, the other local language on a Kazakh or Russian one (no English there)."""
    return tuple(other for other in LANGUAGES if other != lang and (lang == "en" or other != "en"))


def status_name(status: str | None, lang: str) -> str:
    """Return the name of ``status`` in ``lang`` ("status unknown" for None)."""
    return STATUS_NAMES[lang][status] if status else TEXTS[lang]["status_unknown"]


# Kazakh Cyrillic alphabet order (it contains the Russian one): sorting by code point would put
# ә, ғ, қ, ң, ө, ұ, ү, һ, і after я.
_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}


def sort_key(text: str) -> tuple:
    """Return a key that sorts Kazakh and Russian labels in alphabet order, case-insensitively
    (Latin and other characters after Cyrillic, by code point)."""
    return tuple(_RANK.get(char, len(_ALPHABET) + ord(char)) for char in text.casefold())
