"""The one bridge between the core and the window: paces training, runs every action the user
takes, and publishes snapshots.

Training runs in the GUI thread in time-budgeted slices (a zero-interval QTimer): each frame
trains for what is left of the frame period after the last frame's drawing, then publishes one
:class:`~playground.core.snapshot.Snapshot`. Actions therefore always land between two steps,
and no thread fights the GUI for the GIL, which on a small network is most of the work. Every
action is a :class:`~playground.runner.service.Service` call published at once, so the
picture never shows a network the trainer no longer has; a refused action raises (ValueError,
IndexError, KeyError) and changes nothing.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from playground.core.edits import Request
from playground.core.session import Session
from playground.runner.service import Service

SPEEDS: dict[str, float | None] = {"Slow": 5.0, "Normal": 30.0, "Fast": 300.0, "Max": None}
"""Epochs per second for each speed setting; None trains as fast as the machine allows."""


class TrainingDriver(QObject):
    snapshotReady = Signal(object)
    runningChanged = Signal(bool)
    diverged = Signal(object)
    rateChanged = Signal(float)

    def __init__(self, session: Session, parent: QObject | None = None, *,
                 frame_rate: float = 36.0, resolution: int = 100) -> None:
        super().__init__(parent)
        self.service = Service(session)
        self.session = session
        self.resolution = resolution
        self.frame_period = 1.0 / frame_rate
        self.speed: float | None = SPEEDS["Normal"]
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._stopped = False
        self._last_tick = 0.0
        self._overhead = 0.01
        self._last_trained = 0.0
        self._owed_epochs = 0.0
        self._recent: deque[tuple[float, int]] = deque()
        self.frame_times: deque[float] = deque(maxlen=2000)

    # ------------------------------------------------------------ control
    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if self.running or self._stopped:
            return
        self.service.resume()
        self._last_tick = time.perf_counter()
        self._last_trained = 0.0
        self._owed_epochs = 0.0
        self._timer.start()
        self.runningChanged.emit(True)

    def pause(self) -> None:
        if not self.running:
            return
        self._timer.stop()
        self.runningChanged.emit(False)
        self.publish()

    def toggle(self) -> None:
        self.pause() if self.running else self.play()

    def set_speed(self, name: str) -> None:
        self.speed = SPEEDS[name]

    def step_epoch(self) -> None:
        self.pause()
        self.service.step_epoch()
        self._after_training()

    def step_batch(self) -> None:
        self.pause()
        self.service.step_batch()
        self._after_training()

    # ------------------------------------------------------------ actions
    def call(self, name: str, **kwargs: Any) -> Any:
        """Run a :class:`~playground.runner.service.Service` action now and show its result."""
        result = self.service.call(name, **kwargs)
        self.publish()
        return result

    def reset(self) -> None:
        self.call("reset")

    def configure(self, **changes: Any) -> None:
        """Data and training settings (see :meth:`Session.configure`)."""
        self.call("configure", **changes)

    def perform(self, request: Request) -> str:
        """An undoable network edit; returns its name."""
        return self.call("perform", request=request)

    def undo(self) -> str:
        return self.call("undo")

    def redo(self) -> str:
        return self.call("redo")

    def stop(self) -> None:
        """Stop every timer for good (the window is closing); nothing is published after."""
        self._stopped = True
        self._timer.stop()

    # ------------------------------------------------------------ pacing
    def _tick(self) -> None:
        now = time.perf_counter()
        period = now - self._last_tick
        self._last_tick = now
        self.frame_times.append(period)
        elsewhere = max(0.0, period - self._last_trained)
        self._overhead = 0.8 * self._overhead + 0.2 * min(elsewhere, self.frame_period)
        budget = max(0.004, self.frame_period - self._overhead)
        trainer = self.session.trainer
        if self.speed is None:
            steps = trainer.run_for(budget)
        else:
            self._owed_epochs = min(self._owed_epochs + self.speed * period, 2 + self.speed / 10)
            wanted = int(self._owed_epochs * trainer.steps_per_epoch)
            steps = trainer.run_for(budget, max_steps=wanted) if wanted else 0
            self._owed_epochs -= steps / trainer.steps_per_epoch
        self._last_trained = time.perf_counter() - now
        self._count_rate(now, steps)
        self._after_training()

    def _count_rate(self, now: float, steps: int) -> None:
        self._recent.append((now, steps))
        while self._recent and now - self._recent[0][0] > 1.0:
            self._recent.popleft()
        if len(self._recent) > 1:
            span = now - self._recent[0][0]
            self.rateChanged.emit(sum(s for _, s in list(self._recent)[1:]) / max(span, 1e-6))

    def _after_training(self) -> None:
        divergence = self.session.trainer.divergence
        if divergence is not None and self.running:
            self._timer.stop()
            self.runningChanged.emit(False)
        self.publish()
        if divergence is not None:
            self.diverged.emit(divergence)

    def publish(self) -> None:
        if self._stopped:
            return
        self.snapshotReady.emit(self.session.snapshot(self.resolution))
