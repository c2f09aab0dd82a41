"""TF Playground's six generators, transcribed from its ``dataset.ts``.

Each function takes a NumPy ``Generator``, the number of points and the noise level ``v``
(0–0.5) and returns the points *unshuffled* (``datasets.make_dataset`` shuffles them).
Classification labels are already mapped to class indices: TF's +1 → 1, −1 → 0.

Where ``n`` is odd, TF's ``i < n / 2`` loops would make ``n + 1`` points; here the first half
(inner ring, positive Gaussian, positive arm) gets the extra point so exactly ``n`` come back.
"""

from __future__ import annotations

import numpy as np

RADIUS = 5.0  # TF's circle/xor radius
REGRESS_RADIUS = 6.0  # TF's regression sampling square is [-6, 6]²
XOR_PADDING = 0.3

# (cx, cy, sign) of TF's regression Gaussians, in TF's order (it matters for ties).
MULTI_GAUSS_CENTRES = np.array(
    [
        [-4.0, 2.5, 1.0],
        [0.0, 2.5, -1.0],
        [4.0, 2.5, 1.0],
        [-4.0, -2.5, -1.0],
        [0.0, -2.5, 1.0],
        [4.0, -2.5, -1.0],
    ]
)


def _halves(n: int) -> tuple[int, int]:
    """Sizes of the first and second half; the first gets the odd point."""
    return n - n // 2, n // 2


def _ring(rng: np.random.Generator, m: int, rmin: float, rmax: float) -> np.ndarray:
    """``m`` points with r ~ U(rmin, rmax), θ ~ U(0, 2π), placed TF-style at (r sin θ, r cos θ)."""
    r = rng.uniform(rmin, rmax, m)
    theta = rng.uniform(0.0, 2.0 * np.pi, m)
    return np.column_stack((r * np.sin(theta), r * np.cos(theta)))


def circle(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Inner disc (r < 2.5) then outer ring (3.5 ≤ r < 5); noise flips labels, points stay."""
    n_in, n_out = _halves(n)
    X = np.concatenate(
        (_ring(rng, n_in, 0.0, RADIUS * 0.5), _ring(rng, n_out, RADIUS * 0.7, RADIUS))
    )
    jitter = rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    y = (np.hypot(*(X + jitter).T) < RADIUS * 0.5).astype(np.int64)
    return X, y


def xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Four quadrants, points pushed 0.3 off the axes; class 1 where x·y ≥ 0 (after label noise)."""
    X = rng.uniform(-RADIUS, RADIUS, (n, 2))
    X += np.where(X > 0, XOR_PADDING, -XOR_PADDING)
    Q = X + rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    y = (Q[:, 0] * Q[:, 1] >= 0).astype(np.int64)
    return X, y


def gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussians at (2, 2) → class 1 and (−2, −2) → class 0, variance 0.5 + 7v, unclamped."""
    n_pos, n_neg = _halves(n)
    std = np.sqrt(0.5 + 7.0 * noise)
    pos = rng.normal(2.0, std, (n_pos, 2))
    neg = rng.normal(-2.0, std, (n_neg, 2))
    y = np.concatenate((np.ones(n_pos, np.int64), np.zeros(n_neg, np.int64)))
    return np.concatenate((pos, neg)), y


def spiral_arm(count: int, half: float, delta: float) -> np.ndarray:
    """Noise-free TF spiral arm: r = 5i/half, t = 1.75·2π·i/half + delta, p = (r sin t, r cos t)."""
    i = np.arange(count, dtype=np.float64)
    r = i / half * RADIUS
    t = 1.75 * i / half * 2.0 * np.pi + delta
    return np.column_stack((r * np.sin(t), r * np.cos(t)))


def spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved arms (Δ = 0 → class 1, Δ = π → class 0), each jittered by v·U(−1, 1)²."""
    n_pos, n_neg = _halves(n)
    half = n / 2.0  # TF divides by numSamples / 2, a float when n is odd
    X = np.concatenate((spiral_arm(n_pos, half, 0.0), spiral_arm(n_neg, half, np.pi)))
    X += rng.uniform(-1.0, 1.0, (n, 2)) * noise
    y = np.concatenate((np.ones(n_pos, np.int64), np.zeros(n_neg, np.int64)))
    return X, y


def _regression_points(
    rng: np.random.Generator, n: int, noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """Points ~ U(−6, 6)² and the noisy positions their targets are read at (points stay put)."""
    X = rng.uniform(-REGRESS_RADIUS, REGRESS_RADIUS, (n, 2))
    Q = X + rng.uniform(-REGRESS_RADIUS, REGRESS_RADIUS, (n, 2)) * noise
    return X, Q


def plane_target(Q: np.ndarray) -> np.ndarray:
    """TF's plane: (x + y) / 10 — d3 scale [-10, 10] → [-1, 1], not clamped."""
    return (Q[:, 0] + Q[:, 1]) / 10.0


def plane(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Regression on a tilted plane; noise shifts where the target is read, not the point."""
    X, Q = _regression_points(rng, n, noise)
    return X, plane_target(Q)


def multi_gauss_target(Q: np.ndarray) -> np.ndarray:
    """sign · clamp(1 − d/2, 0, 1) of the centre with the largest |value| (first wins ties)."""
    d = np.hypot(
        Q[:, 0, None] - MULTI_GAUSS_CENTRES[:, 0], Q[:, 1, None] - MULTI_GAUSS_CENTRES[:, 1]
    )
    values = MULTI_GAUSS_CENTRES[:, 2] * np.clip(1.0 - d / 2.0, 0.0, 1.0)
    best = np.argmax(np.abs(values), axis=1)
    return values[np.arange(len(Q)), best] + 0.0  # + 0.0 turns -0.0 into 0.0


def multi_gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Six ±1 bumps; points ~ U(−6, 6)², target read at point + v·U(−6, 6)² (as TF does)."""
    X, Q = _regression_points(rng, n, noise)
    return X, multi_gauss_target(Q)
