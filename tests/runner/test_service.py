"""The service: the only calls the window can make on a session, with plain arguments."""

import numpy as np
import pytest

from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.runner.service import Service


@pytest.fixture
def service():
    return Service(Session(DataSettings("circle")))


def test_only_the_listed_actions_can_be_called(service):
    with pytest.raises(ValueError, match="unknown action '__init__'"):
        service.call("__init__", session=None)
    with pytest.raises(ValueError, match="unknown action 'snapshot'"):
        service.call("snapshot")


def test_actions_reach_the_session(service):
    service.call("configure", lr=0.3)
    assert service.call("perform", request=edits.add_neuron(1)) == "Add neuron to layer 1"
    assert service.call("step_epoch") == service.session.trainer.steps_per_epoch
    assert service.call("undo") == "Add neuron to layer 1"
    snap = service.snapshot(resolution=None)
    assert snap.settings.lr == 0.3 and snap.sizes == (2, 12, 12, 2) and snap.epoch == 1


def test_weights_saved_and_loaded_through_the_service(service, tmp_path):
    service.call("step_batch")
    path = service.call("save_weights", path=str(tmp_path / "net.npz"))
    before = service.session.net.flat.copy()
    service.call("reset", seed=3)
    assert "Loaded net.npz" in service.call("load_weights", path=path)
    np.testing.assert_array_equal(service.session.net.flat, before)
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match=r"bad\.npz"):
        service.call("load_weights", path=str(tmp_path / "bad.npz"))
    np.testing.assert_array_equal(service.session.net.flat, before)


def test_a_session_rebuilt_from_a_snapshot_has_its_shape_weights_and_layer_ids():
    from playground.runner.restore import session_from_snapshot

    session = Session(DataSettings("spiral", features=("x1", "x2", "x1^2")))
    session.trainer.run(30)
    session.perform(edits.insert_layer(2, "relu"))
    session.perform(edits.set_activation(1, "elu", 3))
    session.configure(dropout=0.1, lr=0.2)
    session.trainer.run(30)
    snap = session.snapshot(None)
    rebuilt = session_from_snapshot(snap).snapshot(None)
    assert rebuilt.shape == snap.shape and rebuilt.settings == snap.settings
    assert (rebuilt.step, rebuilt.epoch) == (snap.step, snap.epoch)
    for key, value in snap.params.items():
        np.testing.assert_array_equal(rebuilt.params[key], value)
