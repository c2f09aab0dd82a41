"""The window's size and column widths: sized to the screen on a first start, then as the
user left them (QSettings, per user), and never larger than the screen it opens on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSettings, QSize, QTimer
from PySide6.QtWidgets import QMainWindow, QSplitter

GEOMETRY_KEY = "window/geometry"
SPLITTER_KEY = "window/columns"


def available_area(window: QMainWindow) -> QRect:
    """The screen area a window may use (without task bars and docks)."""
    screen = window.screen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 700)


def fit_inside(window: QMainWindow) -> None:
    """Shrink and move the window so that, frame included, it lies inside the available area
    (as far as its minimum size allows)."""
    area = available_area(window)
    frame = window.frameGeometry()
    inner = window.geometry()
    extra = QSize(max(frame.width() - inner.width(), 0), max(frame.height() - inner.height(), 0))
    width = min(inner.width(), area.width() - extra.width())
    height = min(inner.height(), area.height() - extra.height())
    if (width, height) != (inner.width(), inner.height()):
        window.resize(max(width, 1), max(height, 1))
        frame = window.frameGeometry()
    left = min(max(frame.left(), area.left()), max(area.right() - frame.width() + 1,
                                                      area.left()))
    top = min(max(frame.top(), area.top()), max(area.bottom() - frame.height() + 1,
                                                 area.top()))
    if (left, top) != (frame.left(), frame.top()):
        window.move(left, top)


def fill_available(window: QMainWindow) -> None:
    """A first start: the whole available area (the frame is taken off once it is known)."""
    window.setGeometry(available_area(window))


def restore(window: QMainWindow, splitter: QSplitter) -> bool:
    """Restore the saved geometry and column widths. False on a first start (or when what was
    saved cannot be read): the window then fills the screen, and the caller sets the column
    widths once the window is laid out (:func:`after_show`)."""
    settings = QSettings()
    geometry = settings.value(GEOMETRY_KEY)
    if not (geometry and window.restoreGeometry(geometry)):
        fill_available(window)
    fit_inside(window)
    columns = settings.value(SPLITTER_KEY)
    return bool(columns) and splitter.restoreState(columns)


def save(window: QMainWindow, splitter: QSplitter) -> None:
    settings = QSettings()
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(SPLITTER_KEY, splitter.saveState())


def after_show(window: QMainWindow, then: Callable[[], None] | None = None) -> None:
    """Once the window is shown and framed: pull it inside the screen, then call ``then``
    (which may size the columns: a splitter's sizes set before it is laid out are only
    proportions)."""
    def settle() -> None:
        fit_inside(window)
        if then is not None:
            then()
    QTimer.singleShot(0, window, settle)
