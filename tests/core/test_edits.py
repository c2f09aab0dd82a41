"""Undo and redo of network edits: exact when nothing trained in between, and training done
after an edit survives undoing it."""

import numpy as np
import pytest

from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture
def session():
    s = Session()
    s.trainer.run_epochs(2)
    return s


def params(session):
    return {k: v.copy() for k, v in session.net.params.items()}


def same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


@pytest.mark.parametrize("request_", [
    edits.add_neuron(1, 3),
    edits.remove_neuron(2, 5),
    edits.insert_layer(2, units=5, activation="relu"),
    edits.remove_layer(1),
    edits.set_activation(1, "maxout", neuron=2),
    edits.set_units(2, 4),
], ids=["add", "remove", "insert-layer", "remove-layer", "maxout", "units"])
def test_undo_then_redo_is_exact_without_training(session, request_):
    before, structure = params(session), session.net.structure()
    session.perform(request_)
    after = params(session)
    assert session.undo() == request_.label
    assert session.net.structure() == structure
    same(params(session), before)
    session.redo()
    same(params(session), after)
    session.trainer.run(3)


def test_weight_edit_undo_and_redo(session):
    before = params(session)
    record = session.perform(edits.set_weight("W2", (3, 4), 1.5))
    assert session.net.params["W2"][3, 4] == 1.5
    assert record.touched.size == 1
    session.undo()
    same(params(session), before)
    session.redo()
    assert session.net.params["W2"][3, 4] == 1.5


def test_edits_of_one_weight_in_a_row_undo_as_one(session):
    before = params(session)
    for value in (1.0, 2.0, 3.0):
        session.perform(edits.set_weight("b1", (0,), value, f"bias to {value:g}"))
    assert len(session.history) == 1 and session.history.undo_label == "bias to 3"
    session.undo()
    same(params(session), before)
    assert session.history.undo_label is None and session.history.redo_label == "bias to 3"


def test_a_new_edit_drops_what_could_be_redone(session):
    session.perform(edits.add_neuron(1))
    session.undo()
    session.perform(edits.add_neuron(2))
    assert session.history.redo_label is None
    with pytest.raises(ValueError, match="nothing to redo"):
        session.redo()


def test_an_edit_that_changes_nothing_is_not_recorded(session):
    value = float(session.net.params["W1"][0, 0])
    session.perform(edits.set_weight("W1", (0, 0), value))
    assert len(session.history) == 0


def test_training_after_an_edit_survives_its_undo(session):
    session.perform(edits.add_neuron(1, 0))
    session.trainer.run(30)
    trained = params(session)
    session.undo()
    np.testing.assert_array_equal(session.net.params["W1"], trained["W1"][:, 1:])
    np.testing.assert_array_equal(session.net.params["W2"], trained["W2"][1:])
    np.testing.assert_array_equal(session.net.params["b3"], trained["b3"])


def test_undo_of_a_removal_brings_the_neuron_back_with_its_weights(session):
    before = params(session)
    session.perform(edits.remove_neuron(1, 4))
    session.trainer.run(10)
    session.undo()
    np.testing.assert_array_equal(session.net.params["W1"][:, 4], before["W1"][:, 4])
    np.testing.assert_array_equal(session.net.params["W2"][4], before["W2"][4])
    assert session.net.sizes == [2, 12, 12, 2]


def test_a_chain_of_edits_undoes_back_to_the_start(session):
    start = params(session)
    requests = [edits.add_neuron(2), edits.set_weight("W1", (0, 0), -2.0),
                edits.insert_layer(3, activation="relu"), edits.remove_neuron(1, 0)]
    for request in requests:
        session.perform(request)
    for _ in requests:
        session.undo()
    same(params(session), start)
    for _ in requests:
        session.redo()
    assert session.net.sizes == [2, 11, 13, 13, 2]


def test_optimizer_state_follows_undo(session):
    before = session.trainer.optimizer.state["m"].copy()
    session.perform(edits.add_neuron(1))
    session.undo()
    np.testing.assert_array_equal(session.trainer.optimizer.state["m"], before)
    session.trainer.set_optimizer("momentum")
    session.trainer.run(2)
    session.redo()
    session.trainer.run(2)
    assert session.trainer.optimizer.state["v"].shape == session.net.flat.shape


def test_bad_weight_edits_are_refused_and_change_nothing(session):
    before = params(session)
    with pytest.raises(ValueError, match="finite"):
        session.perform(edits.set_weight("W1", (0, 0), float("nan")))
    with pytest.raises(KeyError):
        session.perform(edits.set_weight("W9", (0, 0), 1.0))
    with pytest.raises(IndexError, match="no entry"):
        session.perform(edits.set_weight("W1", (5, 0), 1.0))
    same(params(session), before)
    assert len(session.history) == 0


@pytest.mark.parametrize("request_", [edits.set_units(1, 65), edits.insert_layer(1, "tanh", 99)],
                         ids=["units", "insert"])
def test_edits_beyond_the_limits_are_refused(session, request_):
    with pytest.raises(ValueError, match="at most 64"):
        session.perform(request_)
    assert session.net.sizes == [2, 12, 12, 2]


def test_a_layer_wider_than_the_limit_may_shrink_but_not_grow():
    """A lesson or a file may hold a layer of 100 units: an edit may narrow it, not widen it."""
    session = Session(DataSettings("circle"), {"layers": [{"units": 100}]})
    session.perform(edits.set_units(1, 99))
    assert session.net.sizes == [2, 99, 2]
    with pytest.raises(ValueError, match="at most 64"):
        session.perform(edits.set_units(1, 101))
    with pytest.raises(ValueError, match="at most 64"):
        session.perform(edits.add_neuron(1))
    assert session.net.sizes == [2, 99, 2]


def test_an_undo_record_keeps_only_what_the_edit_removed_created_or_set():
    """200 undo steps of a wide network stay small: a neuron's edit costs a neuron's numbers."""
    session = Session(DataSettings("circle"), {"layers": [{"units": 40}, {"units": 40}]})
    session.trainer.run_epochs(2)
    added = session.perform(edits.add_neuron(1))
    assert added.before.entries.size == 0
    assert added.after.entries.size == 2 + 1 + 40          # its in-, bias and out-weights
    removed = session.perform(edits.remove_neuron(2, 3))
    assert removed.before.entries.size == 41 + 1 + 2 and removed.after.entries.size == 0
    weight = session.perform(edits.set_weight("W1", (0, 0), 0.5))
    assert weight.before.entries.tolist() == weight.after.entries.tolist() == [0]
    for _ in range(3):
        session.undo()
    assert session.net.sizes == [2, 40, 40, 2]
