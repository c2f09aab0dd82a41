"""The window's files: points (CSV) now; projects, pictures, code, recovery and examples as
they come. Each helper lives in :mod:`playground.app.files` and is handed the driver's
``call`` and a way to speak; this module makes them for a window and their actions (the
menus are built in :mod:`window_actions`)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from playground.app.files.points_io import PointFiles
from playground.app.window_actions import make_action


def build_files(window: QMainWindow) -> None:
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
