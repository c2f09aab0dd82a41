"""Optimizers against CS231n's update formulas, learning-rate schedules, state after surgery."""

import re

import numpy as np
import pytest

from playground.core import surgery
from playground.core.network import Network
from playground.core.optimizers import (
    EASE_RATE,
    OPTIMIZERS,
    SCHEDULES,
    Optimizer,
    Schedule,
    parse_schedule,
)

X0 = np.array([1.0, -2.0, 0.5, 3.0])
GRADS = [np.array([0.5, -1.0, 0.0, 2.0]),
         np.array([0.4, -0.2, 0.1, 1.5]),
         np.array([-0.3, 0.8, 0.0, 1.0]),
         np.array([0.2, 0.1, -0.7, -0.5]),
         np.array([0.1, -0.6, 0.3, 0.25])]
LR = 0.1


def _reference(name, x, grads, lr, mu=0.9, decay=0.99, beta1=0.9, beta2=0.999, eps=1e-8):
    """CS231n's formulas, written out step by step (RMSprop bias-corrected like Adam)."""
    x = x.copy()
    v = np.zeros_like(x)
    m = np.zeros_like(x)
    cache = np.zeros_like(x)
    trajectory = []
    for t, dx in enumerate(grads, start=1):
        if name == "sgd":
            x += -lr * dx
        elif name == "momentum":
            v = mu * v - lr * dx
            x += v
        elif name == "nesterov":
            v_prev = v
            v = mu * v - lr * dx
            x += -mu * v_prev + (1 + mu) * v
        elif name == "adagrad":
            cache += dx**2
            x += -lr * dx / (np.sqrt(cache) + eps)
        elif name == "rmsprop":   # bias-corrected as Adam's second moment (module docstring)
            cache = decay * cache + (1 - decay) * dx**2
            x += -lr * dx / (np.sqrt(cache / (1 - decay**t)) + eps)
        elif name == "adam":
            m = beta1 * m + (1 - beta1) * dx
            v = beta2 * v + (1 - beta2) * dx**2
            mt = m / (1 - beta1**t)
            vt = v / (1 - beta2**t)
            x += -lr * mt / (np.sqrt(vt) + eps)
        trajectory.append(x.copy())
    return trajectory


@pytest.mark.parametrize(("name", "hyper"), [
    ("sgd", {}),
    ("momentum", {}),
    ("momentum", {"momentum": 0.5}),
    ("nesterov", {}),
    ("nesterov", {"momentum": 0.7}),
    ("adagrad", {}),
    ("rmsprop", {}),
    ("rmsprop", {"decay": 0.9}),
    ("adam", {}),
    ("adam", {"beta1": 0.5, "beta2": 0.9}),
])
def test_optimizer_matches_cs231n_reference_for_five_steps(name, hyper):
    opt = Optimizer(name, **hyper)
    ref_hyper = {{"momentum": "mu"}.get(k, k): v for k, v in hyper.items()}
    expected = _reference(name, X0, GRADS, LR, **ref_hyper)
    x = X0.copy()
    for step, g in enumerate(GRADS):
        opt.step(x, g.copy(), LR)
        np.testing.assert_allclose(x, expected[step], rtol=1e-12, atol=1e-15,
                                   err_msg=f"{name} differs at step {step + 1}")


@pytest.mark.parametrize("name", [n for n in OPTIMIZERS if n != "sgd"])
def test_step_count_t_counts_every_step(name):
    opt = Optimizer(name)
    x = X0.copy()
    for g in GRADS:
        opt.step(x, g, LR)
    assert opt.t == len(GRADS)


def test_step_count_t_counts_every_step_for_sgd():
    opt = Optimizer("sgd")
    x = X0.copy()
    for g in GRADS:
        opt.step(x, g, LR)
    assert opt.t == len(GRADS)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_updates_in_place_and_leaves_gradient_alone(name):
    opt = Optimizer(name)
    x = X0.copy()
    g = GRADS[0].copy()
    opt.step(x, g, LR)
    assert not np.array_equal(x, X0)
    np.testing.assert_array_equal(g, GRADS[0])


@pytest.mark.parametrize(("name", "lr"), [
    ("sgd", 0.1), ("momentum", 0.05), ("nesterov", 0.05), ("adagrad", 0.5),
    ("rmsprop", 0.03), ("adam", 0.05),
])
def test_optimizer_reduces_a_convex_quadratic(name, lr):
    A = np.diag([1.0, 4.0, 0.5])
    b = np.array([1.0, -2.0, 0.5])
    optimum = np.linalg.solve(A, b)

    def f(x):
        return 0.5 * x @ A @ x - b @ x

    x = np.array([3.0, 3.0, -3.0])
    start = f(x)
    opt = Optimizer(name)
    for _ in range(300):
        opt.step(x, A @ x - b, lr)
    assert f(x) < start
    assert f(x) - f(optimum) < 0.05 * (start - f(optimum))


def test_state_restarts_when_the_parameter_vector_changes_size():
    opt = Optimizer("adam")
    opt.step(np.zeros(3), np.ones(3), 0.1)
    opt.step(np.zeros(3), np.ones(3), 0.1)
    opt.step(np.zeros(5), np.ones(5), 0.1)
    assert opt.t == 1
    assert opt.state["m"].shape == (5,)


def test_reset_clears_state_and_step_count():
    opt = Optimizer("momentum")
    opt.step(np.zeros(2), np.ones(2), 0.1)
    opt.reset()
    assert opt.state == {} and opt.t == 0


def test_optimizer_name_is_normalised_and_labelled():
    opt = Optimizer(" Adam ")
    assert opt.name == "adam" and opt.label == "Adam"
    assert set(OPTIMIZERS) == {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}


def test_unknown_optimizer_raises_value_error_listing_choices():
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'") as info:
        Optimizer("adamw")
    for name in OPTIMIZERS:
        assert name in str(info.value)


# ----------------------------------------------------------------- schedules
@pytest.mark.parametrize("epoch", [0, 1, 99, 1000])
def test_constant_schedule_keeps_the_base_rate(epoch):
    assert Schedule().rate(0.03, epoch) == 0.03
    assert Schedule("constant", 0.1, 5).rate(0.03, epoch) == 0.03


@pytest.mark.parametrize(("epoch", "expected"), [(0, 1.0), (9, 1.0), (10, 0.5), (19, 0.5),
                                                 (20, 0.25), (35, 0.125)])
def test_step_schedule_multiplies_by_factor_every_period(epoch, expected):
    assert Schedule("step", 0.5, 10).rate(1.0, epoch) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("epoch", [0, 1, 2, 10, 57])
def test_exponential_schedule_multiplies_by_factor_every_epoch(epoch):
    assert Schedule("exponential", 0.9).rate(0.2, epoch) == pytest.approx(0.2 * 0.9**epoch)


def test_schedule_defaults_and_names():
    s = Schedule()
    assert (s.kind, s.factor, s.every) == ("constant", 0.5, 100)
    assert set(SCHEDULES) == {"constant", "step", "exponential"}
    assert Schedule("step", 1.0, 1).rate(0.5, 7) == 0.5  # factor 1 and period 1 are allowed


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"kind": "cosine"}, "unknown schedule 'cosine'"),
    ({"kind": "step", "factor": 0.0}, "factor"),
    ({"kind": "step", "factor": -0.5}, "factor"),
    ({"kind": "exponential", "factor": 1.5}, "factor"),
    ({"kind": "step", "every": 0}, "period"),
    ({"kind": "step", "every": -3}, "period"),
])
def test_schedule_rejects_invalid_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Schedule(**kwargs)


# ----------------------------------------------------------------- state through surgery
@pytest.mark.parametrize("name", ["adam", "momentum"])
def test_remap_moves_optimizer_state_with_the_weights_after_adding_a_neuron(name):
    net = Network.from_spec({"inputs": 2, "layers": [3, 2], "outputs": 2, "seed": 0})
    opt = Optimizer(name)
    rng = np.random.default_rng(0)
    for _ in range(3):
        opt.step(net.flat, rng.normal(size=net.flat.shape), 0.01)
    old_layout = net.layout
    before = {k: {key: v.copy() for key, v in old_layout.views(arr).items()}
              for k, arr in opt.state.items()}
    transplant = surgery.add_neuron(net, 1, 1)
    opt.remap(old_layout, transplant)
    assert opt.t == 3
    for k, arr in opt.state.items():
        assert arr.shape == net.flat.shape
        new, old = net.layout.views(arr), before[k]
        kept = [0, 2, 3]  # new neuron is index 1 of hidden layer 0
        np.testing.assert_array_equal(new["W1"][:, kept], old["W1"], err_msg=k)
        np.testing.assert_array_equal(new["b1"][kept], old["b1"], err_msg=k)
        np.testing.assert_array_equal(new["W2"][kept, :], old["W2"], err_msg=k)
        for key in ("b2", "W3", "b3"):
            np.testing.assert_array_equal(new[key], old[key], err_msg=f"{k} {key}")
        fresh = 1.0 if k == "lag" else 0.0   # a new parameter eases in from a lag of 1
        assert np.all(new["W1"][:, 1] == fresh) and new["b1"][1] == fresh, k
        assert np.all(new["W2"][1, :] == fresh), f"{k}: new neuron's outgoing entries"
    # the next step continues from the moved state instead of starting over
    opt.step(net.flat, np.ones_like(net.flat), 0.01)
    assert opt.t == 4


def test_remap_after_removing_a_neuron_drops_its_entries():
    net = Network.from_spec({"inputs": 2, "layers": [4], "outputs": 3, "seed": 1})
    opt = Optimizer("rmsprop")
    rng = np.random.default_rng(1)
    for _ in range(2):
        opt.step(net.flat, rng.normal(size=net.flat.shape), 0.01)
    old_layout = net.layout
    old = {k: v.copy() for k, v in old_layout.views(opt.state["cache"]).items()}
    transplant = surgery.remove_neuron(net, 1, 2)
    opt.remap(old_layout, transplant)
    new = net.layout.views(opt.state["cache"])
    np.testing.assert_array_equal(new["W1"], old["W1"][:, [0, 1, 3]])
    np.testing.assert_array_equal(new["b1"], old["b1"][[0, 1, 3]])
    np.testing.assert_array_equal(new["W2"], old["W2"][[0, 1, 3], :])
    np.testing.assert_array_equal(new["b2"], old["b2"])


@pytest.mark.parametrize("name", ["adam", "rmsprop"])
def test_a_new_parameter_counts_its_own_steps(name):
    """With one global count a new Adam parameter's first step is ≈3·lr and an RMSprop one's
    ≈10·lr; with its own count its bias correction starts where every parameter's did."""
    net = Network.from_spec({"inputs": 2, "layers": [3, 2], "outputs": 2, "seed": 0})
    opt = Optimizer(name)
    rng = np.random.default_rng(0)
    for _ in range(50):
        opt.step(net.flat, rng.normal(size=net.flat.shape), 0.01)
    opt.remap(net.layout, surgery.add_neuron(net, 1, 1))
    steps = net.layout.views(opt.state["steps"])
    assert not steps["W1"][:, 1].any() and steps["b1"][1] == 0 and not steps["W2"][1].any()
    assert np.all(steps["W3"] == 50)
    opt.step(net.flat, rng.normal(size=net.flat.shape), 0.01)
    assert np.all(net.layout.views(opt.state["steps"])["W1"][:, 1] == 1)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_new_parameter_eases_in_and_never_outpaces_an_ordinary_step(name):
    net = Network.from_spec({"inputs": 2, "layers": [3, 2], "outputs": 2, "seed": 0})
    opt = Optimizer(name)
    rng = np.random.default_rng(0)
    for _ in range(50):
        opt.step(net.flat, rng.normal(size=net.flat.shape), 0.01)
    opt.remap(net.layout, surgery.add_neuron(net, 1, 1))
    fresh = np.zeros(net.flat.size, dtype=bool)
    views = net.layout.views(fresh)
    views["W1"][:, 1] = views["b1"][1] = views["W2"][1] = True
    moved, ordinary = [], []
    for _ in range(12_000):
        before = net.flat.copy()
        opt.step(net.flat, rng.normal(size=net.flat.shape), 0.01)
        moved.append(np.abs(net.flat - before)[fresh].max())
        ordinary.append(np.abs(net.flat - before)[~fresh].max())
    assert moved[0] <= 0.01 * (1 - EASE_RATE) * 10   # a thousandth of a whole step (RMSprop's
    assert max(moved) <= max(ordinary)               # steps are lr·g/rms g, not capped at lr)
    assert not opt.state["lag"].any() and not opt._easing     # whole steps again


def test_forget_starts_parameters_over():
    opt = Optimizer("adam")
    x = X0.copy()
    for g in GRADS:
        opt.step(x, g, LR)
    opt.forget(np.array([True, False, False, True]))
    for key in ("m", "v", "steps"):
        assert opt.state[key][0] == opt.state[key][3] == 0.0
        assert opt.state[key][1] != 0.0
    assert list(opt.state["lag"]) == [1.0, 0.0, 0.0, 1.0]
    before = x.copy()
    opt.step(x, np.array([1.0, 0.0, 0.0, -1.0]), LR)
    np.testing.assert_allclose(np.abs(x - before)[[0, 3]], LR * (1 - EASE_RATE), rtol=1e-6)
    opt.forget(np.array([False, True, False, False]), ease=False)
    assert opt.state["lag"][1] == 0.0 and opt.state["m"][1] == 0.0


@pytest.mark.parametrize(("text", "schedule"), [
    ("constant", Schedule()),
    ("step:0.5:40", Schedule("step", 0.5, 40)),
    ("step:0.25", Schedule("step", 0.25, 100)),
    ("step", Schedule("step", 0.5, 100)),
    ("exponential:0.99", Schedule("exponential", 0.99)),
    ("exponential", Schedule("exponential", 0.5)),
])
def test_a_schedule_reads_the_same_on_the_command_line_and_in_an_experiment(text, schedule):
    """One spelling for both (the command line had its own, laxer parser)."""
    from playground.cli import build_parser
    from playground.core.session import Session
    from playground.io.experiment import experiment_text, parse_experiment

    assert parse_schedule(text) == schedule
    assert build_parser().parse_args(["train", "--schedule", text]).schedule == schedule
    line = experiment_text(Session()).replace("schedule=constant", f"schedule={text}")
    assert parse_experiment(line).training["schedule"] == schedule


@pytest.mark.parametrize(("text", "says"), [
    ("cosine", "unknown schedule 'cosine'"),
    ("constant:0.5", "should read constant"),
    ("exponential:0.9:5", "should read constant"),
    ("step:half:10", "factor is a number"),
    ("step:0.5:1.5", "whole number"),
    ("step:2:40", "schedule factor must be in (0, 1]"),
    ("exponential:nan", "schedule factor must be in (0, 1]"),
])
def test_a_wrong_schedule_is_refused_by_name(text, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        parse_schedule(text)
