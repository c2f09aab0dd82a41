"""What each gate does, in words with the numbers: the sentence the walkthrough says at each
step ("mul gate swaps its inputs: ∂f/∂q = z · upstream = −4 · 1 = −4") and the hints a student
gets in predict-first mode, which state the rule but leave the last multiplication to them.

A rule names the gate's input as the graph does (y, den, (x + y)), never with a stand-in x:
in the staged example x is a real variable, and σ(x)(1 − σ(x)) under σ(y) would mislead.
"""

from __future__ import annotations

import math
from typing import Protocol

from playground.backprop.formulas import expression_of, like
from playground.backprop.graph import Value
from playground.backprop.number_format import fmt, par, power
from playground.core import activations as acts


class Walkthrough(Protocol):
    """What the rules read of a walkthrough (playground.backprop.walkthrough), which
    imports this module: the names it gives values and the gradients that reached them."""

    output_name: str
    consumers: dict[int, list[Value]]

    def name(self, node: Value) -> str: ...

    def formula(self, node: Value) -> str: ...

    def received(self, node: Value) -> list[float]: ...

    def wire_grad(self, gate: Value, slot: int) -> float | None: ...

GATE_NAMES = {"+": "add", "-": "subtract", "*": "mul", "/": "divide", "max": "max",
              "min": "min"}
_ROLES = {"+": "the add gate distributes: it passes the upstream gradient on unchanged",
          "-": "the subtract gate passes the upstream gradient to its first input and its "
               "negative to the second",
          "*": "the mul gate swaps its inputs: each gets the other's value times upstream",
          "/": "the divide gate: a/b has local gradients 1/b and −a/b²",
          "max": "the max gate routes the whole gradient to the larger input, 0 to the other",
          "min": "the min gate routes the whole gradient to the smaller input, 0 to the other"}
_CONSTANT_GATES = {"addc": "adding a constant passes the gradient through unchanged",
                   "mulc": "multiplying by a constant scales the gradient by it",
                   "neg": "multiplying by −1 flips the gradient's sign",
                   "divc": "dividing by a constant divides the gradient by it",
                   "rsubc": "subtracting from a constant flips the gradient's sign"}


def call(function: str, name: str) -> str:
    """``function`` applied to ``name``: σ(y), and σ(x + y) rather than σ((x + y))."""
    return f"{function}{name}" if name.startswith("(") and name.endswith(")") else \
        f"{function}({name})"


def d(walk: Walkthrough, node: Value) -> str:
    """The gradient of ``node`` as the lecture writes it: ∂f/∂x."""
    return f"∂{walk.output_name}/∂{walk.name(node)}"


def code_d(walk: Walkthrough, node: Value) -> str:
    """The gradient's name in the lecture's code: dx, dnum; ∂f/∂(…) for an unnamed value."""
    name = walk.name(node)
    return f"d{name}" if name.isidentifier() else d(walk, node)


# ------------------------------------------------------------------ forward
def forward_text(walk: Walkthrough, gate: Value, result: bool = True) -> str:
    """"mul gate: q·z = 3 · (−4) = −12"; without ``result`` it stops before "= −12"."""
    end = f" = {fmt(gate.data)}" if result else ""
    values = [fmt(inp.data) for inp in gate.inputs]
    if len(gate.inputs) == 2:
        kind = GATE_NAMES.get(gate.op, gate.op)
        a, b = (walk.name(i) for i in gate.inputs)
        if gate.op in ("max", "min"):
            return f"{kind} gate: {gate.op}({a}, {b}) = {gate.op}({values[0]}, {values[1]}){end}"
        sym = {"*": "·", "-": "−"}.get(gate.op, gate.op)
        formula = walk.formula(gate)
        if len(formula) > 44:
            formula = f"{a} {sym} {b}"
        return f"{kind} gate: {formula} = {values[0]} {sym} {par(gate.inputs[1].data)}{end}"
    x = gate.inputs[0].data
    if gate.op == "neg":
        return f"{gate.label} gate: −1 · {par(x)}{end}"
    shown = expression_of(like(gate, Value(x, name=par(x) if _operator(gate) else fmt(x))))
    return f"{gate.label} gate: {shown}{end}"


def _operator(gate: Value) -> bool:
    """Whether a one-input gate is written with an operator (so a negative input needs
    parentheses) rather than as a function call."""
    return gate.op in ("pow", "rpowc", "mulc", "divc", "inv", "rdivc", "rsubc")


# ----------------------------------------------------------------- backward
def local_gradient(walk: Walkthrough, gate: Value, slot: int) -> str:
    """∂gate/∂(input ``slot``) as a rule with its numbers: "z = −4", "σ(y)(1 − σ(y)) =
    0.018 · 0.982 = 0.0177"."""
    inp = gate.inputs[slot]
    name, x, local = walk.name(inp), fmt(inp.data), fmt(gate.local_grads[slot])
    out = fmt(gate.data)
    p = gate.const if gate.const is not None else 0.0
    if gate.op == "*":
        other = gate.inputs[1 - slot]
        return f"{walk.name(other)} = {fmt(other.data)}"
    if gate.op == "/":
        a, b = gate.inputs
        if slot == 0:
            return f"1/{walk.name(b)} = 1/{par(b.data)} = {local}"
        return (f"−{walk.name(a)}/{walk.name(b)}² = −{par(a.data)}/{par(b.data)}² = {local}")
    rules = {
        "inv": f"−1/{name}² = −1/({x})² = {local}",
        "rdivc": f"−{fmt(p)}/{name}² = −{fmt(p)}/({x})² = {local}",
        "pow": f"{fmt(p)}·{name}{power(p - 1)} = {fmt(p)} · {par(inp.data)}{power(p - 1)} = "
               f"{local}",
        "exp": f"{call('exp', name)} = {local}, its own output",
        "rpowc": f"{fmt(p)}^{name}·ln {fmt(p)} = {out} · "
                 f"{fmt(math.log(p)) if p > 0 else '?'} = {local}",
        "log": f"1/{name} = 1/{x} = {local}",
        "sigmoid": f"{call('σ', name)}(1 − {call('σ', name)}) = {out} · {fmt(1 - gate.data)} "
                   f"= {local}",
        "tanh": f"1 − {call('tanh', name)}² = 1 − {out}² = {local}",
        "abs": f"{call('sign', name)} = {local}",
    }
    if gate.op in rules:
        return rules[gate.op]
    if gate.op in acts.ACTIVATIONS and gate.op not in ("relu",):
        return f"the slope of {acts.ACTIVATIONS[gate.op].label} at {name} = {x}: {local}"
    return local


def backward_text(walk: Walkthrough, gate: Value) -> str:
    """The chain rule at ``gate`` in words and numbers, then what it does to the inputs that
    now hold more than one gradient."""
    text = _backward_rule(walk, gate)
    notes = [fan_in_text(walk, inp) for inp in dict.fromkeys(gate.inputs)
             if len(walk.received(inp)) > 1]
    return " ".join([text, *notes])


def _backward_rule(walk: Walkthrough, gate: Value) -> str:
    up, pup = fmt(gate.grad), par(gate.grad)
    grads = [fmt(walk.wire_grad(gate, k)) for k in range(len(gate.inputs))]
    ds = [d(walk, inp) for inp in gate.inputs]
    names = [walk.name(inp) for inp in gate.inputs]
    vals = [fmt(inp.data) for inp in gate.inputs]
    op = gate.op
    if op == "+":
        return (f"add gate distributes: it passes the upstream gradient {up} unchanged to "
                f"both inputs: {ds[0]} = {ds[1]} = {up}.")
    if op == "-":
        return (f"subtract gate: the first input gets the upstream gradient, the second its "
                f"negative: {ds[0]} = {up}, {ds[1]} = {grads[1]}.")
    if op == "*":
        return (f"mul gate swaps its inputs: {ds[0]} = {names[1]} · upstream = {vals[1]} · "
                f"{pup} = {grads[0]}; {ds[1]} = {names[0]} · upstream = {vals[0]} · {pup} = "
                f"{grads[1]}.")
    if op == "/":
        return (f"divide gate: {ds[0]} = upstream / {names[1]} = {up} / "
                f"{par(gate.inputs[1].data)} = {grads[0]}; {ds[1]} = "
                f"−{names[0]}/{names[1]}² · upstream = −{par(gate.inputs[0].data)}/"
                f"{par(gate.inputs[1].data)}² · {pup} = {grads[1]}.")
    if op in ("max", "min"):
        winner = 0 if gate.local_grads[0] else 1
        word, rel = ("larger", ">") if op == "max" else ("smaller", "<")
        if gate.inputs[0].data == gate.inputs[1].data:
            return (f"{op} gate: a tie, both inputs are {vals[0]}; it routes the whole "
                    f"gradient to the first: {ds[0]} = upstream = {up} and {ds[1]} = 0.")
        return (f"{op} gate routes the gradient to the {word} input: {names[winner]} = "
                f"{vals[winner]} {rel} {names[1 - winner]} = {vals[1 - winner]}, so "
                f"{ds[winner]} = upstream = {up} and {ds[1 - winner]} = 0.")
    local = fmt(gate.local_grads[0])
    if op in ("maxc", "minc"):
        passes = gate.local_grads[0] != 0
        return (f"{gate.label} gate routes like a max gate: {names[0]} = {vals[0]} "
                f"{'wins' if passes else 'loses to the constant'}, so {ds[0]} = "
                f"{up if passes else '0'}.")
    if op == "relu":
        if gate.local_grads[0]:
            return (f"relu gate passes the gradient where its input is positive: {vals[0]} > 0,"
                    f" so {ds[0]} = upstream = {up}.")
        return f"relu gate blocks the gradient: its input {vals[0]} ≤ 0, so {ds[0]} = 0."
    why = _CONSTANT_GATES.get(op) or f"local gradient {local_gradient(walk, gate, 0)}"
    return (f"{gate.label} gate: {why}: {ds[0]} = {local} · upstream = {local} · {pup} = "
            f"{grads[0]}.")


def fan_in_text(walk: Walkthrough, node: Value) -> str:
    """A value used more than once collects its gradients with +=, as the lecture's code
    does: "x feeds three gates, so its gradients add up: dx = 1.58, += −0.0358 → 1.55"."""
    got = walk.received(node)
    uses = walk.consumers[id(node)]
    gates = len({id(g) for g in uses})
    how = (f"feeds {count(gates)} gates" if gates == len(uses)
           else f"is used {count(len(uses))} times")
    before = fmt(sum(got[:-1]))
    left = len(uses) - len(got)
    more = f" so far, {count(left)} more to come" if left else ""
    return (f"{walk.name(node)} {how}, so its gradients add up: {code_d(walk, node)} = "
            f"{before}, += {fmt(got[-1])} → {fmt(node.grad)}{more}.")


def count(n: int) -> str:
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if n < len(words) else str(n)


# -------------------------------------------------------------------- hints
def forward_hint(walk: Walkthrough, gate: Value) -> str:
    """The forward rule with the numbers to put in, but not the result."""
    return f"The {forward_text(walk, gate, result=False)} — work it out."


def backward_hint(walk: Walkthrough, gate: Value, slot: int) -> str:
    """The chain rule for one input of ``gate``: its local gradient and the upstream
    gradient, without their product."""
    name = walk.name(gate.inputs[slot])
    role = _ROLES.get(gate.op) or _CONSTANT_GATES.get(gate.op) or f"the {gate.label} gate"
    up = fmt(gate.grad)
    if gate.op in ("max", "min", "maxc", "minc", "relu"):
        local = fmt(gate.local_grads[slot])
        return (f"Rule: {role}. Here the local gradient for {name} is {local}; the upstream "
                f"gradient is {up}. Multiply them.")
    return (f"Rule: {role}. Local gradient × upstream: the local gradient for {name} is "
            f"{local_gradient(walk, gate, slot)}, the upstream gradient is {up}. Multiply "
            "them.")
