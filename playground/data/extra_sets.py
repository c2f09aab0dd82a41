"""Datasets beyond TF Playground: the CS231n K-class spiral, moons, checkerboard and blobs.

Same shape as ``tf_sets``: ``(rng, n, noise, classes) -> (X, y)`` unshuffled, y int64 classes.
"""

from __future__ import annotations

import numpy as np

MOONS_SCALE = 3.0  # sklearn's moons span x ∈ [−1, 2], y ∈ [−0.5, 1]; ×3 fits [−6, 6]² with room
MOONS_CENTRE = (0.5, 0.25)
CHECKER_SIZE = 3.0
BLOB_RADIUS = 3.5


def class_counts(n: int, classes: int) -> np.ndarray:
    """Split n points over the classes as evenly as possible; the first get the remainder."""
    counts = np.full(classes, n // classes, dtype=np.int64)
    counts[: n % classes] += 1
    return counts


def _labels(counts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def cs231n_spiral(
    rng: np.random.Generator, n: int, noise: float, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """The course notes' spiral: r = linspace(0, 1, N), t = linspace(4j, 4(j+1), N) + N(0, 1)·noise.

    Units stay the lecture's (radius ≤ 1) so its step size 1.0 and reg 1e-3 work unchanged.
    Noise is the std of the angle jitter in radians.
    """
    counts = class_counts(n, classes)
    parts = []
    for j, count in enumerate(counts):
        r = np.linspace(0.0, 1.0, count)
        t = np.linspace(j * 4.0, (j + 1) * 4.0, count) + rng.standard_normal(count) * noise
        parts.append(np.column_stack((r * np.sin(t), r * np.cos(t))))
    return np.concatenate(parts), _labels(counts)


def moons(
    rng: np.random.Generator, n: int, noise: float, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's make_moons (outer moon class 0, inner class 1), then centred and scaled ×3.

    Noise is the Gaussian std in sklearn's units (before scaling), so ``noise=0.1`` looks like
    ``make_moons(noise=0.1)``.
    """
    n_out = n // 2
    n_in = n - n_out
    a_out = np.linspace(0.0, np.pi, n_out)
    a_in = np.linspace(0.0, np.pi, n_in)
    X = np.concatenate(
        (
            np.column_stack((np.cos(a_out), np.sin(a_out))),
            np.column_stack((1.0 - np.cos(a_in), 1.0 - np.sin(a_in) - 0.5)),
        )
    )
    X += rng.normal(0.0, noise, X.shape)
    X = (X - MOONS_CENTRE) * MOONS_SCALE
    return X, _labels(np.array([n_out, n_in]))


def checkerboard(
    rng: np.random.Generator, n: int, noise: float, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """U(−6, 6)² points; class = (⌊x/3⌋ + ⌊y/3⌋) mod 2, read at point + v·U(−3, 3) (as xor)."""
    X = rng.uniform(-6.0, 6.0, (n, 2))
    Q = X + rng.uniform(-CHECKER_SIZE, CHECKER_SIZE, (n, 2)) * noise
    cells = np.floor(Q / CHECKER_SIZE).astype(np.int64)
    return X, np.mod(cells.sum(axis=1), 2)


def blob_centres(classes: int) -> np.ndarray:
    """Centres evenly on a circle of radius 3.5, the first at the top, going anticlockwise."""
    angle = np.pi / 2.0 + 2.0 * np.pi * np.arange(classes) / classes
    return BLOB_RADIUS * np.column_stack((np.cos(angle), np.sin(angle)))


def blobs(
    rng: np.random.Generator, n: int, noise: float, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """K isotropic Gaussian blobs with std 0.6 + 3·noise around ``blob_centres(K)``."""
    counts = class_counts(n, classes)
    y = _labels(counts)
    X = blob_centres(classes)[y] + rng.normal(0.0, 0.6 + 3.0 * noise, (n, 2))
    return X, y
