"""Where every neuron of the network picture goes: node sides and positions for a set of layer
sizes in a viewport, so the whole network always fits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Layout:
    """Node sides and positions (scene units = viewport pixels) for one set of layer sizes."""

    width: float
    height: float
    node: float
    sides: tuple[float, ...]
    pitches: tuple[float, ...]
    xs: tuple[float, ...]
    ys: tuple[np.ndarray, ...]

    def size_of(self, layer: int) -> float:
        return self.sides[layer]


END_NODE = 28.0
"""Input and output nodes stay up to this big when wide hidden layers shrink theirs: there
are few of them and their maps are the ones students read."""


def node_side(tallest: int) -> float:
    """Preferred node side: 40 px up to 8 neurons in the tallest layer, 12 px from 32 on."""
    if tallest <= 8:
        return 40.0
    return max(12.0, 40.0 - (tallest - 8) * 28.0 / 24.0)


def compute_layout(sizes: Sequence[int], width: float, height: float, *, left: float,
                   right: float, top: float, bottom: float) -> Layout:
    """Columns evenly across, each centred vertically; hidden columns share one pitch. Node
    corners fall on whole pixels so maps are blitted unscaled."""
    tallest = max(sizes)
    avail_h = max(height - top - bottom, 10.0)
    spacing = max(width - left - right, 10.0) / max(len(sizes) - 1, 1)
    room = avail_h / tallest
    node = float(max(3, round(min(node_side(tallest), 0.8 * room, 0.45 * spacing))))
    pitch = min(room, 1.6 * node)

    def end(n: int, scale: float) -> float:
        fit = min(END_NODE, 0.45 * spacing, 0.8 * avail_h / n)
        return float(max(3, round(scale * max(node, fit))))

    last = len(sizes) - 1
    sides = tuple(end(n, 1.0) if i == 0 else end(n, 0.8) if i == last else node
                  for i, n in enumerate(sizes))
    pitches = tuple(min(avail_h / n, max(pitch, 1.25 * s)) for n, s in zip(sizes, sides,
                                                                            strict=True))
    centre = top + avail_h / 2
    columns = np.linspace(left + sides[0] / 2, width - right - sides[-1] / 2, len(sizes))
    xs = tuple(float(np.round(x - s / 2) + s / 2) for x, s in zip(columns, sides, strict=True))
    ys = tuple(np.round(centre + (np.arange(n) - (n - 1) / 2) * p - s / 2) + s / 2
               for n, s, p in zip(sizes, sides, pitches, strict=True))
    return Layout(width, height, node, sides, pitches, xs, ys)
