"""Light and dark looks: Qt's Fusion style with a palette of our choosing.

Widgets take their colours from the palette (never hard-coded text colours), so switching
the palette is all a theme change needs; plots listen for the palette change themselves.
Fusion outlines an unchecked check box in a shade of the window colour, which on a dark
window is nearly black on black: :class:`ContrastStyle` draws that outline in a colour
halfway between text and background instead.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from playground.app.ui.colors import mix

THEMES = ("light", "dark")


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    if not dark:
        colors = {"Window": "#f3f3f3", "WindowText": "#1e1e1e", "Base": "#ffffff",
                  "AlternateBase": "#f0f0f0", "Text": "#1e1e1e", "Button": "#e9e9e9",
                  "ButtonText": "#1e1e1e", "Highlight": "#0877bd", "HighlightedText": "#ffffff",
                  "ToolTipBase": "#ffffe8", "ToolTipText": "#1e1e1e", "PlaceholderText": "#7a7a7a",
                  "Link": "#0877bd", "Mid": "#c8c8c8", "Dark": "#a0a0a0", "Light": "#ffffff"}
    else:
        colors = {"Window": "#2b2b2e", "WindowText": "#e8e8e8", "Base": "#1f1f22",
                  "AlternateBase": "#2f2f33", "Text": "#e8e8e8", "Button": "#38383c",
                  "ButtonText": "#e8e8e8", "Highlight": "#3d8fd1", "HighlightedText": "#ffffff",
                  "ToolTipBase": "#3a3a3e", "ToolTipText": "#f0f0f0", "PlaceholderText": "#9a9a9a",
                  "Link": "#6cb4ee", "Mid": "#4a4a4f", "Dark": "#18181a", "Light": "#505055"}
    for role, color in colors.items():
        p.setColor(getattr(QPalette.ColorRole, role), QColor(color))
    disabled = QColor("#8a8a8a" if not dark else "#6e6e6e")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


class ContrastStyle(QProxyStyle):
    """Fusion, with check box and radio button outlines that read on a dark palette."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        indicators = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                      QStyle.PrimitiveElement.PE_IndicatorRadioButton)
        if element not in indicators or not is_dark(option.palette):
            return
        palette = option.palette
        outline = mix(palette.color(QPalette.ColorRole.Text),
                      palette.color(QPalette.ColorRole.Base), 0.45)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(outline, 1.0))
        painter.setBrush(QColor(0, 0, 0, 0))
        box = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(box)
        else:
            painter.drawRoundedRect(box, 2.0, 2.0)
        painter.restore()


def apply_theme(app: QApplication, name: str) -> None:
    """Fusion style (outlines made visible on dark) with the light or dark palette."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}")
    if not isinstance(app.style(), ContrastStyle):
        app.setStyle(ContrastStyle("Fusion"))
    app.setPalette(_palette(name == "dark"))
    app.setProperty("playground_theme", name)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128
