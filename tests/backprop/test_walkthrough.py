"""Stepping through the lecture's graphs: order, numbers, and the rule stated at each gate."""

from itertools import pairwise

import pytest

from playground.backprop.expressions import from_expression, numeric_gradients
from playground.backprop.formulas import expression_of
from playground.backprop.graph import topological_order
from playground.backprop.graph_layout import layout_graph
from playground.backprop.lecture import PRESETS, build, by_key
from playground.backprop.number_format import fmt
from playground.backprop.walkthrough import BACKWARD, DONE, FORWARD, Walkthrough


def walk(key: str) -> tuple[Walkthrough, dict]:
    out, inputs = build(by_key(key))
    return Walkthrough(out), inputs


def test_add_mul_step_by_step_with_the_lectures_numbers():
    w, inputs = walk("add-mul")
    assert w.phase == FORWARD
    assert [w.value_known(n) for n in w.gates] == [False, False]
    first = w.step()
    assert first.text == "add gate: x + y = −2 + 5 = 3"
    assert w.value_known(w.gates[0]) and not w.value_known(w.output)
    assert w.step().text == "mul gate: q·z = 3 · (−4) = −12"
    assert w.phase == BACKWARD
    seed = w.step()
    assert seed.node is w.output and "∂f/∂f = 1" in seed.text
    assert w.output.grad == 1 and w.grad_known(w.output) and not w.grad_known(inputs["z"])
    mul = w.step()
    assert mul.text == ("mul gate swaps its inputs: ∂f/∂q = z · upstream = −4 · 1 = −4; "
                        "∂f/∂z = q · upstream = 3 · 1 = 3.")
    assert inputs["z"].grad == 3 and w.grad_known(inputs["z"])
    assert w.wire_grad(w.output, 0) == -4 and w.wire_grad(w.output, 1) == 3
    add = w.step()
    assert add.text.startswith("add gate distributes")
    assert "∂f/∂x = ∂f/∂y = −4" in add.text
    assert {k: v.grad for k, v in inputs.items()} == {"x": -4, "y": -4, "z": 3}
    assert w.phase == DONE and w.step() is None


def test_forward_is_topological_and_backward_its_reverse():
    for preset in PRESETS:
        out, _ = build(preset)
        w = Walkthrough(out)
        forward = [w.step_forward().node for _ in w.gates]
        assert forward == [n for n in topological_order(out) if n.op]
        assert w.step_forward() is None
        w.step_backward()  # the seed
        backward = [w.step_backward().node for _ in w.gates]
        assert backward == forward[::-1]
        assert w.step_backward() is None


def test_each_gate_only_runs_after_everything_it_feeds():
    out, _ = build(by_key("staged"))
    w = Walkthrough(out)
    w.run_forward()
    w.step_backward()
    done: list = []
    while (step := w.step_backward()) is not None:
        assert all(consumer in done for consumer in w.consumers[id(step.node)])
        done.append(step.node)


def test_backward_waits_for_the_forward_pass():
    w, _ = walk("add-mul")
    w.step_forward()
    assert w.step_backward() is None
    assert w.output.grad == 0


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_walkthrough_gives_the_same_gradients_as_backward_and_numeric(preset):
    out, inputs = build(preset)
    w = Walkthrough(out)
    w.run_backward()
    stepped = {k: v.grad for k, v in inputs.items()}
    out.backward()
    assert stepped == {k: v.grad for k, v in inputs.items()}
    numeric = numeric_gradients(preset.expression, preset.values)
    for name, grad in stepped.items():
        assert grad == pytest.approx(numeric[name], rel=1e-6, abs=1e-9)


def test_sigmoid_neuron_gates_and_numbers():
    w, inputs = walk("sigmoid-gates")
    texts = []
    while (step := w.step()) is not None:
        texts.append(step.text)
    assert texts[:8] == [
        "mul gate: w0·x0 = 2 · (−1) = −2",
        "mul gate: w1·x1 = −3 · (−2) = 6",
        "add gate: w0·x0 + w1·x1 = −2 + 6 = 4",
        "add gate: w0·x0 + w1·x1 + w2 = 4 + (−3) = 1",
        "*−1 gate: −1 · 1 = −1",
        "exp gate: exp(−1) = 0.368",
        "+1 gate: 0.368 + 1 = 1.37",
        "1/x gate: 1/1.37 = 0.731",
    ]
    assert "local gradient −1/(exp(−dot) + 1)² = −1/(1.37)² = −0.534" in texts[9]
    assert "adding a constant passes the gradient through unchanged" in texts[10]
    assert "local gradient exp(−dot) = 0.368, its own output" in texts[11]
    assert "flips the gradient's sign" in texts[12]
    assert [fmt(inputs[k].grad) for k in ("x0", "x1", "w0", "w1", "w2")] == \
        ["0.393", "−0.59", "−0.197", "−0.393", "0.197"]


def test_single_sigmoid_gate_states_its_local_gradient():
    w, _ = walk("sigmoid-gate")
    w.run_forward()
    w.step_backward()
    sigma = w.step_backward()
    assert sigma.text.startswith(
        "σ gate: local gradient σ(dot)(1 − σ(dot)) = 0.731 · 0.269 = 0.197: ∂f/∂dot = 0.197")


def test_max_gate_routes_to_the_larger_input():
    w, inputs = walk("max-gate")
    w.run_backward()
    text = next(s.text for s in w.history if s.node.op == "max" and s.phase == BACKWARD)
    assert text == ("max gate routes the gradient to the larger input: z = 2 > w = −1, so "
                    "∂f/∂z = upstream = 2 and ∂f/∂w = 0.")
    assert inputs["w"].grad == 0 and inputs["z"].grad == 2


def test_a_value_used_twice_adds_its_gradients_and_says_so():
    w, inputs = walk("used-twice")
    w.run_forward()
    w.step_backward()
    add = w.step_backward()
    assert not w.grad_known(inputs["x"])          # only one of its two gates is done
    assert w.received(inputs["x"]) == [1.0]
    assert "feeds" not in add.text
    mul = w.step_backward()
    assert mul.text.endswith("x feeds two gates, so its gradients add up: dx = 1, += −2 → −1.")
    assert w.grad_known(inputs["x"]) and inputs["x"].grad == -1


def test_staged_example_counts_contributions_so_far():
    w, _ = walk("staged")
    w.run_backward()
    notes = [s.text for s in w.history if "x feeds three gates" in s.text]
    assert notes[0].endswith("dx = 1.58, += −0.0358 → 1.55 so far, one more to come.")
    assert notes[-1].endswith("dx = 1.55, += 0.512 → 2.06.")
    assert w.history[-1].text.endswith("y feeds two gates, so its gradients add up: "
                                       "dy = 1.58, += 0.00905 → 1.59.")


def test_the_staged_example_names_its_stages_and_writes_sigma_y_with_y():
    w, _ = walk("staged")
    w.run_backward()
    texts = [s.text for s in w.history]
    assert texts[1] == "add gate: x + sigy = 3 + 0.018 = 3.02"
    assert texts[7] == "mul gate: num·invden = 3.02 · 0.512 = 1.55"
    assert texts[10].startswith("1/x gate: local gradient −1/den² = −1/(1.95)² = −0.262")
    sigma_y = texts[-1]
    assert sigma_y.startswith("σ gate: local gradient σ(y)(1 − σ(y)) = 0.018 · 0.982 = 0.0177")
    assert "σ(x)" not in sigma_y
    assert "σ(x)(1 − σ(x))" in next(t for t in texts if t.startswith("σ gate") and "∂f/∂x" in t)


def test_a_step_back_replays_the_pass_one_step_short():
    w, inputs = walk("staged")
    w.run_backward()
    finished = [s.text for s in w.history]
    assert w.step_back() and w.phase == BACKWARD
    assert [s.text for s in w.history] == finished[:-1]
    assert w.received(inputs["y"]) == [pytest.approx(1.583, abs=1e-3)]
    assert not w.grad_known(inputs["y"]) and w.grad_known(inputs["x"])
    w.goto(3)
    assert w.phase == FORWARD and w.forward_done == 3 and w.output.grad == 0
    assert w.step_back() and w.step_back() and w.step_back() and not w.step_back()
    assert w.history == [] and w.current is None
    w.goto(10_000)
    assert w.phase == DONE and [s.text for s in w.history] == finished


def test_reset_forgets_everything():
    w, _ = walk("add-mul")
    w.run_backward()
    w.reset()
    assert w.phase == FORWARD and w.current is None and w.history == []
    assert all(n.grad == 0 for n in w.nodes)
    assert w.wire_grad(w.output, 0) is None


def test_neuron_seed_names_the_loss():
    out, _ = from_expression("tanh(w * x + b)", {"w": 0.5, "x": 2.0, "b": -0.1})
    w = Walkthrough(out, seed=-0.25, output_name="L")
    w.run_forward()
    assert "∂L/∂(output) = −0.25" in w.step_backward().text
    assert out.grad == -0.25
    assert "∂L/∂(w·x + b)" in w.step_backward().text


@pytest.mark.parametrize("text, expected", [
    ("(x + y) * z", "(x + y)·z"),
    ("x - (y - z)", "x − (y − z)"),
    ("x / (y * z)", "x / (y·z)"),
    ("(x * y) ** 2", "(x·y)²"),
    ("x ** 0.5 + 1", "x^0.5 + 1"),
    ("2 - x", "2 − x"),
    ("max(x, 0) + min(y, z)", "max(x, 0) + min(y, z)"),
    ("relu(x) - 3", "relu(x) − 3"),
    ("2 ** (x + 1)", "2^(x + 1)"),
])
def test_expression_of_rewrites_the_graph_as_a_formula(text, expected):
    out, _ = from_expression(text, {"x": 2.0, "y": 3.0, "z": 5.0})
    assert expression_of(out) == expected


def test_fmt_prints_like_the_lecture():
    assert [fmt(v) for v in (-12.0, 0.7310585, -0.5898, 0.0, 2e-5, 12345.0)] == \
        ["−12", "0.731", "−0.59", "0", "2e−5", "1.23e4"]
    assert [fmt(v) for v in (-1000.0, 2.94423e-05, 1e9, 1234.5, 9.9996, 0.00905)] == \
        ["−1000", "2.94e−5", "1e9", "1234", "10", "0.00905"]


def test_layout_puts_inputs_left_and_each_gate_right_of_its_inputs():
    for preset in PRESETS:
        out, _ = build(preset)
        layout = layout_graph(out)
        col = dict(zip(map(id, layout.nodes), layout.columns, strict=True))
        for node in layout.nodes:
            if node.op:
                assert all(col[id(i)] < col[id(node)] for i in node.inputs)
            else:
                assert col[id(node)] == 0
        assert col[id(out)] == layout.column_count - 1
        for column in set(layout.columns):
            rows = sorted(r for r, c in zip(layout.rows, layout.columns, strict=True)
                          if c == column)
            assert all(b - a >= 1 for a, b in pairwise(rows))
        assert len(layout.wires) == sum(len(n.inputs) for n in layout.nodes)


def test_layout_of_the_sigmoid_neuron_is_a_chain_after_the_dot_product():
    out, _ = build(by_key("sigmoid-gates"))
    layout = layout_graph(out)
    assert layout.column_count == 8
    assert [n.name for n in layout.nodes if not n.op] == ["w0", "x0", "w1", "x1", "w2"]


def test_one_gate_using_a_value_twice_and_a_max_tie_are_worded_for_what_they_are():
    out, _ = from_expression("x * x", {"x": 3.0})
    w = Walkthrough(out)
    w.run_backward()
    assert w.history[-1].text.endswith("x is used two times, so its gradients add up: "
                                       "dx = 3, += 3 → 6.")
    out, _ = from_expression("max(x, y)", {"x": 1.0, "y": 1.0})
    w = Walkthrough(out)
    w.run_backward()
    assert w.history[-1].text == ("max gate: a tie, both inputs are 1; it routes the whole "
                                  "gradient to the first: ∂f/∂x = upstream = 1 and ∂f/∂y = 0.")


def test_a_constant_to_the_x_states_its_local_gradient():
    out, inputs = from_expression("2 ** x", {"x": 3.0})
    w = Walkthrough(out)
    assert w.step().text == "2^x gate: 2^3 = 8"
    w.run_backward()
    assert w.history[-1].text.startswith("2^x gate: local gradient 2^x·ln 2 = 8 · 0.693 = 5.55")
    assert inputs["x"].grad == pytest.approx(8 * 0.6931471805599453)


def test_kinks_are_the_gates_sitting_where_they_have_no_derivative():
    out, _ = from_expression("relu(x) + max(y, z) + abs(z - 1) + max(x, 2)",
                             {"x": 0.0, "y": 1.0, "z": 1.0})
    w = Walkthrough(out)
    assert sorted(g.op for g in w.kinks()) == ["abs", "max", "relu"]
