"""Scalar gate graph: micrograd's ``Value``, made to be drawn and stepped through.

Every arithmetic operation on a ``Value`` creates a new node (a *gate*) that remembers its
``inputs`` and, computed right away in the forward pass, its ``local_grads``: ∂out/∂input for
each input. Backpropagation is then just the chain rule applied in reverse topological order::

    for node in reversed(topological_order(root)):
        for inp, local in zip(node.inputs, node.local_grads, strict=True):
            inp.grad += local * node.grad        # += : gradients add up where a value fans out

Storing numbers instead of micrograd's ``_backward`` closures lets the explainer show each
gate's local gradient and apply one gate at a time (``backward_step``).

A plain number combined with a ``Value`` makes a one-input gate labelled with the constant, as
the lecture draws them: ``v + 1`` is a "+1" gate, ``-v`` a "*−1" gate, ``1 / v`` a "1/x" gate.
"""

from __future__ import annotations

import math
from numbers import Real

from playground.backprop.number_format import constant as num


class Value:
    """A scalar in a computational graph: its value, its gradient and the gate that made it.

    Parameters
    ----------
    data : float
        The number.
    name : str, optional
        Variable name for a leaf (an input of the graph); also used as its drawing label.
    """

    def __init__(self, data: float, name: str | None = None, *, op: str = "",
                 label: str | None = None, inputs: tuple[Value, ...] = (),
                 local_grads: tuple[float, ...] = (), const: float | None = None) -> None:
        self.data = float(data)
        self.grad = 0.0
        self.name = name
        self.op = op                      # machine name: "" for a leaf, "+", "*", "exp", ...
        self.label = label if label is not None else (name or "")   # what a drawing shows
        self.inputs = inputs              # only Values; constants live in label/const
        self.local_grads = tuple(float(g) for g in local_grads)   # ∂self/∂inputs[i]
        self.const = const                # the constant of a one-input gate such as "+1"

    def __repr__(self) -> str:
        what = self.label or "leaf"
        return f"Value({what} data={self.data:.6g} grad={self.grad:.6g})"

    # -- building gates -------------------------------------------------------------------

    def _gate(self, data: float, op: str, label: str, local_grad: float,
              const: float | None = None) -> Value:
        """A one-input gate fed by ``self``."""
        return Value(data, op=op, label=label, inputs=(self,), local_grads=(local_grad,),
                     const=const)

    def _binary(self, other: Value, data: float, op: str, grads: tuple[float, float]) -> Value:
        """A two-input gate fed by ``self`` and ``other``."""
        return Value(data, op=op, label=op, inputs=(self, other), local_grads=grads)

    # -- + - * / ** -------------------------------------------------------------------------

    def __add__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return self._binary(other, self.data + other.data, "+", (1.0, 1.0))
        if isinstance(other, Real):
            c = float(other)
            sign = "+" if c >= 0 else "−"
            return self._gate(self.data + c, "addc", f"{sign}{num(abs(c))}", 1.0, c)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return self._binary(other, self.data - other.data, "-", (1.0, -1.0))
        if isinstance(other, Real):
            return self + (-float(other))          # v - 3 is a "-3" gate
        return NotImplemented

    def __rsub__(self, other: float) -> Value:
        if isinstance(other, Real):
            c = float(other)
            return self._gate(c - self.data, "rsubc", f"{num(c)}−x", -1.0, c)
        return NotImplemented

    def __mul__(self, other: Value | float) -> Value:
        if isinstance(other, Value):    # the mul gate swaps: each input gets the other's value
            return self._binary(other, self.data * other.data, "*", (other.data, self.data))
        if isinstance(other, Real):
            c = float(other)
            return self._gate(self.data * c, "mulc", f"*{num(c)}", c, c)
        return NotImplemented

    __rmul__ = __mul__

    def __neg__(self) -> Value:
        return self._gate(-self.data, "neg", "*−1", -1.0, -1.0)

    def __truediv__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            a, b = self.data, other.data
            if b == 0:
                raise ValueError(f"division by zero: {num(a)} / {num(b)}")
            return self._binary(other, a / b, "/", (1.0 / b, -(a / b) / b))
        if isinstance(other, Real):
            c = float(other)
            if c == 0:
                raise ValueError(f"division by zero: {num(self.data)} / 0")
            return self._gate(self.data / c, "divc", f"/{num(c)}", 1.0 / c, c)
        return NotImplemented

    def __rtruediv__(self, other: float) -> Value:
        if not isinstance(other, Real):
            return NotImplemented
        c, x = float(other), self.data
        if x == 0:
            raise ValueError(f"division by zero: {num(c)} / 0")
        op = "inv" if c == 1 else "rdivc"
        return self._gate(c / x, op, f"{num(c)}/x", -(c / x) / x, c)

    def __pow__(self, other: float) -> Value:
        if not isinstance(other, Real):
            return NotImplemented           # only a plain number may be the exponent
        p, x = float(other), self.data
        base = f"({num(x)})" if x < 0 else f"{num(x)}"
        try:
            out = x**p
            local = p * x ** (p - 1) if p != 0 else 0.0
        except ZeroDivisionError:
            raise ValueError(f"{base}**{num(p)} has no finite value or gradient") from None
        except OverflowError:
            raise ValueError(f"{base}**{num(p)} overflows") from None
        if isinstance(out, complex) or isinstance(local, complex):
            raise ValueError(f"{base}**{num(p)} is not a real number")
        return self._gate(out, "pow", f"**{num(p)}", local, p)

    def __rpow__(self, other: float) -> Value:
        """``c ** v`` for a constant base ``c > 0``: a one-input "c^x" gate, local gradient
        cˣ·ln c. Other bases are refused: for c < 0, cˣ is not real for most x, and ln c,
        which the gradient needs, exists only for c > 0."""
        if not isinstance(other, Real):
            return NotImplemented
        c, x = float(other), self.data
        if not c > 0:
            raise ValueError(f"{num(c)}**x needs a positive base: the local gradient c^x·ln c "
                             f"has no real value for c = {num(c)}")
        try:
            out = c**x
        except OverflowError:
            raise ValueError(f"{num(c)}**{num(x)} overflows") from None
        return self._gate(out, "rpowc", f"{num(c)}^x", out * math.log(c), c)

    # -- functions --------------------------------------------------------------------------

    def exp(self) -> Value:
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise ValueError(f"exp({num(self.data)}) overflows") from None
        return self._gate(out, "exp", "exp", out)     # d/dx eˣ = eˣ

    def log(self) -> Value:
        x = self.data
        if x <= 0:
            raise ValueError(f"log({num(x)}) is undefined: log needs a positive number")
        return self._gate(math.log(x), "log", "log", 1.0 / x)

    def sigmoid(self) -> Value:
        x = self.data
        if x >= 0:                          # two forms so that exp never overflows
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return self._gate(s, "sigmoid", "σ", s * (1.0 - s))   # σ' = σ(1 − σ)

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return self._gate(t, "tanh", "tanh", 1.0 - t * t)

    def relu(self) -> Value:
        x = self.data
        return self._gate(max(0.0, x), "relu", "relu", 1.0 if x > 0 else 0.0)

    def abs(self) -> Value:
        x = self.data
        return self._gate(abs(x), "abs", "abs", (x > 0) - (x < 0))

    def max(self, other: Value | float) -> Value:
        """The max gate routes the whole gradient to the larger input (on a tie, the first).

        Against a plain number the constant wins a tie, so ``v.max(0)`` behaves like relu.
        """
        if isinstance(other, Value):
            first = self.data >= other.data
            return self._binary(other, max(self.data, other.data), "max",
                                (1.0, 0.0) if first else (0.0, 1.0))
        c = float(other)
        return self._gate(max(self.data, c), "maxc", f"max(x,{num(c)})",
                          1.0 if self.data > c else 0.0, c)

    def min(self, other: Value | float) -> Value:
        """Like ``max``: the smaller input gets the gradient (a tie: the first, or the constant)."""
        if isinstance(other, Value):
            first = self.data <= other.data
            return self._binary(other, min(self.data, other.data), "min",
                                (1.0, 0.0) if first else (0.0, 1.0))
        c = float(other)
        return self._gate(min(self.data, c), "minc", f"min(x,{num(c)})",
                          1.0 if self.data < c else 0.0, c)

    # -- backpropagation --------------------------------------------------------------------

    def backward_step(self) -> None:
        """Chain rule at this gate only: pass ``self.grad`` back to each input."""
        for inp, local in zip(self.inputs, self.local_grads, strict=True):
            inp.grad += local * self.grad

    def backward(self) -> None:
        """Fill ``grad`` of every node with ∂self/∂node."""
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node.backward_step()


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each after its inputs, ``root`` last.

    The same order as micrograd's recursive ``build_topo``, but with an explicit stack so that
    long chains cannot hit Python's recursion limit.
    """
    order: list[Value] = []
    seen: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((inp, False) for inp in reversed(node.inputs))
    return order


def zero_grad(root: Value) -> None:
    """Set the gradient of every node in ``root``'s graph to 0."""
    for node in topological_order(root):
        node.grad = 0.0
