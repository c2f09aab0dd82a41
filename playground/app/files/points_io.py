"""Points in and out of the window as CSV files: File ▸ Import points…, Export points….

The training process reads and writes the file (the service's ``sniff_csv``, ``import_csv``
and ``export_csv``); the window asks how to read it when the file leaves a choice
(:mod:`csv_dialog`), shows a wait cursor meanwhile, and says what came of it. A file that
cannot be read changes nothing and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from playground.app.files import dialogs
from playground.app.files.csv_dialog import CsvImportDialog, needs_dialog
from playground.core.refusals import FILE_REFUSALS

CSV_FILTER = "CSV files (*.csv *.tsv *.txt);;All files (*)"


class PointFiles:
    """Import and export of points for one window.

    ``call`` is the driver's ``call`` (a service action by name); ``say`` shows a line in the
    status bar.
    """

    def __init__(self, parent: QWidget, call: Callable[..., Any],
                 say: Callable[[str], None]) -> None:
        self.parent = parent
        self.call = call
        self.say = say

    def import_points(self, path: str | None = None) -> bool:
        """Ask for a CSV file (unless given), how to read it if there is a choice, and train
        on its points."""
        path = path or dialogs.ask_open(self.parent, "Import points", CSV_FILTER)
        if not path:
            return False
        try:
            with dialogs.busy():
                preview = self.call("sniff_csv", path=path)
            options: dict[str, Any] = {}
            if needs_dialog(preview):
                dialog = CsvImportDialog(
                    preview, lambda d, h: self.call("sniff_csv", path=path, delimiter=d,
                                                    header=h), self.parent)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return False
                options = dialog.choice()
            with dialogs.busy():
                message = self.call("import_csv", path=path, **options)
        except FILE_REFUSALS as exc:
            QMessageBox.warning(self.parent, "Could not import points", str(exc))
            return False
        dialogs.remember_folder(path)
        self.say(message)
        return True

    def export_points(self, path: str | None = None) -> bool:
        """Write the points shown to a CSV file (x1, x2, label)."""
        path = path or dialogs.ask_save(self.parent, "Export points", "points.csv",
                                        CSV_FILTER, ".csv")
        if not path:
            return False
        try:
            with dialogs.busy():
                written = self.call("export_csv", path=path)
        except FILE_REFUSALS as exc:
            QMessageBox.warning(self.parent, "Could not export points", f"{path}: {exc}")
            return False
        dialogs.remember_folder(path)
        self.say(f"Points written to {written}")
        return True
