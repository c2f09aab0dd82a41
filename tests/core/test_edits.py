"""Undo and redo of network edits: exact when nothing trained in between, and training done
after an edit survives undoing it."""

import numpy as np
import pytest

from playground.core.session import Session


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


@pytest.mark.parametrize("change", [
    lambda net: net.add_neuron(0, 3),
    lambda net: net.remove_neuron(1, 5),
    lambda net: net.insert_layer(1, units=5, activation="relu"),
    lambda net: net.remove_layer(0),
    lambda net: net.set_activation(0, "maxout", neuron=2),
    lambda net: net.set_units(1, 4),
], ids=["add", "remove", "insert-layer", "remove-layer", "maxout", "units"])
def test_undo_then_redo_is_exact_without_training(session, change):
    before, structure = params(session), session.net.structure()
    record = session.perform("edit", change)
    after = params(session)
    session.undo(record)
    assert session.net.structure() == structure
    same(params(session), before)
    session.redo(record)
    same(params(session), after)
    session.trainer.run(3)


def test_weight_edit_undo_and_redo(session):
    before = params(session)
    record = session.set_weight("W2", (3, 4), 1.5)
    assert session.net.params["W2"][3, 4] == 1.5
    assert record.touched.size == 1
    session.undo(record)
    same(params(session), before)
    session.redo(record)
    assert session.net.params["W2"][3, 4] == 1.5


def test_training_after_an_edit_survives_its_undo(session):
    record = session.perform("add", lambda net: net.add_neuron(0, 0))
    session.trainer.run(30)
    trained = params(session)
    session.undo(record)
    np.testing.assert_array_equal(session.net.params["W1"], trained["W1"][:, 1:])
    np.testing.assert_array_equal(session.net.params["W2"], trained["W2"][1:])
    np.testing.assert_array_equal(session.net.params["b3"], trained["b3"])


def test_undo_of_a_removal_brings_the_neuron_back_with_its_weights(session):
    before = params(session)
    record = session.perform("remove", lambda net: net.remove_neuron(0, 4))
    session.trainer.run(10)
    session.undo(record)
    np.testing.assert_array_equal(session.net.params["W1"][:, 4], before["W1"][:, 4])
    np.testing.assert_array_equal(session.net.params["W2"][4], before["W2"][4])
    assert session.net.sizes == [2, 12, 12, 2]


def test_a_chain_of_edits_undoes_back_to_the_start(session):
    start = params(session)
    records = [session.perform("a", lambda net: net.add_neuron(1)),
               session.set_weight("W1", (0, 0), -2.0),
               session.perform("b", lambda net: net.insert_layer(2, activation="relu")),
               session.perform("c", lambda net: net.remove_neuron(0, 0))]
    for record in reversed(records):
        session.undo(record)
    same(params(session), start)
    for record in records:
        session.redo(record)
    assert session.net.sizes == [2, 11, 13, 13, 2]


def test_optimizer_state_follows_undo(session):
    before = session.trainer.optimizer.state["m"].copy()
    record = session.perform("add", lambda net: net.add_neuron(0))
    session.undo(record)
    np.testing.assert_array_equal(session.trainer.optimizer.state["m"], before)
    session.trainer.set_optimizer("momentum")
    session.trainer.run(2)
    session.redo(record)
    session.trainer.run(2)
    assert session.trainer.optimizer.state["v"].shape == session.net.flat.shape


def test_bad_weight_values_are_refused(session):
    with pytest.raises(ValueError, match="finite"):
        session.set_weight("W1", (0, 0), float("nan"))
    with pytest.raises(KeyError):
        session.set_weight("W9", (0, 0), 1.0)
