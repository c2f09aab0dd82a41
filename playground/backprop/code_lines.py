"""The graph as the lecture's Python: one forward line per gate, then the backward lines in
reverse, each input's gradient ``=`` the first time and ``+=`` after, e.g. for the staged
example::

    sigy = 1.0 / (1 + math.exp(-y))  # (1)
    ...
    f = num * invden  # (8)
    # backprop (8): f = num * invden
    dnum = invden
    dinvden = num
    # backprop (7): invden = 1.0 / den
    dden = (-1.0 / (den**2)) * dinvden
    ...
    dy += ((1 - sigy) * sigy) * dsigy

Names are the stages the student named (the lecture's sigy, num, …); other gates get t1, t2, ….
Each line knows the walkthrough step it belongs to, so a view can highlight the current one.
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.backprop.graph import Value
from playground.backprop.number_format import fmt
from playground.backprop.walkthrough import Walkthrough

FORWARD_CODE = {"+": "{a} + {b}", "-": "{a} - {b}", "*": "{a} * {b}", "/": "{a} / {b}",
                "max": "max({a}, {b})", "min": "min({a}, {b})", "rsubc": "{c} - {a}",
                "mulc": "{c} * {a}", "neg": "-{a}", "divc": "{a} / {c}", "inv": "1.0 / {a}",
                "rdivc": "{c} / {a}", "pow": "{a}**{c}", "rpowc": "{c}**{a}",
                "exp": "math.exp({a})", "log": "math.log({a})",
                "sigmoid": "1.0 / (1 + math.exp(-{a}))", "tanh": "math.tanh({a})",
                "relu": "max(0, {a})", "abs": "abs({a})", "maxc": "max({a}, {c})",
                "minc": "min({a}, {c})"}
LOCAL_CODE = {"+": ("(1)", "(1)"), "-": ("(1)", "(-1)"), "*": ("{b}", "{a}"),
              "/": ("(1.0 / {b})", "(-{a} / {b}**2)"), "max": ("({a} >= {b})", "({b} > {a})"),
              "min": ("({a} <= {b})", "({b} < {a})"), "addc": ("(1)",), "rsubc": ("(-1)",),
              "mulc": ("({c})",), "neg": ("(-1)",), "divc": ("(1.0 / {c})",),
              "inv": ("(-1.0 / ({a}**2))",), "rdivc": ("(-{c} / ({a}**2))",),
              "rpowc": ("({o} * math.log({c}))",), "exp": ("{o}",), "log": ("(1.0 / {a})",),
              "sigmoid": ("((1 - {o}) * {o})",), "tanh": ("(1 - {o}**2)",),
              "relu": ("({a} > 0)",), "abs": ("((({a} > 0)) - ({a} < 0))",),
              "maxc": ("({a} > {c})",), "minc": ("({a} < {c})",)}
"""∂gate/∂input as code, one entry per input slot; {o} is the gate's own output."""


@dataclass(frozen=True)
class CodeLine:
    """One line of code and the walkthrough step it belongs to: ("forward", k) or
    ("backward", k) for gate k in forward order, ("seed", 0), or None for an input line."""

    text: str
    step: tuple[str, int] | None = None


def code(value: float) -> str:
    """A number in code: the tab's format with an ASCII minus, so the code stays Python."""
    return fmt(value, 6, minus="-")


def code_names(walk: Walkthrough) -> dict[int, str]:
    """A Python name for every node: the leaves' and named stages' own, t1, t2, … else."""
    names: dict[int, str] = {}
    taken = {n.name for n in walk.nodes if n.name}
    out = walk.output
    out_name = out.name or ("f" if walk.output_name == "f" else "a")
    taken.add(out_name)
    k = 0
    for node in walk.nodes:
        if node is out:
            names[id(node)] = out_name
        elif node.name:
            names[id(node)] = node.name
        else:
            k += 1
            while f"t{k}" in taken:
                k += 1
            names[id(node)] = f"t{k}"
    return names


def _fill(template: str, gate: Value, names: dict[int, str]) -> str:
    inputs = [names[id(i)] for i in gate.inputs] + [""]
    const = gate.const if gate.const is not None else 0.0
    return template.format(a=inputs[0], b=inputs[1], c=code(const), o=names[id(gate)])


def forward_code(gate: Value, names: dict[int, str]) -> str:
    """The right-hand side of ``gate``'s forward line."""
    if gate.op == "addc":
        sign = "-" if gate.const < 0 else "+"
        return f"{names[id(gate.inputs[0])]} {sign} {code(abs(gate.const))}"
    if gate.op == "pow" and gate.const == int(gate.const):
        return f"{names[id(gate.inputs[0])]}**{int(gate.const)}"
    template = FORWARD_CODE.get(gate.op, gate.op + "({a})")
    return _fill(template, gate, names)


def local_code(gate: Value, slot: int, names: dict[int, str]) -> str:
    """∂gate/∂(input ``slot``) as code, in parentheses unless it is one name."""
    if gate.op == "pow":
        p = gate.const
        a = names[id(gate.inputs[0])]
        if p == 2:
            return f"(2 * {a})"
        return f"({code(p)} * {a}**{code(p - 1)})"
    templates = LOCAL_CODE.get(gate.op, (f"{gate.op}_slope({{a}})",))
    return _fill(templates[slot], gate, names)


def _unwrap(text: str) -> str:
    """``(1 - f) * f`` from ``((1 - f) * f)``: outer parentheses that wrap everything."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for k, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and k < len(text) - 1:
            return text
    return text[1:-1]


def code_lines(walk: Walkthrough) -> list[CodeLine]:
    """The whole program: inputs, forward pass, backward pass."""
    names = code_names(walk)
    lines = [CodeLine(f"{names[id(leaf)]} = {code(leaf.data)}") for leaf in walk.leaves]
    lines.append(CodeLine("# forward pass"))
    forward_texts = {}
    for k, gate in enumerate(walk.gates):
        forward_texts[id(gate)] = f"{names[id(gate)]} = {forward_code(gate, names)}"
        lines.append(CodeLine(f"{forward_texts[id(gate)]}  # ({k + 1})", ("forward", k)))
    out = walk.output
    implicit = walk.output_name == "f" and walk.seed == 1   # the lecture's dnum = invden
    if implicit:
        lines.append(CodeLine(f"# backward pass: d{names[id(out)]} = 1", ("seed", 0)))
    else:
        lines.append(CodeLine("# backward pass"))
        lines.append(CodeLine(f"d{names[id(out)]} = {code(walk.seed)}  # ∂{walk.output_name}/"
                              f"∂{names[id(out)]}, from the loss", ("seed", 0)))
    started: set[int] = set()
    for k in range(len(walk.gates) - 1, -1, -1):
        gate = walk.gates[k]
        step = ("backward", k)
        lines.append(CodeLine(f"# backprop ({k + 1}): {forward_texts[id(gate)]}", step))
        for slot, inp in enumerate(gate.inputs):
            local = local_code(gate, slot, names)
            rhs = _unwrap(local) if gate is out and implicit else f"{local} * d{names[id(gate)]}"
            assign = "+=" if id(inp) in started else "="
            started.add(id(inp))
            lines.append(CodeLine(f"d{names[id(inp)]} {assign} {rhs}", step))
    return lines


def step_key(walk: Walkthrough, index: int) -> tuple[str, int]:
    """The key of the walkthrough's step number ``index`` (0-based), as ``CodeLine.step``."""
    gates = len(walk.gates)
    if index < gates:
        return ("forward", index)
    if index == gates:
        return ("seed", 0)
    return ("backward", 2 * gates - index)


def current_key(walk: Walkthrough) -> tuple[str, int] | None:
    """The key of the latest step taken, None before the first."""
    return step_key(walk, len(walk.history) - 1) if walk.history else None
