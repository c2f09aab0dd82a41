"""Network edits as data, and the undo history that keeps the training done since.

A :class:`Request` is what the user asked for (add a neuron, set a weight…) as plain names and
numbers, so it can be checked, named for the Edit menu and sent between processes. Performing
it records an :class:`Edit`: the network's shape before and after, the
:class:`~playground.core.params.Transplant` between the two layouts, and of every
per-parameter array (weights, optimizer state, gradient statistics) the entries the edit
removed, created or set. Undo maps the *current* arrays back through the inverse transplant,
so weights trained after the edit stay trained, and takes what the edit removed or overwrote
from the record; redo does the same forwards. With no training in between, both give back
the arrays exactly as they were.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.core import activations, surgery
from playground.core.network import Network, Structure
from playground.core.params import Layout, Transplant
from playground.core.trainer import Trainer

MAX_LAYERS = 8
MAX_UNITS = 64
UNDO_LIMIT = 200


@dataclass(frozen=True)
class Request:
    """One edit: its name in the Edit menu, the operation and its keyword arguments."""

    label: str
    op: str
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> tuple | None:
        """The weight a ``set_weight`` edit sets: consecutive edits of it undo as one."""
        if self.op != "set_weight":
            return None
        return self.args["key"], tuple(self.args["index"])

    def apply(self, net: Network, probe: np.ndarray | None = None) -> Transplant | None:
        """Make the edit on ``net``; refuses (changing nothing) what the limits forbid.
        ``probe`` (network inputs, e.g. the training points) tells an inserted layer the
        ranges it must pass on."""
        if self.op not in _OPS:
            raise ValueError(f"unknown edit {self.op!r}")
        _check_limits(net, self.op, self.args)
        if self.op == "insert_layer":
            return surgery.insert_layer(net, probe=probe, **self.args)
        return _OPS[self.op](net, **self.args)


def add_neuron(layer: int, position: int | None = None) -> Request:
    return Request(f"Add neuron to layer {layer}", "add_neuron",
                   {"layer": layer, "position": position})


def remove_neuron(layer: int, position: int) -> Request:
    return Request(f"Remove neuron {position + 1} from layer {layer}", "remove_neuron",
                   {"layer": layer, "position": position})


def insert_layer(layer: int, activation: str, units: int | None = None) -> Request:
    """A hidden layer that becomes column ``layer``."""
    return Request(f"Insert layer {layer}", "insert_layer",
                   {"layer": layer, "units": units, "activation": activation})


def remove_layer(layer: int) -> Request:
    return Request(f"Remove layer {layer}", "remove_layer", {"layer": layer})


def set_units(layer: int, units: int) -> Request:
    return Request(f"Set layer {layer} to {units} units", "set_units",
                   {"layer": layer, "units": units})


def set_activation(layer: int, name: str, neuron: int | None = None) -> Request:
    label = activations.get(name).label
    where = f"layer {layer}" if neuron is None else f"neuron {neuron + 1} of layer {layer}"
    return Request(f"Set {where} to {label}", "set_activation",
                   {"layer": layer, "activation": name, "neuron": neuron})


def set_output_activation(name: str) -> Request:
    return Request(f"Set output activation to {activations.get(name).label}",
                   "set_output_activation", {"activation": name})


def set_weight(key: str, index: tuple[int, ...], value: float, label: str = "") -> Request:
    """One weight or bias by hand (``key`` "W2", "b1"…; W is (fan_in, fan_out))."""
    return Request(label or f"Set {key}{list(index)} to {value:g}", "set_weight",
                   {"key": key, "index": tuple(int(i) for i in index), "value": float(value)})


def _set_weight(net: Network, key: str, index: tuple[int, ...], value: float) -> None:
    if key not in net.params:
        raise KeyError(f"no parameter {key!r}")
    array = net.params[key]
    if len(index) != array.ndim or not all(0 <= i < n for i, n in zip(index, array.shape,
                                                                       strict=True)):
        raise IndexError(f"{key} has no entry {list(index)}")
    if not math.isfinite(value):
        raise ValueError("a weight must be a finite number")
    array[index] = value


def _set_output_activation(net: Network, activation: str) -> None:
    net.set_output_activation(activation)


_OPS = {
    "add_neuron": surgery.add_neuron, "remove_neuron": surgery.remove_neuron,
    "insert_layer": surgery.insert_layer, "remove_layer": surgery.remove_layer,
    "set_units": surgery.set_units, "set_activation": surgery.set_activation,
    "set_output_activation": _set_output_activation, "set_weight": _set_weight,
}


def _check_limits(net: Network, op: str, args: dict[str, Any]) -> None:
    if op == "insert_layer" and len(net.hidden) >= MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers")
    units = {"set_units": args.get("units"), "insert_layer": args.get("units")}.get(op)
    if op == "add_neuron" and 1 <= args["layer"] < net.depth:
        units = net.sizes[args["layer"]] + 1
    limit = MAX_UNITS
    if op == "set_units" and isinstance(args.get("layer"), int) and 1 <= args["layer"] < net.depth:
        limit = max(MAX_UNITS, net.sizes[args["layer"]])  # a wider layer (a lesson's) may shrink
    if units is not None and units > limit:
        raise ValueError(f"at most {MAX_UNITS} neurons in a layer")


# ------------------------------------------------------------------ records
@dataclass(frozen=True)
class State:
    """A network shape and, of every per-parameter array (weights, optimizer state,
    statistics), only the ``entries`` an undo or redo cannot take from the network as it is
    then: what the edit removed, created or set. An edit of one neuron costs a neuron's
    numbers, however large the network (200 undo steps stay small)."""

    structure: Structure
    layout: Layout
    entries: np.ndarray
    values: dict[str, np.ndarray]

    @classmethod
    def keep(cls, structure: Structure, layout: Layout, arrays: dict[str, np.ndarray],
             entries: np.ndarray) -> State:
        return cls(structure, layout, entries, {k: v[entries] for k, v in arrays.items()})

    def array(self, name: str) -> np.ndarray:
        """A flat array in this layout: the kept entries, zero elsewhere."""
        flat = np.zeros(self.layout.size)
        flat[self.entries] = self.values[name]
        return flat


def _reached(transplant: Transplant, source: Layout) -> np.ndarray:
    """True at the entries of ``transplant``'s layout that some source entry moves to."""
    return transplant.apply(source.views(np.ones(source.size))) > 0


@dataclass
class Edit:
    """One performed change. ``touched`` lists the parameter entries the change set rather
    than moved (an edited weight; the weights after an inserted layer, which take its scale),
    as flat indices in the layout after it; ``touched_before`` the same entries before it.
    Undo and redo give these entries their recorded values (and optimizer state)."""

    label: str
    before: State
    after: State
    forward: Transplant
    touched: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    target: tuple | None = None
    touched_before: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    changed_nothing: bool = False

    def undo(self, trainer: Trainer) -> None:
        self._move(trainer, self.forward.inverse(self.before.layout), self.before, self.after,
                   self.touched_before)

    def redo(self, trainer: Trainer) -> None:
        self._move(trainer, self.forward, self.after, self.before, self.touched)

    def _move(self, trainer: Trainer, transplant: Transplant, target: State,
              source: State, touched: np.ndarray) -> None:
        if trainer.net.layout != source.layout:
            raise ValueError("the network changed shape since; this edit cannot be undone")
        current = trainer.arrays()
        arrays = {}
        for name in target.values:
            if name not in current:
                continue
            flat = target.array(name)
            moved = transplant.apply(source.layout.views(current[name]), base=flat)
            moved[touched] = flat[touched]
            arrays[name] = moved
        trainer.restore_arrays(target.structure, arrays)


def perform(trainer: Trainer, request: Request) -> Edit:
    """Apply ``request`` between steps and record it. An edit that returns no transplant
    keeps the shape. Entries whose value differs from what moving them would give (the ones
    the edit set) are recorded as touched."""
    structure, layout, arrays = trainer.net.structure(), trainer.net.layout, trainer.arrays()
    transplant: list[Transplant | None] = [None]

    def run(net: Network) -> Transplant | None:
        transplant[0] = request.apply(net, trainer.probe_points())
        return transplant[0]

    trainer.edit(run)
    after_structure, after_layout, after = (trainer.net.structure(), trainer.net.layout,
                                            trainer.arrays())
    forward = transplant[0] or Transplant.identity(after_layout)
    backward = forward.inverse(layout)
    set_here = forward.apply(layout.views(arrays["params"]), fill=np.nan) != after["params"]
    set_before = backward.apply(after_layout.views(set_here.astype(float))) > 0
    nothing = structure == after_structure and np.array_equal(arrays["params"],
                                                              after["params"])
    return Edit(
        request.label,
        State.keep(structure, layout, arrays,
                   np.flatnonzero(~_reached(backward, after_layout) | set_before)),
        State.keep(after_structure, after_layout, after,
                   np.flatnonzero(~_reached(forward, layout) | set_here)),
        forward, np.flatnonzero(set_here), request.target, np.flatnonzero(set_before),
        nothing)


class EditHistory:
    """Undo and redo over performed edits (newest last, at most ``limit`` entries).

    An entry is one or more edits undone newest first: consecutive edits of the same weight
    merge, so stepping a bias ten times is one undo.
    """

    def __init__(self, limit: int = UNDO_LIMIT) -> None:
        self.limit = limit
        self._entries: list[list[Edit]] = []
        self._done = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def undo_label(self) -> str | None:
        return self._entries[self._done - 1][-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._entries[self._done][-1].label if self._done < len(self._entries) else None

    def push(self, record: Edit) -> None:
        del self._entries[self._done:]
        top = self._entries[-1] if self._entries else None
        if top is not None and record.target is not None and top[-1].target == record.target:
            top.append(record)
        else:
            self._entries.append([record])
            del self._entries[:-self.limit]
        self._done = len(self._entries)

    def undo(self, trainer: Trainer) -> str:
        if not self._done:
            raise ValueError("nothing to undo")
        entry = self._entries[self._done - 1]
        for record in reversed(entry):
            record.undo(trainer)
        self._done -= 1
        return entry[-1].label

    def redo(self, trainer: Trainer) -> str:
        if self._done == len(self._entries):
            raise ValueError("nothing to redo")
        entry = self._entries[self._done]
        for record in entry:
            record.redo(trainer)
        self._done += 1
        return entry[-1].label

    def clear(self) -> None:
        self._entries.clear()
        self._done = 0
