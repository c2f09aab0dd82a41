"""The network's edges, batched by pen, one block per gap between two columns.

Edges are the hot path: a 2-32×6-3 network has ~5k, and drawing them all took ~3.5 ms of
every frame, the largest piece of a wide network's frame. A network with many edges
therefore keeps each block as a cached picture and, while snapshots stream in, restyles
one stale block per snapshot in turn: a frame pays for a sixth of the edges and blits the rest,
and every edge is at most a handful of frames behind. When snapshots stop (a pause, a single
step), the blocks still behind catch up together after :data:`CATCH_UP` seconds. A small
network has one block, restyled and drawn whole every frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPen, QPixmapCache
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from playground.app.network.items import draw_lines

AA_BUDGET_NS = 5e6
"""Antialiased strokes cost ~(7 + 9·width) ns per pixel of length. Above this (~1,500 edges)
the network is dense: edges are aliased (~4× cheaper) and ``NetworkView`` leaves the
faintest pens unpainted (|w| under 1/8 of the scale, ~25% of edges tinted ≤ 20% off the
background; for gradients also the palest colour)."""
SPREAD_BUDGET_NS = 1e6
"""Above this estimate the edges are cached blocks restyled in turn while training."""
CATCH_UP = 0.05
"""Seconds without a new snapshot after which every stale block is restyled at once."""

PIXMAP_CACHE_KB = 64 * 1024
"""Room for the cached blocks: Qt's default 10 MB holds a full-screen network's blocks at
device pixel ratio 1 but not at 2, where every block would be redrawn every frame."""

PEN_MARGIN = 8.0
"""Room around the segments for the widest pen."""


class EdgeBlock(QGraphicsItem):
    """One gap's segments, sorted so each pen's lines are one ``drawLines`` call."""

    def __init__(self, segments: np.ndarray, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.segments = segments
        self.keys: np.ndarray | None = None
        """The pen index per edge this block was last drawn with (None: never styled)."""
        self._sorted = segments
        self._groups: list[tuple[QPen, int, int]] = []
        self.antialias = True
        x, y = segments[:, 0::2], segments[:, 1::2]
        self._rect = QRectF(x.min() - PEN_MARGIN, y.min() - PEN_MARGIN,
                            x.max() - x.min() + 2 * PEN_MARGIN,
                            y.max() - y.min() + 2 * PEN_MARGIN)

    def restyle(self, keys: np.ndarray, pens: Sequence[QPen], hidden: frozenset[int]) -> None:
        small = keys.astype(np.uint8) if len(pens) <= 256 else keys  # radix sort
        order = np.argsort(small, kind="stable")
        self._sorted = np.ascontiguousarray(self.segments[order])
        counts = np.bincount(keys, minlength=len(pens))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        self._groups = [(pens[k], int(starts[k]), int(counts[k]))
                        for k in np.flatnonzero(counts) if k not in hidden]
        self.keys = keys
        self.update()

    def group_count(self) -> int:
        return len(self._groups)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self.antialias)
        for pen, start, count in self._groups:
            painter.setPen(pen)
            draw_lines(painter, self._sorted, start, count)


class EdgeItem(QGraphicsObject):
    """All edges of the network: ``set_geometry`` takes the segments once per layout,
    ``set_pens`` the pens (keys ascending = drawing order, so thin pens go first and thick
    ones lie on top), ``set_styles`` a pen key per edge each snapshot. Every edge has a pen
    (``pen_of``) even when ``hidden_pens`` leaves the faintest ones unpainted."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(-1)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._geometry = np.zeros((0, 4))
        self._blocks: list[tuple[slice, EdgeBlock]] = []
        self._antialias = True
        self._spread = False
        self._pens: list[QPen] = []
        self._hidden: frozenset[int] = frozenset()
        self._target = np.zeros(0, dtype=np.intp)
        self._restyle_all = True
        self._turn = 0
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(round(1000 * CATCH_UP))
        self._catch_up.timeout.connect(self._restyle_stale)
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))

    @property
    def antialias(self) -> bool:
        """Whether edges are smooth (thick antialiased strokes cost ~5× aliased ones)."""
        return self._antialias

    @property
    def hidden_pens(self) -> frozenset[int]:
        """Pen indices not painted (see ``NetworkView`` on dense networks)."""
        return self._hidden

    def count(self) -> int:
        return len(self._geometry)

    def segments(self) -> np.ndarray:
        """The segments in geometry order, read-only."""
        view = self._geometry.view()
        view.flags.writeable = False
        return view

    def set_geometry(self, lines: np.ndarray, gaps: Sequence[int], max_width: float) -> None:
        """New segments (E, 4), ``gaps`` edges per gap between columns in order, and how
        they are drawn: smooth or not, whole or in cached blocks (the budgets above)."""
        self._geometry = np.ascontiguousarray(lines, dtype=np.float64)
        length = float(np.hypot(lines[:, 2] - lines[:, 0], lines[:, 3] - lines[:, 1]).sum())
        cost = length * (7 + 9 * (0.5 + max_width / 3))
        antialias, spread = cost < AA_BUDGET_NS, cost >= SPREAD_BUDGET_NS
        self._antialias, self._spread = antialias, spread
        for _, block in self._blocks:
            if block.scene() is not None:
                block.scene().removeItem(block)
            block.setParentItem(None)
        bounds = np.cumsum([0, *gaps]) if spread else np.array([0, len(lines)])
        self._blocks = [(slice(a, b), EdgeBlock(self._geometry[a:b], self))
                        for a, b in pairwise(bounds) if b > a]
        for _, block in self._blocks:
            block.antialias = antialias
            if spread:
                block.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._target = np.zeros(len(lines), dtype=np.intp)
        self._restyle_all = True

    def set_pens(self, pens: Sequence[QPen], hidden: frozenset[int]) -> None:
        """The pens keys index, thinnest first; the next ``set_styles`` restyles every block."""
        self._pens = list(pens)
        self._hidden = frozenset(hidden)
        self._restyle_all = True

    def set_styles(self, keys: np.ndarray, spread: bool = False) -> None:
        """Pen index per edge. With ``spread`` (a snapshot while training), a network with
        many edges restyles the next stale block now and the rest in later frames."""
        keys = np.asarray(keys, dtype=np.intp)
        if len(keys) != len(self._geometry):
            raise ValueError(f"{len(keys)} keys for {len(self._geometry)} edges")
        self._target = keys
        if self._restyle_all or not (spread and self._spread):
            self._restyle_all = False
            self._catch_up.stop()
            for part, block in self._blocks:
                block.restyle(keys[part], self._pens, self._hidden)
            return
        stale = self._stale()
        if stale:
            turn = next((i for i in stale if i >= self._turn), stale[0])
            part, block = self._blocks[turn]
            block.restyle(keys[part], self._pens, self._hidden)
            self._turn = turn + 1
        if len(stale) > 1:
            self._catch_up.start()

    def caught_up(self) -> bool:
        """Whether every block is drawn with the latest keys."""
        return not self._stale()

    def _stale(self) -> list[int]:
        return [i for i, (part, block) in enumerate(self._blocks)
                if block.keys is None or not np.array_equal(block.keys, self._target[part])]

    def _restyle_stale(self) -> None:
        for i in self._stale():
            part, block = self._blocks[i]
            block.restyle(self._target[part], self._pens, self._hidden)

    def pen_of(self, edge: int) -> QPen:
        """The pen edge number ``edge`` (in geometry order) is drawn with now."""
        for part, block in self._blocks:
            if part.start <= edge < part.stop:
                keys = block.keys if block.keys is not None else self._target[part]
                return self._pens[int(keys[edge - part.start])]
        raise IndexError(f"no edge {edge}: the network has {self.count()}")

    def pens(self) -> list[QPen]:
        """The pens the keys index, thinnest first."""
        return list(self._pens)

    def group_count(self) -> int:
        """drawLines calls per full paint."""
        return sum(block.group_count() for _, block in self._blocks)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        """Nothing: the blocks paint."""
