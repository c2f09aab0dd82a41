"""Where the mouse is in the network picture: which neuron, caption or edge, which gap between
columns, which place in a column.

Edges are not items (a wide network has thousands), so finding the one under the cursor is a
vectorised point-to-segment distance over the same (E, 4) array the view draws from.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF

if TYPE_CHECKING:
    from playground.app.network.view import NetworkView

EDGE_TOLERANCE = 4.0
"""How close (viewport pixels) the cursor must be to an edge to hover or double-click it."""
BAND = 6.0
"""Margin around a column within which a click selects the layer."""


def segment_distances(segments: np.ndarray, x: float, y: float) -> np.ndarray:
    """Distance from (x, y) to each segment of an (E, 4) array of x0 y0 x1 y1."""
    x0, y0 = segments[:, 0], segments[:, 1]
    dx, dy = segments[:, 2] - x0, segments[:, 3] - y0
    length2 = dx * dx + dy * dy
    t = ((x - x0) * dx + (y - y0) * dy) / np.maximum(length2, 1e-12)
    np.clip(t, 0.0, 1.0, out=t)
    return np.hypot(x0 + t * dx - x, y0 + t * dy - y)


def nearest_edge(segments: np.ndarray, x: float, y: float, tolerance: float) -> int | None:
    """Index of the segment nearest to (x, y) if it is within ``tolerance``, else None."""
    if not len(segments):
        return None
    distances = segment_distances(segments, x, y)
    best = int(np.argmin(distances))
    return best if distances[best] <= tolerance else None


def edge_address(sizes: Sequence[int], edge: int) -> tuple[int, int, int]:
    """(layer, i, j) of edge number ``edge`` in the view's order: from neuron ``i`` of column
    ``layer`` to neuron ``j`` of the next, columns in turn, rows of W in turn."""
    counts = [a * b for a, b in pairwise(sizes)]
    starts = np.concatenate(([0], np.cumsum(counts)))
    if not 0 <= edge < starts[-1]:
        raise IndexError(f"no edge {edge} (there are {starts[-1]})")
    layer = int(np.searchsorted(starts, edge, side="right")) - 1
    i, j = divmod(edge - int(starts[layer]), sizes[layer + 1])
    return layer, i, j


def nearest_column(xs: Sequence[float], x: float) -> int:
    return int(np.argmin(np.abs(np.asarray(xs) - x)))


def layer_slot(xs: Sequence[float], x: float) -> int:
    """The column a hidden layer dropped at ``x`` becomes: the gap between the columns around
    it (left of the inputs counts as just after them, right of the outputs as just before)."""
    gap = int(np.searchsorted(np.asarray(xs), x))
    return min(max(gap, 1), len(xs) - 1)


def neuron_slot(ys: Sequence[float], y: float) -> int:
    """Position a neuron dropped at height ``y`` takes in a column whose centres are ``ys``."""
    return int(np.searchsorted(np.asarray(ys), y))


def hit(view: NetworkView, point: QPointF, edges: bool = True
        ) -> tuple[str, tuple[int, ...]] | None:
    """What is at scene ``point``: ("neuron", (layer, i)), ("layer", (layer,)),
    ("edge", (layer, i, j)) or None. Neurons first, then captions, edges, column bands."""
    layout = view.layout_info()
    if layout is None:
        return None
    x, y = point.x(), point.y()
    for layer, cx in enumerate(layout.xs):
        half = layout.size_of(layer) / 2
        if abs(x - cx) <= half:
            ys = layout.ys[layer]
            i = int(np.argmin(np.abs(ys - y)))
            if abs(float(ys[i]) - y) <= half:
                return "neuron", (layer, i)
    for layer in range(len(layout.xs)):
        if view.caption_rect(layer).contains(point):
            return "layer", (layer,)
    if edges:
        scale = view.transform().m11() or 1.0
        k = nearest_edge(view.edge_segments(), x, y, EDGE_TOLERANCE / scale)
        if k is not None:
            return "edge", edge_address(view.snapshot().sizes, k)
    for layer, cx in enumerate(layout.xs):
        half = layout.size_of(layer) / 2 + BAND
        ys = layout.ys[layer]
        if abs(x - cx) <= half and float(ys[0]) - half <= y <= float(ys[-1]) + half:
            return "layer", (layer,)
    return None
