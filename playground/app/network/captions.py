"""What the network picture calls things: column titles and captions, output names, a
neuron's tooltip. Plain functions of a snapshot."""

from __future__ import annotations

from playground.core import activations as acts
from playground.core.params import bias_key
from playground.core.snapshot import Snapshot
from playground.data import feature_label


def activation_label(name: str) -> str:
    try:
        return acts.get(name).label
    except ValueError:
        return name


def column_captions(snap: Snapshot, layer: int) -> tuple[str, str]:
    """A column's title and the line under it: the activation, "mixed", or the output's."""
    last = len(snap.sizes) - 1
    if layer == 0:
        return "Input", "features"
    if layer == last:
        out = {"softmax": "softmax", "bce": "sigmoid"}.get(snap.loss)
        return "Output", out or activation_label(snap.activations[-1][0])
    names = set(snap.activations[layer - 1])
    caption = activation_label(next(iter(names))) if len(names) == 1 else "mixed"
    return f"Hidden {layer}", caption


def output_name(snap: Snapshot, k: int) -> str:
    if snap.data.regression:
        return "ŷ"
    if snap.loss == "bce":
        return f"P({snap.data.class_name(1)})"
    if snap.sizes[-1] == 1:
        return "score"
    return snap.data.class_name(k)


def neuron_tooltip(snap: Snapshot, layer: int, index: int, limit: float) -> str:
    """What hovering a neuron says; ``limit`` is the largest |value| its map shows."""
    last = len(snap.sizes) - 1
    if layer == 0:
        return f"Input {index + 1} · {feature_label(snap.features[index])}"
    bias = float(snap.params[bias_key(layer)][index])
    if layer == last:
        caption = column_captions(snap, layer)[1]
        return (f"Output {index + 1} ({output_name(snap, index)}) · {caption} · "
                f"bias {bias:.3f}")
    act = activation_label(snap.activations[layer - 1][index])
    text = (f"Layer {layer}, neuron {index + 1} · {act} · bias {bias:.3f} · "
            f"map ±{limit:.2g}")
    if snap.dead and snap.dead[layer - 1][index]:
        text += ("\nDead ReLU (crossed out): it outputs 0 for every training point, so no "
                 "gradient reaches it and training cannot revive it. Try a smaller learning "
                 "rate, leaky ReLU, or remove it.")
    return text
