"""Losses: CS231n's worked examples, conventions, gradients and numerical stability."""

import math
import warnings

import numpy as np
import pytest

from playground.core import losses
from playground.core.gradcheck import numerical_gradient, relative_error
from playground.core.losses import LOSSES, NAMES, mse_targets

# CS231n "Linear classification" notes: three training examples (cat, car, frog).
CS231N_SCORES = np.array([[3.2, 5.1, -1.7],
                          [1.3, 4.9, 2.0],
                          [2.2, 2.5, -3.1]])
CS231N_LABELS = np.array([0, 1, 2])


def _value(name, s, y):
    return losses.get(name).value_and_grad(np.asarray(s, dtype=float), np.asarray(y))


def test_every_expected_loss_is_offered():
    assert set(NAMES) == {"softmax", "mse", "hinge", "bce"}
    for name, loss in LOSSES.items():
        assert loss.name == name and loss.label and loss.formula


def test_get_normalises_and_rejects_unknown_names():
    assert losses.get(" Softmax ").name == "softmax"
    with pytest.raises(ValueError, match="unknown loss 'l1'") as info:
        losses.get("l1")
    for name in NAMES:
        assert name in str(info.value)


# ----------------------------------------------------------------- hinge (multiclass SVM)
def test_hinge_cs231n_cat_example_is_2_9():
    loss, _ = _value("hinge", CS231N_SCORES[:1], [0])
    assert loss == pytest.approx(2.9, abs=1e-12)


def test_hinge_cs231n_three_examples_average_to_5_27():
    per_example = [_value("hinge", CS231N_SCORES[i:i + 1], [i])[0] for i in range(3)]
    assert per_example == pytest.approx([2.9, 0.0, 12.9], abs=1e-12)
    loss, _ = _value("hinge", CS231N_SCORES, CS231N_LABELS)
    assert loss == pytest.approx((2.9 + 0.0 + 12.9) / 3, abs=1e-12)


def test_hinge_gradient_counts_violated_margins():
    _, ds = _value("hinge", CS231N_SCORES[:1], [0])
    # only the car score violates the margin: +1 on it, -1 on the true class
    np.testing.assert_allclose(ds, [[-1.0, 1.0, 0.0]])


# ----------------------------------------------------------------- softmax cross-entropy
def test_softmax_cs231n_cat_example_is_2_04():
    loss, _ = _value("softmax", CS231N_SCORES[:1], [0])
    s = CS231N_SCORES[0]
    exact = -math.log(math.exp(s[0]) / np.exp(s).sum())
    assert loss == pytest.approx(exact, rel=1e-12)
    assert loss == pytest.approx(2.04, abs=0.005)


def test_softmax_gradient_is_probabilities_minus_one_hot_over_n():
    s = CS231N_SCORES
    _, ds = _value("softmax", s, CS231N_LABELS)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    p[np.arange(3), CS231N_LABELS] -= 1.0
    np.testing.assert_allclose(ds, p / 3, rtol=1e-12, atol=1e-15)


def test_softmax_output_is_probabilities():
    p = losses.get("softmax").output(CS231N_SCORES)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert (p > 0).all()


def test_softmax_numerically_stable_for_scores_of_plus_minus_1000():
    s = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right, g_right = _value("softmax", s, [0, 2])
        wrong, g_wrong = _value("softmax", s, [1, 0])
        p = losses.get("softmax").output(s)
    assert right == pytest.approx(0.0, abs=1e-12)
    assert wrong == pytest.approx(2000.0, rel=1e-12)
    assert np.isfinite(g_right).all() and np.isfinite(g_wrong).all()
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], atol=1e-300)


# ----------------------------------------------------------------- mse
def test_mse_is_half_squared_norm_averaged_over_batch():
    s = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 0.0]])
    t = np.array([[0.0, 2.0], [1.5, 1.0], [-3.0, 4.0]])
    loss, ds = _value("mse", s, t)
    assert loss == pytest.approx(0.5 * (1 + 0 + 1 + 4 + 9 + 16) / 3, rel=1e-14)
    np.testing.assert_allclose(ds, (s - t) / 3)


def test_mse_one_output_with_flat_real_targets():
    s = np.array([[0.2], [-0.4]])
    loss, ds = _value("mse", s, np.array([1.0, 0.0]))
    assert loss == pytest.approx(0.5 * (0.64 + 0.16) / 2)
    assert ds.shape == (2, 1)


def test_mse_targets_one_output_are_plus_minus_one():
    t = mse_targets(np.array([0, 1, 1, 0]), 1)
    np.testing.assert_array_equal(t, [[-1.0], [1.0], [1.0], [-1.0]])
    assert t.dtype == np.float64


def test_mse_targets_k_outputs_plus_one_at_true_class_minus_one_elsewhere():
    t = mse_targets(np.array([2, 0, 1]), 3)
    np.testing.assert_array_equal(t, [[-1, -1, 1], [1, -1, -1], [-1, 1, -1]])


def test_mse_targets_pass_real_values_through_in_output_shape():
    t = mse_targets(np.array([0.25, -0.5]), 1)
    np.testing.assert_array_equal(t, [[0.25], [-0.5]])


def test_mse_with_integer_labels_regresses_onto_plus_minus_one():
    s = np.array([[0.5], [-0.2], [2.0]])
    y = np.array([1, 0, 0])
    loss, _ = _value("mse", s, y)
    assert loss == pytest.approx(0.5 * ((0.5 - 1) ** 2 + (-0.2 + 1) ** 2 + (2 + 1) ** 2) / 3)
    s3 = CS231N_SCORES
    loss3, _ = _value("mse", s3, CS231N_LABELS)
    t = -np.ones((3, 3))
    t[np.arange(3), CS231N_LABELS] = 1.0
    assert loss3 == pytest.approx(0.5 * np.sum((s3 - t) ** 2) / 3)


# ----------------------------------------------------------------- bce
def test_bce_is_binary_cross_entropy_of_sigmoid_with_one_output():
    s = np.array([[2.0], [-1.0], [0.3]])
    y = np.array([1, 0, 0])
    loss, ds = _value("bce", s, y)
    p = 1 / (1 + np.exp(-s[:, 0]))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(ds[:, 0], (p - y) / 3, rtol=1e-12)
    np.testing.assert_allclose(losses.get("bce").output(s)[:, 0], p, rtol=1e-12)


def test_bce_stable_for_scores_of_plus_minus_1000():
    s = np.array([[1000.0], [-1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right, g = _value("bce", s, [1, 0])
        wrong, _ = _value("bce", s, [0, 1])
    assert right == pytest.approx(0.0, abs=1e-12)
    assert wrong == pytest.approx(1000.0)
    assert np.isfinite(g).all()


# ----------------------------------------------------------------- every loss
def _random_case(name, seed=0):
    rng = np.random.default_rng(seed)
    n = 6
    if name == "bce":
        return rng.normal(size=(n, 1)), rng.integers(0, 2, n)
    if name == "mse-real":
        return rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    if name == "mse-binary":
        return rng.normal(size=(n, 1)), rng.integers(0, 2, n)
    return rng.normal(size=(n, 4)), rng.integers(0, 4, n)


CASES = ["softmax", "hinge", "bce", "mse", "mse-real", "mse-binary"]


@pytest.mark.parametrize("case", CASES)
def test_loss_gradient_matches_centred_differences(case):
    loss = losses.get(case.split("-")[0])
    s, y = _random_case(case)
    _, analytic = loss.value_and_grad(s, y)
    numeric = numerical_gradient(lambda: loss.value_and_grad(s, y)[0], s)
    assert analytic.shape == s.shape
    assert relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("case", CASES)
def test_loss_leaves_scores_and_labels_untouched(case):
    loss = losses.get(case.split("-")[0])
    s, y = _random_case(case, seed=1)
    s0, y0 = s.copy(), y.copy()
    loss.value_and_grad(s, y)
    loss.output(s)
    np.testing.assert_array_equal(s, s0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("case", CASES)
def test_prepared_targets_give_the_same_loss_and_gradient_as_raw_labels(case):
    loss = losses.get(case.split("-")[0])
    s, y = _random_case(case, seed=2)
    raw_value, raw_grad = loss.value_and_grad(s, y)
    t = loss.targets(y, s.shape[1])
    value, grad = loss.value_and_grad(s, t)
    assert value == pytest.approx(raw_value, rel=1e-14)
    np.testing.assert_allclose(grad, raw_grad, rtol=1e-14)


@pytest.mark.parametrize(("name", "scores", "expected"), [
    ("softmax", [[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]], [1, 0]),
    ("hinge", [[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]], [1, 0]),
    ("mse", [[0.1, 2.0, -1.0], [-3.0, -4.0, -0.5]], [1, 2]),
    ("mse", [[0.3], [-0.2], [0.0]], [1, 0, 0]),
    ("bce", [[0.3], [-0.2], [5.0]], [1, 0, 1]),
])
def test_predict_gives_class_indices(name, scores, expected):
    pred = losses.get(name).predict(np.array(scores))
    np.testing.assert_array_equal(pred, expected)
    assert np.issubdtype(pred.dtype, np.integer)


def test_is_classification_by_dtype():
    assert losses.is_classification(np.array([0, 1]))
    assert not losses.is_classification(np.array([0.0, 1.0]))
