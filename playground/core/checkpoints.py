"""Checkpoints: a small ring of recent healthy weights, with the optimizer state, to go back to
when training diverges (a :class:`Divergence` says where it did).

A weight vector whose loss is merely finite is no place to restart from: on the way to
divergence mse + SGD passes losses of 10¹⁰, and from there even a tiny step diverges again.
So a checkpoint is only taken where the loss is *sane*: finite and at most :data:`SANE_FACTOR`
times the lowest loss seen since the loss last changed meaning (new data, another loss), plus
:data:`SANE_SLACK`.
The ring keeps :data:`RECENT_CHECKPOINTS` newest ones and spaces older ones out so that it
reaches further back the longer training runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.core.network import Structure

CAPACITY = 10
RECENT_CHECKPOINTS = 3
SANE_FACTOR = 4.0
SANE_SLACK = 1e-3
"""A loss of 0 (a separable hinge) must not make every later loss insane."""


@dataclass(frozen=True)
class Divergence:
    """Where training stopped because a number stopped being finite."""

    step: int
    epoch: int
    learning_rate: float
    what: str

    @property
    def message(self) -> str:
        return (f"{self.what} at epoch {self.epoch} (step {self.step}) with learning rate "
                f"{self.learning_rate:.3g}")


@dataclass(frozen=True)
class Checkpoint:
    """The weights (``arrays["params"]``) and optimizer state (``arrays["opt:…"]``) at the
    end of ``epoch`` (after ``step`` steps), whose training loss was ``loss``."""

    epoch: int
    step: int
    loss: float
    structure: Structure
    arrays: dict[str, np.ndarray]


class CheckpointRing:
    """At most :data:`CAPACITY` checkpoints, oldest first."""

    def __init__(self) -> None:
        self.items: list[Checkpoint] = []
        self.best = math.inf

    def __len__(self) -> int:
        return len(self.items)

    def copy(self) -> CheckpointRing:
        ring = CheckpointRing()
        ring.items, ring.best = list(self.items), self.best
        return ring

    def is_sane(self, loss: float) -> bool:
        """Finite, and not far above the best loss so far (anything finite, at first)."""
        if not math.isfinite(loss):
            return False
        return not math.isfinite(self.best) or loss <= SANE_FACTOR * self.best + SANE_SLACK

    def offer(self, checkpoint: Checkpoint) -> bool:
        """Keep ``checkpoint`` if its loss is sane; True if kept."""
        if not self.is_sane(checkpoint.loss):
            return False
        self.best = min(self.best, checkpoint.loss)
        if self.items and self.items[-1].epoch == checkpoint.epoch:
            self.items[-1] = checkpoint
        else:
            self.items.append(checkpoint)
        if len(self.items) > CAPACITY:
            self._drop_one()
        return True

    def _drop_one(self) -> None:
        """Drop the older checkpoint whose neighbours are closest together, so the ring
        spaces out with age (the oldest and the newest few always stay)."""
        epochs = [c.epoch for c in self.items]
        inner = range(1, len(epochs) - RECENT_CHECKPOINTS)
        drop = min(inner, key=lambda i: (epochs[i + 1] - epochs[i - 1], i))
        del self.items[drop]

    def latest(self) -> Checkpoint | None:
        return self.items[-1] if self.items else None

    def at(self, epoch: int) -> Checkpoint:
        """The checkpoint of ``epoch``, or KeyError naming the ones there are."""
        for checkpoint in self.items:
            if checkpoint.epoch == epoch:
                return checkpoint
        there = ", ".join(str(c.epoch) for c in self.items) or "none"
        raise KeyError(f"no checkpoint at epoch {epoch} (there are: {there})")

    def go_back(self, epoch: int | None, structure: Structure) -> Checkpoint:
        """The checkpoint to restore (``epoch``'s, or the newest when None) for a network of
        ``structure``; the ones after it are dropped. ValueError when there is none."""
        checkpoint = self.latest() if epoch is None else self.at(epoch)
        if checkpoint is None:
            raise ValueError("there are no healthy weights to go back to; press Reset")
        if checkpoint.structure != structure:
            raise ValueError(f"the network changed shape after epoch {checkpoint.epoch}")
        self.items[:] = [c for c in self.items if c.epoch <= checkpoint.epoch]
        return checkpoint

    def clear(self, forget_best: bool = False) -> None:
        """Drop every checkpoint (the network changed shape); ``forget_best`` also when the
        loss changed meaning."""
        self.items.clear()
        if forget_best:
            self.best = math.inf
