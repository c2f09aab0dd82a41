"""Every action a user can take on a playground, as a call with plain arguments.

The window never touches the :class:`~playground.core.session.Session` itself: it asks the
driver to ``call`` one of :data:`CALLS` by name. Arguments and results are plain data
(numbers, strings, lists, dicts, NumPy arrays, the core's frozen dataclasses), so a call can
cross into another process. A refused call raises ValueError, IndexError or KeyError (a
loader's :class:`ValueError` subclass for files) and changes nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from playground.core.edits import Request
from playground.core.session import Session
from playground.core.snapshot import Snapshot
from playground.data import save_csv, sniff_csv
from playground.data.user_points import UserPoints
from playground.io.experiment import experiment_text, parse_experiment, session_from_experiment
from playground.io.export_python import save_python
from playground.io.export_torch import save_torch
from playground.io.project import read_project, save_project
from playground.io.weights import read_weights, save_weights

CALLS = frozenset({"configure", "perform", "preview", "undo", "redo", "reset", "restore",
                   "step_epoch", "step_batch", "resume", "save_weights", "load_weights",
                   "edit_points", "sniff_csv", "import_csv", "export_csv", "export_python",
                   "export_torch", "copy_experiment", "paste_experiment", "new_project",
                   "save_project", "open_project"})
"""The names :meth:`Service.call` accepts: everything else is refused."""


@contextlib.contextmanager
def _saving(path: str) -> Iterator[None]:
    """An OSError as one sentence naming the file (its errno does not cross processes)."""
    try:
        yield
    except OSError as exc:
        raise OSError(f"cannot write {Path(path).name}: {exc.strerror or exc}") from None


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

    def edit_points(self, op: str, **args: Any) -> str:
        """Draw (``add``), ``erase`` or ``clear`` the user's own points; undoable. Returns
        what the Edit menu calls it."""
        return self.session.edit_points(op, **args)

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
        return str(save_weights(path, self.session.net, features=data.features,
                                class_names=self._class_names()))

    def _class_names(self) -> list[str] | None:
        data = self.session.data
        return None if data.regression else list(data.class_names(data.class_count))

    def export_python(self, path: str) -> str:
        """Write a standalone NumPy script of the network, weights inside; returns its path."""
        with _saving(path):
            return str(save_python(path, self.session.net, self.session.data.features,
                                   self._class_names()))

    def export_torch(self, path: str) -> list[str]:
        """Write a PyTorch script and the weights (.npz) it loads; returns both paths."""
        with _saving(path):
            written = save_torch(path, self.session.net, self.session.data.features,
                                 self._class_names())
        return [str(p) for p in written]

    def load_weights(self, path: str) -> str:
        """Train the network stored in ``path`` instead; returns a line saying what it is."""
        loaded = read_weights(path)
        self.session.replace_network(loaded.network, loaded.features)
        return f"Loaded {Path(path).name}: {loaded.network}"

    def sniff_csv(self, path: str, delimiter: str | None = None,
                  header: bool | None = None) -> dict[str, Any]:
        """How a CSV file is laid out and which columns look like x1, x2 and the label (the
        fields of :class:`~playground.data.CsvPreview`), for the import dialog."""
        return dataclasses.asdict(sniff_csv(path, delimiter, header))

    def import_csv(self, path: str, columns: list[int] | None = None,
                   regression: bool | None = None, delimiter: str | None = None,
                   header: bool | None = None) -> str:
        """Train on the points of a CSV file (see :func:`~playground.data.load_csv`); undoable.
        Returns a line saying what was read."""
        points = UserPoints.from_csv(path, columns=columns, regression=regression,
                                     delimiter=delimiter, header=header)
        self.session.use_points(points, f"Import {points.title}")
        what = ("values to fit (regression)" if points.regression else
                f"{points.classes} classes ({', '.join(points.class_names)})")
        return f"Read {len(points):,} points from {points.title}: {what}"

    def export_csv(self, path: str) -> str:
        """Write the points shown (training, then test) to a CSV file; returns the path."""
        trainer, data = self.session.trainer, self.session.data
        X = trainer.X_raw if trainer.X_test_raw is None else np.concatenate(
            [trainer.X_raw, trainer.X_test_raw])
        y = trainer.y if trainer.y_test is None else np.concatenate([trainer.y, trainer.y_test])
        names = (None if data.regression or not data.custom or data.dataset != "custom"
                 or not data.custom.class_names else data.custom.class_names)
        with _saving(path):
            return str(save_csv(path, X, y, names))


    # -------------------------------------------------------- experiments
    def copy_experiment(self) -> str:
        """The set-up as one line of text (settings and network, not the weights)."""
        return experiment_text(self.session)

    def paste_experiment(self, text: str) -> str:
        """Set up the experiment in ``text`` with fresh weights; a LoadError changes nothing.
        Returns what the status bar says."""
        session = session_from_experiment(parse_experiment(text), self.session)
        self.session.replace_with(session)
        return f"Experiment set up: {self.session.net} on {self.session.data.info.title}"

    # ----------------------------------------------------------- projects
    def new_project(self) -> None:
        """A fresh playground: the default set-up with new weights."""
        self.session.replace_with(Session())

    def save_project(self, path: str, view: dict[str, Any] | None = None) -> str:
        """Write everything to a project file (``view``: the window's view options)."""
        with _saving(path):
            return str(save_project(self.session, path, view=view))

    def open_project(self, path: str) -> dict[str, Any]:
        """Open a project file: its session replaces ours (a LoadError changes nothing).
        Returns its view options and a line saying what it is."""
        project = read_project(path)
        self.session.replace_with(project.session)
        summary = f"{self.session.net} on {self.session.data.info.title}"
        return {"view": project.view, "summary": summary}
