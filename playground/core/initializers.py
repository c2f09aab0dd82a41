"""Weight initialisers: how Reset, new layers and new neurons draw their weights."""

from __future__ import annotations

import numpy as np

INITS: tuple[str, ...] = ("xavier", "he", "uniform", "small", "zeros")
INIT_LABELS = {
    "xavier": "Xavier/Glorot",
    "he": "He (for ReLU)",
    "uniform": "uniform ±0.5, bias 0.1 (TF Playground)",
    "small": "0.01 · N(0, 1) (CS231n)",
    "zeros": "zeros (shows the symmetry problem)",
}


def init_weights(kind: str, fan_in: int, fan_out: int, size: tuple[int, ...],
                 rng: np.random.Generator) -> np.ndarray:
    """Weights of shape ``size`` for a layer of ``fan_in`` → ``fan_out``."""
    if kind == "xavier":
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size)
    if kind == "he":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size)
    if kind == "uniform":
        return rng.uniform(-0.5, 0.5, size)
    if kind == "small":
        return 0.01 * rng.standard_normal(size)
    return np.zeros(size)


def init_bias(kind: str, size: int) -> np.ndarray:
    return np.full(size, 0.1 if kind == "uniform" else 0.0)
