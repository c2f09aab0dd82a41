"""A network spec read from a file, checked field by field before any network is built.

``Network.from_spec`` trusts its caller: ``"inputs": 1e300`` overflows, ``"layers": [true]``
makes a one-unit layer, ``"l1": NaN`` loads and every step diverges, and the sizes decide how
much it allocates. :func:`check_spec` checks types, ranges and the caps of
:mod:`playground.files.limits`, and gives the parameter shapes the file's arrays must have, so a
loader can compare them with the stored arrays before reading one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core import activations, losses
from playground.core.network import Network
from playground.core.params import param_keys
from playground.files.errors import LoadError
from playground.files.limits import MAX_LAYERS, MAX_PARAMETERS, MAX_UNITS, parameter_count
from playground.files.safe_json import (
    check_int,
    check_list,
    check_number,
    check_object,
    check_text,
)

KEYS = ("inputs", "layers", "outputs", "loss", "seed", "l1", "l2", "init", "dropout",
        "output_activation", "activation")
LAYER_KEYS = ("units", "activation", "dropout")
MAX_SEED = 2**64 - 1
_NAME_LENGTH = 40


@dataclass(frozen=True)
class CheckedSpec:
    """A spec that passed :func:`check_spec`: layer widths and which hidden layers hold a
    maxout neuron (those store a second affine piece)."""

    spec: dict[str, Any]
    sizes: tuple[int, ...]
    maxout: tuple[bool, ...]
    loss: str

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Every parameter array the network stores, keyed as in the weights file."""
        shapes: dict[str, tuple[int, ...]] = {}
        for k in range(1, len(self.sizes)):
            fan_in, fan_out = self.sizes[k - 1], self.sizes[k]
            maxout = k <= len(self.maxout) and self.maxout[k - 1]
            for key in param_keys(k, maxout):
                shapes[key] = (fan_in, fan_out) if key.startswith("W") else (fan_out,)
        return shapes


def _activation_names(value: Any, units: int, where: str) -> list[str]:
    """Canonical activation names, one per unit, of a layer's ``activation`` entry."""
    if isinstance(value, str):
        return [_canonical(value, where)] * units
    names = check_list(value, where, units)
    if len(names) != units:
        raise LoadError(f"{where} lists {len(names)} activations for {units} units")
    return [_canonical(name, where) for name in names]


def _canonical(name: Any, where: str) -> str:
    try:
        return activations.canonical_name(check_text(name, where, _NAME_LENGTH))
    except ValueError as exc:
        if isinstance(exc, LoadError):
            raise
        raise LoadError(f"{where}: {exc}") from None


def _layer(layer: Any, index: int, default_activation: Any, where: str) -> tuple[int, bool]:
    """(units, has a maxout neuron) of hidden layer ``index`` (1-based)."""
    here = f"{where}: layer {index}"
    if isinstance(layer, dict):
        unknown = sorted(set(layer) - set(LAYER_KEYS))
        if unknown:
            raise LoadError(f"{here} has an unknown key '{unknown[0]}'")
        if "units" not in layer:
            raise LoadError(f"{here} has no 'units'")
        units = check_int(layer["units"], f"{here}: 'units'", 1, MAX_UNITS)
        if "dropout" in layer:
            check_number(layer["dropout"], f"{here}: 'dropout'", 0.0, 1.0, below_high=True)
        names = _activation_names(layer.get("activation", default_activation), units,
                                  f"{here}: 'activation'")
    else:
        units = check_int(layer, here, 1, MAX_UNITS)
        names = _activation_names(default_activation, units, f"{where}: 'activation'")
    return units, "maxout" in names


def check_spec(spec: Any, where: str) -> CheckedSpec:
    """``spec`` checked for types, ranges and size caps; ``where`` starts every message
    ("net.npz: the network spec in 'meta'")."""
    spec = check_object(spec, where)
    unknown = sorted(set(spec) - set(KEYS))
    if unknown:
        raise LoadError(f"{where} has an unknown key '{unknown[0]}'")
    for key in ("inputs", "outputs"):
        if key not in spec:
            raise LoadError(f"{where} has no '{key}'")
    inputs = check_int(spec["inputs"], f"{where}: 'inputs'", 1, MAX_UNITS)
    outputs = check_int(spec["outputs"], f"{where}: 'outputs'", 1, MAX_UNITS)
    for key in ("l1", "l2"):
        if key in spec:
            check_number(spec[key], f"{where}: '{key}'", 0.0)
    if "dropout" in spec:
        check_number(spec["dropout"], f"{where}: 'dropout'", 0.0, 1.0, below_high=True)
    if spec.get("seed") is not None:
        check_int(spec["seed"], f"{where}: 'seed'", 0, MAX_SEED)
    for key in ("loss", "init", "output_activation"):
        if key in spec:
            check_text(spec[key], f"{where}: '{key}'", _NAME_LENGTH)
    try:
        loss = losses.get(spec.get("loss", "softmax")).name
    except ValueError as exc:
        raise LoadError(f"{where} is invalid: {exc}") from None
    layers = check_list(spec.get("layers", []), f"{where}: 'layers'", MAX_LAYERS)
    default_activation = spec.get("activation", "tanh")
    hidden = [_layer(layer, i + 1, default_activation, where) for i, layer in enumerate(layers)]
    sizes = (inputs, *(units for units, _ in hidden), outputs)
    maxout = tuple(has_maxout for _, has_maxout in hidden)
    count = parameter_count(sizes, maxout)
    if count > MAX_PARAMETERS:
        raise LoadError(f"{where} describes a network of {count:,} parameters; at most "
                        f"{MAX_PARAMETERS:,} are allowed")
    return CheckedSpec(spec, sizes, maxout, loss)


def build_network(checked: CheckedSpec, where: str) -> Network:
    """The network ``checked`` describes (freshly initialised), or :class:`LoadError`."""
    try:
        net = Network.from_spec(checked.spec)
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError) as exc:
        raise LoadError(f"{where} is invalid: {exc}") from None
    if dict(net.layout.shapes) != checked.shapes():
        raise LoadError(f"{where} is invalid: it does not describe the arrays it should")
    return net
