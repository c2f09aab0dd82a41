"""Undoable network edits that keep the training done since.

An :class:`Edit` records the network's shape and every per-parameter array (weights,
optimizer state, gradient statistics) before and after the change, plus the
:class:`~playground.core.params.Transplant` between the two layouts. Undo maps the *current*
arrays back through the inverse transplant, so weights trained after the edit stay trained,
and takes what the edit removed or overwrote from the "before" copy; redo does the same
forwards. With no training in between, both give back the recorded arrays exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from playground.core.network import Network, Structure
from playground.core.params import Layout, Transplant
from playground.core.trainer import Trainer


@dataclass(frozen=True)
class State:
    structure: Structure
    layout: Layout
    arrays: dict[str, np.ndarray]


def capture(trainer: Trainer) -> State:
    return State(trainer.net.structure(), trainer.net.layout, trainer.arrays())


@dataclass
class Edit:
    """One performed change. ``touched`` lists parameter entries (flat indices, same in both
    layouts) the change set in place, such as an edited weight."""

    label: str
    before: State
    after: State
    forward: Transplant
    touched: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))

    def undo(self, trainer: Trainer) -> None:
        self._move(trainer, self.forward.inverse(self.before.layout), self.before, self.after)

    def redo(self, trainer: Trainer) -> None:
        self._move(trainer, self.forward, self.after, self.before)

    def _move(self, trainer: Trainer, transplant: Transplant, target: State,
              source: State) -> None:
        current = trainer.arrays()
        if trainer.net.layout != source.layout:
            arrays = target.arrays  # the shape changed outside the undo history: go back whole
        else:
            arrays = {}
            for name, flat in target.arrays.items():
                if name not in current:
                    continue
                moved = transplant.apply(source.layout.views(current[name]), base=flat)
                if name == "params":
                    moved[self.touched] = flat[self.touched]
                arrays[name] = moved
        trainer.restore_arrays(target.structure, arrays)


def perform(trainer: Trainer, label: str,
            change: Callable[[Network], Transplant | None]) -> Edit:
    """Apply ``change`` between steps and record it. A change that returns no transplant
    keeps the shape; the entries whose value it changed are recorded as touched."""
    before = capture(trainer)
    transplant = [None]

    def run(net: Network) -> Transplant | None:
        transplant[0] = change(net)
        return transplant[0]

    trainer.edit(run)
    after = capture(trainer)
    forward = transplant[0] or Transplant.identity(after.layout)
    touched = np.zeros(0, dtype=np.intp)
    if transplant[0] is None:
        touched = np.flatnonzero(before.arrays["params"] != after.arrays["params"])
    return Edit(label, before, after, forward, touched)
