"""The training record stays small however long training runs, and says where things changed."""

import tracemalloc

import numpy as np

from playground.core import edits
from playground.core.history import CAPACITY, RECENT, History, keep_rows
from playground.core.session import Session
from playground.core.settings import DataSettings


def row(epoch: int) -> dict:
    return {"epoch": epoch, "step": 10 * epoch, "train_loss": 1.0 / epoch, "test_loss": 1.0,
            "train_accuracy": 0.5, "test_accuracy": 0.5, "learning_rate": 0.1,
            "grad_norms": (1.0, 2.0), "layer_ids": (1, 0), "regularization": 0.0}


def test_recent_rows_stay_whole_and_older_ones_thin_out():
    history = History()
    for epoch in range(1, 20_001):
        history.append(**row(epoch))
    assert len(history) < CAPACITY
    assert history.epoch[0] == 1 and history.epoch[-1] == 20_000
    assert history.epoch[-RECENT:] == list(range(20_001 - RECENT, 20_001))
    assert np.all(np.diff(history.epoch) > 0)
    assert all(len(getattr(history, name)) == len(history) for name in History.row_fields())


def test_keep_rows_is_the_rule_the_plots_share():
    assert keep_rows(CAPACITY - 1) is None
    keep = keep_rows(CAPACITY)
    assert keep[0] == 0 and keep[-1] == CAPACITY - 1
    assert len(keep) == (CAPACITY - RECENT) // 2 + RECENT


def test_since_gives_new_rows_and_new_marks_only():
    history = History()
    for epoch in (1, 2, 3):
        history.append(**row(epoch))
    history.mark(3, "network", "Insert layer 2")
    later = history.since(2, marks_seen=0)
    assert later.epoch == [3] and [m.text for m in later.marks] == ["Insert layer 2"]
    assert history.since(3, marks_seen=1).marks == []


def test_hours_of_training_stay_flat_in_memory():
    """Without thinning 30,000 more rows would take ~12 MB; the record holds at most
    CAPACITY rows, so only the phase of its thinning changes what it holds."""
    history = History()
    for epoch in range(1, 30_001):
        history.append(**row(epoch))
    tracemalloc.start()
    start = tracemalloc.take_snapshot()
    for epoch in range(30_001, 60_001):
        history.append(**row(epoch))
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(start, "filename"))
    tracemalloc.stop()
    assert len(history) < CAPACITY and history.epoch[0] == 1
    assert grown < 1_000_000


def test_a_trainer_keeps_its_record_bounded():
    session = Session(DataSettings("circle"), batch_size=None)
    session.trainer.run_epochs(CAPACITY + 500)
    history = session.trainer.history
    assert len(history) < CAPACITY
    assert history.epoch[0] == 1 and history.epoch[-1] == CAPACITY + 500


def test_rows_carry_layer_ids_and_the_regularisation_term():
    session = Session(DataSettings("circle"))
    session.configure(l2=0.01)
    session.trainer.run_epochs(1)
    session.perform(edits.insert_layer(2, "relu"))
    session.trainer.run_epochs(1)
    history = session.trainer.history
    assert history.layer_ids == [(1, 2, 0), (1, 3, 2, 0)]
    assert len(history.grad_norms[-1]) == 4
    assert history.regularization[-1] > 0
    assert [m.kind for m in history.marks] == ["network"]


def test_changes_leave_marks_of_their_kind():
    session = Session(DataSettings("circle"))
    session.trainer.run_epochs(1)
    session.configure(dataset="xor")
    session.configure(loss="hinge")
    session.perform(edits.set_weight("W1", (0, 0), 0.5))
    session.undo()
    kinds = [(m.epoch, m.kind) for m in session.trainer.history.marks]
    assert kinds == [(1, "data"), (1, "loss"), (1, "weights"), (1, "network")]
    snap = session.snapshot(resolution=None)
    assert len(snap.history.marks) == 4
    assert session.snapshot(resolution=None).history.marks == []
