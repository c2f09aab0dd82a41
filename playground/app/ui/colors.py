"""Colours and value→colour maps shared by every picture, so a sign or a class looks the same
in the network view, the neuron maps, the boundary plot and the legends.

TF Playground's convention: orange is negative (class 0), blue is positive (class 1), white
is zero. Further classes get further distinct hues. Maps are built with NumPy lookup tables
into packed ARGB32 pixels, then wrapped in a QImage (one copy, no per-pixel Python).
"""

from __future__ import annotations

import functools

import numpy as np
from PySide6.QtGui import QColor, QImage

NEGATIVE = "#f59322"
POSITIVE = "#0877bd"
CLASS_COLORS = ("#f59322", "#0877bd", "#2ca02c", "#9467bd", "#d62728", "#8c564b", "#e377c2",
                "#17becf")
NEUTRAL = "#f7f7f7"
DEAD = "#a4161a"
"""Dead ReLU neurons: their crosses in the network view and the inspector's warning."""


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` toward ``b`` (opaque): how edges fake transparency and
    muted lines sit between text and background."""
    t = min(max(t, 0.0), 1.0)
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)


def rgb(color: str) -> np.ndarray:
    c = QColor(color)
    return np.array([c.red(), c.green(), c.blue()], dtype=float)


def class_color(index: int) -> QColor:
    return QColor(CLASS_COLORS[index % len(CLASS_COLORS)])


def diverging_lut(size: int = 256, low: str = NEGATIVE, mid: str = NEUTRAL,
                  high: str = POSITIVE) -> np.ndarray:
    """(size, 3) uint8 RGB: low colour at 0, mid at the centre, high colour at the end."""
    t = np.linspace(-1.0, 1.0, size)[:, None]
    lo, mi, hi = rgb(low), rgb(mid), rgb(high)
    table = np.where(t < 0, mi + (lo - mi) * -t, mi + (hi - mi) * t)
    return np.round(table).astype(np.uint8)


_LUT = diverging_lut()
_LUT_ARGB = (0xFF000000 | (_LUT[:, 0].astype(np.uint32) << 16)
             | (_LUT[:, 1].astype(np.uint32) << 8) | _LUT[:, 2].astype(np.uint32))


def diverging_argb(values: np.ndarray, limit: float, steps: int | None = None) -> np.ndarray:
    """Packed ARGB32 pixels for values in [-limit, limit] (clamped); ``steps`` quantises."""
    t = np.clip(np.nan_to_num(values) / max(limit, 1e-12), -1.0, 1.0)
    if steps:
        t = np.round(t * steps) / steps
    index = ((t + 1.0) * 0.5 * (len(_LUT_ARGB) - 1)).astype(np.intp)
    return _LUT_ARGB[index]


def class_argb(probabilities: np.ndarray, discretize: bool = False,
               strength: float = 0.75) -> np.ndarray:
    """Packed ARGB32 pixels for class probabilities (h, w, K): each pixel leans toward the
    colour of the likely class, paler where the network is unsure."""
    k = probabilities.shape[-1]
    if k == 2 and not discretize:  # one number per pixel: look it up (~20x faster per frame)
        p1 = np.clip(np.nan_to_num(probabilities[..., 1]), 0.0, 1.0)
        return _binary_lut(strength)[(p1 * 255.0 + 0.5).astype(np.intp)]
    return _class_pixels(probabilities, discretize, strength)


@functools.lru_cache(maxsize=4)
def _binary_lut(strength: float) -> np.ndarray:
    t = np.linspace(0.0, 1.0, 256)
    return _class_pixels(np.column_stack([1.0 - t, t]), False, strength)


def _class_pixels(probabilities: np.ndarray, discretize: bool, strength: float) -> np.ndarray:
    k = probabilities.shape[-1]
    colors = np.array([rgb(CLASS_COLORS[i % len(CLASS_COLORS)]) for i in range(k)])
    white = rgb(NEUTRAL)
    if discretize:
        winner = probabilities.argmax(axis=-1)
        mixed = colors[winner]
        confidence = np.ones(winner.shape)
    else:
        p = np.nan_to_num(probabilities)
        mixed = p @ colors / np.maximum(p.sum(axis=-1, keepdims=True), 1e-12)
        confidence = (p.max(axis=-1) - 1.0 / k) * k / max(k - 1, 1)
    alpha = (strength * np.clip(confidence, 0.0, 1.0))[..., None]
    pixel = np.round(white + (mixed - white) * alpha).astype(np.uint32)
    return 0xFF000000 | (pixel[..., 0] << 16) | (pixel[..., 1] << 8) | pixel[..., 2]


def argb_image(argb: np.ndarray, flip_y: bool = True) -> QImage:
    """A QImage owning a copy of (h, w) packed ARGB32 pixels; row 0 of ``argb`` is the lowest
    y, so by default it is flipped to put high y at the top as a plot does."""
    pixels = np.ascontiguousarray(argb[::-1] if flip_y else argb, dtype=np.uint32)
    h, w = pixels.shape
    return QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_ARGB32).copy()
