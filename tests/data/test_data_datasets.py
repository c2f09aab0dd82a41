"""Dataset generators: seeding, shapes, TF Playground's geometry and argument checks."""

import dataclasses

import numpy as np
import pytest

from playground.data import DATASETS, DatasetInfo, dataset_info, display_bounds, make_dataset
from playground.data.extra_sets import blob_centres
from playground.data.tf_sets import multi_gauss_target

TF_SETS = ("circle", "xor", "gauss", "spiral", "plane", "multi-gauss")
CLASSIFICATION = tuple(k for k, v in DATASETS.items() if v.task == "classification")


def sort_rows(X, y):
    """Points and labels in a canonical order, to compare shuffled sets."""
    order = np.lexsort((y, X[:, 1], X[:, 0]))
    return X[order], y[order]


# ---------------------------------------------------------------- registry


def test_registry_lists_every_dataset():
    expected = {*TF_SETS, "cs231n-spiral", "moons", "checkerboard", "blobs"}
    assert set(DATASETS) == expected
    for name, info in DATASETS.items():
        assert isinstance(info, DatasetInfo)
        assert info.name == name
        assert dataset_info(name) is info
        assert info.task in ("classification", "regression")
        assert info.title and info.description
        lo, hi = info.noise_range
        assert lo <= info.default_noise <= hi
        xmin, xmax, ymin, ymax = info.bounds
        assert xmin < xmax and ymin < ymax
        if info.task == "regression":
            assert info.default_classes is None and info.class_range is None
        elif info.class_range is not None:
            assert info.class_range[0] <= info.default_classes <= info.class_range[1]


def test_dataset_info_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DATASETS["circle"].default_n = 3


def test_tf_defaults():
    for name in TF_SETS:
        info = DATASETS[name]
        assert info.noise_range == (0.0, 0.5)
        assert info.bounds == (-6.0, 6.0, -6.0, 6.0)
        assert info.default_n == (1200 if info.task == "regression" else 500)
    assert DATASETS["cs231n-spiral"].bounds == (-1.0, 1.0, -1.0, 1.0)
    assert display_bounds("spiral") == (-6.0, 6.0, -6.0, 6.0)
    assert display_bounds("spiral", classes=3) == (-1.0, 1.0, -1.0, 1.0)


# ---------------------------------------------------------------- common properties


@pytest.mark.parametrize("name", list(DATASETS))
def test_shapes_dtypes_and_defaults(name):
    info = DATASETS[name]
    X, y = make_dataset(name)
    assert X.shape == (info.default_n, 2) and X.dtype == np.float64
    assert y.shape == (info.default_n,)
    assert np.isfinite(X).all() and np.isfinite(y).all()
    if info.task == "classification":
        assert y.dtype == np.int64
        assert set(np.unique(y)) == set(range(info.default_classes))
    else:
        assert y.dtype == np.float64


@pytest.mark.parametrize("name", list(DATASETS))
def test_seeded_and_reproducible(name):
    a = make_dataset(name, noise=0.3, seed=7)
    b = make_dataset(name, noise=0.3, seed=7)
    c = make_dataset(name, noise=0.3, seed=8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_points_are_shuffled(name):
    _, y = make_dataset(name, n=400)
    assert len(np.unique(y[:40])) > 1
    assert len(np.unique(y[-40:])) > 1


UNCLAMPED = ("gauss", "moons", "blobs")  # Gaussian spread; TF clamps nothing either


@pytest.mark.parametrize(
    ("name", "noise"),
    [(name, 0.0) for name in (*TF_SETS, *UNCLAMPED[1:], "checkerboard")]
    + [(name, 0.5) for name in (*TF_SETS, "checkerboard") if name not in UNCLAMPED],
)
def test_tf_coordinates_stay_in_the_square(name, noise):
    X, _ = make_dataset(name, noise=noise, seed=3)
    assert np.abs(X).max() <= 6.0


@pytest.mark.parametrize("name", ["circle", "gauss", "spiral", "moons"])
@pytest.mark.parametrize("n", [500, 301, 1])
def test_two_class_balance(name, n):
    _, y = make_dataset(name, n=n, noise=0.0)
    assert len(y) == n
    assert abs(int(np.sum(y == 1)) - int(np.sum(y == 0))) <= 1


def test_odd_n_gives_exactly_n_points():
    for name in DATASETS:
        X, y = make_dataset(name, n=7)
        assert X.shape == (7, 2) and y.shape == (7,)


# ---------------------------------------------------------------- TF Playground rules


def test_circle_rule_without_noise():
    X, y = make_dataset("circle", n=600, noise=0.0, seed=1)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.array_equal(y == 1, r < 2.5)
    assert np.all((r < 2.5) | ((r >= 3.5) & (r <= 5.0)))
    assert np.sum(r < 2.5) == 300


def test_circle_noise_flips_labels_but_not_points():
    X0, y0 = make_dataset("circle", n=500, noise=0.0, seed=4)
    X5, y5 = make_dataset("circle", n=500, noise=0.5, seed=4)
    assert np.array_equal(X0, X5)
    flipped = np.sum(y0 != y5)
    assert 0 < flipped < 250


def test_xor_rule_and_padding():
    X, y = make_dataset("xor", n=800, noise=0.0, seed=2)
    assert np.array_equal(y == 1, X[:, 0] * X[:, 1] >= 0)
    assert np.abs(X).min() >= 0.3
    assert np.abs(X).max() <= 5.3


def test_xor_noise_flips_some_labels():
    X, y = make_dataset("xor", n=800, noise=0.5, seed=2)
    wrong = np.sum((y == 1) != (X[:, 0] * X[:, 1] >= 0))
    assert 0 < wrong < 400


@pytest.mark.parametrize(("noise", "std"), [(0.0, np.sqrt(0.5)), (0.5, 2.0)])
def test_gauss_clusters(noise, std):
    X, y = make_dataset("gauss", n=4000, noise=noise, seed=5)
    pos, neg = X[y == 1], X[y == 0]
    assert len(pos) == len(neg) == 2000
    assert np.allclose(pos.mean(axis=0), [2, 2], atol=0.15)
    assert np.allclose(neg.mean(axis=0), [-2, -2], atol=0.15)
    assert np.allclose(pos.std(axis=0), std, rtol=0.08)


def tf_spiral_reference(n):
    """TF Playground's classifySpiralData with noise 0, written out loop by loop."""
    pts, labels = [], []
    half = n / 2
    for delta, label in ((0.0, 1), (np.pi, 0)):
        i = 0
        while i < half and len(pts) < n:
            r = i / half * 5
            t = 1.75 * i / half * 2 * np.pi + delta
            pts.append((r * np.sin(t), r * np.cos(t)))
            labels.append(label)
            i += 1
    return np.array(pts), np.array(labels)


@pytest.mark.parametrize("n", [500, 100])
def test_spiral_points_match_formula_without_noise(n):
    X, y = make_dataset("spiral", n=n, noise=0.0, seed=9)
    Xr, yr = tf_spiral_reference(n)
    Xs, ys = sort_rows(X, y)
    Xrs, yrs = sort_rows(Xr, yr)
    assert np.array_equal(ys, yrs)
    assert np.allclose(Xs, Xrs, atol=1e-12)


def test_spiral_noise_is_bounded_jitter():
    v = 0.5
    X, y = make_dataset("spiral", n=200, noise=v, seed=9)
    Xr, yr = tf_spiral_reference(200)
    for label in (0, 1):
        d = np.abs(X[y == label][:, None, :] - Xr[yr == label][None, :, :]).max(axis=2)
        assert d.min(axis=1).max() <= v + 1e-12
    assert np.abs(X).max() < 5.5


def test_plane_target_formula():
    X, y = make_dataset("plane", n=1200, noise=0.0, seed=6)
    assert np.allclose(y, (X[:, 0] + X[:, 1]) / 10)
    Xn, yn = make_dataset("plane", n=1200, noise=0.5, seed=6)
    assert np.array_equal(X, Xn)  # noise moves where the target is read, not the point
    assert not np.allclose(yn, y)
    assert np.abs(yn - y).max() <= 2 * 3.0 / 10 + 1e-12


def multi_gauss_reference(x, y):
    """TF Playground's regressGaussian getLabel, one point at a time."""
    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    label = 0.0
    for cx, cy, sign in centres:
        d = np.hypot(x - cx, y - cy)
        new = sign * min(max(1 - d / 2, 0.0), 1.0)
        if abs(new) > abs(label):
            label = new
    return label


def test_multi_gauss_values_and_signs():
    X, y = make_dataset("multi-gauss", n=1200, noise=0.0, seed=8)
    assert y.min() >= -1 and y.max() <= 1
    expected = [multi_gauss_reference(a, b) for a, b in X]
    assert np.allclose(y, expected)
    centres = np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
    assert np.array_equal(multi_gauss_target(centres), [1, -1, 1, -1, 1, -1])
    assert multi_gauss_target(np.array([[6.0, 6.0]]))[0] == 0.0
    Xn, yn = make_dataset("multi-gauss", n=1200, noise=0.5, seed=8)
    assert np.array_equal(X, Xn)
    assert yn.min() >= -1 and yn.max() <= 1


# ---------------------------------------------------------------- other datasets


def test_cs231n_lecture_spiral():
    X, y = make_dataset("spiral", n=300, noise=0.2, classes=3, seed=0)
    assert X.shape == (300, 2)
    assert np.array_equal(np.bincount(y), [100, 100, 100])
    assert np.hypot(X[:, 0], X[:, 1]).max() <= 1.0 + 1e-12
    Xc, yc = make_dataset("cs231n-spiral", n=300, noise=0.2, classes=3, seed=0)
    assert np.array_equal(X, Xc) and np.array_equal(y, yc)
    assert np.array_equal(make_dataset("cs231n-spiral")[0], Xc)  # the defaults are the lecture's


def test_cs231n_spiral_formula_without_noise():
    N, K = 50, 4
    X, y = make_dataset("cs231n-spiral", n=N * K, noise=0.0, classes=K, seed=1)
    for j in range(K):
        r = np.linspace(0, 1, N)
        t = np.linspace(j * 4, (j + 1) * 4, N)
        ref = np.c_[r * np.sin(t), r * np.cos(t)]
        got, _ = sort_rows(X[y == j], y[y == j])
        want, _ = sort_rows(ref, np.zeros(N, int))
        assert np.allclose(got, want)


def test_cs231n_spiral_remainder_goes_to_first_classes():
    _, y = make_dataset("cs231n-spiral", n=302, classes=3)
    assert np.array_equal(np.bincount(y), [101, 101, 100])


def test_moons_geometry_without_noise():
    X, y = make_dataset("moons", n=400, noise=0.0, seed=2)
    P = X / 3.0 + (0.5, 0.25)  # back to sklearn's units
    outer, inner = P[y == 0], P[y == 1]
    assert np.allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0)
    assert np.all(outer[:, 1] >= -1e-12)
    assert np.allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1.0)
    assert np.all(inner[:, 1] <= 0.5 + 1e-12)


def test_checkerboard_rule():
    X, y = make_dataset("checkerboard", n=1000, noise=0.0, seed=3)
    expected = (np.floor(X[:, 0] / 3) + np.floor(X[:, 1] / 3)) % 2
    assert np.array_equal(y, expected.astype(np.int64))
    _, yn = make_dataset("checkerboard", n=1000, noise=0.5, seed=3)
    assert 0 < np.sum(yn != y) < 500


@pytest.mark.parametrize("k", [2, 5, 8])
def test_blobs(k):
    X, y = make_dataset("blobs", n=200 * k, noise=0.0, classes=k, seed=4)
    assert np.array_equal(np.bincount(y), [200] * k)
    centres = blob_centres(k)
    assert np.allclose(np.hypot(centres[:, 0], centres[:, 1]), 3.5)
    for j in range(k):
        assert np.allclose(X[y == j].mean(axis=0), centres[j], atol=0.15)
        assert np.allclose(X[y == j].std(axis=0), 0.6, rtol=0.15)


# ---------------------------------------------------------------- bad arguments


def test_unknown_name_lists_known_names():
    with pytest.raises(ValueError, match="known datasets") as err:
        make_dataset("donut")
    for name in DATASETS:
        assert name in str(err.value)
    with pytest.raises(ValueError):
        dataset_info("donut")


@pytest.mark.parametrize("n", [0, -5, 2.5, True, "10"])
def test_bad_n(n):
    with pytest.raises(ValueError, match="n must"):
        make_dataset("circle", n=n)


@pytest.mark.parametrize("noise", [-0.01, 0.51, float("nan"), "a"])
def test_bad_noise(noise):
    with pytest.raises(ValueError, match="noise"):
        make_dataset("xor", noise=noise)


@pytest.mark.parametrize(
    ("name", "classes"),
    [("circle", 3), ("spiral", 1), ("spiral", 9), ("cs231n-spiral", 9), ("blobs", 1),
     ("plane", 2), ("multi-gauss", 1), ("spiral", 2.0)],
)  # fmt: skip
def test_bad_classes(name, classes):
    with pytest.raises(ValueError, match="classes"):
        make_dataset(name, classes=classes)


def test_fixed_class_count_may_be_stated():
    a = make_dataset("circle", classes=2)
    b = make_dataset("circle")
    assert np.array_equal(a[0], b[0])
