"""Edit ▸ Copy experiment in one window, Edit ▸ Paste experiment in another: the same set-up
with fresh weights; text that is not an experiment says so and changes nothing."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from playground.app.main_window import MainWindow
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings


def edit_menu_action(window: MainWindow, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_an_experiment_copied_in_one_window_pastes_into_another(qtbot, trained_window,
                                                                show_active):
    teacher = trained_window
    teacher.commands.perform(edits.set_activation(1, "relu", 0))
    teacher.configure({"lr": 0.1, "l2": 0.003})
    edit_menu_action(teacher, "Copy experiment").trigger()
    text = QApplication.clipboard().text()
    assert text.startswith("neural-playground:1?") and "lr=0.1" in text
    student = MainWindow(Session(DataSettings("spiral", classes=3)))
    qtbot.addWidget(student)
    show_active(student)
    edit_menu_action(student, "Paste experiment").trigger()
    theirs, mine = teacher.snapshot(), student.snapshot()
    assert mine.data == theirs.data and mine.settings == theirs.settings
    assert mine.shape == theirs.shape and mine.epoch == 0
    assert len(student.architecture.cards) == len(theirs.sizes) - 2
    assert "Experiment set up" in student.statusBar().currentMessage()


def test_text_that_is_not_an_experiment_says_so(qtbot, trained_window):
    win = trained_window
    QApplication.clipboard().setText("hello, class")
    before = (win.session.data, win.session.net.flat.copy())
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(0, answer)
    edit_menu_action(win, "Paste experiment").trigger()
    assert len(seen) == 1 and "not a Neural Playground experiment" in seen[0]
    assert win.session.data == before[0]
    np.testing.assert_array_equal(win.session.net.flat, before[1])
