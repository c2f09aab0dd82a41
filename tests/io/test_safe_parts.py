"""The parts every loader is built from: .npy parsing, bounded JSON, field checks, SafeZip."""

import json
import os
import zipfile

import numpy as np
import pytest
from zip_forge import npy, npy_header

from playground.files import safe_json, safe_npy
from playground.files.errors import LoadError
from playground.files.safe_zip import SafeZip, ZipLimits

LIMITS = ZipLimits(max_file_bytes=1 << 20, max_members=8, max_member_bytes=1 << 16,
                   max_total_bytes=1 << 17)


def test_load_error_is_the_one_value_error_subclass():
    assert issubclass(LoadError, ValueError)


# ----------------------------------------------------------------- .npy
@pytest.mark.parametrize("dtype", ["<f8", "<f4", "<f2", ">f8", "<i8", "<i4", "|i1", "<u2",
                                   "|u1", "|b1"])
def test_every_whitelisted_dtype_reads_back_native(dtype):
    original = (np.arange(6).reshape(2, 3) % 2).astype(dtype)
    array = safe_npy.parse_npy(npy(original), "f: 'a'", 6, kinds="fiub")
    np.testing.assert_array_equal(array, original)
    assert array.dtype.isnative and array.flags.writeable and array.flags.c_contiguous


def test_fortran_order_and_version_2_headers():
    original = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(safe_npy.parse_npy(npy(original), "f", 12), original)
    data = npy_header("<f8", (2,), version=2) + np.array([1.0, 2.0]).tobytes()
    np.testing.assert_array_equal(safe_npy.parse_npy(data, "f", 2), [1.0, 2.0])


@pytest.mark.parametrize(("shape", "fragment"), [
    ((0, 2**31, 2**31), "at most 10 are allowed"), ((11,), "at most 10"),
    ((2, 5), "has shape (2, 5) but the spec needs (5, 2)"),
])
def test_shapes_over_the_cap_or_not_the_expected_one_are_refused(shape, fragment):
    data = npy_header("<f8", shape) + bytes(8 * 10)
    with pytest.raises(LoadError, match=r"^f: 'a' ") as info:
        safe_npy.parse_npy(data, "f: 'a'", 10, expected=(5, 2) if shape == (2, 5) else None)
    assert fragment in str(info.value)


def test_data_longer_or_shorter_than_the_header_promises_is_refused():
    data = npy(np.zeros(4))
    for damaged in (data[:-1], data + b"\x00"):
        with pytest.raises(LoadError, match="where its header promises 32"):
            safe_npy.parse_npy(damaged, "f", 4)


def test_text_members():
    assert safe_npy.parse_npy_text(npy(np.array("héllo {}")), "f", 100) == "héllo {}"
    assert safe_npy.parse_npy_text(npy(np.array(b"bytes")), "f", 100) == "bytes"
    with pytest.raises(LoadError, match="at most 400 bytes"):
        safe_npy.parse_npy_text(npy(np.array("x" * 101)), "f", 100)
    with pytest.raises(LoadError, match="single string of text"):
        safe_npy.parse_npy_text(npy(np.array(["a", "b"])), "f", 100)
    bad_code_point = npy_header("<U1", ()) + (0x110000).to_bytes(4, "little")
    with pytest.raises(LoadError, match="not valid Unicode"):
        safe_npy.parse_npy_text(bad_code_point, "f", 100)


# ----------------------------------------------------------------- JSON
def test_nesting_depth_ignores_brackets_inside_strings():
    assert safe_json.nesting_depth('{"a": "[[[[{{{{", "b": [[1]]}') == 3
    assert safe_json.nesting_depth('"\\"[[["') == 0
    assert safe_json.nesting_depth("") == 0


@pytest.mark.parametrize(("text", "fragment"), [
    ("[[[[[1]]]]]", "nests lists or objects more than 4 levels deep"),
    ("[NaN]", "contains NaN"), ("-Infinity", "contains -Infinity"),
    ("1" * 21, "integer of 21 digits; at most 20"), ("-" + "1" * 21, "21 digits"),
    ("1e309", "too large for a 64-bit float"), ('{"a": 1, "a": 2}', "names the key 'a' twice"),
    ("{'a': 1}", "not valid JSON (Expecting property name"),
])
def test_parse_json_refusals(text, fragment):
    with pytest.raises(LoadError, match=r"^f: 'meta' ") as info:
        safe_json.parse_json(text, "f: 'meta'", max_depth=4)
    assert fragment in str(info.value)


def test_parse_json_values():
    assert safe_json.parse_json('{"a": [1, 2.5, "x", null, true]}', "f", 4) == {
        "a": [1, 2.5, "x", None, True]}
    assert safe_json.parse_json("[[[[1]]]]", "f", 4) == [[[[1]]]]
    assert safe_json.parse_json(str(2**63), "f") == 2**63


@pytest.mark.parametrize(("check", "value", "fragment"), [
    (lambda v: safe_json.check_int(v, "'n'", 1, 10), True, "'n' must be a whole number from 1 "
     "to 10, not true"),
    (lambda v: safe_json.check_int(v, "'n'", 1, 10), 1.0, "not 1.0"),
    (lambda v: safe_json.check_int(v, "'n'", 1, 10), 11, "not 11"),
    (lambda v: safe_json.check_number(v, "'l1'", 0.0), -1, "'l1' must be a finite number ≥ 0"),
    (lambda v: safe_json.check_number(v, "'p'", 0.0, 1.0, below_high=True), 1.0, "and < 1"),
    (lambda v: safe_json.check_number(v, "'l1'", 0.0), False, "not false"),
    (lambda v: safe_json.check_text(v, "'name'"), "", "printable text of 1 to 100"),
    (lambda v: safe_json.check_text(v, "'name'"), "a\udc80", "printable"),
    (lambda v: safe_json.check_list(v, "'xs'", 2), [1, 2, 3], "at most 2 items, not [1, 2, 3]"),
    (lambda v: safe_json.check_object(v, "'spec'"), [], "JSON object"),
])
def test_field_checks_name_the_field_and_the_value(check, value, fragment):
    with pytest.raises(LoadError) as info:
        check(value)
    assert fragment in str(info.value)


def test_shown_cuts_long_values():
    assert safe_json.shown("x" * 100).endswith("…") and len(safe_json.shown("x" * 100)) == 40


# ----------------------------------------------------------------- SafeZip
def _zip(tmp_path, members, method=zipfile.ZIP_DEFLATED):
    path = tmp_path / "project.zip"
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_safe_zip_reads_json_and_npy_members(tmp_path):
    path = _zip(tmp_path, {"project.json": json.dumps({"version": 1}).encode(),
                           "weights/W1.npy": npy(np.eye(2)), "note.txt": b"hello"})
    with SafeZip(path, LIMITS, "project file") as archive:
        assert archive.names == ["project.json", "weights/W1.npy", "note.txt"]
        assert archive.read_json("project.json", max_bytes=1000) == {"version": 1}
        np.testing.assert_array_equal(archive.read_npy("weights/W1.npy", (2, 2)), np.eye(2))
        np.testing.assert_array_equal(
            archive.read_npy("weights/W1.npy", max_elements=4), np.eye(2))
        assert archive.read("note.txt") == b"hello"
        with pytest.raises(LoadError, match=r"project\.zip: 'weights/W1' declares 160 bytes, "
                                            r"more than the 100 bytes"):
            archive.check_size("weights/W1.npy", 100)
        with pytest.raises(LoadError, match=r"has no member 'missing\.json'"):
            archive.read("missing.json")
        with pytest.raises(LoadError, match=r"'note\.txt' is not valid JSON"):
            archive.read_json("note.txt", 100)


def test_safe_zip_caps_come_from_the_caller(tmp_path):
    path = _zip(tmp_path, {f"m{i}.json": b"{}" for i in range(9)})
    with pytest.raises(LoadError, match="has 9 members; a project file has at most 8"):
        SafeZip(path, LIMITS, "project file")
    path = _zip(tmp_path, {"big.json": b" " * (1 << 16 + 1)})
    with pytest.raises(LoadError, match=r"declares 128\.0 KB of data; at most 64\.0 KB"):
        SafeZip(path, LIMITS, "project file")
    path = _zip(tmp_path, {f"m{i}.json": b" " * 60_000 for i in range(3)})
    with pytest.raises(LoadError, match=r"more than 128\.0 KB of data once unpacked"):
        SafeZip(path, LIMITS, "project file")


def test_safe_zip_json_member_that_is_not_utf8(tmp_path):
    path = _zip(tmp_path, {"p.json": '{"a": "é"}'.encode("latin-1")})
    with SafeZip(path, LIMITS, "project file") as archive, pytest.raises(
            LoadError, match=r"'p\.json' is not UTF-8 text"):
        archive.read_json("p.json", 100)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open descriptors")
def test_no_file_stays_open_after_a_refusal_or_a_load(tmp_path):
    damaged = tmp_path / "x.zip"
    damaged.write_bytes(b"PK\x03\x04" + bytes(10))
    good = _zip(tmp_path, {"p.json": b"{}"})
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        with pytest.raises(LoadError, match="cut short"):
            SafeZip(damaged, LIMITS, "project file")
        with SafeZip(good, LIMITS, "project file") as archive:
            archive.read_json("p.json", 10)
    assert len(os.listdir("/proc/self/fd")) == before
