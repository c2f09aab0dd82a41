"""Session: replacing the network (a loaded file) is all or nothing."""

import math

import numpy as np
import pytest

from playground.core.network import Network
from playground.core.session import DataSettings, Session


def _state(session):
    trainer = session.trainer
    return {"data": session.data, "net": trainer.net, "flat": trainer.net.flat.copy(),
            "features": trainer.features, "X": trainer.X.copy(), "t": trainer.t.copy(),
            "step": trainer.step_count, "structure": session.structure,
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
