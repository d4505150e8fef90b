"""Reading a CSV table that people edit, with every fault located: file, line and column.

:func:`read_table` reads the file as bytes and decodes it line by line, so that a byte that is
not UTF-8 is reported on its line; a leading UTF-8 byte-order mark (what spreadsheet programs
write) is skipped. Each record carries the line it starts on, so a quote that is never closed is
reported where it opens, not where the file ends. A cell may not hold a control character (a
line break, a tab, an escape sequence): every value of these tables is one line of text, and a
control character is either a broken quote or something meant for a terminal. Messages show
cells through :func:`~profgraph.errors.shown` (escaped and cut short).
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import BinaryIO

from ..errors import DataError, shown

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BOM = "\ufeff"


class _Lines:
    """The decoded lines of a binary file, for :func:`csv.reader`, counting them and keeping those
    of the record being read (``record``, from line ``record_start``)."""

    def __init__(self, handle: BinaryIO, path: Path):
        self.handle, self.path = handle, path
        self.number = 0
        self.record_start = 1
        self.record: list[str] = []
        self.header: list[str] = []

    def start_record(self) -> None:
        self.record_start, self.record = self.number + 1, []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = next(self.handle)
        self.number += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            text = raw[:error.start].decode("utf-8", "replace")
            raise DataError(f"not UTF-8: byte 0x{raw[error.start]:02x} at character {len(text) + 1} of the line",
                            str(self.path), self.number, _field_name(self.header, _scan(text)[0])) from None
        if self.number == 1 and line.startswith(_BOM):
            line = line[1:]
        self.record.append(line)
        return line


def _scan(text: str) -> tuple[int, str]:
    """Return ``(index, state)`` for ``text``, the first line of a record: where the scan of its fields
    stops and why. ``state`` is ``"open"`` (field ``index`` opens a quote the line never closes),
    ``"after quote"`` (a closing quote in field ``index`` is followed by more text) or ``"end"`` (the
    line is well formed; ``index`` is its last field)."""
    index, quoted, at_start, position = 0, False, True, 0
    while position < len(text):
        char = text[position]
        if quoted:
            if char == '"' and text[position + 1:position + 2] == '"':
                position += 1
            elif char == '"':
                quoted = False
                if text[position + 1:position + 2] not in ("", ","):
                    return index, "after quote"
        elif char == ",":
            index, at_start = index + 1, True
            position += 1
            continue
        elif char == '"' and at_start:
            quoted = True
        at_start = False
        position += 1
    return index, "open" if quoted else "end"


def _field_name(header: list[str], index: int) -> str:
    return header[index] if index < len(header) else f"cell {index + 1}"


def read_table(path: str | Path, required: tuple[str, ...] = ()) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Return the header of the CSV file ``path`` and its records as ``(line, {column: stripped text})``,
    blank lines left out.

    Raises :class:`~profgraph.errors.DataError` naming the file, the line and (where there is one) the
    column, for: a missing file, a missing ``required`` column, bytes that are not UTF-8, a quote opened
    and never closed, a cell longer than :func:`csv.field_size_limit`, more cells than the header has
    columns, and a control character in a cell.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise DataError("file not found", str(path)) from None
    with handle:
        lines = _Lines(handle, path)
        reader = csv.reader(lines, strict=True)
        records = []
        while True:
            lines.start_record()
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise _csv_fault(lines, str(error)) from None
            if not lines.header:
                lines.header = [name.strip() for name in cells]
                missing = [column for column in required if column not in lines.header]
                if missing:
                    raise DataError(f"missing column(s) {', '.join(missing)}", str(path), 1)
                continue
            if not cells or cells == [""]:
                continue
            for index, cell in enumerate(cells):
                found = _CONTROL.search(cell)
                if found:
                    what = "a line break (a quote left open?)" if found.group() in "\r\n" else \
                        f"the control character {found.group()!r}"
                    raise DataError(f"{shown(cell)} holds {what}", str(path), lines.record_start,
                                    _field_name(lines.header, index))
            if len(cells) > len(lines.header):
                raise DataError(f"more cells ({len(cells)}) than the header has columns ({len(lines.header)})",
                                str(path), lines.record_start, f"cell {len(lines.header) + 1}")
            row = {name: "" for name in lines.header}
            row.update({name: cell.strip() for name, cell in zip(lines.header, cells)})
            records.append((lines.record_start, row))
    if not lines.header:
        raise DataError("the file is empty (no header line)", str(path), 1)
    return lines.header, records


def _csv_fault(lines: _Lines, message: str) -> DataError:
    """The :class:`DataError` for a :class:`csv.Error` met while reading the record that starts at
    ``lines.record_start``: the field it happened in is found by scanning that record's first line."""
    first = lines.record[0] if lines.record else ""
    index, state = _scan(first.rstrip("\r\n"))
    if state == "end" and "field larger than field limit" in message:  # the longest cell of the line
        cells = first.split(",")
        index = max(range(len(cells)), key=lambda i: len(cells[i]))
    column = _field_name(lines.header, index) if lines.header else None
    if "field larger than field limit" in message:
        text = f"a cell is longer than {csv.field_size_limit()} characters" + \
               (" (its quote is never closed)" if state == "open" else "")
    elif state == "open":
        text = "a quote opened here is never closed"
    elif state == "after quote":
        text = "text follows the closing quote of a cell (write a quote inside a quoted cell as \"\")"
    else:
        text = f"malformed CSV: {message}"
    return DataError(text, str(lines.path), lines.record_start, column)


def finite_number(text: str, path: str | Path, line: int, column: str) -> float:
    """Return the number written as ``text`` in a cell. Raises :class:`~profgraph.errors.DataError`
    when it is not a number, or is ``nan``, ``inf`` or too large to be finite (``1e999``)."""
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{shown(text)} is not a number", str(path), line, column) from None
    if not math.isfinite(value):
        raise DataError(f"{shown(text)} is not a finite number", str(path), line, column)
    return value
