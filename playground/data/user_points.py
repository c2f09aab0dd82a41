"""Points of the user's own: drawn on the plot or read from a CSV file.

A :class:`UserPoints` is immutable: drawing, erasing and clearing give a new one, so an undo
history can keep the one before. Each point carries a *split key* in [0, 1): it is a training
point when its key is below the training share. Keys are fixed when a point is made (the
``n``-th point drawn gets the fractional part of n·φ⁻¹, which spreads any run of points evenly
over [0, 1)), so drawing or erasing a point never moves another between training and test,
and any run of drawn points splits in the chosen share.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from playground.data.csv_points import load_csv
from playground.data.datasets import TF_BOUNDS, Bounds
from playground.files.errors import LoadError
from playground.files.limits import MAX_CLASSES, MAX_POINTS
from playground.files.regular import display_name

GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
MAX_TITLE = 100
MAX_NAME = 100
VALUE_LIMIT = 1e6
"""Largest |coordinate| or |target| a point may have (far beyond any plot)."""


def split_keys(start: int, count: int) -> np.ndarray:
    """The split keys of points number ``start`` .. ``start + count - 1``."""
    return np.mod((np.arange(count, dtype=np.float64) + start) * GOLDEN, 1.0)


def padded_bounds(X: np.ndarray, margin: float = 0.08) -> Bounds:
    """A square area around ``X``'s points with a small margin (the plot is square)."""
    if not len(X):
        return TF_BOUNDS
    low, high = X.min(axis=0), X.max(axis=0)
    centre = (low + high) / 2.0
    half = max(float((high - low).max()) / 2.0, 1e-3) * (1.0 + margin)
    return (float(centre[0] - half), float(centre[0] + half),
            float(centre[1] - half), float(centre[1] + half))


@dataclass(frozen=True, eq=False)
class UserPoints:
    """The user's points: ``X`` (n, 2), ``y`` (class indices as int64, or float64 targets for
    regression), split ``keys`` (n,), the class count and names, a title and the area shown.

    ``classes`` only grows while drawing (erasing the last point of a class keeps its output),
    and is 1 for regression. ``made`` counts the points ever drawn, for the next split key.
    """

    X: np.ndarray
    y: np.ndarray
    keys: np.ndarray
    regression: bool
    classes: int
    class_names: tuple[str, ...]
    title: str
    bounds: Bounds
    made: int

    def __len__(self) -> int:
        return len(self.y)

    # ----------------------------------------------------------- making
    @classmethod
    def empty(cls, regression: bool = False, classes: int = 2, bounds: Bounds = TF_BOUNDS,
              title: str = "Your points") -> UserPoints:
        return cls(np.zeros((0, 2)), np.zeros(0, dtype=np.float64 if regression else np.int64),
                   np.zeros(0), regression, 1 if regression else classes, (), title,
                   tuple(float(b) for b in bounds), 0)

    @classmethod
    def from_arrays(cls, X: np.ndarray, y: np.ndarray, class_names: Sequence[str] | None = None,
                    *, regression: bool = False, title: str = "Your points",
                    bounds: Bounds | None = None) -> UserPoints:
        """Points read from a file: keys from their order, the area from their extent."""
        X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        y = np.asarray(y, dtype=np.float64 if regression else np.int64).reshape(-1)
        names = tuple(class_names or ())
        classes = 1 if regression else max(2, len(names), int(y.max()) + 1 if len(y) else 0)
        points = cls(X, y, split_keys(0, len(y)), regression, classes, names, title,
                     tuple(float(b) for b in (bounds or padded_bounds(X))), len(y))
        points.check()
        return points

    @classmethod
    def from_csv(cls, path: str | os.PathLike, **options: Any) -> UserPoints:
        """The points of a CSV file (``options`` as :func:`~playground.data.load_csv` takes
        them), titled with the file's name; any problem is a :class:`LoadError`."""
        X, y, names = load_csv(path, **options)
        name = display_name(path)
        try:
            return cls.from_arrays(X, y, names, regression=names is None, title=name[:MAX_TITLE])
        except ValueError as exc:
            raise LoadError(f"{name}: {exc}") from None

    @classmethod
    def from_split(cls, train: tuple[np.ndarray, np.ndarray],
                   test: tuple[np.ndarray | None, np.ndarray | None], ratio: float, *,
                   regression: bool, classes: int, bounds: Bounds,
                   class_names: Sequence[str] = (), title: str = "Your points") -> UserPoints:
        """Points already split (a generated dataset the user starts drawing on): keys that
        keep every training point training and every test point test at ``ratio``."""
        X_train, y_train = train
        X_test = test[0] if test[0] is not None else np.zeros((0, 2))
        y_test = test[1] if test[1] is not None else np.zeros(0, dtype=y_train.dtype)
        n_train, n_test = len(y_train), len(y_test)
        keys = np.concatenate([split_keys(0, n_train) * ratio,
                               ratio + split_keys(n_train, n_test) * (1.0 - ratio)])
        X = np.concatenate([np.asarray(X_train, dtype=np.float64).reshape(-1, 2),
                            np.asarray(X_test, dtype=np.float64).reshape(-1, 2)])
        y = np.concatenate([y_train, y_test]).astype(np.float64 if regression else np.int64)
        points = cls(X, y, np.minimum(keys, np.nextafter(1.0, 0.0)), regression,
                     1 if regression else classes, tuple(class_names), title,
                     tuple(float(b) for b in bounds), n_train + n_test)
        points.check()
        return points

    def check(self) -> None:
        """Raise ValueError unless the arrays and counts fit together (a file may lie)."""
        n = len(self.y)
        if self.X.shape != (n, 2) or self.keys.shape != (n,):
            raise ValueError(f"points: X {self.X.shape}, y {self.y.shape} and keys "
                             f"{self.keys.shape} do not fit together")
        if n > MAX_POINTS:
            raise ValueError(f"at most {MAX_POINTS:,} points")
        if not (np.isfinite(self.X).all() and np.isfinite(self.y).all()):
            raise ValueError("every coordinate and target must be a finite number")
        if n and (np.abs(self.X).max() > VALUE_LIMIT or np.abs(self.y).max() > VALUE_LIMIT):
            raise ValueError(f"coordinates and targets must lie within ±{VALUE_LIMIT:g}")
        if n and not (self.keys.min() >= 0.0 and self.keys.max() < 1.0):
            raise ValueError("split keys must lie in [0, 1)")
        x0, x1, y0, y1 = self.bounds
        if not (all(map(math.isfinite, self.bounds)) and x0 < x1 and y0 < y1):
            raise ValueError("the plot area must be finite and not empty")
        if len(self.title) > MAX_TITLE or any(len(s) > MAX_NAME for s in self.class_names):
            raise ValueError("a title or class name is too long")
        if self.regression:
            return
        if not 2 <= self.classes <= MAX_CLASSES:
            raise ValueError(f"between 2 and {MAX_CLASSES} classes")
        if self.class_names and len(self.class_names) != self.classes:
            raise ValueError(f"{len(self.class_names)} class names for {self.classes} classes")
        if len(set(self.class_names)) != len(self.class_names):
            raise ValueError("class names must differ")
        if n and (self.y.min() < 0 or self.y.max() >= self.classes):
            raise ValueError(f"class labels must lie in 0..{self.classes - 1}")

    # --------------------------------------------------------- changing
    def added(self, X: np.ndarray, label: float) -> UserPoints:
        """These points with ``X`` added, all of class (or target) ``label``."""
        X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        if self.regression:
            value = float(label)
            if not math.isfinite(value) or abs(value) > VALUE_LIMIT:
                raise ValueError(f"a target must be a finite number, not {label!r}")
            labels = np.full(len(X), value)
        else:
            if isinstance(label, bool) or int(label) != label or not 0 <= label < MAX_CLASSES:
                raise ValueError(f"a class must be a whole number in 0..{MAX_CLASSES - 1}")
            labels = np.full(len(X), int(label), dtype=np.int64)
        if len(self) + len(X) > MAX_POINTS:
            raise ValueError(f"at most {MAX_POINTS:,} points")
        classes = self.classes if self.regression else max(self.classes, int(label) + 1)
        names = self.class_names
        if names and classes > len(names):
            names = (*names, *_new_names(names, classes - len(names)))
        new = replace(self, X=np.concatenate([self.X, X]), y=np.concatenate([self.y, labels]),
                      keys=np.concatenate([self.keys, split_keys(self.made, len(X))]),
                      classes=classes, class_names=names, made=self.made + len(X))
        new.check()
        return new

    def near(self, centre: Sequence[float], radius: float) -> np.ndarray:
        """Indices of the points within ``radius`` of ``centre``."""
        d = self.X - np.asarray(centre, dtype=np.float64)
        return np.flatnonzero(np.einsum("ij,ij->i", d, d) <= radius * radius)

    def erased(self, centre: Sequence[float], radius: float) -> UserPoints:
        """These points without those within ``radius`` of ``centre``."""
        keep = np.ones(len(self), dtype=bool)
        keep[self.near(centre, radius)] = False
        if keep.all():
            return self
        return replace(self, X=self.X[keep], y=self.y[keep], keys=self.keys[keep])

    def cleared(self) -> UserPoints:
        """No points; the classes, their names and the area stay. The next point drawn is the
        first again (a training point)."""
        return replace(self, X=self.X[:0], y=self.y[:0], keys=self.keys[:0], made=0)

    # ------------------------------------------------------------ using
    def split(self, ratio: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(X_train, y_train, X_test, y_test): a point trains when its key is below ``ratio``."""
        train = self.keys < ratio
        return self.X[train], self.y[train], self.X[~train], self.y[~train]

    def class_name(self, k: int) -> str:
        return self.class_names[k] if k < len(self.class_names) else f"class {k}"


def _new_names(names: Sequence[str], count: int) -> list[str]:
    """Names for classes added to named ones: "class k", made unique."""
    found, k = [], len(names)
    while len(found) < count:
        name = f"class {k}"
        if name not in names:
            found.append(name)
        k += 1
    return found
