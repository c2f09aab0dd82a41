"""Network surgery: add or remove a neuron or a layer, resize a layer, change activations,
inputs or outputs — keeping every weight it can, and what the network computes wherever the
edit adds rather than removes.

Each edit returns the :class:`~playground.core.params.Transplant` it used, so the trainer
moves optimizer state and gradient statistics the same way as the weights. Columns are
numbered as everywhere: 0 = inputs, 1..H hidden layers, H + 1 = outputs. Every edit is all or
nothing: if it fails, the network (shape, weights, random state) is exactly as it was.

What an addition keeps:

- a new neuron (add, widen, a new input) gets random incoming and zero outgoing weights:
  the outputs are exactly unchanged, everywhere;
- a new layer passes on what it receives, unit j carrying input j (the next layer's weights
  and biases undo its scale and shift). How depends on its activation (:func:`pass_through`):
  linear and maxout (two identical pieces) pass exactly; ReLU, leaky ReLU and ELU are the
  identity above 0, so their inputs are shifted above 0 — exact wherever the inputs stay
  above the bound used (the activation's own lower bound when the layer before has one, else
  the lowest value on the probe points less a margin); softplus, swish and GELU are shifted
  to where they nearly equal their input; tanh and sigmoid are never the identity, so their
  inputs are scaled into the small-signal range around 0 (:data:`SMALL_SIGNAL`). For these
  five, how the next layer undoes each unit is fitted by least squares on the probe points
  (:func:`refit`): on a trained spiral net the class probabilities move by at most 0.03;
- a new layer narrower than its input cannot pass everything on: :func:`insert_layer` keeps
  the first units and drops the rest, and the caller measures and says what changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from playground.core import activations as acts
from playground.core.network import Dense, Network
from playground.core.params import Layout, Transplant, axis_map

Sources = list[int | None]
"""Per new column, the old column it comes from (None: a new layer); column 0 is always 0."""
Maps = list[np.ndarray]
"""Per new column, the old neuron (or input, in column 0) behind each new one, -1 if fresh."""
Adjust = Callable[[Mapping[str, np.ndarray]], None]
"""Sets entries of the new parameters (as views) after the transplant, before they land."""

SMALL_SIGNAL = {"tanh": 0.3, "sigmoid": 0.6}
"""Half-width r of the pre-activation range a pass-through tanh or sigmoid unit works in: f is
linear there to r²/3 (tanh), r²/12 (sigmoid) = 3 % of a unit's range before the refit.
Smaller r is more exact but makes the new weights hot (r times the usual size, the next
layer's 1/r times): Adam's lr-sized steps then shake a trained network apart."""
LINEAR_FROM = {"linear": -np.inf, "maxout": -np.inf, "relu": 0.0, "leaky_relu": 0.0,
               "elu": 0.0, "softplus": 7.0, "swish": 9.2, "gelu": 3.5}
"""Where each activation (a pass-through maxout: both pieces equal) becomes f(u) = u: exactly
for the first five, within 1e-3 for the rest (before the refit). A larger shift would be
more exact but makes the next layer hot: its inputs then carry a large constant."""
BOUNDS = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "relu": (0.0, np.inf),
          "elu": (-1.0, np.inf), "softplus": (0.0, np.inf), "swish": (-0.2785, np.inf),
          "gelu": (-0.1701, np.inf)}
"""Range of each bounded activation's output (others: the whole line)."""
REFIT = {"tanh", "sigmoid", "softplus", "swish", "gelu"}
"""Activations only nearly linear where a new layer uses them: how the next layer undoes each
unit is fitted on the probe points (:func:`refit`)."""
MARGIN = 0.1
"""Ranges measured on probe points are widened by this share of their span on each side."""


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
                adjust: Adjust | None = None, outputs: int | None = None) -> Transplant:
    """Rebuild ``net``'s parameters for new hidden layers (and inputs, outputs).

    A fresh neuron gets incoming weights from the initialiser and zero outgoing weights, so
    the network computes what it did before; ``adjust`` then sets what a new layer needs.
    A new layer gets a new id; the others keep theirs.
    """
    old_layers, old_sizes = net.layers, net.sizes
    old_keys = [(), *(net.layer_keys(k) for k in range(1, net.depth + 1))]
    old_params = dict(net.params)
    saved = (net.hidden, net.outputs, net.inputs, net.layer_ids, net._last_id,
             net.rng.bit_generator.state)
    net.layer_ids = [net.layer_ids[src - 1] if src is not None else net.new_layer_id()
                     for src in sources[1:]]
    net.hidden = hidden
    net.outputs = net.outputs if outputs is None else outputs
    net.inputs = len(maps[0])
    try:
        return _transplant(net, old_layers, old_sizes, old_keys, old_params, sources, maps,
                           adjust)
    except BaseException:
        net.hidden, net.outputs, net.inputs, net.layer_ids, net._last_id = saved[:5]
        net.rng.bit_generator.state = saved[5]
        raise


def _transplant(net: Network, old_layers: list[Dense], old_sizes: list[int],
                old_keys: list[tuple[str, ...]], old_params: Mapping[str, np.ndarray],
                sources: Sources, maps: Maps, adjust: Adjust | None) -> Transplant:
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
    if adjust is not None:
        adjust(views)
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
                 activation: str = "tanh", probe: np.ndarray | None = None) -> Transplant:
    """Insert a hidden layer that becomes column ``layer`` (``depth``: after the last).

    It starts as a pass-through (module docstring) for the inputs it receives on ``probe``
    (rows of network inputs, e.g. the training and test points; without them, the ranges
    are the activation bounds of the layer before, or [−1, 1]). Units beyond its fan-in are
    ordinary new neurons; with fewer units only the first inputs are passed on.
    """
    if not 1 <= layer <= net.depth:
        raise IndexError(f"cannot insert a layer at column {layer} (1..{net.depth})")
    fan_in = net.sizes[layer - 1]
    units = fan_in if units is None else int(units)
    if units < 1:
        raise ValueError("a layer needs at least one neuron")
    name = acts.canonical_name(activation)
    inputs = layer_inputs(net, layer, probe)
    lows, highs = input_ranges(net, layer, inputs)
    passed = min(units, fan_in)
    scale, shift, alpha, beta = pass_through(name, lows[:passed], highs[:passed])
    hidden_out = None
    if inputs is not None and (name in REFIT or passed < fan_in):
        elementwise = acts.get("linear" if name == "maxout" else name)   # equal pieces
        hidden_out = elementwise.f(inputs[:, :passed] * scale + shift)
        if name in REFIT:
            alpha, beta = refit(inputs[:, :passed], hidden_out, alpha)
    old_next = _pairs(net.layer_keys(layer))   # the layer the new one feeds, before the edit
    old_params = {key: net.params[key].copy() for pair in old_next for key in pair}
    sources, maps = _identity(net)
    sources.insert(layer, None)
    maps.insert(layer, np.full(units, -1))
    hidden = _hidden_copy(net)
    hidden.insert(layer - 1, Dense([name] * units))

    def adjust(views: Mapping[str, np.ndarray]) -> None:
        for W, b in _pairs(net.layer_keys(layer)):   # both maxout pieces alike
            views[W][:, :passed] = np.eye(fan_in, passed) * scale
            views[b][:passed] = shift
        new_next = _pairs(net.layer_keys(layer + 1))
        for (W, b), (W_old, b_old) in zip(new_next, old_next, strict=True):
            rows = views[W][:passed]
            views[b][...] -= (beta / alpha) @ rows
            rows /= alpha[:, None]
            if hidden_out is not None and passed < fan_in:
                target = inputs @ old_params[W_old] + old_params[b_old]
                refit_narrow(hidden_out, target, rows, views[b])

    transplant = restructure(net, hidden, sources, maps, adjust)
    return dataclasses.replace(transplant, restart=net.layer_keys(layer + 1))


def _pairs(keys: Sequence[str]) -> list[tuple[str, str]]:
    """(W, b) of each affine piece among a layer's keys (two for maxout)."""
    return list(zip(keys[::2], keys[1::2], strict=True))


def refit(inputs: np.ndarray, hidden_out: np.ndarray, alpha: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """Per unit j, the (alpha_j, beta_j) with hidden_out_j ≈ alpha_j · input_j + beta_j in
    least squares over the probe points: what the next layer must undo. One unit at a time,
    so no unit's weights are bent to cover another's (the gradient through the new layer
    stays what it was). A unit whose input hardly varies keeps the analytic ``alpha``."""
    mean_in, mean_out = inputs.mean(axis=0), hidden_out.mean(axis=0)
    x, y = inputs - mean_in, hidden_out - mean_out
    spread = (x * x).sum(axis=0)
    fitted = (x * y).sum(axis=0) / np.where(spread > 0, spread, 1.0)
    varies = (spread > 1e-12 * len(x)) & (fitted > 0.5 * alpha) & (fitted < 2 * alpha)
    alpha = np.where(varies, fitted, alpha)
    return alpha, mean_out - alpha * mean_in


def refit_narrow(hidden_out: np.ndarray, target: np.ndarray, rows: np.ndarray,
                 bias: np.ndarray) -> None:
    """A layer narrower than its input drops inputs: correct the next layer's ``rows`` and
    ``bias`` (in place) by ridge least squares so ``hidden_out @ rows + bias`` comes as close
    to ``target`` (what it computed before) as the units kept allow."""
    A = np.column_stack([hidden_out, np.ones(len(hidden_out))])
    residual = target - hidden_out @ rows - bias
    gram = A.T @ A
    gram[np.diag_indices_from(gram)] += 1e-3 * np.trace(gram) / len(gram)
    correction = np.linalg.solve(gram, A.T @ residual)
    rows += correction[:-1]
    bias += correction[-1]


def layer_inputs(net: Network, layer: int, probe: np.ndarray | None) -> np.ndarray | None:
    """What column ``layer`` receives on the ``probe`` network inputs (None without them, or
    when a diverged network sends non-finite values)."""
    if probe is None or len(probe) == 0:
        return None
    values = np.asarray(probe, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        values = values if layer == 1 else net.layer_outputs(values)[layer - 2]
    return values if np.isfinite(values).all() else None


def input_ranges(net: Network, layer: int, inputs: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Per unit of column ``layer - 1``, the range of what it sends to column ``layer``:
    measured on ``inputs`` (:func:`layer_inputs`, widened by :data:`MARGIN`) and cut to the
    activation's bounds."""
    fan_in = net.sizes[layer - 1]
    names = ["linear"] * fan_in if layer == 1 else net.hidden[layer - 2].activations
    bounds = np.array([BOUNDS.get(n, (-np.inf, np.inf)) for n in names]).T
    if inputs is None:
        finite = np.isfinite(bounds)
        lows = np.where(finite[0], bounds[0], -1.0)
        highs = np.where(finite[1], bounds[1], np.maximum(lows + 2.0, 1.0))
        return lows, highs
    values = inputs
    lows, highs = values.min(axis=0), values.max(axis=0)
    margin = MARGIN * (highs - lows) + 1e-3
    return np.maximum(lows - margin, bounds[0]), np.minimum(highs + margin, bounds[1])


def pass_through(activation: str, lows: np.ndarray, highs: np.ndarray
                 ) -> tuple[np.ndarray, ...]:
    """How a new layer's unit passes on an input z in [low, high]: its pre-activation is
    u = scale·z + shift and its output f(u) ≈ alpha·z + beta (exactly, for the activations
    with a linear region). Returns (scale, shift, alpha, beta), one entry per unit."""
    lows, highs = np.asarray(lows, dtype=float), np.asarray(highs, dtype=float)
    if activation in SMALL_SIGNAL:
        f = acts.get(activation).f
        slope = float(acts.get(activation).df(np.zeros(1), f(np.zeros(1)))[0])
        half = np.maximum(0.5 * (highs - lows), 1e-6)
        scale = SMALL_SIGNAL[activation] / half
        shift = -scale * 0.5 * (highs + lows)
        return scale, shift, scale * slope, float(f(np.zeros(1))[0]) + slope * shift
    start = LINEAR_FROM[activation]
    shift = np.zeros_like(lows) if start == -np.inf else np.maximum(0.0, start - lows)
    ones = np.ones_like(lows)
    return ones, shift, ones, shift


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
