"""A zip of ``.npy`` and JSON members (an ``.npz``, a project file), read within set limits.

``numpy.load`` and ``zipfile`` trust the archive: they decompress whatever a member holds
(bzip2 and LZMA included, 2 GB from a 3 KB file), build an entry for each of 100,000 members,
and raise a dozen exception types on damage. :class:`SafeZip` reads the table of contents
itself and refuses, before anything is decompressed: more members than the caller allows,
compression other than stored or deflate, encryption, declared sizes over the caller's caps or
beyond what the compressed bytes could honestly hold (deflate expands at most 1032:1).
Decompression then stops the moment a member yields more than it declared, and every member's
CRC is checked. Every problem is a :class:`LoadError` that names the file and the member.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from math import prod
from typing import Any

import numpy as np

from playground.files import safe_json, safe_npy
from playground.files.errors import LoadError
from playground.files.regular import display_name, human_size, open_regular

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory
_ENTRY = struct.Struct("<4s6H3L5H2L")  # central directory entry
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header
_MAX_COMMENT = 0xFFFF
_STORED, _DEFLATED = 0, 8
_METHODS = {1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard",
            95: "XZ", 98: "PPMd", 99: "AES encryption"}
_DEFLATE_RATIO = 1032  # the most deflate can expand: 258 bytes per 2-bit code, rounded up
_MAX_NAME = 255
_ENCRYPTED = 0x1 | 0x40  # traditional or strong encryption
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class ZipLimits:
    """What the caller allows: file size, member count, one member's and all members' sizes
    once decompressed."""

    max_file_bytes: int
    max_members: int
    max_member_bytes: int
    max_total_bytes: int


@dataclass(frozen=True)
class Member:
    """One entry of the table of contents, as declared (nothing read yet)."""

    name: str
    raw_name: bytes
    method: int
    crc: int
    compressed: int
    size: int
    offset: int


class SafeZip:
    """An open archive whose table of contents passed the limits; read members by name.

    ``what`` names the kind of file in messages ("fish.npz is not a NumPy .npz weights file").
    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike, limits: ZipLimits, what: str) -> None:
        self.name = display_name(path)
        self.what = what
        self._handle, self._size = open_regular(path, limits.max_file_bytes, f"a {what}")
        try:
            self.members = self._table_of_contents(limits)
        except BaseException:
            self._handle.close()
            raise

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    @property
    def names(self) -> list[str]:
        return list(self.members)

    def label(self, member: str) -> str:
        """How messages name a member: ``net.npz: 'W1'`` (without the ``.npy``)."""
        return f"{self.name}: '{member.removesuffix('.npy')}'"

    # ------------------------------------------------------------- table of contents
    def _read_at(self, offset: int, count: int) -> bytes:
        try:
            self._handle.seek(offset)
            return self._handle.read(count)
        except OSError as exc:
            raise LoadError(f"{self.name} could not be read ({exc.strerror or exc})") from None

    def _table_of_contents(self, limits: ZipLimits) -> dict[str, Member]:
        start = self._read_at(0, 8)
        if not start:
            raise LoadError(f"{self.name} is empty")
        if start.startswith(safe_npy.MAGIC):
            raise LoadError(f"{self.name} holds a single array, not a {self.what}")
        if not start.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise LoadError(f"{self.name} is not a {self.what}")
        count, directory = self._directory(limits)
        members: dict[str, Member] = {}
        total = 0
        at = 0
        for _ in range(count):
            member, at = self._entry(directory, at)
            if member.name in members:
                raise LoadError(f"{self.name} holds two members named '{member.name}'")
            self._check_sizes(member, limits)
            total += member.size
            if total > limits.max_total_bytes:
                raise LoadError(f"{self.name} declares more than "
                                f"{human_size(limits.max_total_bytes)} of data once unpacked, "
                                f"the most a {self.what} may hold")
            members[member.name] = member
        if at != len(directory):
            raise LoadError(f"{self.name} is damaged: its table of contents lists more members "
                            "than its end record counts")
        return members

    def _directory(self, limits: ZipLimits) -> tuple[int, bytes]:
        """The member count and the raw central directory, from the end record."""
        tail_start = max(0, self._size - _EOCD.size - _MAX_COMMENT)
        tail = self._read_at(tail_start, self._size - tail_start)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _EOCD.size > len(tail):
            raise LoadError(f"{self.name} is damaged or cut short: its table of contents is "
                            "missing")
        _, disk, cd_disk, here, count, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
        if disk or cd_disk or here != count:
            raise LoadError(f"{self.name} is split across several disks, which is not supported")
        if count > limits.max_members:
            shown = f"{count:,}" if count < 0xFFFF else "more than 65,534"
            raise LoadError(f"{self.name} has {shown} members; a {self.what} has at most "
                            f"{limits.max_members:,}")
        if cd_offset + cd_size != tail_start + at:
            raise LoadError(f"{self.name} is damaged: its table of contents is not where its "
                            "end record says")
        return count, self._read_at(cd_offset, cd_size)

    def _entry(self, directory: bytes, at: int) -> tuple[Member, int]:
        if at + _ENTRY.size > len(directory):
            raise LoadError(f"{self.name} is damaged: its table of contents is cut short")
        (signature, _, _, flags, method, _, _, crc, compressed, size, name_length,
         extra_length, comment_length, disk, _, _, offset) = _ENTRY.unpack_from(directory, at)
        end = at + _ENTRY.size + name_length + extra_length + comment_length
        if signature != b"PK\x01\x02" or end > len(directory) or disk:
            raise LoadError(f"{self.name} is damaged: its table of contents is unreadable")
        raw_name = directory[at + _ENTRY.size: at + _ENTRY.size + name_length]
        name = self._member_name(raw_name, flags)
        if flags & _ENCRYPTED:
            raise LoadError(f"{self.name}: member '{name}' is encrypted, which is not supported")
        if method not in (_STORED, _DEFLATED):
            kind = _METHODS.get(method, f"an unknown method ({method})")
            raise LoadError(f"{self.name}: member '{name}' is compressed with {kind}; only "
                            "uncompressed and deflate members are read")
        return Member(name, raw_name, method, crc, compressed, size, offset), end

    def _member_name(self, raw: bytes, flags: int) -> str:
        try:
            name = raw.decode("utf-8" if flags & _UTF8_NAME else "cp437")
        except UnicodeDecodeError:
            name = ""
        if not 0 < len(raw) <= _MAX_NAME or not name.isprintable():
            raise LoadError(f"{self.name} is damaged: a member has an unreadable name")
        return name

    def _check_sizes(self, member: Member, limits: ZipLimits) -> None:
        """Declared sizes against the caps and against what the stored bytes could hold."""
        where = f"{self.name}: member '{member.name}'"
        if member.size > limits.max_member_bytes:
            raise LoadError(f"{where} declares {human_size(member.size)} of data; at most "
                            f"{human_size(limits.max_member_bytes)} are allowed")
        if member.offset + _LOCAL.size + member.compressed > self._size:
            raise LoadError(f"{where} reaches past the end of the file (it is cut short)")
        honest = (member.compressed if member.method == _STORED
                  else member.compressed * _DEFLATE_RATIO + 64)
        if member.size > honest or (member.method == _STORED and member.size != honest):
            raise LoadError(f"{where} is damaged: it declares {member.size:,} bytes, which "
                            f"{member.compressed:,} stored bytes cannot hold")

    # ------------------------------------------------------------------ members
    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """A member's bytes, decompressed with a hard limit and CRC-checked."""
        if max_bytes is not None:
            self.check_size(name, max_bytes)
        member = self.members.get(name)
        if member is None:
            raise LoadError(f"{self.name} has no member '{name}'")
        header = self._read_at(member.offset, _LOCAL.size)
        if len(header) < _LOCAL.size or not header.startswith(b"PK\x03\x04"):
            raise LoadError(f"{self.label(name)} is damaged (its local header is missing)")
        name_length, extra_length = _LOCAL.unpack(header)[-2:]
        start = member.offset + _LOCAL.size
        if self._read_at(start, name_length) != member.raw_name:
            raise LoadError(f"{self.label(name)} is damaged (its two names differ)")
        packed = self._read_at(start + name_length + extra_length, member.compressed)
        if len(packed) != member.compressed:
            raise LoadError(f"{self.label(name)} is cut short")
        data = packed if member.method == _STORED else self._inflate(member, packed)
        if zlib.crc32(data) != member.crc:
            raise LoadError(f"{self.label(name)} is damaged (its checksum does not match)")
        return data

    def _inflate(self, member: Member, packed: bytes) -> bytes:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = inflater.decompress(packed, member.size + 1)  # never more than declared + 1
        except zlib.error:
            raise LoadError(f"{self.label(member.name)} is damaged (it cannot be "
                            "decompressed)") from None
        if len(data) > member.size:
            raise LoadError(f"{self.label(member.name)} unpacks to more than the "
                            f"{member.size:,} bytes it declares")
        if not inflater.eof or len(data) != member.size:
            raise LoadError(f"{self.label(member.name)} is damaged or cut short")
        return data

    @staticmethod
    def npy_bytes(max_elements: int, itemsize: int = 8) -> int:
        """The most bytes an honest ``.npy`` of ``max_elements`` values can take."""
        return safe_npy.MAX_HEADER + 12 + itemsize * max_elements

    def check_size(self, name: str, max_bytes: int) -> None:
        """Refuse a member whose declared size is over ``max_bytes``, without reading it."""
        member = self.members.get(name)
        if member is None:
            raise LoadError(f"{self.name} has no member '{name}'")
        if member.size > max_bytes:
            raise LoadError(f"{self.label(name)} declares {human_size(member.size)}, more "
                            f"than the {human_size(max_bytes)} it may hold")

    def read_npy(self, name: str, shape: tuple[int, ...] | None = None, *,
                 max_elements: int = 0, kinds: str = safe_npy.NUMBERS) -> np.ndarray:
        """A member's array of numbers or bools (see :func:`safe_npy.parse_npy`): of exactly
        ``shape`` if given, else of at most ``max_elements`` values."""
        limit = max(1, prod(shape)) if shape is not None else max_elements  # (0,) is fine
        data = self.read(name, self.npy_bytes(limit))
        return safe_npy.parse_npy(data, self.label(name), limit, kinds, shape)

    def read_npy_text(self, name: str, max_chars: int) -> str:
        """The string a member holds as a 0-d text array (an ``.npz``'s JSON ``meta``)."""
        data = self.read(name, self.npy_bytes(max_chars, itemsize=4))
        return safe_npy.parse_npy_text(data, self.label(name), max_chars)

    def read_json(self, name: str, max_bytes: int, max_depth: int = 32) -> Any:
        """A UTF-8 JSON member, parsed with :func:`safe_json.parse_json`'s limits."""
        try:
            text = self.read(name, max_bytes).decode("utf-8")
        except UnicodeDecodeError:
            raise LoadError(f"{self.label(name)} is not UTF-8 text") from None
        return safe_json.parse_json(text, self.label(name), max_depth)
