"""Drawing your own points on the boundary plot, as a student does it: the Draw button, a
class, clicks, a brush stroke, right-click, Clear, Ctrl+Z; and a double-click that opens a
training point in the Backprop tab."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from playground.app.main_window import MainWindow
from playground.app.panels.boundary_plot import MAX_SHOWN
from playground.app.ui import colors
from playground.app.ui.selection import Selection
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.data.user_points import UserPoints


def at(window: MainWindow, x: float, y: float) -> QPoint:
    """The viewport position of plot coordinates (x, y)."""
    plot = window.output_panel.boundary.plot
    view = plot.plotItem.getViewBox()
    return plot.mapFromScene(view.mapViewToScene(QPointF(x, y)))


def viewport(window: MainWindow):
    return window.output_panel.boundary.plot.viewport()


def click(qtbot, window: MainWindow, x: float, y: float,
          button=Qt.MouseButton.LeftButton) -> None:
    qtbot.mouseClick(viewport(window), button, pos=at(window, x, y))


def start_drawing(qtbot, window: MainWindow) -> None:
    tools = window.output_panel.draw_tools
    qtbot.mouseClick(tools.draw_button, Qt.MouseButton.LeftButton)
    assert tools.drawing and tools.clear_button.isVisible()


def shown_points(window: MainWindow) -> list[tuple[float, float, int]]:
    """(x, y, rgba) of every training point the plot draws."""
    data = window.output_panel.boundary.train_scatter.data
    return [(float(p["x"]), float(p["y"]), p["brush"].color().rgba()) for p in data]


def test_points_of_each_class_appear_in_the_plot_and_in_training(qtbot, trained_window):
    win = trained_window
    session = win.session
    first_layer = session.net.params["W1"].copy()
    start_drawing(qtbot, win)
    tools = win.output_panel.draw_tools
    spots = {0: (-4.0, 4.0), 1: (4.0, 4.0), 2: (0.0, -4.5)}
    for k, (x, y) in spots.items():
        tools.class_box.setCurrentIndex(k)
        click(qtbot, win, x, y)
    points = session.points
    assert points.y[-3:].tolist() == [0, 1, 2]
    np.testing.assert_allclose(points.X[-3:], list(spots.values()), atol=0.1)
    # a third class drew a third output; the weights trained so far stayed
    assert session.net.sizes[-1] == 3
    np.testing.assert_array_equal(session.net.params["W1"], first_layer)
    assert win.data_panel.classes_spin.value() == 3
    # every drawn point is in the picture and, when its key says so, in the training set
    shown = shown_points(win) + [(float(p["x"]), float(p["y"]), p["pen"].color().rgba())
                                 for p in win.output_panel.boundary.test_scatter.data]
    for k, (x, y) in spots.items():
        colour = colors.class_color(k).rgba()
        assert any(abs(px - x) < 0.1 and abs(py - y) < 0.1 and c == colour
                   for px, py, c in shown), k
    trainer = session.trainer
    drawn_train = points.split(session.data.train_ratio)[0][-3:]
    for x, y in drawn_train:
        assert np.any(np.all(np.isclose(trainer.X_raw, [x, y]), axis=1))
    before = trainer.step_count
    win.step_epoch_action.trigger()
    assert trainer.step_count > before


def test_a_brush_stroke_sprays_points_and_one_undo_takes_it_back(qtbot, active_window):
    win = active_window
    start_drawing(qtbot, win)
    qtbot.mouseClick(win.output_panel.draw_tools.tool_buttons["brush"], Qt.MouseButton.LeftButton)
    click(qtbot, win, 0.0, 0.0)  # converts the circle data to the user's points
    count = len(win.session.points)
    port = viewport(win)
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=at(win, -3.0, -3.0))
    for step in range(1, 8):
        qtbot.mouseMove(port, at(win, -3.0 + step * 0.8, -3.0))
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, pos=at(win, 2.6, -3.0))
    sprayed = len(win.session.points) - count
    assert sprayed >= 8
    assert win.undo_action.isEnabled() and "Brush" in win.undo_action.text()
    win.undo_action.trigger()
    assert len(win.session.points) == count
    win.redo_action.trigger()
    assert len(win.session.points) == count + sprayed


def test_right_click_erases_and_clear_empties_until_undone(qtbot, active_window):
    win = active_window
    start_drawing(qtbot, win)
    for x in (-1.0, 1.0, 3.0):
        click(qtbot, win, x, 5.0)
    points = win.session.points
    near = len(points.near((1.0, 5.0), 0.3))
    elsewhere = len(points.near((-1.0, 5.0), 0.3))
    assert near >= 1
    click(qtbot, win, 1.0, 5.0, Qt.MouseButton.RightButton)
    assert len(win.session.points.near((1.0, 5.0), 0.3)) == 0
    assert len(win.session.points.near((-1.0, 5.0), 0.3)) == elsewhere
    after_erasing = len(win.session.points)
    qtbot.mouseClick(win.output_panel.draw_tools.clear_button, Qt.MouseButton.LeftButton)
    assert len(win.session.points) == 0 and len(win.session.trainer.y) == 0
    assert shown_points(win) == []
    win.play_action.trigger()   # nothing to train on: nothing breaks
    qtbot.wait(50)
    win.play_action.trigger()
    assert win.session.trainer.step_count >= 0
    win.undo_action.trigger()
    assert len(win.session.points) == after_erasing < len(points)


def test_regression_points_take_a_value(qtbot, show_active):
    win = MainWindow(Session(DataSettings("plane")))
    qtbot.addWidget(win)
    show_active(win)
    start_drawing(qtbot, win)
    tools = win.output_panel.draw_tools
    assert tools.value_box.isVisible() and not tools.class_box.isVisible()
    tools.value_box.setValue(-0.5)
    click(qtbot, win, 2.0, 2.0)
    assert win.session.points.regression
    assert win.session.points.y[-1] == pytest.approx(-0.5)
    assert win.session.data.regression and win.session.net.sizes[-1] == 1


def test_the_points_drawn_from_a_large_set_are_a_fixed_sample(qtbot, show_active):
    rng = np.random.default_rng(1)
    X = rng.uniform(-5, 5, (20_000, 2))
    points = UserPoints.from_arrays(X, (X[:, 0] > 0).astype(int), ["west", "east"])
    data = DataSettings("custom", train_ratio=0.8)
    win = MainWindow(Session(data, points=points))
    qtbot.addWidget(win)
    show_active(win)
    boundary = win.output_panel.boundary
    assert boundary.shown_points() == MAX_SHOWN
    assert boundary.legend_names() == ("west", "east") and boundary.legend.isVisible()
    assert win.network_view.scene() is not None
    first = shown_points(win)
    win.driver.publish()
    assert shown_points(win) == first


def test_double_clicking_a_point_opens_its_gate_graph(qtbot, trained_window):
    win = trained_window
    snap = win.snapshot()
    x, y = snap.X_train[7]
    qtbot.mouseDClick(viewport(win), Qt.MouseButton.LeftButton, pos=at(win, x, y))
    assert win.tabs.currentWidget() is win.backprop
    row = win.explainer.neuron_row
    assert row.neuron.layer == len(snap.sizes) - 1 and row.neuron.index == 0
    np.testing.assert_allclose(snap.X_train[row.point.index], (x, y), atol=0.05)
    # with a neuron selected, that neuron opens
    win.tabs.setCurrentWidget(win.network_page)
    win.editor.select(Selection(1, 2))
    qtbot.mouseDClick(viewport(win), Qt.MouseButton.LeftButton, pos=at(win, x, y))
    assert (row.neuron.layer, row.neuron.index) == (1, 2)
