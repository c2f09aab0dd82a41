"""The backprop lecture's worked examples, as data the explainer can load.

Each preset is a formula and the values of its variables; ``build`` turns it into a graph with
the forward pass done. The numbers the lecture prints are checked in ``tests/core/test_lecture.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from playground.backprop.expressions import from_expression
from playground.backprop.graph import Value


@dataclass(frozen=True)
class Preset:
    """One worked example: ``expression`` evaluated at ``values``."""

    key: str
    title: str
    expression: str
    values: Mapping[str, float] = field(hash=False)
    note: str = ""

    def __post_init__(self) -> None:
        # Read-only, so that no caller can change the lecture's numbers for everyone else.
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))


PRESETS: tuple[Preset, ...] = (
    Preset(
        "add-mul", "(x + y)·z", "(x + y) * z", {"x": -2.0, "y": 5.0, "z": -4.0},
        "f = −12. The add gate hands its upstream gradient −4 to both x and y; the mul gate "
        "gives z the other input's value, x + y = 3.",
    ),
    Preset(
        "sigmoid-gates", "Sigmoid neuron, gate by gate",
        "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))",
        {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0},
        "Gates *, *, +, +, *-1, exp, +1, 1/x. Output 0.73; dx = [0.39, −0.59], "
        "dw = [−0.20, −0.39, 0.20].",
    ),
    Preset(
        "sigmoid-gate", "Sigmoid neuron, one σ gate", "sigmoid(w0*x0 + w1*x1 + w2)",
        {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0},
        "The last four gates folded into one: σ'(z) = (1 − σ(z))·σ(z) = 0.2 here. "
        "Same output, same gradients.",
    ),
    Preset(
        "staged", "Staged computation", "(x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)",
        {"x": 3.0, "y": -4.0},
        "f(x, y) = (x + σ(y)) / (σ(x) + (x + y)²): x and y each feed several gates, so their "
        "gradients add up. Compare with the numeric check.",
    ),
    Preset(
        "max-gate", "Add, mul and max gates", "2 * (x * y + max(z, w))",
        {"x": 3.0, "y": -4.0, "z": 2.0, "w": -1.0},
        "f = −20. Add distributes the gradient 2, mul swaps (dx = 2y = −8, dy = 2x = 6), "
        "max routes it all to the larger input z; w gets 0.",
    ),
    Preset(
        "used-twice", "A value used twice", "x * y + x", {"x": 3.0, "y": -2.0},
        "x feeds two gates, so its gradient is the sum of both: dx = y + 1 = −1.",
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
