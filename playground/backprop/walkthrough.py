"""Stepping through a gate graph one gate at a time, saying at each gate what rule it applies.

The graph's numbers are all computed when it is built; a :class:`Walkthrough` only decides how
much of them a student has seen. The forward pass reveals one gate's output at a time in
topological order. The backward pass really runs: it seeds the output's gradient, then calls
each gate's ``backward_step`` in reverse order, so a value used twice visibly collects its
gradients one ``+=`` at a time. Every step comes with its rule in words and numbers (see
:mod:`~playground.backprop.rules`), e.g. "mul gate swaps its inputs: ∂f/∂q = z · upstream =
−4 · 1 = −4". A step back replays the pass from the start, one step short.
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.backprop import rules
from playground.backprop.formulas import expression_of
from playground.backprop.graph import Value, topological_order
from playground.backprop.number_format import fmt

FORWARD, BACKWARD, DONE = "forward", "backward", "done"
_SHORT = 22  # longest sub-expression used as a node's name in the explanations
_RESULT_NAMES = {"+": "sum", "-": "difference", "*": "product", "/": "quotient"}


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
        return self._record(gate, FORWARD, rules.forward_text(self, gate))

    def step_backward(self) -> Step | None:
        """Seed the output, then apply the chain rule at one gate; None if not possible yet
        (the forward pass is unfinished) or the backward pass is done."""
        if self.phase != BACKWARD:
            return None
        if self.backward_done == 0:
            self.backward_done = 1
            self.output.grad = self.seed
            return self._record(self.output, BACKWARD, self._seed_text())
        gate = self.next_backward_gate()
        gate.backward_step()
        for slot, (inp, local) in enumerate(zip(gate.inputs, gate.local_grads, strict=True)):
            self._wire_grads[(id(gate), slot)] = local * gate.grad
            self._received.setdefault(id(inp), []).append(local * gate.grad)
        self.backward_done += 1
        return self._record(gate, BACKWARD, rules.backward_text(self, gate))

    def next_backward_gate(self) -> Value:
        """The gate the next backward step processes (after the seed): reverse order."""
        return self.gates[-self.backward_done]

    def next_forward_gate(self) -> Value:
        return self.gates[self.forward_done]

    @property
    def total_steps(self) -> int:
        """Forward gates, the seed, backward gates."""
        return 2 * len(self.gates) + 1

    def goto(self, count: int) -> None:
        """Replay the first ``count`` steps from the start: how a step back is taken, so the
        gradients that arrived by += are exactly those of the steps still taken."""
        count = max(0, min(count, self.total_steps))
        self.reset()
        while len(self.history) < count and self.step() is not None:
            pass

    def step_back(self) -> bool:
        """Undo the latest step; False if there is none."""
        if not self.history:
            return False
        self.goto(len(self.history) - 1)
        return True

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
    def formula(self, node: Value) -> str:
        """The formula that computes ``node`` (a named stage's inputs by their names)."""
        return self._formulas[id(node)]

    def _name(self, node: Value) -> str:
        """A leaf's or a named stage's name, a short gate's formula in parentheses, else
        "(exp output)"."""
        if node is self.output:
            return self.output_name
        if node.name:
            return node.name
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
            if item.op == "+" and not item.name:
                stack.extend(reversed(item.inputs))
            else:
                terms.append(item)
        first, last = (t.name or self._formulas[id(t)] for t in (terms[0], terms[-1]))
        text = f"{first} + … + {last}"
        return text if len(text) <= _SHORT else None

    def _seed_text(self) -> str:
        if self.output_name == "f":
            return (f"Backward starts at the output: ∂f/∂f = {fmt(self.seed)}. Each gate "
                    "then multiplies the gradient from above by its local gradient.")
        return (f"Backward starts with what the loss sends back for this point: "
                f"∂{self.output_name}/∂(output) = {fmt(self.seed)}. Each gate then multiplies "
                "it by its local gradient.")
