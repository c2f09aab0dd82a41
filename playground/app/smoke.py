"""``--smoke-test``: proof that an installed copy works, for CI and for lab administrators.

It opens the main window, trains at least 200 steps on the circle data through the window's
own driver (so the plots draw every frame), checks that the loss fell, then saves the weights
to a temporary ``.npz`` and reads them back. It ends with one line, ``SMOKE OK ...`` or
``SMOKE FAILED: why``. A watchdog fails it after ``timeout`` seconds, so a broken install
never hangs CI, and an exception raised in any slot meanwhile fails it too.

It touches only the window's public surface: ``show``, ``driver.publish/play/pause`` and the
driver's ``snapshotReady`` / ``diverged`` signals. The losses and weights come from the
published snapshots, never from the live trainer, so it keeps working when training moves to
another thread or process.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.core.snapshot import Snapshot
from playground.io.weights import read_weights, save_weights

if TYPE_CHECKING:
    from playground.app.main_window import MainWindow

DATASET = "circle"


def smoke_session() -> Session:
    """The session the smoke test trains: the app's defaults on the circle data."""
    return Session(DataSettings(dataset=DATASET))


def training_loss(snap: Snapshot) -> float:
    """The data loss over the snapshot's training points, with the snapshot's weights."""
    loss, _ = snap.network().loss_and_grads(snap.train_inputs(), snap.y_train)
    return float(loss)


def round_trip_weights(snap: Snapshot) -> str | None:
    """Save the snapshot's network to a temporary .npz and read it back; None if all agree."""
    net = snap.network()
    with tempfile.TemporaryDirectory(prefix="neural-playground-smoke-") as folder:
        path = save_weights(Path(folder) / "smoke.npz", net, features=snap.features)
        loaded = read_weights(path)
    differing = [key for key, value in net.params.items()
                 if not np.array_equal(value, loaded.network.params[key])]
    if differing:
        return f"weights read back differ in {', '.join(differing)}"
    if list(loaded.features or ()) != list(snap.features):
        return f"features read back as {loaded.features}, saved {list(snap.features)}"
    X = snap.train_inputs()
    if not np.allclose(net.forward(X), loaded.network.forward(X)):
        return "the network read back computes something else"
    return None


class SmokeTest(QObject):
    """Drives one shown main window through the smoke test; ``finished(ok, message)`` ends it."""

    finished = Signal(bool, str)

    def __init__(self, window: MainWindow, *, steps: int = 200, timeout: float = 60.0) -> None:
        super().__init__(window)
        self.window = window
        self.steps = steps
        self.timeout = timeout
        self._start: tuple[int, float] | None = None  # (step, loss) before training
        self._last_step = 0
        self._done = False
        self._connected = False
        self._previous_hook = sys.excepthook
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._timed_out)
        self._window_check = QTimer(self)
        self._window_check.setInterval(20)
        self._window_check.timeout.connect(self._wait_for_window)

    def start(self) -> None:
        """Begin once the window is on screen; every later step runs from the event loop."""
        sys.excepthook = self._uncaught
        self._watchdog.start(int(self.timeout * 1000))
        self._window_check.start()

    # ------------------------------------------------------------- stages
    def _wait_for_window(self) -> None:
        handle = self.window.windowHandle()
        if not (self.window.isVisible() and handle is not None and handle.isExposed()):
            return
        self._window_check.stop()
        driver = self.window.driver
        driver.snapshotReady.connect(self._snapshot)
        driver.diverged.connect(self._diverged)
        self._connected = True
        driver.publish()  # the untrained network: the loss to beat
        driver.play()

    def _snapshot(self, snap: Snapshot) -> None:
        try:
            if self._start is None:
                self._start = (snap.step, training_loss(snap))
                return
            self._last_step = snap.step
            if snap.step - self._start[0] >= self.steps:
                self._check(snap)
        except Exception as exc:  # anything at all must end in a message, not a hang
            self._finish(False, _describe(exc))

    def _check(self, snap: Snapshot) -> None:
        self._disconnect()
        self.window.driver.pause()
        start_step, before = self._start
        after = training_loss(snap)
        trained = snap.step - start_step
        if not (np.isfinite(after) and after < before):
            self._finish(False, f"the loss did not fall in {trained} steps on {DATASET}: "
                                f"{before:.4f} before, {after:.4f} after")
            return
        problem = round_trip_weights(snap)
        if problem:
            self._finish(False, problem)
            return
        self._finish(True, f"trained {trained} steps on {DATASET}, loss {before:.3f} → "
                           f"{after:.3f}; weights saved to a temporary .npz and read back")

    def _diverged(self, divergence) -> None:
        self._finish(False, f"training diverged: {divergence.message}")

    def _timed_out(self) -> None:
        done = self._last_step - self._start[0] if self._start else 0
        where = ("the window never appeared" if self._start is None
                 else f"trained {done} of {self.steps} steps")
        self._finish(False, f"timed out after {self.timeout:g} s: {where}")

    def _uncaught(self, kind, value, tb) -> None:
        self._previous_hook(kind, value, tb)
        self._finish(False, "uncaught " + "".join(traceback.format_exception_only(kind, value))
                     .strip())

    # ------------------------------------------------------------- ending
    def _disconnect(self) -> None:
        if self._connected:
            self._connected = False
            self.window.driver.snapshotReady.disconnect(self._snapshot)
            self.window.driver.diverged.disconnect(self._diverged)

    def _finish(self, ok: bool, message: str) -> None:
        if self._done:
            return
        self._done = True
        self._watchdog.stop()
        self._window_check.stop()
        sys.excepthook = self._previous_hook
        self._disconnect()
        self.window.driver.pause()
        self.finished.emit(ok, f"SMOKE OK: {message}" if ok else f"SMOKE FAILED: {message}")


def _describe(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"
