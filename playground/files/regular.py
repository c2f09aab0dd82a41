"""Opening a file to load: regular files only, a size cap, one message per failure.

Every loader opens its file here. The file is opened without blocking and checked with
``fstat`` before a byte is read, so a FIFO, a device or a folder is refused at once instead of
hanging the window or reading forever; a file bigger than the caller's cap is refused before
it is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from playground.files.errors import LoadError

_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
          | getattr(os, "O_BINARY", 0))


def display_name(path: str | os.PathLike) -> str:
    """The file name messages use: the last part of the path, or the path if it has none."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    return Path(text).name or text


def human_size(count: int) -> str:
    """``1536`` → ``"1.5 KB"``: sizes in messages, in the units a file manager shows."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:,} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


def open_regular(path: str | os.PathLike, max_bytes: int, what: str) -> tuple[BinaryIO, int]:
    """An open binary handle on ``path`` and its size, or :class:`LoadError` saying why not.

    ``what`` names the kind of file in the too-big message ("a weights file may be at most …").
    The caller closes the handle.
    """
    name = display_name(path)
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise LoadError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise LoadError(f"{name} is a folder, not a file") from None
    except PermissionError:
        raise LoadError(f"{name}: permission denied, the file cannot be read") from None
    except OSError as exc:
        raise LoadError(f"{name} could not be opened ({exc.strerror or exc})") from None
    except (ValueError, TypeError):  # an embedded NUL byte, a path that is not a path
        raise LoadError(f"{name} is not a valid file name") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise LoadError(f"{name} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise LoadError(f"{name} is not a regular file (it is a pipe, device or socket)")
        if info.st_size > max_bytes:
            raise LoadError(f"{name} is {human_size(info.st_size)}; {what} may be at most "
                            f"{human_size(max_bytes)}")
        return os.fdopen(fd, "rb"), info.st_size
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike, max_bytes: int, what: str) -> bytes:
    """The whole content of a regular file of at most ``max_bytes`` bytes."""
    handle, size = open_regular(path, max_bytes, what)
    with handle:
        try:
            data = handle.read(size + 1)  # read(n) reserves n bytes: ask for what is there
            if len(data) > size:  # the file grew since fstat
                data += handle.read(max_bytes + 1 - len(data))
        except OSError as exc:
            raise LoadError(f"{display_name(path)} could not be read "
                            f"({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise LoadError(f"{display_name(path)} is larger than {human_size(max_bytes)}, the "
                        f"most {what} may be")
    return data
