"""The window's files: projects, points (CSV), pictures, code exports, recovery and
examples. Each helper lives in :mod:`playground.app.files` and is handed the driver's
``call`` and a way to speak; this module makes them for a window and their actions (the
menus are built in :mod:`window_actions`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow

from playground.app.files.examples import Examples, LessonNote
from playground.app.files.experiments import ExperimentClipboard
from playground.app.files.exports import Exports
from playground.app.files.points_io import PointFiles
from playground.app.files.project_files import ProjectFiles
from playground.app.files.recovery import Recovery, offer
from playground.app.ui.overlay import BottomOverlay
from playground.app.window_actions import make_action

PICTURES = (("boundary", "&Decision boundary…", "Decision boundary", "boundary"),
            ("loss", "&Loss curves…", "Loss curves", "loss"),
            ("gradients", "&Gradient norms…", "Gradient norms", "gradient-norms"),
            ("network", "&Network…", "Network", "network"))


def build_files(window: QMainWindow) -> None:
    """Make the window's file helpers and their actions (after the body is built: the lesson
    note floats over it)."""
    w = window

    def say(text: str) -> None:
        w.statusBar().showMessage(text, 8000)

    _project_actions(w, say)
    w.recovery = None
    """Autosave, once the app turns it on (:func:`keep_work_safe`)."""
    w.point_files = PointFiles(w, w.driver.call, say)
    w.data_panel.importRequested.connect(lambda: w.point_files.import_points())
    w.data_panel.exportRequested.connect(lambda: w.point_files.export_points())
    w.import_points_action = make_action(
        w, "&Import points (CSV)…", lambda: w.point_files.import_points(), None,
        "Train on points from a CSV file: x1, x2 and a label per row")
    w.export_points_action = make_action(
        w, "E&xport points (CSV)…", lambda: w.point_files.export_points(), None,
        "Write the points shown to a CSV file")
    out = w.output_panel
    views = {"boundary": out.boundary.plot, "loss": out.loss_plot, "gradients": out.grad_plot,
             "network": w.network_view}
    w.exports = Exports(w, w.driver.call, say,
                        {key: (title, views[key], stem) for key, _, title, stem in PICTURES})
    w.picture_actions = [
        make_action(w, text, lambda _=False, k=key: w.exports.save_picture(k), None,
                    f"Save the {title.lower()} as a PNG (at a chosen width) or SVG picture")
        for key, text, title, _ in PICTURES]
    w.export_python_action = make_action(
        w, "Export as &Python…", lambda: w.exports.export_python(), None,
        "One standalone NumPy script with the trained weights inside: predict(X) gives the "
        "app's outputs")
    w.export_torch_action = make_action(
        w, "Export for Py&Torch…", lambda: w.exports.export_torch(), None,
        "A PyTorch nn.Module script and the weights (.npz) it loads")
    w.experiments = ExperimentClipboard(w, w.driver.call, w.driver.pause, say)
    w.copy_experiment_action = make_action(
        w, "Copy e&xperiment", lambda: w.experiments.copy(), "Ctrl+Shift+C",
        "The data, network and training settings as one line of text (not the weights)")
    w.paste_experiment_action = make_action(
        w, "Paste experi&ment", lambda: w.experiments.paste(), "Ctrl+Shift+V",
        "Set up the experiment on the clipboard, with fresh weights")
    w.lesson_note = LessonNote()
    w.lesson_note_overlay = BottomOverlay(w.lesson_note, w.banner.parentWidget())
    w.examples = Examples(w, w.driver.call, w.driver.pause, say, w.lesson_note)
    for signal in (w.driver.diverged, w.driver.problem):  # the banner needs the room
        signal.connect(lambda _: w.lesson_note.hide())
    w.lesson_note_action = make_action(w, "&Lesson note", lambda: w.examples.show_note(), None,
                                       "Show the open lesson's note again")


def _view(w: QMainWindow) -> dict:
    """The view options a project keeps (the theme and zoom are the user's, not the
    project's)."""
    out = w.output_panel
    return {"edges": w.network_view.edge_mode(), "show_test": out.show_test_action.isChecked(),
            "discretize": out.discretize_action.isChecked(),
            "log_loss": out.log_loss_action.isChecked()}


def _set_view(w: QMainWindow, view: dict) -> None:
    out = w.output_panel
    if view.get("edges") in ("weight", "gradient"):
        w.set_edge_mode(view["edges"])
    for key, action in (("show_test", out.show_test_action),
                        ("discretize", out.discretize_action), ("log_loss", out.log_loss_action)):
        if isinstance(view.get(key), bool):
            action.setChecked(view[key])


def _project_actions(w: QMainWindow, say) -> None:
    files = w.project_files = ProjectFiles(w, w.driver.call, w.driver.pause, say, w.snapshot,
                                           lambda: _view(w), lambda view: _set_view(w, view))
    w.driver.snapshotReady.connect(files.saw)
    out = w.output_panel
    for action in (out.show_test_action, out.discretize_action, out.log_loss_action,
                   w.weight_edges_action, w.gradient_edges_action):
        action.toggled.connect(lambda _=False: files.set_modified(True))
    w.new_project_action = make_action(w, "&New", lambda: files.new(), "Ctrl+N",
                                       "A fresh playground (the default set-up)")
    w.open_project_action = make_action(w, "&Open…", lambda: files.open(), "Ctrl+O",
                                        "Open a project (.nplay)")
    w.save_project_action = make_action(w, "&Save", lambda: files.save(), "Ctrl+S",
                                        "Save everything: network, weights, optimizer, data, "
                                        "settings and the loss history")
    w.save_project_as_action = make_action(w, "Save &As…", lambda: files.save_as(),
                                           "Ctrl+Shift+S", "Save the project under a new name")


def keep_work_safe(w: QMainWindow, folder: Path) -> None:
    """What the app (not a test) turns on: ask before unsaved work is lost, autosave it to
    ``folder`` every minute, and offer the work a crash left there."""
    w.project_files.ask_before_closing = True
    offer(w, folder, w.project_files.recover)
    w.recovery = Recovery(w, folder, lambda path: w.driver.call("save_project", path=path,
                                                                view=_view(w)),
                          lambda: w.project_files.modified)
    w.recovery.start()


class FileOpener(QObject):
    """macOS hands a file double-clicked in the Finder to the running app as a FileOpen
    event; ``open_file(path)`` opens it."""

    def __init__(self, parent: QObject, open_file: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.open_file = open_file

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen:
            self.open_file(event.file())
            return True
        return False
