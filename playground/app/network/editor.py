"""Editing the network in its picture: select, delete, edge tooltips, typing a weight or a bias
in place. It composes small siblings that never point back at it: the selection model,
palette drops (:mod:`drops`), context menus (:mod:`menus`) and the hit test.

The :class:`NetworkEditor` watches the view's viewport through an event filter, so the view
stays a picture of snapshots. Every change is a :class:`~playground.core.edits.Request` handed
to ``perform`` (the window's, which makes it between training steps and undoable). Layers are
numbered as the view draws them: 0 = inputs, 1..H hidden, H + 1 = outputs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
)
from PySide6.QtWidgets import QToolTip

from playground.app.network.drops import PaletteDrops
from playground.app.network.editor_items import SelectionFrame
from playground.app.network.hit_test import BAND, hit
from playground.app.network.inline_editor import InlineEditor
from playground.app.network.menus import EditorMenus
from playground.app.network.view import NetworkView
from playground.app.ui.selection import (
    Selection,
    SelectionModel,
    describe,
    exists,
    is_hidden,
    neuron_name,
)
from playground.core import edits
from playground.core.edits import Request
from playground.core.params import bias_key, weight_key

_DRAGS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.DragLeave, QEvent.Type.Drop)


class NetworkEditor(QObject):
    """The editing half of the network view.

    Signals: ``selectionChanged(Selection | None)`` and ``message(str)`` (for the status bar).
    ``remove_action`` (Delete / Backspace while the view has focus) belongs in the Edit menu;
    ``drops`` handles the palette, ``menus`` builds the context menus.
    """

    selectionChanged = Signal(object)
    message = Signal(str)

    def __init__(self, view: NetworkView, perform: Callable[[Request], bool]) -> None:
        super().__init__(view)
        self._view = view
        self._perform = perform
        self._selection = SelectionModel(self)
        self._selection.changed.connect(self._selected)
        self._inline: InlineEditor | None = None
        self._inline_shape = None
        self._frame = SelectionFrame()
        view.scene().addItem(self._frame)
        view.setAcceptDrops(True)
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)
        view.layoutChanged.connect(self._follow_layout)
        self.remove_action = QAction("&Remove selected", view)
        self.remove_action.setShortcuts([QKeySequence(Qt.Key.Key_Delete),
                                         QKeySequence(Qt.Key.Key_Backspace)])
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.setStatusTip("Remove the selected neuron or layer; trained "
                                        "weights elsewhere stay")
        self.remove_action.setEnabled(False)
        self.remove_action.triggered.connect(self.remove_selected)
        view.addAction(self.remove_action)
        self.drops = PaletteDrops(view, self._selection, perform)
        self.menus = EditorMenus(view, self._selection, self.drops, self.remove_action, perform)
        self.drops.message.connect(self.message)
        self.menus.weightEditRequested.connect(self.edit_weight)
        self.menus.biasEditRequested.connect(self.edit_bias)
        self._recolor_items()

    # ------------------------------------------------------------ selection
    def selection(self) -> Selection | None:
        return self._selection.current()

    def selection_frame(self) -> QRectF | None:
        """Scene rectangle of the selection highlight, None when nothing is selected."""
        return self._frame.rect() if self._frame.isVisible() else None

    def select(self, selection: Selection | None) -> None:
        """Select a neuron or layer (None clears), frame it and say what can be done."""
        self._selection.set(selection)

    def _selected(self, selection: Selection | None) -> None:
        snap = self._view.snapshot()
        if selection is not None and not exists(snap, selection):
            self._selection.set(None)
            return
        self._place_frame()
        removable = selection is not None and is_hidden(snap, selection.layer)
        self.remove_action.setEnabled(removable)
        self.remove_action.setText(f"&Remove {describe(snap, selection)}" if removable
                                   else "&Remove selected")
        if selection is not None:
            self._view.setFocus(Qt.FocusReason.MouseFocusReason)
            hint = ("the inputs and outputs follow the data" if not removable
                    else "Delete removes it, right-click for more" if selection.index is None
                    else "Delete removes it, double-click edits its bias, right-click for more")
            self.message.emit(f"Selected {describe(snap, selection)}: {hint}")
        self.selectionChanged.emit(selection)

    def remove_selected(self) -> None:
        """Remove the selected neuron or layer (Delete); the last neuron of a layer stays."""
        selection, snap = self._selection.current(), self._view.snapshot()
        if selection is None:
            self.message.emit("Select a neuron or a layer first (click it)")
            return
        if not is_hidden(snap, selection.layer):
            self.message.emit("Inputs are the features chosen in the data panel and outputs "
                              "follow the data; only hidden neurons and layers can be removed")
            return
        if selection.index is None:
            request = edits.remove_layer(selection.layer)
        elif snap.sizes[selection.layer] == 1:
            self.message.emit(f"Layer {selection.layer} cannot lose its last neuron: remove "
                              "the layer instead (click its title, then Delete)")
            return
        else:
            request = edits.remove_neuron(selection.layer, selection.index)
        if self._perform(request):
            self.select(None)
            self.message.emit(f"{request.label} (Ctrl+Z brings it back with its weights)")

    # -------------------------------------------------------------- editing
    def edit_weight(self, layer: int, i: int, j: int, at: QPoint | None = None) -> None:
        """Type a new value for the weight from neuron ``i`` of ``layer`` to ``j`` of the next."""
        snap = self._view.snapshot()
        key = weight_key(layer + 1)
        what = f"weight {neuron_name(snap, layer, i)} → {neuron_name(snap, layer + 1, j)}"
        self._open_editor(key, (i, j), float(snap.params[key][i, j]), what, at)

    def edit_bias(self, layer: int, index: int, at: QPoint | None = None) -> None:
        if layer == 0:
            self.message.emit("Inputs have no bias: they are the features themselves")
            return
        snap = self._view.snapshot()
        value = float(snap.params[bias_key(layer)][index])
        self._open_editor(bias_key(layer), (index,), value,
                          f"bias of {neuron_name(snap, layer, index)}",
                          at or self._view.mapFromScene(self._view.node_center(layer, index)))

    def inline_editor(self) -> InlineEditor | None:
        """The open value editor, if any."""
        return self._inline

    def _open_editor(self, key: str, index: tuple[int, ...], value: float, what: str,
                     at: QPoint | None) -> None:
        if self._inline is not None:
            self._inline.cancel()
        viewport = self._view.viewport()
        editor = InlineEditor(viewport, value, f"New {what}: Enter applies, Esc cancels")
        editor.committed.connect(
            lambda v: self._perform(edits.set_weight(key, index, v, f"Set {what} to {v:g}")))
        editor.closed.connect(lambda: self._editor_closed(editor))
        self._inline = editor
        self._inline_shape = self._view.snapshot().shape
        editor.open_at(at if at is not None else viewport.rect().center())
        self.message.emit(f"Type the new {what} (now {value:.4g}); Enter applies it at once, "
                          "even while training; Esc cancels")

    def _editor_closed(self, editor: InlineEditor) -> None:
        if self._inline is editor:
            self._inline = None

    # ------------------------------------------------------------ hover
    def edge_tooltip(self, layer: int, i: int, j: int) -> str:
        snap = self._view.snapshot()
        key = weight_key(layer + 1)
        w = float(snap.params[key][i, j])
        grads = snap.edge_grads.get(key)
        grad = (f"mean |∂L/∂w| = {float(grads[i, j]):.3g}" if grads is not None
                and grads[i, j] > 0 else "mean |∂L/∂w|: none yet (train a step)")
        return (f"Weight {neuron_name(snap, layer, i)} → {neuron_name(snap, layer + 1, j)}\n"
                f"w = {w:.4f}\n{grad}\nDouble-click to type a new value")

    def tooltip_at(self, point: QPointF) -> str | None:
        """The edge tooltip at scene ``point`` (neurons carry their own)."""
        found = hit(self._view, point)
        if found is None or found[0] != "edge":
            return None
        return self.edge_tooltip(*found[1])

    # --------------------------------------------------------------- events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._view:
            if kind == QEvent.Type.PaletteChange:
                self._recolor_items()
            elif kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.select(None)
                return True
            return False
        if kind in _DRAGS:
            return self.drops.handle(event)
        if self._view.snapshot() is None:
            return False
        handler = {QEvent.Type.MouseButtonPress: self._press,
                   QEvent.Type.MouseButtonDblClick: self._double_click,
                   QEvent.Type.ContextMenu: self._context_event,
                   QEvent.Type.ToolTip: self._tooltip_event}.get(kind)
        return handler(event) if handler is not None else False

    def _scene_point(self, pos: QPoint | QPointF) -> QPointF:
        return self._view.mapToScene(QPoint(int(pos.x()), int(pos.y())))

    def _press(self, event: QMouseEvent) -> bool:
        button = event.button()
        if button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return False
        found = hit(self._view, self._scene_point(event.position()), edges=False)
        if found is not None:
            self.select(Selection(*found[1]))
        elif button == Qt.MouseButton.LeftButton:
            self.select(None)
        return False

    def _double_click(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        at = event.position().toPoint()
        found = hit(self._view, self._scene_point(at))
        if found is None:
            return False
        kind, where = found
        if kind == "edge":
            self.edit_weight(*where, at=at)
        elif kind == "neuron":
            self.edit_bias(*where)
        return True

    def _context_event(self, event: QContextMenuEvent) -> bool:
        menu = self.menus.menu_at(self._scene_point(event.pos()))
        if menu is None:
            return False
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())
        return True

    def _tooltip_event(self, event: QHelpEvent) -> bool:
        text = self.tooltip_at(self._scene_point(event.pos()))
        if text is None:
            return False  # neurons and captions: the view shows their own tooltips
        near = QRect(event.pos() - QPoint(4, 4), event.pos() + QPoint(4, 4))
        QToolTip.showText(event.globalPos(), text, self._view.viewport(), near)
        return True

    # --------------------------------------------------------------- layout
    def _follow_layout(self) -> None:
        """The view was rebuilt or resized: keep the selection if it still exists."""
        self.drops.hide_marker()
        self._recolor_items()
        snap = self._view.snapshot()
        if self._inline is not None and snap.shape != self._inline_shape:
            self._inline.cancel()
        selection = self._selection.current()
        if selection is not None and not exists(snap, selection):
            self.select(None)
        else:
            self._place_frame()

    def _place_frame(self) -> None:
        selection, layout = self._selection.current(), self._view.layout_info()
        if selection is None or layout is None:
            self._frame.hide()
            return
        x, side = layout.xs[selection.layer], layout.size_of(selection.layer)
        ys = layout.ys[selection.layer]
        if selection.index is not None:
            pad = side / 2 + 4
            y = float(ys[selection.index])
            self._frame.frame(QRectF(x - pad, y - pad, 2 * pad, 2 * pad), band=False)
            return
        caption = self._view.caption_rect(selection.layer)
        half = max(side / 2, caption.width() / 2) + BAND
        self._frame.frame(QRectF(x - half, caption.top() - 3, 2 * half,
                                 float(ys[-1]) + side / 2 + BAND - caption.top() + 3),
                          band=True)

    def _recolor_items(self) -> None:
        palette = self._view.palette()
        highlight = palette.color(QPalette.ColorRole.Highlight)
        self._frame.color = highlight
        self.drops.set_colors(highlight, palette.color(QPalette.ColorRole.Base))
