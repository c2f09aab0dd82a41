"""Palette parts dropped (or clicked) into the network: where they land, the marker that shows
it while dragging, and the edit a drop makes.

A Layer dropped in the gap between two columns becomes a hidden layer there; a Neuron dropped
on a hidden column goes in at the drop's height. A refused spot (a neuron on the inputs or
outputs, a full layer) ignores the drag move, so the cursor shows "forbidden", and says why.
Where a drop lands and what it asks for are plain functions of the snapshot; the class only
follows the drag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Signal
from PySide6.QtGui import QColor, QDragMoveEvent, QDropEvent

from playground.app.network.editor_items import DropMarker
from playground.app.network.hit_test import layer_slot, nearest_column, neuron_slot
from playground.app.network.palette import MIME_TYPE, part_of
from playground.app.network.view import Layout, NetworkView
from playground.app.ui.selection import Selection, SelectionModel, is_hidden
from playground.core import edits
from playground.core.edits import MAX_LAYERS, MAX_UNITS, Request
from playground.core.snapshot import Snapshot


@dataclass(frozen=True)
class Drop:
    """A layer that becomes column ``layer``, or a neuron at ``position`` in column
    ``layer``."""

    part: str
    layer: int
    position: int = 0


def drop_at(layout: Layout, part: str, point: QPointF) -> Drop:
    """Where ``part`` dropped at scene ``point`` would land (allowed or not)."""
    if part == "layer":
        return Drop("layer", layer_slot(layout.xs, point.x()))
    column = nearest_column(layout.xs, point.x())
    return Drop("neuron", column, neuron_slot(layout.ys[column], point.y()))


def refusal(snap: Snapshot, drop: Drop) -> str:
    """Why ``drop`` cannot land, or "" if it can."""
    if drop.part == "layer":
        return "" if len(snap.sizes) - 2 < MAX_LAYERS else f"At most {MAX_LAYERS} hidden layers"
    if not is_hidden(snap, drop.layer):
        return ("A neuron goes into a hidden layer: the inputs are the features and the "
                "outputs follow the data")
    return "" if snap.sizes[drop.layer] < MAX_UNITS else f"At most {MAX_UNITS} neurons in a layer"


def neighbour_activation(snap: Snapshot, column: int) -> str:
    """A new layer takes the activation of the hidden layer before it (or after it)."""
    hidden = len(snap.activations) - 1
    for layer in (column - 1, column):
        if 1 <= layer <= hidden:
            return snap.activations[layer - 1][0]
    return "tanh"


def request_for(snap: Snapshot, drop: Drop) -> tuple[Request, Selection]:
    """The edit ``drop`` asks for, and what to select once it is made."""
    if drop.part == "layer":
        return (edits.insert_layer(drop.layer, neighbour_activation(snap, drop.layer)),
                Selection(drop.layer))
    return edits.add_neuron(drop.layer, drop.position), Selection(drop.layer, drop.position)


def clicked_part(snap: Snapshot, selection: Selection | None, part: str) -> Drop | None:
    """Where a clicked (not dragged) part goes: after / into the selected hidden layer, else
    at the end; None for a neuron when there is no hidden layer."""
    hidden = len(snap.sizes) - 2
    chosen = selection is not None and is_hidden(snap, selection.layer)
    if part == "layer":
        return Drop("layer", selection.layer + 1 if chosen else hidden + 1)
    if not hidden:
        return None
    if chosen:
        index = selection.index
        return Drop("neuron", selection.layer,
                    snap.sizes[selection.layer] if index is None else index + 1)
    return Drop("neuron", hidden, snap.sizes[hidden])


class PaletteDrops(QObject):
    """The drag-and-drop half of the editor (which forwards the viewport's drag events).

    ``perform(request) -> bool`` makes an edit; ``message(str)`` is for the status bar.
    """

    message = Signal(str)

    def __init__(self, view: NetworkView, selection: SelectionModel,
                 perform: Callable[[Request], bool]) -> None:
        super().__init__(view)
        self._view = view
        self._selection = selection
        self._perform = perform
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
        drop = drop_at(layout, part, point)
        self._refusal = refusal(self._view.snapshot(), drop)
        return None if self._refusal else drop

    def add_part(self, part: str) -> None:
        """A part clicked rather than dragged (see :func:`clicked_part`)."""
        drop = clicked_part(self._view.snapshot(), self._selection.current(), part)
        if drop is None:
            self.message.emit("Add a layer first: neurons live in hidden layers")
        else:
            self.land(drop)

    def land(self, drop: Drop) -> bool:
        """Make the edit a drop asks for and select what it added."""
        snap = self._view.snapshot()
        self._refusal = refusal(snap, drop)
        if self._refusal:
            self.message.emit(self._refusal)
            return False
        request, added = request_for(snap, drop)
        if not self._perform(request):
            return False
        self._selection.set(added)
        self.message.emit(f"{request.label}: the trained weights are kept (Ctrl+Z undoes it)")
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
            self.message.emit(self._refusal)
            return
        self._show_marker(drop)
        event.acceptProposedAction()

    def _dropped(self, event: QDropEvent, drop: Drop | None) -> None:
        self._marker.hide()
        self._dragging = False
        if drop is None:
            event.ignore()
            self.message.emit(self._refusal)
            return
        event.acceptProposedAction()
        self.land(drop)

    # ------------------------------------------------------------ helpers
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
