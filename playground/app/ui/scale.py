"""One size for everything: zoom (Ctrl+= / Ctrl+−, remembered per user) and presentation mode.

Every font in the window derives from the application font, so scaling is one
``QApplication.setFont``: widgets, plot axes and the network view follow. A widget whose font
is a fraction of the normal one (small captions, big readout values) sets it with
:func:`relative_font`; :class:`UiScale` re-applies the fraction after every zoom.
Presentation mode multiplies the zoom by :data:`PRESENTATION` and thickens plot lines by
:data:`PRESENTATION_LINES` for a projector.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)
PRESENTATION = 1.3
PRESENTATION_LINES = 2.0
ZOOM_KEY = "view/zoom"
_BASE_PROPERTY = "playground_base_point_size"
_FACTOR, _BOLD = "playground_font_factor", "playground_font_bold"


_lines = 1.0


def line_width(width: float) -> float:
    """A plot line's width under the current scale (thicker in presentation mode)."""
    return width * _lines


def points(size: float) -> str:
    """A font size for pyqtgraph's titles and legends ("10pt") under the current zoom."""
    return f"{size * zoom_factor():.3g}pt"


def zoom_factor() -> float:
    """How much larger than normal the application font is now."""
    return QApplication.font().pointSizeF() / base_point_size()


def base_point_size() -> float:
    """The application font's size before any zoom (remembered on the application)."""
    app = QApplication.instance()
    size = app.property(_BASE_PROPERTY)
    if size is None:
        size = app.font().pointSizeF()
        app.setProperty(_BASE_PROPERTY, size)
    return float(size)


def _set_relative(widget: QWidget) -> None:
    font = QFont()
    factor = float(widget.property(_FACTOR) or 1.0)
    if factor != 1.0:
        font.setPointSizeF(QApplication.font().pointSizeF() * factor)
    if widget.property(_BOLD):
        font.setBold(True)
    widget.setFont(font)


def relative_font(widget: QWidget, factor: float = 1.0, bold: bool = False) -> None:
    """Give ``widget`` the application font times ``factor`` (bold if asked), now and after
    every zoom."""
    widget.setProperty(_FACTOR, factor)
    widget.setProperty(_BOLD, bold)
    _set_relative(widget)


class UiScale(QObject):
    """The zoom step and presentation mode; ``changed(factor)`` after every change."""

    changed = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._base = base_point_size()
        stored = QSettings().value(ZOOM_KEY, 1.0)
        try:
            zoom = float(stored)
        except (TypeError, ValueError):
            zoom = 1.0
        self.zoom = min(ZOOM_STEPS, key=lambda step: abs(step - zoom))
        self.presenting = False

    @property
    def factor(self) -> float:
        """What the base font size is multiplied by."""
        return self.zoom * (PRESENTATION if self.presenting else 1.0)

    @property
    def lines(self) -> float:
        """What plot line widths are multiplied by."""
        return PRESENTATION_LINES if self.presenting else 1.0

    def zoom_in(self) -> None:
        self._set_zoom(next((s for s in ZOOM_STEPS if s > self.zoom), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self._set_zoom(next((s for s in reversed(ZOOM_STEPS) if s < self.zoom), ZOOM_STEPS[0]))

    def reset_zoom(self) -> None:
        self._set_zoom(1.0)

    def can_zoom_in(self) -> bool:
        return self.zoom < ZOOM_STEPS[-1]

    def can_zoom_out(self) -> bool:
        return self.zoom > ZOOM_STEPS[0]

    def set_presenting(self, on: bool) -> None:
        if on != self.presenting:
            self.presenting = on
            self.apply()

    def _set_zoom(self, zoom: float) -> None:
        if zoom != self.zoom:
            self.zoom = zoom
            QSettings().setValue(ZOOM_KEY, zoom)
            self.apply()

    def apply(self) -> None:
        """Set the application font for the current factor and tell who listens."""
        global _lines
        _lines = self.lines
        app = QApplication.instance()
        font = QFont(app.font())
        size = round(self._base * self.factor, 1)
        if font.pointSizeF() != size:
            font.setPointSizeF(size)
            app.setFont(font)
            for widget in QApplication.allWidgets():
                if widget.property(_FACTOR) is not None:
                    _set_relative(widget)
        self.changed.emit(self.factor)
