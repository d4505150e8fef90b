"""The words of the HTML views (graph pages and the static site) in Kazakh, Russian and English.

Every table is written one way: keyed by what it names, with its texts in kk, ru and en (the
order of :data:`~profgraph.vocab.LANGUAGES`), and read by language through :func:`by_language`. Status and skill-type names are the ``skos:prefLabel`` of their concepts in ontology/profgraph.ttl
(tests/test_render.py checks that they agree). Messages with ``{placeholders}`` are filled with
``str.format``.
"""

from __future__ import annotations

from ..vocab import LANGUAGES

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def by_language(table: dict) -> dict[str, dict]:
    """Return ``table`` (key -> one text per language of :data:`~profgraph.vocab.LANGUAGES`, in
    that order) as language -> key -> text. Raises ValueError for a row without a text in each
    language."""
    for key, row in table.items():
        if len(row) != len(LANGUAGES):
            raise ValueError(f"{key!r} has {len(row)} texts for {len(LANGUAGES)} languages")
    return {lang: {key: row[index] for key, row in table.items()} for index, lang in enumerate(LANGUAGES)}


# Every table below is keyed by what it names, with the text in kk, ru and en.

STATUS_NAMES = by_language({
    "emerging": ("жаңа", "новая", "emerging"),
    "transforming": ("өзгеретін", "трансформирующаяся", "transforming"),
    "stable": ("тұрақты", "стабильная", "stable"),
    "disappearing": ("жойылатын", "исчезающая", "disappearing"),
})

SKILL_TYPE_NAMES = by_language({
    "digital": ("цифрлық", "цифровые", "digital"),
    "cognitive": ("когнитивтік", "когнитивные", "cognitive"),
    "socio_behavioural": ("әлеуметтік-мінез-құлықтық", "социально-поведенческие", "socio-behavioural"),
    "professional": ("кәсіби", "профессиональные", "professional"),
    "trait": ("жеке қасиеттер", "личные качества", "personal qualities"),
})

# The plain levels of a risk: the skos:prefLabel of pg:LowLevel, pg:MediumLevel, pg:HighLevel.
LEVEL_NAMES = by_language({
    "low": ("төмен", "низкий", "low"),
    "medium": ("орташа", "средний", "medium"),
    "high": ("жоғары", "высокий", "high"),
})

# How a measure was obtained (profgraph.measures.BASES).
BASIS_NAMES = by_language({
    "esco-occupation": ("байланысқан ESCO кәсібінің өз мәні", "собственное значение связанной профессии ESCO",
                        "the linked ESCO occupation's own value"),
    "esco-broader": ("жалпылама ESCO кәсібінің мәні", "значение более общей профессии ESCO",
                     "the value of a broader ESCO occupation"),
    "skill-profile": ("кәсіптің дағдылары бойынша бағаланған", "оценено по навыкам профессии",
                      "estimated from the profession's skills"),
    "isco-unit-group": ("ISCO-08 бастапқы тобының мәні", "значение начальной группы ISCO-08",
                        "the value of its ISCO-08 unit group"),
    "isco-minor-group": ("ISCO-08 кіші тобының мәні", "значение малой группы ISCO-08",
                         "the value of its ISCO-08 minor group"),
    "isco-major-group": ("ISCO-08 негізгі тобының мәні", "значение основной группы ISCO-08",
                         "the value of its ISCO-08 major group"),
})

# The transition rules (profgraph.rules), named where a move breaks one.
RULE_NAMES = by_language({
    "viable": ("ықтимал емес", "переход невозможен", "not viable"),
    "desirable": ("жалақы төмен", "оплата ниже", "pays less"),
    "safer": ("қауіпсізірек емес", "не безопаснее", "not safer"),
    "stepping_stone": ("аралық қадам жарамсыз", "неподходящий промежуточный шаг", "unsuitable stepping stone"),
})

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
    "traits": ("Жеке қасиеттер", "Личные качества", "Personal qualities"),
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
    "step": ("{number}-қадам", "шаг {number}", "step {number}"),
    "skills_to_learn": ("үйрену керек", "чему научиться", "to learn"),
    "details_hint": ("Толығырақ көру үшін түйінді басыңыз немесе кәсіпті іздеңіз.",
                     "Нажмите на узел или найдите профессию, чтобы увидеть подробности.",
                     "Click a node or search for a profession to see its details."),
    "open_page": ("Бетін ашу", "Открыть страницу", "Open its page"),
    "capped": ("{total} түйіннің {shown} көрсетілген (шек {cap}); жасырылғаны: кәсіп {professions}, дағды {skills}.",
               "Показано {shown} из {total} узлов (предел {cap}): скрыто профессий {professions}, навыков "
               "{skills}.",
               "Showing {shown} of {total} nodes (cap {cap}); hidden: professions {professions}, skills {skills}."),
    # what a capped view's reader can do: on the command line, narrow it; on the site, open a page
    "capped_hint": ("Көріністі --sector, --status немесе кәсіп атауымен тарылтыңыз.",
                    "Сузьте вид с помощью --sector, --status или названия профессии.",
                    "Narrow the view with --sector, --status or a profession name."),
    "capped_hint_pages": ("Кәсіптің барлық байланыстары оның бетінде көрсетілген.",
                          "Все связи профессии показаны на её странице.",
                          "A profession's page shows all its links."),
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
    "automation_risk": ("автоматтандыру қаупі", "риск автоматизации", "automation risk"),
    "genai_exposure": ("генеративті ЖИ әсері", "подверженность генеративному ИИ", "generative-AI exposure"),
    "genai_short": ("ГенЖИ", "ГенИИ", "genAI"),
    "automation_short": ("автоматтандыру", "автоматизация", "automation"),
    "preparation": ("дайындық", "подготовка", "preparation"),
    "isco_skill_level": ("ISCO біліктілік деңгейі", "уровень квалификации ISCO", "ISCO skill level"),
    "job_zone": ("O*NET дайындық аймағы", "зона подготовки O*NET", "O*NET job zone"),
    "wage": ("орташа айлық жалақы", "средняя месячная зарплата", "average monthly wage"),
    "pay": ("жалақы", "оплата", "pay"),
    "unknown": ("белгісіз", "неизвестно", "unknown"),
    "bottleneck": ("автоматтандыру қиын міндеттер үлесі", "доля трудноавтоматизируемых задач",
                   "share of bottleneck tasks"),
    "measures": ("Өлшемдер", "Показатели", "Measures"),
    "rules_in_force": ("Қолданылатын ережелер", "Действующие правила", "Rules in force"),
    "no_path_rules": ("Ережелерге сай жол жоқ", "Нет пути, отвечающего правилам", "No path meets the rules"),
    "nearest_misses": ("Ең жақын нұсқалар және оларға не кедергі", "Ближайшие варианты и что им мешает",
                       "Nearest misses and what blocks them"),
    "flagged": ("белгіленген", "с пометкой", "flagged"),
    "strictly_safer": ("қатаң қауіпсізірек", "строго безопаснее", "strictly safer"),
    "desirable": ("жалақы сақталады", "оплата сохраняется", "desirable"),
    "reachable": ("қол жетімді, қадам саны: {steps}", "достижима, шагов: {steps}", "reachable in {steps} steps"),
    "not_reachable": ("қол жетімсіз", "недостижима", "not reachable"),
    "missing_skills": ("жетіспейтін дағдылар", "недостающие навыки", "missing skills"),
    "both_risks": ("автоматтандыру қаупі мен генеративті ЖИ әсері", "риск автоматизации и подверженность генеративному ИИ",
                   "automation risk and generative-AI exposure"),
    "rules_line": ("қамту ≥ {coverage}%, дайындық ±{step}, жалақы ≥ {pay}%, {measure} төмендейді және жоғары емес",
                   "покрытие ≥ {coverage}%, подготовка ±{step}, оплата ≥ {pay}%, {measure} снижается и не высокий",
                   "coverage ≥ {coverage}%, preparation ±{step}, pay ≥ {pay}%, {measure} lower and not high"),
    "generated": ("profgraph {version} жасаған", "Создано profgraph {version}", "Made by profgraph {version}"),
    # the client's own skills on the path finder
    "client_skills": ("Клиенттің дағдылары", "Навыки клиента", "The client's skills"),
    "client_skills_hint": ("Клиент меңгермеген дағдылардан белгіні алыңыз, басқа дағдыларды қосыңыз.",
                           "Снимите отметку с навыков, которых у клиента нет, и добавьте другие.",
                           "Untick the skills the client does not have and add others."),
    "add_skills": ("Дағды қосу (үтір арқылы)", "Добавить навыки (через запятую)", "Add skills (comma-separated)"),
    "update_paths": ("Жолдарды жаңарту", "Обновить пути", "Update the paths"),
    "standard_profile": ("Стандартты профильге оралу", "Вернуть стандартный профиль", "Back to the standard profile"),
    "you_have": ("сізде {of} дағдының {have} бар ({percent}%)", "у вас {have} из {of} навыков ({percent}%)",
                 "you have {have} of {of} skills ({percent}%)"),
    "plan_title": ("Қайта даярлау жоспары", "План переобучения", "Reskilling plan"),
    "plan_print": ("Жоспарды басып шығару", "Распечатать план", "Print the plan"),
    "plan_current": ("Қазіргі жұмыс", "Текущая работа", "Current job"),
    "plan_paths": ("Ең жақсы жолдар", "Лучшие пути", "The best paths"),
    "plan_step": ("{number}-қадам", "Шаг {number}", "Step {number}"),
    "plan_learn": ("Үйрену керек", "Чему научиться", "To learn"),
    "plan_nothing": ("жаңа дағды қажет емес", "новые навыки не нужны", "no new skills needed"),
    "plan_risk": ("автоматтандыру қаупі: {before} → {after}", "риск автоматизации: {before} → {after}",
                  "automation risk: {before} → {after}"),
    "plan_pay": ("жалақы: қазіргінің {percent}%", "оплата: {percent}% от нынешней", "pay: {percent}% of now"),
    "plan_preparation": ("дайындық деңгейі: {before} → {after}", "уровень подготовки: {before} → {after}",
                         "preparation level: {before} → {after}"),
    "plan_coverage": ("бар дағдылар: {percent}%", "навыки уже есть: {percent}%", "skills already there: {percent}%"),
    "plan_footer": ("Күні: {date}. Деректер көздері: {sources}. profgraph {version}.",
                    "Дата: {date}. Источники данных: {sources}. profgraph {version}.",
                    "Date: {date}. Data sources: {sources}. profgraph {version}."),
    "url_too_long": ("Сілтеме тым ұзын (сұрау {limit} байттан асады): дағдылар тізімін қысқартыңыз немесе қайта бастаңыз.",
                     "Адрес слишком длинный (запрос больше {limit} байт): сократите список навыков или начните заново.",
                     "The address is too long (the query is over {limit} bytes): list fewer skills or start again."),
}

TEXTS = by_language(_TEXTS)
for _lang in LANGUAGES:  # the named values, for the templates: words.levels.high, words.bases[...], words.rules[...]
    TEXTS[_lang].update(levels=LEVEL_NAMES[_lang], bases=BASIS_NAMES[_lang], rules=RULE_NAMES[_lang])


def texts(lang: str) -> dict:
    """Return the UI words in ``lang`` as a dict key -> text (and ``levels``, ``bases``, ``rules``: dicts of
    the named values). Raises KeyError for an unknown language."""
    return TEXTS[lang]


def level_name(level: str | None, lang: str) -> str:
    """Return the plain level ``low``/``medium``/``high`` in ``lang`` ("unknown" for None)."""
    return LEVEL_NAMES[lang][level] if level else TEXTS[lang]["unknown"]


# Short names of the sources figures cite, in each language (proper names stay as they are);
# a source not listed is named by its publisher, else its title.
SOURCE_NAMES = by_language({
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
    "nesta-mcc-occupations": ("Nesta: ESCO кәсіптерінің автоматтандыру қаупі (2020)",
                              "Nesta: риск автоматизации профессий ESCO (2020)",
                              "Nesta, Mapping Career Causeways: automation risk of ESCO occupations (2020)"),
    "nesta-mcc-inputs": ("Nesta: ESCO кәсіптерінің деректері (2020)", "Nesta: данные профессий ESCO (2020)",
                         "Nesta, Mapping Career Causeways: occupation data (2020)"),
    "ilo-genai-2025": ("ХЕҰ: генеративті ЖИ әсерінің индексі (2025)", "МОТ: индекс подверженности генеративному ИИ (2025)",
                       "ILO: generative-AI exposure index (2025)"),
    "ilo-isco-08": ("ХЕҰ: ISCO-08 (2012)", "МОТ: ISCO-08 (2012)", "ILO: ISCO-08 (2012)"),
    "bns-kz-wages-2022": ("ҚР Ұлттық статистика бюросы: жалақы (2022)",
                          "Бюро национальной статистики РК: заработная плата (2022)",
                          "Bureau of National Statistics of Kazakhstan: wages (2022)"),
})


def source_name(source, lang: str) -> str:
    """Return the short name of ``source`` (a :class:`profgraph.model.Source`) in ``lang``:
    from :data:`SOURCE_NAMES`, else its publisher, else its title."""
    return SOURCE_NAMES[lang].get(source.id) or source.publisher or source.title


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
