"""Hostile weights files: each gets one LoadError naming the file, fast and in little memory.

These are the files the bad-input report measured: members compressed with bzip2 or LZMA,
encrypted members, deflate bombs, 100,000 members, headers that claim 10¹² elements, meta JSON
nested 100,000 deep or holding Infinity and 400-digit integers, float128 weights, bad format
versions, FIFOs. Memory is measured with tracemalloc (NumPy reports its buffers to it), so the
limits below do not depend on the machine's speed.
"""

import json
import os
import threading
import tracemalloc
import zipfile

import numpy as np
import pytest
from zip_forge import (
    BZIP2,
    DEFLATED,
    LZMA,
    entry,
    forge,
    members,
    npy,
    npy_header,
    zero_bomb,
)

from playground.core.network import Network
from playground.files.errors import LoadError
from playground.io.weights import read_weights, save_weights

SPEC = {"inputs": 2, "layers": [{"units": 8, "activation": "tanh"}], "outputs": 3,
        "loss": "softmax", "seed": 0}
MiB = 1 << 20


@pytest.fixture
def good(tmp_path):
    """(path, {member: bytes}) of a valid weights file."""
    path = tmp_path / "net.npz"
    save_weights(path, Network.from_spec(SPEC), features=["x1", "x2"],
                 class_names=["a", "b", "c"])
    return path, members(path)


def _meta(parts):
    return json.loads(np.load(_as_file(parts["meta.npy"]), allow_pickle=False)[()])


def _as_file(data):
    import io
    return io.BytesIO(data)


def _with_meta(parts, text):
    return {**parts, "meta.npy": npy(np.array(text))}


def _write(path, parts, method=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _refused(path, *fragments, max_mib=64):
    """read_weights(path) raises LoadError naming the file and every fragment, and peaks
    below ``max_mib`` MiB of traced memory."""
    tracemalloc.start()
    try:
        with pytest.raises(LoadError) as info:
            read_weights(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert path.name in message, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert peak < max_mib * MiB, f"{peak / MiB:.0f} MiB to refuse {path.name}: {message}"
    return message


# ----------------------------------------------------------------- compression
@pytest.mark.parametrize(("method", "word"), [(zipfile.ZIP_BZIP2, "bzip2"),
                                              (zipfile.ZIP_LZMA, "LZMA")])
def test_bzip2_and_lzma_members_are_refused_before_decompressing(good, method, word):
    path, parts = good
    _write(path, {**parts, "W1.npy": parts["W1.npy"] + bytes(MiB)}, method)
    _refused(path, "'W1.npy'", word, "only uncompressed and deflate")


def test_a_bzip2_bomb_is_refused_from_its_directory_entry(tmp_path):
    import bz2
    bomb = bz2.compress(bytes(16 * MiB))  # 45 bytes that unpack to 16 MiB
    path = tmp_path / "bomb.npz"
    path.write_bytes(forge([entry("W1.npy", bomb, BZIP2, size=16 * MiB)]))
    _refused(path, "bzip2", max_mib=4)


@pytest.mark.parametrize(("method", "word"), [(LZMA, "LZMA"), (9, "deflate64"),
                                              (77, "unknown method (77)")])
def test_other_methods_are_named(tmp_path, method, word):
    path = tmp_path / "odd.npz"
    path.write_bytes(forge([entry("meta.npy", b"x" * 100, method)]))
    _refused(path, "'meta.npy'", word)


def test_an_encrypted_member_is_refused(tmp_path, good):
    _, parts = good
    path = tmp_path / "locked.npz"
    path.write_bytes(forge([entry(n, d, flags=0x1) for n, d in parts.items()]))
    _refused(path, "encrypted")


def test_deflate_bomb_declaring_its_size_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.npz"
    path.write_bytes(forge([_bomb_entry(size=(1 << 30) - 1)]))
    _refused(path, "'meta.npy'", "declares 1024.0 MB", max_mib=8)


def _bomb_entry(name="meta.npy", size=300):
    from zip_forge import Entry
    return Entry(name, zero_bomb(), size=size, crc=0, method=DEFLATED)


def test_deflate_bomb_declaring_a_small_size_stops_at_that_size(tmp_path):
    path = tmp_path / "bomb.npz"
    path.write_bytes(forge([_bomb_entry(size=300)]))
    _refused(path, "'meta'", "unpacks to more than the 300 bytes it declares", max_mib=8)


def test_deflate_bomb_in_an_array_member_is_refused_by_the_spec_size(tmp_path, good):
    _, parts = good
    entries = [entry(n, d) for n, d in parts.items() if n != "W1.npy"]
    path = tmp_path / "bomb.npz"
    path.write_bytes(forge([*entries, _bomb_entry("W1.npy", size=50 * MiB)]))
    _refused(path, "'W1'", "declares 50.0 MB", max_mib=8)


def test_a_deflated_npz_loads(tmp_path):
    net = Network.from_spec(SPEC)
    path = tmp_path / "small.npz"
    np.savez_compressed(path, **{k: np.array(v) for k, v in net.params.items()},
                        meta=np.array(json.dumps({"format": "neural-playground-weights",
                                                  "version": 1, "spec": net.to_spec()})))
    np.testing.assert_array_equal(read_weights(path).network.flat, net.flat)


def test_a_member_declaring_more_than_its_stored_bytes_can_hold_is_refused(tmp_path, good):
    _, parts = good
    entries = [entry(n, d) for n, d in parts.items()]
    entries[0].size += 1  # stored: declared and stored sizes must agree
    path = tmp_path / "liar.npz"
    path.write_bytes(forge(entries))
    _refused(path, "cannot hold")


def test_a_checksum_mismatch_is_refused(tmp_path, good):
    _, parts = good
    entries = [entry(n, d, DEFLATED) for n, d in parts.items()]
    entries[0].crc ^= 1
    path = tmp_path / "crc.npz"
    path.write_bytes(forge(entries))
    _refused(path, "checksum")


# ----------------------------------------------------------------- members
def test_100000_tiny_members_are_refused_from_the_end_record(tmp_path):
    path = tmp_path / "many.npz"
    path.write_bytes(forge([entry(f"a{i}.npy", b"") for i in range(100_000)], count=0xFFFF))
    _refused(path, "more than 65,534 members", "at most")


def test_an_end_record_that_undercounts_the_members_is_refused(tmp_path):
    path = tmp_path / "many.npz"
    path.write_bytes(forge([entry(f"a{i}.npy", b"") for i in range(10_000)], count=3))
    _refused(path, "damaged")


def test_two_members_with_one_name_are_refused(tmp_path, good):
    _, parts = good
    entries = [entry(n, d) for n, d in parts.items()]
    path = tmp_path / "twice.npz"
    path.write_bytes(forge([*entries, entry("W1.npy", parts["b1.npy"])]))
    _refused(path, "two members named 'W1.npy'")


def test_a_member_that_is_not_npy_is_refused(tmp_path, good):
    path, parts = good
    _write(path, {**parts, "readme.txt": b"hello"})
    _refused(path, "unexpected member 'readme.txt'")


# ----------------------------------------------------------------- .npy headers
@pytest.mark.parametrize("shape", [(10**6, 10**6), (2**62, 4), (2**64, 2**64), (-1, 8)])
def test_headers_claiming_huge_or_negative_shapes_are_refused_without_allocating(good, shape):
    path, parts = good
    _write(path, {**parts, "W1.npy": npy_header("<f8", shape) + bytes(128)})
    _refused(path, "'W1'", max_mib=4)


@pytest.mark.parametrize(("descr", "word"), [
    ("<f16", "128-bit floats"), ("<c16", "complex"), ("|O", "Python objects"),
    ("<U8", "text"), ("|b1", "true/false"), ("<M8[s]", "unknown data type"),
    ("<f3", "unknown data type"), ("<V16", "raw records"), ([("a", "<f8")], "raw records"),
])
def test_data_types_off_the_whitelist_are_refused(good, descr, word):
    path, parts = good
    _write(path, {**parts, "W1.npy": npy_header(descr, (2, 8)) + bytes(16 * 16)})
    _refused(path, "'W1'", word)


def test_float128_weights_of_1e4000_are_refused(good):
    if np.dtype(np.longdouble).itemsize < 16 or np.finfo(np.longdouble).max < 1e300:
        pytest.skip("no extended long double on this platform")
    path, parts = good
    huge = np.full((2, 8), np.longdouble("1e4000"))
    _write(path, {**parts, "W1.npy": npy(huge)})
    _refused(path, "'W1'", "long double", "float64")


@pytest.mark.parametrize("header", [
    b"\x93NUMPY\x01\x00\xff\xff" + b" " * 70000,  # a 64 KiB header
    b"\x93NUMPY\x09\x00\x10\x00{}" + b" " * 14,  # format 9.0
    b"\x93NUMPY\x01\x00\x10\x00" + b"(" * 16,  # nesting
    b"\x93NUMPY\x01\x00\x20\x00{'descr': __import__('os')}    ",
    b"\x93NUMPY\x01\x00\x30\x00{'descr': '<f8', 'fortran_order': 1, 'shape': (2, 8)}",
    b"\x93NUMPY\x01\x00\x08\x00",  # cut short
])
def test_damaged_npy_headers_are_refused(good, header):
    path, parts = good
    _write(path, {**parts, "W1.npy": header})
    _refused(path, "'W1'")


def test_big_endian_and_float32_arrays_load_as_float64(good):
    path, parts = good
    net = read_weights(path).network
    w1 = net.params["W1"]
    _write(path, {**parts, "W1.npy": npy(w1.astype(">f8")), "b1.npy": npy(
        np.asarray(net.params["b1"], dtype=np.float32))})
    loaded = read_weights(path).network
    np.testing.assert_array_equal(loaded.params["W1"], w1)
    assert loaded.params["b1"].dtype == np.float64


# ----------------------------------------------------------------- meta JSON
@pytest.mark.parametrize(("text", "fragments"), [
    ("[" * 100_000 + "]" * 100_000, ["nests", "16 levels"]),
    ('{"format": "neural-playground-weights", "version": 1, "spec": {"inputs": Infinity}}',
     ["Infinity"]),
    ('{"format": "neural-playground-weights", "version": 1, "spec": {"inputs": NaN}}',
     ["NaN"]),
    ('{"format": "neural-playground-weights", "version": 1, "spec": {"l1": 1' + "0" * 400
     + "}}", ["integer of 401 digits"]),
    ('{"format": "neural-playground-weights", "version": 1, "spec": {"l1": ' + "7" * 5000
     + "}}", ["integer of 5,000 digits"]),
    ('{"format": "neural-playground-weights", "version": 1, "spec": {"l1": 1e400}}',
     ["too large"]),
    ('{"format": "neural-playground-weights", "format": "x", "version": 1}', ["twice"]),
    ('{"format": "neural-playground-weights", "version": 1, "spec": {"inputs": 2, ',
     ["not valid JSON"]),
], ids=["nested", "infinity", "nan", "int-400", "int-5000", "float-1e400", "duplicate",
        "truncated"])
def test_meta_json_that_json_loads_mishandles_is_refused(good, text, fragments):
    path, parts = good
    _write(path, _with_meta(parts, text))
    _refused(path, "'meta'", *fragments)


@pytest.mark.parametrize("version", [0, -3, True, 1.0, "1", None, [1]])
def test_bad_format_versions_are_refused(good, version):
    path, parts = good
    meta = {**_meta(parts), "version": version}
    _write(path, _with_meta(parts, json.dumps(meta)))
    _refused(path, "format version", "whole number from 1 to 1")


def test_a_newer_format_version_asks_for_an_update(good):
    path, parts = good
    _write(path, _with_meta(parts, json.dumps({**_meta(parts), "version": 7})))
    _refused(path, "format version 7", "update Neural Playground")


@pytest.mark.parametrize(("change", "fragments"), [
    ({"l1": float("nan")}, ["NaN"]),
    ({"l2": float("inf")}, ["Infinity"]),
    ({"l1": -0.1}, ["'l1'", "finite number ≥ 0"]),
    ({"l2": "0.1"}, ["'l2'", "finite number ≥ 0"]),
    ({"l2": True}, ["'l2'", "not true"]),
    ({"inputs": 2.0}, ["'inputs'", "whole number"]),
    ({"inputs": True}, ["'inputs'", "not true"]),
    ({"outputs": 0}, ["'outputs'", "from 1 to 4,096"]),
    ({"layers": [True]}, ["layer 1", "whole number"]),
    ({"layers": [{"units": 5000}]}, ["layer 1: 'units'", "4,096"]),
    ({"layers": [8] * 65}, ["'layers'", "at most 64"]),
    ({"layers": [4096, 4096]}, ["16,", "parameters", "at most 10,000,000"]),
    ({"layers": [{"units": 8, "dropout": 1.0}]}, ["'dropout'", "< 1"]),
    ({"layers": [{"units": 8, "activation": ["relu"] * 7}]}, ["7 activations for 8 units"]),
    ({"layers": [{"units": 8, "activation": "mish"}]}, ["unknown activation 'mish'"]),
    ({"layers": [{"units": 8, "colour": "red"}]}, ["unknown key 'colour'"]),
    ({"seed": -1}, ["'seed'"]),
    ({"loss": 3}, ["'loss'", "printable text"]),
    ({"init": "ones"}, ["invalid", "unknown initialiser"]),
    ({"banana": 1}, ["unknown key 'banana'"]),
], ids=lambda v: json.dumps(v)[:40] if isinstance(v, dict) else None)
def test_bad_spec_values_are_refused(good, change, fragments):
    path, parts = good
    meta = _meta(parts)
    meta["spec"] = {**meta["spec"], **change}
    _write(path, _with_meta(parts, json.dumps(meta)))
    _refused(path, *fragments)


@pytest.mark.parametrize(("names", "fragment"), [
    (["a", "b"], "lists 2 classes, but a softmax network with 3 outputs tells 3 apart"),
    (["a", "a", "b"], "names a class twice"),
    (["a", "", "c"], "printable text"),
    (["a", "b\n", "c"], "printable text"),
    ("abc", "list"),
    ([str(i) for i in range(9)], "at most 8"),
])
def test_bad_class_names_are_refused(good, names, fragment):
    path, parts = good
    _write(path, _with_meta(parts, json.dumps({**_meta(parts), "class_names": names})))
    _refused(path, "'class_names'", fragment)


def test_features_must_match_the_inputs(good):
    path, parts = good
    _write(path, _with_meta(parts, json.dumps({**_meta(parts), "features": ["x1"]})))
    _refused(path, "names 1 input features but the network takes 2 inputs")


def test_a_bce_file_says_it_tells_two_classes_apart(tmp_path):
    spec = {**SPEC, "outputs": 1, "loss": "bce"}
    path = save_weights(tmp_path / "bce.npz", Network.from_spec(spec),
                        class_names=["no", "yes"])
    loaded = read_weights(path)
    assert (loaded.loss, loaded.outputs, loaded.classes) == ("bce", 1, 2)
    assert loaded.class_names == ["no", "yes"]
    meta = members(path)
    _write(path, _with_meta(meta, json.dumps({**_meta(meta), "class_names": ["a", "b", "c"]})))
    _refused(path, "lists 3 classes, but a bce network with 1 output tells 2 apart")


@pytest.mark.parametrize(("loss", "outputs", "names", "classes"), [
    ("softmax", 3, ["a", "b", "c"], 3), ("hinge", 4, None, 4), ("mse", 1, ["a", "b"], 2),
    ("mse", 1, None, None), ("mse", 3, ["a", "b", "c"], 3)])
def test_weights_file_exposes_loss_outputs_and_classes(tmp_path, loss, outputs, names,
                                                       classes):
    path = save_weights(tmp_path / "n.npz", Network.from_spec(
        {**SPEC, "loss": loss, "outputs": outputs}), class_names=names)
    loaded = read_weights(path)
    assert (loaded.loss, loaded.outputs, loaded.classes) == (loss, outputs, classes)


# ----------------------------------------------------------------- not files
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "pipe.npz"
    os.mkfifo(path)
    outcome = []

    def load():
        try:
            read_weights(path)
        except LoadError as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout=60)  # a hang guard, not a speed check: a blocked open never returns
    if worker.is_alive():
        with open(path, "wb"):  # unblock the reader so the thread can end
            pass
        pytest.fail("reading a FIFO blocked")
    assert outcome == ["pipe.npz is not a regular file (it is a pipe, device or socket)"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused():
    with pytest.raises(LoadError, match="zero is not a regular file"):
        read_weights("/dev/zero")


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.npz"
    with open(path, "wb") as handle:
        handle.truncate(1 << 40)  # 1 TiB, sparse: no disk used
    _refused(path, "1024.0 GB", "at most", max_mib=1)


def test_every_truncation_of_a_small_file_is_refused(tmp_path):
    path = save_weights(tmp_path / "tiny.npz", Network.from_spec(
        {"inputs": 2, "layers": [], "outputs": 2, "seed": 0}))
    data = path.read_bytes()
    cut = tmp_path / "cut.npz"
    for end in range(len(data)):
        cut.write_bytes(data[:end])
        with pytest.raises(LoadError, match=r"cut\.npz"):
            read_weights(cut)


def test_deflated_members_of_a_valid_file_load(tmp_path, good):
    _, parts = good
    path = tmp_path / "deflated.npz"
    path.write_bytes(forge([entry(n, d, DEFLATED) for n, d in parts.items()]))
    assert read_weights(path).class_names == ["a", "b", "c"]
