"""Divergence you can undo: a ring of sane checkpoints, restore, and training that goes on."""

import math

import numpy as np
import pytest

from playground.core import edits
from playground.core.checkpoints import CAPACITY, RECENT_CHECKPOINTS, Checkpoint, CheckpointRing
from playground.core.session import Session
from playground.core.settings import DataSettings


def diverging_session(lr: float = 3.0) -> Session:
    """The README's recipe: mean squared error with SGD at learning rate 3."""
    session = Session(DataSettings("circle"), optimizer="sgd", lr=0.03)
    session.configure(loss="mse")
    session.trainer.run_epochs(20)
    session.configure(lr=lr)
    session.trainer.run_epochs(2000)
    assert session.trainer.divergence is not None
    return session


def test_divergence_offers_the_last_sane_checkpoint_and_restoring_then_a_lower_rate_trains_on():
    session = diverging_session()
    trainer = session.trainer
    kept = trainer.evaluate(trainer.X, trainer.y, trainer.t).loss
    latest = trainer.checkpoints.latest()
    assert latest.loss < 1.0 < kept   # the last finite weights are blown up; the checkpoint not
    epoch = session.restore()
    assert epoch == latest.epoch and trainer.divergence is None
    assert trainer.epoch == epoch and trainer.step_count == latest.step   # back in time:
    assert trainer.history.epoch[-1] == epoch                           # the rest is gone
    snap = session.snapshot(resolution=None)
    assert snap.history_reset and snap.history.epoch[-1] == epoch
    restored = trainer.evaluate(trainer.X, trainer.y, trainer.t).loss
    assert restored == pytest.approx(latest.loss)
    session.configure(lr=0.3)
    trainer.run_epochs(30)
    assert trainer.divergence is None
    assert trainer.history.train_loss[-1] < restored
    assert trainer.history.marks[-1].text.startswith("Restored epoch")


def test_restore_brings_back_the_optimizer_state_of_its_epoch():
    session = Session(DataSettings("circle"))
    session.trainer.run_epochs(5)
    checkpoint = session.trainer.checkpoints.latest()
    moments = checkpoint.arrays["opt:adam:m"].copy()
    session.trainer.run_epochs(5)
    session.restore(checkpoint.epoch)
    np.testing.assert_array_equal(session.trainer.optimizer.state["m"], moments)
    np.testing.assert_array_equal(session.net.flat, checkpoint.arrays["params"])


def test_restore_of_an_epoch_without_a_checkpoint_is_refused_and_changes_nothing():
    session = Session(DataSettings("circle"))
    session.trainer.run_epochs(3)
    before = session.net.flat.copy()
    with pytest.raises(KeyError, match="no checkpoint at epoch 999"):
        session.restore(999)
    np.testing.assert_array_equal(session.net.flat, before)


def test_an_edit_starts_the_ring_again_from_the_edited_network():
    session = Session(DataSettings("circle"))
    session.trainer.run_epochs(5)
    session.perform(edits.insert_layer(2, "relu"))
    ring = session.trainer.checkpoints
    assert len(ring) == 1 and ring.latest().structure == session.net.structure()
    assert session.restore() == 5


def test_the_ring_keeps_the_newest_and_spaces_older_ones_out():
    ring = CheckpointRing()
    for epoch in range(200):
        ring.offer(Checkpoint(epoch, epoch, 1.0, None, {}))
    epochs = [c.epoch for c in ring.items]
    assert len(epochs) == CAPACITY and epochs[0] == 0
    assert epochs[-RECENT_CHECKPOINTS:] == [197, 198, 199]
    gaps = np.diff(epochs[:-RECENT_CHECKPOINTS])
    assert gaps.max() > 10   # older ones reach far back


def test_an_insane_loss_is_no_checkpoint():
    ring = CheckpointRing()
    assert ring.offer(Checkpoint(1, 1, 0.5, None, {}))
    assert ring.offer(Checkpoint(2, 2, 1.9, None, {}))
    assert not ring.offer(Checkpoint(3, 3, 2e10, None, {}))
    assert not ring.offer(Checkpoint(4, 4, math.nan, None, {}))
    assert ring.latest().epoch == 2


def test_weights_that_overflow_never_reach_a_snapshot():
    session = Session(DataSettings("circle"), optimizer="sgd", lr=1e6, batch_size=None)
    session.configure(loss="mse")
    for _ in range(50):
        session.trainer.run(1)
        snap = session.snapshot(resolution=None)
        assert all(np.isfinite(v).all() for v in snap.params.values())
        if snap.divergence is not None:
            break
    assert snap.divergence is not None


def test_snapshot_lists_the_checkpoints():
    session = Session(DataSettings("circle"))
    session.trainer.run_epochs(3)
    snap = session.snapshot(resolution=None)
    assert [epoch for epoch, _ in snap.checkpoints] == [0, 1, 2, 3]
    assert all(loss > 0 for _, loss in snap.checkpoints)
