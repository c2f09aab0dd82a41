"""The display grid: one forward pass over it gives the decision boundary and every neuron's
map. Its input columns are computed once per (bounds, resolution, features) and reused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.core.network import Network
from playground.data.features import apply_features

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class GridActivations:
    """Every neuron's output on a resolution × resolution grid over ``bounds``.

    ``inputs`` (r, r, n_inputs) are the feature columns, ``layers[i]`` (r, r, units) the hidden
    layers' activations and ``output`` (r, r, outputs) what the user sees (probabilities or
    values). Row index is y, column index x, as an image.
    """

    bounds: Bounds
    inputs: np.ndarray
    layers: list[np.ndarray]
    output: np.ndarray


class DisplayGrid:
    """The grid's input columns, kept until the bounds, resolution or features change."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self.inputs: np.ndarray | None = None

    def forget(self) -> None:
        self._key, self.inputs = None, None

    def activations(self, net: Network, features: Sequence[str] | None, bounds: Bounds,
                    resolution: int) -> GridActivations:
        key = (tuple(bounds), resolution, tuple(features or ()), net.inputs)
        if key != self._key:
            x0, x1, y0, y1 = bounds
            gx, gy = np.meshgrid(np.linspace(x0, x1, resolution),
                                 np.linspace(y0, y1, resolution))
            points = np.column_stack([gx.ravel(), gy.ravel()])
            self.inputs = apply_features(points, features) if features else points
            self._key = key
        outs = net.layer_outputs(self.inputs)
        r = resolution
        return GridActivations(tuple(bounds), self.inputs.reshape(r, r, -1),
                               [o.reshape(r, r, -1) for o in outs[:-1]],
                               outs[-1].reshape(r, r, -1))
