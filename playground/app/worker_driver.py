"""The driver that trains in a process of its own, so the window draws at display rate and
training runs at headless speed, even on a slow or busy machine.

The process (:mod:`playground.runner.worker`) owns the session. A display-rate timer takes
what the process has sent, evaluates the display grid from the snapshot's weights (here, on
the window's core, as often as it can afford), hands the snapshot to the views, and only then
asks for the next one: when drawing is slow the window draws less and training does not slow
down. Actions are requests the process answers between two steps, with a fresh snapshot. If
the process dies, the window keeps its last snapshot, says so, and starts a new process from
that snapshot.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import subprocess
import sys
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer

from playground.app.driver import Driver
from playground.core.grid import DisplayGrid, GridActivations, GridPass
from playground.core.session import Session
from playground.core.snapshot import Snapshot
from playground.runner.channel import Channel
from playground.runner.codec import decode, encode
from playground.runner.pacing import SPEEDS
from playground.threads import VARIABLES, hand_over_promptly

ERRORS: dict[str, type[Exception]] = {"ValueError": ValueError, "IndexError": IndexError,
                                      "KeyError": KeyError, "OSError": OSError,
                                      "PermissionError": PermissionError,
                                      "FileNotFoundError": FileNotFoundError}
"""Refusals the process reports, raised again here as themselves; any other kind (a loader's
own ValueError subclass, or a fault) arrives as a ValueError with its sentence."""
REPLY_TIMEOUT = 30.0
"""Seconds an action may take before the process is taken for dead."""
GRID_SHARE = 0.15
"""At most this share of the window's time goes to evaluating the display grid."""
GRID_SLICE = 0.0015
"""Seconds of grid evaluation a frame may take while the network keeps its shape (a big
network's grid is spread over several frames). A slow frame is one where a slice meets the
edges' and the neuron maps' redraws; beside a busy process, 1.5 ms slices measured no worse
than 3 ms ones on the 2-32×6-3 network (about 30 fps at the 5th percentile either way, runs
vary by ±2 fps)."""
FIRST_SLICE_POINTS = 1000
"""Grid points evaluated before the cost of one is known."""
MIN_SLICE_POINTS = 200
"""Fewer points a slice would spend its time on per-call overhead."""
STOP_WAIT = 2.0
"""Seconds a closing window waits for the process to end before killing it."""


def worker_command() -> list[str]:
    """How to start a training process: this Python with the worker module, or the bundled
    app itself (a frozen bundle has no ``-m``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--training-process"]
    return [sys.executable, "-m", "playground.runner.worker"]


class WorkerLostError(ValueError):
    """The training process stopped answering, so the action did not happen; the process has
    been restarted from the last picture."""


class WorkerDriver(Driver):
    def __init__(self, session: Session, parent: QObject | None = None, *,
                 frame_rate: float = 60.0, resolution: int = 100) -> None:
        super().__init__(parent)
        self.resolution = resolution
        self.speed: float | None = SPEEDS["Normal"]
        self._next_id = 0
        self._pending: Snapshot | None = None
        self._last: Snapshot = session.snapshot(resolution)
        self._data = (self._last.X_train, self._last.y_train, self._last.X_test,
                      self._last.y_test)
        self._grid_key: tuple | None = self._grid_key_of(self._last)
        self._display_grid = DisplayGrid()
        self._grid: GridActivations | None = self._last.grid
        self._grid_due = 0.0
        self._grid_pass: GridPass | None = None
        self._grid_cost = 0.0  # seconds the pass under way has taken so far
        self._point_cost: float | None = None  # seconds per grid point, last measured
        self._last_frame = time.perf_counter()
        self._continue = False
        self._plays = 0  # Play presses sent; the process says how many it has seen
        self._owe_want = False
        hand_over_promptly()  # snapshots arrive through a reader thread
        self._start(self._last)
        self._clock = QTimer(self)
        self._clock.setTimerType(Qt.TimerType.PreciseTimer)
        self._clock.setInterval(round(1000 / frame_rate))
        self._clock.timeout.connect(self._frame)
        self._clock.start()

    @property
    def pid(self) -> int | None:
        """The training process's id (tests kill it to see the window recover)."""
        return self._process.pid if self._process is not None else None

    def process_alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # ------------------------------------------------------------ control
    def play(self) -> None:
        if self.running or self._stopped:
            return
        self._plays += 1
        self._set_running(True)  # first: a restarted process starts training
        self._post({"op": "play"})

    def pause(self) -> None:
        if not self.running:
            return
        self._recent.clear()   # the next rate starts with the next play
        self._set_running(False)
        with contextlib.suppress(WorkerLostError):  # the new process starts paused: done
            self._request({"op": "pause"})

    def set_speed(self, name: str) -> None:
        self.speed = SPEEDS[name]
        self._post({"op": "speed", "value": self.speed})

    def step_epoch(self) -> None:
        self.pause()
        self.call("step_epoch")

    def step_batch(self) -> None:
        self.pause()
        self.call("step_batch")

    def call(self, name: str, **kwargs: Any) -> Any:
        """Run a service action in the process, between two steps, and show its result."""
        return self._request({"op": "call", "name": name, "kwargs": kwargs})

    def publish(self) -> None:
        """Show the latest snapshot again (e.g. after a theme change)."""
        if not self._stopped:
            self._show(self._with_grid(self._last, force=True))

    def stop(self) -> None:
        """Stop the process and every timer for good (the window is closing)."""
        self._stopped = True
        self._running = False
        self._clock.stop()
        if self._process is None:
            return
        with contextlib.suppress(OSError):
            self._send({"op": "stop"})
        try:
            self._process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(STOP_WAIT)
        self._close_pipes()
        self._process = None

    # ------------------------------------------------------------ process
    def _start(self, snap: Snapshot) -> None:
        env = {**dict.fromkeys(VARIABLES, "1"), **os.environ}  # a value the user set is kept
        self._process = subprocess.Popen(worker_command(), stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, env=env)
        self._conn = Channel(self._process.stdout, self._process.stdin)
        self._send({"snapshot": snap, "speed": self.speed, "running": self.running,
                    "plays": self._plays})

    def _close_pipes(self) -> None:
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):
                stream.close()

    def _restart(self, why: str) -> None:
        """The process died: keep the last snapshot, say so, start again from it."""
        if self._process.poll() is None:
            self._process.kill()
        code = self._process.wait()
        self._close_pipes()
        self._pending = None
        self._owe_want = False
        self._start(self._last)
        self._continue = True  # the new process's first history starts where ours ended
        self.problem.emit(f"The training process stopped ({why}, exit code {code}); it was "
                          f"restarted from epoch {self._last.epoch:,}. Edits made since the "
                          "last picture, the undo history and the optimizer's memory are lost.")

    def _send(self, message: dict[str, Any]) -> None:
        self._conn.send(encode(message))

    def _post(self, message: dict[str, Any]) -> None:
        """Send a message that needs no answer. A process found dead is restarted; it starts
        with the window's speed and running state, so the message is not lost."""
        try:
            self._send(message)
        except OSError:
            self._restart("it ended")

    def _request(self, message: dict[str, Any]) -> Any:
        """Send a request and wait for its answer, keeping any snapshot that comes first."""
        self._next_id += 1
        message["id"] = self._next_id
        deadline = time.perf_counter() + REPLY_TIMEOUT
        try:
            self._send(message)
            while True:
                if not self._conn.poll(0.05):
                    if not self.process_alive() or time.perf_counter() > deadline:
                        raise EOFError
                    continue
                reply = decode(self._conn.recv())
                if reply.get("id") == message["id"]:
                    break
                self._receive(reply)
        except (EOFError, OSError):
            self._restart("it did not answer")
            raise WorkerLostError("the training process stopped; it was restarted from the last "
                             "picture — please try again") from None
        self._receive(reply)
        self._show_pending()
        if "error" in reply:
            kind, text = reply["error"]
            raise ERRORS.get(kind, ValueError)(text)
        return reply.get("result")

    # ------------------------------------------------------------ frames
    def _frame(self) -> None:
        """Once per display frame: take what arrived, draw it, ask for the next."""
        try:
            while self._conn.poll(0):
                self._receive(decode(self._conn.recv()))
        except (EOFError, OSError):
            self._restart("it ended")
            return
        if not self.process_alive():
            self._restart("it ended")
            return
        self._show_pending()

    def _receive(self, message: dict[str, Any]) -> None:
        snap = message.get("snapshot")
        if snap is None:
            return
        if "id" not in message:
            self._owe_want = True  # it came on our credit: ask for the next when showing it
        if snap.X_train is None:
            snap = dataclasses.replace(snap, **dict(zip(("X_train", "y_train", "X_test",
                                                         "y_test"), self._data, strict=True)))
        else:
            self._data = (snap.X_train, snap.y_train, snap.X_test, snap.y_test)
        if self._continue:
            snap = dataclasses.replace(snap, history_reset=False)
            self._continue = False
        if self._pending is not None and not snap.history_reset:
            snap = dataclasses.replace(snap, history=self._pending.history.joined(snap.history),
                                       history_reset=self._pending.history_reset)
        self._pending = snap
        if (self.running and not message.get("running", True)
                and message.get("plays") == self._plays):  # not news from before our Play
            self._set_running(False)

    def _show_pending(self) -> bool:
        """Show what arrived; first ask for the next snapshot (if this one came on the
        credit), so the process prepares it while this one is drawn."""
        snap, self._pending = self._pending, None
        if snap is None or self._stopped:
            return False
        if self._owe_want:
            self._owe_want = False
            self._post({"op": "want"})
        now = time.perf_counter()
        self.frame_times.append(now - self._last_frame)
        self._last_frame = now
        self._last = self._with_grid(snap)
        if self.running:   # a picture that arrives paused (the pause's own) is no rate
            self._count_rate(now, snap.step)
        self._show(self._last)
        return True

    def _with_grid(self, snap: Snapshot, force: bool = False) -> Snapshot:
        """The snapshot with the display grid evaluated from its weights, at most as often
        as keeps that work under :data:`GRID_SHARE` of the window's time and spread over
        frames in :data:`GRID_SLICE` pieces; in between, the last grid. A new shape, bounds
        or features (or ``force``) gets its whole grid at once, so no frame mixes shapes."""
        key = self._grid_key_of(snap)
        now = time.perf_counter()
        if key != self._grid_key or force or self._grid is None:
            self._grid_pass, self._grid_cost = self._new_pass(snap), 0.0
            self._advance_grid(math.inf)
        elif self._grid_pass is not None or now >= self._grid_due:
            if self._grid_pass is None:
                self._grid_pass, self._grid_cost = self._new_pass(snap), 0.0
            self._advance_grid(GRID_SLICE)
        self._grid_key = key
        return dataclasses.replace(snap, grid=self._grid)

    @staticmethod
    def _grid_key_of(snap: Snapshot) -> tuple:
        """What a grid must share with a snapshot to be drawn with it."""
        return snap.data.bounds, snap.features, snap.shape

    def _new_pass(self, snap: Snapshot) -> GridPass:
        return GridPass(self._display_grid, snap.network(), snap.features, snap.data.bounds,
                        self.resolution)

    def _advance_grid(self, seconds: float) -> None:
        """Evaluate about ``seconds`` worth of the pass under way; install it once done."""
        grid_pass = self._grid_pass
        points = (grid_pass.points if math.isinf(seconds) else FIRST_SLICE_POINTS
                  if self._point_cost is None
                  else max(MIN_SLICE_POINTS, seconds / max(self._point_cost, 1e-9)))
        began = time.perf_counter()
        before = grid_pass.done
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            grid_pass.advance(points)
        took = time.perf_counter() - began
        cost = took / (grid_pass.done - before)  # smoothed: one slice's timing is noisy
        self._point_cost = cost if self._point_cost is None else (self._point_cost + cost) / 2
        self._grid_cost += took
        if grid_pass.finished:
            self._grid, self._grid_pass = grid_pass.result(), None
            self._grid_due = time.perf_counter() + self._grid_cost / GRID_SHARE
