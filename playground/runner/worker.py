"""The training process: it owns the session, trains as fast as its core allows, and answers
the window. Started as ``python -m playground.runner.worker`` (or the bundled app with
``--training-process``), it reads the window's snapshot from stdin to start from.

The window sends requests (:mod:`codec` messages over :mod:`channel` frames on the process's
stdin and stdout): ``call`` a service action,
``play``, ``pause``, ``speed``, ``want`` (it is ready to draw another snapshot) and ``stop``.
Between two training steps the worker handles every request in order, so an edit always lands
between steps, and answers ``call`` and ``pause`` with the result and a fresh snapshot.
Otherwise it sends a snapshot only when the window has asked for one and something changed:
when drawing is slow the window asks less often and training gets the time.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from typing import Any

from playground.core.snapshot import Snapshot
from playground.malloc_tuning import keep_freed_memory
from playground.runner.channel import Channel
from playground.runner.codec import decode, encode
from playground.runner.pacing import Pacer
from playground.runner.restore import session_from_snapshot
from playground.runner.service import Service
from playground.threads import hand_over_promptly

SLICE = 0.004
"""Seconds of training between two looks at the pipe: how long a request may wait."""
IDLE_POLL = 0.25
"""How long a paused worker waits for a request before looking again."""


def main() -> int:
    """The process's entry point: the first frame on stdin is an encoded dict with the
    window's snapshot, its speed and whether it was training."""
    keep_freed_memory()  # this is where the training steps run
    hand_over_promptly()
    channel = Channel(sys.stdin.buffer, sys.stdout.buffer)
    sys.stdout = sys.stderr  # nothing but frames may reach the window's pipe
    try:
        options = decode(channel.recv())
    except EOFError:
        return 0
    session = session_from_snapshot(options["snapshot"], options.get("seed", 0))
    Worker(channel, Service(session), options).run()
    return 0


class Worker:
    def __init__(self, conn: Channel, service: Service, options: dict[str, Any]) -> None:
        self.conn = conn
        self.service = service
        self.pacer = Pacer(options.get("speed"))
        self.running = False
        self.credit = True
        self.changed = True
        self.sent_data: int | None = None
        self.stopped = False
        self.plays = options.get("plays", 0)  # the window's last play seen, in every reply
        if options.get("running"):
            self._play()

    def run(self) -> None:
        try:
            while not self.stopped:
                self._serve_requests()
                if self.running:
                    self._train()
                if self.credit and self.changed and not self.stopped:
                    self.credit = False
                    self._send({})
        except (EOFError, OSError):  # the window is gone: so are we
            return

    # ----------------------------------------------------------- requests
    def _serve_requests(self) -> None:
        timeout = 0.0 if self.running or (self.credit and self.changed) else IDLE_POLL
        while not self.stopped and self.conn.poll(timeout):
            self._handle(decode(self.conn.recv()))
            timeout = 0.0

    def _handle(self, request: dict[str, Any]) -> None:
        op = request.get("op")
        if op == "call":
            self._call(request)
        elif op == "play":
            self.plays = request.get("plays", self.plays)
            self._play()
        elif op == "pause":
            self.running = False
            self._send({"id": request["id"]})
        elif op == "speed":
            self.pacer.speed = request["value"]
            self.pacer.restart(time.perf_counter())
        elif op == "want":
            self.credit = True
        elif op == "stop":
            self.stopped = True

    def _call(self, request: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"id": request["id"]}
        try:
            reply["result"] = self.service.call(request["name"], **request.get("kwargs", {}))
        except Exception as exc:
            reply["error"] = [type(exc).__name__, str(exc.args[0]) if exc.args else str(exc)]
        if request["name"] in ("step_epoch", "step_batch"):
            self.running = False
        self._send(reply)

    def _play(self) -> None:
        self.service.call("resume")
        self.running = True
        self.pacer.restart(time.perf_counter())

    # ----------------------------------------------------------- training
    def _train(self) -> None:
        trainer = self.service.session.trainer
        per_epoch = trainer.steps_per_epoch
        allowed = self.pacer.allowance(time.perf_counter(), per_epoch)
        if allowed == 0:  # ahead of the speed: wait for the next step, or a request
            self.conn.poll(min(self.pacer.wait(per_epoch), SLICE * 5))
            return
        if not trainer.has_points:  # the user erased every point: wait for some
            self.conn.poll(IDLE_POLL)
            return
        steps = trainer.run_for(SLICE, max_steps=allowed)
        self.pacer.spent(steps, per_epoch)
        self.changed = self.changed or steps > 0
        if trainer.divergence is not None:
            self.running = False
            self.changed = True

    # ----------------------------------------------------------- snapshots
    def _send(self, message: dict[str, Any]) -> None:
        message["snapshot"] = self._snapshot()
        message["running"] = self.running
        message["plays"] = self.plays
        self.conn.send(encode(message))
        self.changed = False

    def _snapshot(self) -> Snapshot:
        """A snapshot without the grid (the window evaluates it) and without the points
        when the window already has them."""
        snap = self.service.snapshot(resolution=None)
        if snap.data_version == self.sent_data:
            return dataclasses.replace(snap, X_train=None, y_train=None, X_test=None,
                                       y_test=None)
        self.sent_data = snap.data_version
        return snap


if __name__ == "__main__":
    raise SystemExit(main())
