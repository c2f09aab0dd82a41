"""One dense layer with a batch, taken apart as matrices: the lecture's vectorised backprop.

The layer computes ``S = X·W + b`` for a batch ``X`` (N × D), ``W`` (D × H), ``b`` (H,). Given
``dS = ∂L/∂S`` (N × H) from above, its gradients follow from the shapes alone: ``dW = Xᵀ·dS``
(D × H, like W), ``db = Σ rows of dS`` (H, like b) and ``dX = dS·Wᵀ`` (N × D, like X), which is
what the layer below receives. :func:`dense_batch` computes these from a real network and
checks them against the network's own backward pass and against centred differences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core import activations as acts
from playground.core.gradcheck import numerical_gradient, relative_error
from playground.core.network import LayerGradients, Network

NUMERIC_CHECK_LIMIT = 400  # weights; each costs two forward passes of the batch


@dataclass(frozen=True)
class DenseBatch:
    """A layer's forward and backward matrices for one batch (copies, safe to keep).

    ``net_dW``/``net_db`` are what ``Network.backward`` wrote, for comparison with ``dW``/``db``.
    ``numeric_error`` is the relative error of ``dW`` against centred differences of the batch
    loss, or None when W is too big to check. ``note`` explains a maxout layer's view.
    """

    layer: int
    X_in: np.ndarray
    W: np.ndarray
    b: np.ndarray
    S: np.ndarray
    dS: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    dX: np.ndarray
    loss: float
    net_dW: np.ndarray
    net_db: np.ndarray
    numeric_error: float | None
    slopes: np.ndarray
    maxout: bool = False
    note: str = ""

    def activation_jacobian(self, point: int = 0) -> np.ndarray:
        """∂a/∂S for one point (H × H): the activation works elementwise, so only the
        diagonal holds anything, each neuron's slope at its own S."""
        return np.diag(self.slopes[point])

    @property
    def multiply_jacobian(self) -> np.ndarray:
        """∂S/∂x for one point (H × D): S = x·W + b, so ∂S_j/∂x_i = W[i, j], i.e. Wᵀ — the
        lecture's W·x has W (H × D) as its own Jacobian."""
        return self.W.T.copy()

    @property
    def matches_network(self) -> bool:
        """Whether ``Xᵀ·dS`` and ``Σ dS`` agree with the network's own gradient."""
        return bool(np.allclose(self.dW, self.net_dW, rtol=1e-12, atol=1e-15)
                    and np.allclose(self.db, self.net_db, rtol=1e-12, atol=1e-15))


def dense_batch(net: Network, X: np.ndarray, y: np.ndarray, layer: int) -> DenseBatch:
    """Layer ``layer`` (1-based over hidden and output layers) of ``net`` on the batch (X, y).

    The loss is the data loss only (no regularisation), so that ``dS`` is the gradient the
    matrices explain. The numeric check perturbs ``net``'s weights in place and restores them.
    """
    count = len(net.layers)
    if not 1 <= layer <= count:
        raise ValueError(f"no layer {layer}: the network has layers 1 to {count}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    scores, cache = net.forward_cache(X)
    loss, dscores = net.loss.value_and_grad(scores, y)
    grad_flat = np.zeros(net.layout.size)
    views = net.layout.views(grad_flat)
    record: list[LayerGradients] = []
    net.backward(cache, dscores, views, record=record)

    a_in, z, a_out, z2, _ = cache[layer - 1]
    W_key, b_key, *_ = net.layer_keys(layer)
    W = net.params[W_key]
    dS = record[layer - 1].dz
    dW = a_in.T @ dS
    maxout = net.layer(layer).has_maxout
    note = ""
    if maxout:
        note = (f"Maxout layer: shown is its first affine piece W{layer}, b{layer}; the second "
                f"piece W{layer}_2 works the same way, and the layer below receives the sum of "
                "both pieces' dX.")
    numeric = None
    if W.size <= NUMERIC_CHECK_LIMIT:
        numeric = relative_error(dW, numerical_gradient(lambda: net.data_loss(X, y), W))
    slopes = _slopes(net.layer(layer).activations, z, a_out, z2)
    return DenseBatch(layer=layer, slopes=slopes, X_in=a_in.copy(), W=W.copy(),
                      b=net.params[b_key].copy(), S=z.copy(), dS=dS.copy(), dW=dW,
                      db=dS.sum(axis=0), dX=dS @ W.T, loss=float(loss),
                      net_dW=views[W_key].copy(), net_db=views[b_key].copy(),
                      numeric_error=numeric, maxout=maxout, note=note)


def _slopes(names: list[str], z: np.ndarray, a: np.ndarray, z2: np.ndarray | None) -> np.ndarray:
    """∂a/∂S entry by entry: each neuron's activation slope (a maxout neuron's slope with
    respect to its first piece: 1 where that piece wins)."""
    slopes = np.ones_like(z)
    for j, name in enumerate(names):
        if name == "maxout":
            slopes[:, j] = z[:, j] >= z2[:, j]
        elif name != "linear":
            slopes[:, j] = acts.get(name).df(z[:, j], a[:, j])
    return slopes
