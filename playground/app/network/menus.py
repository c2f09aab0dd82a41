"""The network's context menus: for a neuron (its own activation, bias, remove, gate graph),
a layer (units, activation, insert, remove) and an edge (edit, set to 0).

Right-clicking also selects what was clicked, so the menu's Remove is the editor's remove
action (Delete) and the inspector shows the same thing. Typing a value is the editor's job:
the menus ask for it with ``weightEditRequested`` and ``biasEditRequested``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QInputDialog, QMenu

from playground.app.network.drops import Drop, PaletteDrops
from playground.app.network.hit_test import hit
from playground.app.network.view import NetworkView
from playground.app.ui.selection import Selection, SelectionModel, describe, is_hidden, neuron_name
from playground.core import activations, edits
from playground.core.edits import MAX_UNITS, Request
from playground.core.params import weight_key


class EditorMenus(QObject):
    """Builds the menu for what is under the cursor. ``ask_units(layer, units)`` asks for a
    layer's new size, ``(units, ok)`` like ``QInputDialog.getInt``; tests replace it."""

    weightEditRequested = Signal(int, int, int)
    biasEditRequested = Signal(int, int)

    def __init__(self, view: NetworkView, selection: SelectionModel, drops: PaletteDrops,
                 remove_action: QAction, perform: Callable[[Request], bool]) -> None:
        super().__init__(view)
        self._view = view
        self._selection = selection
        self._drops = drops
        self._remove = remove_action
        self._perform = perform
        self.ask_units: Callable[[int, int], tuple[int, bool]] = self._ask_units

    def menu_at(self, point: QPointF) -> QMenu | None:
        """The menu for what is at scene ``point`` (what right-clicking there shows)."""
        found = hit(self._view, point)
        if found is None:
            return None
        kind, where = found
        menu = QMenu(self._view)
        menu.setToolTipsVisible(True)
        if kind == "edge":
            self._edge_menu(menu, *where)
            return menu
        self._selection.set(Selection(*where))
        if kind == "neuron":
            self._neuron_menu(menu, *where)
        else:
            self._layer_menu(menu, where[0])
        return menu

    def _edge_menu(self, menu: QMenu, layer: int, i: int, j: int) -> None:
        snap = self._view.snapshot()
        title = f"weight {neuron_name(snap, layer, i)} → {neuron_name(snap, layer + 1, j)}"
        menu.addSection(title.capitalize())
        menu.addAction("&Edit weight…", lambda: self.weightEditRequested.emit(layer, i, j))
        menu.addAction("Set weight to &0", lambda: self._perform(edits.set_weight(
            weight_key(layer + 1), (i, j), 0.0, f"Set {title} to 0")))

    def _neuron_menu(self, menu: QMenu, layer: int, index: int) -> None:
        snap = self._view.snapshot()
        menu.addSection(describe(snap, Selection(layer, index)).capitalize())
        if layer == 0:
            menu.addAction("Inputs follow the features in the data panel").setEnabled(False)
            return
        hidden = is_hidden(snap, layer)
        if hidden:
            self._activation_menu(menu, {snap.activations[layer - 1][index]},
                                  lambda name: edits.set_activation(layer, name, index))
        menu.addAction("Edit &bias…", lambda: self.biasEditRequested.emit(layer, index))
        if hidden:
            menu.addAction(self._remove)
            menu.addSeparator()
            menu.addAction(f"Select &layer {layer}",
                           lambda: self._selection.set(Selection(layer)))
        graph = menu.addAction("Show as &gate graph",
                               lambda: self._view.gateGraphRequested.emit(layer, index))
        graph.setToolTip("This neuron as the lecture's computational graph of gates")

    def _layer_menu(self, menu: QMenu, layer: int) -> None:
        snap = self._view.snapshot()
        menu.addSection(describe(snap, Selection(layer)).capitalize())
        if not is_hidden(snap, layer):
            menu.addAction("Follows the data: edit hidden layers instead").setEnabled(False)
            return
        drops = self._drops
        menu.addAction("&Units…", lambda: self._set_units(layer))
        menu.addAction("Add &neuron", lambda: drops.land(
            Drop("neuron", layer, self._view.snapshot().sizes[layer])))
        self._activation_menu(menu, set(snap.activations[layer - 1]),
                              lambda name: edits.set_activation(layer, name))
        menu.addSeparator()
        menu.addAction("Insert layer &before", lambda: drops.land(Drop("layer", layer)))
        menu.addAction("Insert layer &after", lambda: drops.land(Drop("layer", layer + 1)))
        menu.addAction(self._remove)

    def _activation_menu(self, menu: QMenu, current: set[str],
                         request: Callable[[str], Request]) -> None:
        sub = menu.addMenu("&Activation")
        sub.setToolTipsVisible(True)
        group = QActionGroup(sub)
        for name in activations.NAMES:
            act = activations.get(name)
            action = sub.addAction(act.label)
            action.setCheckable(True)
            action.setChecked(current == {name})
            action.setToolTip(f"{act.label}: {act.formula}")
            action.setData(name)
            group.addAction(action)
            action.triggered.connect(lambda _=False, n=name: self._perform(request(n)))

    def _ask_units(self, layer: int, units: int) -> tuple[int, bool]:
        return QInputDialog.getInt(self._view, "Layer size", f"Neurons in layer {layer}:",
                                   units, 1, max(MAX_UNITS, units))

    def _set_units(self, layer: int) -> None:
        units = self._view.snapshot().sizes[layer]
        new, ok = self.ask_units(layer, units)
        if ok and new != units:
            self._perform(edits.set_units(layer, new))
