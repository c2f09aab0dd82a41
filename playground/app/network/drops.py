"""Palette parts dropped (or clicked) into the network: where they land, the marker that shows
it while dragging, and the edit a drop makes.

A Layer dropped in the gap between two columns becomes a hidden layer there; a Neuron dropped
on a hidden column goes in at the drop's height. A refused spot (a neuron on the inputs or
outputs, a full layer) ignores the drag move, so the cursor shows "forbidden", and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QColor, QDragMoveEvent, QDropEvent

from playground.app import commands
from playground.app.commands import MAX_LAYERS, MAX_UNITS, UndoableEdits
from playground.app.network.editor_items import DropMarker
from playground.app.network.hit_test import layer_slot, nearest_column, neuron_slot
from playground.app.network.palette import MIME_TYPE, part_of
from playground.app.network.selection import Selection, is_hidden
from playground.app.network.view import NetworkView

if TYPE_CHECKING:
    from playground.app.network.editor import NetworkEditor


@dataclass(frozen=True)
class Drop:
    """A layer that becomes column ``layer``, or a neuron at ``position`` in column
    ``layer`` (view numbering)."""

    part: str
    layer: int
    position: int = 0


class PaletteDrops:
    """The drag-and-drop half of the editor (which forwards the viewport's drag events)."""

    def __init__(self, editor: NetworkEditor, view: NetworkView, edits: UndoableEdits) -> None:
        self._editor = editor
        self._view = view
        self._edits = edits
        self._marker = DropMarker(view.font())
        view.scene().addItem(self._marker)
        self._dragging = False  # a palette drag is over the view (the view never saw it)
        self._refusal = ""

    # ------------------------------------------------------------ public
    def preview(self) -> str | None:
        """The marker's caption while a drag hovers a valid place, else None."""
        return self._marker.text() if self._marker.isVisible() else None

    def refusal(self) -> str:
        """Why the last refused drop was refused."""
        return self._refusal

    def set_colors(self, highlight: QColor, background: QColor) -> None:
        self._marker.color, self._marker.background = highlight, background

    def hide_marker(self) -> None:
        self._marker.hide()

    def drop_at(self, part: str, point: QPointF) -> Drop | None:
        """Where ``part`` dropped at scene ``point`` would land, or None (see ``refusal``)."""
        layout = self._view.layout_info()
        if layout is None:
            return None
        if part == "layer":
            drop = Drop("layer", layer_slot(layout.xs, point.x()) + 1)
        else:
            column = nearest_column(layout.xs, point.x())
            drop = Drop("neuron", column, neuron_slot(layout.ys[column], point.y()))
        return drop if self._allowed(drop) else None

    def add_part(self, part: str) -> None:
        """A part clicked rather than dragged: after / into the selected hidden layer, else
        at the end."""
        snap, selection = self._view.snapshot(), self._editor.selection()
        hidden = len(snap.sizes) - 2
        chosen = selection is not None and is_hidden(snap, selection.layer)
        if part == "layer":
            self.land(Drop("layer", selection.layer + 1 if chosen else hidden + 1))
        elif not hidden:
            self._editor.message.emit("Add a layer first: neurons live in hidden layers")
        elif chosen:
            index = selection.index
            position = snap.sizes[selection.layer] if index is None else index + 1
            self.land(Drop("neuron", selection.layer, position))
        else:
            self.land(Drop("neuron", hidden, snap.sizes[hidden]))

    def land(self, drop: Drop) -> bool:
        """Make the edit a drop asks for and select what it added."""
        if not self._allowed(drop):
            self._editor.message.emit(self._refusal)
            return False
        if drop.part == "layer":
            request = commands.insert_layer(drop.layer - 1, self._neighbour_activation(drop.layer))
            added = Selection(drop.layer)
        else:
            request = commands.add_neuron(drop.layer, drop.position)
            added = Selection(drop.layer, drop.position)
        if not self._edits.perform(*request):
            return False
        self._editor.select(added)
        self._editor.message.emit(f"{request[0]}: the trained weights are kept "
                                  "(Ctrl+Z undoes it)")
        return True

    # ------------------------------------------------------------ events
    def handle(self, event: QEvent) -> bool:
        """A drag event on the viewport; True if it was a palette drag (and handled)."""
        kind = event.type()
        if kind == QEvent.Type.DragLeave:
            self._marker.hide()
            ours, self._dragging = self._dragging, False
            return ours
        mime = event.mimeData()
        if not mime.hasFormat(MIME_TYPE) or self._view.snapshot() is None:
            return False  # not from the palette: the view's own handling
        part = part_of(mime)
        if part is None:
            event.ignore()
            return True
        pos = event.position()
        drop = self.drop_at(part, self._view.mapToScene(QPoint(int(pos.x()), int(pos.y()))))
        if kind == QEvent.Type.Drop:
            self._dropped(event, drop)
        else:
            self._moved(event, drop)
        return True

    def _moved(self, event: QDragMoveEvent, drop: Drop | None) -> None:
        if event.type() == QEvent.Type.DragEnter:
            self._dragging = True
            event.acceptProposedAction()  # keep the moves coming, even over a refused spot
        if drop is None:
            self._marker.hide()
            if event.type() == QEvent.Type.DragMove:
                event.ignore()  # the forbidden cursor
            self._editor.message.emit(self._refusal)
            return
        self._show_marker(drop)
        event.acceptProposedAction()

    def _dropped(self, event: QDropEvent, drop: Drop | None) -> None:
        self._marker.hide()
        self._dragging = False
        if drop is None:
            event.ignore()
            self._editor.message.emit(self._refusal)
            return
        event.acceptProposedAction()
        self.land(drop)

    # ------------------------------------------------------------ helpers
    def _allowed(self, drop: Drop) -> bool:
        snap = self._view.snapshot()
        if drop.part == "layer":
            ok = len(snap.sizes) - 2 < MAX_LAYERS
            self._refusal = "" if ok else f"At most {MAX_LAYERS} hidden layers"
        elif not is_hidden(snap, drop.layer):
            ok = False
            self._refusal = ("A neuron goes into a hidden layer: the inputs are the features "
                             "and the outputs follow the data")
        else:
            ok = snap.sizes[drop.layer] < MAX_UNITS
            self._refusal = "" if ok else f"At most {MAX_UNITS} neurons in a layer"
        return ok

    def _neighbour_activation(self, column: int) -> str:
        """A new layer takes the activation of the hidden layer before it (or after it)."""
        names = self._view.snapshot().activations
        hidden = len(names) - 1
        for layer in (column - 1, column):
            if 1 <= layer <= hidden:
                return names[layer - 1][0]
        return "tanh"

    def _show_marker(self, drop: Drop) -> None:
        layout = self._view.layout_info()
        if drop.part == "layer":
            left = drop.layer - 1
            x = (layout.xs[left] + layout.xs[left + 1]) / 2
            top = self._view.caption_rect(0).bottom() + 4
            bottom = max(float(ys[-1]) + side / 2 for ys, side in zip(layout.ys, layout.sides,
                                                                       strict=True))
            self._marker.show_layer(x, top, bottom, f"+ layer {drop.layer}")
            return
        ys, side = layout.ys[drop.layer], layout.size_of(drop.layer)
        pitch = layout.pitches[drop.layer]
        if drop.position == 0:
            y = float(ys[0]) - pitch / 2
        elif drop.position == len(ys):
            y = float(ys[-1]) + pitch / 2
        else:
            y = float(ys[drop.position - 1] + ys[drop.position]) / 2
        self._marker.show_neuron(layout.xs[drop.layer], y, 0.5 * side,
                                 f"+ neuron {drop.position + 1}")
