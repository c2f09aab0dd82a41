"""Messages between the window and its training process, without pickle.

A message is a JSON header plus the raw bytes of every NumPy array in it, so decoding never
runs code: it builds plain values, arrays of whitelisted dtypes, and the dataclasses of
``playground.core`` (nothing else can be named). Tuples, dicts with non-string keys and
floats that are not finite survive the round trip, so a decoded snapshot compares equal to
the one that was sent.

Layout: ``b"NPM1"``, the header's length (4 bytes, little-endian), the header, then the
arrays' bytes, each starting on an 8-byte boundary.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
import struct
from typing import Any

import numpy as np

MAGIC = b"NPM1"
DTYPES = frozenset("?bBhHiIlLqQefdFD")
"""NumPy type characters an array may have: bools, integers, floats, complex."""
CLASS_PREFIX = "playground.core."


class CodecError(ValueError):
    """A message that is not one of ours."""


def encode(value: Any) -> bytes:
    blobs: list[np.ndarray] = []
    header = json.dumps(_pack(value, blobs), separators=(",", ":")).encode()
    parts = [MAGIC, struct.pack("<I", len(header)), header]
    offset = sum(len(p) for p in parts)
    for blob in blobs:
        pad = -offset % 8
        parts.append(b"\0" * pad)
        data = blob.tobytes()
        parts.append(data)
        offset += pad + len(data)
    return b"".join(parts)


def decode(payload: bytes | bytearray) -> Any:
    buffer = bytearray(payload) if isinstance(payload, bytes) else payload
    if buffer[:4] != MAGIC or len(buffer) < 8:
        raise CodecError("not a Neural Playground message")
    (size,) = struct.unpack_from("<I", buffer, 4)
    try:
        tree = json.loads(bytes(buffer[8:8 + size]))
    except ValueError as exc:
        raise CodecError(f"damaged message header ({exc})") from None
    return _unpack(tree, buffer, [8 + size])


def _pack(value: Any, blobs: list[np.ndarray]) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        if value.dtype.char not in DTYPES:
            raise CodecError(f"cannot send an array of {value.dtype}")
        blobs.append(np.ascontiguousarray(value))
        return {"$a": [value.dtype.str, list(value.shape)]}
    if isinstance(value, tuple):
        return {"$t": [_pack(v, blobs) for v in value]}
    if isinstance(value, list):
        return [_pack(v, blobs) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"$s": [_pack(v, blobs) for v in sorted(value)]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _pack(v, blobs) for k, v in value.items()}
        return {"$d": [[_pack(k, blobs), _pack(v, blobs)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        name = f"{cls.__module__}.{cls.__qualname__}"
        if not name.startswith(CLASS_PREFIX):
            raise CodecError(f"cannot send a {name}")
        return {"$c": name, "f": {f.name: _pack(getattr(value, f.name), blobs)
                                  for f in dataclasses.fields(value) if f.init}}
    raise CodecError(f"cannot send a {type(value).__name__}")


def _unpack(tree: Any, buffer: bytearray, offset: list[int]) -> Any:
    if isinstance(tree, list):
        for item in tree:
            if isinstance(item, (list, dict)):
                return [_unpack(v, buffer, offset) for v in tree]
        return tree  # a list of plain values (a history column) is already decoded
    if not isinstance(tree, dict):
        return tree
    if "$a" in tree:
        return _array(tree["$a"], buffer, offset)
    if "$t" in tree:
        return tuple(_unpack(tree["$t"], buffer, offset))
    if "$s" in tree:
        return frozenset(_unpack(v, buffer, offset) for v in tree["$s"])
    if "$d" in tree:
        return {_unpack(k, buffer, offset): _unpack(v, buffer, offset) for k, v in tree["$d"]}
    if "$c" in tree:
        cls = _dataclass(tree["$c"])
        return cls(**{k: _unpack(v, buffer, offset) for k, v in tree["f"].items()})
    return {k: _unpack(v, buffer, offset) for k, v in tree.items()}


def _array(spec: list, buffer: bytearray, offset: list[int]) -> np.ndarray:
    dtype, shape = np.dtype(spec[0]), tuple(int(n) for n in spec[1])
    if dtype.char not in DTYPES or any(n < 0 for n in shape):
        raise CodecError(f"unexpected array {spec!r}")
    start = offset[0] + (-offset[0] % 8)
    count = math.prod(shape)
    end = start + count * dtype.itemsize
    if end > len(buffer):
        raise CodecError("message shorter than its arrays")
    offset[0] = end
    return np.frombuffer(buffer, dtype, count, start).reshape(shape)


def _dataclass(name: str) -> type:
    module, _, qualname = name.rpartition(".")
    if not name.startswith(CLASS_PREFIX) or "." in qualname:
        raise CodecError(f"unexpected class {name!r}")
    try:
        cls = getattr(importlib.import_module(module), qualname, None)
    except ImportError:
        cls = None
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise CodecError(f"unexpected class {name!r}")
    return cls
