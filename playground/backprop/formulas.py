"""A graph written back as a formula: the text a drawing, a rule or a tooltip shows for a
value, e.g. "(x + y)·z" or, where the student named the stages, "num·invden"."""

from __future__ import annotations

from playground.backprop.graph import Value, topological_order
from playground.backprop.number_format import constant, fmt, power

PRECEDENCE = {"+": 1, "-": 1, "addc": 1, "rsubc": 1, "*": 2, "/": 2, "mulc": 2, "divc": 2,
              "neg": 2, "inv": 2, "rdivc": 2, "pow": 3, "rpowc": 3}
_TEMPLATES = {"mulc": "{c}·{a}", "neg": "−{a}", "divc": "{a} / {c}", "rsubc": "{c} − {a}",
              "inv": "1/{a}", "rdivc": "{c}/{a}", "rpowc": "{c}^{a}"}


def expression_of(node: Value, memo: dict[int, str] | None = None) -> str:
    """The formula that computes ``node``, from its leaves' names and its gates' labels; a
    named stage below ``node`` appears by its name.

    ``memo`` (node id → text) lets a caller naming every node of a graph build each
    sub-formula once.
    """
    memo = {} if memo is None else memo
    for item in topological_order(node):  # inputs before the gates that use them
        if id(item) not in memo:
            memo[id(item)] = _formula(item, memo)
    return memo[id(node)]


def like(gate: Value, operand: Value) -> Value:
    """A copy of one-input ``gate`` applied to ``operand`` (to print it with the numbers)."""
    return Value(gate.data, op=gate.op, label=gate.label, inputs=(operand,),
                 local_grads=gate.local_grads, const=gate.const)


def _formula(node: Value, memo: dict[int, str]) -> str:
    """``node``'s formula from its inputs' formulas, already in ``memo``."""
    if not node.op:
        return node.name or fmt(node.data)
    prec = PRECEDENCE.get(node.op, 4)

    def text_of(child: Value) -> str:
        return child.name if child.op and child.name else memo[id(child)]

    def arg(k: int) -> str:
        child = node.inputs[k]
        if child.op and child.name:
            return child.name
        child_prec = PRECEDENCE.get(child.op, 4) if child.op else 4
        tight = child_prec < prec or (child_prec == prec and k == 1 and node.op in ("-", "/"))
        powers = node.op in ("pow", "rpowc") and child.op
        return f"({memo[id(child)]})" if tight or powers else memo[id(child)]

    op, c = node.op, constant(node.const if node.const is not None else 0.0)
    if op in ("+", "-", "/"):
        return f"{arg(0)} {op.replace('-', '−')} {arg(1)}"
    if op == "*":
        return f"{arg(0)}·{arg(1)}"
    if op in ("max", "min"):
        return f"{op}({text_of(node.inputs[0])}, {text_of(node.inputs[1])})"
    if op in ("maxc", "minc"):
        return f"{op[:3]}({text_of(node.inputs[0])}, {c})"
    if op == "addc":
        return f"{arg(0)} {'−' if node.const < 0 else '+'} {constant(abs(node.const))}"
    if op == "pow":
        return f"{arg(0)}{power(node.const)}"
    if op in _TEMPLATES:
        return _TEMPLATES[op].format(a=arg(0), c=c)
    return f"{node.label}({text_of(node.inputs[0])})"
