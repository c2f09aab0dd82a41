"""Session: a Trainer plus the data settings that made its points, and the snapshots views draw.

The GUI changes data settings, architecture and hyperparameters here, between training steps;
nothing is re-initialised unless the user asks (Reset). A :class:`Snapshot` is a copy of
everything a picture needs, so drawing never touches arrays that training is updating.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.core import edits
from playground.core.edits import Edit
from playground.core.network import Dense, Network
from playground.core.params import Transplant
from playground.core.trainer import Bounds, Divergence, GridActivations, History, Trainer
from playground.data import DATASETS, apply_features, dataset_info, display_bounds, make_dataset
from playground.data import train_test_split as split

DEFAULT_SPEC: dict[str, Any] = {
    "inputs": 2,
    "layers": [{"units": 12, "activation": "tanh"}, {"units": 12, "activation": "tanh"}],
    "outputs": 2, "loss": "softmax", "init": "xavier", "seed": 0,
}


@dataclass(frozen=True)
class DataSettings:
    """Everything that decides the points: dataset, size, noise, classes, seed, split, features."""

    dataset: str = "spiral"
    n: int | None = None
    noise: float = 0.0
    classes: int | None = None
    seed: int = 0
    train_ratio: float = 0.5
    features: tuple[str, ...] = ("x1", "x2")

    @property
    def info(self):
        return dataset_info(self.dataset)

    @property
    def regression(self) -> bool:
        return self.info.task == "regression"

    @property
    def class_count(self) -> int:
        """Classes of the dataset (1 for regression)."""
        if self.regression:
            return 1
        return self.classes if self.classes is not None else self.info.default_classes

    @property
    def bounds(self) -> Bounds:
        return display_bounds(self.dataset, self.class_count)


@dataclass(frozen=True)
class Snapshot:
    """A copy of the training state at one moment: what every view draws from.

    ``history`` holds only the epochs since the previous snapshot (``history_reset`` says the
    receiver must clear what it had first). ``structure`` changes whenever the network's shape
    does, so views know when to rebuild rather than recolour.
    """

    step: int
    epoch: int
    learning_rate: float
    sizes: tuple[int, ...]
    activations: tuple[tuple[str, ...], ...]
    features: tuple[str, ...]
    params: dict[str, np.ndarray]
    edge_grads: dict[str, np.ndarray]
    history: History
    history_reset: bool
    grid: GridActivations | None
    divergence: Divergence | None
    data: DataSettings
    data_version: int
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray | None
    y_test: np.ndarray | None
    loss: str
    neurons: int
    parameters: int
    structure: int
    dead: tuple[np.ndarray, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def network(self) -> Network:
        """A network with this snapshot's shape and weights, without regularisation or
        dropout: what the explainer takes apart, however training has moved on since."""
        *hidden, output = self.activations
        net = Network(self.sizes[0], [Dense(list(names)) for names in hidden], self.sizes[-1],
                      self.loss, output[0])
        for key, value in self.params.items():
            net.params[key][...] = value
        return net

    def train_inputs(self) -> np.ndarray:
        """The training points as the network sees them (the input feature columns)."""
        return apply_features(self.X_train, self.features)


def _outputs_for(loss: str, data: DataSettings) -> int:
    if data.regression or loss == "bce":
        return 1
    if loss == "mse" and data.class_count == 2:
        return 1
    return data.class_count


class Session:
    """The state of one playground: data settings, network, trainer and its settings."""

    def __init__(self, data: DataSettings | None = None, spec: dict[str, Any] | None = None,
                 *, optimizer: str = "adam", lr: float = 0.01, batch_size: int | None = 10,
                 seed: int = 0) -> None:
        self.data = data or DataSettings()
        spec = dict(spec or DEFAULT_SPEC)
        spec["inputs"] = len(self.data.features)
        spec["loss"] = "mse" if self.data.regression else spec.get("loss", "softmax")
        spec["outputs"] = _outputs_for(spec["loss"], self.data)
        net = Network.from_spec(spec)
        self.data_version = 0
        self.structure = 0
        self._published_rows = 0
        self._history_reset = True
        arrays = self._make_points(self.data)
        self.trainer = Trainer(net, *arrays, features=self.data.features, optimizer=optimizer,
                               lr=lr, batch_size=batch_size, seed=seed)

    @property
    def net(self) -> Network:
        return self.trainer.net

    # -------------------------------------------------------------- data
    @staticmethod
    def _make_points(data: DataSettings) -> tuple[np.ndarray, ...]:
        classes = data.classes if data.info.class_range is not None else None
        X, y = make_dataset(data.dataset, n=data.n, noise=data.noise, seed=data.seed,
                            classes=classes)
        return split(X, y, data.train_ratio, seed=data.seed)

    def set_data(self, **changes: Any) -> None:
        """Change data settings (dataset, noise, classes, seed, train_ratio, n, features).

        The weights stay; only what must follow the data changes: the number of outputs when
        the class count does, the loss when switching between classification and regression,
        the input weights when features are toggled.
        """
        if "dataset" in changes and changes["dataset"] not in DATASETS:
            raise ValueError(f"unknown dataset {changes['dataset']!r}")
        new = dataclasses.replace(self.data, **changes)
        if "dataset" in changes and changes["dataset"] != self.data.dataset:
            info = new.info
            new = dataclasses.replace(new, n=None, classes=None,
                                      noise=min(max(new.noise, info.noise_range[0]),
                                                info.noise_range[1]))
        arrays = self._make_points(new)
        old = self.data
        self.data = new
        trainer = self.trainer
        if new.features != old.features:
            trainer.set_features(new.features)
            self.structure += 1
        if new.regression != old.regression:
            self.net.set_loss("mse" if new.regression else "softmax")
            self.net.set_output_activation("linear")
        outputs = _outputs_for(self.net.loss.name, new)
        if outputs != self.net.outputs:
            self.edit(lambda net: net.set_outputs(outputs))
        trainer.set_data(*arrays, features=new.features)
        self.data_version += 1

    def regenerate(self) -> None:
        """New points from the next seed (same dataset and settings)."""
        self.set_data(seed=self.data.seed + 1)

    # ----------------------------------------------------------- network
    def edit(self, change: Callable[[Network], Transplant | None]) -> None:
        """A structural edit, applied between steps; optimizer state follows it."""
        self.trainer.edit(change)
        self.structure += 1

    def replace_network(self, net: Network, features: tuple[str, ...] | None = None) -> None:
        """Train ``net`` instead (e.g. loaded from a file), with its own input features.

        Refuses, changing nothing, when it cannot fit the current data.
        """
        features = tuple(features) if features else self.data.features
        if len(features) != net.inputs:
            raise ValueError(f"the network takes {net.inputs} inputs but its file names "
                             f"{len(features)} features")
        if self.data.regression and net.loss.name != "mse":
            raise ValueError(f"a {net.loss.label} network cannot fit the regression data "
                             f"{self.data.info.title!r}")
        needed = _outputs_for(net.loss.name, self.data)
        if net.outputs != needed:
            raise ValueError(f"the network has {net.outputs} outputs but the "
                             f"{self.data.info.title!r} data needs {needed}")
        data = dataclasses.replace(self.data, features=features)
        self.trainer.set_network(net, self._make_points(data), features)
        self.data = data
        self.structure += 1
        self.data_version += 1
        self._history_reset = True
        self._published_rows = 0

    def perform(self, label: str, change: Callable[[Network], Transplant | None]) -> Edit:
        """An undoable edit (see :mod:`playground.core.edits`)."""
        record = edits.perform(self.trainer, label, change)
        if record.before.structure != record.after.structure:
            self.structure += 1
        return record

    def undo(self, record: Edit) -> None:
        record.undo(self.trainer)
        self.structure += 1

    def redo(self, record: Edit) -> None:
        record.redo(self.trainer)
        self.structure += 1

    def set_weight(self, key: str, index: tuple[int, ...], value: float) -> Edit:
        """Set one weight or bias by hand (an undoable edit, applied between steps)."""
        if key not in self.net.params:
            raise KeyError(f"no parameter {key!r}")
        value = float(value)
        if not np.isfinite(value):
            raise ValueError("a weight must be a finite number")

        def change(net: Network) -> None:
            net.params[key][index] = value

        return self.perform(f"Set {key}{list(index)} to {value:g}", change)

    def set_loss(self, loss: str) -> None:
        """Switch loss; the output layer follows (one output for bce / binary mse)."""
        if self.data.regression and loss != "mse":
            raise ValueError("a regression dataset needs the mse loss")
        outputs = _outputs_for(loss, self.data)
        if outputs != self.net.outputs:
            self.net.set_loss("mse")
            self.edit(lambda net: net.set_outputs(outputs))
        self.net.set_loss(loss)
        self.trainer._prepare_targets()

    def reset(self, seed: int | None = None) -> None:
        self.trainer.reset(seed)
        self._history_reset = True
        self._published_rows = 0

    # ---------------------------------------------------------- snapshot
    def snapshot(self, resolution: int | None = 100) -> Snapshot:
        """Copies of the state, the history since the last snapshot and (optionally) the
        activations of every neuron on a resolution × resolution grid."""
        trainer, net = self.trainer, self.net
        history = trainer.history
        new_rows = history.since(self._published_rows)
        reset, self._history_reset = self._history_reset, False
        self._published_rows = len(history)
        grid = trainer.grid_activations(self.data.bounds, resolution) if resolution else None
        dead = self.dead_neurons()
        return Snapshot(
            step=trainer.step_count, epoch=trainer.epoch, learning_rate=trainer.current_lr,
            sizes=tuple(net.sizes),
            activations=tuple(tuple(layer.activations) for layer in net.layers),
            features=tuple(self.data.features),
            params={k: v.copy() for k, v in net.params.items()},
            edge_grads=trainer.edge_grad_means(), history=new_rows, history_reset=reset,
            grid=grid, divergence=trainer.divergence, data=self.data,
            data_version=self.data_version, X_train=trainer.X_raw, y_train=trainer.y,
            X_test=trainer.X_test_raw, y_test=trainer.y_test, loss=net.loss.name,
            neurons=net.count_neurons(), parameters=net.count_parameters(),
            structure=self.structure, dead=dead)

    def dead_neurons(self) -> tuple[np.ndarray, ...]:
        """Per hidden layer, which ReLU neurons output 0 for every training point (they get
        no gradient, so they never come back)."""
        net = self.net
        if not any("relu" in h.activations for h in net.hidden):
            return tuple(np.zeros(h.units, dtype=bool) for h in net.hidden)
        outputs = net.layer_outputs(self.trainer.X)[:-1]
        return tuple(np.array([name == "relu" for name in h.activations]) & (out <= 0).all(axis=0)
                     for h, out in zip(net.hidden, outputs, strict=True))
