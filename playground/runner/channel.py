"""One end of the pipe between the window and its training process: length-prefixed frames
over a pair of byte streams (the process's stdin and stdout).

A thread reads frames as they arrive into a queue, so either side can look for a message
without blocking (``poll``) on every system, pipes on Windows included. The end of the stream
(the other process is gone) arrives as ``None``.
"""

from __future__ import annotations

import os
import queue
import struct
import threading
from typing import BinaryIO

HEADER = struct.Struct("<Q")
MAX_FRAME = 1 << 31
"""A frame longer than this is not ours: the stream is treated as closed."""


class Channel:
    def __init__(self, incoming: BinaryIO, outgoing: BinaryIO) -> None:
        self._out = outgoing
        self._write_lock = threading.Lock()
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._held: bytes | None = None
        self._has_held = False
        self.closed = False
        threading.Thread(target=self._read, args=(incoming,), daemon=True,
                         name="channel-reader").start()

    def send(self, payload: bytes) -> None:
        """Write one frame; OSError (BrokenPipeError) if the other side is gone."""
        with self._write_lock:
            self._out.write(HEADER.pack(len(payload)))
            self._out.write(payload)
            self._out.flush()

    def poll(self, timeout: float = 0.0) -> bool:
        """Whether a frame (or the end of the stream) is waiting, waiting up to ``timeout``."""
        if self._has_held:
            return True
        try:
            self._held = (self._queue.get(timeout=timeout) if timeout > 0
                          else self._queue.get_nowait())
        except queue.Empty:
            return False
        self._has_held = True
        return True

    def recv(self) -> bytes:
        """The next frame, waiting for it; EOFError once the stream has ended."""
        if self._has_held:
            frame, self._held, self._has_held = self._held, None, False
        else:
            frame = self._queue.get()
        if frame is None:
            self.closed = True
            self._queue.put(None)  # stay ended for every later call
            raise EOFError("the other process closed the pipe")
        return frame

    def _read(self, stream: BinaryIO) -> None:
        """Read frames with plain ``os.read`` calls: a thread blocked in a buffered stream
        would hold its lock while the interpreter shuts down."""
        fd = stream.fileno()
        try:
            while True:
                head = _read_exactly(fd, HEADER.size)
                (size,) = HEADER.unpack(head)
                if size > MAX_FRAME:
                    break
                self._queue.put(_read_exactly(fd, size))
        except (OSError, ValueError, EOFError):
            pass
        self._queue.put(None)


def _read_exactly(fd: int, size: int) -> bytes:
    parts, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)
