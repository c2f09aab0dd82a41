"""The window as a document: File ▸ New, Open, Open Recent, Save, Save As; the file name and
a modified mark in the title; a question before unsaved work is lost.

The training process reads and writes project files (the service's ``new_project``,
``open_project`` and ``save_project``); this module keeps track of which file the window
shows and whether anything changed since it was saved: training, an edit, a setting or a
view option (what a project holds). The recent list is per user, in ``QSettings``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from playground.app.files import dialogs
from playground.core.refusals import FILE_REFUSALS
from playground.core.snapshot import Snapshot

PROJECT_FILTER = "Neural Playground project (*.nplay);;All files (*)"
SUFFIX = ".nplay"
RECENT_KEY = "recent_projects"
MAX_RECENT = 8
APP = "Neural Playground"


def state_mark(snap: Snapshot) -> tuple:
    """What a project saves, as much as tells whether it changed (weights by checksum)."""
    weights = 0
    for value in snap.params.values():
        weights = zlib.crc32(value.tobytes(), weights)
    return (snap.step, snap.epoch, snap.data_version, snap.data, snap.settings, snap.shape,
            snap.undo, snap.redo, weights)


def recent_files() -> list[str]:
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a one-item list back as a string
        value = [value]
    return [str(v) for v in value or []][:MAX_RECENT]


def _remember_recent(path: str) -> None:
    path = str(Path(path).resolve())
    QSettings().setValue(RECENT_KEY, [path, *(p for p in recent_files() if p != path)][
        :MAX_RECENT])


def _forget_recent(path: str) -> None:
    QSettings().setValue(RECENT_KEY, [p for p in recent_files() if p != path])


class ProjectFiles:
    """One window's project file.

    ``call`` is the driver's ``call``, ``pause`` stops training, ``say`` shows a status line,
    ``snapshot`` gives the latest snapshot; ``get_view`` / ``set_view`` read and apply the
    view options a project keeps.
    """

    def __init__(self, window: QWidget, call: Callable[..., Any], pause: Callable[[], None],
                 say: Callable[[str], None], snapshot: Callable[[], Snapshot | None],
                 get_view: Callable[[], dict], set_view: Callable[[dict], None]) -> None:
        self.window = window
        self.call = call
        self.pause = pause
        self.say = say
        self.snapshot = snapshot
        self.get_view = get_view
        self.set_view = set_view
        self.path: str | None = None
        self.modified = False
        self.ask_before_closing = False
        """Set by the app: tests close windows with unsaved work without a question."""
        self._saved: tuple | None = None
        self._show_title()

    # ------------------------------------------------------------ state
    def saw(self, snap: Snapshot) -> None:
        """A new snapshot: anything that changed since the save makes the work unsaved."""
        if self._saved is None:
            self._saved = state_mark(snap)
        elif not self.modified and state_mark(snap) != self._saved:
            self.set_modified(True)

    def set_modified(self, modified: bool = True) -> None:
        if modified != self.modified:
            self.modified = modified
            self._show_title()

    def _saved_now(self, path: str | None) -> None:
        self.path = path
        snap = self.snapshot()
        self._saved = state_mark(snap) if snap is not None else None
        self.modified = False
        self._show_title()
        if path is not None:
            _remember_recent(path)
            dialogs.remember_folder(path)

    def title(self) -> str:
        name = Path(self.path).name if self.path else "Untitled"
        return f"{name}[*] — {APP}"

    def _show_title(self) -> None:
        self.window.setWindowTitle(self.title())
        self.window.setWindowModified(self.modified)

    # ------------------------------------------------------------ actions
    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self.pause()
        self.call("new_project")
        self._saved_now(None)
        self.say("A new playground")
        return True

    def open(self, path: str | None = None) -> bool:
        """Open ``path`` (or ask for one); the current work is offered for saving first."""
        if not self.maybe_save():
            return False
        path = path or dialogs.ask_open(self.window, "Open project", PROJECT_FILTER)
        return bool(path) and self._open(path)

    def recover(self, path: str) -> bool:
        """Open a recovery file as unsaved, untitled work."""
        if not self._open(path, recovered=True):
            return False
        self.say("Recovered the unsaved work; save it to keep it")
        return True

    def _open(self, path: str, recovered: bool = False) -> bool:
        self.pause()
        try:
            with dialogs.busy():
                opened = self.call("open_project", path=path)
        except FILE_REFUSALS as exc:
            QMessageBox.warning(self.window, "Could not open the project", str(exc))
            if not Path(path).exists():
                _forget_recent(str(Path(path).resolve()))
            return False
        self.set_view(opened.get("view", {}))
        self._saved_now(None if recovered else path)
        if recovered:
            self.set_modified(True)
        else:
            self.say(f"Opened {Path(path).name}: {opened.get('summary', '')}")
        return True

    def save(self) -> bool:
        return self.save_as() if self.path is None else self._save(self.path)

    def save_as(self) -> bool:
        name = Path(self.path).name if self.path else f"playground{SUFFIX}"
        path = dialogs.ask_save(self.window, "Save project", name, PROJECT_FILTER, SUFFIX)
        return bool(path) and self._save(path)

    def _save(self, path: str) -> bool:
        try:
            with dialogs.busy():
                self.call("save_project", path=path, view=self.get_view())
        except FILE_REFUSALS as exc:
            QMessageBox.warning(self.window, "Could not save the project", str(exc))
            return False
        self._saved_now(path)
        self.say(f"Saved {path}")
        return True

    def maybe_save(self) -> bool:
        """Whether the current work may go: saved, or the user said so."""
        if not (self.modified and self.ask_before_closing):
            return True
        name = Path(self.path).name if self.path else "this playground"
        answer = QMessageBox.question(
            self.window, "Unsaved work", f"Save the changes to {name} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def fill_recent(self, menu: QMenu) -> None:
        """The Open Recent menu, rebuilt each time it opens."""
        menu.clear()
        paths = recent_files()
        for number, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{number}  {Path(path).name}")
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open(p))
        if not paths:
            menu.addAction("No recent projects").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear the list").triggered.connect(
                lambda: QSettings().setValue(RECENT_KEY, []))
