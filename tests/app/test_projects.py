"""Projects through the File menu, as a student uses them: Save shows the name in the title,
training marks it modified, Open in a fresh window gives the same state and the same
continuation, Open Recent remembers, New starts over, closing asks about unsaved work, a
double-clicked .nplay opens, and the work a crash left behind is offered back."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.app.files import dialogs
from playground.app.main import open_path
from playground.app.main_window import MainWindow
from playground.app.window_files import keep_work_safe
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture
def answers(monkeypatch):
    def set_answers(path) -> None:
        monkeypatch.setattr(dialogs, "ask_save", lambda *_: str(path))
        monkeypatch.setattr(dialogs, "ask_open", lambda *_: str(path))
    return set_answers


@pytest.fixture
def new_window(qtbot, show_active):
    def make(session: Session | None = None) -> MainWindow:
        win = MainWindow(session or Session(DataSettings("xor")))
        qtbot.addWidget(win)
        return show_active(win)
    return make


def when_modal(act, seen: list) -> None:
    """Run ``act(box)`` on the next modal dialog once it shows."""
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(box.text() if isinstance(box, QMessageBox) else type(box))
        act(box)
    QTimer.singleShot(0, poll)


def click(button):
    return lambda box: box.button(button).click()


def state(win: MainWindow) -> tuple:
    t = win.session.trainer
    return (win.session.data, win.session.settings, t.net.structure(), t.net.flat.tobytes(),
            t.step_count, t.epoch, tuple(t.history.train_loss), tuple(t.history.test_loss))


def test_save_names_the_window_and_training_marks_it_modified(qtbot, trained_window, answers,
                                                              tmp_path):
    win = trained_window
    assert win.windowTitle().startswith("Untitled")
    path = tmp_path / "lesson.nplay"
    answers(path)
    win.save_project_action.trigger()
    assert path.is_file()
    assert win.windowTitle().startswith("lesson.nplay") and not win.isWindowModified()
    win.step_batch_action.trigger()
    assert win.isWindowModified()
    win.save_project_action.trigger()   # saves where it was, no question
    assert not win.isWindowModified()
    win.output_panel.checkboxes[1].click()   # a view option is part of the project
    assert win.isWindowModified()


def test_a_saved_project_opens_identical_and_trains_on_identically(qtbot, new_window, answers,
                                                                   tmp_path):
    first = new_window(Session(DataSettings("spiral", classes=3), optimizer="adam"))
    first.commands.perform(edits.set_activation(1, "maxout", 2))
    first.configure({"dropout": 0.1, "l2": 0.001})
    first.session.trainer.run(123)   # stop mid-epoch
    first.driver.publish()
    first.set_edge_mode("gradient")
    path = tmp_path / "spiral.nplay"
    answers(path)
    first.save_project_action.trigger()
    second = new_window(Session(DataSettings("circle")))
    second.open_project_action.trigger()
    assert state(second) == state(first)
    assert second.network_view.edge_mode() == "gradient"
    assert second.windowTitle().startswith("spiral.nplay")
    for win in (first, second):
        for _ in range(3):
            win.step_epoch_action.trigger()
    assert state(second) == state(first)
    np.testing.assert_array_equal(second.snapshot().grid.output, first.snapshot().grid.output)


def test_open_recent_new_and_a_double_clicked_project(qtbot, trained_window, new_window,
                                                      answers, tmp_path):
    win = trained_window
    path = tmp_path / "recent.nplay"
    answers(path)
    win.save_project_action.trigger()
    saved = state(win)
    win.new_project_action.trigger()
    assert win.windowTitle().startswith("Untitled") and win.session.trainer.step_count == 0
    assert win.session.data == DataSettings()
    win.recent_menu.aboutToShow.emit()
    recent = [a for a in win.recent_menu.actions() if "recent.nplay" in a.text()]
    assert len(recent) == 1
    recent[0].trigger()
    assert state(win) == saved
    other = new_window()
    open_path(other, str(path))
    assert state(other) == saved


def test_closing_with_unsaved_work_asks_first(qtbot, trained_window, answers, tmp_path):
    win = trained_window
    win.project_files.ask_before_closing = True
    win.step_batch_action.trigger()
    seen: list = []
    when_modal(click(QMessageBox.StandardButton.Cancel), seen)
    win.close()
    assert seen and "Save the changes" in seen[0] and win.isVisible()
    path = tmp_path / "kept.nplay"
    answers(path)
    when_modal(click(QMessageBox.StandardButton.Save), seen)
    win.close()
    assert path.is_file() and not win.isVisible()


def test_a_bad_project_says_why_and_changes_nothing(qtbot, trained_window, answers, tmp_path):
    win = trained_window
    path = tmp_path / "broken.nplay"
    path.write_bytes(b"PK\x03\x04 not really")
    before = state(win)
    seen: list = []
    when_modal(lambda box: box.accept(), seen)
    answers(path)
    win.open_project_action.trigger()
    assert len(seen) == 1 and "broken.nplay" in seen[0]
    assert state(win) == before and win.windowTitle().startswith("Untitled")


def test_crash_recovery_round_trip(qtbot, new_window, tmp_path):
    folder = tmp_path / "recovery"
    crashed = new_window(Session(DataSettings("moons")))
    keep_work_safe(crashed, folder)          # nothing to offer yet
    crashed.session.trainer.run(321)
    crashed.driver.publish()
    assert crashed.project_files.modified
    assert crashed.recovery.save_now()       # what the minute timer does
    assert crashed.recovery.path.is_file()
    lost = state(crashed)
    crashed.recovery.timer.stop()
    crashed.recovery.lock.unlock()           # the process is gone: its lock is stale
    crashed.project_files.ask_before_closing = False
    seen: list = []
    when_modal(click(QMessageBox.StandardButton.Yes), seen)
    restarted = new_window(Session(DataSettings("circle")))
    keep_work_safe(restarted, folder)
    assert seen and "did not close properly" in seen[0]
    assert state(restarted) == lost
    assert restarted.windowTitle().startswith("Untitled") and restarted.isWindowModified()
    assert list(folder.glob("recovery-*.nplay")) == [restarted.recovery.path] or not list(
        p for p in folder.glob("recovery-*.nplay") if p != restarted.recovery.path)
    restarted.project_files.ask_before_closing = False
    restarted.close()
    crashed.close()
    assert not list(folder.glob("recovery-*.nplay"))   # clean closes leave nothing


def test_a_running_window_never_offers_its_own_file(qtbot, new_window, tmp_path):
    folder = tmp_path / "recovery"
    first = new_window()
    keep_work_safe(first, folder)
    first.session.trainer.run(10)
    first.driver.publish()
    assert first.recovery.save_now()
    second = new_window()
    keep_work_safe(second, folder)          # no question: the first window is alive
    assert first.recovery.path.is_file()
    for win in (first, second):
        win.project_files.ask_before_closing = False


def test_the_training_process_saves_and_opens_projects(qtbot, show_active, answers, tmp_path):
    win = MainWindow(Session(DataSettings("circle")), worker=True)
    qtbot.addWidget(win)
    show_active(win)
    win.step_epoch_action.trigger()
    win.edit_points("add", {"points": [[1.0, 2.0]], "label": 1})
    before = win.snapshot()
    path = tmp_path / "process.nplay"
    answers(path)
    win.save_project_action.trigger()
    win.new_project_action.trigger()
    assert win.snapshot().epoch == 0 and win.snapshot().data.dataset == "spiral"
    win.open_project_action.trigger()
    after = win.snapshot()
    assert after.epoch == before.epoch and after.data == before.data
    for key, value in before.params.items():
        np.testing.assert_array_equal(after.params[key], value)
    assert len(after.X_train) == len(before.X_train)
    win.close()


def test_an_unwritable_data_folder_only_turns_autosave_off(qtbot, new_window, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    win = new_window()
    keep_work_safe(win, blocker / "recovery")
    assert not win.recovery.timer.isActive()
    win.project_files.ask_before_closing = False
