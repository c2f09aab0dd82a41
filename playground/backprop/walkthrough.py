"""Stepping through a gate graph one gate at a time, saying at each gate what rule it applies.

The graph's numbers are all computed when it is built; a :class:`Walkthrough` only decides how
much of them a student has seen. The forward pass reveals one gate's output at a time in
topological order. The backward pass really runs: it seeds the output's gradient, then calls
each gate's ``backward_step`` in reverse order, so a value used twice visibly collects its
gradients one ``+=`` at a time. Every step comes with its rule in words and numbers, e.g.
"mul gate swaps its inputs: ∂f/∂(x + y) = z · upstream = −4 · 1 = −4".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from playground.backprop.graph import Value, topological_order
from playground.core import activations as acts

FORWARD, BACKWARD, DONE = "forward", "backward", "done"
GATE_NAMES = {"+": "add", "-": "subtract", "*": "mul", "/": "divide", "max": "max",
              "min": "min"}
_SHORT = 22  # longest sub-expression used as a node's name in the explanations
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_RESULT_NAMES = {"+": "sum", "-": "difference", "*": "product", "/": "quotient"}


def fmt(value: float) -> str:
    """A number as the lecture prints it: three significant digits (three decimals from 1
    up) and a real minus sign, so the numbers in a rule multiply out as printed."""
    if value == 0:
        return "0"
    fixed = 1 <= abs(value) < 1000
    text = f"{value:.3f}".rstrip("0").rstrip(".") if fixed else f"{value:.3g}"
    return text.replace("-", "−")


def constant(value: float) -> str:
    """A constant the student typed, exactly: 0.0001 stays 0.0001."""
    return f"{value:g}".replace("-", "−")


def power(exponent: float) -> str:
    """``x`` raised to ``exponent`` as written by hand: "²" for 2, "" for 1, "^0.5" else."""
    if exponent == 1:
        return ""
    if exponent == int(exponent) and abs(exponent) < 10:
        return str(int(exponent)).translate(_SUPERSCRIPT)
    return f"^{constant(exponent)}"


def par(value: float) -> str:
    """``fmt`` in parentheses when negative, for the second factor of a product."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


_PRECEDENCE = {"+": 1, "-": 1, "addc": 1, "rsubc": 1, "*": 2, "/": 2, "mulc": 2, "divc": 2,
               "neg": 2, "inv": 2, "rdivc": 2, "pow": 3, "rpowc": 3}


def expression_of(node: Value, memo: dict[int, str] | None = None) -> str:
    """The formula that computes ``node``, from its leaves' names and its gates' labels.

    ``memo`` (node id → text) lets a caller naming every node of a graph build each
    sub-formula once.
    """
    memo = {} if memo is None else memo
    for item in topological_order(node):  # inputs before the gates that use them
        if id(item) not in memo:
            memo[id(item)] = _formula(item, memo)
    return memo[id(node)]


def _formula(node: Value, memo: dict[int, str]) -> str:
    """``node``'s formula from its inputs' formulas, already in ``memo``."""
    if not node.op:
        return node.name or fmt(node.data)
    prec = _PRECEDENCE.get(node.op, 4)

    def arg(k: int) -> str:
        child = node.inputs[k]
        text = memo[id(child)]
        child_prec = _PRECEDENCE.get(child.op, 4) if child.op else 4
        tight = child_prec < prec or (child_prec == prec and k == 1 and node.op in ("-", "/"))
        powers = node.op in ("pow", "rpowc") and child.op
        return f"({text})" if tight or powers else text

    op, c = node.op, constant(node.const if node.const is not None else 0.0)
    if op in ("+", "-", "/"):
        return f"{arg(0)} {op.replace('-', '−')} {arg(1)}"
    if op == "*":
        return f"{arg(0)}·{arg(1)}"
    if op in ("max", "min"):
        return f"{op}({memo[id(node.inputs[0])]}, {memo[id(node.inputs[1])]})"
    if op in ("maxc", "minc"):
        return f"{op[:3]}({memo[id(node.inputs[0])]}, {c})"
    if op == "addc":
        return f"{arg(0)} {'−' if node.const < 0 else '+'} {constant(abs(node.const))}"
    templates = {"mulc": "{c}·{a}", "neg": "−{a}", "divc": "{a} / {c}", "rsubc": "{c} − {a}",
                 "inv": "1/{a}", "rdivc": "{c}/{a}", "rpowc": "{c}^{a}"}
    if op == "pow":
        return f"{arg(0)}{power(node.const)}"
    if op in templates:
        return templates[op].format(a=arg(0), c=c)
    return f"{node.label}({memo[id(node.inputs[0])]})"


@dataclass(frozen=True)
class Step:
    """One step of the walkthrough: which node it processed, in which pass, and why."""

    node: Value
    phase: str
    text: str


class Walkthrough:
    """Forward then backward through ``output``'s graph, one gate per step.

    Parameters
    ----------
    output : Value
        The graph's root, its forward pass already computed.
    seed : float
        The gradient the backward pass starts from: 1 for ∂f/∂f, or what the loss sends back
        to a neuron (then ``output_name`` is the loss, "L").
    output_name : str
        What is differentiated, in the explanations: "f", or "L" for a neuron.
    output_label : str, optional
        What a drawing writes at the output's wire: ``output_name`` unless the output is
        not itself what is differentiated (a neuron's "a → L").
    """

    def __init__(self, output: Value, seed: float = 1.0, output_name: str = "f",
                 output_label: str | None = None) -> None:
        self.output = output
        self.seed = float(seed)
        self.output_name = output_name
        self.output_label = output_label or output_name
        self.nodes = topological_order(output)
        self.gates = [n for n in self.nodes if n.op]
        self._position = {id(g): k for k, g in enumerate(self.gates)}
        self.leaves = [n for n in self.nodes if not n.op]
        self.consumers: dict[int, list[Value]] = {id(n): [] for n in self.nodes}
        for node in self.nodes:
            for inp in node.inputs:
                self.consumers[id(inp)].append(node)
        self._formulas: dict[int, str] = {}
        expression_of(output, self._formulas)
        self._names = {id(n): self._name(n) for n in self.nodes}
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        """Back to the start: only the inputs' values are known."""
        self.forward_done = 0
        self.backward_done = 0  # 0: not seeded; 1: output seeded; k + 1: k gates processed
        self.current: Value | None = None
        self.history: list[Step] = []
        self._wire_grads: dict[tuple[int, int], float] = {}
        self._received: dict[int, list[float]] = {}
        for node in self.nodes:
            node.grad = 0.0

    @property
    def phase(self) -> str:
        if self.forward_done < len(self.gates):
            return FORWARD
        return BACKWARD if self.backward_done < len(self.gates) + 1 else DONE

    def value_known(self, node: Value) -> bool:
        return not node.op or self._position[id(node)] < self.forward_done

    def grad_known(self, node: Value) -> bool:
        """Whether ``node``'s gradient is complete: every gate it feeds has passed it back."""
        if self.backward_done == 0:
            return False
        if node is self.output:
            return True
        return all(self._processed(c) for c in self.consumers[id(node)])

    def wire_grad(self, gate: Value, slot: int) -> float | None:
        """The gradient ``gate`` has sent back along its input ``slot`` (None: not yet)."""
        return self._wire_grads.get((id(gate), slot))

    def received(self, node: Value) -> list[float]:
        """The gradients that have reached ``node`` so far, one per gate it feeds."""
        return list(self._received.get(id(node), []))

    def name(self, node: Value) -> str:
        return self._names[id(node)]

    def kinks(self) -> list[Value]:
        """Gates evaluated exactly where they have no derivative (relu or abs at 0, a max or
        min tie): there a centred difference averages the two sides and backprop picks one."""
        found = []
        for gate in self.gates:
            x = gate.inputs[0].data
            if ((gate.op in ("relu", "abs") and x == 0)
                    or (gate.op in ("max", "min") and x == gate.inputs[1].data)
                    or (gate.op in ("maxc", "minc") and x == gate.const)):
                found.append(gate)
        return found

    def _processed(self, gate: Value) -> bool:
        """Whether the backward pass has applied the chain rule at ``gate`` yet."""
        done = self.backward_done - 1  # gates processed after the seed
        return done > 0 and self._position[id(gate)] >= len(self.gates) - done

    # ------------------------------------------------------------------ steps
    def step(self) -> Step | None:
        """The next step, forward first; None when both passes are done."""
        if self.phase == FORWARD:
            return self.step_forward()
        if self.phase == BACKWARD:
            return self.step_backward()
        return None

    def step_forward(self) -> Step | None:
        """Compute (reveal) the next gate's output; None when the forward pass is done."""
        if self.forward_done >= len(self.gates):
            return None
        gate = self.gates[self.forward_done]
        self.forward_done += 1
        return self._record(gate, FORWARD, self._forward_text(gate))

    def step_backward(self) -> Step | None:
        """Seed the output, then apply the chain rule at one gate; None if not possible yet
        (the forward pass is unfinished) or the backward pass is done."""
        if self.phase != BACKWARD:
            return None
        if self.backward_done == 0:
            self.backward_done = 1
            self.output.grad = self.seed
            return self._record(self.output, BACKWARD, self._seed_text())
        gate = self.gates[-self.backward_done]  # reverse topological order
        before = {id(inp): len(self._received.get(id(inp), [])) for inp in gate.inputs}
        gate.backward_step()
        for slot, (inp, local) in enumerate(zip(gate.inputs, gate.local_grads, strict=True)):
            self._wire_grads[(id(gate), slot)] = local * gate.grad
            self._received.setdefault(id(inp), []).append(local * gate.grad)
        self.backward_done += 1
        text = self._backward_text(gate)
        notes = [self._fan_in_text(inp) for inp in dict.fromkeys(gate.inputs)
                 if before[id(inp)] + gate.inputs.count(inp) > 1]
        return self._record(gate, BACKWARD, " ".join([text, *notes]))

    def run_forward(self) -> None:
        while self.step_forward() is not None:
            pass

    def run_backward(self) -> None:
        """Finish both passes."""
        while self.step() is not None:
            pass

    def _record(self, node: Value, phase: str, text: str) -> Step:
        self.current = node
        step = Step(node, phase, text)
        self.history.append(step)
        return step

    # ------------------------------------------------------------------ words
    def _name(self, node: Value) -> str:
        """A leaf's name, a short gate's formula in parentheses, else "(exp output)"."""
        if node is self.output:
            return self.output_name
        if not node.op:
            return node.name or fmt(node.data)
        text = self._formulas[id(node)]
        if len(text) > _SHORT:
            short = self._short_sum(node) or _RESULT_NAMES.get(node.op, f"{node.label} output")
            return f"({short})"
        head = text[: text.find("(")]
        call = text.endswith(")") and head.isidentifier() and text.count("(") == 1
        return text if call else f"({text})"

    def _short_sum(self, node: Value) -> str | None:
        """A long sum by its first and last terms, "w1·a1 + … + b", when that is short."""
        if node.op != "+":
            return None
        terms: list[Value] = []
        stack = [node]
        while stack:
            item = stack.pop()
            if item.op == "+":
                stack.extend(reversed(item.inputs))
            else:
                terms.append(item)
        text = f"{self._formulas[id(terms[0])]} + … + {self._formulas[id(terms[-1])]}"
        return text if len(text) <= _SHORT else None

    def _d(self, node: Value) -> str:
        return f"∂{self.output_name}/∂{self.name(node)}"

    def _seed_text(self) -> str:
        if self.output_name == "f":
            return (f"Backward starts at the output: ∂f/∂f = {fmt(self.seed)}. Each gate "
                    "then multiplies the gradient from above by its local gradient.")
        return (f"Backward starts with what the loss sends back for this point: "
                f"∂{self.output_name}/∂(output) = {fmt(self.seed)}. Each gate then multiplies "
                "it by its local gradient.")

    def _forward_text(self, gate: Value) -> str:
        values = [fmt(inp.data) for inp in gate.inputs]
        out = fmt(gate.data)
        if len(gate.inputs) == 2:
            kind = GATE_NAMES.get(gate.op, gate.op)
            a, b = (self.name(i) for i in gate.inputs)
            if gate.op in ("max", "min"):
                return f"{kind} gate: {gate.op}({a}, {b}) = {gate.op}({values[0]}, " \
                       f"{values[1]}) = {out}"
            sym = {"*": "·", "-": "−"}.get(gate.op, gate.op)
            formula = self._formulas[id(gate)]
            if len(formula) > 2 * _SHORT:
                formula = f"{a} {sym} {b}"
            return (f"{kind} gate: {formula} = {values[0]} {sym} {par(gate.inputs[1].data)}"
                    f" = {out}")
        x = gate.inputs[0].data
        if gate.op == "neg":
            return f"*-1 gate: −1 · {par(x)} = {out}"
        operator = gate.op in ("pow", "rpowc") or (gate.op in _PRECEDENCE and gate.op != "addc")
        operand = Value(x, name=par(x) if operator else fmt(x))
        shown = expression_of(_like(gate, operand))
        return f"{gate.label} gate: {shown} = {out}"

    def _backward_text(self, gate: Value) -> str:
        up, pup = fmt(gate.grad), par(gate.grad)
        grads = [self.wire_grad(gate, k) for k in range(len(gate.inputs))]
        ds = [self._d(inp) for inp in gate.inputs]
        vals = [fmt(inp.data) for inp in gate.inputs]
        names = [self.name(inp) for inp in gate.inputs]
        op = gate.op
        if op == "+":
            return (f"add gate distributes: it passes the upstream gradient {up} unchanged to "
                    f"both inputs: {ds[0]} = {ds[1]} = {up}.")
        if op == "-":
            return (f"subtract gate: the first input gets the upstream gradient, the second "
                    f"its negative: {ds[0]} = {up}, {ds[1]} = {fmt(grads[1])}.")
        if op == "*":
            return (f"mul gate swaps its inputs: {ds[0]} = {names[1]} · upstream = {vals[1]} · "
                    f"{pup} = {fmt(grads[0])}; {ds[1]} = {names[0]} · upstream = {vals[0]} · "
                    f"{pup} = {fmt(grads[1])}.")
        if op == "/":
            return (f"divide gate: {ds[0]} = upstream / {names[1]} = {up} / "
                    f"{par(gate.inputs[1].data)} = {fmt(grads[0])}; {ds[1]} = "
                    f"−{names[0]}/{names[1]}² · upstream = −{par(gate.inputs[0].data)}/"
                    f"{par(gate.inputs[1].data)}² · {pup} = {fmt(grads[1])}.")
        if op in ("max", "min"):
            winner = 0 if gate.local_grads[0] else 1
            word = "larger" if op == "max" else "smaller"
            rel = ">" if op == "max" else "<"
            if gate.inputs[0].data == gate.inputs[1].data:
                return (f"{op} gate: a tie, both inputs are {vals[0]}; it routes the whole "
                        f"gradient to the first: {ds[0]} = upstream = {up} and {ds[1]} = 0.")
            return (f"{op} gate routes the gradient to the {word} input: {names[winner]} = "
                    f"{vals[winner]} {rel} {names[1 - winner]} = {vals[1 - winner]}, so "
                    f"{ds[winner]} = upstream = {up} and {ds[1 - winner]} = 0.")
        local = fmt(gate.local_grads[0])
        p, x_value = gate.const or 0.0, gate.inputs[0].data
        d, g, x = ds[0], fmt(grads[0]), vals[0]
        if op in ("maxc", "minc"):
            passes = gate.local_grads[0] != 0
            return (f"{gate.label} gate routes like a max gate: {names[0]} = {x} "
                    f"{'wins' if passes else 'loses to the constant'}, so {d} = "
                    f"{up if passes else '0'}.")
        if op == "relu":
            if gate.local_grads[0]:
                return (f"relu gate passes the gradient where its input is positive: {x} > 0, "
                        f"so {d} = upstream = {up}.")
            return f"relu gate blocks the gradient: its input {x} ≤ 0, so {d} = 0."
        why = {"addc": "adding a constant passes the gradient through unchanged",
               "mulc": "multiplying by a constant scales the gradient by it",
               "neg": "multiplying by −1 flips the gradient's sign",
               "divc": "dividing by a constant divides the gradient by it",
               "rsubc": "subtracting from a constant flips the gradient's sign",
               "inv": f"local gradient −1/x² = −1/({x})² = {local}",
               "rdivc": f"local gradient −c/x² = {local}",
               "pow": f"local gradient {fmt(p)}·x{power(p - 1)} = {fmt(p)} · {par(x_value)}"
                      f"{power(p - 1)} = {local}",
               "exp": f"local gradient eˣ = {local}, its own output",
               "rpowc": f"local gradient {fmt(p)}ˣ·ln {fmt(p)} = {fmt(gate.data)} · "
                        f"{fmt(math.log(p)) if p > 0 else '?'} = {local}",
               "log": f"local gradient 1/x = 1/{x} = {local}",
               "sigmoid": f"local gradient σ(x)(1 − σ(x)) = {fmt(gate.data)} · "
                          f"{fmt(1 - gate.data)} = {local}",
               "tanh": f"local gradient 1 − tanh²(x) = 1 − {fmt(gate.data)}² = {local}",
               "abs": f"local gradient sign(x) = {local}"}.get(op)
        if why is None:
            formula = acts.ACTIVATIONS[op].formula if op in acts.ACTIVATIONS else gate.label
            why = f"the local gradient of {formula} at {x} is {local}"
        return f"{gate.label} gate: {why}: {d} = {local} · upstream = {local} · {pup} = {g}."

    def _fan_in_text(self, node: Value) -> str:
        got = self.received(node)
        uses = self.consumers[id(node)]
        gates = len({id(g) for g in uses})
        total = f"{' + '.join(par(g) for g in got)} = {fmt(node.grad)}"
        so_far = "so far " if len(got) < len(uses) else ""
        how = (f"feeds {_count(gates)} gates" if gates == len(uses)
               else f"is used {_count(len(uses))} times")
        return f"{self.name(node)} {how}: its gradients add up, {so_far}{total}."


def _count(n: int) -> str:
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if n < len(words) else str(n)


def _like(gate: Value, operand: Value) -> Value:
    """A copy of one-input ``gate`` applied to ``operand`` (to print it with the numbers)."""
    return Value(gate.data, op=gate.op, label=gate.label, inputs=(operand,),
                 local_grads=gate.local_grads, const=gate.const)
