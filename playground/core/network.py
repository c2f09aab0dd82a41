"""A fully connected network: vectorized forward with a cache, backward, and surgery.

Layer k (1-based) computes ``z = a @ Wk + bk`` with ``Wk`` of shape (fan_in, fan_out), then an
activation per neuron. A maxout neuron has a second affine piece (``Wk_2``, ``bk_2``) and
outputs ``max(z, z2)``. The last layer's activation is ``output_activation`` (linear unless the
TF Playground setting tanh + mse is chosen), and the loss reads its output as scores.

Surgery (adding or removing a neuron or layer, changing an activation) keeps every weight it
can and returns the :class:`~playground.core.params.Transplant` it used, so the trainer can move
optimizer state and gradient statistics the same way.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.core import activations as acts
from playground.core import losses
from playground.core.params import Layout, ParamDict, Transplant, axis_map

INITS: tuple[str, ...] = ("xavier", "he", "uniform", "small", "zeros")
INIT_LABELS = {
    "xavier": "Xavier/Glorot",
    "he": "He (for ReLU)",
    "uniform": "uniform ±0.5, bias 0.1 (TF Playground)",
    "small": "0.01 · N(0, 1) (CS231n)",
    "zeros": "zeros (shows the symmetry problem)",
}


@dataclass
class Dense:
    """One layer's shape: its neurons' activations (one per neuron) and dropout rate."""

    activations: list[str]
    dropout: float = 0.0

    @property
    def units(self) -> int:
        return len(self.activations)

    @property
    def activation(self) -> str | list[str]:
        """One name if every neuron shares it, else the per-neuron list."""
        first = self.activations[0]
        return first if all(a == first for a in self.activations) else list(self.activations)

    @property
    def has_maxout(self) -> bool:
        return "maxout" in self.activations


@dataclass(frozen=True)
class Structure:
    """Inputs, hidden layers as (activations, dropout), outputs and output activation."""

    inputs: int
    hidden: tuple[tuple[tuple[str, ...], float], ...]
    outputs: int
    output_activation: str


@dataclass(frozen=True)
class LayerGradients:
    """One layer's gradients for a batch: ∂L/∂a of its output (``da``, before dropout), of its
    affine part (``dz``) and of a maxout layer's second piece (``dz2``, else None)."""

    da: np.ndarray
    dz: np.ndarray
    dz2: np.ndarray | None


@dataclass(frozen=True)
class _LayerPlan:
    """Precomputed per-layer work for the hot loop, rebuilt after every structural edit."""

    W: str
    b: str
    W2: str | None
    b2: str | None
    groups: tuple[tuple[acts.Activation, Any], ...]
    maxout: Any
    dropout: float
    single: acts.Activation | None = field(default=None)


def _init_weights(kind: str, fan_in: int, fan_out: int, size: tuple[int, ...],
                  rng: np.random.Generator) -> np.ndarray:
    if kind == "xavier":
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size)
    if kind == "he":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size)
    if kind == "uniform":
        return rng.uniform(-0.5, 0.5, size)
    if kind == "small":
        return 0.01 * rng.standard_normal(size)
    return np.zeros(size)


def _init_bias(kind: str, size: int) -> np.ndarray:
    return np.full(size, 0.1 if kind == "uniform" else 0.0)


def spec_sizes(spec: Mapping[str, Any]) -> list[int]:
    """Layer widths [inputs, hidden…, outputs] of a spec, read without building anything."""
    try:
        layers = [layer if isinstance(layer, (int, np.integer)) else layer["units"]
                  for layer in spec.get("layers", [])]
        return [int(spec["inputs"]), *(int(u) for u in layers), int(spec["outputs"])]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"spec has no valid layer sizes ({exc!r})") from None


def _activation_list(value: str | Sequence[str], units: int, where: str) -> list[str]:
    if isinstance(value, str):
        return [acts.canonical_name(value)] * units
    names = [acts.canonical_name(v) for v in value]
    if len(names) != units:
        raise ValueError(f"{where}: {len(names)} activations given for {units} units")
    return names


class Network:
    """A dense network whose parameters live in one flat buffer (see :mod:`layout`)."""

    def __init__(self, inputs: int, hidden: Sequence[Dense], outputs: int, loss: str = "softmax",
                 output_activation: str = "linear", l1: float = 0.0, l2: float = 0.0,
                 init: str = "xavier", seed: int | None = 0) -> None:
        if inputs < 1 or outputs < 1:
            raise ValueError("a network needs at least one input and one output")
        if init not in INITS:
            raise ValueError(f"unknown initialiser {init!r}; choose one of {', '.join(INITS)}")
        self.loss = losses.get(loss)
        if self.loss.name == "bce" and outputs != 1:
            raise ValueError("binary cross-entropy needs exactly one output")
        output_activation = acts.canonical_name(output_activation)
        if output_activation == "maxout":
            raise ValueError("the output layer cannot be maxout")
        if l1 < 0 or l2 < 0:
            raise ValueError("regularisation strengths must be ≥ 0")
        self.inputs = int(inputs)
        self.outputs = int(outputs)
        self.output_activation = output_activation
        self.hidden: list[Dense] = [Dense(list(h.activations), float(h.dropout)) for h in hidden]
        for i, h in enumerate(self.hidden):
            if h.units < 1:
                raise ValueError(f"hidden layer {i + 1} needs at least one neuron")
            if not 0.0 <= h.dropout < 1.0:
                raise ValueError(f"hidden layer {i + 1}: dropout must be in [0, 1)")
        self.l1 = float(l1)
        self.l2 = float(l2)
        self.init = init
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self._install(self._fresh_params())

    # ----------------------------------------------------------------- spec
    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Network:
        """Build from the JSON-friendly spec of DESIGN.md (layers may be ints or dicts)."""
        known = {"inputs", "layers", "outputs", "loss", "seed", "l1", "l2", "init", "dropout",
                 "output_activation", "activation"}
        unknown = set(spec) - known
        if unknown:
            raise ValueError(f"unknown spec keys: {', '.join(sorted(unknown))}")
        default_act = spec.get("activation", "tanh")
        default_drop = float(spec.get("dropout", 0.0))
        sizes = spec_sizes(spec)
        hidden = []
        for i, (layer, units) in enumerate(zip(spec.get("layers", []), sizes[1:-1], strict=True)):
            if units < 1:
                raise ValueError(f"layer {i + 1} needs at least one unit")
            options = layer if isinstance(layer, Mapping) else {}
            names = _activation_list(options.get("activation", default_act), units,
                                     f"layer {i + 1}")
            hidden.append(Dense(names, float(options.get("dropout", default_drop))))
        return cls(sizes[0], hidden, sizes[-1], spec.get("loss", "softmax"),
                   spec.get("output_activation", "linear"), float(spec.get("l1", 0.0)),
                   float(spec.get("l2", 0.0)), spec.get("init", "xavier"), spec.get("seed", 0))

    def to_spec(self) -> dict[str, Any]:
        layers = []
        for h in self.hidden:
            layer: dict[str, Any] = {"units": h.units, "activation": h.activation}
            if h.dropout:
                layer["dropout"] = h.dropout
            layers.append(layer)
        spec = {"inputs": self.inputs, "layers": layers, "outputs": self.outputs,
                "loss": self.loss.name, "seed": self.seed, "l1": self.l1, "l2": self.l2,
                "init": self.init}
        if self.output_activation != "linear":
            spec["output_activation"] = self.output_activation
        return spec

    # ------------------------------------------------------------ structure
    @property
    def layers(self) -> list[Dense]:
        """Hidden layers plus the output layer."""
        return [*self.hidden, Dense([self.output_activation] * self.outputs)]

    @property
    def sizes(self) -> list[int]:
        return [self.inputs, *(h.units for h in self.hidden), self.outputs]

    def count_neurons(self) -> int:
        """Neurons as the lecture counts them: every layer but the inputs."""
        return sum(self.sizes[1:])

    def count_parameters(self) -> int:
        """Learnable parameters; a maxout neuron's second piece counts, unused columns don't."""
        sizes = self.sizes
        total = sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(sizes) - 1))
        for i, h in enumerate(self.hidden):
            total += (sizes[i] + 1) * h.activations.count("maxout")
        return total

    def layer_keys(self, index: int) -> tuple[str, ...]:
        """Parameter keys of layer ``index`` (0-based over hidden + output layers)."""
        k = index + 1
        has_maxout = index < len(self.hidden) and self.hidden[index].has_maxout
        return (f"W{k}", f"b{k}", f"W{k}_2", f"b{k}_2") if has_maxout else (f"W{k}", f"b{k}")

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        sizes, shapes = self.sizes, {}
        for i in range(len(sizes) - 1):
            for key in self.layer_keys(i):
                shapes[key] = (sizes[i], sizes[i + 1]) if key[0] == "W" else (sizes[i + 1],)
        return shapes

    def _fresh_params(self) -> np.ndarray:
        layout = Layout.from_shapes(self._shapes())
        flat = np.zeros(layout.size)
        views = layout.views(flat)
        sizes = self.sizes
        for i in range(len(sizes) - 1):
            for key in self.layer_keys(i):
                if key[0] == "W":
                    views[key][...] = _init_weights(self.init, sizes[i], sizes[i + 1],
                                                    views[key].shape, self.rng)
                else:
                    views[key][...] = _init_bias(self.init, sizes[i + 1])
        self._zero_unused_maxout(views)
        return flat

    def _zero_unused_maxout(self, views: Mapping[str, np.ndarray]) -> None:
        for i, h in enumerate(self.hidden):
            if h.has_maxout:
                unused = [j for j, a in enumerate(h.activations) if a != "maxout"]
                views[f"W{i + 1}_2"][:, unused] = 0.0
                views[f"b{i + 1}_2"][unused] = 0.0

    def _install(self, flat: np.ndarray) -> None:
        """Lay ``flat`` out for the current structure; all or nothing, so a failure leaves
        the old parameters in place."""
        layout = Layout.from_shapes(self._shapes())
        order = [k for i in range(len(self.sizes) - 1) for k in self.layer_keys(i)]
        params = ParamDict(layout.views(flat), order)
        plans = [self._plan(i, layer) for i, layer in enumerate(self.layers)]
        self.layout, self.flat, self.params, self._plans = layout, flat, params, plans

    def _plan(self, index: int, layer: Dense) -> _LayerPlan:
        keys = self.layer_keys(index)
        W2, b2 = (keys[2], keys[3]) if len(keys) == 4 else (None, None)
        names = layer.activations
        maxout = [j for j, a in enumerate(names) if a == "maxout"]
        kinds = sorted(set(names) - {"maxout"})
        if not maxout and len(kinds) == 1:
            act = acts.get(kinds[0])
            return _LayerPlan(keys[0], keys[1], W2, b2, ((act, slice(None)),), None,
                              layer.dropout, act)
        groups = tuple((acts.get(k), np.array([j for j, a in enumerate(names) if a == k]))
                       for k in kinds)
        mx = slice(None) if len(maxout) == len(names) else np.array(maxout)
        return _LayerPlan(keys[0], keys[1], W2, b2, groups, mx if maxout else None, layer.dropout)

    def structure(self) -> Structure:
        """The network's shape without its numbers (what an undoable edit changes)."""
        return Structure(self.inputs, tuple((tuple(h.activations), h.dropout)
                                            for h in self.hidden),
                         self.outputs, self.output_activation)

    def set_structure(self, structure: Structure, flat: np.ndarray) -> None:
        """Take a recorded shape and a flat parameter vector laid out for it (undo/redo)."""
        self.inputs, self.outputs = structure.inputs, structure.outputs
        self.hidden = [Dense(list(names), dropout) for names, dropout in structure.hidden]
        self.output_activation = structure.output_activation
        self._install(np.array(flat, dtype=float))

    def reinitialize(self, seed: int | None = None) -> None:
        """Fresh weights from the initialiser; a new random draw unless ``seed`` is given."""
        if seed is not None:
            self.seed = seed
        self.rng = np.random.default_rng(seed)
        self._install(self._fresh_params())

    def copy(self) -> Network:
        return copy.deepcopy(self)

    # -------------------------------------------------------------- forward
    def forward_cache(self, X: np.ndarray, training: bool = False,
                      rng: np.random.Generator | None = None) -> tuple[np.ndarray, list]:
        """Output-layer scores and what backward needs: per layer (input, z, a, z2, mask)."""
        a = X
        cache = []
        params = self.params._views
        for plan in self._plans:
            z = a @ params[plan.W]
            z += params[plan.b]
            z2 = None
            if plan.W2 is not None:
                z2 = a @ params[plan.W2]
                z2 += params[plan.b2]
            if plan.single is not None:
                out = z if plan.single.name == "linear" else plan.single.f(z)
            else:
                out = np.empty_like(z)
                for act, idx in plan.groups:
                    out[:, idx] = act.f(z[:, idx])
                if plan.maxout is not None:
                    out[:, plan.maxout] = np.maximum(z[:, plan.maxout], z2[:, plan.maxout])
            mask = None
            if training and plan.dropout > 0.0:
                keep = 1.0 - plan.dropout
                mask = (rng or self.rng).random(out.shape) < keep
                mask = mask / keep
            cache.append((a, z, out, z2, mask))
            a = out if mask is None else out * mask
        return a, cache

    def forward(self, X: np.ndarray) -> np.ndarray:
        """What the user sees for each point: probabilities (softmax, bce) or scores/values."""
        scores, _ = self.forward_cache(np.asarray(X, dtype=float))
        return self.loss.output(scores)

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's activations (hidden layers, then the user-facing output)."""
        scores, cache = self.forward_cache(np.asarray(X, dtype=float))
        return [c[2] for c in cache[:-1]] + [self.loss.output(scores)]

    def predict(self, X: np.ndarray) -> np.ndarray:
        scores, _ = self.forward_cache(np.asarray(X, dtype=float))
        return self.loss.predict(scores)

    # ------------------------------------------------------------- backward
    def backward(self, cache: list, dscores: np.ndarray, grads: Mapping[str, np.ndarray],
                 record: list[LayerGradients] | None = None) -> None:
        """Chain rule layer by layer, writing ∂L/∂param into the ``grads`` arrays in place.

        With ``record`` (a list), each layer's :class:`LayerGradients`, input side first, is
        put in it too: what the explainer seeds a neuron's gate graph with and shows in its
        vector view.
        """
        params = self.params._views
        da = dscores
        if record is not None:
            record[:] = [None] * len(self._plans)
        for i in range(len(self._plans) - 1, -1, -1):
            plan = self._plans[i]
            a_in, z, a, z2, mask = cache[i]
            upstream = da  # before dropout: what the layer's output receives
            if mask is not None:
                da = da * mask
            dz2 = None
            if plan.single is not None:
                dz = da if plan.single.name == "linear" else da * plan.single.df(z, a)
            else:
                dz = np.empty_like(z)
                for act, idx in plan.groups:
                    dz[:, idx] = da[:, idx] * act.df(z[:, idx], a[:, idx])
                if plan.maxout is not None:
                    mx = plan.maxout
                    first = z[:, mx] >= z2[:, mx]
                    dz[:, mx] = da[:, mx] * first
                    dz2 = np.zeros_like(z)
                    dz2[:, mx] = da[:, mx] * ~first
            np.dot(a_in.T, dz, out=grads[plan.W])
            dz.sum(axis=0, out=grads[plan.b])
            if plan.W2 is not None:
                if dz2 is None:
                    dz2 = np.zeros_like(z)
                np.dot(a_in.T, dz2, out=grads[plan.W2])
                dz2.sum(axis=0, out=grads[plan.b2])
            if record is not None:
                record[i] = LayerGradients(upstream, dz, dz2)
            if i:
                da = dz @ params[plan.W].T
                if plan.W2 is not None:
                    da += dz2 @ params[plan.W2].T

    def regularization(self, grad_flat: np.ndarray | None = None) -> float:
        """L1/L2 penalty on the weights (never the biases); adds its gradient if asked."""
        if not (self.l1 or self.l2):
            return 0.0
        w = self.flat[: self.layout.n_weights]
        penalty = 0.0
        if self.l2:
            penalty += 0.5 * self.l2 * float(np.dot(w, w))
            if grad_flat is not None:
                grad_flat[: w.size] += self.l2 * w
        if self.l1:
            penalty += self.l1 * float(np.abs(w).sum())
            if grad_flat is not None:
                grad_flat[: w.size] += self.l1 * np.sign(w)
        return penalty

    def loss_into(self, X: np.ndarray, y: np.ndarray, grad_flat: np.ndarray,
                  grad_views: Mapping[str, np.ndarray], training: bool = False,
                  rng: np.random.Generator | None = None
                  ) -> tuple[float, float, np.ndarray]:
        """(total loss, data loss, scores), the gradient written into ``grad_flat``.

        ``y`` may be labels or the loss's prepared targets (``self.loss.targets``).
        """
        scores, cache = self.forward_cache(X, training, rng)
        data_loss, dscores = self.loss.value_and_grad(scores, y)
        self.backward(cache, dscores, grad_views)
        return data_loss + self.regularization(grad_flat), data_loss, scores

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray, training: bool = False,
                       rng: np.random.Generator | None = None
                       ) -> tuple[float, dict[str, np.ndarray]]:
        """Mean data loss plus regularisation, and its gradient for every parameter.

        Dropout is applied only with ``training=True``; pass a freshly seeded ``rng`` to get
        the same mask on every call (as a gradient check needs).
        """
        grad_flat = np.zeros(self.layout.size)
        views = self.layout.views(grad_flat)
        loss = self.loss_into(np.asarray(X, dtype=float), np.asarray(y), grad_flat, views,
                              training, rng)[0]
        return loss, {k: views[k] for k in self.params}

    def data_loss(self, X: np.ndarray, y: np.ndarray) -> float:
        scores, _ = self.forward_cache(np.asarray(X, dtype=float))
        return self.loss.value_and_grad(scores, np.asarray(y))[0]

    # -------------------------------------------------------------- surgery
    def _hidden_index(self, layer: int) -> int:
        if not 0 <= layer < len(self.hidden):
            raise IndexError(f"no hidden layer {layer} (there are {len(self.hidden)})")
        return layer

    def _restructure(self, hidden: list[Dense], sources: list[int | None],
                     unit_maps: list[np.ndarray],
                     fresh: Mapping[int, Callable[[int, int], np.ndarray]] | None = None,
                     outputs: int | None = None, inputs: np.ndarray | None = None
                     ) -> Transplant:
        """Rebuild parameters for a new list of hidden layers.

        ``sources[i]`` is the old index (over hidden + output) of new layer i, or None for a
        new layer; ``unit_maps[i][j]`` the old neuron behind new neuron j, or -1. A fresh
        neuron gets random incoming weights and zero outgoing weights, so the network computes
        what it did before. ``fresh[i](fan_in, units)`` gives a new layer's weights;
        ``inputs[j]`` the old input behind new input j when the input features change.

        All or nothing: if anything fails, the network (shape, weights, random state) is
        left exactly as it was.
        """
        old_layers, old_sizes = self.layers, self.sizes
        old_keys = [self.layer_keys(i) for i in range(len(old_layers))]
        old_params = dict(self.params)
        saved = (self.hidden, self.outputs, self.inputs, self.rng.bit_generator.state)
        self.hidden = hidden
        self.outputs = self.outputs if outputs is None else outputs
        self.inputs = self.inputs if inputs is None else len(inputs)
        try:
            return self._transplant(old_layers, old_sizes, old_keys, old_params, sources,
                                    unit_maps, fresh, inputs)
        except BaseException:
            self.hidden, self.outputs, self.inputs = saved[:3]
            self.rng.bit_generator.state = saved[3]
            raise

    def _transplant(self, old_layers: list[Dense], old_sizes: list[int],
                    old_keys: list[tuple[str, ...]], old_params: Mapping[str, np.ndarray],
                    sources: list[int | None], unit_maps: list[np.ndarray],
                    fresh: Mapping[int, Callable[[int, int], np.ndarray]] | None,
                    inputs: np.ndarray | None) -> Transplant:
        """The body of :meth:`_restructure`, with the new structure already set."""
        sizes = self.sizes
        moves: dict[str, tuple[str, tuple[np.ndarray, ...]]] = {}
        for i in range(len(sizes) - 1):
            src = sources[i]
            if src is None:
                continue
            if i == 0 and src == 0 and inputs is not None:
                rows = inputs
            elif i > 0 and sources[i - 1] == src - 1:
                rows = unit_maps[i - 1]
            else:  # the rows of old layer src: keep what fits (e.g. the first layer removed)
                rows = axis_map(sizes[i], old_sizes[src])
            cols = unit_maps[i]
            for key, old_key in zip(self.layer_keys(i), old_keys[src], strict=False):
                moves[key] = (old_key, (rows, cols) if key[0] == "W" else (cols,))
        transplant = Transplant(Layout.from_shapes(self._shapes()), moves)
        flat = transplant.apply(old_params)
        views = transplant.layout.views(flat)
        for i in range(len(sizes) - 1):
            keys = self.layer_keys(i)
            if sources[i] is None:
                make = (fresh or {}).get(i)
                views[keys[0]][...] = (make(sizes[i], sizes[i + 1]) if make else
                                       _init_weights(self.init, sizes[i], sizes[i + 1],
                                                     (sizes[i], sizes[i + 1]), self.rng))
                views[keys[1]][...] = 0.0 if make else _init_bias(self.init, sizes[i + 1])
                if len(keys) == 4:
                    self._init_columns(views, keys[2:], i, np.arange(sizes[i + 1]))
                continue
            self._init_columns(views, keys[:2], i, transplant.fresh_columns(keys[0]))
            if len(keys) == 4:
                old_acts = old_layers[sources[i]].activations
                became = [j for j, a in enumerate(self.layers[i].activations)
                          if a == "maxout" and (unit_maps[i][j] < 0 or
                                                old_acts[unit_maps[i][j]] != "maxout")]
                self._init_columns(views, keys[2:], i, np.array(became, dtype=int))
        self._zero_unused_maxout(views)
        self._install(flat)
        return transplant

    def _init_columns(self, views: Mapping[str, np.ndarray], keys: Sequence[str], layer: int,
                      cols: np.ndarray) -> None:
        if len(cols) == 0:
            return
        W, b = views[keys[0]], views[keys[1]]
        fan_in, fan_out = W.shape
        W[:, cols] = _init_weights(self.init, fan_in, fan_out, (fan_in, len(cols)), self.rng)
        b[cols] = _init_bias(self.init, len(cols))

    def _identity_maps(self) -> tuple[list[int | None], list[np.ndarray]]:
        layers = self.layers
        return list(range(len(layers))), [np.arange(layer.units) for layer in layers]

    def add_neuron(self, layer: int, position: int | None = None,
                   activation: str | None = None) -> Transplant:
        """Insert a neuron at ``position`` (default: last) of hidden layer ``layer``."""
        h = self.hidden[self._hidden_index(layer)]
        position = h.units if position is None else position
        if not 0 <= position <= h.units:
            raise IndexError(f"position {position} is outside layer {layer} (0..{h.units})")
        name = acts.canonical_name(activation or h.activations[min(position, h.units - 1)])
        sources, maps = self._identity_maps()
        maps[layer] = np.insert(maps[layer], position, -1)
        hidden = [Dense(list(d.activations), d.dropout) for d in self.hidden]
        hidden[layer].activations.insert(position, name)
        return self._restructure(hidden, sources, maps)

    def remove_neuron(self, layer: int, position: int) -> Transplant:
        h = self.hidden[self._hidden_index(layer)]
        if not 0 <= position < h.units:
            raise IndexError(f"layer {layer} has no neuron {position}")
        if h.units == 1:
            raise ValueError("a layer needs at least one neuron; remove the layer instead")
        sources, maps = self._identity_maps()
        maps[layer] = np.delete(maps[layer], position)
        hidden = [Dense(list(d.activations), d.dropout) for d in self.hidden]
        del hidden[layer].activations[position]
        return self._restructure(hidden, sources, maps)

    def set_units(self, layer: int, units: int) -> Transplant:
        """Grow or shrink a hidden layer at its end."""
        h = self.hidden[self._hidden_index(layer)]
        if units < 1:
            raise ValueError("a layer needs at least one neuron")
        sources, maps = self._identity_maps()
        maps[layer] = axis_map(units, h.units)
        names = (h.activations + [h.activations[-1]] * units)[:units]
        hidden = [Dense(list(d.activations), d.dropout) for d in self.hidden]
        hidden[layer] = Dense(names, h.dropout)
        return self._restructure(hidden, sources, maps)

    def set_outputs(self, outputs: int) -> Transplant:
        """Change the number of outputs (e.g. the dataset's class count)."""
        if outputs < 1 or (self.loss.name == "bce" and outputs != 1):
            raise ValueError(f"{self.loss.label} cannot have {outputs} outputs")
        sources, maps = self._identity_maps()
        maps[-1] = axis_map(outputs, self.outputs)
        return self._restructure([Dense(list(d.activations), d.dropout) for d in self.hidden],
                                 sources, maps, outputs=outputs)

    def set_inputs(self, sources: Sequence[int]) -> Transplant:
        """Change the inputs (feature toggles): ``sources[j]`` is the old input now at j, or -1.

        A new input starts with zero outgoing weights, so the network's function is unchanged.
        """
        sources_arr = np.asarray(sources, dtype=int)
        if sources_arr.size < 1 or sources_arr.max(initial=-1) >= self.inputs:
            raise ValueError(f"input sources must be -1 or below {self.inputs}")
        layer_sources, maps = self._identity_maps()
        hidden = [Dense(list(d.activations), d.dropout) for d in self.hidden]
        transplant = self._restructure(hidden, layer_sources, maps, inputs=sources_arr)
        views = self.params
        views["W1"][sources_arr < 0, :] = 0.0
        if "W1_2" in views:
            views["W1_2"][sources_arr < 0, :] = 0.0
        return transplant

    def insert_layer(self, index: int, units: int | None = None,
                     activation: str = "tanh") -> Transplant:
        """Insert a hidden layer before hidden layer ``index`` (``len(hidden)``: after the last).

        It starts as a pass-through (rectangular identity weights, zero bias) so the trained
        layers around it keep their weights and, for ReLU/linear, the same function.
        """
        if not 0 <= index <= len(self.hidden):
            raise IndexError(f"cannot insert a layer at {index} (0..{len(self.hidden)})")
        units = self.sizes[index] if units is None else int(units)
        if units < 1:
            raise ValueError("a layer needs at least one neuron")
        sources, maps = self._identity_maps()
        sources.insert(index, None)
        maps.insert(index, np.full(units, -1))
        hidden = [Dense(list(d.activations), d.dropout) for d in self.hidden]
        hidden.insert(index, Dense([acts.canonical_name(activation)] * units))
        return self._restructure(hidden, sources, maps,
                                 {index: lambda fan_in, fan_out: np.eye(fan_in, fan_out)})

    def remove_layer(self, index: int) -> Transplant:
        self._hidden_index(index)
        sources, maps = self._identity_maps()
        del sources[index], maps[index]
        hidden = [Dense(list(d.activations), d.dropout) for d in self.hidden]
        del hidden[index]
        return self._restructure(hidden, sources, maps)

    def set_activation(self, layer: int, activation: str | Sequence[str],
                       neuron: int | None = None) -> Transplant:
        """Change a hidden layer's activation, or one neuron's (per-neuron activations)."""
        h = self.hidden[self._hidden_index(layer)]
        hidden = [Dense(list(d.activations), d.dropout) for d in self.hidden]
        if neuron is None:
            hidden[layer].activations = _activation_list(activation, h.units, f"layer {layer}")
        else:
            if not 0 <= neuron < h.units:
                raise IndexError(f"layer {layer} has no neuron {neuron}")
            hidden[layer].activations[neuron] = acts.canonical_name(activation)
        sources, maps = self._identity_maps()
        return self._restructure(hidden, sources, maps)

    def set_output_activation(self, activation: str) -> None:
        name = acts.canonical_name(activation)
        if name == "maxout":
            raise ValueError("the output layer cannot be maxout")
        self.output_activation = name
        self._plans = [self._plan(i, layer) for i, layer in enumerate(self.layers)]

    def set_dropout(self, layer: int, rate: float) -> None:
        if not 0.0 <= rate < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        self.hidden[self._hidden_index(layer)].dropout = float(rate)
        self._plans = [self._plan(i, layer) for i, layer in enumerate(self.layers)]

    def set_loss(self, name: str) -> None:
        """Switch loss; the caller fixes the output count first when bce needs one output."""
        loss = losses.get(name)
        if loss.name == "bce" and self.outputs != 1:
            raise ValueError("binary cross-entropy needs exactly one output")
        self.loss = loss

    def __repr__(self) -> str:
        arch = "-".join(str(s) for s in self.sizes)
        return (f"Network({arch}, loss={self.loss.name}, {self.count_neurons()} neurons, "
                f"{self.count_parameters()} parameters)")
