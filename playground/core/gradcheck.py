"""Centred-difference gradients: the ground truth every analytic gradient is tested against.

``(f(x + h) − f(x − h)) / 2h`` has error O(h²); in float64 with h = 1e-5 a correct backward
pass agrees to a relative error around 1e-9, a wrong one is off by orders of magnitude.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """∂f/∂x for every entry of ``x``, perturbing ``x`` in place (and restoring it)."""
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2.0 * h)
    return grad


def partial_derivatives(f: Callable[[Mapping[str, float]], float],
                        values: Mapping[str, float], h: float = 1e-5) -> dict[str, float]:
    """∂f/∂v for each named scalar ``v``: (f(v + h) − f(v − h)) / 2h, the others held fixed.

    ``f`` recomputes from the values alone (e.g. rebuilds a gate graph), so the check trusts nothing
    of the backward pass it is compared with. Where ``v ± s`` leaves ``f``'s domain (``f``
    raises ValueError, as the gate graph does for log of a negative number) the estimate is
    NaN: there is no centred difference there.
    """
    grads = {}
    for name, value in values.items():
        try:
            up = f({**values, name: value + h})
            down = f({**values, name: value - h})
        except (ValueError, OverflowError, ZeroDivisionError):
            grads[name] = float("nan")
            continue
        grads[name] = (up - down) / (2.0 * h)
    return grads


def scalars_agree(a: float, b: float, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Two gradients agree: within ``rtol`` of the larger, or both within ``atol`` of 0
    (a centred difference of a flat function is rounding noise, not a gradient)."""
    return abs(a - b) <= max(rtol * max(abs(a), abs(b)), atol)


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖), 0 when both are zero.

    Taken over the whole array rather than per entry: a centred difference carries an absolute
    round-off of ~1e-11, which per entry would swamp gradients that are merely tiny.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0.0 else float(np.linalg.norm(a - b) / scale)


def check_gradients(loss: Callable[[], float], params: Mapping[str, np.ndarray],
                    analytic: Mapping[str, np.ndarray], h: float = 1e-5) -> dict[str, float]:
    """Relative error per parameter between ``analytic`` and centred differences of ``loss``."""
    return {k: relative_error(analytic[k], numerical_gradient(loss, params[k], h))
            for k in params}


def check_network(net, X: np.ndarray, y: np.ndarray, h: float = 1e-5,
                  dropout_seed: int | None = None) -> dict[str, float]:
    """Gradient check of ``net.loss_and_grads`` on (X, y), per parameter.

    With ``dropout_seed`` the check runs in training mode with the same dropout mask on
    every evaluation (a fresh generator seeded alike each time).
    """
    training = dropout_seed is not None

    def rng() -> np.random.Generator | None:
        return np.random.default_rng(dropout_seed) if training else None

    def loss() -> float:
        return net.loss_and_grads(X, y, training=training, rng=rng())[0]

    _, grads = net.loss_and_grads(X, y, training=training, rng=rng())
    return check_gradients(loss, net.params, grads, h)
