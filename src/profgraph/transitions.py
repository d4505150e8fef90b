"""The whole transitions table, like the one Nesta publishes: every move between two professions with
its coverage, similarity, preparation change, pay ratio, risk changes and the flags of the
transition rules (:mod:`profgraph.rules`), computed a block of origins at a time and written as a
stream (CSV, JSON or Parquet).

The moves listed are those with coverage at least the store's transition floor
(:data:`profgraph.reskilling.GRAPH_FLOOR`, or ``min_coverage`` when that is lower); ``viable`` says
which reach the rules' coverage. A flag is empty (CSV) or null (JSON, Parquet) where a value it
needs is unknown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import numpy as np

from . import formats
from .errors import UsageError
from .rules import Rules, facts_of, judge

DEFAULT_FORMAT = "csv"
COLUMNS = ("origin", "origin_label", "destination", "destination_label", "coverage", "similarity",
           "preparation_from", "preparation_to", "preparation_change", "preparation_scale", "pay_ratio", "pay_basis",
           "automation_risk_from", "automation_risk_to", "automation_risk_change",
           "genai_exposure_from", "genai_exposure_to", "genai_exposure_change",
           "viable", "desirable", "safer", "strictly_safer")
FLAGS = ("viable", "desirable", "safer", "strictly_safer")
TEXT = ("origin", "origin_label", "destination", "destination_label", "preparation_scale", "pay_basis")
CHUNK = 256  # origins per block


def _table(dataset, rules: Rules) -> dict:
    """The stored transition table, or one computed down to ``rules.min_coverage`` when that is lower."""
    table = dataset.transitions
    if rules.min_coverage < float(table["floor"]):
        from .reskilling import transition_table

        table = transition_table(dataset.model, floor=rules.min_coverage)
    return table


def origin_rows(dataset, origin: str | None = None) -> np.ndarray:
    """Return the rows (profession order) whose moves are listed: the one ``origin`` id, or all."""
    facts = facts_of(dataset.model)
    return np.arange(len(facts.ids)) if origin is None else np.array([facts.row[origin]])


def transition_blocks(dataset, rules: Rules, rows: np.ndarray, lang: str = "en",
                      chunk: int = CHUNK) -> Iterator[dict[str, np.ndarray]]:
    """Yield the moves out of the profession ``rows``, a block of origins at a time, as columns
    (:data:`COLUMNS` -> numpy array; flags as float arrays, 1 true, 0 false, NaN unknown)."""
    from .model import label

    model = dataset.model
    facts = facts_of(model)
    table = _table(dataset, rules)
    indptr, indices, coverage = table["indptr"], table["indices"], table["coverage"]
    vectors = dataset.similarity_vectors
    labels = np.array([label(model.professions[pid], lang) for pid in facts.ids], dtype=object)
    ids = np.array(facts.ids, dtype=object)
    for start in range(0, len(rows), chunk):
        block = rows[start:start + chunk]
        counts = indptr[block + 1] - indptr[block]
        edges = np.concatenate([np.arange(indptr[r], indptr[r + 1]) for r in block]) if len(block) else \
            np.empty(0, dtype=np.int64)
        a = np.repeat(block, counts)
        b = indices[edges].astype(np.int64)
        similarity = (vectors[block] @ vectors.T).toarray()
        local = np.repeat(np.arange(len(block)), counts)
        judged = judge(facts, rules, a, b, coverage[edges])

        def flag(values: np.ndarray, known: np.ndarray) -> np.ndarray:
            return np.where(known, values.astype(float), np.nan)

        prep_known = ~np.isnan(judged.prep_from) & ~np.isnan(judged.prep_to)
        yield {
            "origin": ids[a], "origin_label": labels[a], "destination": ids[b], "destination_label": labels[b],
            "coverage": np.round(coverage[edges], 4), "similarity": np.round(similarity[local, b], 4),
            "preparation_from": judged.prep_from, "preparation_to": judged.prep_to,
            "preparation_change": judged.prep_to - judged.prep_from,
            "preparation_scale": np.where(judged.prep_on_job_zone, "job_zone", "isco_skill_level").astype(object),
            "pay_ratio": np.round(judged.pay_ratio, 4),
            "pay_basis": np.where(judged.pay_on_earnings, "nesta-earnings", "kz-wage").astype(object),
            "automation_risk_from": np.round(judged.value_from["automation"], 4),
            "automation_risk_to": np.round(judged.value_to["automation"], 4),
            "automation_risk_change": np.round(judged.value_to["automation"] - judged.value_from["automation"], 4),
            "genai_exposure_from": np.round(judged.value_from["genai"], 4),
            "genai_exposure_to": np.round(judged.value_to["genai"], 4),
            "genai_exposure_change": np.round(judged.value_to["genai"] - judged.value_from["genai"], 4),
            "viable": flag(judged.viable, prep_known),
            "desirable": flag(judged.desirable, ~np.isnan(judged.pay_ratio)),
            "safer": flag(judged.safer, judged.safer_known),
            "strictly_safer": flag(judged.strictly_safer, judged.strictly_known),
        }


def _cell(column: str, value):
    """A value as JSON has it: None for NaN, a bool for a flag."""
    if column in TEXT:
        return value
    if value != value:  # NaN
        return None
    return bool(value) if column in FLAGS else float(value)


def _csv_cell(column: str, value) -> str:
    cell = _cell(column, value)
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return cell if isinstance(cell, str) else f"{cell:g}"


def check_format(output_format: str) -> None:
    """Raise :class:`~profgraph.errors.UsageError` unless ``output_format`` is a format of the
    transitions table (:mod:`profgraph.formats`: csv, json or parquet)."""
    known = formats.names(formats.TRANSITIONS)
    if output_format not in known:
        raise UsageError("{output_format} must be one of {formats}, not {value!r}", "output_format",
                         formats=", ".join(known), value=output_format)


def move_count(dataset, rows: np.ndarray) -> int:
    """Return how many moves the store's transitions table lists out of the professions of ``rows``
    (:func:`origin_rows`): what :func:`write_transitions` writes for them unless the rules' coverage
    is below the store's floor (a total for progress reports)."""
    indptr = dataset.transitions["indptr"]
    return int(sum(indptr[row + 1] - indptr[row] for row in rows.tolist()))


def write_transitions(blocks: Iterator[dict], output_format: str, handle, rules: Rules,
                      progress: Callable[[int], None] | None = None) -> int:
    """Write the ``blocks`` (:func:`transition_blocks`) to the binary ``handle`` as ``output_format``
    (csv, json or parquet) and return the number of moves written. ``progress`` is called with the
    number of moves of each block once it is written. Raises :class:`~profgraph.errors.UsageError`
    for an unknown format."""
    check_format(output_format)
    return formats.writer(output_format, formats.TRANSITIONS)(blocks, handle, output_format, rules, progress)


def write_parquet(blocks: Iterator[dict], handle, output_format: str, rules: Rules,
                  progress: Callable[[int], None] | None = None) -> int:
    """:func:`write_transitions` as Parquet, the rules in the file's metadata. Raises
    :class:`~profgraph.errors.UsageError` when pyarrow is not installed."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("{output_format} parquet needs pyarrow: pip install 'profgraph[parquet]'",
                         "output_format") from None

    written = 0
    schema = pa.schema([(c, pa.string() if c in TEXT else pa.bool_() if c in FLAGS else pa.float64())
                        for c in COLUMNS], metadata={"profgraph.rules": json.dumps(rules.as_dict())})
    with pq.ParquetWriter(handle, schema) as writer:
        for block in blocks:
            arrays = []
            for column in COLUMNS:
                values = block[column]
                if column in FLAGS:
                    arrays.append(pa.array(values == 1, mask=np.isnan(values)))
                elif column in TEXT:
                    arrays.append(pa.array(values.tolist(), type=pa.string()))
                else:
                    arrays.append(pa.array(values, mask=np.isnan(values)))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            written += len(block["origin"])
            if progress:
                progress(len(block["origin"]))
    return written


def write_text(blocks: Iterator[dict], handle, output_format: str, rules: Rules,
               progress: Callable[[int], None] | None = None) -> int:
    """:func:`write_transitions` as ``csv`` (a header, then a row a move) or ``json`` (the rules and
    the list of moves), streaming."""
    written = 0
    import csv
    import io

    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    try:
        if output_format == "csv":
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(COLUMNS)
        else:
            text.write('{"rules": ' + json.dumps(rules.as_dict(), ensure_ascii=False) + ',\n "transitions": [')
        for block in blocks:
            columns = [block[c].tolist() for c in COLUMNS]
            rows = zip(*columns)
            if output_format == "csv":
                writer.writerows([_csv_cell(c, v) for c, v in zip(COLUMNS, row)] for row in rows)
            else:
                text.write("".join(("\n  " if written + i == 0 else ",\n  ")
                                   + json.dumps({c: _cell(c, v) for c, v in zip(COLUMNS, row)}, ensure_ascii=False)
                                   for i, row in enumerate(rows)))
            written += len(block["origin"])
            if progress:
                progress(len(block["origin"]))
        if output_format == "json":
            text.write("\n ]}\n")
        text.flush()
    finally:
        text.detach()
    return written


def move_counts(dataset, rules: Rules) -> dict[str, np.ndarray]:
    """Return, per profession (model order), how many moves out of it are ``viable``, viable and
    ``desirable``, and viable, desirable and ``safe`` (safer)."""
    facts = facts_of(dataset.model)
    table = _table(dataset, rules)
    indptr = table["indptr"]
    a = np.repeat(np.arange(len(facts.ids)), np.diff(indptr))
    judged = judge(facts, rules, a, table["indices"].astype(np.int64), table["coverage"])
    viable = judged.viable
    desirable = viable & judged.desirable
    safe = desirable & judged.safer
    size = len(facts.ids)
    return {"viable": np.bincount(a[viable], minlength=size), "desirable": np.bincount(a[desirable], minlength=size),
            "safe": np.bincount(a[safe], minlength=size)}
