"""A trained network as a PyTorch ``nn.Module`` script, for the student who outgrows the app.

The script defines the same network (the input features, one ``nn.Linear`` per layer, each
neuron's own activation, maxout's second piece, dropout, the output activation) and loads
the weights from the ``.npz`` the app saves beside it (W is stored fan_in × fan_out, so
``Linear.weight`` takes its transpose). ``model.predict(x)`` gives what the app shows;
``model(x)`` gives the last layer's scores, what ``nn.CrossEntropyLoss`` and friends take, so
training can go on in PyTorch. PyTorch is needed to run the script, never by the app.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from playground import __version__
from playground.core.network import Network
from playground.files.atomic import atomic_write
from playground.io.weights import save_weights

_SCRIPT = '''\
"""A {arch} network trained in Neural Playground {version}, as a PyTorch module.

    model = load_npz(PlaygroundNet(), WEIGHTS)   # the weights saved beside this script
    model.predict(x)   # what the app shows: {outputs}
    model(x)           # the last layer's scores (logits), for PyTorch's losses

x holds points (n, 2), one (x1, x2) per row, as float64 (model.double() is the default here).
"""

from pathlib import Path

import numpy as np
import torch
from torch import nn

WEIGHTS = Path(__file__).with_name({weights!r})
FEATURES = {features!r}
CLASSES = {classes!r}
LOSS = {loss!r}
HIDDEN = {hidden!r}
"""Per hidden layer: each neuron's activation, and the dropout rate."""
OUTPUTS = {outputs_count!r}
OUTPUT_ACTIVATION = {output_activation!r}

FEATURE_FORMULAS = {{
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: torch.sin(x1),
    "sin(x2)": lambda x1, x2: torch.sin(x2),
}}

ACTIVATIONS = {{
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "leaky_relu": lambda z: nn.functional.leaky_relu(z, 0.01),
    "elu": lambda z: nn.functional.elu(z, 1.0),
    "linear": lambda z: z,
    "softplus": lambda z: torch.logaddexp(z, torch.zeros_like(z)),
    "swish": lambda z: z * torch.sigmoid(z),
    "gelu": lambda z: nn.functional.gelu(z, approximate="tanh"),
}}


class Features(nn.Module):
    """The network's inputs, computed from the points' (x1, x2)."""

    def forward(self, x):
        return torch.stack([FEATURE_FORMULAS[f](x[:, 0], x[:, 1]) for f in FEATURES], dim=1)


class Dense(nn.Module):
    """A layer whose neurons may each have their own activation; a maxout neuron takes the
    larger of two affine pieces (the second in ``second``)."""

    def __init__(self, fan_in, activations, dropout=0.0):
        super().__init__()
        units = len(activations)
        self.linear = nn.Linear(fan_in, units)
        self.second = nn.Linear(fan_in, units) if "maxout" in activations else None
        self.groups = [(name, [j for j, a in enumerate(activations) if a == name])
                       for name in sorted(set(activations))]
        self.dropout = nn.Dropout(dropout) if dropout else nn.Identity()

    def forward(self, a):
        z = self.linear(a)
        out = torch.empty_like(z)
        for name, index in self.groups:
            if name == "maxout":
                out[:, index] = torch.maximum(z[:, index], self.second(a)[:, index])
            else:
                out[:, index] = ACTIVATIONS[name](z[:, index])
        return self.dropout(out)


class PlaygroundNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = Features()
        widths = [len(FEATURES)] + [len(names) for names, _ in HIDDEN]
        layers = [Dense(fan_in, names, dropout)
                  for fan_in, (names, dropout) in zip(widths, HIDDEN)]
        layers.append(Dense(widths[-1], [OUTPUT_ACTIVATION] * OUTPUTS))
        self.layers = nn.ModuleList(layers)
        self.double()

    def forward(self, x):
        a = self.features(x)
        for layer in self.layers:
            a = layer(a)
        return a

    @torch.no_grad()
    def predict(self, x):
        """What the app shows for points x (n, 2): softmax probabilities, P(class 1) for
        binary cross-entropy, else the scores or values."""
        was_training = self.training
        self.eval()
        s = self(torch.as_tensor(x, dtype=torch.float64))
        self.train(was_training)
        if LOSS == "softmax":
            return torch.softmax(s, dim=1)
        if LOSS == "bce":
            return torch.sigmoid(s)
        return s


def load_npz(model, path):
    """Copy the weights of a Neural Playground .npz into ``model``."""
    with np.load(path, allow_pickle=False) as arrays, torch.no_grad():
        for k, layer in enumerate(model.layers, start=1):
            layer.linear.weight.copy_(torch.from_numpy(arrays[f"W{{k}}"].T))
            layer.linear.bias.copy_(torch.from_numpy(arrays[f"b{{k}}"]))
            if layer.second is not None:
                layer.second.weight.copy_(torch.from_numpy(arrays[f"W{{k}}_2"].T))
                layer.second.bias.copy_(torch.from_numpy(arrays[f"b{{k}}_2"]))
    return model


if __name__ == "__main__":
    model = load_npz(PlaygroundNet(), WEIGHTS)
    points = torch.tensor([[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    print(model)
    print("outputs:", model.predict(points))
'''

OUTPUTS = {"softmax": "class probabilities", "bce": "P(class 1)", "hinge": "class scores",
           "mse": "values"}


def torch_script(net: Network, features: Sequence[str], class_names: Sequence[str] | None,
                 weights_name: str) -> str:
    """The script's text; it loads ``weights_name`` (a file name beside it)."""
    return _SCRIPT.format(
        arch="-".join(map(str, net.sizes)), version=__version__, weights=weights_name,
        outputs=OUTPUTS[net.loss.name], features=list(features),
        classes=list(class_names) if class_names is not None else None, loss=net.loss.name,
        hidden=[(list(h.activations), h.dropout) for h in net.hidden],
        outputs_count=net.outputs, output_activation=net.output_activation)


def save_torch(path: str | os.PathLike, net: Network, features: Sequence[str],
               class_names: Sequence[str] | None = None) -> tuple[Path, Path]:
    """Write the script to ``path`` and the weights beside it (same name, ``.npz``);
    returns both paths."""
    script = Path(path)
    weights = script.with_suffix(".npz")
    if weights == script:
        weights = script.with_name(script.name + ".npz")
    text = torch_script(net, features, class_names, weights.name)
    save_weights(weights, net, features=features, class_names=class_names)
    atomic_write(script, lambda handle: handle.write(text), mode="w")
    return script, weights
