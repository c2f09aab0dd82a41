"""The inline weight editor reads a decimal comma as a decimal point: 1,5 is 1.5, never 15."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from playground.app.network.inline_editor import InlineEditor


@pytest.fixture
def window(active_window):
    return active_window


@pytest.fixture
def editor(qtbot, show_active):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(300, 100)
    show_active(parent)
    line = InlineEditor(parent, 0.25, "Weight")
    line.open_at(QPoint(150, 50))
    qtbot.waitUntil(line.hasFocus)
    yield line  # (a yield keeps the parent, and so the editor, alive)


def type_and_commit(qtbot, line, text):
    committed = []
    line.committed.connect(committed.append)
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    return committed


@pytest.mark.parametrize(("typed", "shown", "value"), [
    ("1,5", "1.5", 1.5), ("-0,75", "-0.75", -0.75), ("2,5e-3", "2.5e-3", 2.5e-3),
    ("1.5", "1.5", 1.5), ("3", "3", 3.0),
])
def test_a_decimal_comma_is_read_as_a_decimal_point(qtbot, editor, typed, shown, value):
    editor.selectAll()
    qtbot.keyClicks(editor, typed)
    assert editor.text() == shown  # what is committed is what the student sees
    assert type_and_commit(qtbot, editor, "") == [value]


def test_a_pasted_decimal_comma_too(qtbot, editor):
    editor.selectAll()
    editor.insert("0,125")
    assert editor.text() == "0.125"
    assert type_and_commit(qtbot, editor, "") == [0.125]


def test_typing_1_comma_5_as_a_bias_in_the_window_sets_1_5(qtbot, window):
    view = window.network_view
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=view.mapFromScene(view.node_center(1, 0)))
    line = window.editor.inline_editor()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, "1,5")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert window.editor.inline_editor() is None
    assert window.session.net.params["b1"][0] == 1.5
