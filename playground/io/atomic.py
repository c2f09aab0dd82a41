"""Atomic saves: write a temporary file beside the target, flush it to disk, then rename.

A crash or a full disk mid-save leaves the previous file untouched, never a truncated one.
The saved file gets the mode a plain ``open`` would give it (0o666 less the umask) or, when it
replaces a file, that file's mode: a save never quietly makes a shared file private.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create_temp(target: Path) -> tuple[int, Path]:
    """A new empty file beside ``target``. Created with 0o666 so the umask (and any default
    ACL) applies as for any new file; ``tempfile.mkstemp`` would make it 0o600."""
    while True:
        tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        with contextlib.suppress(FileExistsError):
            return os.open(tmp, _FLAGS, 0o666), tmp


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file for writing; on success it replaces ``path`` in one rename."""
    target = Path(path)
    fd, tmp = _create_temp(target)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike, write: Callable[[IO], object], mode: str = "wb") -> Path:
    with atomic_file(path, mode) as handle:
        write(handle)
    return Path(path)
