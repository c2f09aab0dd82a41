"""Numbers for people: one formatter for every readout and plot label.

Three significant digits, no trailing zeros, grouping for large whole numbers, and a short
exponent where the number is too large or too small to read otherwise: 0.417, 12.3, 1,250,
1.7e10, 3.2e-5. Not-a-number and infinities are named, never printed as "nan".
"""

from __future__ import annotations

import math

SCIENTIFIC_ABOVE = 1e6
SCIENTIFIC_BELOW = 1e-3


def format_number(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` significant digits, as people write it."""
    value = float(value)
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    size = abs(value)
    if size >= SCIENTIFIC_ABOVE or size < SCIENTIFIC_BELOW:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}".replace("-", "−")
    if size >= 10 ** (digits - 1):
        return f"{round(value):,}".replace("-", "−")
    decimals = digits - 1 - math.floor(math.log10(size))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def format_percent(fraction: float) -> str:
    """A share as a percentage with one decimal: 0.9964 → "99.6 %"."""
    return "—" if not math.isfinite(fraction) else f"{100 * fraction:.1f} %"
