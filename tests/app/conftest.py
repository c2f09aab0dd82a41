"""Window tests start where a user starts: a window shown and active, so keys reach it."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from playground.app.main_window import MainWindow
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    """Each test starts from a first start: its own empty per-user settings (window size,
    column widths, zoom), never the developer's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return tmp_path


@pytest.fixture
def show_active(qtbot):
    """``show_active(widget)`` shows it and waits until it is the active window."""

    def show(widget: QWidget) -> QWidget:
        widget.show()
        qtbot.waitExposed(widget)
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow)
        return widget

    return show


@pytest.fixture
def active_window(qtbot, show_active) -> MainWindow:
    """The main window on the circle data, shown and active, untrained."""
    win = MainWindow(Session(DataSettings(dataset="circle")))
    qtbot.addWidget(win)
    return show_active(win)


@pytest.fixture
def trained_window(active_window) -> MainWindow:
    """The same after three epochs, so "the weights are kept" means something."""
    active_window.session.trainer.run_epochs(3)
    active_window.driver.publish()
    return active_window
