"""Help ▸ About: which version this is, what it runs on, its licence and where it keeps files.

The version comes from the installed package's metadata (what pip, the .deb and the bundle
ship), falling back to ``playground.__version__`` in a bare source checkout. The versions of
NumPy, Qt, PySide6 and pyqtgraph are the ones actually loaded, so a student's bug report can
be answered from one copied block of text.
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import numpy as np
import PySide6
from PySide6.QtCore import QSysInfo, Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import playground
from playground.app.user_paths import data_dir, settings_location

import pyqtgraph as pg  # isort: skip  (after PySide6 so pyqtgraph binds to it)

DISTRIBUTION = "neural-playground"
ICON_FILE = Path(__file__).resolve().parent / "resources" / "neural-playground.svg"


def app_icon() -> QIcon:
    """The app's icon (window, task bar, this dialog), drawn from its SVG at any size."""
    return QIcon(str(ICON_FILE))


def app_version() -> str:
    """The installed package's version, or the source tree's when nothing is installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return playground.__version__


def app_license() -> str:
    """The licence the package declares (MIT)."""
    try:
        meta = metadata.metadata(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "MIT"
    return meta.get("License-Expression") or meta.get("License") or "MIT"


def version_rows() -> list[tuple[str, str]]:
    """(name, version) of the app and of everything it runs on, in the order shown."""
    return [
        ("Neural Playground", app_version()),
        ("Python", platform.python_version()),
        ("NumPy", np.__version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("pyqtgraph", pg.__version__),
        ("System", QSysInfo.prettyProductName()),
    ]


def version_text() -> str:
    """The rows as plain text, one per line, for the clipboard."""
    return "\n".join(f"{name} {value}" for name, value in version_rows())


class AboutDialog(QDialog):
    """What the app is, the versions it runs on, its licence and this user's folders."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Neural Playground")
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(72, 72))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title_label = title = QLabel(f"<h2>Neural Playground {app_version()}</h2>"
                       "<p>Build a fully connected network, train it on 2D data and watch "
                       "backpropagation work. After the CS231n lecture on backpropagation.</p>")
        title.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addWidget(title, 1)

        self.version_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for row, (name, value) in enumerate(version_rows()[1:]):
            grid.addWidget(QLabel(name), row, 0)
            self.version_labels[name] = self._selectable(value)
            grid.addWidget(self.version_labels[name], row, 1)
        self.license_label = QLabel(f"Free software under the <b>{app_license()}</b> licence.")
        self.folders_label = self._selectable(
            f"Settings: {settings_location()}<br>Data: {data_dir(create=False)}")
        self.folders_label.setToolTip("This user's own files; the app never writes beside "
                                      "itself, so it runs from a read-only install")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.copy_button = QPushButton("Copy &versions")
        self.copy_button.setToolTip("Copy the versions above, e.g. for a bug report")
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(version_text()))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addWidget(self.license_label)
        layout.addWidget(self.folders_label)
        layout.addWidget(buttons)

    @staticmethod
    def _selectable(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label


def show_about(parent: QWidget) -> AboutDialog:
    """Open the About dialog over ``parent`` without blocking; it deletes itself when closed."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
