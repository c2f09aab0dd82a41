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

    def inputs_for(self, features: Sequence[str] | None, bounds: Bounds, resolution: int,
                   n_inputs: int) -> np.ndarray:
        """The network inputs at the grid's points, row by row (resolution² × n_inputs)."""
        key = (tuple(bounds), resolution, tuple(features or ()), n_inputs)
        if key != self._key:
            x0, x1, y0, y1 = bounds
            gx, gy = np.meshgrid(np.linspace(x0, x1, resolution),
                                 np.linspace(y0, y1, resolution))
            points = np.column_stack([gx.ravel(), gy.ravel()])
            self.inputs = apply_features(points, features) if features else points
            self._key = key
        return self.inputs

    def activations(self, net: Network, features: Sequence[str] | None, bounds: Bounds,
                    resolution: int) -> GridActivations:
        grid_pass = GridPass(self, net, features, bounds, resolution)
        grid_pass.advance(grid_pass.points)
        return grid_pass.result()


class GridPass:
    """One evaluation of the display grid, done a slice of points at a time: a big network's
    grid then costs the window a few milliseconds in each of several frames instead of one
    long frame. Every slice uses the same weights, so the finished grid is one picture."""

    def __init__(self, grid: DisplayGrid, net: Network, features: Sequence[str] | None,
                 bounds: Bounds, resolution: int) -> None:
        self._inputs = grid.inputs_for(features, bounds, resolution, net.inputs)
        self._net, self._bounds, self._resolution = net, tuple(bounds), resolution
        self._slices: list[list[np.ndarray]] = []
        self.done = 0

    @property
    def points(self) -> int:
        return len(self._inputs)

    @property
    def finished(self) -> bool:
        return self.done >= self.points

    def advance(self, points: int) -> None:
        """Evaluate the next ``points`` grid points (at least one)."""
        part = self._inputs[self.done:self.done + max(1, int(points))]
        self._slices.append(self._net.layer_outputs(part))
        self.done += len(part)

    def result(self) -> GridActivations:
        """The finished grid (every point evaluated)."""
        if not self.finished:
            raise ValueError("the grid pass has not reached every point yet")
        outs = self._slices[0] if len(self._slices) == 1 else [
            np.concatenate(column) for column in zip(*self._slices, strict=True)]
        r = self._resolution
        return GridActivations(self._bounds, self._inputs.reshape(r, r, -1),
                               [o.reshape(r, r, -1) for o in outs[:-1]],
                               outs[-1].reshape(r, r, -1))
