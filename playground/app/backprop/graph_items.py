"""The pieces a gate graph is drawn with: labels on plates, wires with their two numbers, and
the legend that says what the colours mean."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QLabel,
    QWidget,
)

GREEN = {False: "#1a7f37", True: "#56d364"}
RED = {False: "#cf222e", True: "#ff7b72"}
ACCENT = "#e3a008"
RUN = 0.6  # share of a wire that runs straight into its target, where its labels go
GAP = 5.0  # room between a wire's labels and the gate they lead into


class Label(QGraphicsSimpleTextItem):
    """Text on a plate of the background colour, so a wire passing behind never strikes it."""

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self.setFont(font)
        self.background = QColor("white")
        # painted once into a pixmap and blitted after: a big graph has hundreds of labels,
        # and a Python paint() for each on every scroll would cost a frame
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_background(self, color: QColor) -> None:
        if color != self.background:
            self.background = color
            self.update()   # the cached picture has the old plate

    def paint(self, painter: QPainter, option, widget: QWidget | None = None) -> None:
        if self.text():
            painter.fillRect(self.boundingRect().adjusted(-2, 0, 2, 0), self.background)
        super().paint(painter, option, widget)


class Wire:
    """One wire: a slant out of its source, then a straight run into its target's input,
    where its two labels sit (so wires fanning out of one value never share a label spot).

    ``circle`` is the target gate's (centre, radius), which the labels keep clear of.
    """

    def __init__(self, scene: QGraphicsScene, start: QPointF, end: QPointF, font: QFont,
                 circle: tuple[QPointF, float] | None = None) -> None:
        bend = QPointF(end.x() - min(RUN * (end.x() - start.x()), 110.0), end.y())
        path = QPainterPath(start)
        path.lineTo(bend)
        path.lineTo(end)
        self.line = QGraphicsPathItem(path)
        self.line.setZValue(-1)
        scene.addItem(self.line)
        self.value = Label(font)
        self.grad = Label(font)
        for label in (self.value, self.grad):
            scene.addItem(label)
        self.bend, self.end, self.circle = bend, end, circle
        self._style: tuple | None = None

    def style(self, line: QColor, width: float, value: QColor, grad: QColor,
              background: QColor) -> None:
        key = (line.rgba(), width, value.rgba(), grad.rgba(), background.rgba())
        if key == self._style:
            return
        self._style = key
        self.line.setPen(QPen(line, width))
        self.value.setBrush(value)
        self.grad.setBrush(grad)
        for label in (self.value, self.grad):
            label.set_background(background)

    def show(self, value: str, grad: str) -> None:
        """The value just above the straight run, the gradient just below it, each centred on
        the run but never reaching into the gate the wire enters. A "?" (the number a
        student is asked for) stands out in bold."""
        for label, text, above in ((self.value, value, True), (self.grad, grad, False)):
            if label.text() == text:
                continue
            label.setText(text)
            font = label.font()
            if font.bold() != (text == "?"):
                font.setBold(text == "?")
                label.setFont(font)
            rect = label.boundingRect()
            y = self.end.y() - rect.height() - 1 if above else self.end.y() + 1
            centre = (self.bend.x() + self.end.x()) / 2
            x = min(centre - rect.width() / 2, self._edge(y, y + rect.height()) - rect.width())
            label.setPos(x, y)

    def _edge(self, top: float, bottom: float) -> float:
        """How far right a label spanning ``top``…``bottom`` may reach: short of the gate's
        circle at those heights (a label between two inputs meets the circle further left)."""
        if self.circle is None:
            return self.end.x() - GAP
        centre, radius = self.circle
        radius += 2  # the ring's pen
        dy = 0.0 if top <= centre.y() <= bottom else min(abs(top - centre.y()),
                                                         abs(bottom - centre.y()))
        return centre.x() - math.sqrt(max(radius**2 - dy**2, 0.0)) - GAP


class Legend(QLabel):
    """Green = value, red = gradient, ring = current gate: pinned to the view's corner."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setContentsMargins(6, 3, 6, 3)
        self.setToolTip("Forward values ride above the wires, gradients below them")

    def recolor(self, dark: bool) -> None:
        self.setText(f"<span style='color:{GREEN[dark]}'>■ value</span> &nbsp; "
                     f"<span style='color:{RED[dark]}'>■ gradient</span> &nbsp; "
                     f"<span style='color:{ACCENT}'>◯</span> current gate")
        self.adjustSize()
