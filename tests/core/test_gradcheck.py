"""The gradient checker itself: centred differences, relative error, whole-network checks."""

import numpy as np
import pytest

from playground.core.gradcheck import (
    check_gradients,
    check_network,
    numerical_gradient,
    relative_error,
)
from playground.core.network import Network


def test_numerical_gradient_of_sum_of_cubes_is_three_x_squared():
    x = np.random.default_rng(0).normal(size=(3, 4))
    grad = numerical_gradient(lambda: float(np.sum(x**3)), x)
    assert grad.shape == x.shape
    # a cubic's centred difference is off by exactly h² = 1e-10
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-7, atol=1e-9)


def test_numerical_gradient_restores_x_exactly():
    x = np.random.default_rng(1).normal(size=(5,))
    before = x.copy()
    numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_step_size_is_adjustable():
    x = np.array([2.0])
    grad = numerical_gradient(lambda: float(x[0] ** 3), x, h=1e-2)
    assert grad[0] == pytest.approx(12.0 + 1e-4, rel=1e-9)  # 3x² + h²


def test_numerical_gradient_works_on_a_view_into_a_bigger_buffer():
    flat = np.arange(1.0, 7.0)
    view = flat[2:6].reshape(2, 2)  # like net.params["W1"], a view into net.flat
    grad = numerical_gradient(lambda: float(np.sum(flat**2)), view)
    np.testing.assert_allclose(grad, 2 * view, rtol=1e-8)


def test_numerical_gradient_works_on_a_non_contiguous_array():
    base = np.random.default_rng(2).normal(size=(3, 2))
    x = base.T
    grad = numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-7, atol=1e-9)


def test_relative_error_is_zero_for_two_zero_arrays():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_relative_error_is_zero_for_equal_arrays():
    a = np.array([1.0, -2.0, 3.0])
    assert relative_error(a, a.copy()) == 0.0


def test_relative_error_is_symmetric():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=7), rng.normal(size=7)
    assert relative_error(a, b) == relative_error(b, a)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ([1.0, 0.0], [0.0, 0.0], 1.0),       # one side zero: maximal error
    ([1.0, 2.0], [-1.0, -2.0], 1.0),     # opposite signs
    ([3.0, 4.0], [3.0, 4.0 + 1e-6], 1e-6 / 10.0),
    ([[1.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]], 0.0),
])
def test_relative_error_is_norm_of_difference_over_sum_of_norms(a, b, expected):
    assert relative_error(np.array(a), np.array(b)) == pytest.approx(expected, rel=1e-6)


def test_relative_error_accepts_lists_and_scalars():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error(2.0, 1.0) == pytest.approx(1 / 3)


def test_check_gradients_flags_a_wrong_analytic_gradient():
    x = np.array([1.0, -2.0, 0.5])
    errors = check_gradients(lambda: float(np.sum(x**2)), {"x": x}, {"x": 4 * x})
    assert errors["x"] == pytest.approx(1 / 3, rel=1e-6)
    errors = check_gradients(lambda: float(np.sum(x**2)), {"x": x}, {"x": 2 * x})
    assert errors["x"] < 1e-8


@pytest.mark.parametrize("spec", [
    {"inputs": 2, "layers": [{"units": 4, "activation": "tanh"}], "outputs": 3,
     "loss": "softmax", "seed": 0, "l2": 1e-2},
    {"inputs": 3, "layers": [{"units": 3, "activation": ["relu", "maxout", "elu"]}, 2],
     "outputs": 2, "loss": "hinge", "seed": 1, "l1": 1e-3},
    {"inputs": 2, "layers": [3], "outputs": 1, "loss": "mse",
     "output_activation": "tanh", "seed": 2},
], ids=["tanh-softmax-l2", "mixed-maxout-hinge-l1", "tanh-mse"])
def test_check_network_reports_small_error_for_every_parameter(spec):
    net = Network.from_spec(spec)
    rng = np.random.default_rng(4)
    X = rng.normal(size=(5, spec["inputs"]))
    y = rng.integers(0, spec["outputs"], 5) if spec["loss"] != "mse" else rng.normal(size=5)
    before = net.flat.copy()
    errors = check_network(net, X, y)
    assert set(errors) == set(net.params)
    assert max(errors.values()) < 1e-7, errors
    np.testing.assert_array_equal(net.flat, before)


def test_check_network_with_dropout_uses_the_same_mask_every_evaluation():
    net = Network.from_spec({"inputs": 2, "layers": [{"units": 6, "dropout": 0.5}],
                             "outputs": 2, "loss": "softmax", "seed": 0})
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(4, 2)), rng.integers(0, 2, 4)
    errors = check_network(net, X, y, dropout_seed=7)
    assert max(errors.values()) < 1e-7, errors


def test_partial_derivatives_are_nan_where_a_step_leaves_the_domain():
    from playground.backprop.expressions import from_expression
    from playground.core.gradcheck import partial_derivatives, scalars_agree

    grads = partial_derivatives(lambda v: from_expression("log(x) * y", v)[0].data,
                                {"x": 5e-6, "y": 2.0})
    assert np.isnan(grads["x"]) and grads["y"] == pytest.approx(np.log(5e-6))
    assert scalars_agree(1.0, 1.0 + 1e-9) and not scalars_agree(1.0, 1.001)
    assert scalars_agree(1e-13, 0.0)  # both flat: rounding noise, not a gradient
