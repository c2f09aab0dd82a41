"""Plot axes that never lie: no SI prefix behind the numbers (pyqtgraph recomputes it even
when asked not to, so 0.6 read "600" after a theme switch), the app's one number format, and
labels that never pile up in a short plot or vanish inside one decade of a log axis."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from playground.app.ui.numbers import format_number


def _digits(values: list[float], spacing: float) -> int:
    """Significant digits that tell neighbouring ticks ``spacing`` apart (at least 3)."""
    largest = max((abs(v) for v in values), default=0.0)
    if largest == 0 or spacing <= 0:
        return 3
    return max(3, math.ceil(math.log10(largest / spacing)) + 1)


LABEL_SPACING = 1.1
"""Least distance between two labels' centres, in lines of tick text: they never touch."""
LABEL_GAP = 28
"""Least distance between two labels at the normal text size, in pixels; larger text (zoom,
presentation) keeps 1.6 lines between them."""


class PlainAxis(pg.AxisItem):
    """An axis that never rescales its numbers behind an SI prefix (pyqtgraph recomputes the
    prefix even when asked not to, so 0.6 read "600" after a theme switch) and labels them
    with the app's one number format."""

    def line_height(self) -> float:
        """The height of one tick label, in pixels."""
        return QFontMetricsF(self.style.get("tickFont") or self.font()).height()

    def labels_that_fit(self, size: float) -> int:
        """How many labels fit along ``size`` pixels without touching: one where two would
        (a short plot in presentation mode), else at least two."""
        line = self.line_height()
        if size < 1.6 * line:
            return 1
        return max(2, int(size / max(LABEL_GAP, 1.6 * line)))

    def updateAutoSIPrefix(self):
        self.autoSIPrefixScale = 1.0
        self.labelUnitPrefix = ""
        self._updateLabel()

    def tickValues(self, minVal, maxVal, size):
        """Where only one label fits, the one nearest the middle (two would overlap); else,
        on a y axis, the ticks whose labels stay clear of each other, coarser levels and
        whole decades first."""
        levels = super().tickValues(minVal, maxVal, size)
        shown = [(spacing, v) for spacing, values in levels for v in values
                 if minVal <= v <= maxVal]
        if not shown or maxVal <= minVal:
            return levels
        if self.labels_that_fit(size) == 1:
            spacing, value = min(shown, key=lambda sv: abs(sv[1] - (minVal + maxVal) / 2))
            return [(spacing, [value])]
        if self.orientation not in ("left", "right"):  # a label's width matters there
            return levels
        gap = LABEL_SPACING * self.line_height()
        scale = size / (maxVal - minVal)
        if self.logMode:  # whole decades first (a stable sort keeps the rest in order)
            shown.sort(key=lambda sv: abs(sv[1] - round(sv[1])) > 1e-9)
        kept: list[tuple[float | None, float]] = []
        for spacing, value in shown:  # coarser levels come first
            if all(abs(value - other) * scale >= gap for _, other in kept):
                kept.append((spacing, value))
        ends = [min(shown, key=lambda sv: sv[1]), max(shown, key=lambda sv: sv[1])]
        if len(kept) == 1 and (ends[1][1] - ends[0][1]) * scale >= gap / LABEL_SPACING:
            kept = ends  # two labels just clear of each other say more than one
        return [(spacing, [v for s, v in kept if s == spacing])
                for spacing in dict.fromkeys(s for s, _ in kept)]

    def tickSpacing(self, minVal, maxVal, size):
        """A linear axis drops the finer tick levels that would put labels closer than
        :data:`LABEL_GAP`, so they never pile up in a short plot."""
        levels = super().tickSpacing(minVal, maxVal, size)
        if self.logMode or not levels:
            return levels
        fits = self.labels_that_fit(size)
        span = abs(maxVal - minVal)
        kept = [level for level in levels if span / level[0] <= fits]
        if kept:
            return kept
        least = span / fits
        power = 10.0 ** math.floor(math.log10(least))
        return [(next(m * power for m in (1, 2, 5, 10) if m * power >= least), 0)]

    def tickStrings(self, values, scale, spacing):
        if self.logMode:
            return self.logTickStrings(values, scale, spacing)
        digits = _digits(values, spacing)
        return [format_number(v, digits) for v in values]


class LogAxis(PlainAxis):
    """A y axis whose log-scale labels are 1, 2, 5 × 10ᵏ (or whole decades) spaced by at least
    :data:`LABEL_GAP`, so labels never pile up however narrow the range, and never vanish:
    inside one decade it falls back to evenly spaced values. Linear mode is a :class:`PlainAxis`."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        fits = max(2, self.labels_that_fit(size))   # (tickValues keeps one of them if need be)
        low, high = math.floor(minVal), math.ceil(maxVal)
        decades = list(range(low, high + 1))
        if high - low > 3:
            span = maxVal - minVal
            step = max(1, min(math.ceil(span / fits), math.floor(span / 2)))
            first = math.ceil(minVal / step) * step
            return [(float(step), [float(d) for d in range(first, high + 1, step)
                                   if d <= maxVal])]
        for mantissas in ((1, 2, 5), (1, 3), (1,)):
            values = [d + math.log10(m) for d in decades for m in mantissas
                      if minVal <= d + math.log10(m) <= maxVal]
            if 2 <= len(values) <= fits:
                return [(None, values)]
        return [(None, _even_log_ticks(minVal, maxVal, fits))]

    def logTickStrings(self, values, scale, spacing):
        actual = [10.0 ** v for v in values]
        gaps = np.diff(sorted(actual)) if len(actual) > 1 else np.array([0.0])
        digits = _digits(actual, float(gaps.min()) if gaps.size else 0.0)
        return [_decade(v) or format_number(a, digits) for v, a in zip(values, actual,
                                                                        strict=True)]


def _decade(log_value: float) -> str | None:
    """A whole decade far from 1 as 1e5 or 1e−4 (short, and lined up with its neighbours)."""
    k = round(log_value)
    if abs(log_value - k) > 1e-9 or -2 <= k <= 3:
        return None
    return f"1e{k}".replace("-", "−")


def _even_log_ticks(minVal: float, maxVal: float, fits: int) -> list[float]:
    """Round values evenly spaced between 10^minVal and 10^maxVal, as log10 positions."""
    lo, hi = 10.0 ** minVal, 10.0 ** maxVal
    raw = (hi - lo) / max(2, min(fits, 5))
    if not (raw > 0 and math.isfinite(raw)):
        return [minVal]
    step = 10.0 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 5, 10) if m * step >= raw)
    first = math.ceil(lo / step) * step
    values = np.arange(first, hi + step * 1e-9, step)
    return [math.log10(v) for v in values if v > 0]
