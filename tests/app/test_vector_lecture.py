"""The vector view as the lecture does it: its ‖W·x‖² example with its numbers and Jacobians,
W·x beside X·W, and the keys given back after typing a batch size."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from playground.app.backprop.vector_view import EXAMPLE, VectorView
from playground.backprop.dense_batch import dense_batch
from playground.core.session import Session


@pytest.fixture
def view(qtbot, show_active) -> VectorView:
    widget = VectorView()
    widget.resize(1300, 800)
    qtbot.addWidget(widget)
    return show_active(widget)


def choose_example(qtbot, view: VectorView) -> None:
    combo = view.show_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == EXAMPLE
    assert view.pages.currentWidget() is view.example_view


def texts(grid) -> list[list[str]]:
    rows, cols = grid.shown_shape()
    return [[grid.text_at(r, c) for c in range(cols)] for r in range(rows)]


def test_the_lectures_example_with_its_numbers(qtbot, view):
    choose_example(qtbot, view)
    page = view.example_view
    g = page.grids
    assert texts(g["W"]) == [["0.1", "0.5"], ["−0.3", "0.8"]]
    assert texts(g["x"]) == [["0.2"], ["0.4"]]                       # a column, as W·x
    assert texts(g["q"]) == [["0.22"], ["0.26"]]
    assert "f = Σ s = 0.22² + 0.26² = <b>0.116</b>" in page.result.text()
    assert texts(g["dq"]) == [["0.44"], ["0.52"]]
    assert texts(g["dW"]) == [["0.088", "0.176"], ["0.104", "0.208"]]
    assert page.formulas["dW"].text().startswith("2q·xᵀ")
    assert texts(g["dx"]) == [["−0.112"], ["0.636"]]
    assert page.formulas["dx"].text().startswith("2Wᵀ·q")
    assert texts(g["Js"]) == [["0.44", "0"], ["0", "0.52"]]          # elementwise: diagonal
    assert page.titles["Js"].text() == "∂s/∂q (2 × 2)"
    assert texts(g["Jx"]) == texts(g["W"])                           # the multiply: W
    assert page.titles["JW"].text() == "∂q/∂W (2 × 4)"
    assert texts(g["JW"]) == [["0.2", "0.4", "0", "0"], ["0", "0", "0.2", "0.4"]]
    assert page.check.text().startswith("✓ dW and dx agree with centred differences")


def test_x_w_writes_the_same_example_transposed(qtbot, view):
    choose_example(qtbot, view)
    qtbot.mouseClick(view.app_button, Qt.MouseButton.LeftButton)
    page = view.example_view
    assert texts(page.grids["x"]) == [["0.2", "0.4"]]                 # a row
    assert texts(page.grids["W"]) == [["0.1", "−0.3"], ["0.5", "0.8"]]
    assert texts(page.grids["q"]) == [["0.22", "0.26"]]
    assert texts(page.grids["dW"]) == [["0.088", "0.104"], ["0.176", "0.208"]]
    qtbot.waitUntil(lambda: page.grids["x"].x() < page.grids["W"].x())  # x · W
    qtbot.mouseClick(view.lecture_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.grids["W"].x() < page.grids["x"].x())  # W · x


def test_a_layer_in_the_lectures_form_is_the_apps_transposed(qtbot, view):
    snap = Session().snapshot(None)
    view.show_snapshot(snap)
    layer = view.layer_view
    assert view.form == "lecture" and layer.form == "lecture"
    core = dense_batch(snap.network(), snap.train_inputs()[:4], snap.y_train[:4], 1)
    np.testing.assert_array_equal(layer.grids["W"].values, core.W.T)
    np.testing.assert_array_equal(layer.grids["X"].values, core.X_in.T)
    np.testing.assert_array_equal(layer.grids["dW"].values, core.dW.T)
    assert layer.titles["W"].text() == "W (12 × 2)" and layer.titles["S"].text() == "S (12 × 4)"
    assert layer.formulas["W"].text() == "W1ᵀ: one row per neuron (the app stores W1 as 2 × 12)"
    assert layer.formulas["dW"].text() == "dS·Xᵀ: (12 × 4)·(4 × 2) → (12 × 2)"
    assert layer.formulas["dX"].text() == "Wᵀ·dS: (2 × 12)·(12 × 4) → (2 × 4)"
    assert "S = W·X + b:  (12 × 2)·(2 × 4) + (12,) → (12 × 4)" in layer.forward_heading.text()
    assert layer.grids["W"].x() < layer.grids["X"].x()
    jacobian = layer.grids["Ja"].values
    np.testing.assert_allclose(np.diag(jacobian), 1 - np.tanh(core.S[0]) ** 2)
    assert np.count_nonzero(jacobian - np.diag(np.diag(jacobian))) == 0
    qtbot.mouseClick(view.app_button, Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(layer.grids["W"].values, core.W)
    qtbot.waitUntil(lambda: layer.grids["X"].x() < layer.grids["W"].x())
    assert layer.titles["W"].text() == "W (2 × 12)"


def test_enter_in_the_batch_box_gives_the_keys_back(qtbot, view):
    view.show_snapshot(Session().snapshot(None))
    spin = view.layer_view.batch_spin
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "6")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert view.layer_view.result.X_in.shape == (6, 2)
    focus = QApplication.focusWidget()
    assert not isinstance(focus, QLineEdit) and focus is view
    qtbot.keyClick(focus, Qt.Key.Key_Space)
    assert spin.text() == "6 points"
