"""The dialog that asks how to read a CSV file of points, when the file leaves a choice.

It shows the first rows as the file would be read, and lets the user correct the delimiter
(comma, semicolon, tab) and whether the first row is a header, pick the x1, x2 and label
columns when there are more than three, and say whether numeric labels are classes or values
to fit (regression). Changing the delimiter or the header reads the file's layout again
through ``resniff`` (the training process reads files, never the window).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

DELIMITERS = ((",", "comma ,"), (";", "semicolon ;"), ("\t", "tab"))
Preview = dict[str, Any]
"""The fields of :class:`playground.data.CsvPreview`, as the service's ``sniff_csv`` gives
them."""


def needs_dialog(preview: Preview) -> bool:
    """Whether the user has a choice to make: more than three columns, or numeric labels
    (classes or values to fit?)."""
    return len(preview["columns"]) > 3 or preview["numeric"][preview["label"]]


class CsvImportDialog(QDialog):
    """How to read a CSV file: delimiter, header, the three columns, what the labels are."""

    def __init__(self, preview: Preview, resniff: Callable[[str, bool], Preview],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import points from {preview['name']}")
        self._resniff = resniff
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.delimiter = QComboBox()
        for value, text in DELIMITERS:
            self.delimiter.addItem(text, value)
        self.header = QCheckBox("The first row names the columns")
        self.x1, self.x2, self.label = QComboBox(), QComboBox(), QComboBox()
        self.kind = QComboBox()
        self.kind.addItem("classes", False)
        self.kind.addItem("values to fit (regression)", True)
        self.kind.setToolTip("Whole numbers may be class numbers or values; say which")
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(160)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Delimiter", self.delimiter)
        form.addRow("", self.header)
        form.addRow("x&1 column", self.x1)
        form.addRow("x&2 column", self.x2)
        form.addRow("&Label column", self.label)
        form.addRow("Labels &are", self.kind)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._show(preview)
        self.delimiter.currentIndexChanged.connect(self._layout_changed)
        self.header.toggled.connect(self._layout_changed)
        for box in (self.x1, self.x2, self.label):
            box.currentIndexChanged.connect(self._columns_changed)
        self.resize(560, 460)

    # ------------------------------------------------------------ showing
    def _show(self, preview: Preview) -> None:
        self.preview = preview
        blockers = [QSignalBlocker(w) for w in (self.delimiter, self.header, self.x1, self.x2,
                                                 self.label)]
        self.delimiter.setCurrentIndex(self.delimiter.findData(preview["delimiter"]))
        self.header.setChecked(preview["has_header"])
        columns = preview["columns"]
        for box, chosen in ((self.x1, preview["x1"]), (self.x2, preview["x2"]),
                            (self.label, preview["label"])):
            box.clear()
            box.addItems(list(columns))
            box.setCurrentIndex(chosen)
        many = len(columns) > 3
        for box in (self.x1, self.x2, self.label):
            box.setEnabled(many)
        del blockers
        self.kind.setCurrentIndex(1 if preview["suggest_regression"] else 0)
        rows = preview["rows"]
        self.summary.setText(f"<b>{preview['name']}</b>: {rows:,} row{'s' * (rows != 1)} of "
                             f"{len(columns)} columns. Pick the two coordinates and the label.")
        table = self.table
        table.clear()
        table.setColumnCount(len(columns))
        table.setHorizontalHeaderLabels(list(columns))
        table.setRowCount(len(preview["preview"]))
        for i, row in enumerate(preview["preview"]):
            for j, cell in enumerate(row):
                table.setItem(i, j, QTableWidgetItem(cell))
        self._columns_changed()

    def _columns_changed(self) -> None:
        numeric = self.preview["numeric"][self.label.currentIndex()]
        self.kind.setEnabled(numeric)
        if not numeric:
            self.kind.setCurrentIndex(0)
        chosen = {self.x1.currentIndex(), self.x2.currentIndex(), self.label.currentIndex()}
        numbers = all(self.preview["numeric"][box.currentIndex()] for box in (self.x1, self.x2))
        problem = ("Choose three different columns." if len(chosen) < 3 else
                   "" if numbers else "The x1 and x2 columns must hold numbers.")
        self._set_problem(problem)
        for j in range(self.table.columnCount()):
            role = {self.x1.currentIndex(): "x1", self.x2.currentIndex(): "x2",
                    self.label.currentIndex(): "label"}.get(j)
            name = self.preview["columns"][j]
            item = QTableWidgetItem(f"{name} → {role}" if role else name)
            self.table.setHorizontalHeaderItem(j, item)

    def _set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not text)

    def _layout_changed(self) -> None:
        try:
            preview = self._resniff(self.delimiter.currentData(), self.header.isChecked())
        except ValueError as exc:
            self._set_problem(str(exc))
            return
        self._show(preview)

    # ------------------------------------------------------------ result
    def choice(self) -> dict[str, Any]:
        """Keyword arguments for the service's ``import_csv``."""
        regression = self.kind.currentData() if self.kind.isEnabled() else None
        return {"columns": [self.x1.currentIndex(), self.x2.currentIndex(),
                            self.label.currentIndex()],
                "regression": regression, "delimiter": self.delimiter.currentData(),
                "header": self.header.isChecked()}


def table_text(dialog: CsvImportDialog) -> list[list[str]]:
    """The preview table's cells (for tests and for reading back what is shown)."""
    table = dialog.table
    return [[table.item(i, j).text() if table.item(i, j) else "" for j in
             range(table.columnCount())] for i in range(table.rowCount())]

