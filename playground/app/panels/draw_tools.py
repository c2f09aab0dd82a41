"""The controls that turn the boundary plot into a canvas for the user's own points.

A checkable **Draw points** button (the output panel puts it among its toggles, so it costs
no room); while it is on, a row under the plot: the tool (point, brush, eraser), what the next
points are (a class, in the plot's colours, up to eight; for regression a value from −1 to 1,
coloured as the plot colours values) and **Clear**. The row is hidden otherwise. It only says
what the user chose; the plot does the drawing and the window makes the change.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QToolButton,
    QWidget,
)

from playground.app.ui import colors
from playground.app.ui.flow_layout import WrapGrid
from playground.core.snapshot import Snapshot
from playground.files.limits import MAX_CLASSES

TOOLS = (("point", "Point", "Click to add one point; right-click removes points near the cursor"),
         ("brush", "Brush", "Drag to spray points; right-click removes points near the cursor"),
         ("eraser", "Eraser", "Click or drag to remove the points under the circle"))
SWATCH = 12


def swatch(color: QColor, size: int = SWATCH) -> QIcon:
    """A filled circle in ``color`` with a white rim, like the plot's points."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("white"))
    painter.setBrush(color)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class DrawTools(QWidget):
    """Draw toggle (:attr:`draw_button`, placed by the panel), tool, class or value, Clear.

    Signals: ``drawingChanged(bool)``, ``clearRequested()``. ``tool`` and ``label`` say what
    the plot should do with a click.
    """

    drawingChanged = Signal(bool)
    clearRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draw_button = QToolButton()
        self.draw_button.setText("Draw points")
        self.draw_button.setCheckable(True)
        self.draw_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.draw_button.setToolTip("Draw your own points on the plot: click adds a point of "
                                    "the chosen class, the brush sprays several, right-click "
                                    "or the eraser removes them. Training picks them up at "
                                    "once; Ctrl+Z takes a stroke back.")
        self.draw_button.toggled.connect(self._toggled)
        self.tool_buttons: dict[str, QToolButton] = {}
        self._tools = QButtonGroup(self)
        for key, text, tip in TOOLS:
            button = QToolButton(self)
            button.setText(text)
            button.setCheckable(True)
            button.setToolTip(tip)
            self._tools.addButton(button)
            self.tool_buttons[key] = button
        self.tool_buttons["point"].setChecked(True)
        self.class_box = QComboBox(self)
        self.class_box.setIconSize(QSize(SWATCH, SWATCH))
        self.class_box.setToolTip("The class of the points you draw (colours as in the plot)")
        self.value_box = QDoubleSpinBox(self)
        self.value_box.setRange(-1.0, 1.0)
        self.value_box.setSingleStep(0.1)
        self.value_box.setDecimals(2)
        self.value_box.setValue(1.0)
        self.value_box.setPrefix("value ")
        self.value_box.setToolTip("The target value of the points you draw (regression): "
                                  "blue is positive, orange negative")
        self.value_swatch = QLabel(self)
        self.value_box.valueChanged.connect(self._show_value_colour)
        self._show_value_colour(self.value_box.value())
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Remove every point (Ctrl+Z brings them back)")
        self.clear_button.clicked.connect(self.clearRequested)
        self._names: tuple[str, ...] = ()
        self._regression: bool | None = None
        layout = WrapGrid(self, spacing=(4, 2))
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (*self.tool_buttons.values(), self.class_box, self.value_swatch,
                       self.value_box, self.clear_button):
            layout.addWidget(widget)
        self._show_classes(("class 0", "class 1"))
        self._toggled(False)

    # ------------------------------------------------------------ state
    @property
    def drawing(self) -> bool:
        return self.draw_button.isChecked()

    @property
    def tool(self) -> str:
        return next(key for key, b in self.tool_buttons.items() if b.isChecked())

    @property
    def regression(self) -> bool:
        return bool(self._regression)

    @property
    def label(self) -> float:
        """The class (an int) or the value of the next points."""
        if self.regression:
            return round(self.value_box.value(), 2)
        return max(0, self.class_box.currentIndex())

    # ------------------------------------------------------------ showing
    def _toggled(self, on: bool) -> None:
        self.class_box.setVisible(not self.regression)
        self.value_box.setVisible(self.regression)
        self.value_swatch.setVisible(self.regression)
        self.setVisible(on)
        self.drawingChanged.emit(on)

    def show_snapshot(self, snap: Snapshot) -> None:
        """Offer the classes the points have, and one more (up to eight), or a value."""
        data = snap.data
        if data.regression != self._regression:
            self._regression = data.regression
            self._toggled(self.drawing)
        if not data.regression:
            count = min(MAX_CLASSES, data.class_count + 1)
            self._show_classes(tuple(data.class_name(k) for k in range(count)))

    def _show_classes(self, names: tuple[str, ...]) -> None:
        if names == self._names:
            return
        self._names = names
        current = max(0, self.class_box.currentIndex())
        with QSignalBlocker(self.class_box):
            self.class_box.clear()
            for k, name in enumerate(names):
                self.class_box.addItem(swatch(colors.class_color(k)), name)
            self.class_box.setCurrentIndex(min(current, len(names) - 1))

    def _show_value_colour(self, value: float) -> None:
        """The value's colour beside its box, as the plot will draw the point."""
        argb = int(colors.diverging_argb(np.array([value]), 1.0)[0])
        self.value_swatch.setPixmap(swatch(QColor.fromRgba(argb)).pixmap(SWATCH, SWATCH))
