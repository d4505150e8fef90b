"""Derive every curated profession's measures into data/profession_measures.csv.

Usage: python scripts/derive_measures.py [--reference ../shared/data] [--data data] [--cross-validate]

Reads data/professions.csv (ISCO-08 code, ESCO link), data/requirements.csv and data/skills.csv
(the ESCO links of the profession's skills) and the reference data (read, never copied):
ESCO v1.1.1, Nesta's Mapping Career Causeways tables, the ILO 2025 generative-AI index and
Kazakhstan's 2022 wages. One row per profession; each value with how it was obtained and its
source id (data/sources.csv):

- automation risk, bottleneck prevalence and Nesta's category: the linked ESCO occupation's own
  row of mcc_risk_All_occupations.csv, else its nearest broader occupation's, for a close match
  (esco_match close; a broad or narrow match is estimated from the skills); else an estimate
  from the profession's ESCO-linked skills and ISCO-08 code (profgraph.exposure_model, fitted here
  on Nesta's occupations; needs 3 linked skills), its category by Nesta's own quartile rule;
  else the ISCO-08 unit group's row (mcc_risk_ISCO_4digit.csv), else the minor group's.
  The percentile is the share of Nesta's occupations whose risk is at most as high;
- generative-AI exposure: the ILO unit group's mean task score and category, else the minor
  group's mean (its category where all its unit groups share one);
- preparation: the ISCO-08 skill level of the major group; job zone and education level of the
  linked ESCO occupation (or its nearest broader one) from Nesta's data inputs, with its
  indicative annual earnings (used only as ratios);
- pay: the national average monthly wage of the ISCO-08 major group, 2022.

The file is rewritten atomically. Run it again after editing the profiles.
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
from profgraph.measures import MEASURE_COLUMNS, measures_to_row  # noqa: E402
from profgraph.reference import ILO, NESTA, WAGES, reference_dir  # noqa: E402
from profgraph.sources import ilo, kzwages, nesta  # noqa: E402
from profgraph.sources.derive import Reference, cross_validation, derive_measures, fit_estimator  # noqa: E402
from profgraph.sources.esco import esco_profiles  # noqa: E402


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=None,
                        help="the reference data folder (default: $PROFGRAPH_REFERENCE or ../shared/data)")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--cross-validate", action="store_true",
                        help="also print the risk model's cross-validated agreement with Nesta's figures")
    args = parser.parse_args()
    reference = reference_dir(args.reference)
    if reference is None:
        parser.error("no reference data folder: give --reference or set PROFGRAPH_REFERENCE")

    risk = nesta.read_risk_table(reference / NESTA / nesta.RISK_FILE)
    profiles, esco_isco, broader = esco_profiles(reference / "esco-v1.1.1")
    tables = Reference(
        risk=risk, risk_source="nesta-mcc-occupations",
        groups=[(nesta.read_risk_table(reference / NESTA / nesta.ISCO4_FILE), "nesta-mcc-isco4"),
                (nesta.read_risk_table(reference / NESTA / nesta.ISCO3_FILE), "nesta-mcc-isco3")],
        inputs=nesta.read_occupation_inputs(reference / NESTA / nesta.INPUTS_FILE), inputs_source="nesta-mcc-inputs",
        genai=ilo.read_genai_table(reference / ILO / ilo.UNIT_GROUPS_FILE), genai_source="ilo-genai-2025",
        wages=kzwages.read_wages(reference / WAGES / kzwages.WAGES_FILE)[kzwages.NATIONAL],
        wages_source="bns-kz-wages-2022", skill_level_source="ilo-isco-08", broader=broader,
        estimator=fit_estimator(risk, profiles, esco_isco))
    if args.cross_validate:
        for label, scores in cross_validation(risk, profiles, esco_isco):
            print(f"cross-validated Spearman ({label}): risk {scores['risk']:.3f}, "
                  f"prevalence {scores['prevalence']:.3f} over {scores['n']} occupations")

    skill_uris = {row["id"]: row["esco_uri"] for row in read_csv(args.data / "skills.csv") if row["esco_uri"]}
    own_profiles: dict[str, dict[str, float]] = {}
    for row in read_csv(args.data / "requirements.csv"):
        uri = skill_uris.get(row["skill"])
        if uri:
            profile = own_profiles.setdefault(row["profession"], {})
            profile[uri] = max(1.0 if row["relation"] == "essential" else 0.5, profile.get(uri, 0.0))
    professions = read_csv(args.data / "professions.csv")
    # a broad or narrow ESCO match gives preparation and pay, not the risk (estimated from the skills)
    measures = derive_measures(tables, [(row["esco_uri"] or None, row["isco08"] or None, own_profiles.get(row["id"], {}))
                                        for row in professions],
                               risk_from_occupation=[row.get("esco_match", "") in ("", "close") for row in professions])

    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=["profession", *MEASURE_COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows({"profession": row["id"], **measures_to_row(m)} for row, m in zip(professions, measures))
    write_text_atomic(args.data / "profession_measures.csv", text.getvalue())
    bases = Counter(m.automation_basis or "none" for m in measures)
    print(f"wrote {len(measures)} rows to {args.data / 'profession_measures.csv'}; automation risk: "
          + ", ".join(f"{basis} {count}" for basis, count in bases.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
