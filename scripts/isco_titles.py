"""Write data/isco_groups.csv: the code and English title of the ISCO-08 groups the professions use.

Usage: python scripts/isco_titles.py [--esco ../shared/data/esco-v1.1.1] [--data data]

ESCO v1.1.1 publishes the ILO's ISCO-08 groups (major, sub-major, minor and unit groups) with their
official English titles in ISCOGroups_en.csv, inside its classification zip. The table keeps the
unit groups that data/professions.csv names and the groups above them (the reference data are read
from ../shared at run time, never copied whole), so re-run this script after giving a profession a
new ISCO-08 code. The file is rewritten atomically.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from profgraph.atomic import write_text_atomic  # noqa: E402

ZIP_NAME = "esco-v1.1.1-classification-en-csv.zip"
MEMBER = "ISCOGroups_en.csv"


def read_titles(esco: Path) -> list[tuple[str, str]]:
    """Return ``(code, title)`` for every ISCO-08 group in the ESCO download folder ``esco``, by code."""
    with zipfile.ZipFile(esco / ZIP_NAME) as archive, archive.open(MEMBER) as handle:
        rows = csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8"))
        return sorted((row["code"], row["preferredLabel"].strip()) for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--esco", type=Path, default=root.parent / "shared" / "data" / "esco-v1.1.1")
    parser.add_argument("--data", type=Path, default=root / "data")
    args = parser.parse_args()
    with (args.data / "professions.csv").open(encoding="utf-8-sig", newline="") as handle:
        codes = {row["isco08"] for row in csv.DictReader(handle) if row["isco08"]}
    used = {code[:digits] for code in codes for digits in (1, 2, 3, 4)}
    titles = [(code, title) for code, title in read_titles(args.esco) if code in used]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "title_en"])
    writer.writerows(titles)
    write_text_atomic(args.data / "isco_groups.csv", out.getvalue())
    print(f"{len(titles)} ISCO-08 groups written to {args.data / 'isco_groups.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
