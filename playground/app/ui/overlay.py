"""Float a widget over the bottom of another (a message that must not push the layout down).

The floating widget is a child of the host, kept centred along the host's bottom edge with a
shadow, at most :data:`MAX_WIDTH` wide; showing or hiding it moves nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsDropShadowEffect, QWidget

MARGIN = 12
MAX_WIDTH = 760


class BottomOverlay(QObject):
    """Keeps ``widget`` floating over the bottom of ``host``."""

    def __init__(self, widget: QWidget, host: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        self._host = host
        widget.setParent(host)
        shadow = QGraphicsDropShadowEffect(widget)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 90))
        widget.setGraphicsEffect(shadow)
        host.installEventFilter(self)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._widget:
            if kind in (QEvent.Type.Show, QEvent.Type.LayoutRequest):
                QTimer.singleShot(0, self, self.place)  # never while the widget's own events
        elif kind == QEvent.Type.Resize and self._widget.isVisible():  # run: they carry sizes
            self.place()
        return False

    def place(self) -> None:
        host, widget = self._host, self._widget
        if not widget.isVisible():
            return
        width = max(min(host.width() - 2 * MARGIN, MAX_WIDTH), widget.minimumSizeHint().width())
        height = (widget.heightForWidth(width) if widget.hasHeightForWidth()
                  else widget.sizeHint().height())
        height = max(height, widget.minimumSizeHint().height())
        x = (host.width() - width) // 2
        widget.setGeometry(QRect(x, host.height() - height - MARGIN, width, height))
        widget.raise_()
