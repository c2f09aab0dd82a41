"""Atomic saves: write a temporary file beside the target, flush it to disk, then rename.

A crash or a full disk mid-save leaves the previous file untouched, never a truncated one.
The saved file gets the mode a plain ``open`` would give it (0o666 less the umask) or, when it
replaces a file, that file's mode: a save never quietly makes a shared file private.

The temporary file's name is short and fixed in length (``.playground-`` + 16 hex digits of a
hash of the target's name + 8 random ones + ``.tmp``), so any name the file system allows can
be saved, and the next save of the same target can find what a killed save left behind: it
removes every such file nobody holds a lock on (a save locks its temporary file while it
writes). Saving through a symbolic link replaces the file the link points to and keeps the
link; a read-only target is refused, never silently replaced.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted there anyway
    fcntl = None

TEMP_PREFIX = ".playground-"
TEMP_SUFFIX = ".tmp"
_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_OPEN_STALE = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def temp_prefix(target: str | os.PathLike) -> str:
    """The start of every temporary file name a save of ``target`` uses."""
    digest = hashlib.sha256(os.fsencode(Path(target).name)).hexdigest()[:16]
    return f"{TEMP_PREFIX}{digest}-"


def writable_target(path: str | os.PathLike) -> Path:
    """The file a save of ``path`` replaces: the end of any chain of symbolic links.

    Raises ``OSError`` (with a plain ``strerror``) for a folder, a special file or a file
    without write permission, before anything is written; callers may call it early to say
    so before long work.
    """
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "it is not a regular file", str(path))
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only, so it was not replaced",
                              str(path))
    return target


def _lock(fd: int) -> bool:
    """Take the save lock on an open temporary file; False if another save holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_stale_temps(target: str | os.PathLike) -> int:
    """Delete temporary files that killed saves of ``target`` left; returns how many."""
    folder, prefix = Path(target).parent, temp_prefix(target)
    try:
        names = [entry.name for entry in os.scandir(folder)
                 if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return 0
    removed = 0
    for name in names:
        try:
            fd = os.open(folder / name, _OPEN_STALE)
        except OSError:
            continue
        try:
            if _lock(fd):
                os.unlink(folder / name)
                removed += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _create_temp(target: Path) -> tuple[int, Path]:
    """A new, locked, empty file beside ``target``. Created with 0o666 so the umask (and any
    default ACL) applies as for any new file; ``tempfile.mkstemp`` would make it 0o600."""
    prefix = temp_prefix(target)
    while True:
        tmp = target.parent / f"{prefix}{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            fd = os.open(tmp, _FLAGS, 0o666)
        except FileExistsError:
            continue
        # another save's cleanup may have removed it between open and lock: then start over
        if _lock(fd) and _is_file(fd, tmp):
            return fd, tmp
        os.close(fd)


def _is_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file for writing; on success it replaces ``path`` in one rename."""
    target = writable_target(path)
    remove_stale_temps(target)
    fd, tmp = _create_temp(target)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, closefd=False) as handle:
            yield handle
            handle.flush()
            os.fsync(fd)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        os.close(fd)  # the lock goes with it, after the rename
    _sync_folder(target.parent)


def atomic_write(path: str | os.PathLike, write: Callable[[IO], object], mode: str = "wb") -> Path:
    """Save through ``write(handle)`` atomically; returns ``path`` as given."""
    with atomic_file(path, mode) as handle:
        write(handle)
    return Path(path)
