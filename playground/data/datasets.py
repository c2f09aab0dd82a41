"""The dataset registry and ``make_dataset``: one seeded call gives the same points every time.

``DATASETS`` describes every dataset (for the GUI's gallery and its sliders); ``make_dataset``
checks the arguments against that description, runs the generator and shuffles the result, so a
prefix of the points is never all one class.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Literal

import numpy as np

from playground.data import extra_sets, tf_sets

Bounds = tuple[float, float, float, float]
Generator = Callable[[np.random.Generator, int, float, int], tuple[np.ndarray, np.ndarray]]

TF_BOUNDS: Bounds = (-6.0, 6.0, -6.0, 6.0)
CS231N_BOUNDS: Bounds = (-1.0, 1.0, -1.0, 1.0)
TF_NOISE_RANGE = (0.0, 0.5)


@dataclass(frozen=True)
class DatasetInfo:
    """What a GUI needs to offer a dataset: defaults, slider ranges and the area to display.

    ``class_range`` is None when the number of classes is fixed (``default_classes``);
    regression datasets have ``default_classes`` None.
    """

    name: str
    title: str
    task: Literal["classification", "regression"]
    default_n: int
    default_noise: float
    noise_range: tuple[float, float]
    default_classes: int | None
    class_range: tuple[int, int] | None
    bounds: Bounds
    description: str


def _tf(generate: Callable[[np.random.Generator, int, float], tuple]) -> Generator:
    """Adapt a two-class/regression TF generator to the common signature (classes unused)."""
    return lambda rng, n, noise, classes: generate(rng, n, noise)


def _spiral(rng: np.random.Generator, n: int, noise: float, classes: int) -> tuple:
    """Two classes: TF's spiral. Three or more: the CS231n K-class spiral (lecture units)."""
    if classes >= 3:
        return extra_sets.cs231n_spiral(rng, n, noise, classes)
    return tf_sets.spiral(rng, n, noise)


_INFOS = (
    DatasetInfo(
        "circle", "Circle", "classification", 500, 0.0, TF_NOISE_RANGE, 2, None, TF_BOUNDS,
        "A disc of one class inside a ring of the other. Noise flips labels near the edge.",
    ),
    DatasetInfo(
        "xor", "Exclusive or", "classification", 500, 0.0, TF_NOISE_RANGE, 2, None, TF_BOUNDS,
        "Opposite quadrants share a class; no single line separates them.",
    ),
    DatasetInfo(
        "gauss", "Two Gaussians", "classification", 500, 0.0, TF_NOISE_RANGE, 2, None,
        TF_BOUNDS,
        "Two Gaussian clusters; noise widens them until they overlap. Linearly separable.",
    ),
    DatasetInfo(
        "spiral", "Spiral", "classification", 500, 0.0, TF_NOISE_RANGE, 2, (2, 8), TF_BOUNDS,
        "Two interleaved spiral arms (TF Playground). With 3+ classes: the CS231n spiral, "
        "in its own units [-1, 1]².",
    ),
    DatasetInfo(
        "plane", "Plane", "regression", 1200, 0.0, TF_NOISE_RANGE, None, None, TF_BOUNDS,
        "Regression: the target rises linearly along the diagonal, (x + y) / 10.",
    ),
    DatasetInfo(
        "multi-gauss", "Multi Gaussian", "regression", 1200, 0.0, TF_NOISE_RANGE, None, None,
        TF_BOUNDS,
        "Regression: six bumps of height +1 or -1 in a checker pattern.",
    ),
    DatasetInfo(
        "cs231n-spiral", "CS231n spiral", "classification", 300, 0.2, TF_NOISE_RANGE, 3,
        (2, 8), CS231N_BOUNDS,
        "The K-class spiral from the CS231n notes: a linear classifier fails, a small "
        "ReLU net fits it. Noise is the angle jitter in radians.",
    ),
    DatasetInfo(
        "moons", "Two moons", "classification", 500, 0.1, TF_NOISE_RANGE, 2, None, TF_BOUNDS,
        "Two interleaving half circles (scikit-learn's make_moons), scaled to the plane.",
    ),
    DatasetInfo(
        "checkerboard", "Checkerboard", "classification", 500, 0.0, TF_NOISE_RANGE, 2, None,
        TF_BOUNDS,
        "3×3 squares in alternating classes: xor, repeated. Needs more neurons.",
    ),
    DatasetInfo(
        "blobs", "Blobs", "classification", 500, 0.0, TF_NOISE_RANGE, 3, (2, 8), TF_BOUNDS,
        "K Gaussian blobs on a circle; noise widens them. A first multiclass problem.",
    ),
)  # fmt: skip

DATASETS: dict[str, DatasetInfo] = {info.name: info for info in _INFOS}

_GENERATORS: dict[str, Generator] = {
    "circle": _tf(tf_sets.circle),
    "xor": _tf(tf_sets.xor),
    "gauss": _tf(tf_sets.gauss),
    "spiral": _spiral,
    "plane": _tf(tf_sets.plane),
    "multi-gauss": _tf(tf_sets.multi_gauss),
    "cs231n-spiral": extra_sets.cs231n_spiral,
    "moons": extra_sets.moons,
    "checkerboard": extra_sets.checkerboard,
    "blobs": extra_sets.blobs,
}


def dataset_info(name: str) -> DatasetInfo:
    """The registry entry for ``name``; unknown names raise ValueError listing the known ones."""
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        known = ", ".join(DATASETS)
        raise ValueError(f"unknown dataset {name!r}; known datasets: {known}") from None


def display_bounds(name: str, classes: int | None = None) -> Bounds:
    """(xmin, xmax, ymin, ymax) to show; "spiral" with 3+ classes uses the CS231n units."""
    info = dataset_info(name)
    if name == "spiral" and classes is not None and classes >= 3:
        return CS231N_BOUNDS
    return info.bounds


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, Integral):
        raise ValueError(f"n must be a whole number of points, got {n!r}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return int(n)


def _check_noise(info: DatasetInfo, noise: object) -> float:
    lo, hi = info.noise_range
    if isinstance(noise, bool) or not isinstance(noise, Real) or not math.isfinite(noise):
        raise ValueError(f"noise must be a number in [{lo}, {hi}], got {noise!r}")
    if not lo <= noise <= hi:
        raise ValueError(f"noise for {info.name!r} must be in [{lo}, {hi}], got {noise}")
    return float(noise)


def _check_classes(info: DatasetInfo, classes: object) -> int:
    if info.task == "regression":
        if classes is not None:
            raise ValueError(f"{info.name!r} is a regression dataset; it takes no classes")
        return 0
    if classes is None:
        return int(info.default_classes)
    if isinstance(classes, bool) or not isinstance(classes, Integral):
        raise ValueError(f"classes must be a whole number, got {classes!r}")
    if info.class_range is None:
        if classes != info.default_classes:
            raise ValueError(
                f"{info.name!r} always has {info.default_classes} classes, got {classes}"
            )
    else:
        lo, hi = info.class_range
        if not lo <= classes <= hi:
            raise ValueError(f"classes for {info.name!r} must be in [{lo}, {hi}], got {classes}")
    return int(classes)


def make_dataset(
    name: str,
    n: int | None = None,
    noise: float | None = None,
    seed: int | None = 0,
    classes: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Generate a dataset: X float64 (n, 2), y int64 classes (or float64 regression targets).

    ``None`` means the dataset's default (see ``DATASETS``). The same arguments always give
    the same arrays; ``seed=None`` draws fresh randomness. Points come back in a seeded
    random order.
    """
    info = dataset_info(name)
    n = info.default_n if n is None else _check_n(n)
    noise = info.default_noise if noise is None else _check_noise(info, noise)
    k = _check_classes(info, classes)

    rng = np.random.default_rng(seed)
    X, y = _GENERATORS[name](rng, n, noise, k)
    order = rng.permutation(n)
    X = np.ascontiguousarray(X[order], dtype=np.float64)
    y_dtype = np.float64 if info.task == "regression" else np.int64
    return X, np.ascontiguousarray(y[order], dtype=y_dtype)
