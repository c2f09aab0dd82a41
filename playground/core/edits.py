"""Network edits as data, and the undo history that keeps the training done since.

A :class:`Request` is what the user asked for (add a neuron, set a weight…) as plain names and
numbers, so it can be checked, named for the Edit menu and sent between processes. Performing
it records an :class:`Edit`: the network's shape and every per-parameter array (weights,
optimizer state, gradient statistics) before and after, plus the
:class:`~playground.core.params.Transplant` between the two layouts. Undo maps the *current*
arrays back through the inverse transplant, so weights trained after the edit stay trained,
and takes what the edit removed or overwrote from the "before" copy; redo does the same
forwards. With no training in between, both give back the recorded arrays exactly.
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
    if units is not None and units > MAX_UNITS:
        raise ValueError(f"at most {MAX_UNITS} neurons in a layer")


# ------------------------------------------------------------------ records
@dataclass(frozen=True)
class State:
    structure: Structure
    layout: Layout
    arrays: dict[str, np.ndarray]


def capture(trainer: Trainer) -> State:
    return State(trainer.net.structure(), trainer.net.layout, trainer.arrays())


@dataclass
class Edit:
    """One performed change. ``touched`` lists the parameter entries the change set rather
    than moved (an edited weight; the weights after an inserted layer, which take its scale),
    as flat indices in the layout after it; ``touched_before`` the same entries before it.
    Undo and redo give these entries their recorded values."""

    label: str
    before: State
    after: State
    forward: Transplant
    touched: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    target: tuple | None = None
    touched_before: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))

    @property
    def changed_nothing(self) -> bool:
        return (self.before.structure == self.after.structure
                and np.array_equal(self.before.arrays["params"], self.after.arrays["params"]))

    def undo(self, trainer: Trainer) -> None:
        self._move(trainer, self.forward.inverse(self.before.layout), self.before, self.after,
                   self.touched_before)

    def redo(self, trainer: Trainer) -> None:
        self._move(trainer, self.forward, self.after, self.before, self.touched)

    def _move(self, trainer: Trainer, transplant: Transplant, target: State,
              source: State, touched: np.ndarray) -> None:
        current = trainer.arrays()
        if trainer.net.layout != source.layout:
            arrays = target.arrays  # the shape changed outside the undo history: go back whole
        else:
            arrays = {}
            for name, flat in target.arrays.items():
                if name not in current:
                    continue
                moved = transplant.apply(source.layout.views(current[name]), base=flat)
                if name == "params":
                    moved[touched] = flat[touched]
                arrays[name] = moved
        trainer.restore_arrays(target.structure, arrays)


def perform(trainer: Trainer, request: Request) -> Edit:
    """Apply ``request`` between steps and record it. An edit that returns no transplant
    keeps the shape. Entries whose value differs from what moving them would give (the ones
    the edit set) are recorded as touched."""
    before = capture(trainer)
    transplant: list[Transplant | None] = [None]

    def run(net: Network) -> Transplant | None:
        transplant[0] = request.apply(net, trainer.probe_points())
        return transplant[0]

    trainer.edit(run)
    after = capture(trainer)
    forward = transplant[0] or Transplant.identity(after.layout)
    old = before.layout.views(before.arrays["params"])
    set_here = forward.apply(old, fill=np.nan) != after.arrays["params"]
    back = forward.inverse(before.layout).apply(after.layout.views(set_here.astype(float)))
    return Edit(request.label, before, after, forward, np.flatnonzero(set_here),
                request.target, np.flatnonzero(back > 0))


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
        self._done -= 1
        entry = self._entries[self._done]
        for record in reversed(entry):
            record.undo(trainer)
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
