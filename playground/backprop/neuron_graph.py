"""One neuron of a trained network as a gate graph, at one training point.

The neuron computes ``a = act(w · x + b)`` (a maxout neuron ``max(w · x + b, w′ · x + b′)``):
one mul gate per weight, a balanced tree of add gates, the bias, then its activation gate. Its
inputs ``x`` are what the previous layer output for that point. The backward pass is seeded
with ∂L/∂a, what the network's own backward pass sends to this neuron for that point, so the
gradients the walkthrough produces are the network's: ∂L/∂w is this point's share of the
weight gradient. ``network_grads`` holds those numbers, read from the network's backward pass,
for the explainer (and the tests) to set beside the graph's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from playground.backprop.graph import Value
from playground.core import activations as acts
from playground.core.network import Network

_OWN_GATES = {"tanh": Value.tanh, "sigmoid": Value.sigmoid, "relu": Value.relu}


@dataclass(frozen=True)
class NeuronGraph:
    """A neuron's graph with its forward pass done, and how to check it.

    ``values`` are the leaves' numbers, ``seed`` is ∂L/∂a for the point and
    ``network_grads`` the network's own ∂L/∂(each leaf).
    """

    title: str
    output: Value
    inputs: dict[str, Value]
    values: dict[str, float]
    seed: float
    loss: float
    network_grads: dict[str, float]
    input_names: tuple[str, ...]
    activation: str

    def numeric_grads(self, h: float = 1e-5) -> dict[str, float]:
        """seed · centred differences of the neuron's output for every leaf at once.

        The neuron is recomputed with NumPy for all 2 × leaves perturbed copies in one go
        (rebuilding a 64-input graph per copy would take a noticeable fraction of a second).
        """
        names = list(self.values)
        v = np.array([self.values[n] for n in names])
        copies = np.repeat(v[None, :], 2 * len(v), axis=0)
        rows = np.arange(len(v))
        copies[2 * rows, rows] += h
        copies[2 * rows + 1, rows] -= h
        column = {name: copies[:, k] for k, name in enumerate(names)}

        def affine(w: str, b: str) -> np.ndarray:
            return sum(column[f"{w}{i + 1}"] * column[x]
                       for i, x in enumerate(self.input_names)) + column[b]

        if self.activation == "maxout":
            out = np.maximum(affine("w", "b"), affine("w′", "b′"))
        else:
            out = acts.get(self.activation).f(affine("w", "b"))
        grads = self.seed * (out[0::2] - out[1::2]) / (2 * h)
        return dict(zip(names, grads.tolist(), strict=True))


def activation_gate(z: Value, name: str) -> Value:
    """``name``'s activation as one gate; tanh, σ and relu are the graph's own gates, the
    others take their value and local gradient from the network's activation code."""
    if name in _OWN_GATES:
        return _OWN_GATES[name](z)
    if name == "linear":
        return z
    act = acts.get(name)
    zs = np.array([z.data])
    a = act.f(zs)
    local = float(np.asarray(act.df(zs, a), dtype=float)[0])
    return Value(float(a[0]), op=name, label=act.label, inputs=(z,), local_grads=(local,))


def _sum(terms: list[Value]) -> Value:
    """A balanced tree of add gates, so a wide layer stays a shallow drawing."""
    while len(terms) > 1:
        pairs = [terms[k] + terms[k + 1] for k in range(0, len(terms) - 1, 2)]
        terms = pairs + ([terms[-1]] if len(terms) % 2 else [])
    return terms[0]


def _build(input_names: Sequence[str], activation: str,
           values: Mapping[str, float]) -> tuple[Value, dict[str, Value]]:
    leaves: dict[str, Value] = {}

    def leaf(name: str) -> Value:
        leaves[name] = Value(values[name], name=name)
        return leaves[name]

    xs = [leaf(name) for name in input_names]

    def affine(w: str, b: str) -> Value:
        return _sum([leaf(f"{w}{i + 1}") * x for i, x in enumerate(xs)]) + leaf(b)

    if activation == "maxout":
        return affine("w", "b").max(affine("w′", "b′")), leaves
    return activation_gate(affine("w", "b"), activation), leaves


def neuron_graph(net: Network, layer: int, index: int, x: np.ndarray, y: object,
                 input_names: Sequence[str] | None = None) -> NeuronGraph:
    """Neuron ``index`` of ``layer`` (1-based over hidden and output layers) at the point
    whose network inputs are ``x`` and label ``y``.

    ``input_names`` name the neuron's inputs (default x1… for the first layer, a1… after).
    The network's loss for the point is its data loss alone: regularisation is not part of
    any one point's graph.
    """
    if not 1 <= layer <= len(net.layers):
        raise IndexError(f"no layer {layer} (the network has {len(net.layers)})")
    units = net.sizes[layer]
    if not 0 <= index < units:
        raise IndexError(f"layer {layer} has no neuron {index + 1}")
    X = np.asarray(x, dtype=float).reshape(1, -1)
    scores, cache = net.forward_cache(X)
    loss, dscores = net.loss.value_and_grad(scores, np.asarray([y]))
    grad_flat = np.zeros(net.layout.size)
    grads = net.layout.views(grad_flat)
    record: list = []
    net.backward(cache, dscores, grads, record=record)

    fan_in = net.sizes[layer - 1]
    if input_names is None:
        prefix = "x" if layer == 1 else "a"
        input_names = [f"{prefix}{i + 1}" for i in range(fan_in)]
    if len(input_names) != fan_in:
        raise ValueError(f"{len(input_names)} input names for {fan_in} inputs")
    activation = net.layer(layer).activations[index]
    keys = net.layer_keys(layer)
    pieces = [("w", "b", keys[0], keys[1])]
    if activation == "maxout":
        pieces.append(("w′", "b′", keys[2], keys[3]))

    values = {name: float(v) for name, v in zip(input_names, cache[layer - 1].a_in[0],
                                                strict=True)}
    expected = dict.fromkeys(input_names, 0.0)
    for w, b, W_key, b_key in pieces:
        W = net.params[W_key][:, index]
        for i in range(fan_in):
            values[f"{w}{i + 1}"] = float(W[i])
            expected[f"{w}{i + 1}"] = float(grads[W_key][i, index])
            expected[input_names[i]] += float(W[i] * grads[b_key][index])
        values[b] = float(net.params[b_key][index])
        expected[b] = float(grads[b_key][index])

    output, inputs = _build(input_names, activation, values)
    where = "Output" if layer == len(net.layers) else f"Layer {layer},"
    title = f"{where} neuron {index + 1} ({acts.get(activation).label})"
    return NeuronGraph(title, output, inputs, values, float(record[layer - 1].da[0, index]),
                       float(loss), expected, tuple(input_names), activation)
