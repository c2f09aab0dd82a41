"""Messages between the window and the training process: exact round trips, no pickle, and
nothing but our own dataclasses can be named."""

import math

import numpy as np
import pytest

from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.runner.codec import CodecError, decode, encode


def test_a_snapshot_round_trips_equal():
    session = Session(DataSettings("spiral", features=("x1", "x2", "sin(x1)")))
    session.trainer.run(40)
    snap = session.snapshot(resolution=8)
    back = decode(encode(snap))
    assert back.shape == snap.shape and back.settings == snap.settings
    assert back.data == snap.data and back.sizes == snap.sizes
    assert back.history.train_loss == snap.history.train_loss
    for key, value in snap.params.items():
        np.testing.assert_array_equal(back.params[key], value)
    np.testing.assert_array_equal(back.grid.output, snap.grid.output)
    np.testing.assert_array_equal(back.X_train, snap.X_train)


def test_plain_values_keep_their_types():
    value = {"t": (1, 2.5, "x"), "l": [None, True], "nan": math.nan, "inf": -math.inf,
             3: "int key", "$odd": 1, "s": frozenset({1, 2}), "b": np.bool_(True),
             "a": np.arange(6, dtype=np.int32).reshape(2, 3), "r": edits.add_neuron(2, 1)}
    back = decode(encode(value))
    assert back["t"] == (1, 2.5, "x") and isinstance(back["t"], tuple)
    assert back["l"] == [None, True] and math.isnan(back["nan"]) and back["inf"] == -math.inf
    assert back[3] == "int key" and back["$odd"] == 1 and back["s"] == frozenset({1, 2})
    assert back["b"] is True and back["r"] == edits.add_neuron(2, 1)
    assert back["a"].dtype == np.int32 and back["a"].shape == (2, 3)
    back["a"][0, 0] = 7  # arrays arrive writable


@pytest.mark.parametrize("value", [object(), np.array(["text"]), np.array([object()]),
                                   ValueError("no")], ids=["object", "str", "pyobj", "exc"])
def test_what_is_not_plain_data_cannot_be_sent(value):
    with pytest.raises(CodecError):
        encode(value)


@pytest.mark.parametrize("header", [
    b'{"$c": "os.system", "f": {}}', b'{"$c": "playground.core.session.Session", "f": {}}',
    b'{"$c": "playground.core.edits.Request.apply", "f": {}}',
    b'{"$a": ["|O", [1]]}', b'{"$a": ["<f8", [1000]]}', b"not json"],
    ids=["foreign", "not-a-dataclass", "nested-name", "object-array", "short", "json"])
def test_decoding_builds_nothing_but_plain_values_and_our_dataclasses(header):
    payload = b"NPM1" + len(header).to_bytes(4, "little") + header
    with pytest.raises(CodecError):
        decode(payload)


def test_a_foreign_payload_is_refused():
    with pytest.raises(CodecError):
        decode(b"\x80\x04\x95pickle")
