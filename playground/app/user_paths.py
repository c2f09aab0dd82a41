"""Where the app keeps what it writes: the user's own folders, never beside the program.

An installed copy lives in a read-only folder (/opt/neural-playground, Program Files, an .app)
shared by every user of the machine, so settings (window size, zoom, recent files, last
folder) go to ``QSettings`` (one file or registry key per user) and recovery files to the
per-user data folder Qt names for this platform. The names set here decide both places, so
they are set once, before the first ``QSettings`` is made.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from PySide6.QtGui import QGuiApplication

ORGANIZATION = "neural-playground"
DOMAIN = "neural-playground.org"
"""macOS names the settings file after it: org.neural-playground.neural-playground.plist."""
APPLICATION = "neural-playground"
DESKTOP_FILE = "neural-playground"
"""The .desktop entry's name: Wayland shows its icon and name for the window."""


def identify_application(app: QCoreApplication) -> None:
    """Name the application so settings and data land in its per-user folders."""
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain(DOMAIN)
    app.setApplicationName(APPLICATION)
    if isinstance(app, QGuiApplication):
        app.setDesktopFileName(DESKTOP_FILE)


def settings_location() -> str:
    """The file (Linux, macOS) or registry key (Windows) that holds this user's settings."""
    return QSettings().fileName()


def data_dir(*, create: bool = True) -> Path:
    """This user's data folder for the app (recovery files), made on demand.

    ~/.local/share/neural-playground/neural-playground on Linux,
    %APPDATA%\\neural-playground\\neural-playground on Windows,
    ~/Library/Application Support/neural-playground/neural-playground on macOS.
    """
    path = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path
