"""Train/test split the way TF Playground does it: shuffle, then the first ⌊N·ratio⌋ train."""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Real

import numpy as np

TRAIN_RATIO_RANGE = (0.1, 0.9)


def train_size(n: int, train_ratio: float) -> int:
    """⌊n·ratio⌋, computed on the ratio's decimal value so 0.7 of 300 is 210, not 209."""
    return math.floor(n * Fraction(repr(float(train_ratio))))


def train_test_split(
    X: np.ndarray, y: np.ndarray, train_ratio: float = 0.5, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seeded shuffle, then the first ⌊N·train_ratio⌋ points train and the rest test.

    Returns ``(X_train, y_train, X_test, y_test)`` as new arrays; the inputs are not touched.
    ``train_ratio`` must lie in [0.1, 0.9] (TF Playground's 10–90% slider).
    """
    lo, hi = TRAIN_RATIO_RANGE
    ok = isinstance(train_ratio, Real) and not isinstance(train_ratio, bool)
    if not ok or not lo <= train_ratio <= hi:
        raise ValueError(f"train_ratio must be in [{lo}, {hi}], got {train_ratio!r}")
    X = np.asarray(X)
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    order = np.random.default_rng(seed).permutation(len(X))
    cut = train_size(len(X), train_ratio)
    train, test = order[:cut], order[cut:]
    return X[train], y[train], X[test], y[test]
