"""TF Playground's input features: keys, labels, values and errors."""

import numpy as np
import pytest

from playground.data import FEATURES, apply_features, feature_label

X = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -6.0], [np.pi / 2, 4.0]])


def test_keys_and_labels():
    assert FEATURES == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    labels = [feature_label(k) for k in FEATURES]
    assert labels == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]


def test_values():
    a, b = X[:, 0], X[:, 1]
    F = apply_features(X, FEATURES)
    expected = np.c_[a, b, a**2, b**2, a * b, np.sin(a), np.sin(b)]
    assert F.shape == (4, 7) and F.dtype == np.float64
    assert np.allclose(F, expected)
    assert F[3, 5] == pytest.approx(1.0)


def test_order_follows_keys_and_duplicates_allowed():
    F = apply_features(X, ["x1*x2", "x1", "x1*x2"])
    assert np.allclose(F, np.c_[X[:, 0] * X[:, 1], X[:, 0], X[:, 0] * X[:, 1]])


def test_integer_input_and_grid_size():
    assert apply_features(np.array([[2, 3]]), ["x1^2"]).dtype == np.float64
    g = np.stack(np.meshgrid(np.linspace(-6, 6, 100), np.linspace(-6, 6, 100)), -1).reshape(-1, 2)
    assert apply_features(g, FEATURES).shape == (10_000, 7)


def test_out_buffer_is_reused():
    out = np.full((4, 2), np.nan)
    F = apply_features(X, ["x2", "sin(x1)"], out=out)
    assert F is out
    assert np.allclose(out, np.c_[X[:, 1], np.sin(X[:, 0])])
    with pytest.raises(ValueError, match="out"):
        apply_features(X, ["x1"], out=np.empty((4, 2)))


def test_does_not_alias_input():
    F = apply_features(X, ["x1"])
    F[0, 0] = 99.0
    assert X[0, 0] == 1.0


def test_errors():
    with pytest.raises(ValueError, match="at least one"):
        apply_features(X, [])
    with pytest.raises(ValueError, match="'x3'"):
        apply_features(X, ["x1", "x3"])
    with pytest.raises(ValueError, match="'cos'"):
        feature_label("cos")
    with pytest.raises(ValueError, match="shape"):
        apply_features(np.zeros((4, 3)), ["x1"])
    with pytest.raises(ValueError, match="shape"):
        apply_features(np.zeros(4), ["x1"])
