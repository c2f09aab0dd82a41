"""Neuron maps as pixels: every neuron's output over the input plane, coloured on the shared
scale, framed as a rounded node, and stacked per column into one image.

All NumPy: a frame costs one pass per node size, never a Python loop per neuron.
"""

from __future__ import annotations

import functools

import numpy as np
from PySide6.QtGui import QColor, QImage

from playground.app.ui import colors

_LUT = colors.diverging_lut().astype(np.uint32)
_DIVERGING = 0xFF000000 | (_LUT[:, 0] << 16) | (_LUT[:, 1] << 8) | _LUT[:, 2]


def diverging_maps(values: np.ndarray, limits: np.ndarray | float) -> np.ndarray:
    """Packed ARGB of ``values / limits`` on the shared orange–white–blue scale (as
    :func:`colors.diverging_argb`, with per-neuron limits and without its per-call overhead)."""
    t = values / np.maximum(limits, 1e-12)
    np.clip(t, -1.0, 1.0, out=t)
    bad = np.isnan(t)
    if bad.any():
        t[bad] = 0.0
    return _DIVERGING[((t + 1.0) * (0.5 * (len(_DIVERGING) - 1))).astype(np.intp)]


@functools.lru_cache(maxsize=8)
def _class_hues(k: int) -> tuple[np.ndarray, np.ndarray]:
    white = colors.rgb(colors.NEUTRAL).astype(np.float32)
    hues = np.array([colors.rgb(colors.CLASS_COLORS[i % len(colors.CLASS_COLORS)])
                     for i in range(k)], dtype=np.float32)
    return white, hues - white


def class_tint_argb(p: np.ndarray) -> np.ndarray:
    """Packed ARGB for class probabilities (h, w, K): output k goes white → class k's colour."""
    white, span = _class_hues(p.shape[-1])
    t = np.clip(np.nan_to_num(p), 0.0, 1.0)[..., None]
    pix = (white + span * t + 0.5).astype(np.uint32)
    return 0xFF000000 | (pix[..., 0] << 16) | (pix[..., 1] << 8) | pix[..., 2]


def corner_radius(size: float) -> float:
    """Corner radius of a node of side ``size`` (the map's corners are cut to match)."""
    return max(1.5, 0.14 * size)


@functools.lru_cache(maxsize=16)
def node_frame(n: int, radius: float, border: float) -> tuple[np.ndarray, ...]:
    """The pixels of an n-pixel rounded square that its frame touches: flat indices, their
    antialiased coverage (alpha) and the weight of the border colour, both 0..1.

    From the signed distance to the outline; pixels not listed are fully inside (opaque map).
    """
    q = np.abs(np.arange(n) + 0.5 - n / 2) - (n / 2 - radius)
    qx, qy = q[None, :], q[:, None]
    distance = (np.hypot(np.maximum(qx, 0.0), np.maximum(qy, 0.0))
                + np.minimum(np.maximum(qx, qy), 0.0) - radius)  # < 0 inside
    cover = np.clip(0.5 - distance, 0.0, 1.0).ravel()
    ring = np.clip(distance + border + 0.5, 0.0, 1.0).ravel()
    touched = np.flatnonzero((cover < 1.0) | (ring > 0.0))
    frame = (touched, cover[touched].astype(np.float32)[:, None],
             ring[touched].astype(np.float32)[:, None])
    for array in frame:
        array.setflags(write=False)
    return frame


def framed_maps(argb: np.ndarray, radius: float, border: QColor,
                dpr: float = 1.0) -> np.ndarray:
    """(units, n, n) premultiplied ARGB: each neuron's map, high y at the top, inside a
    rounded frame in ``border`` with transparent corners. ``argb`` is (n, n, units) opaque
    packed pixels, row 0 the lowest y, as the grid comes. Only the frame's pixels are
    blended; the inside is already opaque."""
    n, units = argb.shape[0], argb.shape[2]
    touched, cover, ring = node_frame(n, round(radius, 2), max(1.0, round(dpr, 2)))
    out = np.ascontiguousarray(np.moveaxis(argb[::-1], 2, 0), dtype=np.uint32)
    flat = out.reshape(units, n * n)
    bgra = np.ascontiguousarray(flat[:, touched]).view(np.uint8).reshape(units, -1, 4)
    edge = np.array([border.blue(), border.green(), border.red()], dtype=np.float32)
    bgr = bgra[..., :3].astype(np.float32)
    bgr += (edge - bgr) * ring
    bgr *= cover  # premultiplied alpha
    bgra[..., :3] = bgr + 0.5
    bgra[..., 3] = cover[:, 0] * 255 + 0.5
    flat[:, touched] = bgra.view(np.uint32).reshape(units, len(touched))
    return out


def premultiplied_image(pixels: np.ndarray, dpr: float = 1.0) -> QImage:
    """A QImage owning a copy of (h, w) premultiplied ARGB32 pixels."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint32)
    h, w = pixels.shape
    image = QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_ARGB32_Premultiplied).copy()
    image.setDevicePixelRatio(dpr)
    return image


MIN_MAP = 9.0
"""Nodes smaller than this (px) show a plain fill instead of a map."""


def column_maps(grid, sizes: tuple[int, ...], sides: tuple[float, ...], loss: str, dpr: float,
                fill: QColor, border: QColor) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per column, the framed maps (units, n, n) of its neurons and each map's largest |value|
    (what its colours are scaled to). ``grid`` may be None (plain nodes)."""
    last = len(sizes) - 1
    groups: dict[tuple[float, bool], list[int]] = {}
    for layer in range(len(sizes)):  # one NumPy pass per node size (outputs apart)
        groups.setdefault((sides[layer], layer == last), []).append(layer)
    framed: list[np.ndarray] = [np.zeros((0, 0, 0), np.uint32)] * len(sizes)
    limits: list[np.ndarray] = [np.zeros(n) for n in sizes]
    for (side, _), group in groups.items():
        n = max(2, round(side * dpr))
        units = [sizes[layer] for layer in group]
        if grid is None or side < MIN_MAP:
            plain = np.uint32(0xFF000000 | (fill.rgb() & 0xFFFFFF))
            argb = np.full((n, n, sum(units)), plain, dtype=np.uint32)
        else:
            sources = [grid.inputs, *grid.layers, grid.output]
            idx = ((np.arange(n) + 0.5) * grid.output.shape[0] / n).astype(np.intp)
            values = np.concatenate([sources[layer][np.ix_(idx, idx)] for layer in group],
                                    axis=2)
            peak = np.abs(values).max(axis=(0, 1))
            peak[~np.isfinite(peak)] = 0.0
            for layer, part in zip(group, np.split(peak, np.cumsum(units)[:-1]), strict=True):
                limits[layer] = part
            if group[0] == last and loss == "softmax":
                argb = class_tint_argb(values)
            elif group[0] == last and loss == "bce":
                argb = diverging_maps(2.0 * values - 1.0, 1.0)
            else:
                argb = diverging_maps(values, peak)
        maps = framed_maps(argb, corner_radius(side) * dpr, border, dpr)
        for layer, part in zip(group, np.split(maps, np.cumsum(units)[:-1]), strict=True):
            framed[layer] = part
    return framed, limits
