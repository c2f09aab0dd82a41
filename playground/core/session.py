"""Session: one playground's data settings, network and trainer, changed in one validated way.

Every change a user makes arrives here as one call: :meth:`Session.configure` for data and
training settings, :meth:`Session.perform` / :meth:`undo` / :meth:`redo` for network edits,
:meth:`restore` to go back to a checkpoint, :meth:`reset` and :meth:`replace_network`. Each
is all or nothing: a refused change raises ValueError (or IndexError, KeyError) and leaves
the session exactly as it was. Nothing is re-initialised unless the user asks (Reset). Each
change that alters what the loss curve measures, the network or its weights leaves a mark in
the training record. Views draw :meth:`snapshot` copies.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np

from playground.core import edits, losses, point_edits, surgery
from playground.core.edits import Edit, EditHistory, Request
from playground.core.network import Network
from playground.core.point_edits import PointsEdit, custom_data
from playground.core.settings import (
    CUSTOM,
    DATA_KEYS,
    TRAINING_KEYS,
    DataSettings,
    TrainingSettings,
    check_data,
    check_training,
)
from playground.core.snapshot import Shape, Snapshot
from playground.core.trainer import Trainer
from playground.data import make_dataset
from playground.data import train_test_split as split
from playground.data.user_points import UserPoints

DEFAULT_SPEC: dict[str, Any] = {
    "inputs": 2,
    "layers": [{"units": 12, "activation": "tanh"}, {"units": 12, "activation": "tanh"}],
    "outputs": 2, "loss": "softmax", "init": "xavier", "seed": 0,
}


def outputs_for(loss: str, data: DataSettings) -> int:
    """How many outputs a network with ``loss`` needs for these points."""
    if data.regression or loss == "bce":
        return 1
    if loss == "mse" and data.class_count == 2:
        return 1
    return data.class_count


class Session:
    """The state of one playground: data settings, network, trainer and its settings."""

    def __init__(self, data: DataSettings | None = None, spec: dict[str, Any] | None = None,
                 *, optimizer: str = "adam", lr: float = 0.01, batch_size: int | None = 10,
                 seed: int = 0, points: UserPoints | None = None) -> None:
        self.points = points
        """The user's own points (drawn or imported), or None."""
        self._points_target: tuple | None = None
        self.data = data or DataSettings()
        if points is not None:
            self.data = dataclasses.replace(self.data, custom=custom_data(points))
        elif self.data.dataset == CUSTOM:
            raise ValueError("a session of your own points needs the points")
        spec = dict(spec or DEFAULT_SPEC)
        spec["inputs"] = len(self.data.features)
        spec["loss"] = "mse" if self.data.regression else spec.get("loss", "softmax")
        spec["outputs"] = outputs_for(spec["loss"], self.data)
        net = Network.from_spec(spec)
        self.data_version = 0
        self.history = EditHistory()
        self._published_epoch = 0
        self._published_marks = 0
        self._history_reset = True
        self.trainer = Trainer(net, *self._make_points(self.data), features=self.data.features,
                               optimizer=optimizer, lr=lr, batch_size=batch_size, seed=seed)

    @property
    def net(self) -> Network:
        return self.trainer.net

    @property
    def shape(self) -> Shape:
        return Shape(self.net.structure(), tuple(self.data.features))

    @property
    def settings(self) -> TrainingSettings:
        trainer, net = self.trainer, self.net
        rates = {h.dropout for h in net.hidden}
        return TrainingSettings(
            lr=trainer.lr, optimizer=trainer.optimizer.name, batch_size=trainer.batch_size,
            loss=net.loss.name, l1=net.l1, l2=net.l2, init=net.init,
            dropout=rates.pop() if len(rates) == 1 else (0.0 if not rates else None),
            schedule=trainer.schedule)

    # ------------------------------------------------------------ changes
    def configure(self, **changes: Any) -> list[str]:
        """Change data settings (dataset, n, noise, classes, seed, train_ratio, features)
        and training settings (lr, optimizer, batch_size, loss, l1, l2, init, dropout,
        schedule) in one step. Returns sentences for what had to follow without being asked
        ("the loss is now softmax cross-entropy: …"), for the window to say.

        The weights stay; only what must follow the data changes: the number of outputs when
        the class count does, the loss when the points cannot take it (regression needs mse,
        binary cross-entropy two classes), the input weights when features are toggled. A
        change that reshapes the network clears the undo history (its entries describe a
        network that no longer exists).
        """
        unknown = set(changes) - DATA_KEYS - TRAINING_KEYS
        if unknown:
            raise ValueError(f"unknown setting {sorted(unknown)[0]!r}")
        data = {k: v for k, v in changes.items() if k in DATA_KEYS}
        training = check_training({k: v for k, v in changes.items() if k in TRAINING_KEYS})
        check_data(data)
        before, loss_before, data_before = self.shape.structure, self.net.loss, self.data
        notes: list[str] = []
        with self._all_or_nothing():
            if data:
                notes += self._set_data(data)
            self._set_training(training)
        if self.shape.structure != before:
            self.history.clear()
        if self.data != data_before:
            self.trainer.mark("data", f"Data: {self.data.info.title}")
        if self.net.loss is not loss_before:
            self.trainer.mark("loss", f"Loss: {self.net.loss.label}")
        return notes

    def _set_data(self, changes: dict[str, Any]) -> list[str]:
        if changes.get("dataset") == CUSTOM and self.points is None:
            raise ValueError("there are no points of your own yet: draw some on the plot or "
                             "import a CSV file")
        new = dataclasses.replace(self.data, **changes)
        if "dataset" in changes and changes["dataset"] != self.data.dataset:
            info = new.info
            new = dataclasses.replace(new, n=None, classes=None,
                                      noise=min(max(new.noise, info.noise_range[0]),
                                                info.noise_range[1]))
        return self._apply_data(new)

    def _apply_data(self, new: DataSettings) -> list[str]:
        """Train on the points ``new`` describes; the network follows as little as it must.
        Returns sentences for what had to follow."""
        arrays = self._make_points(new)
        old, trainer, net = self.data, self.trainer, self.net
        notes = []
        self.data = new
        if new.features != old.features:
            trainer.set_features(new.features)
        if new.regression != old.regression and net.output_activation != "linear":
            net.set_output_activation("linear")
            notes.append("the output activation is linear again")
        if net.loss.name not in new.allowed_losses():
            switched = losses.get("mse" if new.regression else "softmax")
            notes.append(f"the loss is now {switched.label}: {new.loss_refusal(net.loss.name)}")
            net.set_loss(switched.name)
        outputs = outputs_for(net.loss.name, new)
        if outputs != net.outputs:
            trainer.edit(lambda n: surgery.set_outputs(n, outputs), retarget=False)
        trainer.set_data(*arrays, features=new.features)
        self.data_version += 1
        return notes

    def _set_training(self, changes: dict[str, Any]) -> None:
        trainer, net = self.trainer, self.net
        if "loss" in changes:
            self._set_loss(changes["loss"])
        if "lr" in changes:
            trainer.lr = changes["lr"]
        if "optimizer" in changes and changes["optimizer"] != trainer.optimizer.name:
            trainer.set_optimizer(changes["optimizer"])
        if "batch_size" in changes:
            trainer.batch_size = changes["batch_size"]
        if "l1" in changes:
            net.l1 = changes["l1"]
        if "l2" in changes:
            net.l2 = changes["l2"]
        if "init" in changes:
            net.init = changes["init"]
        if "dropout" in changes:
            net.set_dropout(changes["dropout"])
        if "schedule" in changes:
            trainer.schedule = changes["schedule"]

    def _set_loss(self, loss: str) -> None:
        """Switch loss; the output layer follows (one output for bce / binary mse). The
        epoch under way goes on with the new loss's targets."""
        if loss == self.net.loss.name:
            return
        refusal = self.data.loss_refusal(loss)
        if refusal:
            raise ValueError(refusal)
        outputs = outputs_for(loss, self.data)
        if outputs != self.net.outputs:
            self.net.set_loss("mse")
            self.trainer.edit(lambda net: surgery.set_outputs(net, outputs), retarget=False)
        self.net.set_loss(loss)
        self.trainer.prepare_targets()
        self.trainer.restart_checkpoints(forget_best=True)

    @contextlib.contextmanager
    def _all_or_nothing(self) -> Iterator[None]:
        """Run a change; if it raises, put back everything it may have touched."""
        trainer, net = self.trainer, self.trainer.net
        saved = (self.data, self.data_version, dict(trainer.__dict__),
                 net.structure(), net.flat.copy(), dict(net.__dict__),
                 net.rng.bit_generator.state, dict(trainer.optimizer.__dict__),
                 trainer.history.copy(), trainer.checkpoints.copy(), self.points)
        try:
            yield
        except BaseException:
            self.data, self.data_version, self.points = saved[0], saved[1], saved[10]
            trainer.__dict__.clear()
            trainer.__dict__.update(saved[2])
            trainer._history, trainer.checkpoints = saved[8], saved[9]
            net.set_structure(saved[3], saved[4])
            for key in ("loss", "l1", "l2", "init", "seed", "rng", "_last_id"):
                setattr(net, key, saved[5][key])
            net.rng.bit_generator.state = saved[6]
            trainer.optimizer.__dict__.update(saved[7])
            raise

    def perform(self, request: Request) -> Edit:
        """An undoable network edit, applied between steps and put on the undo history."""
        with self._all_or_nothing():
            record = edits.perform(self.trainer, request)
        if not record.changed_nothing:
            self.history.push(record)
            self.trainer.mark("weights" if request.op == "set_weight" else "network",
                              request.label)
        return record

    # ------------------------------------------------------- own points
    def edit_points(self, op: str, **args: Any) -> str:
        """Draw, erase or clear the user's own points (see :func:`point_edits.change`);
        undoable. The first change on generated data starts from its points. The weights
        stay; a new class adds an output. Returns what the Edit menu calls it."""
        trainer = self.trainer
        base = point_edits.starting_points(
            self.data, (trainer.X_raw, trainer.y, trainer.X_test_raw, trainer.y_test),
            self.points)
        new, label, target = point_edits.change(base, op, args)
        if new is base and self.data.dataset == CUSTOM:
            return label
        self._record_points(label, new, target)
        return label

    def use_points(self, points: UserPoints, label: str = "Use your points") -> None:
        """Train on ``points`` (e.g. read from a file) instead; undoable."""
        points.check()
        self._record_points(label, points, None)

    def _record_points(self, label: str, points: UserPoints, target: tuple | None) -> None:
        before = (self.data, self.points)
        data = dataclasses.replace(self.data, dataset=CUSTOM, custom=custom_data(points),
                                   n=None, classes=None, noise=0.0)
        self._install_points(data, points)
        if target is None or target != self._points_target:  # one mark a stroke
            self.trainer.mark("data", label)
        self._points_target = target
        self.history.push(PointsEdit(label, before, (data, points), self._install_points,
                                     target))

    def _install_points(self, data: DataSettings, points: UserPoints | None) -> None:
        """Train on ``data`` with ``points`` as the user's own, all or nothing."""
        with self._all_or_nothing():
            self.points = points
            self._apply_data(data)

    def preview(self, request: Request) -> float:
        """How far ``request`` would move the network's outputs on the probe points (the
        training and test points): the largest change of a probability or value. Nothing
        changes; a refused request raises as :meth:`perform` would."""
        net = self.net
        probe = self.trainer.probe_points()
        trial = Network.from_spec(net.to_spec())
        trial.set_structure(net.structure(), net.flat)
        trial.set_loss(net.loss.name)
        with np.errstate(over="ignore", invalid="ignore"):
            before = trial.forward(probe)
            request.apply(trial, probe)
            return float(np.abs(trial.forward(probe) - before).max())

    def undo(self) -> str:
        """Undo the newest edit; returns its name."""
        version = self.data_version
        label = self.history.undo(self.trainer)
        self._points_target = None
        self.trainer.mark("data" if self.data_version != version else "network",
                          f"Undo {label}")
        return label

    def redo(self) -> str:
        version = self.data_version
        label = self.history.redo(self.trainer)
        self._points_target = None
        self.trainer.mark("data" if self.data_version != version else "network",
                          f"Redo {label}")
        return label

    def restore(self, epoch: int | None = None) -> int:
        """Go back to the healthy weights (and optimizer state) of a checkpoint, and to its
        epoch: the newest when ``epoch`` is None. Returns the checkpoint's epoch; KeyError if
        there is none for ``epoch``, ValueError if there is none at all. The next snapshot
        carries the record again from its start (the views drop what came after)."""
        checkpoint = self.trainer.restore(epoch)
        self._restart_record()
        return checkpoint.epoch

    def replace_network(self, net: Network, features: tuple[str, ...] | None = None) -> None:
        """Train ``net`` instead (e.g. loaded from a file), with its own input features.

        Refuses, changing nothing, when it cannot fit the current data.
        """
        features = tuple(features) if features else self.data.features
        if len(features) != net.inputs:
            raise ValueError(f"the network takes {net.inputs} inputs but its file names "
                             f"{len(features)} features")
        if net.loss.name not in self.data.allowed_losses():
            raise ValueError(f"a {net.loss.label} network cannot fit the "
                             f"{self.data.info.title!r} data")
        needed = outputs_for(net.loss.name, self.data)
        if net.outputs != needed:
            raise ValueError(f"the network has {net.outputs} outputs but the "
                             f"{self.data.info.title!r} data needs {needed}")
        data = dataclasses.replace(self.data, features=features)
        self.trainer.set_network(net, self._make_points(data), features)
        self.data = data
        self.data_version += 1
        self.history.clear()
        self._restart_record()

    def replace_with(self, other: Session) -> None:
        """Become ``other`` (a session opened from a file or set up from an experiment), so
        everything holding this session sees the new one. The data version moves on, so
        views and the training process know the points are new."""
        version = max(self.data_version, other.data_version) + 1
        self.__dict__.clear()
        self.__dict__.update(other.__dict__)
        self.data_version = version
        self._restart_record()

    def reset(self, seed: int | None = None) -> None:
        """New weights from the initialiser, fresh optimizer state, empty training history."""
        self.trainer.reset(seed)
        self._restart_record()

    def _restart_record(self) -> None:
        """The next snapshot tells the views to forget the record they have."""
        self._history_reset = True
        self._published_epoch = self._published_marks = 0

    def _make_points(self, data: DataSettings) -> tuple[np.ndarray, ...]:
        """The points, split; refuses (ValueError) settings the dataset cannot take."""
        if data.dataset == CUSTOM:
            return self.points.split(data.train_ratio)
        X, y = make_dataset(data.dataset, n=data.n, noise=data.noise, seed=data.seed,
                            classes=data.classes)
        return split(X, y, data.train_ratio, seed=data.seed)

    # ---------------------------------------------------------- snapshot
    def snapshot(self, resolution: int | None = 100) -> Snapshot:
        """Copies of the state, the history since the last snapshot and (optionally) the
        activations of every neuron on a resolution × resolution grid."""
        trainer, net = self.trainer, self.net
        history = trainer.history
        new_rows = history.since(self._published_epoch, self._published_marks)
        reset, self._history_reset = self._history_reset, False
        self._published_epoch = history.epoch[-1] if len(history) else 0
        self._published_marks = history.marks_made
        grid = trainer.grid_activations(self.data.bounds, resolution) if resolution else None
        return Snapshot(
            step=trainer.step_count, epoch=trainer.epoch, learning_rate=trainer.current_lr,
            sizes=tuple(net.sizes),
            activations=tuple(tuple(layer.activations) for layer in net.layers),
            features=tuple(self.data.features),
            params={k: v.copy() for k, v in net.params.items()},
            edge_grads=trainer.grads.edge_means(), history=new_rows, history_reset=reset,
            grid=grid, divergence=trainer.divergence, data=self.data,
            data_version=self.data_version, X_train=trainer.X_raw, y_train=trainer.y,
            X_test=trainer.X_test_raw, y_test=trainer.y_test, settings=self.settings,
            shape=self.shape, neurons=net.count_neurons(), parameters=net.count_parameters(),
            undo=self.history.undo_label, redo=self.history.redo_label,
            dead=self.dead_neurons(), layer_ids=tuple(net.layer_ids),
            checkpoints=tuple((c.epoch, c.loss) for c in trainer.checkpoints.items),
            zero_weights=net.zero_weights())

    def dead_neurons(self) -> tuple[np.ndarray, ...]:
        """Per hidden layer, which ReLU neurons output 0 for every training point (they get
        no gradient, so they never come back)."""
        net = self.net
        if not len(self.trainer.y) or not any("relu" in h.activations for h in net.hidden):
            return tuple(np.zeros(h.units, dtype=bool) for h in net.hidden)
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = net.layer_outputs(self.trainer.X)[:-1]
        return tuple(np.array([name == "relu" for name in h.activations]) & (out <= 0).all(axis=0)
                     for h, out in zip(net.hidden, outputs, strict=True))
