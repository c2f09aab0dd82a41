"""How the Backprop tab prints a number: one format for the graph, the rules, the check table,
the code and the matrices, so that a student never meets −1e+03 beside 2.94423e−05.

Three significant digits; plain notation from 0.001 to 9999 (never rounding the digits left
of the point: 1234.5 prints as 1235, not 1230); outside that range a short exponent with the
same style everywhere: 2.94e−5, 1.5e9. Minus signs are real minus signs (−), except in code,
which must stay valid Python.
"""

from __future__ import annotations

import math
from functools import lru_cache

MINUS = "−"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@lru_cache(maxsize=8192)  # a big graph prints the same numbers at every step
def fmt(value: float, digits: int = 3, minus: str = MINUS) -> str:
    """``value`` with ``digits`` significant digits, e.g. 0.00905, −0.0358, 1.58, 1000, 2.94e−5.

    Parameters
    ----------
    value : float
        The number.
    digits : int
        Significant digits (at least 1). Constants the student typed use 6, so they show as
        typed (0.25, 1e9).
    minus : str
        The minus sign: "−" for reading, "-" for code.
    """
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else f"{minus}∞"
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")   # rounds first: 9.996 → 1.00e1
    power = int(exponent)
    if -3 <= power < max(4, digits):
        text = f"{value:.{max(digits - 1 - power, 0)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}e{power}"
    return text.replace("-", minus)


def constant(value: float) -> str:
    """A constant the student typed, as typed: 0.25, 2, 1e9 (up to six digits)."""
    return fmt(value, 6)


def par(value: float) -> str:
    """``fmt`` in parentheses when negative, for the second factor of a product."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


def power(exponent: float) -> str:
    """``x`` raised to ``exponent`` as written by hand: "²" for 2, "" for 1, "^0.5" else."""
    if exponent == 1:
        return ""
    if exponent == int(exponent) and abs(exponent) < 10:
        return str(int(exponent)).translate(_SUPERSCRIPT)
    return f"^{constant(exponent)}"


def parse_number(text: str) -> float:
    """A number as a student types it: "−0.5", "1,5", "2e-3". Raises ValueError."""
    return float(text.strip().replace(MINUS, "-").replace(",", "."))
