"""The backprop lecture's worked examples, as data the explainer can load.

Each preset is a formula and the values of its variables; ``build`` turns it into a graph with
the forward pass done. The numbers the lecture prints are checked in
``tests/backprop/test_lecture.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from playground.backprop.expressions import from_expression
from playground.backprop.graph import Value


@dataclass(frozen=True)
class Preset:
    """One worked example: ``expression`` evaluated at ``values``.

    ``intro`` is what to watch for, said before the first step without giving any number
    away; ``note`` sums up the numbers once both passes are done.
    """

    key: str
    title: str
    expression: str
    values: Mapping[str, float] = field(hash=False)
    note: str = ""
    intro: str = ""

    def __post_init__(self) -> None:
        # Read-only, so that no caller can change the lecture's numbers for everyone else.
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))


STAGED = ("sigy = sigmoid(y); num = x + sigy; sigx = sigmoid(x); xpy = x + y; "
          "xpysqr = xpy**2; den = sigx + xpysqr; invden = 1 / den; f = num * invden")
"""The lecture's staged forward pass of f(x, y) = (x + σ(y)) / (σ(x) + (x + y)²), line by
line with its own names: the division is staged as invden = 1/den, then f = num·invden."""

PRESETS: tuple[Preset, ...] = (
    Preset(
        "add-mul", "(x + y)·z", "q = x + y; f = q * z", {"x": -2.0, "y": 5.0, "z": -4.0},
        "f = −12. The add gate hands its upstream gradient −4 to both x and y; the mul gate "
        "gives z the other input's value, q = x + y = 3.",
        "The lecture's first circuit: q = x + y, then f = q·z. Step forward to compute q and "
        "f, then backward: watch what the add gate and the mul gate do with the gradient.",
    ),
    Preset(
        "sigmoid-gates", "Sigmoid neuron, gate by gate",
        "dot = w0*x0 + w1*x1 + w2; f = 1 / (1 + exp(-dot))",
        {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0},
        "Gates *, *, +, +, *−1, exp, +1, 1/x. Output 0.731; dx = [0.393, −0.59], "
        "dw = [−0.197, −0.393, 0.197].",
        "A 2-input neuron with a sigmoid, every elementary gate drawn: ·, +, ·(−1), exp, +1, "
        "1/x. Each has a local gradient you can work out by hand.",
    ),
    Preset(
        "sigmoid-gate", "Sigmoid neuron, one σ gate", "dot = w0*x0 + w1*x1 + w2; f = sigmoid(dot)",
        {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0},
        "The last four gates folded into one: σ'(dot) = (1 − σ(dot))·σ(dot) = 0.197 here. "
        "Same output, same gradients.",
        "The same neuron with the last four gates folded into one σ gate, whose local "
        "gradient is (1 − σ)·σ: a bigger gate, fewer steps, the same gradients.",
    ),
    Preset(
        "staged", "Staged computation", STAGED, {"x": 3.0, "y": -4.0},
        "f(x, y) = (x + σ(y)) / (σ(x) + (x + y)²) = 1.55: dx = 2.06 collects three branches, "
        "dy = 1.59 two. The numeric check agrees.",
        "The lecture's staged f(x, y) = (x + σ(y)) / (σ(x) + (x + y)²), one line of code per "
        "gate. x and y each feed several gates: watch dx and dy collect their gradients with "
        "+=.",
    ),
    Preset(
        "max-gate", "Add, mul and max gates", "2 * (x * y + max(z, w))",
        {"x": 3.0, "y": -4.0, "z": 2.0, "w": -1.0},
        "f = −20. Add distributes the gradient 2, mul swaps (dx = 2y = −8, dy = 2x = 6), "
        "max routes it all to the larger input z; w gets 0.",
        "Three gate patterns: add distributes the gradient, mul swaps its inputs, max routes "
        "the gradient to one input only.",
    ),
    Preset(
        "used-twice", "A value used twice", "x * y + x", {"x": 3.0, "y": -2.0},
        "x feeds two gates, so its gradient is the sum of both: dx = y + 1 = −1.",
        "x feeds two gates. Its gradient is not known until both have sent theirs back.",
    ),
)


def by_key(key: str) -> Preset:
    """The preset called ``key``; KeyError lists the keys there are."""
    for p in PRESETS:
        if p.key == key:
            return p
    raise KeyError(f"no preset {key!r} (there are: {', '.join(p.key for p in PRESETS)})")


def build(preset: Preset) -> tuple[Value, dict[str, Value]]:
    """The preset's graph, forward pass done: ``(output, inputs)`` as ``from_expression``."""
    return from_expression(preset.expression, preset.values)
