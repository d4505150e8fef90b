"""List, for every ESCO-linked profession, its ESCO occupation's skills beside the curated profile.

Usage: python scripts/draft_profiles.py [--esco ../shared/data/esco-v1.1.1] [--data data]
       [--profession ID ...] [--format text|csv] [-o FILE]
       python scripts/draft_profiles.py --update-isco [--esco ...] [--data data]

This is the drafting aid for curating data/requirements.csv. For each profession with an
``esco_uri`` it prints the ESCO v1.1.1 occupation (and how the profession matches it:
close, broad or narrow), then every skill the occupation lists as essential or optional with

- ``esco_occupations``: how many ESCO occupations require the skill (its reuse in ESCO);
- ``dataset_professions``: how many of the dataset's professions are linked to an occupation
  that requires it (its reuse here: a skill shared by many professions keeps the skill table
  small and links professions to each other);
- ``curated_skill``: the id of the curated skill linked to it, if any;
- ``in_profile``: the relation (essential/optional) with which the profession requires it now.

Then the profession's requirements whose skill the occupation does not list (the team's
additions: national licences, languages, tools, or skills of a related occupation), and the
share of the profession's ESCO-linked requirements that its occupation lists. The ESCO files
are read from the download at run time (never copied into the repository); the draft writes
nothing to data/.

``--update-isco`` instead fills the ``esco_isco08`` column of data/professions.csv with the
ISCO-08 group of each profession's ESCO occupation (rewriting the file atomically), so that
``profgraph validate`` can compare it with the profession's own code offline.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from profgraph.atomic import write_text_atomic  # noqa: E402
from profgraph.errors import DataError  # noqa: E402
from profgraph.sources.esco import TABLES, TRAIT_SKILLS, find_files, read_table, skill_types  # noqa: E402

COLUMNS = ("profession", "esco_occupation", "esco_match", "relation", "skill_uri", "skill_label", "skill_kind",
           "reuse_level", "skill_type", "esco_occupations", "dataset_professions", "curated_skill", "in_profile")


def read_csv(path: Path) -> list[dict]:
    """Return the rows of a curated table as dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_esco(folder: Path) -> dict:
    """Return the parts of ESCO the draft needs: ``occupations`` (URI -> label, ISCO group),
    ``skills`` (URI -> label, kind, reuse level, profgraph type) and ``relations`` (occupation URI ->
    [(skill URI, relation)]). Raises :class:`DataError` for a missing or malformed download."""
    files = find_files([folder])
    frames = {name: read_table(files[name], columns) for name, (_, columns) in TABLES.items()}
    kinds = read_table(files["skills"], ("conceptUri", "skillType"))
    types = skill_types(frames["skills"], frames["skill_broader"], frames["hierarchy"], frames["digital"])
    skills = {}
    for uri, label, reuse, kind, skill_type in zip(frames["skills"]["conceptUri"], frames["skills"]["preferredLabel"],
                                                   frames["skills"]["reuseLevel"], kinds["skillType"], types):
        skills[uri] = {"label": label, "reuse": reuse, "kind": kind,
                       "type": "trait" if uri in TRAIT_SKILLS else skill_type}
    occupations = {uri: {"label": label, "isco": isco} for uri, label, isco in zip(
        frames["occupations"]["conceptUri"], frames["occupations"]["preferredLabel"], frames["occupations"]["iscoGroup"])}
    relations: dict[str, list[tuple[str, str]]] = {}
    for occupation, relation, skill in zip(frames["relations"]["occupationUri"], frames["relations"]["relationType"],
                                           frames["relations"]["skillUri"]):
        relations.setdefault(occupation, []).append((skill, relation))
    return {"occupations": occupations, "skills": skills, "relations": relations}


def draft_rows(esco: dict, data: Path, only: set[str] | None = None) -> tuple[list[dict], dict]:
    """Return the draft rows (:data:`COLUMNS`) for the professions of the curated tables in ``data``
    (``only`` those ids when given), and per profession the summary
    ``{"added": [(skill id, relation)], "listed": n, "linked": m}``: its requirements whose skill the
    occupation does not list, and how many of its ESCO-linked requirements the occupation lists."""
    professions = read_csv(data / "professions.csv")
    skills = read_csv(data / "skills.csv")
    curated = {row["esco_uri"]: row["id"] for row in skills if row["esco_uri"]}
    skill_uri = {row["id"]: row["esco_uri"] for row in skills}
    required: dict[str, dict[str, str]] = {}
    for row in read_csv(data / "requirements.csv"):
        required.setdefault(row["profession"], {})[row["skill"]] = row["relation"]
    relations = esco["relations"]
    reuse = Counter(skill for links in relations.values() for skill, _ in links)
    here = Counter(skill for uri in {p["esco_uri"] for p in professions if p["esco_uri"]}
                   for skill, _ in relations.get(uri, ()))
    rows, summary = [], {}
    for profession in professions:
        pid, occupation = profession["id"], profession["esco_uri"]
        if not occupation or (only and pid not in only):
            continue
        mine = required.get(pid, {})
        listed = {skill for skill, _ in relations.get(occupation, ())}
        ordered = sorted(relations.get(occupation, ()), key=lambda link: (link[1] != "essential", -here[link[0]],
                                                                           -reuse[link[0]]))
        for skill, relation in ordered:
            found = esco["skills"].get(skill, {"label": "?", "reuse": "", "kind": "", "type": ""})
            rows.append({
                "profession": pid, "esco_occupation": esco["occupations"][occupation]["label"],
                "esco_match": profession.get("esco_match", ""), "relation": relation, "skill_uri": skill,
                "skill_label": found["label"], "skill_kind": found["kind"], "reuse_level": found["reuse"],
                "skill_type": found["type"], "esco_occupations": reuse[skill], "dataset_professions": here[skill],
                "curated_skill": curated.get(skill, ""), "in_profile": mine.get(curated.get(skill, ""), ""),
            })
        linked = [sid for sid in mine if skill_uri.get(sid)]
        summary[pid] = {"added": [(sid, rel) for sid, rel in mine.items() if skill_uri.get(sid) not in listed],
                        "listed": sum(skill_uri[sid] in listed for sid in linked), "linked": len(linked)}
    return rows, summary


def as_text(rows: list[dict], summary: dict) -> str:
    """Return the draft as text: one block per profession."""
    out = io.StringIO()
    by_profession: dict[str, list[dict]] = {}
    for row in rows:
        by_profession.setdefault(row["profession"], []).append(row)
    for pid, found in summary.items():
        block = by_profession.get(pid, [])
        head = block[0] if block else {"esco_occupation": "?", "esco_match": ""}
        out.write(f"## {pid}: {head['esco_occupation']} ({head['esco_match'] or 'close'}), "
                  f"{found['listed']}/{found['linked']} ESCO-linked requirements listed by the occupation\n")
        for row in block:
            mark = {"essential": "E", "optional": "o", "": " "}[row["in_profile"]]
            out.write(f"  {mark} {row['relation'][:3]} {row['esco_occupations']:>4} {row['dataset_professions']:>3}  "
                      f"{row['skill_label']} [{row['skill_type']}/{row['skill_kind'][:5]}]"
                      f"{' = ' + row['curated_skill'] if row['curated_skill'] else ''}\n")
        for sid, relation in found["added"]:
            out.write(f"  + {relation[:3]}  {sid}\n")
    return out.getvalue()


def update_esco_isco(esco: dict, data: Path) -> int:
    """Fill the ``esco_isco08`` column of ``data``/professions.csv from ESCO; return how many rows changed.
    Raises :class:`DataError` for a profession linked to a URI that ESCO does not have."""
    path = data / "professions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    if "esco_isco08" not in header:
        header.insert(header.index("esco_uri") + 1, "esco_isco08")
    changed = 0
    for line, row in enumerate(rows, 2):
        uri = row["esco_uri"]
        if uri and uri not in esco["occupations"]:
            raise DataError(f"{uri} is not an ESCO v1.1.1 occupation", str(path), line, "esco_uri")
        code = esco["occupations"][uri]["isco"] if uri else ""
        changed += row.get("esco_isco08", "") != code
        row["esco_isco08"] = code
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text_atomic(path, buffer.getvalue())
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=ROOT.parent / "shared" / "data" / "esco-v1.1.1")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--profession", action="append", default=[], help="only this profession id (repeatable)")
    parser.add_argument("--format", choices=("text", "csv"), default="text")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    parser.add_argument("--update-isco", action="store_true",
                        help="fill the esco_isco08 column of professions.csv from ESCO instead of drafting")
    args = parser.parse_args()
    try:
        esco = load_esco(args.esco)
        if args.update_isco:
            print(f"esco_isco08 changed on {update_esco_isco(esco, args.data)} professions")
            return 0
    except DataError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    rows, summary = draft_rows(esco, args.data, set(args.profession) or None)
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = as_text(rows, summary)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
