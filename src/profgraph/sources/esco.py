"""Reader for the ESCO classification as the European Commission publishes it: the CSV download.

The files are found by name in any number of zips and folders (a folder's zips are opened
too), tolerating the v1.1 names (``occupationSkillRelations.csv``) and the later ones with a
language suffix (``occupationSkillRelations_en.csv``). Only the needed columns are read, as
text, with pandas' C parser.

Mapping to the model: an occupation becomes a :class:`~profgraph.model.Profession` whose IRI
is its ESCO URI and whose id is ``esco-`` and the first two groups of the URI's UUID
(``esco-00030d09-2b3a``; the whole UUID where two would clash), with the preferred and
alternative labels in the language read, its ISCO-08 group and no status (ESCO has none). A
skill keeps its ESCO URI as IRI. ``occupationSkillRelations`` gives the essential and optional
requirements; links to an occupation or skill that the occupation and skill files lack are
dropped and counted (v1.1.1 has 67, all to one occupation missing from ``occupations_en.csv``).

Skill types, from ESCO's own structure (``skillsHierarchy`` and ``broaderRelationsSkillPillar``):

1. **digital**: a member of the digital skills collection, or a skill filed under the
   skills-pillar group "working with computers" (S5), directly or through its groups'
   broader groups (a skill filed under no group takes the groups of its broader skill);
2. **cognitive** / **socio-behavioural** (and **digital**, **professional**): for skills
   that ESCO marks as reusable across sectors (reuse level "transversal" or "cross-sector"),
   the branch of the transversal skills hierarchy that the skill, or any broader skill it
   specialises, belongs to, by :data:`TRANSVERSAL_TYPES`; where branches disagree the first
   of digital, cognitive, socio-behavioural, professional wins;
3. **professional**: every other skill, including sector- and occupation-specific
   specialisations of a transversal skill ("advise customers on clocks" is a trade skill,
   though ESCO files it under "advise others").
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..model import Model, Profession, Skill, Source
from ..vocab import ESCO_GRAPH, RELATION_WEIGHT, SKILL_TYPES, iri

DEFAULT_LANG = "en"  # the language of the ESCO files read, unless another is asked for
# logical table -> (file name stem, the columns read)
TABLES = {
    "occupations": ("occupations", ("conceptUri", "iscoGroup", "preferredLabel", "altLabels")),
    "skills": ("skills", ("conceptUri", "preferredLabel", "altLabels", "reuseLevel")),
    "relations": ("occupationSkillRelations", ("occupationUri", "relationType", "skillUri")),
    "occupation_broader": ("broaderRelationsOccPillar", ("conceptType", "conceptUri", "broaderType", "broaderUri")),
    "skill_broader": ("broaderRelationsSkillPillar", ("conceptUri", "broaderUri")),
    "hierarchy": ("skillsHierarchy", tuple(f"Level {level} {part}" for level in range(4) for part in ("URI", "code"))),
    "digital": ("digitalSkillsCollection", ("conceptUri",)),
}
_NEEDED_RECORDS = ("occupations", "skills", "relations")  # an import without any of them holds nothing
DIGITAL_GROUP = "S5"  # skills pillar: "working with computers"
TRANSVERSAL_REUSE = ("transversal", "cross-sector")
# Transversal skills hierarchy code -> skill type; the longest code that prefixes a group's code wins.
TRANSVERSAL_TYPES = {
    "T1.1": "socio_behavioural",  # mastering languages: communicating with people
    "T1.2": "cognitive",  # working with numbers and measures
    "T1.3": "digital",  # working with digital devices and applications
    "T2": "cognitive",  # thinking skills and competences
    "T3": "socio_behavioural",  # self-management skills and competences
    "T4": "socio_behavioural",  # social and communication skills and competences
    "T5": "professional",  # physical and manual skills: the trade's own craft
    "T6.1": "socio_behavioural",  # life skills: health-related
    "T6.2": "socio_behavioural",  # environmental
    "T6.3": "socio_behavioural",  # civic
    "T6.4": "socio_behavioural",  # cultural
    "T6.5": "cognitive",  # entrepreneurial and financial
    "T6.6": "cognitive",  # applying general knowledge
}
# Attitudes and values: dispositions a person brings rather than competences one learns. ESCO v1.0
# filed them as the transversal group "attitudes and values"; v1.1 spreads them over self-management
# (T3) and "following ethical code of conduct" (T4.5). These are typed "trait": shown on a profile,
# never a skill to learn. The last three are ESCO's most reused cross-sector dispositions.
TRAIT_SKILLS = frozenset("http://data.europa.eu/esco/skill/" + uuid for uuid in (
    "83e6510b-ffeb-4aec-959c-4265fd0ff7b7",  # attend to detail (T3.1)
    "9cfd2219-553c-4d67-81e5-951e87c65135",  # maintain concentration for long periods (T3.1)
    "c29aa9d2-4da8-4bdd-831c-8d4a2fb51730",  # work independently (T3.1)
    "113b4428-0a31-4199-8496-070af7854b91",  # meet commitments (T3.1)
    "001115fb-569f-4ee6-8381-c6807ef2527f",  # show initiative (T3.2)
    "199f7919-5114-41b6-b6a5-41e0e4896ec1",  # assume responsibility (T3.2)
    "19a64e91-bfe3-4c48-9225-3bb1229b12f0",  # show determination (T3.2)
    "1fce1197-3a5b-45b7-8797-575cd3b57a01",  # show commitment (T3.2)
    "1d1fedcb-4995-44ac-90f5-f31a157ce512",  # manage frustration (T3.3)
    "469748ce-051a-407e-9099-0c9415ac2705",  # approach challenges positively (T3.3)
    "5cd1930c-278d-4929-b413-27352f5b3687",  # cope with uncertainty (T3.3)
    "669b75d8-671c-4a1c-8e0b-6466c513c27d",  # show confidence (T3.3)
    "7a147904-22b3-498a-b4d9-7bceeb86b45d",  # cope with stress (T3.3)
    "05aa7c09-46e7-433f-a81b-92841f4551e7",  # accept criticism and guidance (T3.4)
    "409a0245-0e6c-4aac-ba16-0920ecb76a8d",  # exercise self-reflection (T3.4)
    "429062f1-a958-43ea-83dd-4e1af078c156",  # demonstrate curiosity (T3.4)
    "49de9958-2aa4-4eef-a89d-fe5d5bcd28c4",  # adapt to change (T3.4)
    "9bf266a6-188b-4d17-a22f-2f266d76832b",  # demonstrate willingness to learn (T3.4)
    "fd89f784-88dc-4d35-abd7-86aa073cab12",  # keep an open mind (T3.4)
    "72d1fa5d-1b7f-48e7-84e3-6e779841ddf1",  # demonstrate loyalty (T4.5)
    "b618584f-6bdf-4d8f-89a7-f28c2c95afc2",  # comply with regulations (T4.5)
    "bcf002ce-90f8-42e5-ac1b-5dba208639b0",  # demonstrate trustworthiness (T4.5)
    "e37d64dc-0f05-4ee8-b065-bf76f70d8f5c",  # respect confidentiality obligations (T4.5)
    "77b636e8-fab3-41a8-8022-1e0a354059dc",  # show empathy (T4.2)
    "aa238394-8126-4ada-be2f-9dfe065cf314",  # adhere to organisational guidelines
    "25e16679-a7d0-464d-916c-63210001bbab",  # act reliably
    "f5f5b244-6cea-4fbc-8a50-8f712791bc09",  # follow company standards
))
ESCO_SOURCE = Source("esco", iri("source", "esco"),
                     "ESCO: European Skills, Competences, Qualifications and Occupations",
                     "European Commission", url="https://esco.ec.europa.eu/")
# The sources of the measures an import derives from the reference data (the same ids as data/sources.csv).
REFERENCE_SOURCES = {
    "inputs": Source("nesta-mcc-inputs", iri("source", "nesta-mcc-inputs"), "Mapping Career Causeways: occupation "
                     "data inputs of the transitions (mcc_transitions_Occupation_data_inputs.csv)", "Nesta", "2020",
                     "https://github.com/nestauk/mapping-career-causeways",
                     "Job zone, education level and indicative annual earnings (UK; used only as ratios)."),
    "genai": Source("ilo-genai-2025", iri("source", "ilo-genai-2025"), "Generative AI and jobs: A refined global "
                    "index of occupational exposure (ILO Working Paper 140)", "International Labour Organization",
                    "2025", "https://doi.org/10.54394/HETP0387",
                    "Mean exposure score of a unit group's tasks (2025) and its category, per ISCO-08 unit group."),
    "skill_level": Source("ilo-isco-08", iri("source", "ilo-isco-08"), "International Standard Classification of "
                          "Occupations ISCO-08, Volume 1", "International Labour Organization", "2012",
                          "https://www.ilo.org/public/english/bureau/stat/isco/isco08/",
                          "The ISCO skill level of each major group."),
    "wages": Source("bns-kz-wages-2022", iri("source", "bns-kz-wages-2022"), "Average monthly nominal wage by "
                    "enlarged occupation group, 2022", "Bureau of National Statistics of the Republic of Kazakhstan",
                    "2023", "https://stat.gov.kz/", "The national wage of each ISCO-08 major group (KZT per month)."),
}
_UUID_HEAD = re.compile(r"^([0-9a-f]{8}-[0-9a-f]{4})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class EmptyImport(DataError):
    """An ESCO table the import needs holds no records, or the import would yield no professions or
    no requirements: the files given are not the ESCO download (a usage error, exit status 2)."""

    exit_code = 2


@dataclass(frozen=True)
class EscoFile:
    """Where one ESCO table was found: a CSV file, or ``member`` of the zip ``container``."""

    container: Path
    member: str | None = None

    def __str__(self) -> str:
        return f"{self.container}:{self.member}" if self.member else str(self.container)


@dataclass
class EscoImport:
    """A model read from ESCO and what the reading found."""

    model: Model
    files: dict[str, EscoFile]
    links_read: int
    links_dropped: dict[str, int]
    exposure_basis: dict[str, int]
    measures_known: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        """Return the counts of the import as a JSON-ready dict."""
        model = self.model
        types = Counter(skill.type for skill in model.skills.values())
        return {
            "files": {table: str(found) for table, found in self.files.items()},
            "professions": len(model.professions),
            "skills": len(model.skills),
            "skill_types": {skill_type: types.get(skill_type, 0) for skill_type in SKILL_TYPES},
            "links_read": self.links_read,
            "links_dropped": self.links_dropped,
            "requirements": sum(len(p.skills) for p in model.professions.values()),
            "exposure": self.exposure_basis,
            "measures": self.measures_known,
        }


def _pattern(stem: str, lang: str) -> re.Pattern:
    return re.compile(rf"^{stem}(?:_{re.escape(lang)})?\.csv$", re.IGNORECASE)


def find_files(paths: Iterable[str | Path], lang: str = DEFAULT_LANG) -> dict[str, EscoFile]:
    """Return where each of :data:`TABLES` is among the zips, CSV files and folders ``paths``.

    Raises :class:`DataError` for a path that is missing, not a zip, CSV or folder, or a
    corrupt zip, for a table found twice and for a table found nowhere.
    """
    candidates: list[tuple[str, EscoFile]] = []

    def add_zip(path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError) as error:
            raise DataError(f"not a readable zip archive (truncated or corrupt?): {error}", str(path)) from None
        candidates.extend((name.rsplit("/", 1)[-1], EscoFile(path, name)) for name in names if not name.endswith("/"))

    for path in map(Path, paths):
        if path.is_dir():
            for inner in sorted(path.rglob("*")):
                if inner.suffix.lower() == ".zip":
                    add_zip(inner)
                elif inner.suffix.lower() == ".csv":
                    candidates.append((inner.name, EscoFile(inner)))
        elif not path.exists():
            raise DataError("no such file or folder", str(path))
        elif path.suffix.lower() == ".zip":
            add_zip(path)
        elif path.suffix.lower() == ".csv":
            candidates.append((path.name, EscoFile(path)))
        else:
            raise DataError("not an ESCO zip, CSV file or folder", str(path))
    found: dict[str, EscoFile] = {}
    for table, (stem, _) in TABLES.items():
        pattern = _pattern(stem, lang)
        matches = [where for name, where in candidates if pattern.match(name)]
        if not matches:
            raise DataError(f"no {stem}.csv or {stem}_{lang}.csv among {', '.join(map(str, paths))}")
        if len(matches) > 1:
            raise DataError(f"{stem} found more than once: {matches[0]} and {matches[1]}")
        found[table] = matches[0]
    return found


def read_table(where: EscoFile, columns: tuple[str, ...]):
    """Return the ``columns`` of the CSV file ``where`` as a pandas DataFrame of strings ("" when empty).

    Raises :class:`DataError` for a missing column and for a file that cannot be read.
    """
    import pandas as pd

    try:
        if where.member is None:
            frame = pd.read_csv(where.container, usecols=lambda c: c in columns, dtype=str, na_filter=False)
        else:
            with zipfile.ZipFile(where.container) as archive, archive.open(where.member) as handle:
                frame = pd.read_csv(handle, usecols=lambda c: c in columns, dtype=str, na_filter=False)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise DataError(f"corrupt or truncated archive member: {error}", str(where)) from None
    except UnicodeDecodeError as error:
        raise DataError(f"not UTF-8 ({error.reason} at byte {error.start})", str(where)) from None
    except pd.errors.EmptyDataError:
        raise DataError("empty file", str(where)) from None
    except pd.errors.ParserError as error:
        raise DataError(f"malformed CSV: {error}", str(where)) from None
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}", str(where), 1)
    return frame


def _require(frame, where: EscoFile, column: str, unique: bool = False) -> None:
    """Raise :class:`DataError` naming the first record whose ``column`` is empty (or repeated)."""
    values = frame[column]
    bad = (values == "") | (values.duplicated() if unique else False)
    if bad.any():
        record = int(bad.to_numpy().argmax())
        problem = "is empty" if values.iloc[record] == "" else f"repeats {values.iloc[record]!r}"
        raise DataError(f"record {record + 1} {problem}", str(where), column=column)


def short_ids(uris: list[str]) -> list[str]:
    """Return a stable slug per URI: ``esco-`` and the UUID's first two groups, or its whole last segment
    where that is not a UUID or two short forms clash."""
    tails = [uri.rstrip("/").rsplit("/", 1)[-1].lower() for uri in uris]
    short = []
    for tail in tails:
        head = _UUID_HEAD.match(tail)
        short.append("esco-" + (head.group(1) if head else re.sub(r"[^a-z0-9]+", "-", tail).strip("-")))
    clashes = Counter(short)
    return [slug if clashes[slug] == 1 else "esco-" + re.sub(r"[^a-z0-9]+", "-", tail).strip("-")
            for slug, tail in zip(short, tails)]


def _split_labels(text: str, preferred: str) -> tuple[str, ...]:
    """ESCO lists alternative labels one per line; drop blanks, repeats and the preferred label."""
    if not text:
        return ()
    labels = dict.fromkeys(map(str.strip, text.split("\n")))
    labels.pop("", None)
    labels.pop(preferred, None)
    return tuple(labels)


def _group_codes(hierarchy) -> dict[str, str]:
    """Return skill group URI -> hierarchy code (``S5``, ``T2.1``...) from the skills hierarchy table."""
    codes = {}
    for level in range(4):
        for uri, code in zip(hierarchy[f"Level {level} URI"].tolist(), hierarchy[f"Level {level} code"].tolist()):
            if uri and code:
                codes[uri] = code
    return codes


def _transversal_type(code: str) -> str | None:
    for length in range(len(code), 0, -1):
        prefix = code[:length]
        if prefix in TRANSVERSAL_TYPES and (length == len(code) or code[length] == "."):
            return TRANSVERSAL_TYPES[prefix]
    return None


def skill_types(skills, broader, hierarchy, digital) -> list[str]:
    """Return the type of every skill (rows of the skills table) by the rule in the module docstring."""
    codes = _group_codes(hierarchy)
    parents: dict[str, list[str]] = {}
    for child, parent in zip(broader["conceptUri"].tolist(), broader["broaderUri"].tolist()):
        parents.setdefault(child, []).append(parent)
    group_memo: dict[str, frozenset] = {}
    filed_memo: dict[str, frozenset] = {}
    all_memo: dict[str, frozenset] = {}

    def group_codes(group: str) -> frozenset:
        """The codes of a group and of every broader group."""
        if group not in group_memo:
            group_memo[group] = frozenset()  # guards against a cycle
            found = {codes[group]}
            for parent in parents.get(group, ()):
                if parent in codes:
                    found |= group_codes(parent)
            group_memo[group] = frozenset(found)
        return group_memo[group]

    def own_groups(skill: str) -> frozenset:
        return frozenset().union(*(group_codes(p) for p in parents.get(skill, ()) if p in codes))

    def filed_codes(skill: str) -> frozenset:
        """Where ESCO files the skill: its groups, else its broader skills' groups."""
        if skill not in filed_memo:
            filed_memo[skill] = frozenset()
            found = own_groups(skill)
            if not found:
                found = frozenset().union(*(filed_codes(p) for p in parents.get(skill, ()) if p not in codes))
            filed_memo[skill] = found
        return filed_memo[skill]

    def all_codes(skill: str) -> frozenset:
        """The groups of the skill and of every broader skill it specialises."""
        if skill not in all_memo:
            all_memo[skill] = frozenset()
            all_memo[skill] = own_groups(skill).union(
                *(all_codes(p) for p in parents.get(skill, ()) if p not in codes))
        return all_memo[skill]

    digital_members = set(digital["conceptUri"].tolist())
    types = []
    for uri, reuse in zip(skills["conceptUri"].tolist(), skills["reuseLevel"].tolist()):
        if uri in digital_members or any(c == DIGITAL_GROUP or c.startswith(DIGITAL_GROUP + ".")
                                         for c in filed_codes(uri)):
            types.append("digital")
            continue
        found = {_transversal_type(code) for code in all_codes(uri)} if reuse in TRANSVERSAL_REUSE else set()
        types.append(next((t for t in SKILL_TYPES if t in found), "professional"))
    return types


def _risk_source(path: Path) -> Source:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "risk"
    return Source(slug, iri("source", slug), f"Automation risk table {path.name}",
                  note="Nesta-style automation risk (1..5) per ESCO occupation or ISCO-08 group; exposure = "
                       "percentile of the risk among the table's rows. How each occupation's value was obtained "
                       "(its own row, a broader occupation's, an estimate from its skills, its ISCO group) is "
                       "recorded with the value.")


def _reference_tables(reference: Path | None, risk_table, risk_source: Source | None, broader, model_parts):
    """Return the :class:`~profgraph.sources.derive.Reference` of an import and the sources it cites."""
    from ..reference import ILO, NESTA, WAGES
    from .derive import Reference, fit_estimator
    from .ilo import UNIT_GROUPS_FILE, read_genai_table
    from .kzwages import NATIONAL, WAGES_FILE, read_wages
    from .nesta import INPUTS_FILE, read_occupation_inputs

    tables = Reference(broader=broader, skill_level_source=REFERENCE_SOURCES["skill_level"].id)
    cited = [REFERENCE_SOURCES["skill_level"]]
    if risk_table is not None:
        profiles, iscos = model_parts
        tables.risk, tables.risk_source = risk_table, risk_source.id
        tables.groups = [(risk_table, risk_source.id)]
        tables.estimator = fit_estimator(risk_table, profiles, iscos)
        cited.append(risk_source)
    if reference is not None:
        for key, path, read, attribute in (
                ("inputs", reference / NESTA / INPUTS_FILE, read_occupation_inputs, "inputs"),
                ("genai", reference / ILO / UNIT_GROUPS_FILE, read_genai_table, "genai"),
                ("wages", reference / WAGES / WAGES_FILE, lambda found: read_wages(found)[NATIONAL], "wages")):
            if path.is_file():
                setattr(tables, attribute, read(path))
                setattr(tables, f"{attribute}_source", REFERENCE_SOURCES[key].id)
                cited.append(REFERENCE_SOURCES[key])
    return tables, cited


def _first_bad(mask, where: EscoFile, column: str, values, problem: str) -> None:
    """Raise :class:`DataError` naming the first record where ``mask`` is true."""
    if mask.any():
        record = int(mask.to_numpy().argmax())
        raise DataError(f"record {record + 1}: {values.iloc[record]!r} {problem}", str(where), column=column)


def _requirements(occupation_uris: list[str], skill_uris: list[str], skill_ids: list[str], relations):
    """Return the essential and optional skill ids of each occupation (lists by row) and the links dropped."""
    import pandas as pd

    occupation_row = pd.Index(occupation_uris).get_indexer(relations["occupationUri"])
    skill_row = pd.Index(skill_uris).get_indexer(relations["skillUri"])
    known = (occupation_row >= 0) & (skill_row >= 0)
    repeated = known & pd.DataFrame({"o": occupation_row, "s": skill_row}).duplicated().to_numpy()
    kept = known & ~repeated
    dropped = {"unknown_occupation": int((occupation_row < 0).sum()),
               "unknown_skill": int(((occupation_row >= 0) & (skill_row < 0)).sum()),
               "repeated": int(repeated.sum())}
    essential: list[list[str]] = [[] for _ in occupation_uris]
    optional: list[list[str]] = [[] for _ in occupation_uris]
    is_essential = (relations["relationType"] == "essential").to_numpy()
    for o, s, ess in zip(occupation_row[kept].tolist(), skill_row[kept].tolist(), is_essential[kept].tolist()):
        (essential if ess else optional)[o].append(skill_ids[s])
    return essential, optional, dropped


def _broader_occupations(links) -> dict[str, list[str]]:
    """Return occupation URI -> the URIs of its broader occupations (ISCO groups left out)."""
    between = (links["conceptType"] == "Occupation") & (links["broaderType"] == "Occupation")
    broader: dict[str, list[str]] = {}
    for child, parent in zip(links["conceptUri"][between].tolist(), links["broaderUri"][between].tolist()):
        broader.setdefault(child, []).append(parent)
    return broader


def read_esco(paths: Iterable[str | Path], risk: str | Path | None = None, lang: str = DEFAULT_LANG,
              progress: Callable[[str], None] | None = None, reference: str | Path | None = None) -> EscoImport:
    """Read the ESCO CSV download in ``paths`` (zips, CSV files, folders) and return the import.

    ``risk`` is an automation-risk table (:func:`profgraph.sources.nesta.read_risk_table`);
    ``reference`` the reference data folder (:func:`profgraph.reference.reference_dir`), from which
    Nesta's occupation inputs, the ILO's generative-AI exposure and Kazakhstan's wages are read when
    present. Each occupation's measures are derived by :func:`profgraph.sources.derive.derive_measures`
    (an estimate from its own skills where it has no row of its own nor a broader occupation's).
    ``progress`` is called with the name of each step when it is done.
    Raises :class:`DataError` for missing files or columns, corrupt zips, empty or repeated
    URIs, bad ISCO codes, unknown relation types and a risk table of unknown format;
    :class:`EmptyImport` for an occupations, skills or relations table without records and for
    relations that link no known occupation to a known skill.
    """
    from .derive import derive_measures
    from .nesta import read_risk_table

    table = read_risk_table(risk) if risk is not None else None  # a bad table fails before the long read
    files = find_files(list(paths), lang)
    frames = {}
    for name, (_, columns) in TABLES.items():
        frames[name] = read_table(files[name], columns)
        if name in _NEEDED_RECORDS and frames[name].empty:
            raise EmptyImport("no records, only a header; give the complete ESCO download", str(files[name]))
        if progress:
            progress(name)
    occupations, skills, relations = frames["occupations"], frames["skills"], frames["relations"]
    for frame, name in ((occupations, "occupations"), (skills, "skills")):
        _require(frame, files[name], "conceptUri", unique=True)
        _require(frame, files[name], "preferredLabel")
    isco = occupations["iscoGroup"]
    _first_bad(~isco.str.fullmatch(r"\d{0,4}"), files["occupations"], "iscoGroup", isco, "is not an ISCO-08 code")
    relation = relations["relationType"]
    _first_bad(~relation.isin(("essential", "optional")), files["relations"], "relationType", relation,
               "is neither essential nor optional")

    skill_uris = skills["conceptUri"].tolist()
    skill_ids = short_ids(skill_uris)
    types = skill_types(skills, frames["skill_broader"], frames["hierarchy"], frames["digital"])
    model_skills = {}
    for sid, uri, text, alts, skill_type in zip(skill_ids, skill_uris, skills["preferredLabel"].tolist(),
                                                 skills["altLabels"].tolist(), types):
        alt = _split_labels(alts, text)
        model_skills[sid] = Skill(sid, uri, skill_type, {lang: text}, {lang: alt} if alt else {}, esco_uri=uri)

    occupation_uris = occupations["conceptUri"].tolist()
    codes = [code or None for code in isco.tolist()]
    essential, optional, dropped = _requirements(occupation_uris, skill_uris, skill_ids, relations)
    if not any(essential) and not any(optional):
        raise EmptyImport(f"none of the {len(relations)} occupation-skill links names an occupation and a skill "
                          f"of the files read ({dropped['unknown_occupation']} unknown occupations, "
                          f"{dropped['unknown_skill']} unknown skills); the tables do not belong together",
                          str(files["relations"]))
    uri_of = dict(zip(skill_ids, skill_uris))
    profiles = [{**{uri_of[s]: RELATION_WEIGHT["optional"] for s in optional[i]},
                 **{uri_of[s]: RELATION_WEIGHT["essential"] for s in essential[i]}} for i in range(len(occupation_uris))]
    risk_source = _risk_source(Path(risk)) if risk is not None else None
    tables, cited = _reference_tables(None if reference is None else Path(reference), table, risk_source,
                                      _broader_occupations(frames["occupation_broader"]),
                                      (dict(zip(occupation_uris, profiles)), dict(zip(occupation_uris, codes))))
    measures = derive_measures(tables, list(zip(occupation_uris, codes, profiles)))
    sources = {ESCO_SOURCE.id: ESCO_SOURCE, **{source.id: source for source in cited}}
    if progress:
        progress("measures")

    professions = {}
    for index, (pid, uri, code, text, alts) in enumerate(zip(
            short_ids(occupation_uris), occupation_uris, codes, occupations["preferredLabel"].tolist(),
            occupations["altLabels"].tolist())):
        alt = _split_labels(alts, text)
        found = measures[index]
        professions[pid] = Profession(
            pid, uri, {lang: text}, {lang: alt} if alt else {}, isco08=code,
            exposure=found.automation_percentile,
            exposure_source=found.automation_source if found.automation_percentile is not None else None,
            esco_uri=uri, essential=tuple(essential[index]), optional=tuple(optional[index]), measures=found)
    if progress:
        progress("model")
    basis = {}
    if table is not None:
        counts = Counter(m.automation_basis or "none" for m in measures)
        basis = {"own": counts["esco-occupation"], "broader": counts["esco-broader"],
                 "skill_profile": counts["skill-profile"],
                 "isco": sum(counts[b] for b in ("isco-unit-group", "isco-minor-group", "isco-major-group")),
                 "none": counts["none"]}
    known = {"genai": sum(m.genai_score is not None for m in measures),
             "job_zone": sum(m.job_zone is not None for m in measures),
             "earnings": sum(m.annual_earnings is not None for m in measures),
             "wage": sum(m.wage_kzt is not None for m in measures)}
    about = {"id": "esco", "title": f"ESCO occupations and skills ({lang}), as imported by profgraph"}
    model = Model("esco", professions, model_skills, sources=sources, about=about, graph=ESCO_GRAPH)
    return EscoImport(model, files, len(relations), dropped, basis, known)


def import_steps(with_risk: bool) -> int:
    """Return how many times :func:`import_esco` calls its ``progress`` callback."""
    return len(TABLES) + 2 + 3  # the tables, the measures, the model, the store's three views


def import_esco(paths: Iterable[str | Path], destination: str | Path, risk: str | Path | None = None,
                lang: str = DEFAULT_LANG, progress: Callable[[str], None] | None = None, force: bool = False,
                reference: str | Path | None = None):
    """Read ESCO (:func:`read_esco`) and build the store folder ``destination`` from it atomically.

    Returns ``(dataset, summary)``: the opened :class:`~profgraph.store.Dataset` and
    :meth:`EscoImport.summary`, which the store's manifest keeps too. ``destination`` is checked
    first (:func:`~profgraph.atomic.check_output_folder`: new, empty or a store, or ``force``), so a
    refusal comes before the long read. Raises :class:`~profgraph.errors.UsageError` for such a
    refusal and :class:`DataError` as :func:`read_esco` does; ``destination`` is then left as it was.
    """
    from ..atomic import check_output_folder
    from ..store import build_store, fingerprint

    paths = list(paths)
    check_output_folder(destination, "store", force=force, inputs=[*paths, risk])
    found = read_esco(paths, risk=risk, lang=lang, progress=progress, reference=reference)
    inputs = sorted({where.container for where in found.files.values()} | ({Path(risk)} if risk else set()))
    summary = found.summary()
    dataset = build_store(found.model, Path(destination), fingerprint(inputs), progress=progress,
                          details={"import": summary}, force=force)
    return dataset, summary
