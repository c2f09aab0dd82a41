"""The palette: a **Layer** and a **Neuron** to drag into the network (or click to add).

A drag carries :data:`MIME_TYPE` with the part's name as its data; the network editor decides
where it lands. Clicking a part (or Space on it) emits ``partActivated`` instead, for users who
prefer not to drag.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QIcon, QMouseEvent, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QHBoxLayout, QToolButton, QWidget

MIME_TYPE = "application/x-neural-playground-part"
PARTS = ("layer", "neuron")
ICON = 18

_TIPS = {
    "layer": "Drag between two columns of the network to insert a hidden layer there (it "
             "starts as a pass-through, so training is kept). Click: add one after the "
             "selected layer, or after the last.",
    "neuron": "Drag onto a hidden layer to add a neuron where you drop it (its outgoing "
              "weights start at zero, so the network's output is unchanged). Click: add one "
              "to the selected layer, or to the last.",
}


def part_of(mime: QMimeData) -> str | None:
    """The part a drag carries, or None if it is not ours."""
    if not mime.hasFormat(MIME_TYPE):
        return None
    part = bytes(mime.data(MIME_TYPE).data()).decode("ascii", "replace")
    return part if part in PARTS else None


def part_mime(part: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_TYPE, part.encode("ascii"))
    return mime


def part_icon(part: str, color: QColor, size: int = ICON) -> QPixmap:
    """A rounded square for a neuron, a column of three for a layer."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, 1.4))
    fill = QColor(color)
    fill.setAlpha(70)
    painter.setBrush(fill)
    if part == "neuron":
        painter.drawRoundedRect(QRectF(3, 3, size - 6, size - 6), 3, 3)
    else:
        side = size / 3 - 1
        for k in range(3):
            painter.drawRoundedRect(QRectF(size / 2 - side / 2, 0.5 + k * (side + 1.5), side,
                                           side), 1.5, 1.5)
    painter.end()
    return pixmap


class PartButton(QToolButton):
    """One draggable part. A press-and-move beyond the drag distance starts a QDrag; a plain
    click behaves as a button."""

    def __init__(self, part: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.part = part
        self.setText(part.capitalize())
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(ICON, ICON))
        self.setToolTip(_TIPS[part])
        self.setStatusTip(_TIPS[part])
        self.setAccessibleName(f"{part.capitalize()} (drag into the network)")
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self._press: QPoint | None = None
        self._refresh_icon()

    def _color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Highlight)

    def _refresh_icon(self) -> None:
        self.setIcon(QIcon(part_icon(self.part, self._color())))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icon()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (self._press is not None and event.buttons() & Qt.MouseButton.LeftButton
                and (event.position().toPoint() - self._press).manhattanLength()
                >= QApplication.startDragDistance()):
            self._press = None
            self.setDown(False)
            drag = QDrag(self)
            drag.setMimeData(part_mime(self.part))
            drag.setPixmap(part_icon(self.part, self._color(), 2 * ICON))
            drag.setHotSpot(QPoint(ICON, ICON))
            drag.exec(Qt.DropAction.CopyAction)
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)


class Palette(QWidget):
    """The two parts side by side. ``partActivated(part)``: a part was clicked, not dragged."""

    partActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.buttons = {part: PartButton(part, self) for part in PARTS}
        for part, button in self.buttons.items():
            button.clicked.connect(lambda _=False, p=part: self.partActivated.emit(p))
            layout.addWidget(button)
