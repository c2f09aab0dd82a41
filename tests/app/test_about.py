"""Help ▸ About: opened from the menu, it shows the versions the app really runs on."""

from importlib import metadata

import numpy as np
import pyqtgraph as pg
import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication, QDialogButtonBox

import playground
from playground.app import about
from playground.app.about import AboutDialog
from playground.app.user_paths import data_dir, settings_location

# The offscreen platform cannot raise a popup menu or let it grab the keyboard; it says so.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _open_about(window, qtbot) -> AboutDialog:
    """Alt+H opens the Help menu, A picks "About Neural Playground", as a user would."""
    help_menu = next(action.menu() for action in window.menuBar().actions()
                     if action.text() == "&Help")
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(help_menu.isVisible)
    qtbot.keyClick(help_menu, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: window.findChild(AboutDialog) is not None
                    and window.findChild(AboutDialog).isVisible())
    return window.findChild(AboutDialog)


def test_about_from_the_help_menu_shows_the_versions_in_use(active_window, qtbot):
    dialog = _open_about(active_window, qtbot)
    assert dialog.windowTitle() == "About Neural Playground"
    assert f"Neural Playground {metadata.version('neural-playground')}" in (
        dialog.title_label.text())
    shown = {name: label.text() for name, label in dialog.version_labels.items()}
    assert shown["NumPy"] == np.__version__
    assert shown["Qt"] == qVersion()
    assert shown["PySide6"] == PySide6.__version__
    assert shown["pyqtgraph"] == pg.__version__
    assert "MIT" in dialog.license_label.text()
    folders = dialog.folders_label.text()
    assert settings_location() in folders and str(data_dir(create=False)) in folders


def test_close_button_closes_it(active_window, qtbot):
    dialog = _open_about(active_window, qtbot)
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: active_window.findChild(AboutDialog) is None)


def test_escape_closes_it(active_window, qtbot):
    dialog = _open_about(active_window, qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: active_window.findChild(AboutDialog) is None)


def test_copy_versions_puts_every_version_on_the_clipboard(active_window, qtbot):
    dialog = _open_about(active_window, qtbot)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    text = QApplication.clipboard().text()
    assert f"NumPy {np.__version__}" in text
    assert f"Qt {qVersion()}" in text
    assert text.splitlines()[0] == f"Neural Playground {about.app_version()}"
    dialog.close()


def test_version_falls_back_to_the_source_tree_without_package_metadata(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    monkeypatch.setattr(metadata, "metadata", missing)
    assert about.app_version() == playground.__version__
    assert about.app_license() == "MIT"


def test_the_window_has_the_app_icon(active_window):
    icon = active_window.windowIcon()
    assert not icon.isNull()
    image = icon.pixmap(48, 48).toImage()
    assert image.width() == 48
    assert image.pixelColor(24, 24).alpha() == 255  # drawn, not a blank square
