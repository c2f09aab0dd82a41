"""A trained network as one standalone NumPy script: the way to take it anywhere.

The script holds the weights as literals (every number written exactly, so its outputs are
the app's to the last bit a float can hold), computes the input features, every neuron's own
activation (maxout's second piece included) and the loss's output (softmax or sigmoid
probabilities, or the scores and values themselves), and needs nothing but NumPy:
``predict(X)`` for points ``X`` of shape (n, 2) gives what the app shows for them.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from playground import __version__
from playground.core.network import Network
from playground.core.params import param_keys
from playground.files.atomic import atomic_write

MAX_SCRIPT_PARAMETERS = 1_000_000
"""Larger networks are refused: their script would be tens of megabytes of digits (save the
weights as .npz instead)."""

_FEATURES = '''\
FEATURE_FORMULAS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}'''

_ACTIVATIONS = '''\
def _sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def _gelu(z):
    return 0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z**3)))


ACTIVATIONS = {
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
    "linear": lambda z: z,
    "softplus": lambda z: np.logaddexp(0.0, z),
    "swish": lambda z: z * _sigmoid(z),
    "gelu": _gelu,
}'''

_BODY = '''

def features(X):
    """The network's inputs for points X of shape (n, 2): the columns FEATURES names."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    return np.column_stack([FEATURE_FORMULAS[f](X[:, 0], X[:, 1]) for f in FEATURES])


def dense(a, layer):
    """One layer: z = a @ W + b, then each neuron's own activation (maxout: the larger of
    two affine pieces)."""
    z = a @ layer["W"] + layer["b"]
    out = np.empty_like(z)
    for j, name in enumerate(layer["activations"]):
        if name == "maxout":
            out[:, j] = np.maximum(z[:, j], a @ layer["W2"][:, j] + layer["b2"][j])
        else:
            out[:, j] = ACTIVATIONS[name](z[:, j])
    return out


def scores(X):
    """The last layer's outputs (what the loss reads)."""
    a = features(X)
    for layer in LAYERS:
        a = dense(a, layer)
    return a


def predict(X):
    """What the app shows for points X (n, 2): class probabilities (softmax), P(class 1)
    (binary cross-entropy), or the scores and values themselves (hinge, mean squared error).
    """
    s = scores(X)
    if LOSS == "softmax":
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    if LOSS == "bce":
        return _sigmoid(s)
    return s


def predict_class(X):
    """The class index of each point (classification only)."""
    s = scores(X)
    if s.shape[1] == 1:
        return (s[:, 0] > 0).astype(np.int64)
    return s.argmax(axis=1)


if __name__ == "__main__":
    points = np.array([[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]])
    np.set_printoptions(precision=4, suppress=True)
    print("points:", points.tolist())
    print("outputs:", predict(points))
'''


def _array(value: np.ndarray) -> str:
    """An exact NumPy literal (repr of a Python float round-trips)."""
    return f"np.array({value.tolist()!r})"


def _layers(net: Network) -> str:
    lines = ["LAYERS = ["]
    for column, layer in enumerate(net.layers, start=1):
        W, b, *second = (net.params[key] for key in param_keys(column, layer.has_maxout))
        lines.append("    {")
        lines.append(f"        \"W\": {_array(W)},")
        lines.append(f"        \"b\": {_array(b)},")
        lines.append(f"        \"activations\": {list(layer.activations)!r},")
        if second:
            lines.append(f"        \"W2\": {_array(second[0])},")
            lines.append(f"        \"b2\": {_array(second[1])},")
        lines.append("    },")
    lines.append("]")
    return "\n".join(lines)


OUTPUTS = {"softmax": "class probabilities (softmax)", "bce": "P(class 1) (sigmoid)",
           "hinge": "class scores (hinge)", "mse": "values (mean squared error)"}


def python_script(net: Network, features: Sequence[str],
                  class_names: Sequence[str] | None = None) -> str:
    """The script's text for ``net``, fed the ``features`` of the points; ``class_names``
    name the classes (None for regression)."""
    if net.count_parameters() > MAX_SCRIPT_PARAMETERS:
        raise ValueError(f"a network of {net.count_parameters():,} parameters is too large "
                         "for a script; save its weights (.npz) instead")
    arch = "-".join(map(str, net.sizes))
    names = list(class_names) if class_names is not None else None
    classes = " CLASSES names the classes in order." if names else ""
    about = textwrap.fill(f"predict(X) gives {OUTPUTS[net.loss.name]} for points X of shape "
                          f"(n, 2), one (x1, x2) per row.{classes}", 88)
    header = (f'"""A {arch} network trained in Neural Playground {__version__}, as plain '
              f'NumPy.\n\n{about}\n\n    from this_file import predict\n"""\n\n'
              "import numpy as np\n\n")
    constants = (f"FEATURES = {list(features)!r}\nCLASSES = {names!r}\n"
                 f"LOSS = {net.loss.name!r}")
    return "\n\n".join([header + constants, _FEATURES, _ACTIVATIONS, _layers(net)]) + _BODY


def save_python(path: str | os.PathLike, net: Network, features: Sequence[str],
                class_names: Sequence[str] | None = None) -> Path:
    """Write :func:`python_script` to ``path`` atomically."""
    text = python_script(net, features, class_names)
    return atomic_write(path, lambda handle: handle.write(text), mode="w")
