"""The settings a user changes: what decides the points, and how the network trains.

Both are frozen dataclasses of plain values, so a snapshot can carry them to every view and
a message can carry a change of them between processes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from playground.core import losses
from playground.core.grid import Bounds
from playground.core.initializers import INITS
from playground.core.optimizers import OPTIMIZERS, Schedule
from playground.data import DATASETS, FEATURES, DatasetInfo, dataset_info, display_bounds

CUSTOM = "custom"
"""The dataset name of the user's own points (drawn or read from a file)."""


@dataclass(frozen=True)
class CustomData:
    """What the user's own points are, without the points themselves (the session holds
    those): where they came from, regression or how many classes and their names, the area
    shown and how many points there are."""

    title: str
    regression: bool
    classes: int
    class_names: tuple[str, ...]
    bounds: tuple[float, float, float, float]
    count: int


@dataclass(frozen=True)
class DataSettings:
    """Everything that decides the points: dataset, size, noise, classes, seed, split, features.

    ``custom`` describes the user's own points when there are any; they are the points
    trained on when ``dataset`` is :data:`CUSTOM` (and kept, to go back to, otherwise).
    """

    dataset: str = "spiral"
    n: int | None = None
    noise: float = 0.0
    classes: int | None = None
    seed: int = 0
    train_ratio: float = 0.5
    features: tuple[str, ...] = ("x1", "x2")
    custom: CustomData | None = None

    @property
    def info(self) -> DatasetInfo:
        if self.dataset == CUSTOM and self.custom is not None:
            c = self.custom
            return DatasetInfo(CUSTOM, c.title, "regression" if c.regression else
                               "classification", c.count, 0.0, (0.0, 0.0),
                               None if c.regression else c.classes, None, c.bounds,
                               "Your own points: draw on the plot or import a CSV file.")
        return dataset_info(self.dataset)

    @property
    def regression(self) -> bool:
        return self.info.task == "regression"

    @property
    def class_count(self) -> int:
        """Classes of the dataset (1 for regression)."""
        if self.regression:
            return 1
        if self.dataset == CUSTOM:
            return self.info.default_classes
        return self.classes if self.classes is not None else self.info.default_classes

    def class_name(self, k: int) -> str:
        """What class ``k`` is called: its name in the user's file, else "class k"."""
        names = self.custom.class_names if self.dataset == CUSTOM and self.custom else ()
        return names[k] if k < len(names) else f"class {k}"

    def class_names(self, count: int) -> tuple[str, ...]:
        """The names of classes 0 .. count - 1."""
        return tuple(self.class_name(k) for k in range(count))

    @property
    def bounds(self) -> Bounds:
        if self.dataset == CUSTOM:
            return self.info.bounds
        return display_bounds(self.dataset, self.class_count)

    def allowed_losses(self) -> tuple[str, ...]:
        """The losses these points can train with: regression needs mse, bce two classes."""
        if self.regression:
            return ("mse",)
        return tuple(n for n in losses.NAMES if n != "bce" or self.class_count == 2)

    def loss_refusal(self, loss: str) -> str | None:
        """Why these points cannot train with ``loss``, or None if they can."""
        if loss in self.allowed_losses():
            return None
        label = losses.get(loss).label
        if self.regression:
            return f"{label} needs classes; regression data trains with mean squared error"
        return f"{label} needs two classes, these points have {self.class_count}"


@dataclass(frozen=True)
class TrainingSettings:
    """How the network trains. ``dropout`` is None when hidden layers use different rates."""

    lr: float = 0.01
    optimizer: str = "adam"
    batch_size: int | None = 10
    loss: str = "softmax"
    l1: float = 0.0
    l2: float = 0.0
    init: str = "xavier"
    dropout: float | None = 0.0
    schedule: Schedule = field(default_factory=Schedule)


DATA_KEYS = frozenset(f.name for f in fields(DataSettings)) - {"custom"}
"""What ``Session.configure`` may change; the user's points change through their own calls."""
TRAINING_KEYS = frozenset(f.name for f in fields(TrainingSettings))


def _number(key: str, value: Any, low: float, high: float = math.inf, *,
            low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key} must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < low or value > high or (low_open and value == low):
        bound = f"above {low:g}" if low_open else f"at least {low:g}"
        raise ValueError(f"{key} must be {bound}" + (f" and at most {high:g}"
                                                     if high != math.inf else ""))
    return value


def check_training(changes: dict[str, Any]) -> dict[str, Any]:
    """The training changes with their values checked (types, ranges, names); raises
    ValueError naming the first bad one, before anything is applied."""
    checked: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "lr":
            checked[key] = _number("the learning rate", value, 0.0, 1e6, low_open=True)
        elif key in ("l1", "l2"):
            checked[key] = _number(f"the {key.upper()} rate", value, 0.0, 1e6)
        elif key == "dropout":
            checked[key] = _number("dropout", value, 0.0, 0.99)
        elif key == "batch_size":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise ValueError(f"batch size must be a whole number ≥ 1 or full, not {value!r}")
            checked[key] = value
        elif key == "optimizer" and value not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {value!r}")
        elif key == "loss" and value not in losses.NAMES:
            raise ValueError(f"unknown loss {value!r}")
        elif key == "init" and value not in INITS:
            raise ValueError(f"unknown initialiser {value!r}")
        elif key == "schedule" and not isinstance(value, Schedule):
            raise ValueError(f"a schedule must be a Schedule, not {value!r}")
        else:
            checked[key] = value
    return checked


def check_data(changes: dict[str, Any]) -> None:
    """Check data changes' names and values before any points are made (the dataset itself
    checks n, noise and classes against what it can take)."""
    if "dataset" in changes and changes["dataset"] not in (*DATASETS, CUSTOM):
        raise ValueError(f"unknown dataset {changes['dataset']!r}")
    seed = changes.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"the seed must be a whole number ≥ 0, not {seed!r}")
    if "train_ratio" in changes:
        _number("the training share", changes["train_ratio"], 0.0, 1.0, low_open=True)
    if "features" in changes:
        features = tuple(changes["features"])
        unknown = [f for f in features if f not in FEATURES]
        if unknown:
            raise ValueError(f"unknown input feature {unknown[0]!r}")
        if not features or len(set(features)) != len(features):
            raise ValueError("the inputs need at least one feature, each at most once")
