"""Predict first: the walkthrough's next number stays hidden until the student has typed it.

A :class:`Quiz` asks for what the next step would reveal: a gate's output going forward,
∂f/∂f = 1 at the seed, and going backward the gradient the gate sends to each of its inputs
(a mul gate asks twice). An answer counts when it is within the shown tolerance; a wrong one
gets the rule with its numbers, but not the result, and may be tried again. Once every number
of a step is answered (or revealed) the step is taken. The score counts the questions answered
right at the first try; a step taken back and asked again keeps its first verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playground.backprop import rules
from playground.backprop.expressions import ExpressionError, evaluate_number
from playground.backprop.graph import Value
from playground.backprop.number_format import fmt, parse_number
from playground.backprop.walkthrough import BACKWARD, DONE, FORWARD, Step, Walkthrough

RELATIVE = 0.01
"""An answer within 1 % of the truth counts (three significant digits are enough)."""
ABSOLUTE = 1e-3
"""… or within 0.001, so that an answer near zero need not be exact."""


@dataclass(frozen=True)
class Question:
    """One hidden number: ``gate``'s output (``slot`` None) or what it sends back along its
    input ``slot``; ``step`` is the walkthrough step it belongs to."""

    step: int
    gate: Value
    slot: int | None
    prompt: str
    answer: float
    hint: str

    @property
    def tolerance(self) -> float:
        return max(RELATIVE * abs(self.answer), ABSOLUTE)

    def accepts(self, value: float) -> bool:
        return abs(value - self.answer) <= self.tolerance * (1 + 1e-9)


@dataclass(frozen=True)
class Verdict:
    """What the student is told about an answer; ``step`` is the step taken, if one was."""

    right: bool
    text: str
    step: Step | None = None


def read_answer(text: str) -> float:
    """The number typed: "−0.036", "1,5" or arithmetic such as "0.0452 * -0.792"."""
    try:
        return parse_number(text)
    except ValueError:
        return evaluate_number(text)


@dataclass
class Quiz:
    """Predict-first over ``walk``: ask, check, reveal, and keep the score."""

    walk: Walkthrough
    first_tries: dict[tuple[int, int | None], bool] = field(default_factory=dict)
    _answered: dict[int | None, float] = field(default_factory=dict)
    _answered_step: int = -1

    # ------------------------------------------------------------ asking
    def questions(self) -> list[Question]:
        """Every number the next step reveals that a student can work out (none for a
        neuron's seed: that comes from the loss, not from the graph)."""
        walk = self.walk
        index = len(walk.history)
        if walk.phase == FORWARD:
            gate = walk.next_forward_gate()
            prompt = f"{walk.name(gate)} = {walk.formula(gate)} = ?" if gate.name else \
                f"{walk.formula(gate)} = ?"
            return [Question(index, gate, None, f"Forward: {prompt}", gate.data,
                             rules.forward_hint(walk, gate))]
        if walk.phase != BACKWARD:
            return []
        if walk.backward_done == 0:
            if walk.output_name != "f":
                return []
            return [Question(index, walk.output, None, "Backward starts at the output: "
                             "∂f/∂f = ?", walk.seed, "How much does f change when f itself "
                             "changes by a little? That ratio is where every chain starts.")]
        gate = walk.next_backward_gate()
        kind = rules.GATE_NAMES.get(gate.op, gate.label)
        return [Question(index, gate, slot, f"Backward: the {kind} gate sends "
                         f"{rules.d(walk, inp)} = ?", local * gate.grad,
                         rules.backward_hint(walk, gate, slot))
                for slot, (inp, local) in enumerate(zip(gate.inputs, gate.local_grads,
                                                        strict=True))]

    def _pending(self) -> list[Question]:
        if self._answered_step != len(self.walk.history):  # a new step, or a step back
            self._answered_step = len(self.walk.history)
            self._answered = {}
        return [q for q in self.questions() if q.slot not in self._answered]

    def question(self) -> Question | None:
        """The number to type next, None when the walkthrough is done or the next step asks
        nothing (see :meth:`take_unasked`)."""
        pending = self._pending()
        return pending[0] if pending else None

    def answered(self) -> dict[int | None, float]:
        """Numbers of the pending step already answered: slot → value."""
        self._pending()
        return dict(self._answered)

    def take_unasked(self) -> Step | None:
        """Take the next step if it asks no question (a neuron's seed)."""
        if self.walk.phase != DONE and not self.questions():
            return self.walk.step()
        return None

    # ------------------------------------------------------------ answering
    def answer(self, text: str) -> Verdict:
        """Check ``text`` against the current question."""
        question = self.question()
        if question is None:
            return Verdict(False, "Nothing to answer: the walkthrough is done.")
        try:
            value = read_answer(text)
        except (ExpressionError, ValueError) as exc:
            return Verdict(False, f"Type a number (or a product such as 3 * -4): {exc}")
        key = (question.step, question.slot)
        right = question.accepts(value)
        self.first_tries.setdefault(key, right)
        within = f"within ±{fmt(question.tolerance)}"
        if not right:
            return Verdict(False, f"✗ Not {fmt(value)}: the answer must be {within}. "
                                  f"{question.hint}")
        step = self._settle(question)
        return Verdict(True, f"✓ Right: {fmt(question.answer)} ({fmt(value)} is {within}).",
                       step)

    def reveal(self) -> Verdict | None:
        """Show the current question's answer (it counts as not answered right)."""
        question = self.question()
        if question is None:
            return None
        self.first_tries.setdefault((question.step, question.slot), False)
        step = self._settle(question)
        return Verdict(False, f"Revealed: {question.prompt.rstrip('?')}{fmt(question.answer)}.",
                       step)

    def reveal_all(self) -> None:
        """Both passes to the end, every remaining number revealed."""
        while self.walk.phase != DONE:
            if self.take_unasked() is None:
                self.reveal()

    def _settle(self, question: Question) -> Step | None:
        self._answered[question.slot] = question.answer
        if self._pending():
            return None
        step = self.walk.step()
        self._answered = {}
        self._answered_step = len(self.walk.history)
        return step

    # ------------------------------------------------------------ score
    @property
    def score(self) -> tuple[int, int]:
        """(right at the first try, asked)."""
        return sum(self.first_tries.values()), len(self.first_tries)
