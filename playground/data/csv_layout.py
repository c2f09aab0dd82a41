"""How a CSV file of points is laid out: text, delimiter, header, columns, and a first guess.

:func:`sniff_csv` looks at a file the way the import dialog needs: which delimiter (comma,
semicolon or tab), whether the first row is a header, the column names, how many rows, the
first few, and a guess of which columns are x1, x2 and the label. :mod:`csv_points` reads the
chosen columns with the same helpers. The file is read as UTF-8, UTF-16 with a byte-order
mark, or Windows-1252; a binary file is refused with a :class:`LoadError`.
"""

from __future__ import annotations

import codecs
import csv
import math
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from playground.files.errors import LoadError
from playground.files.regular import display_name, read_regular

MAX_CSV_BYTES = 64 << 20
DELIMITERS = ("\t", ";", ",")  # preferred in this order when several fit
PREVIEW_ROWS = 10
SAMPLE_ROWS = 1000  # rows the sniffer judges columns on
_LABEL_NAMES = ("label", "class", "target", "species", "category")
_X1_NAMES = ("x1", "x_1", "x 1", "x")
_X2_NAMES = ("x2", "x_2", "x 2")
_INDEX_NAMES = ("id", "index", "#", "no", "no.", "row", "")
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CsvPreview:
    """How a CSV file is laid out, and which columns probably hold x1, x2 and the label.

    ``numeric`` says, per column, whether its first rows are all numbers;
    ``suggest_regression`` whether the guessed label column holds numbers that are not whole
    (then the labels are most likely regression targets).
    """

    name: str
    delimiter: str
    has_header: bool
    columns: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: int
    preview: tuple[tuple[str, ...], ...]
    x1: int
    x2: int
    label: int
    suggest_regression: bool


# ----------------------------------------------------------------------- text
def _read_text(path: str | os.PathLike) -> tuple[str, str]:
    """(file name, decoded text): UTF-8, UTF-16 with a BOM, or Windows-1252/Latin-1."""
    name = display_name(path)
    data = read_regular(path, MAX_CSV_BYTES, "a CSV file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        if b"\x00" in data:
            raise LoadError(f"{name} is a binary file, not CSV text")
        encodings = ("utf-8-sig", "cp1252", "latin-1")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LoadError(f"{name} is not readable text")
    if _BINARY.search(text, 0, 1 << 16):
        raise LoadError(f"{name} is a binary file, not CSV text")
    if not text.strip():
        raise LoadError(f"{name} is empty")
    if "\n" not in text:  # classic Mac OS line endings
        text = text.replace("\r", "\n")
    return name, text


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its ending, one at a time (``io.StringIO`` would
    first copy the whole text at four bytes a character)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def rows(text: str, delimiter: str) -> csv.reader:
    """A CSV reader over ``text``; its ``line_num`` is the line a row ends on."""
    return csv.reader(_lines(text), delimiter=delimiter)


def blank(row: list[str]) -> bool:
    """An empty line, or one of empty fields only (",,," as spreadsheets export)."""
    return not row or (not row[0].strip() and not any(cell.strip() for cell in row))


def _first_rows(name: str, text: str, delimiter: str, count: int) -> list[list[str]]:
    """Up to ``count`` rows that are not blank, from the top."""
    found: list[list[str]] = []
    reader = rows(text, delimiter)
    try:
        for row in reader:
            if not blank(row):
                found.append(row)
                if len(found) == count:
                    break
    except csv.Error as exc:
        raise LoadError(f"{name}: line {reader.line_num} cannot be read as CSV ({exc})") from None
    return found


def number(cell: str, decimal_comma: bool) -> float:
    """The number a cell holds; ValueError if it holds none. ``1,5`` reads as 1.5 in a file
    whose delimiter is not a comma (the European convention)."""
    try:
        return float(cell)
    except ValueError:
        if decimal_comma and "," in cell and "." not in cell:
            return float(cell.replace(",", "."))
        raise


def is_number(cell: str, decimal_comma: bool) -> bool:
    try:
        number(cell, decimal_comma)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------- guesses
def _guess_delimiter(name: str, text: str) -> str:
    """The delimiter that splits the first rows into the same number (≥ 2) of fields."""
    best, best_fields = None, 1
    for delimiter in DELIMITERS:
        try:
            counts = {len(row) for row in islice(rows(text, delimiter), 50) if not blank(row)}
        except csv.Error:
            continue
        if len(counts) == 1 and (fields := counts.pop()) > best_fields:
            best, best_fields = delimiter, fields
    if best is None:  # no delimiter splits every row alike: take the one that splits most
        best = max(DELIMITERS, key=lambda d: text[:4096].count(d))
        if not text[:4096].count(best):
            raise LoadError(f"{name} has one column; it needs at least three (x1, x2 and a "
                            "label), separated by commas, semicolons or tabs")
    return best


def _guess_header(sample: list[list[str]], decimal_comma: bool) -> bool:
    """A first row with text where the rows below hold numbers is a header."""
    first, below = sample[0], sample[1:SAMPLE_ROWS]
    if not below:
        return not any(is_number(cell, decimal_comma) for cell in first)
    for j, cell in enumerate(first):
        column = [row[j] for row in below if j < len(row)]
        if column and not is_number(cell, decimal_comma) and all(
                is_number(value, decimal_comma) for value in column):
            return True
    return False


def column_names(header: list[str] | None, count: int) -> tuple[str, ...]:
    """Header cells as names, "column 3" where there is none, made unique ("x (2)")."""
    names: list[str] = []
    for j in range(count):
        base = header[j].strip() if header and j < len(header) else ""
        base = base or f"column {j + 1}"
        name, n = base, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return tuple(names)


def guess_columns(columns: Sequence[str], numeric: Sequence[bool]) -> tuple[int, int, int]:
    """(x1, x2, label): by name where the header says (a "y" beside an "x" is x2, else the
    label), otherwise the first two numeric columns that are not row numbers, and the last
    column."""
    lowered = [c.lower() for c in columns]

    def named(options: Sequence[str], taken: Sequence[int]) -> int | None:
        for option in options:
            for j, column in enumerate(lowered):
                if column == option and j not in taken:
                    return j
        return None

    label = named(_LABEL_NAMES, ())
    x1 = named(_X1_NAMES, (label,))
    beside_x = ("y",) if x1 is not None and lowered[x1] == "x" else ()
    x2 = named(_X2_NAMES + beside_x, (label, x1))
    if label is None:
        label = named(("y",), (x1, x2))
    if label is None:
        label = next(j for j in reversed(range(len(columns))) if j not in (x1, x2))
    rest = [j for j in range(len(columns)) if j not in (x1, x2, label)]
    # numeric columns first, in order; a row number ("id", "index") only if nothing else is
    rest.sort(key=lambda j: (not numeric[j], lowered[j].strip() in _INDEX_NAMES))
    if x1 is None:
        x1 = rest.pop(0)
    if x2 is None:
        x2 = rest.pop(0)
    return x1, x2, label


def layout(path: str | os.PathLike, delimiter: str | None, header: bool | None
           ) -> tuple[str, str, str, bool, list[list[str]]]:
    """(name, text, delimiter, has_header, first rows) with the guesses filled in."""
    name, text = _read_text(path)
    if delimiter is None:
        delimiter = _guess_delimiter(name, text)
    elif delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS!r}, not {delimiter!r}")
    first = _first_rows(name, text, delimiter, SAMPLE_ROWS + 1)
    if not first:
        raise LoadError(f"{name} has no rows of data")
    if header is None:
        header = _guess_header(first, delimiter != ",")
    if len(first[0]) < 3:
        raise LoadError(f"{name} has {len(first[0])} column{'s' * (len(first[0]) > 1)}; it "
                        "needs at least three (x1, x2 and a label)")
    return name, text, delimiter, header, first


def numeric_columns(data: list[list[str]], count: int, decimal_comma: bool
                    ) -> tuple[bool, ...]:
    """Per column: whether these rows hold numbers there (and at least one row reaches it)."""
    flags = []
    for j in range(count):
        cells = [row[j] for row in data if j < len(row)]
        flags.append(bool(cells) and all(is_number(cell, decimal_comma) for cell in cells))
    return tuple(flags)


def sniff_csv(path: str | os.PathLike, delimiter: str | None = None,
              header: bool | None = None) -> CsvPreview:
    """The layout of a CSV file and a guess of its x1, x2 and label columns, for a dialog;
    ``delimiter`` and ``header`` override the guesses (the user corrected them).

    Columns are judged on the first 1,000 rows; :func:`load_csv` checks every row.
    """
    name, text, delimiter, has_header, first = layout(path, delimiter, header)
    columns = column_names(first[0] if has_header else None, len(first[0]))
    data = first[1:] if has_header else first
    decimal_comma = delimiter != ","
    numeric = numeric_columns(data, len(columns), decimal_comma)
    x1, x2, label = guess_columns(columns, numeric)
    values = ([number(row[label], decimal_comma) for row in data if label < len(row)]
              if numeric[label] else [])
    fractional = any(math.isfinite(v) and not v.is_integer() for v in values)
    try:
        count = sum(1 for row in rows(text, delimiter) if not blank(row)) - has_header
    except csv.Error:
        count = len(data)
    preview = tuple(tuple(row) for row in data[:PREVIEW_ROWS])
    return CsvPreview(name, delimiter, has_header, columns, numeric, count, preview, x1, x2,
                      label, fractional)
