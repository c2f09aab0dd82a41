"""The mouse on the boundary plot: a canvas for points while drawing, else a way into a point.

While the draw tools are on, a left click adds a point of the chosen class (or value), a
left drag with the brush sprays points around the cursor, and a right click or drag (or the
eraser) removes the points under a circle that follows the cursor. Each change is emitted as
``pointsEdited(op, args)`` for the session's ``edit_points`` call; the calls of one drag carry
the same ``stroke`` number, so one Ctrl+Z takes the whole stroke back. When not drawing, a
double-click emits ``doubleClicked(x₁, x₂)``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem

import pyqtgraph as pg  # isort: skip  (after PySide6 so pyqtgraph binds to it)

from playground.app.panels.draw_tools import DrawTools

BRUSH_RADIUS = 0.05
"""The brush's radius, as a share of the plot's width."""
ERASER_RADIUS = 0.06
SPRAY = 4
"""Points the brush adds per step of a drag."""
SPRAY_STEP = 0.5
"""The brush sprays again once the cursor has moved this many radii."""


class PlotCanvas(QObject):
    """Mouse handling of one plot widget, driven by a :class:`DrawTools` row."""

    pointsEdited = Signal(str, dict)
    doubleClicked = Signal(float, float)

    def __init__(self, plot: pg.PlotWidget, tools: DrawTools) -> None:
        super().__init__(plot)
        self.plot = plot
        self.tools = tools
        self.view = plot.plotItem.getViewBox()
        self.rng = np.random.default_rng()
        self._stroke: tuple[str, int] | None = None
        self._strokes = 0
        self._last: np.ndarray | None = None
        self.circle = QGraphicsEllipseItem()
        pen = QPen(Qt.GlobalColor.black, 1.2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.circle.setPen(pen)
        self.circle.setZValue(5)
        self.circle.hide()
        self.view.addItem(self.circle, ignoreBounds=True)
        plot.viewport().setMouseTracking(True)
        plot.viewport().installEventFilter(self)
        tools.drawingChanged.connect(self._drawing_changed)

    # ------------------------------------------------------------ geometry
    def width(self) -> float:
        (x0, x1), _ = self.view.viewRange()
        return float(x1 - x0)

    def radius(self, erasing: bool) -> float:
        return (ERASER_RADIUS if erasing else BRUSH_RADIUS) * self.width()

    def data_point(self, position: QPointF) -> np.ndarray | None:
        """The plot coordinates under a viewport position, or None outside the data area."""
        scene = self.plot.mapToScene(position.toPoint())
        if not self.view.sceneBoundingRect().contains(scene):
            return None
        point = self.view.mapSceneToView(scene)
        return np.array([point.x(), point.y()])

    # ------------------------------------------------------------ events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Leave:
            self.circle.hide()
            return False
        if not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseButtonDblClick and not self.tools.drawing:
            point = self.data_point(event.position())
            if point is not None and event.button() == Qt.MouseButton.LeftButton:
                self.doubleClicked.emit(float(point[0]), float(point[1]))
                return True
            return False
        if not self.tools.drawing:
            return False
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            return self._press(event)
        if kind == QEvent.Type.MouseMove:
            self._move(event)
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            self._stroke = None
            self._last = None
            return True
        return False

    def _press(self, event: QMouseEvent) -> bool:
        point = self.data_point(event.position())
        if point is None:
            return False
        right = event.button() == Qt.MouseButton.RightButton
        if not right and event.button() != Qt.MouseButton.LeftButton:
            return False
        tool = "eraser" if right else self.tools.tool
        self._strokes += 1
        if tool == "point":
            self._stroke = None
            self.pointsEdited.emit("add", {"points": [point.tolist()],
                                           "label": self.tools.label})
            return True
        self._stroke = ("erase" if tool == "eraser" else "add", self._strokes)
        self._last = None
        self._paint(point)
        return True

    def _move(self, event: QMouseEvent) -> None:
        point = self.data_point(event.position())
        self._show_circle(point)
        if point is None or self._stroke is None:
            return
        erasing = self._stroke[0] == "erase"
        step = SPRAY_STEP * self.radius(erasing)
        if self._last is None or np.hypot(*(point - self._last)) >= step:
            self._paint(point)

    def _paint(self, point: np.ndarray) -> None:
        op, stroke = self._stroke
        self._last = point
        if op == "erase":
            self.pointsEdited.emit("erase", {"centre": point.tolist(),
                                             "radius": self.radius(True), "stroke": stroke})
            return
        r = self.radius(False) * np.sqrt(self.rng.random(SPRAY))
        angle = self.rng.random(SPRAY) * 2 * np.pi
        sprayed = point + np.column_stack([r * np.cos(angle), r * np.sin(angle)])
        self.pointsEdited.emit("add", {"points": sprayed.tolist(), "label": self.tools.label,
                                       "stroke": stroke})

    def _show_circle(self, point: np.ndarray | None) -> None:
        """The brush's or eraser's reach around the cursor while drawing with either."""
        erasing = self.tools.tool == "eraser" or (self._stroke or ("",))[0] == "erase"
        if point is None or not self.tools.drawing or (
                self.tools.tool == "point" and not erasing):
            self.circle.hide()
            return
        r = self.radius(erasing)
        self.circle.setRect(QRectF(point[0] - r, point[1] - r, 2 * r, 2 * r))
        self.circle.show()

    def _drawing_changed(self, on: bool) -> None:
        self._stroke = None
        cursor = Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor
        self.plot.viewport().setCursor(cursor)
        if not on:
            self.circle.hide()
