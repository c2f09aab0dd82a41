"""Points from a CSV file (x1, x2 and a label per row), and the current points to one.

:func:`sniff_csv` looks at a file the way the import dialog needs: which delimiter (comma,
semicolon or tab), whether the first row is a header, the column names, how many rows, the
first few, and a guess of which columns are x1, x2 and the label. :func:`load_csv` reads the
chosen columns. Labels that are text become classes 0..k-1 with their names kept **in sorted
order** (natural order, so "class 2" comes before "class 10"); whole numbers are classes too;
other numbers, or any numbers with ``regression=True``, are regression targets. Every problem
is a :class:`~playground.io.errors.LoadError` that names the file, the line and the column
("points.csv: line 17, column x2: 'abc' is not a number").
"""

from __future__ import annotations

import codecs
import csv
import math
import os
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np

from playground.io.atomic import atomic_write
from playground.io.errors import LoadError
from playground.io.files import display_name, read_regular
from playground.io.limits import MAX_CLASSES, MAX_POINTS

MAX_CSV_BYTES = 64 << 20
DELIMITERS = ("\t", ";", ",")  # preferred in this order when several fit
PREVIEW_ROWS = 10
SAMPLE_ROWS = 1000  # rows the sniffer judges columns on
MAX_LABEL = 100
_LABEL_NAMES = ("label", "class", "target", "species", "category")
_X1_NAMES = ("x1", "x_1", "x 1", "x")
_X2_NAMES = ("x2", "x_2", "x 2")
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DIGITS = re.compile(r"(\d+)")


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


def _rows(text: str, delimiter: str) -> csv.reader:
    return csv.reader(_lines(text), delimiter=delimiter)


def _blank(row: list[str]) -> bool:
    return not row or (not row[0].strip() and not any(cell.strip() for cell in row))


def _first_rows(name: str, text: str, delimiter: str, count: int) -> list[list[str]]:
    rows = []
    try:
        for row in _rows(text, delimiter):
            if not _blank(row):
                rows.append(row)
                if len(rows) == count:
                    break
    except csv.Error as exc:
        raise LoadError(f"{name}: line {len(rows) + 1} cannot be read as CSV ({exc})") from None
    return rows


def _number(cell: str, decimal_comma: bool) -> float:
    """The number a cell holds; ValueError if it holds none. ``1,5`` reads as 1.5 in a file
    whose delimiter is not a comma (the European convention)."""
    try:
        return float(cell)
    except ValueError:
        if decimal_comma and "," in cell and "." not in cell:
            return float(cell.replace(",", "."))
        raise


def _is_number(cell: str, decimal_comma: bool) -> bool:
    try:
        _number(cell, decimal_comma)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------- guesses
def _guess_delimiter(name: str, text: str) -> str:
    """The delimiter that splits the first rows into the same number (≥ 2) of fields."""
    best, best_fields = None, 1
    for delimiter in DELIMITERS:
        try:
            counts = {len(row) for row in islice(_rows(text, delimiter), 50) if not _blank(row)}
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


def _guess_header(rows: list[list[str]], decimal_comma: bool) -> bool:
    """A first row with text where the rows below hold numbers is a header."""
    first, below = rows[0], rows[1:SAMPLE_ROWS]
    if not below:
        return not any(_is_number(cell, decimal_comma) for cell in first)
    for j, cell in enumerate(first):
        column = [row[j] for row in below if j < len(row)]
        if column and not _is_number(cell, decimal_comma) and all(
                _is_number(value, decimal_comma) for value in column):
            return True
    return False


def _column_names(header: list[str] | None, count: int) -> tuple[str, ...]:
    names: list[str] = []
    for j in range(count):
        base = header[j].strip() if header and j < len(header) else ""
        base = base or f"column {j + 1}"
        name, n = base, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return tuple(names)


def _guess_columns(columns: Sequence[str], numeric: Sequence[bool]) -> tuple[int, int, int]:
    """(x1, x2, label): by name where the header says (a "y" beside an "x" is x2, else the
    label), otherwise the first two numeric columns and the last column."""
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
    rest.sort(key=lambda j: not numeric[j])  # numeric columns first, in order
    if x1 is None:
        x1 = rest.pop(0)
    if x2 is None:
        x2 = rest.pop(0)
    return x1, x2, label


def _layout(path: str | os.PathLike, delimiter: str | None, header: bool | None
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


def _numeric_columns(data: list[list[str]], count: int, decimal_comma: bool
                     ) -> tuple[bool, ...]:
    """Per column: whether these rows hold numbers there (and at least one row reaches it)."""
    flags = []
    for j in range(count):
        cells = [row[j] for row in data if j < len(row)]
        flags.append(bool(cells) and all(_is_number(cell, decimal_comma) for cell in cells))
    return tuple(flags)


def sniff_csv(path: str | os.PathLike) -> CsvPreview:
    """The layout of a CSV file and a guess of its x1, x2 and label columns, for a dialog.

    Columns are judged on the first 1,000 rows; :func:`load_csv` checks every row.
    """
    name, text, delimiter, has_header, first = _layout(path, None, None)
    columns = _column_names(first[0] if has_header else None, len(first[0]))
    data = first[1:] if has_header else first
    decimal_comma = delimiter != ","
    numeric = _numeric_columns(data, len(columns), decimal_comma)
    x1, x2, label = _guess_columns(columns, numeric)
    values = ([_number(row[label], decimal_comma) for row in data if label < len(row)]
              if numeric[label] else [])
    fractional = any(math.isfinite(v) and not v.is_integer() for v in values)
    try:
        rows = sum(1 for row in _rows(text, delimiter) if not _blank(row)) - has_header
    except csv.Error:
        rows = len(data)
    preview = tuple(tuple(row) for row in data[:PREVIEW_ROWS])
    return CsvPreview(name, delimiter, has_header, columns, numeric, rows, preview, x1, x2,
                      label, fractional)


# ----------------------------------------------------------------------- loading
def _column_index(choice: int | str, columns: Sequence[str], name: str) -> int:
    if isinstance(choice, str):
        if choice in columns:
            return columns.index(choice)
        raise LoadError(f"{name} has no column named {choice!r}; its columns are "
                        f"{', '.join(columns)}")
    if not 0 <= choice < len(columns):
        raise LoadError(f"{name} has {len(columns)} columns; there is no column {choice + 1}")
    return choice


def load_csv(path: str | os.PathLike, *, columns: Sequence[int | str] | None = None,
             regression: bool | None = None, delimiter: str | None = None,
             header: bool | None = None) -> tuple[np.ndarray, np.ndarray, list[str] | None]:
    """Points from a CSV file: ``(X, y, class_names)``.

    X is float64 (n, 2). For classes y is int64 in 0..k-1 (2 ≤ k ≤ 8) and ``class_names``
    their names in sorted order; for regression y is float64 and ``class_names`` None.

    ``columns`` are the (x1, x2, label) columns, by index or header name (default: guessed as
    :func:`sniff_csv` does); ``regression`` True reads numeric labels as targets, False as
    classes, None decides (whole numbers and text are classes, other numbers targets);
    ``delimiter`` and ``header`` default to the guesses.
    """
    name, text, delimiter, header, first = _layout(path, delimiter, header)
    names = _column_names(first[0] if header else None, len(first[0]))
    if columns is None:
        numeric = _numeric_columns(first[1:] if header else first, len(names), delimiter != ",")
        chosen = _guess_columns(names, numeric)
    else:
        chosen = tuple(_column_index(c, names, name) for c in columns)
        if len(chosen) != 3 or len(set(chosen)) != 3:
            raise ValueError("columns must name three different columns: x1, x2 and label")
    x, labels, lines = _read_columns(name, text, delimiter, header, names, chosen)
    if not labels:
        raise LoadError(f"{name} has {'a header but ' * header}no rows of data")
    y, class_names = _labels(name, labels, lines, names[chosen[2]], regression,
                             delimiter != ",")
    return np.frombuffer(x, dtype=np.float64).reshape(-1, 2).copy(), y, class_names


def _read_columns(name: str, text: str, delimiter: str, header: bool, names: Sequence[str],
                  chosen: Sequence[int]) -> tuple[array, list[str], array]:
    """(x1, x2 interleaved as doubles, label texts, line numbers) of every data row."""
    a, b, c = chosen
    width = len(names)
    decimal_comma = delimiter != ","
    x, labels, lines = array("d"), [], array("l")
    reader = _rows(text, delimiter)
    skip = header
    try:
        for row in reader:
            if _blank(row):
                continue
            if skip:
                skip = False
                continue
            line = reader.line_num
            if len(row) != width:
                raise LoadError(f"{name}: line {line} has {len(row)} field"
                                f"{'s' * (len(row) != 1)} but the file has {width} columns "
                                f"(delimiter {_delimiter_name(delimiter)})")
            for j in (a, b):
                cell = row[j]
                try:
                    value = _number(cell, decimal_comma)
                except ValueError:
                    raise LoadError(_not_a_number(name, line, names[j], cell)) from None
                if not -math.inf < value < math.inf:
                    raise LoadError(f"{name}: line {line}, column {names[j]}: "
                                    f"{cell.strip()!r} is not a finite number")
                x.append(value)
            labels.append(row[c].strip())
            lines.append(line)
            if len(labels) > MAX_POINTS:
                raise LoadError(f"{name} has more than {MAX_POINTS:,} rows; the app holds at "
                                f"most {MAX_POINTS:,} points")
    except csv.Error as exc:
        raise LoadError(f"{name}: line {reader.line_num} cannot be read as CSV ({exc})") from None
    return x, labels, lines


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tab", ";": "semicolon", ",": "comma"}[delimiter]


def _not_a_number(name: str, line: int, column: str, cell: str) -> str:
    if not cell.strip():
        return f"{name}: line {line}, column {column}: the value is missing"
    return f"{name}: line {line}, column {column}: {cell.strip()[:40]!r} is not a number"


def _natural(text: str) -> list[str | int]:
    """Sort key: "class 2" before "class 10", case ignored."""
    return [int(part) if i % 2 else part.casefold() for i, part in
            enumerate(_DIGITS.split(text))]


def _labels(name: str, labels: list[str], lines: array, column: str,
            regression: bool | None, decimal_comma: bool
            ) -> tuple[np.ndarray, list[str] | None]:
    """(y, class_names) from the label texts, as :func:`load_csv` describes."""
    for text, line in zip(labels, lines, strict=True):
        if not text:
            raise LoadError(f"{name}: line {line}, column {column}: the label is missing")
    try:
        values = np.array([_number(text, decimal_comma) for text in labels])
    except ValueError:
        values = None
    if values is None:
        if regression:
            at = next(i for i, t in enumerate(labels) if not _is_number(t, decimal_comma))
            raise LoadError(_not_a_number(name, lines[at], column, labels[at]))
        return _text_classes(name, labels, lines, column)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise LoadError(f"{name}: line {lines[bad[0]]}, column {column}: "
                        f"{labels[bad[0]][:40]!r} is not a finite number")
    whole = np.all(values == np.round(values)) and np.all(np.abs(values) < 2**53)
    if regression or (regression is None and not whole):
        return values.astype(np.float64), None
    if not whole:
        at = int(np.flatnonzero(values != np.round(values))[0])
        raise LoadError(f"{name}: line {lines[at]}, column {column}: {labels[at]!r} is not a "
                        "whole number, so it cannot name a class; numbers that are not "
                        "classes are regression targets")
    classes, y = np.unique(values, return_inverse=True)
    names = [str(int(v)) for v in classes]
    _check_class_count(name, column, names, numeric=True)
    return y.astype(np.int64).reshape(-1), names


def _text_classes(name: str, labels: list[str], lines: array, column: str
                  ) -> tuple[np.ndarray, list[str]]:
    first_seen: dict[str, int] = {}
    for text, line in zip(labels, lines, strict=True):
        if text not in first_seen:
            if len(text) > MAX_LABEL or not text.isprintable():
                raise LoadError(f"{name}: line {line}, column {column}: a label must be "
                                f"printable text of at most {MAX_LABEL} characters")
            first_seen[text] = len(first_seen)
            if len(first_seen) > MAX_CLASSES:
                _check_class_count(name, column, sorted(set(labels), key=_natural),
                                   numeric=False)
    names = sorted(first_seen, key=lambda t: (_natural(t), t))
    _check_class_count(name, column, names, numeric=False)
    position = np.empty(len(names), dtype=np.int64)
    position[[first_seen[t] for t in names]] = np.arange(len(names))
    codes = np.fromiter((first_seen[t] for t in labels), dtype=np.int64, count=len(labels))
    return position[codes], names


def _check_class_count(name: str, column: str, names: Sequence[str], numeric: bool) -> None:
    if len(names) > MAX_CLASSES:
        shown = ", ".join(names[:4])
        hint = " (if they are values to fit, load them as regression)" if numeric else ""
        raise LoadError(f"{name}: column {column} has {len(names):,} different labels ({shown}, "
                        f"…); the app supports at most {MAX_CLASSES} classes{hint}")
    if len(names) < 2:
        raise LoadError(f"{name}: every row has the label {names[0]!r} in column {column}; "
                        "at least two classes are needed")


# ----------------------------------------------------------------------- saving
def save_csv(path: str | os.PathLike, X: np.ndarray, y: np.ndarray,
             class_names: Sequence[str] | None = None) -> Path:
    """Write points as ``x1,x2,label`` rows (label: the class name, or the regression value),
    atomically. Numbers are written exactly (shortest round-trip form)."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
        raise ValueError(f"X must be (n, 2) and y (n,); got {X.shape} and {y.shape}")
    if class_names is not None:
        names = list(class_names)
        if y.size and (y.min() < 0 or y.max() >= len(names)):
            raise ValueError(f"y holds classes outside 0..{len(names) - 1}")
        labels = [names[k] for k in y.tolist()]
    else:
        labels = [repr(v) for v in y.tolist()]

    def write(handle) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["x1", "x2", "label"])
        writer.writerows(zip(map(repr, X[:, 0].tolist()), map(repr, X[:, 1].tolist()), labels,
                             strict=True))

    return atomic_write(path, write, mode="w")
