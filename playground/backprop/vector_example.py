"""The lecture's vectorised example: f(x, W) = ‖W·x‖² = Σᵢ (W·x)ᵢ², with its gradients
∂f/∂W = 2q·xᵀ and ∂f/∂x = 2Wᵀ·q, and the Jacobians behind them.

Staged as the lecture draws it: q = W·x (a matrix multiply), s = q² (an elementwise gate),
f = Σ s. The Jacobian of the elementwise gate is diagonal, diag(2q); that of the multiply with
respect to x is W itself. Nobody builds the big Jacobian ∂q/∂W (n × n·d, mostly zeros): the
gradient dW = dq·xᵀ is what it comes to. The numbers are the lecture's: W = [[0.1, 0.5],
[−0.3, 0.8]], x = [0.2, 0.4] give q = [0.22, 0.26], f = 0.116.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.gradcheck import numerical_gradient, relative_error

LECTURE_W = ((0.1, 0.5), (-0.3, 0.8))
LECTURE_X = (0.2, 0.4)


@dataclass(frozen=True)
class NormExample:
    """Every number of the example; W is (n × d) as the lecture writes W·x."""

    W: np.ndarray
    x: np.ndarray
    q: np.ndarray
    f: float
    dq: np.ndarray
    dW: np.ndarray  # noqa: N815 (the lecture's name)
    dx: np.ndarray
    numeric_error: float

    @property
    def jacobian_square(self) -> np.ndarray:
        """∂s/∂q for the elementwise s = q²: diagonal, 2q on the diagonal."""
        return np.diag(2 * self.q)

    @property
    def jacobian_x(self) -> np.ndarray:
        """∂q/∂x for q = W·x: W itself (n × d)."""
        return self.W.copy()

    @property
    def jacobian_W(self) -> np.ndarray:
        """∂q/∂W (n × n·d, W flattened by rows): row i holds x in the block of W's row i and
        zeros elsewhere, which is why dW = dq·xᵀ."""
        n, d = self.W.shape
        jac = np.zeros((n, n * d))
        for i in range(n):
            jac[i, i * d:(i + 1) * d] = self.x
        return jac


def norm_example(W: np.ndarray | None = None, x: np.ndarray | None = None) -> NormExample:
    """f = ‖W·x‖² and its gradients (the lecture's numbers by default), checked against
    centred differences."""
    W = np.array(LECTURE_W if W is None else W, dtype=float)
    x = np.array(LECTURE_X if x is None else x, dtype=float)
    q = W @ x
    dq = 2 * q
    dW = np.outer(dq, x)
    dx = W.T @ dq
    grad_W = numerical_gradient(lambda: float(np.sum((W @ x) ** 2)), W)
    grad_x = numerical_gradient(lambda: float(np.sum((W @ x) ** 2)), x)
    error = max(relative_error(dW, grad_W), relative_error(dx, grad_x))
    return NormExample(W=W, x=x, q=q, f=float(q @ q), dq=dq, dW=dW, dx=dx,
                       numeric_error=float(error))
