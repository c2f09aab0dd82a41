"""Elementwise activation functions and their local gradients.

Each activation is a pair: ``f(z)`` and ``df(z, a)``, the local gradient ∂a/∂z given both the
input and the output (whichever is cheaper: tanh and sigmoid reuse ``a``, ReLU looks at ``z``).
Backprop through an activation is then ``dz = da * df(z, a)`` (ReLU's local gradient is the
boolean mask ``z > 0``: multiplying by it is cheaper than by a float copy).

Maxout is not elementwise (it is the max of two affine pieces), so the dense layer handles it;
it is listed here so every name the UI offers lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0
_GELU_C = np.sqrt(2.0 / np.pi)


@dataclass(frozen=True)
class Activation:
    name: str
    label: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]
    formula: str


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z), also the binary cross-entropy's output (losses)."""
    # The tanh form never overflows, unlike 1 / (1 + exp(-z)) for large negative z.
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


def _elu(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def _gelu_parts(z: np.ndarray) -> np.ndarray:
    return np.tanh(_GELU_C * (z + 0.044715 * z**3))


def _gelu(z: np.ndarray) -> np.ndarray:
    return 0.5 * z * (1.0 + _gelu_parts(z))


def _gelu_grad(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    t = _gelu_parts(z)
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _GELU_C * (1.0 + 3 * 0.044715 * z * z)


def _swish_grad(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    s = sigmoid(z)
    return s + a * (1.0 - s)


def _identity(z: np.ndarray) -> np.ndarray:
    return z


def _ones(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.ones_like(z)


def _maxout_placeholder(z: np.ndarray) -> np.ndarray:
    raise TypeError("maxout is not elementwise; the dense layer computes it from two pieces")


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("tanh", "tanh", np.tanh, lambda z, a: 1.0 - a * a, "tanh(z)"),
        Activation("sigmoid", "sigmoid", sigmoid, lambda z, a: a * (1.0 - a), "1 / (1 + e^-z)"),
        Activation("relu", "ReLU", lambda z: np.maximum(z, 0.0),
                   lambda z, a: z > 0, "max(0, z)"),
        Activation("leaky_relu", "leaky ReLU", lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
                   lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE), "max(0.01 z, z)"),
        Activation("elu", "ELU", _elu, lambda z, a: np.where(z > 0, 1.0, a + ELU_ALPHA),
                   "z if z > 0 else e^z - 1"),
        Activation("linear", "linear", _identity, _ones, "z"),
        Activation("softplus", "softplus", _softplus, lambda z, a: sigmoid(z), "log(1 + e^z)"),
        Activation("swish", "swish", lambda z: z * sigmoid(z), _swish_grad, "z · σ(z)"),
        Activation("gelu", "GELU", _gelu, _gelu_grad, "½z(1 + tanh(√(2/π)(z + 0.044715z³)))"),
        Activation("maxout", "maxout", _maxout_placeholder, _ones, "max(w₁ᵀx + b₁, w₂ᵀx + b₂)"),
    )
}

NAMES: tuple[str, ...] = tuple(ACTIVATIONS)

_ALIASES = {"leaky relu": "leaky_relu", "leakyrelu": "leaky_relu", "leaky-relu": "leaky_relu",
            "identity": "linear", "none": "linear", "logistic": "sigmoid", "silu": "swish"}


def canonical_name(name: str) -> str:
    """Accept the spellings people type ("Leaky ReLU", "identity") and return our key."""
    key = str(name).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(NAMES)}")
    return key


def get(name: str) -> Activation:
    return ACTIVATIONS[canonical_name(name)]


def activation_list(value: str | Sequence[str], units: int, where: str) -> list[str]:
    """One canonical name per neuron from a single name or a per-neuron list."""
    if isinstance(value, str):
        return [canonical_name(value)] * units
    names = [canonical_name(v) for v in value]
    if len(names) != units:
        raise ValueError(f"{where}: {len(names)} activations given for {units} units")
    return names
