"""The window's keys work whatever has focus (Space, Escape, Delete, Ctrl+1/2), except in a
text field being edited; Enter or Escape in a field hands the keys back to the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from playground.app.ui.selection import Selection

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise", "does not support grabbing")


@pytest.fixture
def window(active_window):
    yield active_window
    active_window.driver.pause()


def focus(qtbot, widget: QWidget) -> QWidget:
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    return widget


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keys are: the focused widget."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def non_text_widgets(win) -> dict[str, QWidget]:
    data, hyper = win.data_panel, win.hyper_panel
    return {"dataset thumbnail": data.gallery.buttons["xor"],
            "feature check box": data.feature_buttons["x1^2"],
            "Regenerate button": data.regenerate_button, "noise slider": data.noise_slider,
            "optimizer box": hyper.optimizer, "layer card's activation": win.architecture
            .cards[0].activation, "palette part": win.palette.buttons["layer"],
            "output check box": win.output_panel.checkboxes[1], "network view": win.network_view,
            "column tabs": win.side.tab_bar, "speed box": win.speed_box}


@pytest.mark.parametrize("where", ["dataset thumbnail", "feature check box", "Regenerate button",
                                   "noise slider", "optimizer box", "layer card's activation",
                                   "palette part", "output check box", "network view",
                                   "column tabs", "speed box"])
def test_space_plays_and_pauses_whatever_has_focus(qtbot, window, where):
    widget = focus(qtbot, non_text_widgets(window)[where])
    data = window.session.data
    checked = [b.isChecked() for b in window.output_panel.checkboxes]
    press(qtbot, Qt.Key.Key_Space)
    assert window.driver.running
    press(qtbot, Qt.Key.Key_Space)
    assert not window.driver.running
    assert widget.hasFocus()  # and the widget itself did nothing:
    assert window.session.data == data
    assert [b.isChecked() for b in window.output_panel.checkboxes] == checked


@pytest.mark.parametrize("where", ["feature check box", "optimizer box", "noise slider",
                                   "Regenerate button"])
def test_delete_escape_and_edge_keys_work_from_any_control(qtbot, window, where):
    units = window.session.net.sizes[1]
    window.editor.select(Selection(1, 2))
    focus(qtbot, non_text_widgets(window)[where])
    press(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.session.net.sizes[1] == units - 1)
    window.editor.select(Selection(2, 0))
    press(qtbot, Qt.Key.Key_Escape)
    assert window.editor.selection() is None
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.network_view.edge_mode() == "gradient"
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.network_view.edge_mode() == "weight"


def test_a_text_field_keeps_its_keys_while_edited(qtbot, window):
    seed = window.data_panel.seed_spin
    window.editor.select(Selection(1, 2))
    units = window.session.net.sizes[1]
    focus(qtbot, seed)
    seed.findChild(QLineEdit).selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "42")
    press(qtbot, Qt.Key.Key_Space)
    assert not window.driver.running
    press(qtbot, Qt.Key.Key_Backspace)
    press(qtbot, Qt.Key.Key_Delete)
    assert seed.text() == "4"  # the field edited its text…
    assert window.session.net.sizes[1] == units  # …and no neuron went
    assert window.editor.selection() == Selection(1, 2)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.network_view.edge_mode() == "gradient"  # no field uses Ctrl+2


def test_enter_applies_a_field_and_gives_the_keys_back(qtbot, window):
    lr = window.hyper_panel.lr
    focus(qtbot, lr)
    lr.lineEdit().selectAll()
    qtbot.keyClicks(lr.lineEdit(), "0.3")
    press(qtbot, Qt.Key.Key_Return)
    assert window.session.trainer.lr == pytest.approx(0.3)
    qtbot.waitUntil(window.network_view.hasFocus)
    press(qtbot, Qt.Key.Key_Space)
    assert window.driver.running
    assert lr.currentText() == "0.3"


@pytest.mark.parametrize("field", ["seed", "points", "batch", "units", "bias"])
def test_enter_in_any_network_field_gives_the_keys_back(qtbot, window, field):
    if field == "bias":
        window.editor.select(Selection(1, 0))
    widget = {"seed": window.data_panel.seed_spin, "points": window.data_panel.n_spin,
              "batch": window.hyper_panel.batch, "units": window.architecture.cards[0].units,
              "bias": window.inspector.bias}[field]
    qtbot.waitUntil(widget.isVisible)
    focus(qtbot, widget)
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Enter)
    qtbot.waitUntil(window.network_view.hasFocus)


def test_escape_in_a_field_puts_the_value_back_and_gives_the_keys_back(qtbot, window):
    seed = window.data_panel.seed_spin
    window.editor.select(Selection(1, 2))
    before, text = window.session.data.seed, seed.text()
    focus(qtbot, seed)
    qtbot.keyClicks(QApplication.focusWidget(), "777")
    assert seed.text() != text
    press(qtbot, Qt.Key.Key_Escape)
    assert seed.text() == text
    qtbot.waitUntil(window.network_view.hasFocus)
    assert window.session.data.seed == before
    assert window.editor.selection() == Selection(1, 2)  # the first Escape only left the field
    press(qtbot, Qt.Key.Key_Escape)
    assert window.editor.selection() is None


def test_network_keys_leave_the_backprop_tab_alone(qtbot, window):
    units = window.session.net.sizes[1]
    window.editor.select(Selection(1, 2))
    window.tabs.setCurrentWidget(window.backprop)
    focus(qtbot, window.tabs.tabBar())
    press(qtbot, Qt.Key.Key_Delete)
    press(qtbot, Qt.Key.Key_Escape)
    assert window.session.net.sizes[1] == units
    assert window.editor.selection() == Selection(1, 2)
    press(qtbot, Qt.Key.Key_Space)  # Space trains on any tab
    assert window.driver.running
