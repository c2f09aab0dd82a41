"""The lecture's ‖W·x‖² example: its numbers, its gradients and its Jacobians."""

import numpy as np
import pytest

from playground.backprop.vector_example import norm_example


def test_the_lectures_numbers():
    e = norm_example()
    np.testing.assert_allclose(e.q, [0.22, 0.26])
    assert e.f == pytest.approx(0.116)
    np.testing.assert_allclose(e.dq, [0.44, 0.52])
    np.testing.assert_allclose(e.dW, [[0.088, 0.176], [0.104, 0.208]])   # 2q·xᵀ
    np.testing.assert_allclose(e.dx, [-0.112, 0.636])                    # 2Wᵀq
    assert e.numeric_error < 1e-9


def test_the_jacobians_explain_the_gradients():
    e = norm_example()
    np.testing.assert_allclose(e.jacobian_square, [[0.44, 0], [0, 0.52]])  # elementwise: diagonal
    np.testing.assert_array_equal(e.jacobian_x, e.W)
    np.testing.assert_allclose(e.jacobian_x.T @ e.dq, e.dx)
    np.testing.assert_allclose((e.dq @ e.jacobian_W).reshape(e.W.shape), e.dW)


def test_any_shapes_work():
    rng = np.random.default_rng(0)
    W, x = rng.normal(size=(3, 4)), rng.normal(size=4)
    e = norm_example(W, x)
    assert e.dW.shape == (3, 4) and e.dx.shape == (4,) and e.jacobian_W.shape == (3, 12)
    assert e.numeric_error < 1e-8
