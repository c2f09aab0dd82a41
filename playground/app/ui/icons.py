"""Toolbar icons drawn in the palette's text colour, so they read on light and dark themes
(the style's own media icons are dark grey pictures that vanish on a dark toolbar)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

ICONS = ("play", "pause", "step_epoch", "step_batch", "reset")
SIZE = 32
"""Drawn at 32 px and scaled down by Qt, so they stay crisp at any zoom."""


def _triangle(x: float, y: float, w: float, h: float) -> QPainterPath:
    path = QPainterPath(QPointF(x, y))
    path.lineTo(x + w, y + h / 2)
    path.lineTo(x, y + h)
    path.closeSubpath()
    return path


def _draw(painter: QPainter, name: str, color: QColor) -> None:
    s = SIZE
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    if name == "play":
        painter.drawPath(_triangle(0.25 * s, 0.18 * s, 0.58 * s, 0.64 * s))
    elif name == "pause":
        for x in (0.24, 0.58):
            painter.drawRoundedRect(QRectF(x * s, 0.2 * s, 0.18 * s, 0.6 * s), 2, 2)
    elif name == "step_epoch":  # two triangles and a bar: run to the end of the epoch
        painter.drawPath(_triangle(0.1 * s, 0.22 * s, 0.36 * s, 0.56 * s))
        painter.drawPath(_triangle(0.44 * s, 0.22 * s, 0.36 * s, 0.56 * s))
        painter.drawRect(QRectF(0.8 * s, 0.22 * s, 0.1 * s, 0.56 * s))
    elif name == "step_batch":  # one triangle and a bar: one step
        painter.drawPath(_triangle(0.22 * s, 0.22 * s, 0.44 * s, 0.56 * s))
        painter.drawRect(QRectF(0.68 * s, 0.22 * s, 0.1 * s, 0.56 * s))
    elif name == "reset":  # an open circle with an arrow head
        pen = QPen(color, 0.1 * s)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        box = QRectF(0.2 * s, 0.2 * s, 0.6 * s, 0.6 * s)
        painter.drawArc(box, 90 * 16, 300 * 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        angle = math.radians(90)
        tip = QPointF(0.5 * s + 0.3 * s * math.cos(angle), 0.5 * s - 0.3 * s * math.sin(angle))
        head = QPainterPath(QPointF(tip.x() + 0.16 * s, tip.y()))
        head.lineTo(tip.x() - 0.04 * s, tip.y() - 0.15 * s)
        head.lineTo(tip.x() - 0.04 * s, tip.y() + 0.15 * s)
        head.closeSubpath()
        painter.drawPath(head)
    else:
        raise ValueError(f"unknown icon {name!r}")


def themed_icon(name: str, palette: QPalette | None = None) -> QIcon:
    """``name`` (one of :data:`ICONS`) in the palette's button text colour, with a muted
    disabled state."""
    palette = palette or QApplication.palette()
    icon = QIcon()
    for mode, group in ((QIcon.Mode.Normal, QPalette.ColorGroup.Active),
                        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled)):
        pixmap = QPixmap(SIZE, SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _draw(painter, name, palette.color(group, QPalette.ColorRole.ButtonText))
        painter.end()
        icon.addPixmap(pixmap, mode)
    return icon
