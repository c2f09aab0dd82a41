"""The Edit menu's side of network edits: every edit the window makes goes through here.

The core records edits and keeps the undo history (:mod:`playground.core.edits`); this
module performs a :class:`~playground.core.edits.Request` through the driver, so it lands
between training steps and the picture follows at once, reports a refusal as a sentence for
the status bar, and keeps the Undo and Redo actions' names and states as the latest snapshot
says.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from playground.app.driver import Driver
from playground.core.edits import Request
from playground.core.refusals import REFUSALS
from playground.core.snapshot import Snapshot

KEEP_TOLERANCE = 0.03
"""How far (probabilities or values) an added layer may move the outputs (README)."""


def _reason(exc: Exception) -> str:
    return str(exc.args[0]) if exc.args else str(exc)


class EditCommands(QObject):
    """``failed(str)`` carries a sentence for the status bar when an edit is refused."""

    failed = Signal(str)

    def __init__(self, driver: Driver, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._driver = driver
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.redo)
        for action in (self.undo_action, self.redo_action):
            action.setEnabled(False)
        self._sizes: tuple[int, ...] | None = None

    def perform(self, request: Request) -> bool:
        """Make an edit; True if it was made. An insert that cannot keep what the network
        computes (a layer narrower than the one feeding it) says by how much and asks first."""
        try:
            if self._narrow(request) and not self._keeps_enough(request):
                return False
            self._driver.perform(request)
        except REFUSALS as exc:
            self.failed.emit(f"{request.label}: not done, {_reason(exc)}")
            return False
        return True

    def _narrow(self, request: Request) -> bool:
        """An inserted layer with fewer units than the layer feeding it cannot pass
        everything on (every other addition keeps the outputs, README)."""
        units, layer = request.args.get("units"), request.args.get("layer")
        return (request.op == "insert_layer" and units is not None and self._sizes is not None
                and isinstance(layer, int) and 1 <= layer < len(self._sizes)
                and units < self._sizes[layer - 1])

    def _keeps_enough(self, request: Request) -> bool:
        change = self._driver.call("preview", request=request)
        if change <= KEEP_TOLERANCE:
            return True
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        answer = QMessageBox.question(
            parent, request.label,
            f"{request.label} changes what the network computes: its outputs move by up to "
            f"{change:.2g} on the training and test points. Make the edit anyway? (Ctrl+Z "
            "undoes it.)")
        return answer == QMessageBox.StandardButton.Yes

    def undo(self) -> None:
        try:
            self._driver.undo()
        except REFUSALS as exc:
            self.failed.emit(f"Undo: {_reason(exc)}")

    def redo(self) -> None:
        try:
            self._driver.redo()
        except REFUSALS as exc:
            self.failed.emit(f"Redo: {_reason(exc)}")

    def show_snapshot(self, snap: Snapshot) -> None:
        """Name what Undo and Redo would do now."""
        self._sizes = snap.sizes
        for action, verb, label in ((self.undo_action, "&Undo", snap.undo),
                                    (self.redo_action, "&Redo", snap.redo)):
            action.setText(f"{verb} {label}" if label else verb)
            action.setEnabled(label is not None)
