"""Asking for a file name, remembering the folder, and a busy cursor while a file is read.

Every file action of the window asks through :func:`ask_open` and :func:`ask_save`, so the
last folder used is offered next time (per user, in ``QSettings``) and tests can stand in for
the platform's file dialog in one place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QWidget

FOLDER_KEY = "last_dir"


def last_folder() -> Path:
    return Path(str(QSettings().value(FOLDER_KEY, str(Path.home()))))


def remember_folder(path: str) -> None:
    QSettings().setValue(FOLDER_KEY, str(Path(path).parent))


def ask_open(parent: QWidget, title: str, filters: str) -> str | None:
    """A file to open, or None if the user cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, str(last_folder()), filters)
    return path or None


def ask_save(parent: QWidget, title: str, name: str, filters: str,
             suffix: str | None = None) -> str | None:
    """Where to save, with ``suffix`` added when the user typed a bare name; None if
    cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(last_folder() / name), filters)
    if not path:
        return None
    if suffix and not Path(path).suffix:
        path += suffix
    return path


@contextlib.contextmanager
def busy() -> Iterator[None]:
    """A wait cursor while the training process reads or writes a file for the window."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def ask_width(parent: QWidget, default: int, low: int, high: int) -> int | None:
    """The width in pixels of a picture to save; None if cancelled."""
    width, ok = QInputDialog.getInt(parent, "Picture size", "Width in pixels (the height "
                                    "keeps the picture's shape):", default, low, high, 100)
    return width if ok else None
