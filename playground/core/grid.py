"""The display grid: one forward pass over it gives the decision boundary and every neuron's
map, whichever process draws them."""

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


def grid_inputs(bounds: Bounds, resolution: int, features: Sequence[str] | None) -> np.ndarray:
    """The grid's points as the network sees them (feature columns), row by row from y0."""
    x0, x1, y0, y1 = bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    points = np.column_stack([gx.ravel(), gy.ravel()])
    return apply_features(points, tuple(features)) if features else points


def grid_activations(net: Network, inputs: np.ndarray, bounds: Bounds,
                     resolution: int) -> GridActivations:
    """Every layer of ``net`` on the grid ``inputs`` (from :func:`grid_inputs`)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        outs = net.layer_outputs(inputs)
    r = resolution
    return GridActivations(tuple(bounds), inputs.reshape(r, r, -1),
                           [o.reshape(r, r, -1) for o in outs[:-1]], outs[-1].reshape(r, r, -1))
