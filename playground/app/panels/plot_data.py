"""What the training curves hand pyqtgraph: bounded buffers, drawable values, ranges we set.

Plain NumPy, no Qt. pyqtgraph must never see a non-finite or absurd value: its auto-range,
clip-to-view and path building loop on 1e+158 or NaN (a window frozen for minutes). So values
are made drawable first (:func:`plottable`), the curves' ranges are computed here
(:func:`value_range`) and set by the plot, and a buffer never outgrows the core's thinning
rule (:func:`playground.core.history.keep_rows`), so hours of training draw as fast as a
minute.
"""

from __future__ import annotations

import math

import numpy as np

from playground.core.history import keep_rows

PLOT_LIMIT = 1e12
"""Values beyond ±this are drawn at it (the readout gives the true number)."""
LOG_FLOOR = 1e-12
"""The smallest value a log axis shows."""


def plottable(values: np.ndarray, log: bool) -> np.ndarray:
    """A copy pyqtgraph can draw: NaN and ±∞ become gaps (NaN), absurd magnitudes are clipped
    to :data:`PLOT_LIMIT`; on a log axis values ≤ 0 are gaps and tiny ones sit at
    :data:`LOG_FLOOR`."""
    out = np.array(values, dtype=float)
    out[~np.isfinite(out)] = np.nan
    np.clip(out, -PLOT_LIMIT, PLOT_LIMIT, out=out)
    if log:
        out[~(out > 0)] = np.nan
        np.maximum(out, LOG_FLOOR, out=out)
    return out


def value_range(values: np.ndarray, log: bool) -> tuple[float, float]:
    """The y range to show ``values`` (already :func:`plottable`) in, in axis units (log10
    units on a log axis), padded a little; a sensible default when nothing is finite."""
    finite = values[np.isfinite(values)]
    if log:
        if not finite.size:
            return -1.0, 1.0
        lo, hi = math.log10(finite.min()), math.log10(finite.max())
        pad = max(0.05 * (hi - lo), 0.1)
        return lo - pad, hi + pad
    if not finite.size:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    if lo >= 0 and lo < 0.5 * hi:
        lo = 0.0          # a loss curve reads best from 0
    span = hi - lo
    if span <= 1e-12 * max(abs(hi), 1.0):
        span = max(abs(hi) * 0.1, 1e-6)
        lo, hi = lo - span / 2, hi + span / 2
    return lo - 0.02 * span, hi + 0.05 * span


MIN_EPOCHS_SHOWN = 10.0
"""An empty or young run is drawn on ten epochs, so the axis reads whole epochs (not 0.2,
0.4, …) and a starting curve grows to the right instead of being stretched."""


def epoch_range(epochs: np.ndarray) -> tuple[float, float]:
    """The x range: the whole run, at least :data:`MIN_EPOCHS_SHOWN` epochs wide."""
    finite = epochs[np.isfinite(epochs)]
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 0.0
    return lo, max(hi, lo + MIN_EPOCHS_SHOWN)


class RecordBuffer:
    """Rows appended at the end (column 0 the epoch), read as a view, thinned like the core's
    record once it holds :data:`~playground.core.history.CAPACITY` rows. Pinned rows (the
    gap where the data or the loss changed) survive thinning."""

    def __init__(self, columns: int = 1, capacity: int = 256) -> None:
        self._data = np.full((capacity, columns), np.nan)
        self._pinned = np.zeros(capacity, dtype=bool)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    @property
    def columns(self) -> int:
        return self._data.shape[1]

    @property
    def view(self) -> np.ndarray:
        return self._data[:self._n]

    def clear(self) -> None:
        self._n = 0

    def widen(self, columns: int) -> None:
        """At least ``columns`` columns (new ones start as NaN)."""
        if columns > self.columns:
            grown = np.full((len(self._data), columns), np.nan)
            grown[:, :self.columns] = self._data
            self._data = grown

    def drop_column(self, column: int) -> None:
        self._data = np.delete(self._data, column, axis=1)

    def append(self, rows: np.ndarray, pinned: bool = False) -> None:
        """Append (m, k) rows; fewer columns than the buffer's are padded with NaN, more
        widen it."""
        if not len(rows):
            return
        rows = np.asarray(rows, dtype=float).reshape(len(rows), -1)
        m, k = rows.shape
        self.widen(k)
        need = self._n + m
        if need > len(self._data):
            size = max(need, 2 * len(self._data))
            grown = np.full((size, self.columns), np.nan)
            grown[:self._n] = self._data[:self._n]
            self._data = grown
            self._pinned = np.concatenate([self._pinned, np.zeros(size - len(self._pinned),
                                                                  dtype=bool)])
        self._data[self._n:need] = np.nan
        self._data[self._n:need, :k] = rows
        self._pinned[self._n:need] = pinned
        self._n = need
        self._thin()

    def _thin(self) -> None:
        keep = keep_rows(self._n)
        if keep is None:
            return
        keep = np.union1d(keep, np.flatnonzero(self._pinned[:self._n]))
        kept = len(keep)
        self._data[:kept] = self._data[keep]
        self._pinned[:kept] = self._pinned[keep]
        self._pinned[kept:] = False
        self._n = kept
