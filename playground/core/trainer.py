"""Trainer: runs minibatch training on a Network and keeps what a student wants to watch.

It owns the network, the data, the optimizer and the batch order (reshuffled every epoch),
records train/test loss and accuracy per epoch, averages |∂L/∂w| for every edge, notices when
the loss or the weights stop being finite (and keeps the last weights whose loss was finite,
so training can go on from them at a lower learning rate), and evaluates
every neuron on a display grid in one forward pass. Nothing here knows about Qt; the app's
driver calls :meth:`run_for` in slices and publishes :meth:`snapshot` copies.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from playground.core import surgery
from playground.core.grid import Bounds, GridActivations, grid_activations, grid_inputs
from playground.core.losses import is_classification
from playground.core.network import Network, Structure
from playground.core.optimizers import Optimizer, Schedule
from playground.core.params import Transplant, weight_key
from playground.data.features import apply_features


@dataclass
class History:
    """One row per finished epoch."""

    epoch: list[int] = field(default_factory=list)
    step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    grad_norms: list[tuple[float, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.epoch)

    def since(self, start: int) -> History:
        """The rows from ``start`` on, as a new History (a cheap copy for snapshots)."""
        return History(*(getattr(self, f)[start:] for f in self.__dataclass_fields__))

    def joined(self, later: History) -> History:
        """These rows, then ``later``'s (two snapshots' news as one)."""
        return History(*(getattr(self, f) + getattr(later, f) for f in self.__dataclass_fields__))


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
                f"{self.learning_rate:g} — lower the learning rate, then press Play again")


@dataclass(frozen=True)
class Metrics:
    loss: float
    accuracy: float | None


class Trainer:
    """Minibatch training with the bookkeeping a visual playground needs.

    ``X`` are raw 2D points when ``features`` is given (the network then sees the feature
    columns), otherwise the network's inputs directly. ``batch_size=None`` means full batch.
    """

    def __init__(self, net: Network, X: np.ndarray, y: np.ndarray,
                 X_test: np.ndarray | None = None, y_test: np.ndarray | None = None, *,
                 features: Sequence[str] | None = None, optimizer: str | Optimizer = "sgd",
                 lr: float = 0.03, batch_size: int | None = 10,
                 schedule: Schedule | None = None, seed: int | None = 0,
                 grad_decay: float = 0.5) -> None:
        self.net = net
        self.lr = float(lr)
        self._batch_size = batch_size
        self.schedule = schedule or Schedule()
        self.optimizer = optimizer if isinstance(optimizer, Optimizer) else Optimizer(optimizer)
        self.grad_decay = grad_decay
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self._grid_key: tuple | None = None
        self._grid_inputs: np.ndarray | None = None
        self.set_data(X, y, X_test, y_test, features)
        self._reset_counters()

    # -------------------------------------------------------------- setup
    def set_data(self, X: np.ndarray, y: np.ndarray, X_test: np.ndarray | None = None,
                 y_test: np.ndarray | None = None,
                 features: Sequence[str] | None = None) -> None:
        """Swap the data (and feature set); weights stay, the epoch restarts.

        Everything is checked before anything changes, so refused data (an unknown feature,
        the wrong number of columns) leaves the trainer as it was.
        """
        features = tuple(features) if features is not None else None
        X_raw, y = np.asarray(X, dtype=float), np.asarray(y)
        X_in = apply_features(X_raw, features) if features else X_raw
        if X_in.shape[1] != self.net.inputs:
            raise ValueError(f"the data has {X_in.shape[1]} input columns but the network "
                             f"takes {self.net.inputs}")
        if len(X_in) != len(y):
            raise ValueError("X and y must be of the same length")
        has_test = X_test is not None and len(X_test) > 0
        X_test_raw = np.asarray(X_test, dtype=float) if has_test else None
        X_test_in = (apply_features(X_test_raw, features) if features else X_test_raw
                     ) if has_test else None
        y_test = np.asarray(y_test) if has_test else None
        t, t_test = self._targets(y, y_test)
        self.features, self.X_raw, self.y, self.X = features, X_raw, y, X_in
        self.X_test_raw, self.y_test, self.X_test = X_test_raw, y_test, X_test_in
        self.classification = is_classification(self.y)
        self.t, self.t_test = t, t_test
        self._batch = self.effective_batch
        self._grid_key = None
        self._pos = len(self.y)  # the next step starts a fresh, reshuffled epoch

    def _targets(self, y: np.ndarray, y_test: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray | None]:
        """Labels in the loss's own form, converted once rather than every step."""
        targets, outputs = self.net.loss.targets, self.net.outputs
        return targets(y, outputs), targets(y_test, outputs) if y_test is not None else None

    def prepare_targets(self) -> None:
        """Convert the labels again after the loss or the number of outputs changed."""
        self.t, self.t_test = self._targets(self.y, self.y_test)
        self._batch = self.effective_batch

    def _reset_counters(self) -> None:
        self.step_count = 0
        self.epoch = 0
        self._history = History()
        self._pending_train: int | None = None
        self.divergence: Divergence | None = None
        self._pos = len(self.y)
        self._alloc_buffers()

    def _alloc_buffers(self) -> None:
        layout = self.net.layout
        self._grad = np.zeros(layout.size)
        self._grad_views = layout.views(self._grad)
        self._last_good = self.net.flat.copy()   # the weights before the latest update
        self._checkpoint = self.net.flat.copy()  # at the last epoch end with a finite loss
        self._abs_tmp = np.zeros(layout.size)
        self._abs_sum = np.zeros(layout.size)
        self._abs_count = 0
        self._abs_mean = np.zeros(layout.size)

    def reset(self, seed: int | None = None) -> None:
        """New weights from the initialiser (seeded if ``seed`` is given), fresh optimizer
        state, empty history."""
        self.net.reinitialize(seed)
        self.optimizer.reset()
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self._reset_counters()

    def resume(self) -> None:
        """Forget a divergence so training can go on (after the user changed something)."""
        self.divergence = None

    @property
    def batch_size(self) -> int | None:
        """Examples per step; None (or 0) means the whole training set."""
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int | None) -> None:
        if value is not None and value < 0:
            raise ValueError("batch size must be positive (or None for full batch)")
        self._batch_size = value
        self._batch = self.effective_batch

    @property
    def has_points(self) -> bool:
        """Whether there is anything to train on (the user may have erased every point)."""
        return len(self.y) > 0

    @property
    def effective_batch(self) -> int:
        n = max(1, len(self.y))
        return n if not self.batch_size else min(int(self.batch_size), n)

    @property
    def steps_per_epoch(self) -> int:
        return max(1, math.ceil(len(self.y) / self.effective_batch))

    @property
    def current_lr(self) -> float:
        return self.schedule.rate(self.lr, self.epoch)

    def set_network(self, net: Network, data: Sequence[np.ndarray | None] | None = None,
                    features: Sequence[str] | None = None) -> None:
        """Train a different network from here on: fresh optimizer state and history.

        ``data`` (X, y, X_test, y_test) and ``features`` replace the data at the same time (a
        loaded network brings its own features). Refuses, changing nothing, if they don't fit.
        """
        if data is None and net.inputs != self.X.shape[1]:
            raise ValueError(f"the network takes {net.inputs} inputs but the data has "
                             f"{self.X.shape[1]} columns")
        if data is not None:
            old, self.net = self.net, net
            try:
                self.set_data(*data, features=features)
            except BaseException:
                self.net = old
                raise
        self.net = net
        self.optimizer.reset()
        self.prepare_targets()
        self._reset_counters()

    def set_optimizer(self, optimizer: str | Optimizer) -> None:
        """Switch the update rule; weights stay, the new rule starts with empty state."""
        self.optimizer = optimizer if isinstance(optimizer, Optimizer) else Optimizer(optimizer)

    def edit(self, change: Callable[[Network], Transplant | None], retarget: bool = True
             ) -> None:
        """Apply a network edit between steps; optimizer state and statistics follow it.

        ``retarget=False`` leaves the labels' conversion to a :meth:`set_data` that follows
        at once (new points with a new class count: the old labels may not fit the outputs).
        """
        old_layout = self.net.layout
        old_sum, old_mean = old_layout.views(self._abs_sum), old_layout.views(self._abs_mean)
        transplant = change(self.net)
        if transplant is None:
            return
        self.optimizer.remap(old_layout, transplant)
        if retarget:
            self.prepare_targets()
        count = self._abs_count
        self._alloc_buffers()
        self._abs_sum, self._abs_count = transplant.apply(old_sum), count
        self._abs_mean = transplant.apply(old_mean)
        self._grid_key = None

    def arrays(self) -> dict[str, np.ndarray]:
        """Copies of every flat per-parameter array: weights, optimizer state, statistics."""
        arrays = {"params": self.net.flat.copy(), "abs_sum": self._abs_sum.copy(),
                  "abs_mean": self._abs_mean.copy()}
        arrays.update({f"opt:{k}": v.copy() for k, v in self.optimizer.state.items()})
        return arrays

    def restore_arrays(self, structure: Structure, arrays: dict[str, np.ndarray]) -> None:
        """Install a network shape with its arrays (as :meth:`arrays` gives them); optimizer
        state the current rule does not have, or lacks, starts at zero."""
        count = self._abs_count
        self.net.set_structure(structure, arrays["params"])
        self._alloc_buffers()
        self._abs_sum, self._abs_count = arrays["abs_sum"].copy(), count
        self._abs_mean = arrays["abs_mean"].copy()
        state = self.optimizer.state
        self.optimizer.remap_to({k: arrays.get(f"opt:{k}") for k in state},
                                self.net.layout.size)
        self.prepare_targets()
        self._grid_key = None

    def set_features(self, features: Sequence[str]) -> None:
        """Toggle input features: kept features keep their weights, new ones start at zero."""
        old = list(self.features or ())
        new = tuple(features)
        sources = [old.index(f) if f in old else -1 for f in new]
        self.features = new
        self.edit(lambda net: surgery.set_inputs(net, sources))
        self.set_data(self.X_raw, self.y, self.X_test_raw, self.y_test, new)

    # ----------------------------------------------------------- training
    def _start_epoch(self) -> None:
        self._batch = self.effective_batch
        if self._batch < len(self.y):
            order = self.rng.permutation(len(self.y))
            self._Xs, self._ts = self.X[order], self.t[order]
        else:
            self._Xs, self._ts = self.X, self.t
        self._pos = 0

    def step(self) -> float:
        """One minibatch: forward, backward, update. Returns the batch loss (NaN once diverged)."""
        with _quiet_overflow():
            return self._step()

    def _step(self) -> float:
        if self.divergence is not None or not self.has_points:
            return math.nan
        if self._pos >= len(self.y):
            self._start_epoch()
        b = self._batch
        xb = self._Xs[self._pos:self._pos + b]
        tb = self._ts[self._pos:self._pos + b]
        net = self.net
        loss, data_loss, scores = net.loss_into(xb, tb, self._grad, self._grad_views,
                                                training=True, rng=self.rng)
        if self._pending_train is not None:
            self._fill_train_metrics(data_loss, scores)
        if not math.isfinite(loss):
            self._diverge("loss became " + ("NaN" if math.isnan(loss) else "infinite"))
            return loss
        np.copyto(self._last_good, net.flat)
        self.optimizer.step(net.flat, self._grad, self.current_lr)
        np.abs(self._grad, out=self._abs_tmp)
        self._abs_sum += self._abs_tmp
        self._abs_count += 1
        self.step_count += 1
        self._pos += b
        if self._pos >= len(self.y):
            self._end_epoch()
        return loss

    @property
    def _step_sees_all(self) -> bool:
        """Full batch without dropout: a step's forward pass is an evaluation of the weights."""
        return self._batch >= len(self.y) and not any(h.dropout for h in self.net.hidden)

    def _fill_train_metrics(self, data_loss: float, scores: np.ndarray) -> None:
        row, self._pending_train = self._pending_train, None
        self._history.train_loss[row] = data_loss
        if self.classification:
            accuracy = np.count_nonzero(self.net.loss.predict(scores) == self.y) / len(self.y)
            self._history.train_accuracy[row] = accuracy
        if math.isfinite(data_loss):
            np.copyto(self._checkpoint, self.net.flat)
        else:
            self._diverge("loss became " + ("NaN" if math.isnan(data_loss) else "infinite"))

    @property
    def history(self) -> History:
        """Per-epoch metrics of the weights at each epoch's end."""
        if self._pending_train is not None:
            scores, _ = self.net.forward_cache(self.X)
            self._fill_train_metrics(self.net.loss.value_and_grad(scores, self.t)[0], scores)
        return self._history

    def _diverge(self, what: str) -> None:
        """Stop, keeping the latest weights whose training loss is finite.

        Those before the update that broke things, if their loss on the whole training set is
        finite too (their batch loss was); else those of the last epoch end. Finite weights
        whose loss has overflowed are not kept: from them even a tiny step diverges again. The
        optimizer's state was built up by the diverging steps, so it starts afresh.
        """
        if self.divergence is not None:  # a step's own check after the epoch's: same event
            return
        if what.startswith("loss") and not np.isfinite(self.net.flat).all():
            what = "weights became non-finite"
        np.copyto(self.net.flat, self._last_good)
        if not math.isfinite(self.evaluate(self.X, self.y, self.t).loss):
            np.copyto(self.net.flat, self._checkpoint)
        self.optimizer.reset()
        self.divergence = Divergence(self.step_count, self.epoch, self.current_lr, what)

    def _end_epoch(self) -> None:
        """Record the epoch. With full batch the next step's forward pass measures the
        training set anyway, so the train metrics are filled in then (or when read)."""
        self.epoch += 1
        defer = self._step_sees_all
        train = Metrics(math.nan, None) if defer else self.evaluate(self.X, self.y, self.t)
        test = (self.evaluate(self.X_test, self.y_test, self.t_test)
                if self.X_test is not None else None)
        h = self._history
        h.epoch.append(self.epoch)
        h.step.append(self.step_count)
        h.train_loss.append(train.loss)
        h.test_loss.append(test.loss if test else math.nan)
        h.train_accuracy.append(_or_nan(train.accuracy))
        h.test_accuracy.append(_or_nan(test.accuracy) if test else math.nan)
        h.learning_rate.append(self.schedule.rate(self.lr, self.epoch - 1))
        h.grad_norms.append(self.layer_grad_norms())
        if self._abs_count:
            d = self.grad_decay if len(h) > 1 else 0.0
            self._abs_mean *= d
            self._abs_mean += (1.0 - d) / self._abs_count * self._abs_sum
            self._abs_sum[:] = 0.0
            self._abs_count = 0
        if defer:
            self._pending_train = len(h) - 1
        elif math.isfinite(train.loss):
            np.copyto(self._checkpoint, self.net.flat)
        else:
            self._diverge("loss became " + ("NaN" if math.isnan(train.loss) else "infinite"))

    def run(self, steps: int) -> int:
        """Up to ``steps`` steps; stops early on divergence. Returns the steps taken."""
        done = 0
        with _quiet_overflow():
            while done < steps and self.divergence is None and self.has_points:
                self._step()
                done += 1
        return done

    def run_epochs(self, epochs: int) -> int:
        target = self.epoch + epochs
        start = self.step_count
        with _quiet_overflow():
            while self.epoch < target and self.divergence is None and self.has_points:
                self._step()
        return self.step_count - start

    def run_for(self, seconds: float, max_steps: int | None = None) -> int:
        """Train for a time budget (the GUI's pacing unit). Returns the steps taken."""
        deadline = time.perf_counter() + seconds
        start = self.step_count
        with _quiet_overflow():
            while (self.divergence is None and self.has_points
                   and time.perf_counter() < deadline):
                self._step()
                if max_steps is not None and self.step_count - start >= max_steps:
                    break
        return self.step_count - start

    # ------------------------------------------------------------ metrics
    def evaluate(self, X: np.ndarray, y: np.ndarray, targets: np.ndarray | None = None
                 ) -> Metrics:
        """Data loss and accuracy (None for regression) of the current weights."""
        scores, _ = self.net.forward_cache(X)
        loss, _ = self.net.loss.value_and_grad(scores, y if targets is None else targets)
        if not self.classification:
            return Metrics(loss, None)
        return Metrics(loss, np.count_nonzero(self.net.loss.predict(scores) == y) / len(y))

    def layer_grad_norms(self) -> tuple[float, ...]:
        """Size of each layer's weight gradient, input side first: ‖mean |∂L/∂W|‖ over the
        steps since the last epoch ended (the latest batch's ‖∂L/∂W‖ before any step).

        Averaging over the epoch keeps a batch-of-10 curve readable; a vanishing gradient
        shows the same way."""
        if self._abs_count:
            views = self.net.layout.views(self._abs_sum / self._abs_count)
        else:
            views = self._grad_views
        return tuple(float(np.linalg.norm(views[weight_key(k)]))
                     for k in range(1, len(self.net.sizes)))

    def edge_grad_means(self) -> dict[str, np.ndarray]:
        """Running mean of |∂L/∂w| per parameter (averaged per epoch, then smoothed)."""
        source = self._abs_mean
        if not len(self._history) and self._abs_count:
            source = self._abs_sum / self._abs_count
        return {k: v.copy() for k, v in self.net.layout.views(source).items()}

    # --------------------------------------------------------------- grid
    def grid_activations(self, bounds: Bounds, resolution: int = 100) -> GridActivations:
        """One forward pass over a display grid gives the boundary and every neuron's map."""
        key = (tuple(bounds), resolution, self.features, self.net.inputs)
        if key != self._grid_key:
            self._grid_inputs = grid_inputs(bounds, resolution, self.features)
            self._grid_key = key
        return grid_activations(self.net, self._grid_inputs, bounds, resolution)


def _quiet_overflow() -> np.errstate:
    """Overflow on the way to divergence is expected and reported as a Divergence instead."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value
