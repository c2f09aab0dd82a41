"""Atomic saves: file modes, killed saves, long names, symbolic links, read-only targets."""

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from playground.files import atomic

ROOT = Path(__file__).resolve().parents[2]

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


@pytest.mark.parametrize("existing", [0o644, 0o664, 0o600, 0o640, 0o200])
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


def _temps(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith(atomic.TEMP_PREFIX))


KILLED_SAVE = """
import os, signal, sys
from playground.files.atomic import atomic_file
with atomic_file(sys.argv[1]) as handle:
    handle.write(b"half of a new file " * 50_000)
    handle.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_save(target):
    result = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(target)], cwd=ROOT,
                            capture_output=True, timeout=60)
    assert result.returncode == -signal.SIGKILL, result.stderr


def test_a_killed_save_leaves_one_temp_file_which_the_next_save_removes(tmp_path):
    target = tmp_path / "net.npz"
    target.write_bytes(b"the saved work")
    for _ in range(4):
        _killed_save(target)
        assert target.read_bytes() == b"the saved work"
        temps = _temps(tmp_path)
        assert len(temps) == 1, temps
        assert temps[0].startswith(atomic.temp_prefix(target))
    atomic.atomic_write(target, lambda h: h.write(b"new work"))
    assert target.read_bytes() == b"new work"
    assert os.listdir(tmp_path) == ["net.npz"]


def test_cleanup_leaves_other_targets_temp_files_and_a_save_in_progress_alone(tmp_path):
    _killed_save(tmp_path / "other.npz")
    other = _temps(tmp_path)
    with atomic.atomic_file(tmp_path / "net.npz") as handle:
        handle.write(b"in progress")
        mine = [n for n in _temps(tmp_path) if n not in other]
        assert atomic.remove_stale_temps(tmp_path / "net.npz") == 0, "it is locked"
        assert [n for n in _temps(tmp_path) if n not in other] == mine
    assert _temps(tmp_path) == other
    assert atomic.remove_stale_temps(tmp_path / "other.npz") == 1
    assert _temps(tmp_path) == []


def _max_name_bytes(folder):
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


@pytest.mark.parametrize("unit", ["a", "é", "字"])
def test_the_longest_name_the_file_system_allows_can_be_saved(tmp_path, unit):
    limit = _max_name_bytes(tmp_path)
    stem = unit * ((limit - 4) // len(unit.encode()))
    name = stem + "x" * (limit - 4 - len(stem.encode())) + ".npz"
    assert len(name.encode()) == limit
    target = atomic.atomic_write(tmp_path / name, lambda h: h.write(b"long"))
    assert target.read_bytes() == b"long"
    assert os.listdir(tmp_path) == [name]
    with pytest.raises(OSError):  # one byte more is the file system's refusal, not ours
        atomic.atomic_write(tmp_path / ("y" + name), lambda h: h.write(b"x"))
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize("name", ["-leading dash.npz", "line\nbreak.npz", " spaced .npz",
                                  ".hidden.npz", "tab\tand;semi,colon.csv", "ümlaut ✓.npz",
                                  "no-extension", ".playground-look-alike.tmp"])
def test_odd_but_valid_names_can_be_saved(tmp_path, name):
    target = atomic.atomic_write(tmp_path / name, lambda h: h.write(b"odd"))
    assert target.read_bytes() == b"odd"
    assert os.listdir(tmp_path) == [name]


def test_saving_through_a_symlink_writes_the_linked_file_and_keeps_the_link(tmp_path):
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    real = real_folder / "net.npz"
    real.write_bytes(b"old")
    os.chmod(real, 0o640)
    link = tmp_path / "link.npz"
    link.symlink_to(Path("real") / "net.npz")
    chain = tmp_path / "chain.npz"
    chain.symlink_to(link)
    atomic.atomic_write(chain, lambda h: h.write(b"new"))
    assert chain.is_symlink() and link.is_symlink()
    assert real.read_bytes() == b"new" and mode(real) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["chain.npz", "link.npz", "real"]
    assert os.listdir(real_folder) == ["net.npz"]


def test_saving_through_a_dangling_symlink_creates_the_linked_file(tmp_path):
    link = tmp_path / "link.npz"
    link.symlink_to(tmp_path / "missing.npz")
    atomic.atomic_write(link, lambda h: h.write(b"made"))
    assert link.is_symlink()
    assert (tmp_path / "missing.npz").read_bytes() == b"made"


@pytest.mark.parametrize("existing", [0o444, 0o400, 0o555])
def test_a_read_only_target_is_refused_and_left_as_it_was(tmp_path, existing):
    target = tmp_path / "locked.npz"
    target.write_bytes(b"keep me")
    os.chmod(target, existing)
    with pytest.raises(PermissionError) as info:
        atomic.atomic_write(target, lambda h: h.write(b"overwrite"))
    assert info.value.strerror == "the file is read-only, so it was not replaced"
    assert target.read_bytes() == b"keep me" and mode(target) == existing
    assert os.listdir(tmp_path) == ["locked.npz"]


def test_a_folder_or_special_file_as_target_is_refused_before_writing(tmp_path):
    folder = tmp_path / "taken.npz"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        atomic.atomic_write(folder, lambda h: h.write(b"x"))
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        with pytest.raises(OSError, match="not a regular file"):
            atomic.writable_target(tmp_path / "pipe")
    assert sorted(os.listdir(tmp_path)) == sorted(["taken.npz"] + (["pipe"] if hasattr(
        os, "mkfifo") else []))
