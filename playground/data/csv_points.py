"""Points from a CSV file (x1, x2 and a label per row), and the current points to one.

:func:`load_csv` reads the chosen columns (by default the ones :func:`sniff_csv` guesses).
Labels that are text become classes 0..k-1 with their names kept **in sorted order** (natural
order, so "class 2" comes before "class 10"); whole numbers are classes too; other numbers, or
any numbers with ``regression=True``, are regression targets. Every problem is a
:class:`~playground.files.errors.LoadError` that names the file, the line and the column
("points.csv: line 17, column x2: 'abc' is not a number").
"""

from __future__ import annotations

import csv
import math
import os
import re
from array import array
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from playground.data.csv_layout import (
    CsvPreview,
    blank,
    column_names,
    guess_columns,
    is_number,
    layout,
    number,
    numeric_columns,
    rows,
    sniff_csv,
)
from playground.files.atomic import atomic_write
from playground.files.errors import LoadError
from playground.files.limits import MAX_CLASSES, MAX_POINTS

__all__ = ["CsvPreview", "load_csv", "save_csv", "sniff_csv"]

MAX_LABEL = 100
_DIGITS = re.compile(r"(\d+)")


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
    name, text, delimiter, header, first = layout(path, delimiter, header)
    names = column_names(first[0] if header else None, len(first[0]))
    if columns is None:
        numeric = numeric_columns(first[1:] if header else first, len(names), delimiter != ",")
        chosen = guess_columns(names, numeric)
    else:
        chosen = tuple(_column_index(c, names, name) for c in columns)
        if len(chosen) != 3 or len(set(chosen)) != 3:
            raise LoadError(f"{name}: choose three different columns, for x1, x2 and the "
                            "label")
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
    reader = rows(text, delimiter)
    skip = header
    try:
        for row in reader:
            if blank(row):
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
                    value = number(cell, decimal_comma)
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
        values = np.array([number(text, decimal_comma) for text in labels])
    except ValueError:
        values = None
    if values is None:
        if regression:
            at = next(i for i, t in enumerate(labels) if not is_number(t, decimal_comma))
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
