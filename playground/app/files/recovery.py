"""Autosave and crash recovery: unsaved work is written every minute to a recovery file in the
user's data folder (never beside the program), and offered back on the next start if the
app did not close properly.

Each running window owns one recovery file and holds a lock beside it (``QLockFile``, which
knows a lock whose process is gone). A clean close removes both; a crash leaves the file and
a stale lock, and the next start offers the file. Two windows open at once never offer each
other's files: a live lock is skipped.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDateTime, QLockFile, QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

INTERVAL_MS = 60_000
PREFIX = "recovery-"
SUFFIX = ".nplay"


def _lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path.with_suffix(".lock")))
    lock.setStaleLockTime(0)  # a lock whose process is gone is stale at once
    return lock


class Recovery(QObject):
    """Autosave of one window. ``save(path)`` writes the project (the service's
    ``save_project``); ``modified()`` says whether there is unsaved work."""

    def __init__(self, parent: QObject, folder: Path, save: Callable[[str], object],
                 modified: Callable[[], bool], interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.folder = folder
        self.save = save
        self.modified = modified
        self.path = folder / f"{PREFIX}{uuid.uuid4().hex[:12]}{SUFFIX}"
        self.lock = _lock(self.path)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.saved_at: float | None = None

    def start(self) -> bool:
        """Start autosaving; False (and no autosave) if the data folder cannot be made."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        self.lock.tryLock(0)
        self.timer.start()
        return True

    def save_now(self) -> bool:
        """Write the recovery file if there is unsaved work; a failure only skips this time."""
        if not self.modified():
            return False
        try:
            self.save(str(self.path))
        except (ValueError, OSError):
            return False
        self.saved_at = QDateTime.currentSecsSinceEpoch()
        return True

    def finish(self) -> None:
        """A clean close: nothing to recover."""
        self.timer.stop()
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        self.lock.unlock()


def orphans(folder: Path) -> list[tuple[Path, QLockFile]]:
    """Recovery files left by windows that did not close properly, newest first, each with
    its lock now held by us (so no other window offers it too)."""
    found = []
    if not folder.is_dir():
        return found
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        lock = _lock(path)
        if lock.tryLock(0):
            found.append((path, lock))
    return sorted(found, key=lambda item: item[0].stat().st_mtime, reverse=True)


def offer(parent: QWidget, folder: Path, open_project: Callable[[str], bool]) -> bool:
    """After a crash: ask whether to recover the newest unsaved work; returns whether it was.
    Every orphan is removed once answered (the recovered work lives on in this window)."""
    found = orphans(folder)
    if not found:
        return False
    path, _ = found[0]
    when = QDateTime.fromSecsSinceEpoch(int(path.stat().st_mtime)).toString(
        "dddd d MMMM, hh:mm")
    answer = QMessageBox.question(
        parent, "Recover unsaved work?",
        f"Neural Playground did not close properly last time. Recover the work it saved on "
        f"{when}?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes)
    recovered = answer == QMessageBox.StandardButton.Yes and open_project(str(path))
    for orphan, lock in found:
        with contextlib.suppress(OSError):
            os.remove(orphan)
        lock.unlock()
    return recovered
