"""Network surgery: add or remove a neuron or a layer, resize a layer, change activations,
inputs or outputs — keeping every weight it can.

Each edit returns the :class:`~playground.core.params.Transplant` it used, so the trainer
moves optimizer state and gradient statistics the same way as the weights. Columns are
numbered as everywhere: 0 = inputs, 1..H hidden layers, H + 1 = outputs. Every edit is all or
nothing: if it fails, the network (shape, weights, random state) is exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from playground.core import activations as acts
from playground.core.network import Dense, Network
from playground.core.params import Layout, Transplant, axis_map

Sources = list[int | None]
"""Per new column, the old column it comes from (None: a new layer); column 0 is always 0."""
Maps = list[np.ndarray]
"""Per new column, the old neuron (or input, in column 0) behind each new one, -1 if fresh."""
Fresh = Mapping[int, Callable[[int, int], np.ndarray]]
"""Per new layer's column, its starting weights from (fan_in, fan_out); biases start at 0."""


def hidden_layer(net: Network, layer: int) -> Dense:
    """The hidden layer in column ``layer``, or IndexError naming the valid columns."""
    if not 1 <= layer < net.depth:
        raise IndexError(f"column {layer} is not a hidden layer (hidden layers are 1.."
                         f"{net.depth - 1})")
    return net.hidden[layer - 1]


def _hidden_copy(net: Network) -> list[Dense]:
    return [Dense(list(d.activations), d.dropout) for d in net.hidden]


def _identity(net: Network) -> tuple[Sources, Maps]:
    return list(range(net.depth + 1)), [np.arange(n) for n in net.sizes]


def restructure(net: Network, hidden: list[Dense], sources: Sources, maps: Maps,
                fresh: Fresh | None = None, outputs: int | None = None) -> Transplant:
    """Rebuild ``net``'s parameters for new hidden layers (and inputs, outputs).

    A fresh neuron gets incoming weights from the initialiser and zero outgoing weights, so
    the network computes what it did before; ``fresh`` gives a new layer's weights instead.
    """
    old_layers, old_sizes = net.layers, net.sizes
    old_keys = [(), *(net.layer_keys(k) for k in range(1, net.depth + 1))]
    old_params = dict(net.params)
    saved = (net.hidden, net.outputs, net.inputs, net.rng.bit_generator.state)
    net.hidden = hidden
    net.outputs = net.outputs if outputs is None else outputs
    net.inputs = len(maps[0])
    try:
        return _transplant(net, old_layers, old_sizes, old_keys, old_params, sources, maps,
                           fresh or {})
    except BaseException:
        net.hidden, net.outputs, net.inputs = saved[:3]
        net.rng.bit_generator.state = saved[3]
        raise


def _transplant(net: Network, old_layers: list[Dense], old_sizes: list[int],
                old_keys: list[tuple[str, ...]], old_params: Mapping[str, np.ndarray],
                sources: Sources, maps: Maps, fresh: Fresh) -> Transplant:
    """The body of :func:`restructure`, with the new structure already set on ``net``."""
    sizes = net.sizes
    moves: dict[str, tuple[str, tuple[np.ndarray, ...]]] = {}
    for k in range(1, len(sizes)):
        src = sources[k]
        if src is None:
            continue
        if sources[k - 1] == src - 1:
            rows = maps[k - 1]
        else:  # the rows of old column src: keep what fits (e.g. the first layer removed)
            rows = axis_map(sizes[k - 1], old_sizes[src - 1])
        for key, old_key in zip(net.layer_keys(k), old_keys[src], strict=False):
            moves[key] = (old_key, (rows, maps[k]) if key[0] == "W" else (maps[k],))
    transplant = Transplant(Layout.from_shapes(net.shapes()), moves)
    flat = transplant.apply(old_params)
    views = transplant.layout.views(flat)
    for k in range(1, len(sizes)):
        keys = net.layer_keys(k)
        if sources[k] is None:
            if k in fresh:
                views[keys[0]][...] = fresh[k](sizes[k - 1], sizes[k])
                views[keys[1]][...] = 0.0
            else:
                net.init_columns(views, keys[:2], slice(None))
            if len(keys) == 4:
                net.init_columns(views, keys[2:], slice(None))
            continue
        net.init_columns(views, keys[:2], transplant.fresh_columns(keys[0]))
        if len(keys) == 4:
            old_acts = old_layers[sources[k] - 1].activations
            became = [j for j, a in enumerate(net.layer(k).activations)
                      if a == "maxout" and (maps[k][j] < 0 or old_acts[maps[k][j]] != "maxout")]
            net.init_columns(views, keys[2:], np.array(became, dtype=int))
    net.zero_unused_maxout(views)
    net.install(flat)
    return transplant


def add_neuron(net: Network, layer: int, position: int | None = None,
               activation: str | None = None) -> Transplant:
    """Insert a neuron at ``position`` (default: last) of the hidden layer in ``layer``."""
    h = hidden_layer(net, layer)
    position = h.units if position is None else position
    if not 0 <= position <= h.units:
        raise IndexError(f"position {position} is outside layer {layer} (0..{h.units})")
    name = acts.canonical_name(activation or h.activations[min(position, h.units - 1)])
    sources, maps = _identity(net)
    maps[layer] = np.insert(maps[layer], position, -1)
    hidden = _hidden_copy(net)
    hidden[layer - 1].activations.insert(position, name)
    return restructure(net, hidden, sources, maps)


def remove_neuron(net: Network, layer: int, position: int) -> Transplant:
    h = hidden_layer(net, layer)
    if not 0 <= position < h.units:
        raise IndexError(f"layer {layer} has no neuron {position}")
    if h.units == 1:
        raise ValueError("a layer needs at least one neuron; remove the layer instead")
    sources, maps = _identity(net)
    maps[layer] = np.delete(maps[layer], position)
    hidden = _hidden_copy(net)
    del hidden[layer - 1].activations[position]
    return restructure(net, hidden, sources, maps)


def set_units(net: Network, layer: int, units: int) -> Transplant:
    """Grow or shrink the hidden layer in ``layer`` at its end."""
    h = hidden_layer(net, layer)
    if units < 1:
        raise ValueError("a layer needs at least one neuron")
    sources, maps = _identity(net)
    maps[layer] = axis_map(units, h.units)
    hidden = _hidden_copy(net)
    hidden[layer - 1] = Dense((h.activations + [h.activations[-1]] * units)[:units], h.dropout)
    return restructure(net, hidden, sources, maps)


def set_outputs(net: Network, outputs: int) -> Transplant:
    """Change the number of outputs (e.g. the dataset's class count)."""
    if outputs < 1 or (net.loss.name == "bce" and outputs != 1):
        raise ValueError(f"{net.loss.label} cannot have {outputs} outputs")
    sources, maps = _identity(net)
    maps[-1] = axis_map(outputs, net.outputs)
    return restructure(net, _hidden_copy(net), sources, maps, outputs=outputs)


def set_inputs(net: Network, sources: Sequence[int]) -> Transplant:
    """Change the inputs (feature toggles): ``sources[j]`` is the old input now at j, or -1.

    A new input starts with zero outgoing weights, so the network's function is unchanged.
    """
    inputs = np.asarray(sources, dtype=int)
    if inputs.size < 1 or inputs.max(initial=-1) >= net.inputs:
        raise ValueError(f"input sources must be -1 or below {net.inputs}")
    layer_sources, maps = _identity(net)
    maps[0] = inputs
    return restructure(net, _hidden_copy(net), layer_sources, maps)


def insert_layer(net: Network, layer: int, units: int | None = None,
                 activation: str = "tanh") -> Transplant:
    """Insert a hidden layer that becomes column ``layer`` (``depth``: after the last).

    It starts as a pass-through (rectangular identity weights, zero bias) so the trained
    layers around it keep their weights and, for ReLU/linear, the same function.
    """
    if not 1 <= layer <= net.depth:
        raise IndexError(f"cannot insert a layer at column {layer} (1..{net.depth})")
    units = net.sizes[layer - 1] if units is None else int(units)
    if units < 1:
        raise ValueError("a layer needs at least one neuron")
    sources, maps = _identity(net)
    sources.insert(layer, None)
    maps.insert(layer, np.full(units, -1))
    hidden = _hidden_copy(net)
    hidden.insert(layer - 1, Dense([acts.canonical_name(activation)] * units))
    return restructure(net, hidden, sources, maps,
                       {layer: lambda fan_in, fan_out: np.eye(fan_in, fan_out)})


def remove_layer(net: Network, layer: int) -> Transplant:
    hidden_layer(net, layer)
    sources, maps = _identity(net)
    del sources[layer], maps[layer]
    hidden = _hidden_copy(net)
    del hidden[layer - 1]
    return restructure(net, hidden, sources, maps)


def set_activation(net: Network, layer: int, activation: str | Sequence[str],
                   neuron: int | None = None) -> Transplant:
    """Change a hidden layer's activation, or one neuron's (per-neuron activations)."""
    h = hidden_layer(net, layer)
    hidden = _hidden_copy(net)
    if neuron is None:
        hidden[layer - 1].activations = acts.activation_list(activation, h.units,
                                                             f"layer {layer}")
    else:
        if not 0 <= neuron < h.units:
            raise IndexError(f"layer {layer} has no neuron {neuron}")
        hidden[layer - 1].activations[neuron] = acts.canonical_name(activation)
    return restructure(net, hidden, *_identity(net))
