"""Trainer: minibatch training on a Network, keeping what a student wants to watch: each
epoch in a self-thinning :class:`~playground.core.history.History`, |∂L/∂w| per edge, a ring
of healthy checkpoints to go back to when the loss or the weights stop being finite
(:mod:`~playground.core.checkpoints`), every neuron on a display grid. No Qt here; the
training process calls :meth:`run_for` in slices.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from playground.core import regularization, surgery
from playground.core.checkpoints import Checkpoint, CheckpointRing, Divergence
from playground.core.grad_stats import GradStats
from playground.core.grid import Bounds, DisplayGrid, GridActivations
from playground.core.history import History
from playground.core.losses import is_classification
from playground.core.network import Network, Structure
from playground.core.optimizers import Optimizer, Schedule
from playground.core.params import Transplant
from playground.data.features import apply_features

CHECKPOINT_SPACING = 16
"""Steps at least between two checkpoints: one per epoch of minibatches, but a full-batch
run (an epoch a step) does not copy its weights and optimizer state every step."""
PROBE_GRID_STRIDE = 7
"""Every how-many-th display grid point joins the probe points (about 1,400 of 10,000)."""


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
        self._grid = DisplayGrid()
        self._order: np.ndarray | None = None
        self.checkpoints = CheckpointRing()
        self._set_data(X, y, X_test, y_test, features)
        self._reset_counters()

    # -------------------------------------------------------------- setup
    def _set_data(self, X: np.ndarray, y: np.ndarray, X_test: np.ndarray | None = None,
                  y_test: np.ndarray | None = None,
                  features: Sequence[str] | None = None) -> None:
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
        self._grid.forget()
        self._pos = len(self.y)  # the next step starts a fresh, reshuffled epoch

    def set_data(self, X: np.ndarray, y: np.ndarray, X_test: np.ndarray | None = None,
                 y_test: np.ndarray | None = None,
                 features: Sequence[str] | None = None) -> None:
        """Swap the data (and feature set); weights stay, the epoch restarts, and so do the
        checkpoints (the loss now means something else).

        Everything is checked before anything changes, so refused data (an unknown feature,
        the wrong number of columns) leaves the trainer as it was.
        """
        self._set_data(X, y, X_test, y_test, features)
        self.restart_checkpoints(forget_best=True)

    def _targets(self, y: np.ndarray, y_test: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray | None]:
        """Labels in the loss's own form, converted once rather than every step."""
        targets, outputs = self.net.loss.targets, self.net.outputs
        return targets(y, outputs), targets(y_test, outputs) if y_test is not None else None

    def prepare_targets(self) -> None:
        """Convert the labels again after the loss or the number of outputs changed; the
        epoch under way goes on in the same order with the new targets."""
        self.t, self.t_test = self._targets(self.y, self.y_test)
        if self._pos < len(self.y):
            self._ts = self.t if self._order is None else self.t[self._order]
        self._batch = self.effective_batch

    def _reset_counters(self) -> None:
        self.step_count = 0
        self.epoch = 0
        self._history = History()
        self._pending_train: int | None = None
        self.divergence: Divergence | None = None
        self._pos = len(self.y)
        self._offered_at = 0
        self._alloc_buffers()
        self.checkpoints.clear(forget_best=True)
        self.checkpoint_now()

    def _alloc_buffers(self) -> None:
        layout = self.net.layout
        self._grad = np.zeros(layout.size)
        self._grad_views = layout.views(self._grad)
        self._last_good = self.net.flat.copy()   # the weights before the latest update
        self._ids = tuple(self.net.layer_ids)
        self.grads = GradStats(layout, self.grad_decay)

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

    # -------------------------------------------------------- checkpoints
    def checkpoint_now(self) -> bool:
        """Offer the current weights and optimizer state to the ring (kept if the training
        loss is sane); True if kept. Without training points there is nothing to measure."""
        return self.has_points and self._offer(self.evaluate(self.X, self.y, self.t).loss)

    def _offer(self, train_loss: float) -> bool:
        self._offered_at = self.step_count
        arrays = {"params": self.net.flat.copy(), **self.optimizer.named_state()}
        return self.checkpoints.offer(Checkpoint(self.epoch, self.step_count, train_loss,
                                                 self.net.structure(), arrays))

    def restore(self, epoch: int | None = None) -> Checkpoint:
        """Go back to the checkpoint of ``epoch`` (the newest when None): its weights,
        optimizer state, epoch and step count; the record after it and newer checkpoints are
        forgotten (that stretch did not happen). Raises ValueError when there is none,
        KeyError for an epoch without one."""
        checkpoint = self.checkpoints.go_back(epoch, self.net.structure())
        np.copyto(self.net.flat, checkpoint.arrays["params"])
        self.optimizer.load_named_state(checkpoint.arrays, self.net.layout.size)
        self.divergence = None
        self.epoch, self.step_count = checkpoint.epoch, checkpoint.step
        self._pos, self._pending_train = len(self.y), None
        self._history.truncate(checkpoint.epoch)
        self._history.mark(self.epoch, "weights", f"Restored epoch {checkpoint.epoch}")
        return checkpoint

    def mark(self, kind: str, text: str) -> None:
        """Something outside training changed (a :class:`~playground.core.history.Mark`
        kind): say so in the record, after the latest epoch."""
        self._history.mark(self.epoch, kind, text)

    def restart_checkpoints(self, forget_best: bool = False) -> None:
        """Checkpoints of another network shape, other data or another loss no longer apply:
        the ring starts again from the current weights. ``forget_best`` when the loss
        changed meaning (other data, another loss)."""
        self.checkpoints.clear(forget_best)
        self.checkpoint_now()

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
                self._set_data(*data, features=features)
            except BaseException:
                self.net = old
                raise
        self.net = net
        self.optimizer.reset()
        self._pos = len(self.y)
        self.prepare_targets()
        self._reset_counters()

    def set_optimizer(self, optimizer: str | Optimizer) -> None:
        """Switch the update rule; weights stay, the new rule starts with empty state."""
        self.optimizer = optimizer if isinstance(optimizer, Optimizer) else Optimizer(optimizer)

    def edit(self, change: Callable[[Network], Transplant | None], retarget: bool = True
             ) -> None:
        """Apply a network edit between steps; optimizer state and statistics follow it.

        ``retarget=False`` leaves the labels' conversion (and the checkpoints) to a
        :meth:`set_data` that follows at once (new points with a new class count: the old
        labels may not fit the outputs; new features: the old columns do not fit the inputs).
        """
        old_layout, old_structure, old_grads = self.net.layout, self.net.structure(), self.grads
        old_params = old_layout.views(self.net.flat.copy())
        transplant = change(self.net)
        if transplant is None:
            if retarget and self.net.structure() != old_structure:
                self.restart_checkpoints()
            return
        self.optimizer.remap(old_layout, transplant)
        if self.optimizer.state:
            # entries the edit set rather than moved, and those whose inputs it rescaled,
            # start over; unused maxout pieces stay still
            self.optimizer.forget((transplant.apply(old_params, fill=np.nan) != self.net.flat)
                                  | transplant.restart_mask())
            self.optimizer.forget(self.net.unused_mask(), ease=False)
        if retarget:
            self.prepare_targets()
        self._alloc_buffers()
        self.grads = old_grads.moved(transplant)
        self._grid.forget()
        if retarget:
            self.restart_checkpoints()

    def probe_points(self) -> np.ndarray:
        """Network inputs an edit should keep the outputs on: the training and test points
        and a sample of the display grid (once one was drawn)."""
        parts = [self.X] if self.X_test is None else [self.X, self.X_test]
        grid = self._grid.inputs
        if grid is not None and grid.shape[1] == self.X.shape[1]:
            parts.append(grid[::PROBE_GRID_STRIDE])
        return np.concatenate(parts)

    def arrays(self) -> dict[str, np.ndarray]:
        """Copies of every flat per-parameter array: weights, optimizer state (named
        ``opt:<rule>:<key>``), statistics."""
        return {"params": self.net.flat.copy(), "abs_sum": self.grads.sum.copy(),
                "abs_mean": self.grads.mean.copy(), **self.optimizer.named_state()}

    def restore_arrays(self, structure: Structure, arrays: dict[str, np.ndarray]) -> None:
        """Install a network shape with its arrays (as :meth:`arrays` gives them); optimizer
        state of another rule, or missing, starts at zero."""
        old_grads = self.grads
        self.net.set_structure(structure, arrays["params"])
        self._alloc_buffers()
        self.grads = old_grads.replaced(self.net.layout, arrays["abs_sum"], arrays["abs_mean"])
        if self.optimizer.state:
            self.optimizer.load_named_state(arrays, self.net.layout.size)
        self.prepare_targets()
        self._grid.forget()
        self.restart_checkpoints()

    def set_features(self, features: Sequence[str]) -> None:
        """Toggle input features: kept features keep their weights, new ones start at zero."""
        old = list(self.features or ())
        new = tuple(features)
        sources = [old.index(f) if f in old else -1 for f in new]
        self.features = new
        self.edit(lambda net: surgery.set_inputs(net, sources), retarget=False)
        self.set_data(self.X_raw, self.y, self.X_test_raw, self.y_test, new)

    # ----------------------------------------------------------- training
    def _start_epoch(self) -> None:
        self._batch = self.effective_batch
        if self._batch < len(self.y):
            self._order = self.rng.permutation(len(self.y))
            self._Xs, self._ts = self.X[self._order], self.t[self._order]
        else:
            self._order = None
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
            self._fill_train_metrics(data_loss, scores, loss - data_loss)
        if not math.isfinite(loss):
            self._diverge("loss became " + ("NaN" if math.isnan(loss) else "infinite"))
            return loss
        np.copyto(self._last_good, net.flat)
        self.optimizer.step(net.flat, self._grad, self.current_lr)
        if net.l1:
            n = net.layout.n_weights
            regularization.land_zeros(net.flat[:n], self._last_good[:n], self._grad[:n])
        self.grads.add(self._grad)
        self.step_count += 1
        self._pos += b
        if self._pos >= len(self.y):
            self._end_epoch()
        return loss

    @property
    def _step_sees_all(self) -> bool:
        """Full batch without dropout: a step's forward pass is an evaluation of the weights."""
        return self._batch >= len(self.y) and not any(h.dropout for h in self.net.hidden)

    def _fill_train_metrics(self, data_loss: float, scores: np.ndarray,
                            penalty: float | None = None) -> None:
        """The deferred train row from a forward pass over every training point (and, when
        that pass was a step's, its regularisation term, so it is not computed twice)."""
        row, self._pending_train = self._pending_train, None
        self._history.train_loss[row] = data_loss
        self._history.regularization[row] = (self.net.regularization() if penalty is None
                                             else penalty)
        if self.classification:
            accuracy = np.count_nonzero(self.net.loss.predict(scores) == self.y) / len(self.y)
            self._history.train_accuracy[row] = accuracy
        self._epoch_checked(data_loss)

    def _epoch_checked(self, train_loss: float) -> None:
        """An epoch's training loss is known: a checkpoint if it is sane, a divergence if it
        is not finite."""
        if math.isfinite(train_loss):
            if self.step_count - self._offered_at >= CHECKPOINT_SPACING:
                self._offer(train_loss)
        else:
            self._diverge("loss became " + ("NaN" if math.isnan(train_loss) else "infinite"))

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
        finite too (their batch loss was); else those of the newest checkpoint. They show what
        went wrong (weights of 10⁵…); :meth:`restore` goes back to the newest *sane* ones. The
        optimizer's state was built up by the diverging steps, so it starts afresh.
        """
        if self.divergence is not None:  # a step's own check after the epoch's: same event
            return
        if what.startswith("loss") and not np.isfinite(self.net.flat).all():
            what = "weights became non-finite"
        np.copyto(self.net.flat, self._last_good)
        latest = self.checkpoints.latest()
        if (latest is not None and latest.structure == self.net.structure()
                and not math.isfinite(self.evaluate(self.X, self.y, self.t).loss)):
            np.copyto(self.net.flat, latest.arrays["params"])
        self.optimizer.reset()
        self.divergence = Divergence(self.step_count, self.epoch, self.current_lr, what)

    def _check_weights(self) -> None:
        """After a run of steps: weights that overflowed in the last update never reach a
        snapshot (the next step's loss would notice, but a picture may come first)."""
        if self.divergence is None and not np.isfinite(self.net.flat).all():
            self._diverge("weights became non-finite")

    def _end_epoch(self) -> None:
        """Record the epoch. With full batch the next step's forward pass measures the
        training set anyway, so the train metrics are filled in then (or when read)."""
        self.epoch += 1
        defer = self._step_sees_all
        train = Metrics(math.nan, None) if defer else self.evaluate(self.X, self.y, self.t)
        test = (self.evaluate(self.X_test, self.y_test, self.t_test)
                if self.X_test is not None else None)
        h = self._history
        h.append(epoch=self.epoch, step=self.step_count, train_loss=train.loss,
                 test_loss=test.loss if test else math.nan,
                 train_accuracy=_or_nan(train.accuracy),
                 test_accuracy=_or_nan(test.accuracy) if test else math.nan,
                 learning_rate=self.schedule.rate(self.lr, self.epoch - 1),
                 grad_norms=self.grads.layer_norms(self._grad, self.net.depth),
                 layer_ids=self._ids,
                 regularization=math.nan if defer else self.net.regularization())
        self.grads.end_epoch()
        if defer:
            self._pending_train = len(h) - 1
        else:
            self._epoch_checked(train.loss)

    def run(self, steps: int) -> int:
        """Up to ``steps`` steps; stops early on divergence. Returns the steps taken."""
        target = self.step_count + steps
        return self._run_while(lambda: self.step_count < target)

    def run_epochs(self, epochs: int) -> int:
        """Until ``epochs`` more epochs have ended (the first may be one under way)."""
        target = self.epoch + epochs
        return self._run_while(lambda: self.epoch < target)

    def run_pass(self) -> int:
        """Exactly one pass over the training points: an epoch under way is given up (its
        steps stay taken) and a freshly shuffled one runs to its end."""
        self._pos = len(self.y)
        return self.run_epochs(1)

    def run_for(self, seconds: float, max_steps: int | None = None) -> int:
        """Train for a time budget (the GUI's pacing unit). Returns the steps taken."""
        deadline = time.perf_counter() + seconds
        stop = math.inf if max_steps is None else self.step_count + max_steps
        return self._run_while(lambda: self.step_count < stop
                               and time.perf_counter() < deadline)

    def _run_while(self, going: Callable[[], bool]) -> int:
        """Steps while ``going()`` holds, training has not diverged and there are points."""
        start = self.step_count
        with _quiet_overflow():
            while self.divergence is None and self.has_points and going():
                self._step()
            self._check_weights()
        return self.step_count - start

    # ------------------------------------------------------------ metrics
    def evaluate(self, X: np.ndarray, y: np.ndarray, targets: np.ndarray | None = None
                 ) -> Metrics:
        """Data loss and accuracy (None for regression) of the current weights."""
        with _quiet_overflow():
            scores, _ = self.net.forward_cache(X)
            loss, _ = self.net.loss.value_and_grad(scores, y if targets is None else targets)
        if not self.classification:
            return Metrics(loss, None)
        return Metrics(loss, np.count_nonzero(self.net.loss.predict(scores) == y) / len(y))

    def grid_activations(self, bounds: Bounds, resolution: int = 100) -> GridActivations:
        """One forward pass over a display grid gives the boundary and every neuron's map
        (huge weights before a divergence is noticed overflow quietly: the picture shows it)."""
        with _quiet_overflow():
            return self._grid.activations(self.net, self.features, bounds, resolution)


def _quiet_overflow() -> np.errstate:
    """Overflow on the way to divergence is expected and reported as a Divergence instead."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value
