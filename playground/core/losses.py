"""Data losses on the network's output scores, each averaged over the batch.

A loss turns the last layer's output ``s`` (n, k) and the labels into a number and ∂L/∂s.
Labels are class indices (integers) for classification; ``mse`` also takes real targets and,
given class indices, regresses onto TF Playground's ±1 coding (+1 for the true class).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.core.activations import sigmoid


def is_classification(y: np.ndarray) -> bool:
    return np.issubdtype(np.asarray(y).dtype, np.integer)


def _row_max(s: np.ndarray) -> np.ndarray:
    """Max of each row. Column by column: NumPy's axis=1 reduction over a few classes is
    ~10x slower for the short rows a classifier has."""
    m = s[:, 0].copy()
    for j in range(1, s.shape[1]):
        np.maximum(m, s[:, j], out=m)
    return m


def _softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - _row_max(s)[:, None])
    e /= (e @ np.ones(s.shape[1]))[:, None]
    return e


def _softmax_loss(s: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    n = s.shape[0]
    shifted = s - _row_max(s)[:, None]
    e = np.exp(shifted)
    total = e @ np.ones(s.shape[1])
    rows = np.arange(n)
    loss = (np.log(total).sum() - shifted[rows, y].sum()) / n
    e /= total[:, None]
    e[rows, y] -= 1.0
    e *= 1.0 / n
    return float(loss), e


def _bce_targets(y: np.ndarray, outputs: int) -> np.ndarray:
    return np.asarray(y, dtype=float).reshape(-1, 1)


def _bce_loss(s: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    t = y if y.dtype.kind == "f" and y.shape == s.shape else _bce_targets(y, 1)
    loss = float(np.mean(np.logaddexp(0.0, s) - t * s))
    return loss, (sigmoid(s) - t) / s.shape[0]


def mse_targets(y: np.ndarray, outputs: int) -> np.ndarray:
    """Targets as the network's output shape: class indices become ±1 codes."""
    y = np.asarray(y)
    if is_classification(y):
        if outputs == 1:
            return (2.0 * y - 1.0).reshape(-1, 1)
        t = np.full((y.shape[0], outputs), -1.0)
        t[np.arange(y.shape[0]), y] = 1.0
        return t
    return y.astype(float).reshape(y.shape[0], outputs)


def _mse_loss(s: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    t = y if y.dtype.kind == "f" and y.shape == s.shape else mse_targets(y, s.shape[1])
    diff = s - t
    n = s.shape[0]
    return 0.5 * float(np.vdot(diff, diff)) / n, diff / n


def _hinge_loss(s: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    n = s.shape[0]
    rows = np.arange(n)
    margins = s - s[rows, y][:, None] + 1.0
    margins[rows, y] = 0.0
    positive = margins > 0
    loss = float(np.sum(margins[positive]) / n)
    ds = positive.astype(float)
    ds[rows, y] = -ds.sum(axis=1)
    ds /= n
    return loss, ds


def _argmax(s: np.ndarray) -> np.ndarray:
    return s.argmax(axis=1)


def _threshold(s: np.ndarray) -> np.ndarray:
    return (s[:, 0] > 0).astype(np.int64)


def _mse_predict(s: np.ndarray) -> np.ndarray:
    return _threshold(s) if s.shape[1] == 1 else _argmax(s)


@dataclass(frozen=True)
class Loss:
    """``value_and_grad(s, y)`` gives the mean loss and ∂L/∂s; ``output(s)`` what a user sees
    (probabilities for softmax and bce); ``predict(s)`` class indices; ``targets(y, k)`` the
    labels in the form ``value_and_grad`` reads fastest (a trainer converts them once)."""

    name: str
    label: str
    value_and_grad: Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]
    output: Callable[[np.ndarray], np.ndarray]
    predict: Callable[[np.ndarray], np.ndarray]
    formula: str
    targets: Callable[[np.ndarray, int], np.ndarray] = lambda y, outputs: np.asarray(y)


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("softmax", "softmax cross-entropy", _softmax_loss, _softmax, _argmax,
             "−log softmax(s)_y"),
        Loss("mse", "mean squared error", _mse_loss, lambda s: s, _mse_predict,
             "½‖s − y‖²", mse_targets),
        Loss("hinge", "multiclass hinge (SVM)", _hinge_loss, lambda s: s, _argmax,
             "Σ_{j≠y} max(0, s_j − s_y + 1)"),
        Loss("bce", "binary cross-entropy", _bce_loss, sigmoid, _threshold,
             "−y log σ(s) − (1 − y) log(1 − σ(s))", _bce_targets),
    )
}

NAMES: tuple[str, ...] = tuple(LOSSES)


def get(name: str) -> Loss:
    key = str(name).strip().lower()
    if key not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(NAMES)}")
    return LOSSES[key]
