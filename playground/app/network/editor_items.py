"""What the editor draws over the network: the selection frame and, while dragging from the
palette, where the new layer or neuron will land.

Both are plain painted items in the highlight colour; the editor places them in scene
coordinates and they never take the mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from playground.app.network.items import corner_radius


class SelectionFrame(QGraphicsItem):
    """A rounded frame in the highlight colour: around one neuron (drawn over its map) or
    around a whole column (a tinted band behind it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._rect = QRectF()
        self._band = False
        self.color = QColor("#0877bd")
        self.hide()

    def frame(self, rect: QRectF, band: bool) -> None:
        """Show the frame around ``rect``; ``band`` tints its inside (a selected layer)."""
        self.prepareGeometryChange()
        self._rect = QRectF(rect)
        self._band = band
        self.setZValue(-2 if band else 2)  # a band lies under the edges, a ring over the map
        self.show()
        self.update()

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 3, 3)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        radius = 8.0 if self._band else corner_radius(self._rect.width())
        if self._band:
            fill = QColor(self.color)
            fill.setAlpha(36)
            painter.setBrush(fill)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(self.color, 2.5 if not self._band else 1.5))
        painter.drawRoundedRect(self._rect, radius, radius)


class DropMarker(QGraphicsItem):
    """Where a drop will land: a vertical line with a caption for a new layer, or a bar and a
    dashed ghost neuron between two neurons of a column. The caption sits on a pill of the
    background colour so it reads over a dense mesh of edges."""

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(3)
        self._font = QFont(font)
        self._font.setBold(True)
        self._line = QLineF()
        self._ghost = QRectF()
        self._text = ""
        self._rect = QRectF()
        self.color = QColor("#0877bd")
        self.background = QColor("white")
        self.hide()

    def show_layer(self, x: float, top: float, bottom: float, text: str) -> None:
        """A new column will be inserted at ``x``."""
        self._place(QLineF(x, top, x, bottom), QRectF(), text)

    def show_neuron(self, x: float, y: float, side: float, text: str) -> None:
        """A new neuron of ``side`` will sit at (x, y)."""
        ghost = QRectF(x - side / 2, y - side / 2, side, side)
        half = side / 2 + 8
        self._place(QLineF(x - half, y, x + half, y), ghost, text)

    def text(self) -> str:
        return self._text

    def _place(self, line: QLineF, ghost: QRectF, text: str) -> None:
        self.prepareGeometryChange()
        self._line, self._ghost, self._text = line, ghost, text
        metrics = QFontMetricsF(self._font)
        self._rect = (QRectF(line.p1(), line.p2()).normalized().adjusted(-4, -4, 4, 4)
                      .united(ghost.adjusted(-2, -2, 2, 2)).united(self._pill(metrics)))
        self.show()
        self.update()

    def _label_pos(self, metrics: QFontMetricsF) -> QPointF:
        width = metrics.horizontalAdvance(self._text)
        if self._ghost.isNull():  # above the line's top, centred on it
            return QPointF(self._line.x1() - width / 2, self._line.y1() - metrics.height() - 4)
        return QPointF(self._line.x2() + 6, self._line.y1() - metrics.height() / 2)

    def _pill(self, metrics: QFontMetricsF) -> QRectF:
        label = QRectF(self._label_pos(metrics), metrics.size(0, self._text))
        return label.adjusted(-5, -1, 5, 1)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(self.color, 3.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(self._line)
        if not self._ghost.isNull():
            ghost = QPen(self.color, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(ghost)
            fill = QColor(self.color)
            fill.setAlpha(40)
            painter.setBrush(fill)
            radius = corner_radius(self._ghost.width())
            painter.drawRoundedRect(self._ghost, radius, radius)
        metrics = QFontMetricsF(self._font)
        pill = self._pill(metrics)
        painter.setPen(QPen(self.color, 1.2))
        painter.setBrush(self.background)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setFont(self._font)
        painter.drawText(self._label_pos(metrics) + QPointF(0, metrics.ascent()), self._text)
