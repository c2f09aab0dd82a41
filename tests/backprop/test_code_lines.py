"""The lecture's code beside the graph: the staged example comes out line for line."""

from playground.backprop.code_lines import code_lines, current_key, step_key
from playground.backprop.expressions import from_expression
from playground.backprop.lecture import build, by_key
from playground.backprop.walkthrough import Walkthrough

LECTURE_FORWARD = [
    "sigy = 1.0 / (1 + math.exp(-y))",
    "num = x + sigy",
    "sigx = 1.0 / (1 + math.exp(-x))",
    "xpy = x + y",
    "xpysqr = xpy**2",
    "den = sigx + xpysqr",
    "invden = 1.0 / den",
    "f = num * invden",
]
LECTURE_BACKWARD = [
    "dnum = invden",
    "dinvden = num",
    "dden = (-1.0 / (den**2)) * dinvden",
    "dsigx = (1) * dden",
    "dxpysqr = (1) * dden",
    "dxpy = (2 * xpy) * dxpysqr",
    "dx = (1) * dxpy",
    "dy = (1) * dxpy",
    "dx += ((1 - sigx) * sigx) * dsigx",
    "dx += (1) * dnum",
    "dsigy = (1) * dnum",
    "dy += ((1 - sigy) * sigy) * dsigy",
]


def staged() -> Walkthrough:
    return Walkthrough(build(by_key("staged"))[0])


def test_the_staged_example_is_the_lectures_code():
    lines = code_lines(staged())
    texts = [line.text for line in lines]
    assert texts[:2] == ["x = 3", "y = -4"]
    forward = [line.text.split("  #")[0] for line in lines if line.step
               and line.step[0] == "forward"]
    assert forward == LECTURE_FORWARD
    backward = [line.text for line in lines if line.step and line.step[0] == "backward"
                and not line.text.startswith("#")]
    assert backward == LECTURE_BACKWARD
    assert "# backprop (8): f = num * invden" in texts


def test_each_step_owns_its_lines():
    walk = staged()
    lines = code_lines(walk)
    keys = [step_key(walk, k) for k in range(walk.total_steps)]
    assert keys[0] == ("forward", 0) and keys[8] == ("seed", 0) and keys[9] == ("backward", 7)
    assert keys[-1] == ("backward", 0)
    for key in keys:
        assert any(line.step == key for line in lines)
    assert current_key(walk) is None
    walk.goto(11)
    assert [line.text for line in lines if line.step == current_key(walk)] == [
        "# backprop (7): invden = 1.0 / den", "dden = (-1.0 / (den**2)) * dinvden"]


def test_a_neuron_seeds_with_the_loss_and_unnamed_gates_get_t_names():
    out, _ = from_expression("tanh(w * x + b)", {"w": 0.5, "x": 2.0, "b": -0.1})
    walk = Walkthrough(out, seed=-0.25, output_name="L")
    texts = [line.text for line in code_lines(walk)]
    assert "t1 = w * x  # (1)" in texts and "a = math.tanh(t2)  # (3)" in texts
    assert "da = -0.25  # ∂L/∂a, from the loss" in texts
    assert "dt2 = (1 - a**2) * da" in texts
