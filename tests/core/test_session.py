"""Session: replacing the network (a loaded file) is all or nothing."""

import math

import numpy as np
import pytest

from playground.core.network import Network
from playground.core.session import Session
from playground.core.settings import DataSettings


def _state(session):
    trainer = session.trainer
    return {"data": session.data, "net": trainer.net, "flat": trainer.net.flat.copy(),
            "features": trainer.features, "X": trainer.X.copy(), "t": trainer.t.copy(),
            "step": trainer.step_count, "shape": session.shape,
            "data_version": session.data_version, "history": len(trainer.history)}


def _assert_same(session, before):
    after = _state(session)
    assert after["net"] is before["net"]
    for key in ("flat", "X", "t"):
        np.testing.assert_array_equal(after[key], before[key])
    assert {k: v for k, v in after.items() if k not in ("flat", "X", "t")} == {
        k: v for k, v in before.items() if k not in ("flat", "X", "t")}


@pytest.mark.parametrize("features", [("x1", "foo"), ("x1x2",)], ids=str)
def test_a_network_the_data_cannot_feed_is_refused_and_the_session_still_trains(features):
    session = Session(DataSettings("circle"))
    session.trainer.run_epochs(2)
    before = _state(session)
    other = Network.from_spec({"inputs": len(features), "layers": [3], "outputs": 2,
                               "seed": 4})
    with pytest.raises(ValueError, match="unknown feature"):
        session.replace_network(other, features)
    _assert_same(session, before)
    trainer = session.trainer
    assert trainer.run(50) == 50 and trainer.step_count == before["step"] + 50
    assert math.isfinite(trainer.evaluate(trainer.X, trainer.y, trainer.t).loss)
    snap = session.snapshot(resolution=10)
    assert snap.features == ("x1", "x2") and snap.sizes == (2, 12, 12, 2)


def test_unknown_feature_is_named_in_the_refusal():
    session = Session(DataSettings("circle"))
    other = Network.from_spec({"inputs": 2, "layers": [3], "outputs": 2})
    with pytest.raises(ValueError, match="'foo'"):
        session.replace_network(other, ("x1", "foo"))


def test_a_network_with_its_own_features_replaces_the_old_one():
    session = Session(DataSettings("circle"))
    session.trainer.run_epochs(1)
    other = Network.from_spec({"inputs": 3, "layers": [3], "outputs": 2, "seed": 4})
    weights = other.flat.copy()
    session.replace_network(other, ("x1", "x2", "x1^2"))
    trainer = session.trainer
    assert session.net is other and session.data.features == ("x1", "x2", "x1^2")
    assert trainer.X.shape[1] == 3 and trainer.step_count == 0 and not len(trainer.history)
    np.testing.assert_array_equal(other.flat, weights)
    assert trainer.run(20) == 20 and np.isfinite(other.flat).all()


def _trained(data=None, **kwargs):
    session = Session(data or DataSettings("circle"), **kwargs)
    session.trainer.run(25)
    return session


def test_configure_changes_data_and_training_settings_in_one_call():
    session = _trained()
    session.configure(dataset="spiral", lr=0.1, optimizer="sgd", batch_size=None, l2=1e-3,
                      dropout=0.2)
    snap = session.snapshot(resolution=None)
    assert snap.data.dataset == "spiral"
    assert (snap.settings.lr, snap.settings.optimizer, snap.settings.batch_size) == (
        0.1, "sgd", None)
    assert snap.settings.l2 == 1e-3 and snap.settings.dropout == 0.2
    assert session.trainer.run(5) == 5


@pytest.mark.parametrize("changes", [
    {"colour": "red"}, {"lr": 0}, {"lr": float("nan")}, {"lr": "fast"}, {"l2": -1.0},
    {"batch_size": 0}, {"batch_size": 2.5}, {"dropout": 1.0}, {"optimizer": "lbfgs"},
    {"loss": "bce", "classes": 3, "dataset": "blobs"}, {"features": ()},
    {"features": ("x1", "x1")}, {"dataset": "nope"}, {"loss": "hinge", "dataset": "plane"},
], ids=str)
def test_a_refused_configure_changes_nothing_and_training_goes_on(changes):
    session = _trained()
    before = _state(session)
    settings = session.settings
    with pytest.raises(ValueError):
        session.configure(**changes)
    _assert_same(session, before)
    assert session.settings == settings
    assert session.trainer.run(10) == 10


def test_fewer_classes_with_mse_mid_run_keeps_training():
    session = Session(DataSettings("spiral", classes=8))
    session.configure(loss="mse")
    session.trainer.run(10)
    session.configure(classes=4)
    assert session.net.outputs == 4 and session.trainer.run(10) == 10
    session.configure(classes=7)
    assert session.net.outputs == 7 and session.trainer.run(10) == 10


def test_bce_switches_to_softmax_when_the_data_gets_more_classes():
    session = _trained(DataSettings("circle"))
    session.configure(loss="bce")
    session.configure(dataset="blobs")
    assert session.settings.loss == "softmax" and session.trainer.run(10) == 10


def test_a_shape_change_clears_the_undo_history_and_other_changes_keep_it():
    from playground.core import edits

    session = _trained()
    session.perform(edits.add_neuron(1))
    session.configure(lr=0.3, noise=0.2)
    assert session.history.undo_label == "Add neuron to layer 1"
    session.configure(features=("x1", "x2", "x1^2"))
    assert session.history.undo_label is None
