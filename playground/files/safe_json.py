"""JSON from a file, parsed with limits, and the type checks its fields need.

``json.loads`` alone lets a file through that nests 100,000 lists (RecursionError), writes
``NaN`` or ``Infinity`` (Python extensions JSON does not have), or an integer of 5,000 digits
(Python refuses to convert it with a plain ValueError, or a later ``float()`` overflows).
:func:`parse_json` refuses all of those, and duplicate keys, with a :class:`LoadError`; the
``check_*`` helpers then say which field has the wrong type or range ("'l1' must be a finite
number ≥ 0, not NaN"). A bool is never accepted as a number.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np

from playground.files.errors import LoadError

MAX_INT_DIGITS = 20  # every integer the app stores fits in 64 bits
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_DEPTH_STEP = np.zeros(256, dtype=np.int8)
_DEPTH_STEP[[ord("["), ord("{")]] = 1
_DEPTH_STEP[[ord("]"), ord("}")]] = -1


def nesting_depth(text: str) -> int:
    """How deeply lists and objects nest in JSON text, counted without parsing it."""
    skeleton = _STRING.sub('""', text).encode("utf-8", "replace")
    if not skeleton:
        return 0
    steps = _DEPTH_STEP[np.frombuffer(skeleton, dtype=np.uint8)]
    return int(np.cumsum(steps, dtype=np.int64).max(initial=0))


def parse_json(text: str, where: str, max_depth: int = 32) -> Any:
    """The value in ``text``; ``where`` starts every message ("net.npz: 'meta'")."""
    if nesting_depth(text) > max_depth:
        raise LoadError(f"{where} nests lists or objects more than {max_depth} levels deep")

    def refuse_constant(name: str) -> None:
        raise LoadError(f"{where} contains {name}, which is not a number JSON allows")

    def bounded_int(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise LoadError(f"{where} contains an integer of {len(digits.lstrip('-')):,} "
                            f"digits; at most {MAX_INT_DIGITS} are allowed")
        return int(digits)

    def finite_float(digits: str) -> float:
        value = float(digits)
        if not math.isfinite(value):
            raise LoadError(f"{where} contains the number {digits[:30]}, too large for a "
                            "64-bit float")
        return value

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            twice = next(k for k, _ in pairs if k in seen or seen.add(k))
            raise LoadError(f"{where} names the key {twice!r} twice")
        return result

    try:
        return json.loads(text, parse_constant=refuse_constant, parse_int=bounded_int,
                          parse_float=finite_float, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise LoadError(f"{where} is not valid JSON ({exc.msg} at line {exc.lineno}, column "
                        f"{exc.colno})") from None


def shown(value: Any, limit: int = 40) -> str:
    """A JSON value as a message quotes it, cut short: ``true``, ``"abc"``, ``[1, 2, …``."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LoadError(f"{where} must be a JSON object {{…}}, not {shown(value)}")
    return value


def check_int(value: Any, where: str, low: int, high: int) -> int:
    """A whole number in [low, high]; ``true``, ``1.0`` and ``"1"`` are refused."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LoadError(f"{where} must be a whole number from {low:,} to {high:,}, not "
                        f"{shown(value)}")
    return value


def check_number(value: Any, where: str, low: float = -math.inf, high: float = math.inf,
                 *, below_high: bool = False) -> float:
    """A finite number in [low, high] (or [low, high) with ``below_high``), as a float."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    number = float(value) if ok else math.nan
    inside = low <= number and (number < high if below_high else number <= high)
    if not (ok and math.isfinite(number) and inside):
        upper = "" if high == math.inf else f" and {'<' if below_high else '≤'} {high:g}"
        raise LoadError(f"{where} must be a finite number ≥ {low:g}{upper}, not "
                        f"{shown(value)}")
    return number


def check_text(value: Any, where: str, max_length: int = 100) -> str:
    """A printable string of 1 to ``max_length`` characters (no control characters)."""
    if (not isinstance(value, str) or not 0 < len(value) <= max_length
            or not value.isprintable()):
        raise LoadError(f"{where} must be a printable text of 1 to {max_length} characters, "
                        f"not {shown(value)}")
    return value


def check_list(value: Any, where: str, max_length: int) -> list[Any]:
    if not isinstance(value, list) or len(value) > max_length:
        raise LoadError(f"{where} must be a list of at most {max_length:,} items, not "
                        f"{shown(value)}")
    return value
