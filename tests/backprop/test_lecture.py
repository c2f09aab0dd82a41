"""Every preset gives the numbers the backprop lecture prints."""

import math

import pytest

from playground.backprop.expressions import numeric_gradients
from playground.backprop.graph import topological_order
from playground.backprop.lecture import PRESETS, Preset, build, by_key


def grads(key):
    out, inputs = build(by_key(key))
    out.backward()
    return out, {name: v.grad for name, v in inputs.items()}


def test_add_mul():
    out, g = grads("add-mul")
    assert out.data == -12
    assert g == {"x": -4, "y": -4, "z": 3}


@pytest.mark.parametrize("key", ["sigmoid-gates", "sigmoid-gate"])
def test_sigmoid_neuron_as_the_lecture_prints_it(key):
    out, g = grads(key)
    assert round(out.data, 3) == 0.731
    assert out.data == pytest.approx(0.7310585786300049, abs=1e-15)
    assert [round(g[k], 3) for k in ("x0", "x1")] == [0.393, -0.590]
    assert [round(g[k], 3) for k in ("w0", "w1", "w2")] == [-0.197, -0.393, 0.197]


def test_sigmoid_neuron_gate_by_gate_equals_one_sigmoid_gate():
    gates, g1 = grads("sigmoid-gates")
    single, g2 = grads("sigmoid-gate")
    assert abs(gates.data - single.data) < 1e-12
    assert all(abs(g1[k] - g2[k]) < 1e-12 for k in g1)
    labels = [n.label for n in topological_order(gates) if n.inputs]
    assert labels == ["*", "*", "+", "+", "*−1", "exp", "+1", "1/x"]
    assert [n.label for n in topological_order(single) if n.inputs] == ["*", "*", "+", "+", "σ"]


def test_staged_example_matches_numeric_and_closed_form():
    preset = by_key("staged")
    out, g = grads("staged")
    numeric = numeric_gradients(preset.expression, preset.values)
    for name in ("x", "y"):
        assert abs(g[name] - numeric[name]) / abs(numeric[name]) < 1e-7

    def sig(t):
        return 1 / (1 + math.exp(-t))

    x, y = 3.0, -4.0
    num, den = x + sig(y), sig(x) + (x + y) ** 2
    assert out.data == pytest.approx(num / den, rel=1e-14)
    dx = (den - num * (sig(x) * (1 - sig(x)) + 2 * (x + y))) / den**2
    dy = (sig(y) * (1 - sig(y)) * den - num * 2 * (x + y)) / den**2
    assert g["x"] == pytest.approx(dx, rel=1e-12)
    assert g["y"] == pytest.approx(dy, rel=1e-12)


def test_add_mul_max_gates():
    out, g = grads("max-gate")
    assert out.data == -20
    assert g == {"x": -8, "y": 6, "z": 2, "w": 0}


def test_value_used_twice():
    out, g = grads("used-twice")
    assert out.data == -3
    assert g == {"x": -1, "y": 3}


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_every_preset_agrees_with_its_numeric_check(preset):
    out, inputs = build(preset)
    out.backward()
    numeric = numeric_gradients(preset.expression, preset.values)
    assert list(numeric) == list(inputs)
    for name, value in numeric.items():
        assert inputs[name].grad == pytest.approx(value, rel=1e-6, abs=1e-9)
    assert preset.title and preset.note and preset.intro


def test_the_staged_example_is_staged_as_the_lecture_stages_it():
    out, _ = build(by_key("staged"))
    gates = [n for n in topological_order(out) if n.inputs]
    assert [(g.name, g.label) for g in gates] == [
        ("sigy", "σ"), ("num", "+"), ("sigx", "σ"), ("xpy", "+"), ("xpysqr", "**2"),
        ("den", "+"), ("invden", "1/x"), ("f", "*")]


def test_presets_are_read_only_and_unique():
    assert len({p.key for p in PRESETS}) == len(PRESETS)
    with pytest.raises(TypeError):
        PRESETS[0].values["x"] = 1.0
    assert isinstance(hash(PRESETS[0]), int)
    custom = Preset("k", "t", "x * 2", {"x": 1.0})
    assert build(custom)[0].data == 2.0


def test_unknown_preset_key():
    with pytest.raises(KeyError, match="add-mul"):
        by_key("nope")
