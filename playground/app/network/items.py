"""Graphics items of the network view: edges, neuron maps, hover targets, dead marks, legend
lines (the NumPy work that colours them is in :mod:`edge_style` and :mod:`maps`).

Edges are the hot path (a 2-32×6-3 network has ~5k): ``draw_lines`` hands Qt an array's
rows in place (the edge items are in :mod:`edge_item`). Neuron maps are composed per column
into one image each (:class:`MapLayer`), so a frame costs a few blits rather than a Python
``paint`` per neuron.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

try:  # the pointer overload of drawLines needs shiboken's wrapInstance
    import shiboken6
except ImportError:  # pragma: no cover - shiboken ships with PySide6
    shiboken6 = None

from playground.app.network.maps import corner_radius
from playground.app.ui import colors
from playground.app.ui.colors import mix

_pointer_lines = shiboken6 is not None


def draw_lines(painter: QPainter, lines: np.ndarray, start: int, count: int) -> None:
    """Draw rows ``start:start+count`` of a C-contiguous (n, 4) float64 array of x0 y0 x1 y1.

    QLineF is four doubles, so Qt can read the rows in place (PySide6 ≥ 6.4.3 accepts a
    pointer plus count); otherwise fall back to a list of QLineF.
    """
    global _pointer_lines
    if count <= 0:
        return
    if _pointer_lines:
        address = lines.ctypes.data + start * lines.strides[0]
        try:
            painter.drawLines(shiboken6.wrapInstance(address, QLineF), count)
            return
        except (TypeError, ValueError):  # pragma: no cover - older bindings
            _pointer_lines = False
    painter.drawLines([QLineF(*row) for row in lines[start:start + count].tolist()])


class MapLayer(QGraphicsItem):
    """Every neuron's map, one pre-composed strip image per column: a few blits per frame
    instead of one painted item per neuron (which costs ~6 µs each in Python)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._strips: list[tuple[QPointF, QImage]] = []
        self._rect = QRectF()

    def set_strips(self, strips: Sequence[tuple[QPointF, QImage]]) -> None:
        rect = QRectF()
        for pos, image in strips:
            size = image.deviceIndependentSize()
            rect = rect.united(QRectF(pos, size))
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self._strips = list(strips)
        self.update()

    def strips(self) -> list[tuple[QPointF, QImage]]:
        return list(self._strips)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        for pos, image in self._strips:
            painter.drawImage(pos, image)


class NodeItem(QGraphicsItem):
    """One neuron as the mouse sees it: a rounded square that reports hovering and carries
    the tooltip. Its map is drawn by :class:`MapLayer`; the node itself paints only the
    highlight while hovered (otherwise it has no contents, so the view skips it).

    Hover enter/leave calls ``on_hover(self, entered)`` so the view can emit one signal for
    all nodes (a QGraphicsItem cannot have signals of its own).
    """

    def __init__(self, layer: int, index: int,
                 on_hover: Callable[[NodeItem, bool], None] | None = None) -> None:
        super().__init__()
        self.layer = layer
        self.index = index
        self._on_hover = on_hover
        self._size = 20.0
        self.hovered = False
        self.highlight = QColor("#0877bd")
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    @property
    def size(self) -> float:
        return self._size

    def set_size(self, size: float) -> None:
        if size != self._size:
            self.prepareGeometryChange()
            self._size = float(size)

    def boundingRect(self) -> QRectF:
        half = self._size / 2 + 4
        return QRectF(-half, -half, 2 * half, 2 * half)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        s = self._size
        path.addRect(QRectF(-s / 2, -s / 2, s, s))
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        # a ring just outside the node, so it shows whatever colours the map has
        s = self._size + 3
        radius = corner_radius(s)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(self.highlight, 2.5))
        painter.drawRoundedRect(QRectF(-s / 2, -s / 2, s, s), radius, radius)

    def _set_hovered(self, hovered: bool) -> None:
        self.hovered = hovered
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, not hovered)
        self.update()
        if self._on_hover is not None:
            self._on_hover(self, hovered)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._set_hovered(True)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._set_hovered(False)
        super().hoverLeaveEvent(event)


class DeadMarks(QGraphicsItem):
    """A dark red cross over every dead ReLU neuron (one that outputs 0 for every training
    point, so no gradient reaches it and training cannot revive it). One item draws them all;
    each cross has a halo in the background colour so it reads over any map."""

    COLOR = QColor(colors.DEAD)

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(0.5)  # above the maps, below the hover targets
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._marks: list[tuple[float, float, float]] = []
        self._rect = QRectF()
        self.halo = QColor("white")

    def set_marks(self, marks: Sequence[tuple[float, float, float]]) -> None:
        """Crosses at (x, y) centres over nodes of the given side."""
        marks = list(marks)
        if marks == self._marks:
            return
        self.prepareGeometryChange()
        self._marks = marks
        rect = QRectF()
        for x, y, side in marks:
            rect = rect.united(QRectF(x - side, y - side, 2 * side, 2 * side))
        self._rect = rect
        self.update()

    def marks(self) -> list[tuple[float, float, float]]:
        return list(self._marks)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for x, y, side in self._marks:
            half = 0.38 * side
            width = min(max(0.09 * side, 1.5), 3.5)
            lines = [QLineF(x - half, y - half, x + half, y + half),
                     QLineF(x - half, y + half, x + half, y - half)]
            for color, w in ((self.halo, width + 2.0), (self.COLOR, width)):
                pen = QPen(color, w)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(pen)
                painter.drawLines(lines)


class LegendItem(QGraphicsItem):
    """One line of legend: text, short coloured line samples and colour bars, left to right.

    Pieces are ``("text", str)``, ``("line", QColor, width)`` or ``("bar", [QColor, ...])``.
    Text colour comes from the caller (the palette), never a fixed black.
    """

    BAR = 40.0
    SAMPLE = 22.0
    GAP = 5.0

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._font = QFont(font)
        self._pieces: list[tuple] = []
        self.text_color = QColor("black")
        self._width = 0.0
        self._height = QFontMetricsF(self._font).height() + 4

    def set_font(self, font: QFont) -> None:
        self.prepareGeometryChange()
        self._font = QFont(font)
        self._height = QFontMetricsF(self._font).height() + 4
        self._measure()

    def set_pieces(self, pieces: Sequence[tuple]) -> None:
        if list(pieces) == self._pieces:
            return  # unchanged: keep the cached picture
        self.prepareGeometryChange()
        self._pieces = list(pieces)
        self._measure()
        self.update()

    def text(self) -> str:
        """The legend's words, for tests and accessibility."""
        return " ".join(p[1] for p in self._pieces if p[0] == "text")

    def _piece_width(self, piece: tuple, metrics: QFontMetricsF) -> float:
        if piece[0] == "text":
            return metrics.horizontalAdvance(piece[1])
        return self.SAMPLE if piece[0] == "line" else self.BAR

    def _measure(self) -> None:
        metrics = QFontMetricsF(self._font)
        widths = [self._piece_width(p, metrics) for p in self._pieces]
        self._width = sum(widths) + self.GAP * max(len(widths) - 1, 0)

    def width(self) -> float:
        return self._width

    def height(self) -> float:
        return self._height

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._width, self._height)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        metrics = QFontMetricsF(self._font)
        painter.setFont(self._font)
        mid = self._height / 2
        x = 0.0
        for piece in self._pieces:
            w = self._piece_width(piece, metrics)
            if piece[0] == "text":
                painter.setPen(self.text_color)
                painter.drawText(QRectF(x, 0, w + 2, self._height),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 piece[1])
            elif piece[0] == "line":
                pen = QPen(piece[1], piece[2])
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                painter.setPen(pen)
                painter.drawLine(QPointF(x + 2, mid), QPointF(x + w - 2, mid))
            else:
                stops = piece[1]
                gradient = QLinearGradient(x, 0, x + w, 0)
                for i, c in enumerate(stops):
                    gradient.setColorAt(i / max(len(stops) - 1, 1), c)
                painter.setPen(QPen(mix(self.text_color, stops[len(stops) // 2], 0.6), 0.8))
                painter.setBrush(QBrush(gradient))
                painter.drawRect(QRectF(x, mid - 5, w, 10))
            x += w + self.GAP
