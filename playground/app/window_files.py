"""The window's files: points (CSV) now; projects, pictures, code, recovery and examples as
they come. Each helper lives in :mod:`playground.app.files` and is handed the driver's
``call`` and a way to speak; this module makes them for a window and their actions (the
menus are built in :mod:`window_actions`)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from playground.app.files.examples import Examples, LessonNote
from playground.app.files.experiments import ExperimentClipboard
from playground.app.files.exports import Exports
from playground.app.files.points_io import PointFiles
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
