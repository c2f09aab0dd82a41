"""Atomic saves give a new file the usual mode and keep the mode of the file they replace."""

import os
import stat
import sys

import pytest

from playground.io import atomic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test; the old one comes back afterwards."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_a_new_file_gets_0666_less_the_umask(tmp_path, umask, mask):
    umask(mask)
    target = atomic.atomic_write(tmp_path / "new.npz", lambda h: h.write(b"data"))
    assert mode(target) == 0o666 & ~mask
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"")
    assert mode(target) == mode(plain), "the same mode as a file made with open()"


@pytest.mark.parametrize("existing", [0o644, 0o664, 0o600, 0o640, 0o444])
def test_overwriting_keeps_the_existing_files_mode(tmp_path, umask, existing):
    umask(0o022)
    target = tmp_path / "shared.json"
    target.write_text("old")
    os.chmod(target, existing)
    atomic.atomic_write(target, lambda h: h.write("new"), mode="w")
    assert target.read_text() == "new"
    assert mode(target) == existing
    assert os.listdir(tmp_path) == ["shared.json"]


def test_a_failed_save_over_a_file_keeps_its_content_and_mode(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    with pytest.raises(RuntimeError), atomic.atomic_file(target, "w") as handle:
        handle.write("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old" and mode(target) == 0o640
    assert os.listdir(tmp_path) == ["keep.txt"]
