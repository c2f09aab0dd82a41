"""Weights .npz files: bit-exact round trips, plain-NumPy layout, every refusal, atomic saves."""

import json
import os
import zipfile

import numpy as np
import pytest

import playground
from playground.core.network import Network
from playground.data import FEATURES as KNOWN_FEATURES
from playground.files import atomic
from playground.files.errors import LoadError
from playground.io.weights import (
    FORMAT,
    VERSION,
    load_weights,
    read_weights,
    save_weights,
)

CONTRACT_SPEC = {"inputs": 2,
                 "layers": [{"units": 8, "activation": "tanh"},
                            {"units": 3, "activation": ["relu", "relu", "elu"]}],
                 "outputs": 3, "loss": "softmax", "seed": 0, "l2": 1e-3}

SPECS = {
    "contract": CONTRACT_SPEC,
    "maxout-mixed": {"inputs": 3,
                     "layers": [{"units": 4, "activation": ["maxout", "tanh", "maxout", "relu"]},
                                {"units": 2, "activation": "maxout"}],
                     "outputs": 2, "loss": "hinge", "seed": 3, "l1": 1e-4},
    "per-neuron": {"inputs": 7,
                   "layers": [{"units": 5, "activation": ["gelu", "swish", "softplus",
                                                          "leaky_relu", "sigmoid"],
                               "dropout": 0.25}],
                   "outputs": 1, "loss": "mse", "output_activation": "tanh", "seed": 5,
                   "init": "uniform"},
    "no-hidden-bce": {"inputs": 2, "layers": [], "outputs": 1, "loss": "bce", "seed": 9},
}
FEATURES = ["x1", "x2"]
CLASSES = ["red", "blue", "green"]


def _trained_like(spec):
    """A network whose weights are not the initialiser's (random, full-precision values)."""
    net = Network.from_spec(spec)
    net.flat[...] = np.random.default_rng(11).normal(size=net.flat.shape) * np.pi
    return net


@pytest.fixture
def saved(tmp_path):
    net = _trained_like(CONTRACT_SPEC)
    path = tmp_path / "net.npz"
    save_weights(path, net, features=FEATURES, class_names=CLASSES)
    return net, path


def _arrays(path):
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _meta(path):
    return json.loads(str(_arrays(path)["meta"]))


def _rewrite(path, arrays):
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


# ----------------------------------------------------------------- round trips
@pytest.mark.parametrize("name", SPECS)
def test_round_trip_is_bit_exact(tmp_path, name):
    net = _trained_like(SPECS[name])
    path = tmp_path / f"{name}.npz"
    features = list(KNOWN_FEATURES[: net.inputs])
    names = [f"class {k}" for k in range(max(net.outputs, 2))]
    returned = save_weights(path, net, features=features, class_names=names)
    assert returned == path
    loaded = read_weights(path)
    assert loaded.network.to_spec() == net.to_spec()
    assert list(loaded.network.params) == list(net.params)
    for key, value in net.params.items():
        got = loaded.network.params[key]
        assert got.dtype == value.dtype == np.float64
        assert got.tobytes() == value.tobytes(), key
    assert loaded.features == features
    assert loaded.class_names == names
    X = np.random.default_rng(0).normal(size=(4, net.inputs))
    np.testing.assert_array_equal(loaded.network.forward(X), net.forward(X))


def test_round_trip_without_features_or_class_names(tmp_path):
    net = _trained_like(CONTRACT_SPEC)
    path = save_weights(tmp_path / "bare.npz", net)
    loaded = read_weights(path)
    assert loaded.features is None and loaded.class_names is None
    assert loaded.meta["spec"] == net.to_spec()


def test_load_weights_returns_the_stored_network(saved):
    net, path = saved
    loaded = load_weights(path)
    assert isinstance(loaded, Network)
    assert loaded.to_spec() == net.to_spec()
    np.testing.assert_array_equal(loaded.flat, net.flat)


def test_load_weights_into_a_matching_network_copies_the_weights(saved):
    net, path = saved
    target = Network.from_spec({**CONTRACT_SPEC, "seed": 42})
    assert not np.array_equal(target.flat, net.flat)
    assert load_weights(path, target) is target
    np.testing.assert_array_equal(target.flat, net.flat)


def test_save_accepts_network_then_path(tmp_path):
    net = _trained_like(CONTRACT_SPEC)
    path = tmp_path / "swapped.npz"
    save_weights(net, path, features=FEATURES)
    loaded = read_weights(str(path))
    np.testing.assert_array_equal(loaded.network.flat, net.flat)
    assert loaded.features == FEATURES


def test_save_overwrites_an_existing_file(saved):
    net, path = saved
    net.flat[...] += 1.0
    save_weights(path, net)
    np.testing.assert_array_equal(load_weights(path).flat, net.flat)


# ----------------------------------------------------------------- plain NumPy layout
def test_file_opens_with_plain_numpy_and_has_named_arrays(saved):
    net, path = saved
    arrays = _arrays(path)
    assert set(arrays) == {"W1", "b1", "W2", "b2", "W3", "b3", "meta"}
    assert arrays["W1"].shape == (2, 8) and arrays["b1"].shape == (8,)
    assert arrays["W2"].shape == (8, 3) and arrays["b2"].shape == (3,)
    assert arrays["W3"].shape == (3, 3) and arrays["b3"].shape == (3,)
    for key in net.params:
        assert arrays[key].dtype.kind == "f"
        np.testing.assert_array_equal(arrays[key], net.params[key])


def test_maxout_pieces_are_stored_as_extra_arrays(tmp_path):
    net = _trained_like(SPECS["maxout-mixed"])
    path = save_weights(tmp_path / "m.npz", net)
    arrays = _arrays(path)
    assert {"W1_2", "b1_2", "W2_2", "b2_2"} <= set(arrays)
    assert arrays["W1_2"].shape == (3, 4)


def test_meta_is_a_0d_json_string_with_format_version_spec_and_names(saved):
    net, path = saved
    raw = _arrays(path)["meta"]
    assert raw.shape == () and raw.dtype.kind == "U"
    meta = json.loads(str(raw))
    assert set(meta) >= {"format", "version", "spec", "features", "class_names", "app_version"}
    assert meta["format"] == FORMAT == "neural-playground-weights"
    assert meta["version"] == VERSION == 1
    assert meta["spec"] == net.to_spec()
    assert meta["features"] == FEATURES
    assert meta["class_names"] == CLASSES
    assert meta["app_version"] == playground.__version__


# ----------------------------------------------------------------- refusals
def _wrong_shape(a, meta):
    a["W2"] = np.zeros((5, 5))


def _missing_b1(a, meta):
    del a["b1"]


def _extra_array(a, meta):
    a["W9"] = np.zeros((2, 2))


def _strings_instead_of_numbers(a, meta):
    a["b1"] = np.array(["x"] * 8)


def _bool_array(a, meta):
    a["b1"] = np.ones(8, dtype=bool)


def _nan_values(a, meta):
    a["W1"] = a["W1"].copy()
    a["W1"][1, 3] = np.nan


def _inf_values(a, meta):
    a["b3"] = np.array([0.0, np.inf, 0.0])


def _no_meta(a, meta):
    del a["meta"]


def _meta_not_json(a, meta):
    a["meta"] = np.array("{not json")


def _meta_not_a_string(a, meta):
    a["meta"] = np.array([1.0, 2.0])


def _meta_other_format(a, meta):
    a["meta"] = np.array(json.dumps({**meta, "format": "keras-weights"}))


def _meta_json_list(a, meta):
    a["meta"] = np.array(json.dumps([1, 2, 3]))


def _newer_version(a, meta):
    a["meta"] = np.array(json.dumps({**meta, "version": VERSION + 1}))


def _version_not_int(a, meta):
    a["meta"] = np.array(json.dumps({**meta, "version": "1"}))


def _no_spec(a, meta):
    a["meta"] = np.array(json.dumps({k: v for k, v in meta.items() if k != "spec"}))


def _invalid_spec(a, meta):
    a["meta"] = np.array(json.dumps({**meta, "spec": {**meta["spec"], "loss": "nonsense"}}))


def _unknown_feature(a, meta):
    a["meta"] = np.array(json.dumps({**meta, "features": ["x1", "foo"]}))


def _features_a_string(a, meta):
    a["meta"] = np.array(json.dumps({**meta, "features": "x1,x2"}))


def _features_not_strings(a, meta):
    a["meta"] = np.array(json.dumps({**meta, "features": ["x1", 2]}))


def _feature_twice(a, meta):
    a["meta"] = np.array(json.dumps({**meta, "features": ["x2", "x2"]}))


@pytest.mark.parametrize(("corrupt", "expected"), [
    (_wrong_shape, ["'W2'", "(5, 5)", "(8, 3)"]),
    (_missing_b1, ["missing", "'b1'", "(8,)"]),
    (_extra_array, ["unexpected", "'W9'"]),
    (_strings_instead_of_numbers, ["'b1'", "not numbers"]),
    (_bool_array, ["'b1'", "not numbers"]),
    (_nan_values, ["'W1'", "NaN"]),
    (_inf_values, ["'b3'", "infinite"]),
    (_no_meta, ["no 'meta'"]),
    (_meta_not_json, ["'meta'", "not valid JSON"]),
    (_meta_not_a_string, ["'meta'", "single string"]),
    (_meta_other_format, ["'meta'", FORMAT]),
    (_meta_json_list, ["'meta'", FORMAT]),
    (_newer_version, ["version", str(VERSION + 1), "update"]),
    (_version_not_int, ["version"]),
    (_no_spec, ["no network spec"]),
    (_invalid_spec, ["spec", "invalid", "nonsense"]),
    (_unknown_feature, ["unknown input feature", "'foo'", "x1^2"]),
    (_features_a_string, ["'features'", "list of feature names", "'x1,x2'"]),
    (_features_not_strings, ["'features'", "list of feature names"]),
    (_feature_twice, ["'x2'", "twice"]),
], ids=lambda v: v.__name__.strip("_") if callable(v) else None)
def test_bad_contents_raise_load_error_naming_the_problem(saved, corrupt, expected):
    _, path = saved
    arrays = _arrays(path)
    corrupt(arrays, json.loads(str(arrays["meta"])))
    _rewrite(path, arrays)
    with pytest.raises(LoadError) as info:
        read_weights(path)
    message = str(info.value)
    assert path.name in message
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"


def test_spec_far_bigger_than_the_stored_arrays_raises_load_error(saved):
    _, path = saved
    arrays = _arrays(path)
    meta = json.loads(str(arrays["meta"]))
    # 10^14 parameters: refused from the spec alone, before any array is read
    meta["spec"] = {**meta["spec"], "inputs": 10**7,
                    "layers": [{"units": 10**7, "activation": "tanh"}]}
    arrays["meta"] = np.array(json.dumps(meta))
    _rewrite(path, arrays)
    with pytest.raises(LoadError, match=r"'inputs' must be a whole number from 1 to 4,096"):
        read_weights(path)


def test_load_error_is_a_value_error():
    assert issubclass(LoadError, ValueError)


def test_npy_file_is_refused(tmp_path):
    path = tmp_path / "single.npy"
    np.save(path, np.zeros((2, 8)))
    with pytest.raises(LoadError, match="single array"):
        read_weights(path)


def test_text_file_renamed_npz_is_refused(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("W1 = [[1, 2], [3, 4]]\n")
    with pytest.raises(LoadError, match=r"notes\.npz is not a NumPy \.npz weights file"):
        read_weights(path)


@pytest.mark.parametrize("content", [b"hello world", b"\x89PNG\r\n\x1a\n" + bytes(64),
                                     b"\x80\x04K\x01."],
                         ids=["text", "png", "pickle"])
def test_a_file_that_is_not_a_zip_gets_our_message_not_numpys_pickle_advice(tmp_path, content):
    path = tmp_path / "picture.npz"
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        read_weights(path)
    assert str(info.value) == "picture.npz is not a NumPy .npz weights file"


def test_a_zip_member_that_is_not_an_npy_array_is_refused(saved):
    _, path = saved
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["W1.npy"] = b"not an array"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(LoadError, match=r"net\.npz: 'W1' is not a NumPy array"):
        read_weights(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.npz"
    path.write_bytes(b"")
    with pytest.raises(LoadError, match=r"empty\.npz"):
        read_weights(path)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9, 0.99])
def test_truncated_zip_is_refused(saved, keep):
    _, path = saved
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(LoadError, match=r"net\.npz"):
        read_weights(path)


def test_corrupted_bytes_inside_an_array_are_refused(saved):
    net, path = saved
    data = bytearray(path.read_bytes())
    # flip a byte inside W1's float data: the zip CRC no longer matches
    needle = net.params["W1"].tobytes()[:8]
    at = bytes(data).index(needle)
    data[at + 3] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(LoadError, match=r"net\.npz"):
        read_weights(path)


@pytest.mark.parametrize("key", ["W1", "meta"])
def test_pickled_object_array_is_refused_without_executing_it(saved, tmp_path, key):
    _, path = saved
    sentinel = tmp_path / "pickle-ran"

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(sentinel),))

    arrays = _arrays(path)
    arrays[key] = np.array([Payload()], dtype=object)
    with open(path, "wb") as handle:
        np.savez(handle, allow_pickle=True, **arrays)
    with pytest.raises(LoadError) as info:
        read_weights(path)
    assert f"'{key}'" in str(info.value) and "Python objects" in str(info.value)
    assert "allow_pickle" not in str(info.value)
    with pytest.raises(LoadError):
        load_weights(path, Network.from_spec(CONTRACT_SPEC))
    assert not sentinel.exists(), "loading executed pickled code"
    # control: the payload is live, so the check above means something
    with np.load(path, allow_pickle=True) as npz:
        npz[key]
    assert sentinel.exists()


def test_missing_file_raises_load_error(tmp_path):
    with pytest.raises(LoadError, match=r"nowhere\.npz: no such file"):
        read_weights(tmp_path / "nowhere.npz")
    with pytest.raises(LoadError):
        load_weights(tmp_path / "nowhere.npz")


def test_directory_instead_of_file_raises_load_error(tmp_path):
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    with pytest.raises(LoadError, match=r"folder\.npz"):
        read_weights(folder)


def test_load_into_a_different_architecture_raises_and_leaves_weights_unchanged(saved):
    _, path = saved
    other = Network.from_spec({"inputs": 2, "layers": [5], "outputs": 3, "seed": 1})
    before = other.flat.copy()
    with pytest.raises(LoadError) as info:
        load_weights(path, other)
    assert "2-8-3-3" in str(info.value) and "2-5-3" in str(info.value)
    np.testing.assert_array_equal(other.flat, before)


def test_load_into_a_network_with_extra_maxout_pieces_raises(saved):
    _, path = saved
    other = Network.from_spec({**CONTRACT_SPEC,
                               "layers": [{"units": 8, "activation": "maxout"},
                                          {"units": 3, "activation": "relu"}]})
    before = other.flat.copy()
    with pytest.raises(LoadError):
        load_weights(path, other)
    np.testing.assert_array_equal(other.flat, before)


def test_load_of_a_bad_file_into_a_network_leaves_weights_unchanged(saved):
    _, path = saved
    arrays = _arrays(path)
    arrays["W3"] = np.full((3, 3), np.nan)
    _rewrite(path, arrays)
    target = Network.from_spec(CONTRACT_SPEC)
    before = target.flat.copy()
    with pytest.raises(LoadError, match="'W3'"):
        load_weights(path, target)
    np.testing.assert_array_equal(target.flat, before)


# ----------------------------------------------------------------- atomic saves
def _failing_savez(written):
    def savez(handle, *args, **kwargs):
        handle.write(b"PK\x03\x04" + b"half-written archive " * 200)
        written.append(True)
        raise OSError("No space left on device")
    return savez


@pytest.mark.parametrize("error", [OSError, KeyboardInterrupt])
def test_failed_save_keeps_the_previous_file_and_leaves_no_temp_file(saved, monkeypatch, error):
    net, path = saved
    original = path.read_bytes()
    written = []

    def savez(handle, *args, **kwargs):
        handle.write(b"PK\x03\x04" + b"half-written archive " * 200)
        written.append(True)
        raise error("interrupted mid-save")

    monkeypatch.setattr(np, "savez", savez)
    changed = _trained_like({**CONTRACT_SPEC, "seed": 99})
    changed.flat[...] += 5.0
    with pytest.raises(error):
        save_weights(path, changed)
    monkeypatch.undo()
    assert written, "the fake savez was not used"
    assert path.read_bytes() == original
    np.testing.assert_array_equal(load_weights(path).flat, net.flat)
    assert os.listdir(path.parent) == [path.name]


def test_failed_first_save_creates_no_file(tmp_path, monkeypatch):
    written = []
    monkeypatch.setattr(np, "savez", _failing_savez(written))
    with pytest.raises(OSError, match="No space left"):
        save_weights(tmp_path / "new.npz", Network.from_spec(CONTRACT_SPEC))
    assert written
    assert os.listdir(tmp_path) == []


def test_successful_save_leaves_only_the_target(tmp_path):
    save_weights(tmp_path / "a.npz", Network.from_spec(CONTRACT_SPEC))
    save_weights(tmp_path / "a.npz", Network.from_spec(CONTRACT_SPEC))
    assert os.listdir(tmp_path) == ["a.npz"]


def test_atomic_write_text_and_binary(tmp_path):
    target = tmp_path / "project.json"
    assert atomic.atomic_write(target, lambda h: h.write("héllo"), mode="w") == target
    assert target.read_text(encoding="utf-8") == "héllo"
    atomic.atomic_write(target, lambda h: h.write(b"\x00\x01"))
    assert target.read_bytes() == b"\x00\x01"
    assert os.listdir(tmp_path) == ["project.json"]


def test_atomic_file_error_inside_block_keeps_the_old_content(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic.atomic_file(target, "w") as handle:
        handle.write("new, half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["keep.txt"]
