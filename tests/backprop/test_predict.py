"""Predict first: questions, tolerance, hints, the score, reveal."""

import pytest

from playground.backprop.lecture import build, by_key
from playground.backprop.predict import Quiz
from playground.backprop.walkthrough import BACKWARD, DONE, Walkthrough


def quiz(key: str = "add-mul") -> Quiz:
    return Quiz(Walkthrough(build(by_key(key))[0]))


def test_a_right_answer_takes_the_step_and_a_wrong_one_gets_the_rule():
    q = quiz()
    question = q.question()
    assert question.prompt == "Forward: q = x + y = ?" and question.answer == 3
    wrong = q.answer("7")
    assert not wrong.right and wrong.step is None
    assert "must be within ±0.03" in wrong.text
    assert "add gate: x + y = −2 + 5" in wrong.text and "= 3" not in wrong.text
    right = q.answer("3.01")
    assert right.right and right.step.text == "add gate: x + y = −2 + 5 = 3"
    assert q.score == (0, 1)
    assert q.answer("−12").right and q.score == (1, 2)
    assert q.walk.phase == BACKWARD


def test_backward_asks_for_each_input_of_a_gate():
    q = quiz()
    q.answer("3")
    q.answer("-12")
    assert q.question().prompt == "Backward starts at the output: ∂f/∂f = ?"
    assert q.answer("1").right
    first = q.question()
    assert first.prompt == "Backward: the mul gate sends ∂f/∂q = ?" and first.answer == -4
    verdict = q.answer("4")
    assert "Rule: the mul gate swaps its inputs" in verdict.text
    assert "the local gradient for q is z = −4" in verdict.text
    assert q.answer("-4").step is None          # one of two numbers of the step
    assert q.answered() == {0: -4.0}
    assert q.question().prompt == "Backward: the mul gate sends ∂f/∂z = ?"
    assert q.answer("3 * 1").step is not None
    assert q.score == (4, 5)


def test_reveal_one_and_reveal_all():
    q = quiz("staged")
    revealed = q.reveal()
    assert revealed.text == "Revealed: Forward: sigy = σ(y) = 0.018." and revealed.step
    assert q.score == (0, 1)
    q.reveal_all()
    assert q.walk.phase == DONE and q.question() is None
    assert q.score == (0, len(q.walk.gates) + 1 + 12)   # 12 backward lines


def test_a_step_taken_back_keeps_its_first_verdict():
    q = quiz()
    q.answer("5")
    q.answer("3")
    q.walk.step_back()
    assert q.question().prompt == "Forward: q = x + y = ?"
    q.answer("3")
    assert q.score == (0, 1)


def test_tolerance_is_relative_with_a_floor_near_zero():
    q = quiz("staged")
    q.reveal_all()
    q.walk.goto(len(q.walk.history) - 1)       # y's last += from σ(y): 0.00905
    question = q.question()
    assert question.answer == pytest.approx(0.00905, abs=1e-5)
    assert question.tolerance == pytest.approx(1e-3)
    assert q.answer("0.009").right


def test_a_neurons_seed_comes_from_the_loss_and_is_not_asked():
    from playground.backprop.expressions import from_expression

    out, _ = from_expression("tanh(w * x + b)", {"w": 0.5, "x": 2.0, "b": -0.1})
    q = Quiz(Walkthrough(out, seed=-0.25, output_name="L"))
    for _ in range(3):
        q.reveal()
    assert q.question() is None and q.take_unasked().node is out
    assert q.question().prompt.startswith("Backward: the tanh gate sends ∂L/∂")


def test_answers_that_are_not_numbers_say_so():
    q = quiz()
    verdict = q.answer("three")
    assert not verdict.right and verdict.text.startswith("Type a number")
    assert q.score == (0, 0)
