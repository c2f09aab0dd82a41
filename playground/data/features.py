"""TF Playground's input features: the network sees these columns, not the raw (x1, x2).

``apply_features`` runs every frame on the 100×100 display grid, so it fills one preallocated
array column by column with NumPy ufuncs (no Python loop over points).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

# key -> (display label, writer(x1, x2, out_column))
_SPEC: dict[str, tuple[str, Callable[[np.ndarray, np.ndarray, np.ndarray], object]]] = {
    "x1": ("x₁", lambda a, b, out: np.copyto(out, a)),
    "x2": ("x₂", lambda a, b, out: np.copyto(out, b)),
    "x1^2": ("x₁²", lambda a, b, out: np.multiply(a, a, out=out)),
    "x2^2": ("x₂²", lambda a, b, out: np.multiply(b, b, out=out)),
    "x1*x2": ("x₁x₂", lambda a, b, out: np.multiply(a, b, out=out)),
    "sin(x1)": ("sin x₁", lambda a, b, out: np.sin(a, out=out)),
    "sin(x2)": ("sin x₂", lambda a, b, out: np.sin(b, out=out)),
}

FEATURES: tuple[str, ...] = tuple(_SPEC)
DEFAULT_FEATURES: tuple[str, ...] = ("x1", "x2")  # TF Playground's default selection


def _check_key(key: object) -> str:
    if key not in _SPEC:
        raise ValueError(f"unknown feature {key!r}; known features: {', '.join(FEATURES)}")
    return key  # type: ignore[return-value]


def feature_label(key: str) -> str:
    """The label to display for a feature key, e.g. "x1^2" → "x₁²"."""
    return _SPEC[_check_key(key)][0]


def apply_features(X: np.ndarray, keys: Sequence[str], out: np.ndarray | None = None) -> np.ndarray:
    """Map raw points X (n, 2) to feature columns (n, len(keys)), float64, in the order of keys.

    Pass ``out`` (float64, shape (n, len(keys))) to reuse a buffer between frames.
    """
    if isinstance(keys, str):
        keys = (keys,)
    keys = tuple(keys)
    if not keys:
        raise ValueError("at least one feature is needed; known features: " + ", ".join(FEATURES))
    writers = [_SPEC[_check_key(key)][1] for key in keys]

    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    shape = (X.shape[0], len(keys))
    if out is None:
        out = np.empty(shape, dtype=np.float64)
    elif out.shape != shape or out.dtype != np.float64:
        raise ValueError(
            f"out must be a float64 array of shape {shape}, got {out.dtype} {out.shape}"
        )

    x1, x2 = X[:, 0], X[:, 1]
    for j, write in enumerate(writers):
        write(x1, x2, out[:, j])
    return out
