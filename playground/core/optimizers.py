"""Parameter updates (SGD … Adam) on the flat parameter vector, and learning-rate schedules.

Every optimizer works in place on the whole flat vector at once, so a step costs a handful of
ufunc calls whatever the number of layers. Its state (velocity, moments, and for Adam and
RMSprop each parameter's own step count) is flat too and is moved by the same
:class:`~playground.core.params.Transplant` as the weights after an edit: a parameter an edit
creates starts with zero moments *and* zero steps, so its bias-corrected first step is an
ordinary one (lr-sized), not the 3× (Adam) or 10× (RMSprop) step a global count gives it.

Conventions: momentum and Nesterov are CS231n's forms (``v = μv − lr·g``), so the velocity
keeps what it built up at an earlier learning rate; RMSprop divides its cache by
1 − decay^t as Adam does (after a few hundred steps this is CS231n's RMSprop exactly);
Adagrad's sum is per parameter already, so a new parameter's first step is lr-sized like every
parameter's first Adagrad step.
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
          "rmsprop": ("cache", "steps"), "adam": ("m", "v", "steps")}
"""Each rule's flat state arrays; ``steps`` counts each parameter's own updates."""


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
    _corrections: dict[float, np.ndarray] = field(default_factory=dict, repr=False)

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
            self._corrections = {}
        self.t += 1
        if "steps" in self.state:
            corrections = self._bias_corrections()
            self.state["steps"] += 1.0
            for beta, c in corrections.items():
                c *= beta           # c = 1 − βᵗ per parameter, kept by its recurrence
                c += 1.0 - beta
        _UPDATES[self.name](self, p, g, lr)

    def _bias_corrections(self) -> dict[float, np.ndarray]:
        """1 − βᵗ for each parameter's own t, one array per β the rule corrects with; made
        from ``steps`` when the state was replaced, then updated in place."""
        if not self._corrections:
            betas = (self.beta1, self.beta2) if self.name == "adam" else (self.decay,)
            steps = self.state["steps"]
            self._corrections = {b: -np.expm1(steps * np.log(b)) for b in betas}
        return self._corrections

    def correction(self, beta: float) -> np.ndarray:
        """The current 1 − βᵗ of every parameter (after this step's count)."""
        return self._bias_corrections()[beta]

    def remap(self, old_layout: Layout, transplant: Transplant) -> None:
        """Carry the state through a network edit: kept entries keep their history, new
        entries start at zero (zero moments, zero steps)."""
        self.state = {k: transplant.apply(old_layout.views(v)) for k, v in self.state.items()}
        self._corrections = {}
        if self.state or self._size >= 0:
            self._size = transplant.layout.size

    def remap_to(self, state: dict[str, np.ndarray | None], size: int) -> None:
        """Take state arrays of ``size`` entries (None: start that one at zero)."""
        if not self.state:
            return
        self.state = {k: np.zeros(size) if v is None else v.copy() for k, v in state.items()}
        self._corrections = {}
        self._size = size

    def forget(self, mask: np.ndarray) -> None:
        """Start the parameters where ``mask`` is true over, as if new (e.g. a second maxout
        piece no neuron uses any more: its old moments would move it off zero)."""
        for array in self.state.values():
            array[mask] = 0.0
        self._corrections = {}

    def reset(self) -> None:
        self.state = {}
        self.t = 0
        self._size = -1
        self._corrections = {}


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
    denom = np.sqrt(cache / o.correction(o.decay))
    denom += o.eps
    p -= lr * g / denom


def _adam(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    m, v = o.state["m"], o.state["v"]
    m *= o.beta1
    m += (1.0 - o.beta1) * g
    v *= o.beta2
    v += (1.0 - o.beta2) * (g * g)
    denom = np.sqrt(v / o.correction(o.beta2))
    denom += o.eps
    denom *= o.correction(o.beta1)
    p -= lr * m / denom


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
