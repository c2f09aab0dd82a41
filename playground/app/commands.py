"""Undo and redo for network edits: every edit the window makes goes through here.

The core already records an edit exactly (:class:`~playground.core.edits.Edit`); this module
names edits for the Edit menu ("Add neuron to layer 2") and wraps each record in a
:class:`QUndoCommand` whose undo/redo run through the driver, so they land between training
steps and the picture follows at once. Layer numbers are the view's: 0 = inputs, 1..H hidden.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from playground.app.driver import TrainingDriver
from playground.core import activations
from playground.core.edits import Edit
from playground.core.network import Network
from playground.core.params import Transplant
from playground.core.session import Session

Change = Callable[[Network], Transplant | None]
Request = tuple[str, Change]
"""What an edit is called in the Edit menu, and the surgery that makes it."""

MAX_LAYERS = 8
MAX_UNITS = 64
UNDO_LIMIT = 200
_WEIGHT_MERGE_ID = 1


# ----------------------------------------------------------- named edits
def add_neuron(layer: int, position: int | None = None) -> Request:
    return (f"Add neuron to layer {layer}",
            lambda net: net.add_neuron(layer - 1, position))


def remove_neuron(layer: int, index: int) -> Request:
    return (f"Remove neuron {index + 1} from layer {layer}",
            lambda net: net.remove_neuron(layer - 1, index))


def insert_layer(slot: int, activation: str, units: int | None = None) -> Request:
    """A hidden layer that becomes layer ``slot + 1`` (core index ``slot``)."""
    return (f"Insert layer {slot + 1}",
            lambda net: net.insert_layer(slot, units=units, activation=activation))


def remove_layer(layer: int) -> Request:
    return f"Remove layer {layer}", lambda net: net.remove_layer(layer - 1)


def set_units(layer: int, units: int) -> Request:
    return (f"Set layer {layer} to {units} units",
            lambda net: net.set_units(layer - 1, units))


def set_activation(layer: int, name: str, neuron: int | None = None) -> Request:
    label = activations.get(name).label
    where = f"layer {layer}" if neuron is None else f"neuron {neuron + 1} of layer {layer}"
    return (f"Set {where} to {label}",
            lambda net: net.set_activation(layer - 1, name, neuron=neuron))


def set_output_activation(name: str) -> Request:
    return (f"Set output activation to {activations.get(name).label}",
            lambda net: net.set_output_activation(name))


# -------------------------------------------------------------- commands
class EditCommand(QUndoCommand):
    """One entry of the undo stack: one or more core edits, undone newest first.

    The edit is already applied when the command is pushed, so the first ``redo`` (which
    ``QUndoStack.push`` calls) does nothing. Consecutive edits of the same weight merge into
    one entry, so stepping a bias ten times is one undo.
    """

    def __init__(self, driver: TrainingDriver, text: str, record: Edit,
                 target: tuple[str, tuple[int, ...]] | None = None) -> None:
        super().__init__(text)
        self._driver = driver
        self._records = [record]
        self._target = target
        self._applied = True

    def id(self) -> int:
        return _WEIGHT_MERGE_ID if self._target is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other._target != self._target:
            return False
        self._records.extend(other._records)
        self.setText(other.text())
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._driver.apply(lambda s: [s.redo(r) for r in self._records])

    def undo(self) -> None:
        self._driver.apply(lambda s: [s.undo(r) for r in reversed(self._records)])


def _changed_nothing(record: Edit) -> bool:
    return (record.before.structure == record.after.structure
            and np.array_equal(record.before.arrays["params"], record.after.arrays["params"]))


class UndoableEdits(QObject):
    """Performs edits through the driver and pushes them on the undo stack.

    ``failed`` carries a sentence for the status bar when the core refuses an edit (which then
    changes nothing).
    """

    failed = Signal(str)

    def __init__(self, driver: TrainingDriver, stack: QUndoStack,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._driver = driver
        self._stack = stack
        stack.setUndoLimit(UNDO_LIMIT)

    def perform(self, label: str, change: Change) -> bool:
        """Apply a structural edit; True if it was made."""
        return self._push(label, lambda s: s.perform(label, change))

    def set_weight(self, key: str, index: tuple[int, ...], value: float, label: str) -> bool:
        """Set one weight or bias (``key`` "W{k}"/"b{k}", W is (fan_in, fan_out))."""
        return self._push(label, lambda s: s.set_weight(key, tuple(index), value),
                          target=(key, tuple(index)))

    def _push(self, label: str, run: Callable[[Session], Edit],
              target: tuple[str, tuple[int, ...]] | None = None) -> bool:
        try:
            record = self._driver.apply(run)
        except (ValueError, IndexError, KeyError) as exc:
            reason = exc.args[0] if exc.args else exc
            self.failed.emit(f"{label}: not done, {reason}")
            return False
        if not _changed_nothing(record):
            self._stack.push(EditCommand(self._driver, label, record, target))
        return True
