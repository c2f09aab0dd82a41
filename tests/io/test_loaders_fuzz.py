"""Property tests: random and mutated bytes thrown at the weights loader and its parts.

Whatever the bytes, a loader returns a valid result or raises LoadError, never anything else,
and a session the result would go into is exactly as it was when loading fails. Mutations
start from valid files: truncation, bit flips, overwritten and inserted bytes, edits of the
zip directory, swapped, renamed, dropped and duplicated members, other compression methods,
edited .npy headers and edited meta JSON.
"""

import io
import json
import struct
import warnings
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zip_forge import DEFLATED, entry, forge, npy, npy_header

from playground.core.network import Network
from playground.core.session import DataSettings, Session
from playground.files import safe_json, safe_npy
from playground.files.errors import LoadError
from playground.io.weights import WeightsFile, load_weights, read_weights

FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

SPECS = [
    {"inputs": 2, "layers": [{"units": 3, "activation": "tanh"}], "outputs": 2,
     "loss": "softmax", "seed": 0},
    {"inputs": 2, "layers": [{"units": 2, "activation": ["maxout", "relu"]}], "outputs": 1,
     "loss": "bce", "seed": 1, "l2": 0.001},
]


def _valid_files() -> list[bytes]:
    files = []
    for spec, names in zip(SPECS, (["a", "b"], ["no", "yes"]), strict=True):
        buffer = io.BytesIO()
        net = Network.from_spec(spec)
        arrays = {k: np.array(v) for k, v in net.params.items()}
        arrays["meta"] = np.array(json.dumps({
            "format": "neural-playground-weights", "version": 1, "spec": net.to_spec(),
            "features": ["x1", "x2"], "class_names": names, "app_version": "0.1.0"}))
        np.savez(buffer, **arrays)
        files.append(buffer.getvalue())
    return files


VALID = _valid_files()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "fuzzed.npz"


@pytest.fixture(scope="module")
def session():
    return Session(DataSettings(dataset="xor", n=40), {"inputs": 2, "layers": [3],
                                                       "outputs": 2, "loss": "softmax"})


def _state(session: Session) -> tuple:
    net = session.net
    return (net.flat.tobytes(), json.dumps(net.to_spec(), sort_keys=True), session.data,
            session.shape, session.data_version, session.trainer.step_count,
            session.trainer.X.tobytes())


def _check_valid(result: WeightsFile) -> None:
    net = result.network
    assert np.isfinite(net.flat).all()
    assert dict(net.layout.shapes) == {k: v.shape for k, v in net.params.items()}
    assert result.features is None or len(result.features) == net.inputs
    assert result.classes is None or result.classes >= 2


def _load_into(path, session: Session, target: Network) -> None:
    """The weights loader's whole contract on one file: a valid result or LoadError, and on
    LoadError neither the session nor the network to copy into changes."""
    before, weights = _state(session), target.flat.copy()
    try:
        result = read_weights(path)
    except LoadError as exc:
        assert str(exc).startswith(path.name), str(exc)
        assert _state(session) == before
    else:
        _check_valid(result)
        try:
            session.replace_network(result.network, result.features)
        except ValueError:  # a valid network that does not fit this data: refused, unchanged
            assert _state(session) == before
    try:
        load_weights(path, target)
    except LoadError:
        np.testing.assert_array_equal(target.flat, weights)


# ----------------------------------------------------------------- byte mutations
mutation = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 7)),
                                        min_size=1, max_size=8)),
    st.tuples(st.just("overwrite"), st.floats(0, 1), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 64)),
    st.tuples(st.just("tail"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
)


def _mutate(data: bytes, change) -> bytes:
    kind, *args = change
    out = bytearray(data)
    if not out:
        return data
    at = int(args[0] * (len(out) - 1)) if kind != "flip" else 0
    if kind == "truncate":
        return bytes(out[:at])
    if kind == "flip":
        for where, bit in args[0]:
            out[int(where * (len(out) - 1))] ^= 1 << bit
    elif kind == "overwrite":
        out[at:at + len(args[1])] = args[1]
    elif kind == "insert":
        out[at:at] = args[1]
    elif kind == "delete":
        del out[at:at + args[1]]
    else:  # "tail": overwrite inside the last 200 bytes, where the zip directory lives
        at = len(out) - 1 - int(args[0] * min(200, len(out) - 1))
        out[at:at + len(args[1])] = args[1]
    return bytes(out)


@FUZZ
@given(base=st.sampled_from(VALID), changes=st.lists(mutation, min_size=1, max_size=3))
def test_byte_mutations_of_a_valid_file(scratch, session, base, changes):
    data = base
    for change in changes:
        data = _mutate(data, change)
    scratch.write_bytes(data)
    _load_into(scratch, session, Network.from_spec(SPECS[0]))


@FUZZ
@given(data=st.one_of(st.binary(max_size=2048),
                      st.binary(max_size=512).map(lambda b: b"PK\x03\x04" + b),
                      st.binary(max_size=512).map(lambda b: b"PK\x05\x06" + b),
                      st.binary(max_size=512).map(lambda b: safe_npy.MAGIC + b)))
def test_random_bytes(scratch, session, data):
    scratch.write_bytes(data)
    _load_into(scratch, session, Network.from_spec(SPECS[0]))


# ----------------------------------------------------------------- structure mutations
_DESCRS = ["<f8", "<f4", "<f2", ">f8", "<i8", "|u1", "|b1", "<f16", "<c16", "|O", "<U3",
           "|S2", "<M8[s]", "<f8x", "", "<V8"]
_shape = st.one_of(
    st.lists(st.integers(0, 9), max_size=3).map(tuple),
    st.lists(st.sampled_from([0, 1, 2, 3, -1, 2**31, 2**62, 2**64, 10**30]),
             max_size=3).map(tuple))
_header = st.builds(npy_header, st.sampled_from(_DESCRS), _shape, st.booleans(),
                    st.sampled_from([1, 2]))
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=12)
_META_KEYS = ["format", "version", "spec", "features", "class_names", "app_version"]
_SPEC_KEYS = ["inputs", "layers", "outputs", "loss", "seed", "l1", "l2", "init", "dropout",
              "output_activation", "activation"]


def _edit_meta(meta: dict, edit) -> dict:
    kind, key, value = edit
    if kind == "meta":
        meta[_META_KEYS[key % len(_META_KEYS)]] = value
    elif kind == "spec":
        meta["spec"][_SPEC_KEYS[key % len(_SPEC_KEYS)]] = value
    elif kind == "layer" and meta["spec"]["layers"]:
        layer = meta["spec"]["layers"][0]
        layer[["units", "activation", "dropout"][key % 3]] = value
    elif kind == "drop":
        meta.pop(_META_KEYS[key % len(_META_KEYS)], None)
    return meta


structure = st.one_of(
    st.tuples(st.just("swap"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("rename"), st.integers(0, 99), st.sampled_from(
        ["W1.npy", "b1.npy", "W9.npy", "meta.npy", "meta", "W1", "../W1.npy", "é.npy"])),
    st.tuples(st.just("drop"), st.integers(0, 99)),
    st.tuples(st.just("duplicate"), st.integers(0, 99)),
    st.tuples(st.just("header"), st.integers(0, 99), _header),
    st.tuples(st.just("meta"), st.tuples(
        st.sampled_from(["meta", "spec", "layer", "drop"]), st.integers(0, 99), _json)),
    st.tuples(st.just("meta-text"), st.integers(0, 10**6), st.text(max_size=4)),
    st.tuples(st.just("array"), st.integers(0, 99), st.sampled_from(
        [np.nan, np.inf, -np.inf, 1e308, 0.0]), st.sampled_from(["<f8", "<f4", "<f2"])),
)


def _plain_load(data: bytes):
    """NumPy's reading of a member, for the mutations to start from; None if an earlier
    mutation left it unreadable (then the mutation is skipped, the harness is not under test)."""
    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except Exception:
        return None


def _restructure(members: list[tuple[str, bytes]], change) -> list[tuple[str, bytes]]:
    kind, *args = change
    members = list(members)
    i = args[0] % len(members) if members and isinstance(args[0], int) else 0
    if not members:
        return members
    if kind == "swap":
        j = args[1] % len(members)
        (a, da), (b, db) = members[i], members[j]
        members[i], members[j] = (a, db), (b, da)
    elif kind == "rename":
        members[i] = (args[1], members[i][1])
    elif kind == "drop":
        del members[i]
    elif kind == "duplicate":
        members.append(members[i])
    elif kind == "header":
        name, data = members[i]
        start = 10 + int.from_bytes(data[8:10], "little") if data[6:7] == b"\x01" else 0
        members[i] = (name, args[1] + data[start:])
    elif kind == "array":
        name, data = members[i]
        array = _plain_load(data)
        if isinstance(array, np.ndarray) and array.dtype.kind == "f" and array.size:
            array = array.astype(args[2])
            with np.errstate(over="ignore"):  # 1e308 as float16 is infinite: that is the point
                array.flat[0] = args[1]
            members[i] = (name, npy(array))
    else:
        meta_at = next((k for k, (n, _) in enumerate(members) if n == "meta.npy"), None)
        if meta_at is None:
            return members
        raw = _plain_load(members[meta_at][1])
        if not isinstance(raw, np.ndarray) or raw.dtype.kind != "U" or raw.shape != ():
            return members
        meta_text = str(raw)
        if kind == "meta":
            try:
                text = json.dumps(_edit_meta(json.loads(meta_text), args[0]))
            except Exception:
                text = meta_text
        else:
            at = args[0] % (len(meta_text) + 1)
            text = meta_text[:at] + args[1] + meta_text[at + len(args[1]):]
        members[meta_at] = ("meta.npy", npy(np.array(text)))
    return members


@FUZZ
@given(base=st.sampled_from(VALID), changes=st.lists(structure, min_size=1, max_size=3),
       method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                               zipfile.ZIP_LZMA, "forged-deflate"]))
def test_structural_mutations_of_a_valid_file(scratch, session, base, changes, method):
    members = _members(base)
    for change in changes:
        members = _restructure(members, change)
    if method == "forged-deflate":  # duplicates and odd names, which zipfile would not write
        scratch.write_bytes(forge([entry(n, d, DEFLATED) for n, d in members]))
    else:
        with zipfile.ZipFile(scratch, "w", compression=method) as archive:
            for name, data in members:
                with warnings.catch_warnings():  # duplicate names are the point here
                    warnings.simplefilter("ignore", UserWarning)
                    archive.writestr(name, data)
    _load_into(scratch, session, Network.from_spec(SPECS[0]))


_ENTRY = ("<4s6H3L5H2L", ["4s"] + ["H"] * 6 + ["L"] * 3 + ["H"] * 5 + ["L"] * 2)
_END = ("<4s4H2LH", ["4s"] + ["H"] * 4 + ["L"] * 2 + ["H"])


@FUZZ
@given(base=st.sampled_from(VALID), in_end_record=st.booleans(), which=st.integers(0, 99),
       field=st.integers(1, 16), value=st.integers(0, 2**32 - 1))
def test_directory_fields_set_to_any_value(scratch, session, base, in_end_record, which,
                                           field, value):
    """One field of one central-directory entry (sizes, offsets, method, flags, CRC, name
    lengths) or of the end record set to an arbitrary value."""
    data = bytearray(base)
    if in_end_record:
        (layout, codes), at = _END, data.rfind(b"PK\x05\x06")
    else:
        entries = [k for k in range(len(data) - 3) if data[k:k + 4] == b"PK\x01\x02"]
        (layout, codes), at = _ENTRY, entries[which % len(entries)]
    fields = list(struct.unpack_from(layout, data, at))
    index = 1 + field % (len(fields) - 1)
    fields[index] = value % (1 << (8 * struct.calcsize(codes[index])))
    struct.pack_into(layout, data, at, *fields)
    scratch.write_bytes(bytes(data))
    _load_into(scratch, session, Network.from_spec(SPECS[0]))


# ----------------------------------------------------------------- the parts alone
@FUZZ
@given(data=st.one_of(st.binary(max_size=300).map(lambda b: safe_npy.MAGIC + b),
                      st.builds(lambda h, tail: h + tail, _header, st.binary(max_size=80))))
def test_parse_npy_returns_an_array_or_load_error(data):
    try:
        array = safe_npy.parse_npy(data, "x.npz: 'W1'", max_elements=64, kinds="fiub")
    except LoadError:
        return
    assert array.size <= 64 and array.dtype.kind in "fiub" and array.flags.writeable
    assert array.dtype.isnative


@FUZZ
@given(text=st.one_of(st.text(max_size=200), _json.map(json.dumps),
                      st.text(alphabet="[]{}\",:0123456789eE.-+ntrufalsNIy\\", max_size=300)))
def test_parse_json_returns_a_value_or_load_error(text):
    try:
        value = safe_json.parse_json(text, "x.npz: 'meta'", max_depth=8)
    except LoadError:
        return
    assert safe_json.nesting_depth(json.dumps(value)) <= 8


def test_a_valid_file_survives_the_harness(scratch, session):
    """Control: the unmutated files load, so the properties above test something."""
    for data in VALID:
        scratch.write_bytes(data)
        _check_valid(read_weights(scratch))
    scratch.write_bytes(VALID[0])
    target = Network.from_spec(SPECS[0])
    load_weights(scratch, target)
    np.testing.assert_array_equal(target.flat, read_weights(scratch).network.flat)
