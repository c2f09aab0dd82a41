"""Train/test split: TF Playground's ⌊N·ratio⌋ rule, seeded, disjoint and complete."""

import numpy as np
import pytest

from playground.data import make_dataset, train_test_split


def indexed(n):
    """Points whose first coordinate is their index, so we can tell which went where."""
    X = np.c_[np.arange(n, dtype=float), np.zeros(n)]
    return X, np.arange(n) % 3


@pytest.mark.parametrize(
    ("n", "ratio", "n_train"),
    [(500, 0.5, 250), (500, 0.1, 50), (500, 0.9, 450), (300, 0.7, 210), (7, 0.5, 3),
     (101, 0.3, 30), (100, 0.29, 29), (1200, 0.8, 960)],
)  # fmt: skip
def test_sizes(n, ratio, n_train):
    X, y = indexed(n)
    Xtr, ytr, Xte, yte = train_test_split(X, y, ratio)
    assert len(Xtr) == len(ytr) == n_train
    assert len(Xte) == len(yte) == n - n_train


def test_disjoint_complete_and_aligned():
    X, y = indexed(500)
    Xtr, ytr, Xte, yte = train_test_split(X, y, 0.6, seed=3)
    tr, te = Xtr[:, 0].astype(int), Xte[:, 0].astype(int)
    assert not set(tr) & set(te)
    assert sorted([*tr, *te]) == list(range(500))
    assert np.array_equal(ytr, tr % 3) and np.array_equal(yte, te % 3)
    assert not np.array_equal(tr, np.arange(300))  # shuffled, not a prefix


def test_seeded():
    X, y = make_dataset("spiral")
    a = train_test_split(X, y, 0.5, seed=1)
    b = train_test_split(X, y, 0.5, seed=1)
    c = train_test_split(X, y, 0.5, seed=2)
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


def test_inputs_untouched():
    X, y = indexed(50)
    X0, y0 = X.copy(), y.copy()
    train_test_split(X, y)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


@pytest.mark.parametrize("ratio", [0.05, 0.95, 0.0, 1.0, float("nan"), True])
def test_ratio_out_of_range(ratio):
    X, y = indexed(10)
    with pytest.raises(ValueError, match="train_ratio"):
        train_test_split(X, y, ratio)


def test_length_mismatch():
    with pytest.raises(ValueError, match="same length"):
        train_test_split(np.zeros((5, 2)), np.zeros(4))
