"""One ``.npy`` array from bytes already in memory, read without trusting its header.

NumPy's own reader allocates whatever shape the header claims (a header of 10¹² elements asks
for 7.3 TiB) and accepts any dtype, long double and pickled objects included. Here the header
is short and plain, its dtype is on a whitelist, the element count is checked against the
caller's cap and the data must be exactly as long as the header promises, all before an array
is made. Arrays come back as native-byte-order, C-ordered, writable copies.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

import numpy as np

from playground.files.errors import LoadError

MAGIC = b"\x93NUMPY"
MAX_HEADER = 4096
MAX_DIMENSIONS = 32
NUMBERS = "fiu"
"""Kinds for arrays of numbers: floats, signed and unsigned integers."""
_DESCR = re.compile(r"([<>|=]?)([a-zA-Z])(\d{1,6})")
_ITEMSIZES = {"f": (2, 4, 8), "i": (1, 2, 4, 8), "u": (1, 2, 4, 8), "b": (1,)}
_HEADER_CHARS = re.compile(r"[\w\s'\"{}()\[\],:<>|=.+-]*")
_KIND_WORDS = {"b": "true/false values", "U": "text", "S": "text", "c": "complex numbers",
               "O": "Python objects", "M": "dates", "m": "time spans", "V": "raw records"}


def _header(data: bytes, where: str) -> tuple[dict[str, Any], int]:
    """The header dict and the offset where the array's bytes start."""
    if not data.startswith(MAGIC):
        raise LoadError(f"{where} is not a NumPy array")
    if len(data) < 10:
        raise LoadError(f"{where} is cut short (its header is incomplete)")
    major, minor = data[6], data[7]
    if major == 1:
        length, start = int.from_bytes(data[8:10], "little"), 10
    elif major in (2, 3) and len(data) >= 12:
        length, start = int.from_bytes(data[8:12], "little"), 12
    else:
        raise LoadError(f"{where} uses .npy format {major}.{minor}, which this app cannot read")
    if length > MAX_HEADER:
        raise LoadError(f"{where} has a header of {length:,} bytes; at most {MAX_HEADER:,} are "
                        "allowed")
    if start + length > len(data):
        raise LoadError(f"{where} is cut short (its header is incomplete)")
    raw = data[start: start + length]
    try:
        text = raw.decode("utf-8" if major == 3 else "latin-1")
    except UnicodeDecodeError:
        text = "\x00"
    brackets = sum(text.count(c) for c in "([{")
    if not _HEADER_CHARS.fullmatch(text) or brackets > 4:
        raise LoadError(f"{where} has a damaged header")
    try:
        header = ast.literal_eval(text)
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        raise LoadError(f"{where} has a damaged header") from None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise LoadError(f"{where} has a header without the descr, fortran_order and shape "
                        "that a .npy header holds")
    return header, start + length


def _shape(value: Any, where: str) -> tuple[int, ...]:
    if (not isinstance(value, tuple) or len(value) > MAX_DIMENSIONS
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
                       for n in value)):
        raise LoadError(f"{where} has a damaged header (its shape is {value!r:.40})")
    return value


def _dtype(descr: Any, where: str, kinds: str, max_itemsize: int) -> np.dtype:
    """The dtype ``descr`` names, if it is a plain one of ``kinds``; else a clear refusal."""
    match = _DESCR.fullmatch(descr) if isinstance(descr, str) else None
    if match is None:
        kind = "O" if descr == "|O" else "V" if isinstance(descr, list) else "?"
        raise LoadError(_refusal(where, kind, descr))
    order, kind, size = match[1], match[2], int(match[3])
    if kind not in kinds:
        raise LoadError(_refusal(where, kind, descr))
    if kind in "US":
        chars = size
        if chars < 1:
            raise LoadError(f"{where} has a damaged header (a text type of no characters)")
        if chars * (4 if kind == "U" else 1) > max_itemsize:
            raise LoadError(f"{where} holds a text of {chars:,} characters; at most "
                            f"{max_itemsize:,} bytes are allowed")
    elif size not in _ITEMSIZES.get(kind, ()):
        if kind == "f" and size > 8:
            raise LoadError(f"{where} holds {size * 8}-bit floats (long double), which are not "
                            "portable; save it as float64")
        raise LoadError(f"{where} has an unknown data type {descr!r}")
    return np.dtype(f"{order or '|'}{kind}{size}")


def _refusal(where: str, kind: str, descr: Any) -> str:
    if kind == "O":
        return (f"{where} holds Python objects, which are never loaded (only plain arrays of "
                "numbers are)")
    words = _KIND_WORDS.get(kind)
    if words is None:
        return f"{where} has an unknown data type {str(descr)[:40]!r}"
    return f"{where} holds {words}, not numbers"


def parse_npy(data: bytes, where: str, max_elements: int, kinds: str = NUMBERS,
              expected: tuple[int, ...] | None = None) -> np.ndarray:
    """The array of numbers or bools stored in ``data`` (the bytes of a ``.npy`` file).

    ``where`` starts every message ("net.npz: 'W1'"); ``kinds`` are the dtype kinds allowed
    ("f" float16/32/64, "i"/"u" integers, "b" bool; text is :func:`parse_npy_text`'s job);
    ``max_elements`` caps the element count the header may declare; ``expected``, if given,
    is the only shape allowed.
    """
    header, offset = _header(data, where)
    dtype = _dtype(header["descr"], where, kinds.replace("U", "").replace("S", ""), 8)
    shape = _shape(header["shape"], where)
    if expected is not None and shape != tuple(expected):
        raise LoadError(f"{where} has shape {shape} but the spec needs {tuple(expected)}")
    if not isinstance(header["fortran_order"], bool):
        raise LoadError(f"{where} has a damaged header (fortran_order is not true or false)")
    count = math.prod(shape)
    spread = math.prod(n for n in shape if n)  # (0, 2**31, 2**31) is empty yet unrepresentable
    if spread > max_elements:
        raise LoadError(f"{where} declares shape {shape} ({count:,} values); at most "
                        f"{max_elements:,} are allowed here")
    expected = count * dtype.itemsize
    if len(data) - offset != expected:
        raise LoadError(f"{where} is damaged: it holds {len(data) - offset:,} bytes of data "
                        f"where its header promises {expected:,}")
    flat = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
    array = flat.reshape(shape, order="F" if header["fortran_order"] else "C")
    return np.array(array, dtype=dtype.newbyteorder("="), order="C")


def parse_npy_text(data: bytes, where: str, max_chars: int) -> str:
    """The string a 0-d text array holds (how an ``.npz`` stores JSON, e.g. ``meta``)."""
    header, offset = _header(data, where)
    shape = _shape(header["shape"], where)
    descr = header["descr"]
    if descr == "|O":
        raise LoadError(_refusal(where, "O", descr))
    if shape != () or not isinstance(descr, str) or descr.lstrip("<>|=")[:1] not in ("U", "S"):
        raise LoadError(f"{where} must be a single string of text, not an array")
    dtype = _dtype(descr, where, "US", max_itemsize=4 * max_chars)
    payload = data[offset:]
    if len(payload) != dtype.itemsize:
        raise LoadError(f"{where} is damaged: it holds {len(payload):,} bytes of data where "
                        f"its header promises {dtype.itemsize:,}")
    if dtype.kind == "U":
        encoding = "utf-32-be" if dtype.byteorder == ">" else "utf-32-le"
    else:
        encoding = "utf-8"
    try:
        return payload.decode(encoding).rstrip("\x00")
    except UnicodeDecodeError:
        raise LoadError(f"{where} is damaged: its text is not valid Unicode") from None
