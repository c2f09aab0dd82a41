"""A fully connected network: vectorized forward with a cache, backward, and surgery.

Layer k (1-based) computes ``z = a @ Wk + bk`` with ``Wk`` of shape (fan_in, fan_out), then an
activation per neuron. A maxout neuron has a second affine piece (``Wk_2``, ``bk_2``) and
outputs ``max(z, z2)``. The last layer's activation is ``output_activation`` (linear unless the
TF Playground setting tanh + mse is chosen), and the loss reads its output as scores.

Surgery (:mod:`playground.core.surgery`) keeps every weight it can and returns the
:class:`~playground.core.params.Transplant` it used, so the trainer can move optimizer state
and gradient statistics the same way. Every layer has an id (``layer_ids``, one per column
1..depth) that survives inserts and removals elsewhere, so a curve or a record can follow *a
layer* rather than a position.

Regularisation (:mod:`~playground.core.regularization`): L2 is ½λ‖W‖², L1 is λ‖W‖₁, on
weights only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from playground.core import activations as acts
from playground.core import losses, regularization
from playground.core.initializers import INITS, init_bias, init_weights
from playground.core.params import Layout, ParamDict, param_keys


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
    layer_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class LayerGradients:
    """One layer's gradients for a batch: ∂L/∂a of its output (``da``, before dropout), of its
    affine part (``dz``) and of a maxout layer's second piece (``dz2``, else None)."""

    da: np.ndarray
    dz: np.ndarray
    dz2: np.ndarray | None


class LayerCache(NamedTuple):
    """What the forward pass keeps of one layer for backward: its input, affine output ``z``,
    activation ``out``, a maxout layer's second piece ``z2`` and the dropout ``mask``."""

    a_in: np.ndarray
    z: np.ndarray
    out: np.ndarray
    z2: np.ndarray | None
    mask: np.ndarray | None


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


def spec_sizes(spec: Mapping[str, Any]) -> list[int]:
    """Layer widths [inputs, hidden…, outputs] of a spec, read without building anything."""
    try:
        layers = [layer if isinstance(layer, (int, np.integer)) else layer["units"]
                  for layer in spec.get("layers", [])]
        return [int(spec["inputs"]), *(int(u) for u in layers), int(spec["outputs"])]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"spec has no valid layer sizes ({exc!r})") from None


OUTPUT_LAYER_ID = 0
"""The output layer's id: it is never inserted or removed."""


class Network:
    """A dense network whose parameters live in one flat buffer (see :mod:`params`)."""

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
        self.layer_ids: list[int] = [*range(1, len(self.hidden) + 1), OUTPUT_LAYER_ID]
        self._last_id = len(self.hidden)
        self.install(self._fresh_params())

    # ----------------------------------------------------------------- spec
    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Network:
        """Build from a JSON-friendly spec (README, "Command line"); layers may be ints or dicts."""
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
            names = acts.activation_list(options.get("activation", default_act), units,
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

    @property
    def depth(self) -> int:
        """The output layer's column (hidden layers are 1 .. depth - 1)."""
        return len(self.hidden) + 1

    def layer(self, column: int) -> Dense:
        """The layer in ``column`` (1 .. depth; the inputs have no layer)."""
        if not 1 <= column <= self.depth:
            raise IndexError(f"no layer in column {column} (there are {self.depth})")
        return self.layers[column - 1]

    def layer_keys(self, column: int) -> tuple[str, ...]:
        """Parameter keys of the layer in ``column``."""
        return param_keys(column, column < self.depth and self.hidden[column - 1].has_maxout)

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Every parameter's shape for the current structure, in layer order."""
        sizes, shapes = self.sizes, {}
        for k in range(1, len(sizes)):
            for key in self.layer_keys(k):
                shapes[key] = (sizes[k - 1], sizes[k]) if key[0] == "W" else (sizes[k],)
        return shapes

    def _fresh_params(self) -> np.ndarray:
        layout = Layout.from_shapes(self.shapes())
        flat = np.zeros(layout.size)
        views = layout.views(flat)
        for k in range(1, len(self.sizes)):
            keys = self.layer_keys(k)
            self.init_columns(views, keys[:2], slice(None))
            if len(keys) == 4:
                self.init_columns(views, keys[2:], slice(None))
        self.zero_unused_maxout(views)
        return flat

    def init_columns(self, views: Mapping[str, np.ndarray], keys: Sequence[str],
                     cols: np.ndarray | slice) -> None:
        """Fresh incoming weights and biases from the initialiser for neurons ``cols``."""
        W, b = views[keys[0]], views[keys[1]]
        fan_in, fan_out = W.shape
        count = len(range(fan_out)[cols]) if isinstance(cols, slice) else len(cols)
        if count == 0:
            return
        W[:, cols] = init_weights(self.init, fan_in, fan_out, (fan_in, count), self.rng)
        b[cols] = init_bias(self.init, count)

    def _unused_pieces(self) -> Iterator[tuple[str, str, list[int]]]:
        for k, h in enumerate(self.hidden, start=1):
            if h.has_maxout:
                _, _, W2, b2 = self.layer_keys(k)
                yield W2, b2, [j for j, a in enumerate(h.activations) if a != "maxout"]

    def zero_unused_maxout(self, views: Mapping[str, np.ndarray]) -> None:
        """A neuron that is not maxout in a maxout layer has a second piece it never uses:
        keep it at zero."""
        for W2, b2, unused in self._unused_pieces():
            views[W2][:, unused] = 0.0
            views[b2][unused] = 0.0

    def install(self, flat: np.ndarray) -> None:
        """Lay ``flat`` out for the current structure; all or nothing, so a failure leaves
        the old parameters in place."""
        layout = Layout.from_shapes(self.shapes())
        order = [key for k in range(1, len(self.sizes)) for key in self.layer_keys(k)]
        params = ParamDict(layout.views(flat), order)
        plans = [self._plan(k, layer) for k, layer in enumerate(self.layers, start=1)]
        self.layout, self.flat, self.params, self._plans = layout, flat, params, plans

    def _replan(self) -> None:
        self._plans = [self._plan(k, layer) for k, layer in enumerate(self.layers, start=1)]

    def _plan(self, column: int, layer: Dense) -> _LayerPlan:
        keys = self.layer_keys(column)
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
                         self.outputs, self.output_activation, tuple(self.layer_ids))

    def set_structure(self, structure: Structure, flat: np.ndarray) -> None:
        """Take a recorded shape and a flat parameter vector laid out for it (undo/redo)."""
        self.inputs, self.outputs = structure.inputs, structure.outputs
        self.hidden = [Dense(list(names), dropout) for names, dropout in structure.hidden]
        self.output_activation = structure.output_activation
        self.layer_ids = (list(structure.layer_ids) if structure.layer_ids else
                          [*range(1, len(self.hidden) + 1), OUTPUT_LAYER_ID])
        self.install(np.array(flat, dtype=float))

    def new_layer_id(self) -> int:
        """An id no layer of this network has had: a removed layer's id is not reused, so
        its record never joins a later layer's."""
        self._last_id = max(self._last_id, *self.layer_ids) + 1
        return self._last_id

    def unused_mask(self) -> np.ndarray:
        """True at the flat entries no neuron uses: the second maxout piece of a neuron that
        is not maxout (kept at zero, and its optimizer state too)."""
        mask = np.zeros(self.layout.size, dtype=bool)
        views = self.layout.views(mask)
        for W2, b2, unused in self._unused_pieces():
            views[W2][:, unused] = True
            views[b2][unused] = True
        return mask


    def reinitialize(self, seed: int | None = None) -> None:
        """Fresh weights from the initialiser; a new random draw unless ``seed`` is given."""
        if seed is not None:
            self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.install(self._fresh_params())

    # -------------------------------------------------------------- forward
    def forward_cache(self, X: np.ndarray, training: bool = False,
                      rng: np.random.Generator | None = None
                      ) -> tuple[np.ndarray, list[LayerCache]]:
        """Output-layer scores and what backward needs: a :class:`LayerCache` per layer."""
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
            cache.append(LayerCache(a, z, out, z2, mask))
            a = out if mask is None else out * mask
        return a, cache

    def forward(self, X: np.ndarray) -> np.ndarray:
        """What the user sees for each point: probabilities (softmax, bce) or scores/values."""
        scores, _ = self.forward_cache(np.asarray(X, dtype=float))
        return self.loss.output(scores)

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's activations (hidden layers, then the user-facing output)."""
        scores, cache = self.forward_cache(np.asarray(X, dtype=float))
        return [c.out for c in cache[:-1]] + [self.loss.output(scores)]

    def predict(self, X: np.ndarray) -> np.ndarray:
        scores, _ = self.forward_cache(np.asarray(X, dtype=float))
        return self.loss.predict(scores)

    # ------------------------------------------------------------- backward
    def backward(self, cache: list[LayerCache], dscores: np.ndarray,
                 grads: Mapping[str, np.ndarray],
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
        """L1/L2 penalty on the weights (never the biases); adds its gradient to
        ``grad_flat`` (which must already hold the data gradient) if given."""
        if not (self.l1 or self.l2):
            return 0.0
        n = self.layout.n_weights
        return regularization.penalty(self.flat[:n], self.l1, self.l2,
                                      None if grad_flat is None else grad_flat[:n])

    def zero_weights(self) -> int:
        """How many weights (not biases, not unused maxout pieces) are exactly zero."""
        n = self.layout.n_weights
        return int(np.count_nonzero((self.flat[:n] == 0.0) & ~self.unused_mask()[:n]))

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

    def set_output_activation(self, activation: str) -> None:
        name = acts.canonical_name(activation)
        if name == "maxout":
            raise ValueError("the output layer cannot be maxout")
        self.output_activation = name
        self._replan()

    def set_dropout(self, rate: float, column: int | None = None) -> None:
        """Dropout of one hidden layer, or of every hidden layer when ``column`` is None."""
        if not 0.0 <= rate < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        if column is not None and not 1 <= column < self.depth:
            raise IndexError(f"column {column} is not a hidden layer")
        for layer in self.hidden if column is None else [self.hidden[column - 1]]:
            layer.dropout = float(rate)
        self._replan()

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
