"""Zip archives built byte by byte, so a test can declare any size, method, flag or CRC.

``zipfile`` refuses to write most of what a hostile file does (a CRC that lies, a member that
declares 300 bytes and inflates to 1 GB, a count in the end record that is wrong), so the
hostile-file tests write the records themselves.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

import numpy as np

STORED, DEFLATED, BZIP2, LZMA = 0, 8, 12, 14


@dataclass
class Entry:
    name: str
    packed: bytes  # the bytes as they sit in the archive
    size: int  # the uncompressed size the directory declares
    crc: int
    method: int = STORED
    flags: int = 0


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def entry(name: str, data: bytes, method: int = STORED, **declared) -> Entry:
    """A member holding ``data``; keyword arguments override what the directory declares."""
    packed = deflate(data) if method == DEFLATED else data
    fields = {"size": len(data), "crc": zlib.crc32(data), "method": method, **declared}
    return Entry(name, packed, **fields)


def zero_bomb(gigabytes: int = 1) -> bytes:
    """A raw deflate stream of ``gigabytes`` GiB of zeros, about 1 MB long, built in ~0.1 s:
    one fully flushed 16 MiB block repeated (a full flush resets the dictionary)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(bytes(1 << 24)) + packer.flush(zlib.Z_FULL_FLUSH)
    return block * (64 * gigabytes) + packer.flush(zlib.Z_FINISH)


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def npy_header(descr: object, shape: tuple, fortran: bool = False, version: int = 1) -> bytes:
    """A .npy header as NumPy writes it, with any descr and shape (nothing is checked)."""
    text = f"{{'descr': {descr!r}, 'fortran_order': {fortran}, 'shape': {shape!r}, }}"
    text += " " * ((-len(text) - 11) % 64) + "\n"
    if version == 1:
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin-1")
    return b"\x93NUMPY\x02\x00" + struct.pack("<I", len(text)) + text.encode("latin-1")


def forge(entries: list[Entry], count: int | None = None, comment: bytes = b"") -> bytes:
    """A zip of ``entries``; ``count`` overrides the member count in the end record."""
    out = bytearray()
    directory = bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, e.flags | 0x800, e.method, 0, 0,
                           e.crc, len(e.packed), e.size, len(name), 0) + name + e.packed
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, e.flags | 0x800,
                                 e.method, 0, 0, e.crc, len(e.packed), e.size, len(name), 0,
                                 0, 0, 0, 0, offset) + name
    n = len(entries) if count is None else count
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(directory), len(out),
                      len(comment))
    return bytes(out + directory + end + comment)


def members(path) -> dict[str, bytes]:
    """Every member of a valid zip, by name, in order."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
