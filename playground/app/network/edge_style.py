"""How edges look: a pen per (width, colour) bin, each edge's bin from its weight or its mean
|∂L/∂w|, and the legend that explains the scale.

Edges are batched by pen (see :class:`~playground.app.network.items.EdgeItem`), so styling a
frame is one NumPy pass that gives every edge a small integer key.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

from playground.app.ui import colors
from playground.app.ui.colors import mix

SEQUENTIAL = ("#8e44ad", "#d7191c")
"""Gradient scale above the faint start colour (which comes from the palette): purple, red."""


def sequential_color(t: float, faint: QColor) -> QColor:
    """Gradient magnitude colour: faint (≈ background) → purple → red as ``t`` goes 0 → 1."""
    purple, red = QColor(SEQUENTIAL[0]), QColor(SEQUENTIAL[1])
    return mix(faint, purple, t / 0.6) if t < 0.6 else mix(purple, red, (t - 0.6) / 0.4)


# ---------------------------------------------------------------- edge styles
WIDTH_BINS = 8
COLOR_BINS = 8
GRADIENT_DECADES = 4.0
"""Orders of magnitude the gradient colour scale spans below the network's largest gradient."""
LAYER_DECADES = 1.5
"""Orders of magnitude the gradient width scale spans below each layer's largest gradient."""


def _bins(t: np.ndarray, count: int) -> np.ndarray:
    return np.minimum((t * count).astype(np.intp), count - 1)


WIDTH_QUANTILE = 0.99
"""The widest pen goes to |w| at this quantile or half the largest |w|, whichever is more;
larger weights are capped there, so one outlier does not make every other edge a hairline."""


ZERO_KEY = WIDTH_BINS * 2
"""Weight mode's pen for a weight that is exactly 0 (L1 makes many): neither sign's colour."""


def weight_keys(weights: Sequence[np.ndarray]) -> np.ndarray:
    """Pen index per edge for weight mode: ``width_bin * 2 + (w > 0)``, or :data:`ZERO_KEY`
    for w = 0; width ∝ |w| over the whole network (so layers compare), capped near the top
    (see ``WIDTH_QUANTILE``)."""
    w = np.concatenate([np.ravel(x) for x in weights])
    a = np.abs(w)
    a[~np.isfinite(a)] = 0.0
    if not a.size:
        return np.zeros(0, dtype=np.intp)
    top = a.max()
    scale = max(np.quantile(a, WIDTH_QUANTILE), 0.5 * top) if a.size >= 50 else top
    t = np.minimum(a / scale, 1.0) if scale > 0 else a
    return np.where(w == 0, ZERO_KEY, _bins(t, WIDTH_BINS) * 2 + (w > 0))


def gradient_keys(grads: Sequence[np.ndarray]) -> tuple[np.ndarray, tuple[float, float] | None]:
    """Pen index per edge for gradient mode, ``width_bin * COLOR_BINS + colour_bin``, and the
    colour scale's (log10 low, log10 high), None before any gradient exists.

    Colour is log |g| over the whole network (pale early layers = vanishing gradients); width
    is log |g| within each layer, so every layer shows which of its edges learn most.
    """
    parts = [np.abs(np.ravel(g)) for g in grads]
    for part in parts:
        part[~np.isfinite(part)] = 0.0  # a diverged gradient says nothing about the rest
    g = np.concatenate(parts)
    positive = g > 0
    if not positive.any():
        return np.zeros(len(g), dtype=np.intp), None
    with np.errstate(divide="ignore"):
        logs = np.log10(g)
    hi = float(logs[positive].max())
    lo = hi - GRADIENT_DECADES  # a fixed span: a colour always means the same ratio to the top
    color = _bins(np.clip((logs - lo) / (hi - lo), 0.0, 1.0) * positive, COLOR_BINS)
    width = np.zeros(len(g), dtype=np.intp)
    start = 0
    for part in parts:
        block = slice(start, start + len(part))
        start += len(part)
        pos = part > 0
        if pos.any():
            top = float(logs[block][pos].max())
            t = np.clip((logs[block] - (top - LAYER_DECADES)) / LAYER_DECADES, 0.0, 1.0) * pos
            width[block] = _bins(t, WIDTH_BINS)
    return width * COLOR_BINS + color, (lo, hi)


def edge_pens(mode: str, background: QColor, foreground: QColor, max_width: float,
              antialias: bool, weakest: float = 0.35) -> list[QPen]:
    """The pens ``weight_keys``/``gradient_keys`` index, thin and pale to thick and strong;
    ``weakest`` is how far the thinnest pen leans from the background to its colour (dense
    networks pass less, so the strong edges stand out of the mesh).

    Opaque colours pre-mixed with the background stand in for transparency: Qt strokes a
    batch drawn with a translucent pen as one merged path, ~20× slower.
    """
    def width(b: int) -> float:
        t = (b + 0.5) / WIDTH_BINS
        # log |g| puts most edges near the top: cube it so only the largest get thick
        w = 0.5 + (max_width * t if mode == "weight" else 0.7 * max_width * t ** 3)
        return w if antialias else max(w, 1.2)  # aliased pens ≤ 1 px take Qt's slow path

    def pen(color: QColor, w: float) -> QPen:
        p = QPen(color, w)
        p.setCapStyle(Qt.PenCapStyle.FlatCap)
        return p

    if mode == "weight":
        signs = (QColor(colors.NEGATIVE), QColor(colors.POSITIVE))
        strength = [weakest + (0.95 - weakest) * (b + 0.5) / WIDTH_BINS
                    for b in range(WIDTH_BINS)]
        zero = pen(mix(background, foreground, 0.2), width(0))   # solid: dashes are slow
        return [*(pen(mix(background, signs[s], strength[b]), width(b))
                  for b in range(WIDTH_BINS) for s in range(2)), zero]
    faint = gradient_faint(background, foreground)
    shades = [sequential_color((c + 0.5) / COLOR_BINS, faint) for c in range(COLOR_BINS)]
    strength = [weakest + 0.1 + (0.85 - weakest) * (b + 0.5) / WIDTH_BINS
                for b in range(WIDTH_BINS)]
    return [pen(mix(background, shades[c], strength[b]), width(b))
            for b in range(WIDTH_BINS) for c in range(COLOR_BINS)]


def gradient_faint(background: QColor, foreground: QColor) -> QColor:
    """The low end of the gradient scale: barely off the background, light or dark."""
    return mix(background, foreground, 0.15)


def map_legend() -> list[tuple]:
    """The neuron maps' scale, as :class:`~playground.app.network.items.LegendItem` pieces."""
    neg, pos, mid = QColor(colors.NEGATIVE), QColor(colors.POSITIVE), QColor(colors.NEUTRAL)
    return [("text", "activation:"), ("text", "−"), ("bar", [neg, mid]), ("text", "0"),
            ("bar", [mid, pos]), ("text", "+"), ("text", "(each map to its max)")]


def edge_legend(mode: str, grad_range: tuple[float, float] | None, faint: QColor
                ) -> list[tuple]:
    """The edges' scale: sign and width for weights, a log colour bar for gradients."""
    if mode == "weight":
        neg, pos = QColor(colors.NEGATIVE), QColor(colors.POSITIVE)
        return [("text", "weight:"), ("text", "−"), ("line", neg, 3.0), ("text", "+"),
                ("line", pos, 3.0), ("text", "  width ∝ |w|")]
    if grad_range is None:
        return [("text", "gradient |∂L/∂w|: none yet, train a step")]
    return [("text", "gradient |∂L/∂w|:"), ("text", f"{10 ** grad_range[0]:.0e}"),
            ("bar", [faint, *(QColor(c) for c in SEQUENTIAL)]),
            ("text", f"{10 ** grad_range[1]:.0e}"), ("text", "(log)  width: within layer")]
