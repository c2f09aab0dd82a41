"""Throttle: run an expensive redraw at most every so often, never losing the last request.

Snapshots arrive at display rate, but a curve that grows by an epoch per frame, or a neuron
map that barely changes, looks the same refreshed at 10–20 Hz. Throttles also keep out of
each other's way: no two fire within ``STAGGER`` seconds, so no single frame pays for two
heavy redraws (a frame that does shows as a stutter in the 5th-percentile frame rate).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Requests come once per frame while training runs; the one that finds the interval
    over runs the action inside its frame. The timer only delivers the last request after
    requests stop (``SLACK`` after it is due), so it never adds a paint between frames."""

    STAGGER = 0.015
    SLACK = 0.04
    _last_any = -math.inf

    def __init__(self, interval: float, action: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval = interval
        self._action = action
        self._last = -math.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.fire)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def request(self) -> None:
        """Run now if allowed, otherwise soon after the interval (and the stagger) ends."""
        wait = max(self._last + self.interval, Throttle._last_any + self.STAGGER)
        wait -= time.perf_counter()
        if wait <= 0:
            self.fire()
        else:
            self._timer.start(int(1000 * (wait + self.SLACK)) + 1)

    def fire(self) -> None:
        self._timer.stop()
        self._last = Throttle._last_any = time.perf_counter()
        self._action()

    def flush(self) -> None:
        """Deliver a pending request now (e.g. before the widget hides)."""
        if self._timer.isActive():
            self.fire()

    def cancel(self) -> None:
        self._timer.stop()
