"""Activations: every local gradient against centred differences, the lecture's formulas."""

import math
import warnings

import numpy as np
import pytest

from playground.core import activations
from playground.core.activations import ACTIVATIONS, NAMES, canonical_name, get

ELEMENTWISE = [name for name in NAMES if name != "maxout"]
KINKED = {"relu", "leaky_relu", "elu"}
H = 1e-6


def _points(name: str) -> np.ndarray:
    z = np.concatenate([np.linspace(-6.0, 6.0, 241), [-2.5e-3, 1.7e-3, 0.3, -0.7, 4.2]])
    if name in KINKED:
        z = z[np.abs(z) >= 1e-3]
    return z


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_every_expected_activation_is_offered():
    assert set(NAMES) == {"tanh", "sigmoid", "relu", "leaky_relu", "elu", "linear", "softplus",
                          "swish", "gelu", "maxout"}
    for name, act in ACTIVATIONS.items():
        assert act.name == name
        assert act.label and act.formula


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_local_gradient_matches_centred_difference(name):
    act = get(name)
    z = _points(name)
    a = act.f(z)
    analytic = np.asarray(act.df(z, a), dtype=float)
    numeric = (act.f(z + H) - act.f(z - H)) / (2 * H)
    assert analytic.shape == z.shape
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    # 1e-7 relative; the absolute floor covers round-off in the difference (~1e-10 / h).
    bad = np.abs(analytic - numeric) > 1e-7 * scale + 1e-9
    assert not bad.any(), f"{name}: df wrong at z = {z[bad]}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_keeps_shape_and_dtype_of_a_batch(name):
    z = np.random.default_rng(0).normal(size=(4, 3))
    act = get(name)
    a = act.f(z)
    assert a.shape == z.shape and a.dtype == np.float64
    assert np.asarray(act.df(z, a)).shape == z.shape


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_and_gradient_finite_without_warnings_at_extreme_inputs(name):
    z = np.array([-1000.0, -50.0, 50.0, 1000.0])
    act = get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = act.f(z)
        da = np.asarray(act.df(z, a), dtype=float)
    assert np.isfinite(a).all() and np.isfinite(da).all()


def test_relu_values_and_boolean_mask_gradient():
    z = np.array([-2.0, -1e-3, 1e-3, 3.0])
    relu = get("relu")
    np.testing.assert_array_equal(relu.f(z), [0.0, 0.0, 1e-3, 3.0])
    np.testing.assert_array_equal(relu.df(z, relu.f(z)), [0, 0, 1, 1])


def test_leaky_relu_slope_is_0_01():
    assert activations.LEAKY_SLOPE == 0.01
    leaky = get("leaky_relu")
    z = np.array([-100.0, -2.0, 3.0])
    np.testing.assert_allclose(leaky.f(z), [-1.0, -0.02, 3.0], rtol=1e-15)
    np.testing.assert_allclose(leaky.df(z, leaky.f(z)), [0.01, 0.01, 1.0])


def test_elu_alpha_is_one():
    elu = get("elu")
    assert elu.f(np.array([-1.0]))[0] == pytest.approx(math.exp(-1) - 1.0, rel=1e-15)
    assert elu.f(np.array([2.5]))[0] == 2.5
    assert elu.f(np.array([-1000.0]))[0] == pytest.approx(-1.0)
    np.testing.assert_allclose(elu.df(np.array([-1.0]), elu.f(np.array([-1.0]))), [math.exp(-1)])


def test_softplus_is_log_one_plus_exp():
    z = np.linspace(-20.0, 20.0, 81)
    np.testing.assert_allclose(get("softplus").f(z), np.log1p(np.exp(z)), rtol=1e-13)
    assert get("softplus").f(np.array([0.0]))[0] == pytest.approx(math.log(2.0))
    assert get("softplus").f(np.array([1000.0]))[0] == pytest.approx(1000.0)


def test_swish_is_z_times_sigmoid():
    z = np.linspace(-8.0, 8.0, 33)
    np.testing.assert_allclose(get("swish").f(z), z * _sigmoid(z), rtol=1e-13, atol=1e-300)
    assert get("swish").f(np.array([1.0]))[0] == pytest.approx(0.7310585786300049)


def test_gelu_uses_the_tanh_form():
    z = np.linspace(-5.0, 5.0, 41)
    expected = 0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))
    np.testing.assert_allclose(get("gelu").f(z), expected, rtol=1e-14, atol=1e-300)
    # tanh form at 1 (the erf form gives 0.841344746, a different number)
    assert get("gelu").f(np.array([1.0]))[0] == pytest.approx(0.8411919906082768, rel=1e-12)


def test_tanh_and_linear_values():
    z = np.array([-1.5, 0.0, 0.25])
    np.testing.assert_allclose(get("tanh").f(z), np.tanh(z))
    np.testing.assert_array_equal(get("linear").f(z), z)
    np.testing.assert_array_equal(get("linear").df(z, z), np.ones(3))


def test_sigmoid_values_match_the_textbook_formula():
    z = np.linspace(-30.0, 30.0, 61)
    np.testing.assert_allclose(get("sigmoid").f(z), _sigmoid(z), rtol=1e-12, atol=1e-15)
    assert get("sigmoid").f(np.array([0.0]))[0] == 0.5


def test_sigmoid_stable_at_plus_minus_1000():
    z = np.array([-1000.0, 1000.0])
    sigmoid = get("sigmoid")
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        a = sigmoid.f(z)
        da = sigmoid.df(z, a)
    np.testing.assert_array_equal(a, [0.0, 1.0])
    np.testing.assert_array_equal(da, [0.0, 0.0])


def test_maxout_is_not_elementwise():
    with pytest.raises(TypeError, match="not elementwise"):
        get("maxout").f(np.zeros(3))


@pytest.mark.parametrize(("spelling", "key"), [
    ("Leaky ReLU", "leaky_relu"),
    ("leaky-relu", "leaky_relu"),
    ("LeakyReLU", "leaky_relu"),
    ("leaky_relu", "leaky_relu"),
    ("ReLU", "relu"),
    ("  TANH ", "tanh"),
    ("identity", "linear"),
    ("none", "linear"),
    ("logistic", "sigmoid"),
    ("SiLU", "swish"),
    ("GELU", "gelu"),
    ("ELU", "elu"),
    ("maxout", "maxout"),
])
def test_canonical_name_accepts_common_spellings(spelling, key):
    assert canonical_name(spelling) == key
    assert get(spelling).name == key


def test_canonical_name_unknown_raises_value_error_listing_names():
    with pytest.raises(ValueError, match="unknown activation 'mish'") as info:
        canonical_name("mish")
    for name in NAMES:
        assert name in str(info.value)
