"""The network editor driven as a student drives it: drag parts from the palette into the
picture, click, press Delete, right-click, double-click an edge and type; then undo, and
every weight must come back exactly."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QHelpEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolTip

from playground.app.main_window import MainWindow
from playground.app.network.hit_test import (
    edge_address,
    layer_slot,
    nearest_edge,
    neuron_slot,
    segment_distances,
)
from playground.app.network.palette import part_mime
from playground.app.ui.selection import Selection
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture
def window(trained_window):
    return trained_window


def params(win) -> dict[str, np.ndarray]:
    return {k: v.copy() for k, v in win.session.net.params.items()}


def same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def undo(qtbot, win) -> None:
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot, win) -> None:
    qtbot.keyClick(win, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)


def viewport_pos(view, scene: QPointF) -> QPoint:
    return view.mapFromScene(scene)


def drag(view, part: str, scene: QPointF, drop: bool = True):
    """Enter, move and (optionally) drop a palette part at a scene point, as Qt delivers a
    real drag to the viewport; returns the events so their acceptance can be checked."""
    mime = part_mime(part)
    pos = QPointF(viewport_pos(view, scene))
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    copy = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(pos.toPoint(), copy, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), enter)
    move = QDragMoveEvent(pos.toPoint(), copy, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), move)
    events = [enter, move]
    if drop:
        dropped = QDropEvent(pos, copy, mime, buttons, mods)
        QApplication.sendEvent(view.viewport(), dropped)
        events.append(dropped)
    return events


def between(view, layer_a: int, layer_b: int, y: float) -> QPointF:
    return QPointF((view.node_center(layer_a, 0).x() + view.node_center(layer_b, 0).x()) / 2, y)


def lone_edge_midpoint(view, layer: int) -> tuple[tuple[int, int, int], QPointF]:
    """An edge out of column ``layer`` whose midpoint no other edge passes within 3 px of."""
    segments = view.edge_segments()
    sizes = view.snapshot().sizes
    start = sum(sizes[k] * sizes[k + 1] for k in range(layer))
    for edge in range(start, start + sizes[layer] * sizes[layer + 1]):
        x0, y0, x1, y1 = segments[edge]
        mid = ((x0 + x1) / 2, (y0 + y1) / 2)
        distances = segment_distances(segments, *mid)
        distances[edge] = np.inf
        if distances.min() > 3.0:
            return edge_address(sizes, edge), QPointF(*mid)
    raise AssertionError("every edge midpoint is crowded")


# ------------------------------------------------------------------ dragging
def test_dragging_a_layer_between_two_layers_inserts_it_keeping_every_weight(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    X = window.session.trainer.X
    outputs = window.session.net.forward(X)
    target = between(view, 1, 2, view.node_center(1, 5).y())
    enter, move = drag(view, "layer", target, drop=False)
    assert enter.isAccepted() and move.isAccepted()
    assert editor.drops.preview() == "+ layer 2"  # the marker shows where it lands

    drag(view, "layer", target)
    assert editor.drops.preview() is None
    net = window.session.net
    assert net.sizes == [2, 12, 12, 12, 2]
    after = params(window)
    # untouched weights survive bit for bit, shifted one layer on; the layer after the new
    # one takes its scale, so the network computes what it did (README: within 0.03)
    for old, new in (("W1", "W1"), ("b1", "b1"), ("W3", "W4"), ("b3", "b4")):
        np.testing.assert_array_equal(after[new], before[old], err_msg=f"{old} → {new}")
    new_layer = after["W2"]
    assert not (new_layer - np.diag(np.diag(new_layer))).any()   # unit j passes input j on
    assert (np.diag(new_layer) > 0).all()
    np.testing.assert_allclose(window.session.net.forward(X), outputs, atol=0.03)
    assert editor.selection() == Selection(2)
    assert len(view.column_sizes()) == 5
    assert window.undo_action.text() == "&Undo Insert layer 2"

    undo(qtbot, window)
    assert window.session.net.sizes == [2, 12, 12, 2]
    same(params(window), before)
    redo(qtbot, window)
    same(params(window), after)


def test_dragging_a_layer_after_the_last_hidden_one(window):
    view = window.network_view
    drag(view, "layer", between(view, 2, 3, view.node_center(2, 0).y()))
    assert window.session.net.sizes == [2, 12, 12, 12, 2]
    assert window.editor.selection() == Selection(3)


def test_dragging_a_neuron_onto_a_layer_adds_it_where_it_is_dropped(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    y = (view.node_center(1, 1).y() + view.node_center(1, 2).y()) / 2
    target = QPointF(view.node_center(1, 0).x(), y)
    drag(view, "neuron", target, drop=False)
    assert editor.drops.preview() == "+ neuron 3"

    drag(view, "neuron", target)
    after = params(window)
    assert window.session.net.sizes == [2, 13, 12, 2]
    keep = [0, 1, *range(3, 13)]
    np.testing.assert_array_equal(after["W1"][:, keep], before["W1"])
    np.testing.assert_array_equal(after["b1"][keep], before["b1"])
    np.testing.assert_array_equal(after["W2"][keep], before["W2"])
    np.testing.assert_array_equal(after["W2"][2], 0.0)  # output unchanged by the newcomer
    for key in ("b2", "W3", "b3"):
        np.testing.assert_array_equal(after[key], before[key])
    assert editor.selection() == Selection(1, 2)
    assert view.column_sizes()[1] == 13
    assert window.undo_action.text() == "&Undo Add neuron to layer 1"

    undo(qtbot, window)
    same(params(window), before)
    assert view.column_sizes()[1] == 12


@pytest.mark.parametrize("column", [0, 3], ids=["inputs", "outputs"])
def test_a_neuron_is_refused_on_the_input_and_output_columns(window, column):
    view = window.network_view
    before = params(window)
    enter, move, dropped = drag(view, "neuron", view.node_center(column, 0))
    assert enter.isAccepted()  # the drag may go on to a valid place...
    assert not move.isAccepted()  # ...but here the cursor says no
    assert not dropped.isAccepted()
    assert window.editor.drops.preview() is None
    assert window.session.net.sizes == [2, 12, 12, 2]
    same(params(window), before)
    assert "hidden layer" in window.statusBar().currentMessage()
    assert len(window.session.history) == 0


def test_leaving_the_view_removes_the_marker(window):
    view = window.network_view
    drag(view, "layer", between(view, 1, 2, 100), drop=False)
    assert window.editor.drops.preview() is not None
    QApplication.sendEvent(view.viewport(), QEvent(QEvent.Type.DragLeave))
    assert window.editor.drops.preview() is None


def test_foreign_or_broken_drags_change_nothing(window):
    view = window.network_view
    broken = part_mime("layer")
    broken.setData("application/x-neural-playground-part", b"banana")
    pos = viewport_pos(view, between(view, 1, 2, 100))
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, broken, buttons, mods)
    QApplication.sendEvent(view.viewport(), enter)
    assert not enter.isAccepted()
    text = QMimeData()
    text.setText("a layer, please")
    move = QDragMoveEvent(pos, Qt.DropAction.CopyAction, text, buttons, mods)
    QApplication.sendEvent(view.viewport(), move)
    assert not move.isAccepted()
    assert window.editor.drops.preview() is None
    assert window.session.net.sizes == [2, 12, 12, 2]


def test_editing_while_training_lands_between_steps_and_training_goes_on(qtbot, window):
    view = window.network_view
    window.driver.play()
    qtbot.waitUntil(lambda: window.session.trainer.epoch >= 5, timeout=10000)
    before = params(window)
    drag(view, "neuron", QPointF(view.node_center(2, 0).x(), view.node_center(2, 11).y() + 30))
    after = params(window)
    assert window.session.net.sizes == [2, 12, 13, 2]
    np.testing.assert_array_equal(after["W2"][:, :12], before["W2"])
    np.testing.assert_array_equal(after["W3"][:12], before["W3"])
    assert view.column_sizes()[2] == 13  # the picture shows the network the trainer has
    assert window.driver.running
    epoch = window.session.trainer.epoch
    qtbot.waitUntil(lambda: window.session.trainer.epoch >= epoch + 3, timeout=10000)
    window.driver.pause()


# ------------------------------------------------------- selecting, deleting
def test_clicking_selects_and_delete_removes_the_neuron_then_undo_restores_it(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=viewport_pos(view, view.node_center(2, 4)))
    assert editor.selection() == Selection(2, 4)
    assert editor.selection_frame().contains(view.node_center(2, 4))
    assert window.inspector.title.text() == "<b>Layer 2, neuron 5</b>"
    assert "Delete removes it" in window.statusBar().currentMessage()

    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.session.net.sizes == [2, 12, 11, 2]
    keep = [k for k in range(12) if k != 4]
    np.testing.assert_array_equal(window.session.net.params["W2"], before["W2"][:, keep])
    np.testing.assert_array_equal(window.session.net.params["W3"], before["W3"][keep])
    assert editor.selection() is None
    assert window.undo_action.text() == "&Undo Remove neuron 5 from layer 2"

    undo(qtbot, window)
    same(params(window), before)


def test_clicking_a_layer_caption_selects_the_layer_and_backspace_removes_it(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=viewport_pos(view, view.caption_rect(1).center()))
    assert editor.selection() == Selection(1)
    frame = editor.selection_frame()
    assert frame.contains(view.node_center(1, 0)) and frame.contains(view.node_center(1, 11))
    assert window.inspector.units.value() == 12
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert window.session.net.sizes == [2, 12, 2]
    undo(qtbot, window)
    same(params(window), before)


def test_a_layer_keeps_its_last_neuron_and_says_so(qtbot, window):
    view = window.network_view
    window.architecture.cards[0].units.setValue(1)
    assert window.session.net.sizes == [2, 1, 12, 2]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=viewport_pos(view, view.node_center(1, 0)))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.session.net.sizes == [2, 1, 12, 2]
    assert "cannot lose its last neuron" in window.statusBar().currentMessage()


def test_clicking_empty_space_or_escape_clears_the_selection(qtbot, window):
    view, editor = window.network_view, window.editor
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=viewport_pos(view, view.node_center(1, 0)))
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert editor.selection() is None and editor.selection_frame() is None
    assert not window.editor.remove_action.isEnabled()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=viewport_pos(view, view.node_center(1, 0)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert editor.selection() is None
    assert window.inspector.hint.isVisibleTo(window.inspector)


# -------------------------------------------------------------- context menu
def menu_action(menu: QMenu, text: str):
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def test_per_neuron_activation_from_the_context_menu_and_its_undo(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    menu = editor.menus.menu_at(view.node_center(1, 3))
    assert editor.selection() == Selection(1, 3)
    activation = menu_action(menu, "Activation").menu()
    checked = [a.data() for a in activation.actions() if a.isChecked()]
    assert checked == ["tanh"]
    next(a for a in activation.actions() if a.data() == "relu").trigger()

    net = window.session.net
    assert net.hidden[0].activations[3] == "relu"
    assert net.hidden[0].activations.count("tanh") == 11
    same(params(window), before)  # an activation change keeps every weight
    assert view.layer_caption(1) == "mixed"
    assert window.undo_action.text() == "&Undo Set neuron 4 of layer 1 to ReLU"
    undo(qtbot, window)
    assert window.session.net.hidden[0].activations[3] == "tanh"
    same(params(window), before)


def test_layer_context_menu_sets_units_activation_and_removes(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    editor.menus.ask_units = lambda layer, units: (units + 3, True)
    menu = editor.menus.menu_at(view.caption_rect(2).center())
    assert editor.selection() == Selection(2)
    menu_action(menu, "Units…").trigger()
    assert window.session.net.sizes == [2, 12, 15, 2]
    menu = editor.menus.menu_at(view.caption_rect(2).center())
    next(a for a in menu_action(menu, "Activation").menu().actions()
         if a.data() == "elu").trigger()
    assert window.session.net.hidden[1].activations == ["elu"] * 15
    menu = editor.menus.menu_at(view.caption_rect(2).center())
    menu_action(menu, "Remove layer 2").trigger()
    assert window.session.net.sizes == [2, 12, 2]
    for _ in range(3):
        undo(qtbot, window)
    same(params(window), before)
    assert window.session.net.hidden[1].activations == ["tanh"] * 12


def right_click(view, scene: QPointF) -> QMenu:
    """Right-click at a scene point; the menu that pops up (not blocking, as in the app)."""
    pos = viewport_pos(view, scene)
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos)))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.isVisible()
    return menu


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")  # offscreen
def test_right_click_opens_the_menu_for_what_is_under_the_cursor(qtbot, window):
    view, editor = window.network_view, window.editor
    (layer, i, j), mid = lone_edge_midpoint(view, 1)
    menu = right_click(view, mid)
    menu_action(menu, "Set weight to 0").trigger()
    menu.close()
    assert window.session.net.params[f"W{layer + 1}"][i, j] == 0.0
    assert editor.selection() is None  # an edge is not a selection

    menu = right_click(view, view.node_center(2, 0))
    assert editor.selection() == Selection(2, 0)
    remove = menu_action(menu, "Remove layer 2 neuron 1")
    assert remove is editor.remove_action  # the same action as Delete and the Edit menu
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert remove in edit_menu.actions()
    menu.close()


# ------------------------------------------------------------ weight edits
def test_double_clicking_an_edge_types_a_new_weight_and_undo_restores_it(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    (layer, i, j), mid = lone_edge_midpoint(view, 1)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(view, mid))
    line = editor.inline_editor()
    assert line is not None and line.isVisible()
    assert float(line.text()) == pytest.approx(before[f"W{layer + 1}"][i, j], rel=1e-5)
    line.selectAll()
    qtbot.keyClicks(line, "0.75")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert editor.inline_editor() is None

    after = params(window)
    assert after[f"W{layer + 1}"][i, j] == 0.75
    after[f"W{layer + 1}"][i, j] = before[f"W{layer + 1}"][i, j]
    same(after, before)  # nothing else moved
    assert window.undo_action.text().startswith(f"&Undo Set weight layer {layer} neuron {i + 1}")
    undo(qtbot, window)
    same(params(window), before)
    redo(qtbot, window)
    assert window.session.net.params[f"W{layer + 1}"][i, j] == 0.75


def test_a_weight_typed_while_training_applies_at_once(qtbot, window):
    view, editor = window.network_view, window.editor
    (layer, i, j), mid = lone_edge_midpoint(view, 0)
    window.driver.play()
    qtbot.waitUntil(lambda: window.session.trainer.epoch >= 5, timeout=10000)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(view, mid))
    line = editor.inline_editor()
    line.selectAll()
    qtbot.keyClicks(line, "-3")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert window.session.net.params[f"W{layer + 1}"][i, j] == -3.0
    assert view.snapshot().params[f"W{layer + 1}"][i, j] == -3.0  # already drawn
    assert window.driver.running
    window.driver.pause()


def test_escape_cancels_the_inline_editor(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    _, mid = lone_edge_midpoint(view, 1)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(view, mid))
    qtbot.keyClicks(editor.inline_editor(), "9")
    qtbot.keyClick(editor.inline_editor(), Qt.Key.Key_Escape)
    assert editor.inline_editor() is None
    same(params(window), before)
    assert len(window.session.history) == 0


def test_double_clicking_a_neuron_edits_its_bias(qtbot, window):
    view, editor = window.network_view, window.editor
    before = params(window)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=viewport_pos(view, view.node_center(2, 7)))
    line = editor.inline_editor()
    line.selectAll()
    qtbot.keyClicks(line, "-1.25")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert window.session.net.params["b2"][7] == -1.25
    assert window.undo_action.text() == "&Undo Set bias of layer 2 neuron 8 to -1.25"
    undo(qtbot, window)
    same(params(window), before)


def test_inspector_edits_bias_units_and_activation_undoably(qtbot, window):
    editor, inspector = window.editor, window.inspector
    before = params(window)
    editor.select(Selection(1, 0))
    inspector.bias.setValue(0.5)
    inspector.bias.setValue(0.6)  # a second step on the same bias: one undo entry
    assert window.session.net.params["b1"][0] == pytest.approx(0.6)
    assert len(window.session.history) == 1
    relu = inspector.activation.findData("relu")
    inspector.activation.setCurrentIndex(relu)
    inspector.activation.activated.emit(relu)
    assert window.session.net.hidden[0].activations[0] == "relu"
    editor.select(Selection(2))
    inspector.units.setValue(9)
    assert window.session.net.sizes == [2, 12, 9, 2]
    assert len(window.session.history) == 3
    for _ in range(3):
        undo(qtbot, window)
    same(params(window), before)


# ------------------------------------------------------------ palette clicks
def test_clicking_palette_parts_adds_to_the_selection_or_the_end(qtbot, window):
    palette, editor = window.palette, window.editor
    qtbot.mouseClick(palette.buttons["neuron"], Qt.MouseButton.LeftButton)
    assert window.session.net.sizes == [2, 12, 13, 2]  # the last hidden layer
    assert editor.selection() == Selection(2, 12)
    editor.select(Selection(1))
    qtbot.mouseClick(palette.buttons["layer"], Qt.MouseButton.LeftButton)
    assert window.session.net.sizes == [2, 12, 12, 13, 2]  # right after layer 1
    assert editor.selection() == Selection(2)


# ---------------------------------------------------------- seeing gradients
@pytest.mark.qt_log_ignore("does not support raise")  # offscreen cannot raise a tooltip
def test_edge_tooltip_shows_the_weight_and_its_mean_gradient(qtbot, window):
    view, editor = window.network_view, window.editor
    (layer, i, j), mid = lone_edge_midpoint(view, 1)
    w = window.session.net.params[f"W{layer + 1}"][i, j]
    grad = view.snapshot().edge_grads[f"W{layer + 1}"][i, j]
    text = editor.tooltip_at(mid)
    assert f"w = {w:.4f}" in text
    assert f"mean |∂L/∂w| = {grad:.3g}" in text
    pos = viewport_pos(view, mid)
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos,
                                                       view.viewport().mapToGlobal(pos)))
    assert f"w = {w:.4f}" in QToolTip.text()
    QToolTip.hideText()
    assert editor.tooltip_at(view.node_center(1, 0)) is None  # neurons have their own


def test_a_dead_relu_neuron_is_crossed_out(qtbot):
    win = MainWindow(Session(DataSettings(dataset="circle"),
                             {"layers": [{"units": 6, "activation": "relu"}]}))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    view = win.network_view
    assert (1, 3) not in view.dead_marked()
    win.commands.perform(edits.set_weight("b1", (3,), -1000.0))  # never fires on any point
    assert (1, 3) in view.dead_marked()
    with qtbot.waitSignal(view.neuronHovered, timeout=2000):
        qtbot.mouseMove(view.viewport(), viewport_pos(view, view.node_center(1, 3)))
    assert "Dead ReLU" in view.node_item(1, 3).toolTip()
    image = view.viewport().grab().toImage()
    centre = viewport_pos(view, view.node_center(1, 3))
    red = image.pixelColor(centre)
    assert red.red() > 120 and red.green() < 60 and red.blue() < 60  # the cross's middle
    win.editor.select(Selection(1, 3))
    assert "Dead ReLU" in win.inspector.dead.text()
    assert win.inspector.dead.isVisibleTo(win.inspector)


def test_gradient_edges_from_the_view_menu(qtbot, window):
    view = window.network_view
    view_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.text() == "&View")
    menu_action(view_menu, "Edges show gradients").trigger()
    assert view.edge_mode() == "gradient"
    assert "gradient |∂L/∂w|" in view.legend_text()
    assert window.gradient_edges_action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert view.edge_mode() == "weight"
    assert "weight:" in view.legend_text()
    window.set_edge_mode("gradient")  # what --edges gradient does at start-up
    assert view.edge_mode() == "gradient" and window.gradient_edges_action.isChecked()


# ------------------------------------------------------------- the undo stack
def test_architecture_panel_edits_are_on_the_undo_stack(qtbot, window):
    before = params(window)
    qtbot.mouseClick(window.architecture.add_button, Qt.MouseButton.LeftButton)
    assert window.undo_action.text() == "&Undo Insert layer 3"
    window.architecture.cards[0].units.stepBy(1)
    assert window.undo_action.text() == "&Undo Set layer 1 to 13 units"
    undo(qtbot, window)
    undo(qtbot, window)
    assert window.session.net.sizes == [2, 12, 12, 2]
    same(params(window), before)
    assert len(window.architecture.cards) == 2


def test_reshaping_outside_the_stack_clears_it(window):
    window.editor.drops.add_part("neuron")
    assert len(window.session.history) == 1
    window.data_panel.changed.emit({"noise": 0.1})  # same network shape: history stays
    assert len(window.session.history) == 1
    window.data_panel.changed.emit({"features": ("x1", "x2", "x1^2")})
    assert len(window.session.history) == 0
    assert not window.undo_action.isEnabled()


def test_refused_edits_say_why_and_change_nothing(window):
    before = params(window)
    assert not window.commands.perform(edits.remove_neuron(1, 99))
    same(params(window), before)
    assert "Remove neuron 100 from layer 1: not done" in window.statusBar().currentMessage()
    assert len(window.session.history) == 0


# ------------------------------------------------------------- hit testing
def test_nearest_edge_and_slots():
    segments = np.array([[0.0, 0.0, 10.0, 0.0], [0.0, 5.0, 10.0, 15.0]])
    np.testing.assert_allclose(segment_distances(segments, 5.0, 2.0), [2.0, np.sqrt(2) * 4])
    assert nearest_edge(segments, 5.0, 2.0, tolerance=3.0) == 0
    assert nearest_edge(segments, 5.0, 2.0, tolerance=1.0) is None
    assert nearest_edge(segments, -3.0, 0.0, tolerance=4.0) == 0  # past the end: the endpoint
    assert edge_address((2, 3, 1), 0) == (0, 0, 0)
    assert edge_address((2, 3, 1), 5) == (0, 1, 2)
    assert edge_address((2, 3, 1), 6) == (1, 0, 0)
    with pytest.raises(IndexError):
        edge_address((2, 3, 1), 9)
    xs = [10.0, 50.0, 90.0, 130.0]
    assert [layer_slot(xs, x) for x in (0, 30, 70, 110, 200)] == [1, 1, 2, 3, 3]
    assert [neuron_slot([10.0, 20.0, 30.0], y) for y in (0, 15, 25, 99)] == [0, 1, 2, 3]
