"""The output panel driven as a student would: train, look, toggle, hover, switch data."""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from playground.app.panels.output import OutputPanel
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture
def panel(qtbot) -> OutputPanel:
    widget = OutputPanel()
    widget.resize(500, 900)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def session() -> Session:
    return Session()


def trained(session: Session, epochs: int = 5):
    session.trainer.run_epochs(epochs)
    return session.snapshot()


class EventCount(QObject):
    """Counts the events of one type that reach the widgets it is installed on."""

    def __init__(self, kind: QEvent.Type) -> None:
        super().__init__()
        self.kind = kind
        self.count = 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() == self.kind:
            self.count += 1
        return False


def colours(panel: OutputPanel) -> np.ndarray:
    """Distinct RGBA pixels of the image on screen."""
    image = panel.boundary.image_item.image
    return np.unique(image.reshape(-1, image.shape[-1]), axis=0)


def click(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def checkbox(panel: OutputPanel, text: str):
    return next(box for box in panel.checkboxes if box.text() == text)


def test_boundary_image_matches_grid_and_follows_training(panel, session):
    snap = trained(session)
    panel.show_snapshot(snap)
    image = panel.boundary.image_item.image.copy()
    assert image.shape[:2] == snap.grid.output.shape[:2]
    assert panel.boundary.title == "Decision boundary"
    panel.show_snapshot(trained(session, 20))
    assert np.any(panel.boundary.image_item.image != image)


def test_boundary_colours_lean_toward_the_likelier_class(panel, session):
    snap = trained(session, 30)
    panel.show_snapshot(snap)
    image = panel.boundary.image_item.image.astype(int)
    p_blue = snap.grid.output[..., 1]
    blue, orange = p_blue > 0.7, p_blue < 0.3
    assert blue.any() and orange.any()
    # row 0 of the grid is the lowest y and row 0 of the image is drawn at the bottom
    assert np.all(image[blue][:, 2] > image[blue][:, 0])       # blue beats red
    assert np.all(image[orange][:, 0] > image[orange][:, 2])   # orange: red beats blue


def test_discretize_checkbox_gives_one_colour_per_class(qtbot, panel, session):
    panel.show_snapshot(trained(session, 10))
    smooth = len(colours(panel))
    assert smooth > 2
    click(qtbot, checkbox(panel, "Discretize output"))
    assert panel.discretize_action.isChecked()
    assert len(colours(panel)) <= 2
    panel.discretize_action.trigger()   # from the View menu: the checkbox follows
    assert not checkbox(panel, "Discretize output").isChecked()
    assert len(colours(panel)) == smooth


def test_hiding_test_data(qtbot, panel, session):
    panel.show_snapshot(trained(session))
    test = panel.boundary.test_scatter
    assert test.isVisible() and len(test.data) == len(session.snapshot().X_test)
    assert len(panel.boundary.train_scatter.data) == len(session.trainer.y)
    click(qtbot, checkbox(panel, "Show test data"))
    assert not panel.show_test_action.isChecked()
    assert not test.isVisible()
    assert panel.boundary.train_scatter.isVisible()


def epochs_drawn(curve) -> list[float]:
    return [] if curve.xData is None else list(curve.xData)


def test_loss_curves_grow_incrementally_and_restart_after_reset(qtbot, panel, session):
    """Curves redraw at most every 0.1 s (and the loss and gradient plots never in the same
    frame), so each check waits for exactly what it asserts; a reset draws at once."""
    train, test = panel.loss_plot.train_curve, panel.loss_plot.test_curve
    grads = panel.grad_plot.curves
    panel.show_snapshot(trained(session, 5))
    qtbot.waitUntil(lambda: epochs_drawn(train) == [1, 2, 3, 4, 5])
    panel.show_snapshot(trained(session, 3))
    qtbot.waitUntil(lambda: epochs_drawn(train) == [1, 2, 3, 4, 5, 6, 7, 8])
    assert np.all(np.isfinite(test.yData))
    qtbot.waitUntil(lambda: all(len(epochs_drawn(c)) == 8 for c in grads.values()))
    assert "Epoch 8" in panel.readout.text()
    session.reset()
    panel.show_snapshot(trained(session, 2))
    assert epochs_drawn(train) == [1, 2]
    assert all(len(epochs_drawn(c)) == 2 for c in grads.values())


def test_same_snapshot_twice_is_not_counted_twice(panel, session):
    snap = trained(session, 4)
    panel.show_snapshot(snap)
    panel.show_snapshot(snap)
    panel.show_snapshot(session.snapshot())   # no new epochs
    assert len(panel.loss_plot.train_curve.xData) == 4
    assert "Epoch 4" in panel.readout.text()


def test_long_history_uses_growing_buffers(qtbot, panel, session):
    session.trainer.run_epochs(300)
    panel.show_snapshot(session.snapshot())
    for _ in range(3):
        panel.show_snapshot(trained(session, 1))
    qtbot.waitUntil(lambda: len(panel.loss_plot.train_curve.xData) == 303)
    assert panel.loss_plot.train_curve.xData[-1] == 303


def test_log_scale_action(qtbot, panel, session):
    panel.show_snapshot(trained(session))
    assert not panel.loss_plot.log_y
    panel.log_loss_action.trigger()
    assert panel.loss_plot.log_y
    assert panel.loss_plot.plotItem.getAxis("left").logMode
    assert checkbox(panel, "Log-scale loss").isChecked()
    click(qtbot, checkbox(panel, "Log-scale loss"))
    assert not panel.loss_plot.log_y


def test_gradient_norms_one_curve_per_weight_layer(qtbot, panel, session):
    panel.show_snapshot(trained(session))
    names = [label.text for _, label in panel.grad_plot.legend.items]
    assert names == ["W1", "W2", "W3"]
    assert panel.grad_plot.plotItem.getAxis("left").logMode
    pens = {c.opts["pen"].color().name() for c in panel.grad_plot.curves.values()}
    assert len(pens) == 3
    output_curve = panel.grad_plot.curves[session.net.layer_ids[-1]]
    session.perform(edits.insert_layer(2, "tanh", 6))
    panel.show_snapshot(trained(session))
    names = [label.text for _, label in panel.grad_plot.legend.items]
    assert names == ["W1", "W2", "W3", "W4"]
    new_layer = panel.grad_plot.curves[session.net.layer_ids[1]]
    qtbot.waitUntil(lambda: len(epochs_drawn(output_curve)) == 10)
    assert np.isfinite(output_curve.yData).all()          # the output layer's own curve
    assert np.isfinite(new_layer.yData).sum() == 5        # the new layer starts at epoch 6


def test_hovering_a_neuron_shows_its_map(panel, session):
    snap = trained(session, 20)
    panel.show_snapshot(snap)
    boundary = panel.boundary.image_item.image.copy()
    panel.show_neuron(1, 0)
    assert panel.boundary.title == "Layer 1, neuron 1 (tanh)"
    image = panel.boundary.image_item.image.astype(int)
    values = snap.grid.layers[0][..., 0]
    high, low = values > 0.5, values < -0.5
    assert high.any() and low.any()
    assert np.all(image[high][:, 2] > image[high][:, 0])
    assert np.all(image[low][:, 0] > image[low][:, 2])
    panel.show_neuron(None)
    assert panel.boundary.title == "Decision boundary"
    assert np.array_equal(panel.boundary.image_item.image, boundary)


def test_hover_inputs_outputs_and_missing_neurons(panel, session):
    panel.show_snapshot(trained(session))
    panel.show_neuron(0, 1)
    assert panel.boundary.title == "Input x2"
    panel.show_neuron(3, 1)
    assert panel.boundary.title.startswith("Output 2:")
    panel.show_neuron(2, 40)   # not in the network (e.g. just removed): boundary instead
    assert panel.boundary.title == "Decision boundary"


def test_regression_shows_a_value_map_and_no_accuracy(panel, session):
    session.configure(dataset="plane")
    panel.show_snapshot(trained(session, 10))
    assert panel.boundary.title == "Predicted value"
    assert len(colours(panel)) > 10
    text = panel.readout.text()
    assert "train loss" in text and "accuracy" not in text
    brushes = {b.color().name() for b in panel.boundary.train_scatter.data["brush"]}
    assert len(brushes) > 5   # points coloured by their target value
    assert not panel.discretize_action.isEnabled()
    assert not checkbox(panel, "Discretize output").isEnabled()
    assert "no classes" in checkbox(panel, "Discretize output").toolTip()
    panel.discretize_action.trigger()          # a disabled action does nothing
    assert len(colours(panel)) > 10


def test_three_blobs_colour_three_classes(panel, session):
    session.configure(dataset="blobs", classes=3)
    panel.show_snapshot(trained(session, 10))
    assert panel.boundary.image_item.image.shape[:2] == (100, 100)
    brushes = {b.color().name() for b in panel.boundary.train_scatter.data["brush"]}
    assert len(brushes) == 3
    assert "accuracy" in panel.readout.text()
    panel.discretize_action.trigger()
    assert len(colours(panel)) == 3


@pytest.mark.parametrize("loss", ["hinge", "bce", "mse"])
def test_other_losses_draw_two_class_boundaries(panel, session, loss):
    session.configure(loss=loss)
    panel.show_snapshot(trained(session, 10))
    assert panel.boundary.image_item.image.shape[:2] == (100, 100)
    assert len(colours(panel)) > 2
    panel.discretize_action.trigger()
    assert len(colours(panel)) <= 2
    panel.show_neuron(3, 0)
    assert panel.boundary.title.startswith("Output 1:")


def test_missing_test_set_and_nan_do_not_break_the_plots(panel, session):
    snap = trained(session, 3)
    history = dataclasses.replace(snap.history, test_loss=[math.nan] * 3,
                                  test_accuracy=[math.nan] * 3)
    panel.show_snapshot(dataclasses.replace(snap, history=history, X_test=None, y_test=None,
                                            data_version=snap.data_version + 1))
    assert len(panel.boundary.test_scatter.data) == 0
    assert "test loss —" in panel.readout.text()
    panel.log_loss_action.trigger()
    panel.grab()   # paints without raising


def test_follows_a_dark_palette(panel, session):
    panel.show_snapshot(trained(session))
    dark = QPalette(panel.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    panel.setPalette(dark)
    assert panel.loss_plot.backgroundBrush().color().name() == "#1e1e1e"
    axis = panel.loss_plot.plotItem.getAxis("left")
    assert axis.textPen().color().name() == "#eeeeee"


def test_show_snapshot_is_fast(panel, session):
    session.trainer.run_epochs(1000)
    panel.show_snapshot(session.snapshot())
    times = []
    for _ in range(10):
        snap = trained(session, 1)
        start = time.perf_counter()
        panel.show_snapshot(snap)
        times.append(time.perf_counter() - start)
    assert sorted(times)[len(times) // 2] < 0.015   # ~2 ms here; loose for slow CI machines


def test_a_new_session_replaces_the_points(panel, session):
    panel.show_snapshot(trained(session))
    other = Session(DataSettings(dataset="blobs", classes=3))   # data_version 0 again
    panel.show_snapshot(trained(other))
    brushes = {b.color().name() for b in panel.boundary.train_scatter.data["brush"]}
    assert len(brushes) == 3
    assert len(panel.loss_plot.train_curve.xData) == 5


def test_show_neuron_takes_the_network_views_tuple(panel, session):
    panel.show_snapshot(trained(session))
    panel.show_neuron((2, 4))
    assert panel.title_text() == "Layer 2, neuron 5 (tanh)"
    assert panel.boundary_image().shape == (100, 100, 4)
    panel.show_neuron(None)
    assert panel.boundary.title == "Decision boundary"


def test_new_readout_values_do_not_lay_the_panel_out_again(qtbot, panel, session):
    """Readouts change every frame while training; each value label is as wide as its widest
    value, so a new value repaints it and asks no layout to run again."""
    panel.show_snapshot(trained(session, 1))
    QApplication.processEvents()
    requests = EventCount(QEvent.Type.LayoutRequest)
    for widget in (panel, panel.readout, *panel.readout.stats.values()):
        widget.installEventFilter(requests)
    for _ in range(3):
        panel.show_snapshot(trained(session, 1))
        QApplication.processEvents()
    assert "Epoch 4" in panel.readout.text()
    assert requests.count == 0


def test_a_curve_redraw_paints_its_plot_once(qtbot, panel, session):
    """Setting a plot's ranges leaves its transform for the paint to settle, which then asks
    for a second paint; the redraw settles it, so new epochs cost one paint per plot."""
    plot = panel.loss_plot
    paints = EventCount(QEvent.Type.Paint)
    for epochs in range(20, 26):
        if epochs == 22:  # the first redraws settle the axes' widths and the legend
            plot.viewport().installEventFilter(paints)
        panel.show_snapshot(trained(session, 20 if epochs == 20 else 1))
        qtbot.waitUntil(lambda n=epochs: len(epochs_drawn(plot.train_curve)) == n)
        for _ in range(3):
            QApplication.processEvents()
    assert paints.count == 4


def test_a_long_gradient_legend_wraps_inside_a_narrow_plot(qtbot, panel):
    """Seven weight layers' legend is wider than a narrow column: it wraps into rows instead
    of running off the plot's left edge, and unwraps when there is room again."""
    spec = {"layers": [{"units": 3, "activation": "tanh"}] * 6, "seed": 0}
    panel.show_snapshot(trained(Session(None, spec), 2))
    plot = panel.grad_plot
    qtbot.waitUntil(lambda: len(plot.legend.items) == 7)
    panel.resize(300, 900)
    qtbot.waitUntil(lambda: plot.width() <= 300)

    def legend_rect():
        return plot.mapFromScene(plot.legend.mapRectToScene(
            plot.legend.boundingRect())).boundingRect()

    qtbot.waitUntil(lambda: legend_rect().left() >= 0)
    assert plot.legend.columnCount < 7
    assert legend_rect().right() <= plot.width()
    panel.resize(1400, 900)
    qtbot.waitUntil(lambda: plot.legend.columnCount == 7)


def test_a_new_regularisation_term_does_not_lay_the_panel_out_again(qtbot, panel, session):
    """With L2 on, the term under the train loss changes every frame too: it keeps its size
    like the values do, so a new term repaints it and asks no layout to run again."""
    session.configure(l2=0.01)
    panel.show_snapshot(trained(session, 1))
    QApplication.processEvents()
    requests = EventCount(QEvent.Type.LayoutRequest)
    for widget in (panel, panel.readout, *panel.readout.stats.values()):
        widget.installEventFilter(requests)
    notes = set()
    for _ in range(3):
        panel.show_snapshot(trained(session, 1))
        QApplication.processEvents()
        notes.add(panel.readout.stats["train loss"].note.text())
    assert len(notes) == 3 and "L2 term" in panel.readout.text()
    assert requests.count == 0


def test_a_legend_with_no_room_for_its_rows_shows_its_two_ends(qtbot, panel):
    """Ten weight layers in a short, narrow plot: no number of rows fits the third of the
    plot a legend may take, so it reads "W1 … W10" (W1, where gradients vanish, stays in
    view); with room again every entry comes back."""
    spec = {"layers": [{"units": 3, "activation": "tanh"}] * 9, "seed": 0}
    panel.show_snapshot(trained(Session(None, spec), 2))
    plot = panel.grad_plot
    qtbot.waitUntil(lambda: len(plot.legend.items) == 10)

    def shown() -> list[str]:
        return [label.text for _, label in plot.legend.items if label.isVisible()]

    panel.resize(260, 560)
    qtbot.waitUntil(lambda: plot.legend.ends_only)
    assert shown() == ["W1", "W10"]
    left = plot.mapFromScene(plot.legend.mapRectToScene(plot.legend.boundingRect()))
    assert left.boundingRect().left() >= 0
    panel.resize(1400, 900)
    qtbot.waitUntil(lambda: not plot.legend.ends_only)
    assert shown() == [f"W{k}" for k in range(1, 11)]
