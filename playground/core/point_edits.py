"""Drawing, erasing and clearing the user's own points, as records the undo history keeps.

A change of points is not a network edit, but a student expects Ctrl+Z to take back the
last thing they did, whichever it was: so a :class:`PointsEdit` sits on the same
:class:`~playground.core.edits.EditHistory` as network edits, with the same ``label``,
``target``, ``undo(trainer)`` and ``redo(trainer)``. It keeps the data settings and the points
before and after (points are immutable, so keeping them costs nothing); undoing puts the
earlier ones back through the session, which keeps the weights (an output a new class added
is removed again). The sprays of one brush stroke share a ``target`` and undo as one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.core.settings import CustomData, DataSettings
from playground.core.trainer import Trainer
from playground.data.user_points import UserPoints

OPS = ("add", "erase", "clear")
MAX_SPRAY = 10_000
"""Points one call may add."""

Installer = Callable[[DataSettings, "UserPoints | None"], None]


@dataclass
class PointsEdit:
    """One change of the user's points: (data settings, points) before and after."""

    label: str
    before: tuple[DataSettings, UserPoints | None]
    after: tuple[DataSettings, UserPoints | None]
    install: Installer
    target: tuple | None = None

    def undo(self, trainer: Trainer) -> None:
        self.install(*self.before)

    def redo(self, trainer: Trainer) -> None:
        self.install(*self.after)


def custom_data(points: UserPoints) -> CustomData:
    """What the data settings say about ``points``."""
    return CustomData(points.title, points.regression, points.classes, points.class_names,
                      points.bounds, len(points))


def _finite_pair(value: Any, what: str) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64) if _numbers(value) else None
    if array is None or array.shape != (2,) or not np.isfinite(array).all():
        raise ValueError(f"{what} must be two finite numbers (x₁, x₂)")
    return array


def _numbers(value: Any) -> bool:
    return isinstance(value, (list, tuple, np.ndarray)) and all(
        isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in value)


def _points(value: Any) -> np.ndarray:
    rows = value.tolist() if isinstance(value, np.ndarray) else value
    if not isinstance(rows, (list, tuple)) or not 1 <= len(rows) <= MAX_SPRAY:
        raise ValueError(f"give between 1 and {MAX_SPRAY:,} points to add")
    return np.array([_finite_pair(row, "a point") for row in rows]).reshape(-1, 2)


def _radius(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            math.isfinite(value) and value > 0):
        raise ValueError("the eraser's radius must be a positive number")
    return float(value)


def _label_text(points: UserPoints, label: float) -> str:
    if points.regression:
        return f"value {float(label):+.2f}"
    return points.class_name(int(label)) if int(label) < points.classes else f"class {label}"


def change(points: UserPoints, op: str, args: dict[str, Any]
           ) -> tuple[UserPoints, str, tuple | None]:
    """(new points, what the Edit menu calls it, the stroke it merges with) for one call:

    - ``add``: ``points`` [[x₁, x₂], …] of class (or target) ``label``;
    - ``erase``: the points within ``radius`` of ``centre``;
    - ``clear``: every point.

    ``stroke`` (any number) marks the calls of one brush or eraser stroke: they undo as one.
    Raises ValueError for anything else.
    """
    if op not in OPS:
        raise ValueError(f"unknown change of points {op!r}")
    allowed = {"add": {"points", "label", "stroke"}, "erase": {"centre", "radius", "stroke"},
               "clear": set()}[op]
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise ValueError(f"unknown argument {unknown[0]!r} for {op}")
    stroke = args.get("stroke")
    if stroke is not None and (isinstance(stroke, bool) or not isinstance(stroke, int)):
        raise ValueError("a stroke is named by a whole number")
    target = None if stroke is None else ("points", op, stroke)
    if op == "add":
        X = _points(args.get("points"))
        label = args.get("label", 0)
        if isinstance(label, bool) or not isinstance(label, (int, float)):
            raise ValueError(f"a class or target must be a number, not {label!r}")
        new = points.added(X, label)
        what = _label_text(new, label)
        if stroke is not None:
            return new, f"Brush points of {what}", target
        return new, (f"Add a point of {what}" if len(X) == 1 else
                     f"Add {len(X)} points of {what}"), target
    if op == "erase":
        centre = _finite_pair(args.get("centre"), "the eraser's centre")
        new = points.erased(centre, _radius(args.get("radius")))
        removed = len(points) - len(new)
        label = "Erase points" if stroke is not None else (
            f"Erase {removed} point{'s' * (removed != 1)}")
        return new, label, target
    return points.cleared(), "Clear the points", None


def starting_points(data: DataSettings, arrays: Sequence[np.ndarray | None],
                    stored: UserPoints | None) -> UserPoints:
    """The points a first drawing acts on: the user's own if they are shown, else the
    generated points on show (training and test kept as they are)."""
    if stored is not None and data.dataset == "custom":
        return stored
    X_train, y_train, X_test, y_test = arrays
    return UserPoints.from_split((X_train, y_train), (X_test, y_test), data.train_ratio,
                                 regression=data.regression, classes=data.class_count,
                                 bounds=data.bounds, title=f"{data.info.title}, edited")
