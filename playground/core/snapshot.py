"""What every view draws from: a copy of the training state at one moment.

Views never read the live session; they get a :class:`Snapshot`, so drawing never touches
arrays that training is updating, and the same picture can come from another process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.checkpoints import Divergence
from playground.core.grid import GridActivations
from playground.core.history import History
from playground.core.network import Dense, Network, Structure
from playground.core.settings import DataSettings, TrainingSettings
from playground.data import apply_features


@dataclass(frozen=True)
class Shape:
    """The network's shape and the features its inputs are: when it changes, views rebuild
    rather than recolour."""

    structure: Structure
    features: tuple[str, ...]


@dataclass(frozen=True)
class Snapshot:
    """A copy of the training state at one moment.

    ``history`` holds only the epochs and marks since the previous snapshot
    (``history_reset`` says the receiver must clear what it had first). ``undo`` and ``redo``
    name what the Edit menu would undo or redo (None: nothing). ``layer_ids`` give each
    column 1..depth its layer's lasting id; ``checkpoints`` (epoch, training loss) the
    healthy states :meth:`Session.restore` can go back to, oldest first; ``zero_weights``
    how many weights are exactly 0 (L1 makes them).
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
    settings: TrainingSettings
    shape: Shape
    neurons: int
    parameters: int
    undo: str | None = None
    redo: str | None = None
    dead: tuple[np.ndarray, ...] = ()
    layer_ids: tuple[int, ...] = ()
    checkpoints: tuple[tuple[int, float], ...] = ()
    zero_weights: int = 0

    @property
    def loss(self) -> str:
        return self.settings.loss

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
