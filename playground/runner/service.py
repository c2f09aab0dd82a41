"""Every action a user can take on a playground, as a call with plain arguments.

The window never touches the :class:`~playground.core.session.Session` itself: it asks the
driver to ``call`` one of :data:`CALLS` by name. Arguments and results are plain data
(numbers, strings, lists, dicts, NumPy arrays, the core's frozen dataclasses), so a call can
cross into another process. A refused call raises ValueError, IndexError or KeyError (a
loader's :class:`ValueError` subclass for files) and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playground.core.edits import Request
from playground.core.session import Session
from playground.core.snapshot import Snapshot
from playground.io.weights import read_weights, save_weights

CALLS = frozenset({"configure", "perform", "preview", "undo", "redo", "reset", "restore",
                   "step_epoch", "step_batch", "resume", "save_weights", "load_weights"})
"""The names :meth:`Service.call` accepts: everything else is refused."""


class Service:
    """A session and the files it reads and writes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def call(self, name: str, **kwargs: Any) -> Any:
        """Run the action called ``name`` (one of :data:`CALLS`)."""
        if name not in CALLS:
            raise ValueError(f"unknown action {name!r}")
        return getattr(self, name)(**kwargs)

    def snapshot(self, resolution: int | None = 100) -> Snapshot:
        return self.session.snapshot(resolution)

    # ------------------------------------------------------------ changes
    def configure(self, **changes: Any) -> list[str]:
        """Returns sentences for what had to follow (a loss the new points cannot take…)."""
        return self.session.configure(**changes)

    def perform(self, request: Request) -> str:
        """An undoable network edit; returns its name."""
        self.session.perform(request)
        return request.label

    def preview(self, request: Request) -> float:
        """How far the edit would move the outputs on the training and test points."""
        return self.session.preview(request)

    def restore(self, epoch: int | None = None) -> int:
        """Back to the checkpoint of ``epoch`` (None: the newest); returns its epoch."""
        return self.session.restore(epoch)

    def undo(self) -> str:
        return self.session.undo()

    def redo(self) -> str:
        return self.session.redo()

    def reset(self, seed: int | None = None) -> None:
        self.session.reset(seed)

    # ----------------------------------------------------------- training
    def resume(self) -> None:
        """Forget a divergence so training can go on (after the user changed something)."""
        self.session.trainer.resume()

    def step_epoch(self) -> int:
        """Exactly one pass over the training points (an epoch under way is given up);
        returns the steps taken."""
        trainer = self.session.trainer
        trainer.resume()
        return trainer.run_pass()

    def step_batch(self) -> int:
        trainer = self.session.trainer
        trainer.resume()
        return trainer.run(1)

    # -------------------------------------------------------------- files
    def save_weights(self, path: str) -> str:
        """Write the network's weights as .npz; returns the path written."""
        data = self.session.data
        names = None if data.regression else [f"class {k}" for k in range(data.class_count)]
        return str(save_weights(path, self.session.net, features=data.features,
                                class_names=names))

    def load_weights(self, path: str) -> str:
        """Train the network stored in ``path`` instead; returns a line saying what it is."""
        loaded = read_weights(path)
        self.session.replace_network(loaded.network, loaded.features)
        return f"Loaded {Path(path).name}: {loaded.network}"
