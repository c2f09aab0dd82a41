"""Parameter updates (SGD … Adam) on the flat parameter vector, and learning-rate schedules.

Every optimizer works in place on the whole flat vector at once, so a step costs a handful of
ufunc calls whatever the number of layers. Its state (velocity, moments) is flat too and is
moved by the same :class:`~playground.core.params.Transplant` as the weights after an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from playground.core.params import Layout, Transplant

OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "momentum": "SGD + momentum",
    "nesterov": "Nesterov momentum",
    "adagrad": "Adagrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}
OPTIMIZERS: tuple[str, ...] = tuple(OPTIMIZER_LABELS)
_STATE = {"sgd": (), "momentum": ("v",), "nesterov": ("v",), "adagrad": ("cache",),
          "rmsprop": ("cache",), "adam": ("m", "v")}


@dataclass
class Optimizer:
    """One update rule with its hyperparameters and flat state arrays."""

    name: str = "sgd"
    momentum: float = 0.9
    decay: float = 0.99
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    state: dict[str, np.ndarray] = field(default_factory=dict)
    t: int = 0
    _size: int = field(default=-1, repr=False)

    def __post_init__(self) -> None:
        self.name = self.name.strip().lower()
        if self.name not in _STATE:
            raise ValueError(f"unknown optimizer {self.name!r}; choose one of "
                             f"{', '.join(OPTIMIZERS)}")

    @property
    def label(self) -> str:
        return OPTIMIZER_LABELS[self.name]

    def step(self, p: np.ndarray, g: np.ndarray, lr: float) -> None:
        """Update ``p`` in place from gradient ``g``."""
        if self._size != p.size:
            self.state = {k: np.zeros_like(p) for k in _STATE[self.name]}
            self.t = 0
            self._size = p.size
        self.t += 1
        _UPDATES[self.name](self, p, g, lr)

    def remap(self, old_layout: Layout, transplant: Transplant) -> None:
        """Carry the state through a network edit: kept entries keep their history."""
        self.state = {k: transplant.apply(old_layout.views(v)) for k, v in self.state.items()}
        if self.state or self._size >= 0:
            self._size = transplant.layout.size

    def remap_to(self, state: dict[str, np.ndarray | None], size: int) -> None:
        """Take state arrays of ``size`` entries (None: start that one at zero)."""
        if not self.state:
            return
        self.state = {k: np.zeros(size) if v is None else v.copy() for k, v in state.items()}
        self._size = size

    def reset(self) -> None:
        self.state = {}
        self.t = 0
        self._size = -1


def _sgd(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    p -= lr * g


def _momentum(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    v = o.state["v"]
    v *= o.momentum
    v -= lr * g
    p += v


def _nesterov(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    # CS231n's form: p += -mu * v_prev + (1 + mu) * v
    v = o.state["v"]
    p -= o.momentum * v
    v *= o.momentum
    v -= lr * g
    p += (1.0 + o.momentum) * v


def _adagrad(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    cache = o.state["cache"]
    cache += g * g
    p -= lr * g / (np.sqrt(cache) + o.eps)


def _rmsprop(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    cache = o.state["cache"]
    cache *= o.decay
    cache += (1.0 - o.decay) * g * g
    p -= lr * g / (np.sqrt(cache) + o.eps)


def _adam(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    m, v = o.state["m"], o.state["v"]
    m *= o.beta1
    m += (1.0 - o.beta1) * g
    v *= o.beta2
    v += (1.0 - o.beta2) * (g * g)
    denom = np.sqrt(v / (1.0 - o.beta2**o.t))
    denom += o.eps
    p -= (lr / (1.0 - o.beta1**o.t)) * m / denom


_UPDATES: dict[str, Callable[[Optimizer, np.ndarray, np.ndarray, float], None]] = {
    "sgd": _sgd, "momentum": _momentum, "nesterov": _nesterov, "adagrad": _adagrad,
    "rmsprop": _rmsprop, "adam": _adam,
}

SCHEDULE_LABELS = {"constant": "constant", "step": "step decay", "exponential": "exponential decay"}
SCHEDULES: tuple[str, ...] = tuple(SCHEDULE_LABELS)


@dataclass(frozen=True)
class Schedule:
    """Learning rate as a function of the epoch.

    ``step``: multiply by ``factor`` every ``every`` epochs; ``exponential``: by ``factor``
    every epoch.
    """

    kind: str = "constant"
    factor: float = 0.5
    every: int = 100

    def __post_init__(self) -> None:
        if self.kind not in SCHEDULE_LABELS:
            raise ValueError(f"unknown schedule {self.kind!r}; choose one of "
                             f"{', '.join(SCHEDULES)}")
        if not 0.0 < self.factor <= 1.0 or self.every < 1:
            raise ValueError("schedule factor must be in (0, 1] and its period ≥ 1 epoch")

    def rate(self, base: float, epoch: int) -> float:
        if self.kind == "step":
            return base * self.factor ** (epoch // self.every)
        if self.kind == "exponential":
            return base * self.factor**epoch
        return base
