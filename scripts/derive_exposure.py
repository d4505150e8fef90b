"""Fill the automation exposure of every curated profession from its ISCO-08 code.

Usage: python scripts/derive_exposure.py [--nesta ../shared/data/nesta-mcc] [--data data]

For each row of data/professions.csv whose exposure_source is empty or one of the Nesta
sources, the exposure becomes the percentile of the Nesta (2020) mean risk of its ISCO-08
unit group among all unit groups (source id ``nesta-mcc-isco4``), or, where the unit group
has no estimate, of its minor group among all minor groups (``nesta-mcc-isco3``). Rows whose
exposure_source names another source (the team's own judgement) are left alone. The file is
rewritten atomically; the rule is the one in profgraph.sources.nesta.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from profgraph.sources.nesta import read_risk_table  # noqa: E402

NESTA_SOURCES = {"nesta-mcc-isco4": "mcc_risk_ISCO_4digit.csv", "nesta-mcc-isco3": "mcc_risk_ISCO_3digit.csv"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--nesta", type=Path, default=root.parent / "shared" / "data" / "nesta-mcc")
    parser.add_argument("--data", type=Path, default=root / "data")
    args = parser.parse_args()
    tables = {source: read_risk_table(args.nesta / name) for source, name in NESTA_SOURCES.items()}

    path = args.data / "professions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    filled, missing = 0, []
    for row in rows:
        if row["exposure_source"] and row["exposure_source"] not in NESTA_SOURCES:
            continue
        for source, table in tables.items():
            found = table.exposure_for_isco(row["isco08"][: 4 if source.endswith("4") else 3])
            if found and len(found[1]) == (4 if source.endswith("4") else 3):
                row["automation_exposure"] = f"{found[0]:.3f}"
                row["exposure_source"] = source
                filled += 1
                break
        else:
            row["automation_exposure"], row["exposure_source"] = "", ""
            missing.append(row["id"])
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".csv")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(temporary, path)
    print(f"filled {filled} exposures; no ISCO estimate for {len(missing)}: {', '.join(missing) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
