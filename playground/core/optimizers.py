"""Parameter updates (SGD … Adam) on the flat parameter vector, and learning-rate schedules.

Every optimizer works in place on the whole flat vector at once, so a step costs a handful of
ufunc calls whatever the number of layers. Its state (velocity, moments, and for Adam and
RMSprop each parameter's own step count) is flat too and is moved by the same
:class:`~playground.core.params.Transplant` as the weights after an edit: a parameter an edit
creates starts with zero moments *and* zero steps, so its bias-corrected first step is an
ordinary one, not the 3× (Adam) or 10× (RMSprop) step a global count gives it; and the
adaptive rules ease it in (:data:`EASE_RATE`).

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
_STATE = {"sgd": ("lag",), "momentum": ("v", "lag"), "nesterov": ("v", "lag"),
          "adagrad": ("cache", "lag"), "rmsprop": ("cache", "steps", "lag"),
          "adam": ("m", "v", "steps", "lag")}
"""Each rule's flat state arrays; ``steps`` counts each parameter's own updates, ``lag`` is
how far a parameter an edit made is from taking whole steps (below)."""
EASE_RATE = 0.999
"""A parameter an edit creates, or whose inputs it rescales, eases in: its steps are
(1 − lag) times the rule's, with ``lag`` starting at 1 and multiplied by this rate each step
(a thousandth of a step first, 10 % after 100 steps, 63 % after 1,000, whole steps after
about 10,000). An adaptive rule normalises the gradient away, so a parameter with fresh
moments moves a whole lr per step however little the loss cares; a new layer's weights are
also more sensitive than the trained ones around them (a tanh layer's are scaled down, the
next layer's up). At full speed at once, that shakes a trained network apart."""


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
    _easing: bool = field(default=False, repr=False)

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
            self._easing = False
        self.t += 1
        if self._easing:
            self.state["lag"] *= EASE_RATE
            if self.t % 64 == 0 and self.state["lag"].max() < 1e-4:
                self.state["lag"][:] = 0.0
                self._easing = False
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

    def apply(self, p: np.ndarray, update: np.ndarray) -> None:
        """``p -= update`` (a temporary: it may be scaled in place), eased for parameters an
        edit made (:data:`EASE_RATE`)."""
        if self._easing:
            update *= 1.0 - self.state["lag"]
        p -= update

    def _state_changed(self) -> None:
        self._corrections = {}
        self._easing = "lag" in self.state and bool(self.state["lag"].any())

    def remap(self, old_layout: Layout, transplant: Transplant) -> None:
        """Carry the state through a network edit: kept entries keep their history, new
        entries start afresh (zero moments, zero steps, easing in)."""
        self.state = {k: transplant.apply(old_layout.views(v), fill=float(k == "lag"))
                      for k, v in self.state.items()}
        self._state_changed()
        if self.state or self._size >= 0:
            self._size = transplant.layout.size

    def set_state(self, state: dict[str, np.ndarray], size: int) -> None:
        """Take this rule's state arrays of ``size`` entries from ``state`` (copies); an array
        it lacks starts at zero."""
        self.state = {k: state[k].copy() if k in state else np.zeros(size)
                      for k in _STATE[self.name]}
        self._state_changed()
        self._size = size

    def named_state(self) -> dict[str, np.ndarray]:
        """Copies of the state, each named ``opt:<rule>:<key>`` (so another rule's arrays are
        never mistaken for this one's: momentum's v is not Adam's)."""
        return {f"opt:{self.name}:{k}": v.copy() for k, v in self.state.items()}

    def load_named_state(self, arrays: dict[str, np.ndarray], size: int) -> None:
        """This rule's state from ``arrays`` named as :meth:`named_state` names them; arrays
        of another rule, or missing, start at zero."""
        prefix = f"opt:{self.name}:"
        self.set_state({k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)},
                       size)

    def forget(self, mask: np.ndarray, ease: bool = True) -> None:
        """Start the parameters where ``mask`` is true over, as if an edit made them (an
        edit rescaled them, so their moments no longer fit). ``ease=False`` for entries that
        never move (a second maxout piece no neuron uses: old moments would move it)."""
        for key, array in self.state.items():
            array[mask] = float(ease and key == "lag")
        self._state_changed()

    def reset(self) -> None:
        self.state = {}
        self.t = 0
        self._size = -1
        self._corrections = {}
        self._easing = False


def _sgd(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    o.apply(p, lr * g)


def _momentum(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    v = o.state["v"]
    v *= o.momentum
    v -= lr * g
    o.apply(p, -v)


def _nesterov(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    # CS231n's form: p += -mu * v_prev + (1 + mu) * v
    v = o.state["v"]
    update = o.momentum * v
    v *= o.momentum
    v -= lr * g
    update -= (1.0 + o.momentum) * v
    o.apply(p, update)


def _adagrad(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    cache = o.state["cache"]
    cache += g * g
    o.apply(p, lr * g / (np.sqrt(cache) + o.eps))


def _rmsprop(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    cache = o.state["cache"]
    cache *= o.decay
    cache += (1.0 - o.decay) * g * g
    denom = np.sqrt(cache / o.correction(o.decay))
    denom += o.eps
    o.apply(p, lr * g / denom)


def _adam(o: Optimizer, p: np.ndarray, g: np.ndarray, lr: float) -> None:
    m, v = o.state["m"], o.state["v"]
    m *= o.beta1
    m += (1.0 - o.beta1) * g
    v *= o.beta2
    v += (1.0 - o.beta2) * (g * g)
    denom = np.sqrt(v / o.correction(o.beta2))
    denom += o.eps
    denom *= o.correction(o.beta1)
    o.apply(p, lr * m / denom)


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


SCHEDULE_FIELDS = {"constant": 0, "exponential": 1, "step": 2}
"""How many numbers follow each kind in a schedule's text."""


def parse_schedule(text: str) -> Schedule:
    """``constant``, ``exponential[:FACTOR]`` or ``step[:FACTOR[:EPOCHS]]``, as the command
    line and experiment strings spell a schedule (a number left out takes its default);
    a ValueError that names what is wrong otherwise."""
    kind, *numbers = text.split(":")
    if kind not in SCHEDULE_FIELDS:
        raise ValueError(f"unknown schedule {kind[:40]!r}; choose one of {', '.join(SCHEDULES)}")
    if len(numbers) > SCHEDULE_FIELDS[kind]:
        raise ValueError("the schedule should read constant, exponential:factor or "
                         f"step:factor:epochs, not {text[:40]!r}")
    try:
        factor = float(numbers[0]) if numbers else Schedule.factor
        every = int(numbers[1]) if len(numbers) > 1 else Schedule.every
    except ValueError:
        raise ValueError(f"the schedule's factor is a number and its period a whole number "
                         f"of epochs, not {text[:40]!r}") from None
    return Schedule(kind, factor, every)
