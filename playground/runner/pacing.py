"""How much training a moment allows: Slow, Normal and Fast train a fixed number of epochs per
second; Max as many steps as fit."""

from __future__ import annotations

SPEEDS: dict[str, float | None] = {"Slow": 5.0, "Normal": 30.0, "Fast": 300.0, "Max": None}
"""Epochs per second for each speed setting; None trains as fast as the machine allows."""


class Pacer:
    """Epochs owed at a speed, as steps: what a loop may train now, and when it may next."""

    def __init__(self, speed: float | None = SPEEDS["Normal"]) -> None:
        self.speed = speed
        self._owed = 0.0
        self._last: float | None = None

    def restart(self, now: float) -> None:
        """Start owing from ``now`` (training just started: nothing is owed for the pause)."""
        self._owed, self._last = 0.0, now

    def allowance(self, now: float, steps_per_epoch: int) -> int | None:
        """Steps that may run now (None: no limit). Owing is capped, so a stall is not paid
        back in a burst."""
        if self.speed is None:
            return None
        last = now if self._last is None else self._last
        self._owed = min(self._owed + self.speed * (now - last), 2 + self.speed / 10)
        self._last = now
        return int(self._owed * steps_per_epoch)

    def spent(self, steps: int, steps_per_epoch: int) -> None:
        if self.speed is not None:
            self._owed -= steps / steps_per_epoch

    def wait(self, steps_per_epoch: int) -> float:
        """Seconds until the next step is owed (0 at Max)."""
        if self.speed is None:
            return 0.0
        return max(0.0, (1.0 / steps_per_epoch - self._owed) / self.speed)
