"""L1 and L2 on the weights (never the biases), and L1's landing on zero.

L2 is ½λ‖W‖² (gradient λW), L1 is λ‖W‖₁ (gradient λ·sign W). L1 alone would make a small
weight hop around zero by lr·λ forever, so sparsity would never show. As TF Playground does, a
weight whose step would take it across zero lands on exactly 0; and at 0 the L1 term takes the
subgradient that cancels as much of the data gradient as λ allows, so a zero weight stays 0
while the data pull on it more weakly than λ, and leaves 0 when they pull harder.
"""

from __future__ import annotations

import numpy as np


def penalty(w: np.ndarray, l1: float, l2: float, grad: np.ndarray | None = None) -> float:
    """The penalty on weights ``w``; with ``grad`` (holding the data gradient of ``w``), adds
    the penalty's gradient to it in place."""
    total = 0.0
    if l2:
        total += 0.5 * l2 * float(np.dot(w, w))
        if grad is not None:
            grad += l2 * w
    if l1:
        total += l1 * float(np.abs(w).sum())
        if grad is not None:
            zero = w == 0.0
            grad += l1 * np.sign(w)
            grad[zero] -= np.clip(grad[zero], -l1, l1)
    return total


def land_zeros(w: np.ndarray, before: np.ndarray, grad: np.ndarray) -> None:
    """After a step with L1 on (``before``: the weights before it, ``grad``: the gradient it
    took): a weight that crossed zero, or a zero weight the L1 term held, is exactly 0."""
    w[(w * before < 0.0) | ((before == 0.0) & (grad == 0.0))] = 0.0
