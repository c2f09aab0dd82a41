"""Points from and to CSV files through the window: Import in the data panel and the File
menu, the dialog when the file leaves a choice, names in the legend and the network, export
and read back, and a bad file that changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from playground.app.files import dialogs
from playground.app.files.csv_dialog import CsvImportDialog, table_text
from playground.app.network.captions import output_name


@pytest.fixture
def choose_file(monkeypatch):
    """``choose_file(path)``: the next file dialog answers ``path``."""
    def answer(path) -> None:
        monkeypatch.setattr(dialogs, "ask_open", lambda *_: str(path))
        monkeypatch.setattr(dialogs, "ask_save", lambda *_: str(path))
    return answer


def when_modal(qtbot, act: Callable, seen: list) -> None:
    """Run ``act(widget)`` on the next modal dialog or message box, once it is shown."""
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(widget.text() if isinstance(widget, QMessageBox) else type(widget))
        act(widget)
    QTimer.singleShot(0, poll)


def press_ok(box) -> None:
    if isinstance(box, QMessageBox):
        box.accept()
    else:
        box.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def shown_texts(window) -> set[str]:
    return {item.text() for item in window.network_view.scene().items()
            if hasattr(item, "text") and callable(item.text)}


def test_a_csv_with_a_header_and_text_labels_loads_without_questions(
        qtbot, trained_window, choose_file, tmp_path):
    win = trained_window
    path = tmp_path / "flowers.csv"
    rows = ["x1,x2,species"] + [f"{i % 7 - 3},{i % 5 - 2},{['rose', 'iris', 'tulip'][i % 3]}"
                                for i in range(60)]
    path.write_text("\n".join(rows) + "\n")
    W1 = win.session.net.params["W1"].copy()
    choose_file(path)
    qtbot.mouseClick(win.data_panel.import_button, Qt.MouseButton.LeftButton)
    session = win.session
    assert session.data.dataset == "custom" and len(session.points) == 60
    assert session.points.class_names == ("iris", "rose", "tulip")
    assert session.net.sizes[-1] == 3
    np.testing.assert_array_equal(session.net.params["W1"], W1)   # weights kept
    assert win.output_panel.boundary.legend_names() == ("iris", "rose", "tulip")
    snap = win.snapshot()
    assert [output_name(snap, k) for k in range(3)] == ["iris", "rose", "tulip"]
    assert {"iris", "rose", "tulip"} <= shown_texts(win)
    assert "60 points" in win.statusBar().currentMessage()
    assert win.data_panel.own_points_button.isVisible()
    # undo goes back to the circle
    win.undo_action.trigger()
    assert session.data.dataset == "circle"


def test_a_csv_without_a_header_and_more_columns_asks_which(qtbot, active_window, choose_file,
                                                             tmp_path):
    win = active_window
    path = tmp_path / "measurements.txt"
    rng = np.random.default_rng(0)
    lines = [f"{i};{a:.3f};{b:.3f};{'yes' if a > b else 'no'};{c:.2f}".replace(".", ",")
             for i, (a, b, c) in enumerate(rng.uniform(-1, 1, (40, 3)))]
    path.write_text("\n".join(lines) + "\n")
    seen: list = []

    def choose(dialog: CsvImportDialog) -> None:
        assert not dialog.header.isChecked()
        assert dialog.delimiter.currentData() == ";"
        assert table_text(dialog)[0][0] == "0"
        dialog.x1.setCurrentIndex(1)
        dialog.x2.setCurrentIndex(2)
        dialog.label.setCurrentIndex(3)
        press_ok(dialog)

    when_modal(qtbot, choose, seen)
    choose_file(path)
    win.import_points_action.trigger()
    assert seen == [CsvImportDialog]
    points = win.session.points
    assert len(points) == 40 and points.class_names == ("no", "yes")
    first = lines[0].split(";")
    np.testing.assert_allclose(points.X[0], [float(first[1].replace(",", ".")),
                                             float(first[2].replace(",", "."))])


def test_numbers_as_labels_are_values_when_the_user_says_so(qtbot, active_window, choose_file,
                                                            tmp_path):
    win = active_window
    path = tmp_path / "heights.csv"
    path.write_text("x,y,z\n" + "".join(f"{i},{-i},{i % 4}\n" for i in range(30)))
    seen: list = []

    def regression(dialog: CsvImportDialog) -> None:
        assert dialog.kind.isEnabled() and dialog.kind.currentData() is False
        dialog.kind.setCurrentIndex(1)
        press_ok(dialog)

    when_modal(qtbot, regression, seen)
    choose_file(path)
    qtbot.mouseClick(win.data_panel.import_button, Qt.MouseButton.LeftButton)
    assert win.session.data.regression and win.session.points.regression
    assert win.session.net.sizes[-1] == 1 and win.session.net.loss.name == "mse"


def test_a_bad_file_says_why_and_changes_nothing(qtbot, trained_window, choose_file, tmp_path):
    win = trained_window
    path = tmp_path / "broken.csv"
    path.write_text("x1,x2,label\n1,2,a\n3,oops,b\n")
    before = (win.session.data, win.session.net.flat.copy())
    seen: list = []
    when_modal(qtbot, press_ok, seen)
    choose_file(path)
    win.import_points_action.trigger()
    assert len(seen) == 1 and "line 3" in seen[0] and "oops" in seen[0]
    assert win.session.data == before[0]
    np.testing.assert_array_equal(win.session.net.flat, before[1])


def test_exported_points_read_back_the_same(qtbot, active_window, choose_file, tmp_path):
    win = active_window
    win.edit_points("add", {"points": [[1.5, -2.25]], "label": 1})
    path = tmp_path / "mine.csv"
    choose_file(path)
    qtbot.mouseClick(win.data_panel.export_button, Qt.MouseButton.LeftButton)
    text = path.read_text().splitlines()
    assert text[0] == "x1,x2,label" and len(text) == len(win.session.points) + 1
    points = win.session.points
    seen: list = []
    when_modal(qtbot, press_ok, seen)   # numbers as labels: classes, as the dialog proposes
    choose_file(path)
    win.import_points_action.trigger()
    assert seen == [CsvImportDialog]
    again = win.session.points
    assert sorted(map(tuple, np.column_stack([again.X, again.y]).tolist())) == sorted(
        map(tuple, np.column_stack([points.X, points.y]).tolist()))


def test_the_training_process_reads_the_file(qtbot, show_active, choose_file, tmp_path):
    from playground.app.main_window import MainWindow
    from playground.core.session import Session
    from playground.core.settings import DataSettings

    win = MainWindow(Session(DataSettings("circle")), worker=True)
    qtbot.addWidget(win)
    show_active(win)
    path = tmp_path / "pets.csv"
    path.write_text("".join(f"{i / 10},{-i / 10},{'cat' if i % 2 else 'dog'}\n"
                            for i in range(50)))
    choose_file(path)
    win.import_points_action.trigger()
    snap = win.snapshot()
    assert snap.data.custom.class_names == ("cat", "dog") and snap.data.custom.count == 50
    assert len(snap.X_train) + len(snap.X_test) == 50
    win.edit_points("add", {"points": [[0.0, 0.0]], "label": 1})
    assert win.snapshot().data.custom.count == 51
    win.close()
