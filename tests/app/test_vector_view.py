"""The vector view's layer page driven as a student would: pick a layer and a batch, read the
matrices (written X·W here, as the app stores W; test_vector_lecture.py covers W·x and the
lecture's example)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from playground.app.backprop import layer_view
from playground.app.backprop.layer_view import LayerView
from playground.app.backprop.matrix_grid import MatrixGrid
from playground.app.backprop.vector_view import VectorView
from playground.app.ui.theme import apply_theme
from playground.backprop.dense_batch import dense_batch
from playground.backprop.number_format import fmt
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture
def container(qtbot) -> VectorView:
    widget = VectorView()
    widget.resize(1100, 700)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.mouseClick(widget.app_button, Qt.MouseButton.LeftButton)
    return widget


@pytest.fixture
def view(container) -> LayerView:
    """The layer page, written X·W (the container stays alive as long as the test)."""
    return container.layer_view


def core(snap, layer: int, n: int):
    return dense_batch(snap.network(), snap.train_inputs()[:n], snap.y_train[:n], layer)


def titles(view: LayerView) -> dict[str, str]:
    return {name: label.text() for name, label in view.titles.items()}


def choose_layer(qtbot, view: LayerView, layer: int) -> None:
    """Step the layer combo with the arrow keys, as a keyboard user does."""
    combo = view.layer_combo
    combo.setFocus()
    while view.layer != layer:
        qtbot.keyClick(combo, Qt.Key.Key_Down if view.layer < layer else Qt.Key.Key_Up)


def type_batch(qtbot, view: LayerView, n: int) -> None:
    spin = view.batch_spin
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, str(n))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def assert_shows(view: LayerView, expected) -> None:
    """Every grid holds the core's matrix and draws the core's numbers."""
    matrices = {"Ja": expected.activation_jacobian(0), "Jx": expected.multiply_jacobian}
    for name, grid in view.grids.items():
        values = matrices.get(name)
        if values is None:
            values = getattr(expected, "X_in" if name == "X" else name)
        np.testing.assert_array_equal(grid.values, values.reshape(grid.values.shape))
        rows, cols = grid.shown_shape()
        for r in range(rows):
            for c in range(cols):
                assert grid.text_at(r, c) == fmt(grid.values[r, c])


def test_first_layer_with_the_default_batch(view):
    snap = Session().snapshot(None)
    view.show_snapshot(snap)
    combo = view.layer_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Layer 1 (2 → 12, tanh)", "Layer 2 (12 → 12, tanh)", "Output (12 → 2)"]
    assert view.layer == 1 and view.batch_spin.value() == 4
    assert titles(view) == {"X": "X (4 × 2)", "W": "W (2 × 12)", "b": "b (12,)",
                            "S": "S (4 × 12)", "dX": "dX (4 × 2)", "dW": "dW (2 × 12)",
                            "db": "db (12,)", "dS": "dS (4 × 12)", "Ja": "∂a/∂s (12 × 12)",
                            "Jx": "∂s/∂x (12 × 2)"}
    assert "(4 × 2)·(2 × 12) + (12,) → (4 × 12)" in view.forward_heading.text()
    assert view.formulas["dW"].text() == "Xᵀ·dS: (2 × 4)·(4 × 12) → (2 × 12)"
    assert view.formulas["db"].text() == "Σ rows of dS: (4 × 12) → (12,)"
    assert view.formulas["dX"].text() == "dS·Wᵀ: (4 × 12)·(12 × 2) → (4 × 2)"
    assert "the gradient of a matrix has the matrix's shape" in view.rule.text().lower()
    assert view.network_check.text().startswith("✓ dW and db match the network's own gradient")
    expected = core(snap, 1, 4)
    assert view.numeric_check.text().startswith(
        f"✓ numeric check: relative error {fmt(expected.numeric_error, 2)}")
    assert f"L = {fmt(expected.loss)} (" in view.loss_label.text()
    assert_shows(view, expected)


def test_keyboard_picks_a_layer_and_typing_changes_the_batch(qtbot, view):
    session = Session()
    session.trainer.run(200)
    snap = session.snapshot(None)
    view.show_snapshot(snap)
    choose_layer(qtbot, view, 2)
    assert view.layer_combo.currentText() == "Layer 2 (12 → 12, tanh)"
    assert titles(view)["X"] == "X (4 × 12)" and titles(view)["W"] == "W (12 × 12)"
    assert view.formulas["X"].text() == "layer 1's output for the 4 points, one per row"
    assert_shows(view, core(snap, 2, 4))
    type_batch(qtbot, view, 7)
    assert titles(view)["S"] == "S (7 × 12)" and titles(view)["dX"] == "dX (7 × 12)"
    assert view.formulas["dW"].text() == "Xᵀ·dS: (12 × 7)·(7 × 12) → (12 × 12)"
    assert_shows(view, core(snap, 2, 7))
    choose_layer(qtbot, view, 3)
    assert titles(view)["S"] == "S (7 × 2)" and view.formulas["S"].text() == \
        "the scores the loss reads"
    assert view.formulas["dS"].text() == "∂L/∂S, from the softmax cross-entropy"
    qtbot.keyClick(view.batch_spin, Qt.Key.Key_Up)
    assert view.result.X_in.shape == (8, 12)
    assert_shows(view, core(snap, 3, 8))


def test_matrices_use_the_room_there_is_and_expand_on_click(qtbot, container, view):
    container.resize(2000, 800)
    view.show_snapshot(Session().snapshot(None))
    assert view.grids["W"].shown_shape() == (2, 12)          # room to spare: all of it
    assert view.grids["S"].shown_shape() == (4, 12)
    container.resize(1500, 800)
    assert view.grids["W"].shown_shape()[1] >= 9             # as many columns as fit
    container.resize(1100, 700)
    choose_layer(qtbot, view, 2)
    type_batch(qtbot, view, 16)
    grid: MatrixGrid = view.grids["W"]
    assert grid.values.shape == (12, 12)
    rows, cols = grid.shown_shape()
    assert rows == 12 and 1 <= cols < 12 and grid.truncated  # three 12-wide grids: cut
    small = grid.sizeHint()
    assert "12 × 12 entries: click" in grid.tooltip_at(QPoint(small.width() - 3, 3))
    assert grid.tooltip_at(QPoint(3, 3)) == f"W[0, 0] = {grid.values[0, 0]:.10g}"
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert grid.shown_shape() == (12, 12) and not grid.truncated and grid.expanded
    assert grid.sizeHint().width() > small.width()
    assert grid.text_at(11, 11) == fmt(grid.values[11, 11])
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert grid.truncated                                      # a second click folds it
    vector = view.grids["b"]
    assert vector.values.shape == (1, 12) and vector.entry_name(0, 3) == "b[3]"


def test_follows_structure_changes_keeping_the_chosen_layer(qtbot, view):
    session = Session()
    view.show_snapshot(session.snapshot(None))
    choose_layer(qtbot, view, 3)
    session.perform(edits.set_units(1, 5))
    view.show_snapshot(session.snapshot(None))
    assert view.layer_combo.itemText(0) == "Layer 1 (2 → 5, tanh)"
    assert view.layer_combo.itemText(1) == "Layer 2 (5 → 12, tanh)"
    assert view.layer == 3 and titles(view)["W"] == "W (12 × 2)"
    choose_layer(qtbot, view, 1)
    assert titles(view)["W"] == "W (2 × 5)" and titles(view)["S"] == "S (4 × 5)"
    session.perform(edits.insert_layer(3, "relu", 3))
    snap = session.snapshot(None)
    view.show_snapshot(snap)
    assert view.layer_combo.count() == 4 and view.layer == 1
    assert view.layer_combo.itemText(2) == "Layer 3 (12 → 3, ReLU)"
    assert_shows(view, core(snap, 1, 4))


def test_the_output_stays_chosen_when_a_layer_goes(qtbot, view):
    session = Session()
    view.show_snapshot(session.snapshot(None))
    choose_layer(qtbot, view, 3)
    session.perform(edits.remove_layer(2))
    view.show_snapshot(session.snapshot(None))
    assert view.layer_combo.currentText() == "Output (12 → 2)" and view.layer == 2


def test_maxout_and_big_layers_say_what_they_show(qtbot, view):
    session = Session()
    session.perform(edits.set_activation(1, "maxout"))
    view.show_snapshot(session.snapshot(None))
    assert view.layer_combo.itemText(0) == "Layer 1 (2 → 12, maxout)"
    assert "first affine piece W1, b1" in view.note.text()
    assert view.numeric_check.text().startswith("✓ numeric check")
    session.perform(edits.set_units(2, 40))
    view.show_snapshot(session.snapshot(None))
    choose_layer(qtbot, view, 2)
    assert view.note.text() == ""
    assert view.numeric_check.text().startswith("Numeric check skipped: W has 480 entries")
    assert view.network_check.text().startswith("✓")


def test_regression_data_has_one_output(qtbot, view):
    snap = Session(DataSettings(dataset="plane")).snapshot(None)
    view.show_snapshot(snap)
    assert view.layer_combo.itemText(2) == "Output (12 → 1)"
    choose_layer(qtbot, view, 3)
    assert titles(view)["S"] == "S (4 × 1)" and titles(view)["b"] == "b (1,)"
    assert "mean squared error" in view.loss_label.text()
    assert_shows(view, core(snap, 3, 4))


def test_does_nothing_while_hidden_and_catches_up_when_shown(qtbot, view, monkeypatch):
    calls = []
    monkeypatch.setattr(layer_view, "dense_batch",
                        lambda *args: calls.append(args) or dense_batch(*args))
    session = Session()
    view.hide()
    view.show_snapshot(session.snapshot(None))
    session.perform(edits.set_units(1, 5))
    view.show_snapshot(session.snapshot(None))
    assert calls == [] and view.result is None and view.layer_combo.count() == 0
    view.show()
    qtbot.waitExposed(view)
    assert len(calls) == 1 and titles(view)["W"] == "W (2 × 5)"


def test_training_snapshots_are_throttled_and_the_last_one_shows(qtbot, view, monkeypatch):
    calls = []
    monkeypatch.setattr(layer_view, "dense_batch",
                        lambda *args: calls.append(args) or dense_batch(*args))
    session = Session()
    view.show_snapshot(session.snapshot(None))
    for _ in range(20):
        session.trainer.run(5)
        view.show_snapshot(session.snapshot(None))
    assert len(calls) <= 3
    last = session.snapshot(None)
    view.show_snapshot(last)
    qtbot.waitUntil(lambda: np.array_equal(view.result.W, last.params["W1"]), timeout=2000)
    assert len(calls) <= 4


def test_hiding_cancels_a_pending_recompute(qtbot, view):
    session = Session()
    view.show_snapshot(session.snapshot(None))
    session.trainer.run(5)
    view.show_snapshot(session.snapshot(None))
    assert view._throttle.pending
    view.hide()
    assert not view._throttle.pending
    view.show()
    qtbot.waitExposed(view)
    np.testing.assert_array_equal(view.result.W, session.net.params["W1"])


def test_a_batch_bigger_than_the_training_set_takes_every_point(qtbot, view):
    snap = Session(DataSettings(dataset="circle", n=20, train_ratio=0.1)).snapshot(None)
    assert len(snap.y_train) == 2
    view.show_snapshot(snap)
    assert titles(view)["X"] == "X (2 × 2)"
    assert view.note.text() == "There are only 2 training points, so the batch is all of them."
    assert_shows(view, core(snap, 1, 2))


def lightness(grid: MatrixGrid) -> np.ndarray:
    image = grid.grab().toImage()
    return np.array([[image.pixelColor(x, y).lightness() for x in range(image.width())]
                     for y in range(image.height())])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_numbers_stand_out_from_their_cells_in_either_theme(qtbot, view, theme):
    app = QApplication.instance()
    palette, style = app.palette(), app.style().name()
    try:
        apply_theme(app, theme)
        view.show_snapshot(Session().snapshot(None))
        grid = view.grids["W"]
        qtbot.waitUntil(lambda: grid.size() == grid.sizeHint())
        light = lightness(grid)
        background, ink = np.median(light), (light.min() if theme == "light" else light.max())
        assert (background > 170) if theme == "light" else (background < 100)
        assert abs(ink - background) > 120
    finally:
        app.setStyle(style)
        app.setPalette(palette)
        app.setProperty("playground_theme", None)


def test_a_hidden_linear_layer_and_equal_sizes_are_described_as_they_are(qtbot):
    session = Session(spec={"inputs": 2, "layers": [{"units": 4, "activation": "linear"},
                                                     {"units": 4, "activation": "tanh"}],
                            "outputs": 2, "loss": "softmax", "seed": 0})
    container = VectorView()
    qtbot.addWidget(container)
    container.show()
    view = container.layer_view
    view.show_snapshot(session.snapshot(None))
    assert view.formulas["S"].text() == "S goes on to layer 2 as it is"
    assert "from the" not in view.formulas["dS"].text()
    view.batch_spin.setValue(2)  # layer 1 takes 2 inputs: n == d
    assert "would fit too" in view.rule.text()


def test_matrix_cells_print_in_the_tabs_format_and_fit_their_cell(qtbot):
    grid = MatrixGrid("M")
    qtbot.addWidget(grid)
    values = np.array([[-9.9996, -999.96, 9.9994, -0.0009996], [123.456, -1e-7, 5e12, -0.00123]])
    grid.set_values(values)
    texts = [grid.text_at(r, c) for r in range(2) for c in range(4)]
    assert texts == ["−10", "−1000", "10", "−0.001", "123", "−1e−7",
                     "5e12", "−0.00123"]
    width = grid._cell().width() - 2 * grid.PAD
    assert all(grid.fontMetrics().horizontalAdvance(t) <= width for t in texts)
