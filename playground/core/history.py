"""The training record: one row per epoch, thinned with age so hours of training stay small,
and marks where the data, the loss, the network or the weights changed.

Every recent epoch is kept (:data:`RECENT`); once the record holds :data:`CAPACITY` rows,
every other row older than that is dropped, so older stretches are kept at a resolution that
halves each time they are thinned again. The first row always stays, so a plot of the record
shows the whole run. The plots thin their own copies with the same rule (:func:`keep_rows`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, fields

import numpy as np

RECENT = 2000
"""Rows at the end that are never thinned."""
CAPACITY = 4000
"""Rows the record may hold before it thins."""
MARK_CAPACITY = 500
"""Marks kept; the oldest go first."""
MARK_KINDS = ("data", "loss", "network", "weights")
"""What a mark says changed. After a "data" or "loss" mark the loss is measured on other
terms, so loss curves do not join across it."""


def keep_rows(n: int, recent: int = RECENT, capacity: int = CAPACITY) -> np.ndarray | None:
    """Indices of the rows to keep of ``n`` rows, or None while no thinning is due."""
    if n < capacity:
        return None
    older = max(n - recent, 0)
    return np.concatenate([np.arange(0, older, 2), np.arange(older, n)])


@dataclass(frozen=True)
class Mark:
    """Something changed after epoch ``epoch`` (before the next row): ``kind`` is one of
    :data:`MARK_KINDS`, ``text`` says what for people ("Insert layer 2")."""

    epoch: int
    kind: str
    text: str


@dataclass
class History:
    """One row per recorded epoch (train_loss is the data loss; ``regularization`` the
    L1/L2 term on top), the layer ids each row's ``grad_norms`` belong to, and the marks."""

    epoch: list[int] = field(default_factory=list)
    step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    grad_norms: list[tuple[float, ...]] = field(default_factory=list)
    layer_ids: list[tuple[int, ...]] = field(default_factory=list)
    regularization: list[float] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    marks_made: int = 0
    """How many marks were ever added (marks beyond :data:`MARK_CAPACITY` are dropped)."""

    def __len__(self) -> int:
        return len(self.epoch)

    @classmethod
    def row_fields(cls) -> tuple[str, ...]:
        return _ROW_FIELDS

    def append(self, **row: float | int | tuple) -> None:
        """Add one row (every row field by name), thinning first when the record is full."""
        keep = keep_rows(len(self) + 1)
        if keep is not None:
            keep = keep[:-1]   # the new row is the last of n + 1
            for name in self.row_fields():
                column = getattr(self, name)
                column[:] = [column[i] for i in keep]
        for name in self.row_fields():
            getattr(self, name).append(row[name])

    def mark(self, epoch: int, kind: str, text: str) -> None:
        if kind not in MARK_KINDS:
            raise ValueError(f"unknown mark kind {kind!r}")
        self.marks.append(Mark(epoch, kind, text))
        self.marks_made += 1
        del self.marks[:-MARK_CAPACITY]

    def truncate(self, epoch: int) -> None:
        """Forget the rows after ``epoch`` and the marks made after it (going back to it)."""
        end = bisect.bisect_right(self.epoch, epoch)
        for name in self.row_fields():
            del getattr(self, name)[end:]
        self.marks[:] = [m for m in self.marks if m.epoch <= epoch]

    def copy(self) -> History:
        return History(**{name: list(getattr(self, name)) for name in self.row_fields()},
                       marks=list(self.marks), marks_made=self.marks_made)

    def since(self, epoch: int, marks_seen: int = 0) -> History:
        """The rows after ``epoch`` and the marks after the first ``marks_seen`` ever made,
        as a new History (a cheap copy for a snapshot)."""
        start = bisect.bisect_right(self.epoch, epoch)
        new_marks = self.marks_made - marks_seen
        marks = self.marks[len(self.marks) - min(new_marks, len(self.marks)):] if new_marks else []
        return History(**{name: getattr(self, name)[start:] for name in self.row_fields()},
                       marks=list(marks), marks_made=self.marks_made)

    def joined(self, later: History) -> History:
        """These rows and marks, then ``later``'s (two snapshots' news as one)."""
        return History(**{name: getattr(self, name) + getattr(later, name)
                          for name in self.row_fields()},
                       marks=self.marks + later.marks, marks_made=later.marks_made)


_ROW_FIELDS = tuple(f.name for f in fields(History) if f.name not in ("marks", "marks_made"))
"""The per-epoch columns (looked up once: a row is appended every epoch)."""
