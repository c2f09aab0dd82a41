"""What the editor points at, and how the window names it.

Layers are numbered as the view draws them: 0 = inputs, 1..H hidden, H + 1 = outputs, so
"layer 2" in a status message, a menu or the Edit menu's undo text is the column titled
"Hidden 2".
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from playground.core.snapshot import Snapshot
from playground.data import feature_label


@dataclass(frozen=True)
class Selection:
    """A neuron (``index`` set) or a whole layer (``index`` None)."""

    layer: int
    index: int | None = None


def is_hidden(snap: Snapshot, layer: int) -> bool:
    return 0 < layer < len(snap.sizes) - 1


def exists(snap: Snapshot | None, selection: Selection) -> bool:
    """Whether ``selection`` names something in the network ``snap`` shows."""
    if snap is None or not 0 <= selection.layer < len(snap.sizes):
        return False
    return selection.index is None or 0 <= selection.index < snap.sizes[selection.layer]


def neuron_name(snap: Snapshot, layer: int, index: int) -> str:
    """"x₁" for an input, "layer 2 neuron 3", "output 1"."""
    if layer == 0:
        return feature_label(snap.features[index])
    if layer == len(snap.sizes) - 1:
        return f"output {index + 1}"
    return f"layer {layer} neuron {index + 1}"


def describe(snap: Snapshot, selection: Selection) -> str:
    """"input x₁", "layer 2 neuron 3", "layer 2", "the output layer"."""
    if selection.index is not None:
        name = neuron_name(snap, selection.layer, selection.index)
        return f"input {name}" if selection.layer == 0 else name
    last = len(snap.sizes) - 1
    return {0: "the input layer", last: "the output layer"}.get(selection.layer,
                                                                f"layer {selection.layer}")


class SelectionModel(QObject):
    """The one current selection, shared by the network editor and its menus and drops:
    ``changed(Selection | None)`` fires whenever it is set."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current: Selection | None = None

    def current(self) -> Selection | None:
        return self._current

    def set(self, selection: Selection | None) -> None:
        self._current = selection
        self.changed.emit(selection)
