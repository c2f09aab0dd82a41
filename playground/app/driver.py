"""The one bridge between the core and the window: paces training, runs every action the user
takes, and publishes snapshots.

Two drivers share one surface (:class:`Driver`): :class:`WorkerDriver`
(:mod:`playground.app.worker_driver`) trains in a process of its own, which is what the app
uses; :class:`TrainingDriver` trains in the GUI thread in time-budgeted slices, which the
tests use for determinism. Either way every action is a
:class:`~playground.runner.service.Service` call that lands between two training steps and is
published at once, so the picture never shows a network the trainer no longer has; a refused
action raises (ValueError, IndexError, KeyError) and changes nothing.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from playground.core.edits import Request
from playground.core.session import Session
from playground.core.snapshot import Snapshot
from playground.runner.pacing import SPEEDS, Pacer
from playground.runner.service import Service


class Driver(QObject):
    """What the window drives: play, pause, speed, single steps, actions, snapshots.

    ``snapshotReady(Snapshot)`` carries every picture; ``runningChanged(bool)``,
    ``diverged(Divergence)``, ``rateChanged(steps per second)`` and ``problem(str)`` (a
    sentence about the training process, for the banner) say the rest.
    """

    snapshotReady = Signal(object)
    runningChanged = Signal(bool)
    diverged = Signal(object)
    rateChanged = Signal(float)
    problem = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.frame_times: deque[float] = deque(maxlen=2000)
        self._recent: deque[tuple[float, int]] = deque()
        self._running = False
        self._stopped = False
        self._divergence = None

    @property
    def running(self) -> bool:
        return self._running

    def toggle(self) -> None:
        self.pause() if self.running else self.play()

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

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.runningChanged.emit(running)

    def _count_rate(self, now: float, step: int) -> None:
        """Steps per second over the last second, from the step counter at ``now``."""
        self._recent.append((now, step))
        while len(self._recent) > 2 and now - self._recent[0][0] > 1.0:
            self._recent.popleft()
        (t0, s0), (t1, s1) = self._recent[0], self._recent[-1]
        if t1 > t0 and s1 >= s0:
            self.rateChanged.emit((s1 - s0) / (t1 - t0))

    def _show(self, snap: Snapshot) -> None:
        """Hand ``snap`` to the views; say so once when training has just diverged."""
        self.snapshotReady.emit(snap)
        new = snap.divergence is not None and snap.divergence != self._divergence
        self._divergence = snap.divergence
        if new:
            self.diverged.emit(snap.divergence)


class TrainingDriver(Driver):
    """Trains in the GUI thread: each frame trains for what is left of the frame period after
    the last frame's drawing (at least 4 ms), then publishes one snapshot."""

    def __init__(self, session: Session, parent: QObject | None = None, *,
                 frame_rate: float = 36.0, resolution: int = 100) -> None:
        super().__init__(parent)
        self.service = Service(session)
        self.session = session
        self.resolution = resolution
        self.frame_period = 1.0 / frame_rate
        self.pacer = Pacer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._last_tick = 0.0
        self._overhead = 0.01
        self._last_trained = 0.0

    # ------------------------------------------------------------ control
    def play(self) -> None:
        if self.running or self._stopped:
            return
        self.service.resume()
        self._last_tick = time.perf_counter()
        self._last_trained = 0.0
        self.pacer.restart(self._last_tick)
        self._timer.start()
        self._set_running(True)

    def pause(self) -> None:
        if not self.running:
            return
        self._timer.stop()
        self._set_running(False)
        self.publish()

    def set_speed(self, name: str) -> None:
        self.pacer.speed = SPEEDS[name]

    def step_epoch(self) -> None:
        self.pause()
        self.service.step_epoch()
        self.publish()

    def step_batch(self) -> None:
        self.pause()
        self.service.step_batch()
        self.publish()

    def call(self, name: str, **kwargs: Any) -> Any:
        """Run a :class:`~playground.runner.service.Service` action now and show its result."""
        result = self.service.call(name, **kwargs)
        self.publish()
        return result

    def stop(self) -> None:
        """Stop every timer for good (the window is closing); nothing is published after."""
        self._stopped = True
        self._running = False
        self._timer.stop()

    def publish(self) -> None:
        if not self._stopped:
            self._show(self.session.snapshot(self.resolution))

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
        allowed = self.pacer.allowance(now, trainer.steps_per_epoch)
        steps = trainer.run_for(budget, max_steps=allowed) if allowed != 0 else 0
        self.pacer.spent(steps, trainer.steps_per_epoch)
        self._last_trained = time.perf_counter() - now
        self._count_rate(now, trainer.step_count)
        if trainer.divergence is not None:
            self._timer.stop()
            self._set_running(False)
        self.publish()
