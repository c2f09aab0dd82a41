"""Which training point a neuron's gate graph is shown at: a number and a slider instead of
a list of hundreds, with the point's coordinates and class beside them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QSpinBox, QWidget

from playground.backprop.number_format import fmt


class PointPicker(QWidget):
    """``pointChanged(index)`` (0-based) when the student picks another point; Enter in the
    number box emits ``done`` so the window can take the focus back."""

    pointChanged = Signal(int)
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._X = np.zeros((0, 2))
        self._labels: list[str] = []
        self.spin = QSpinBox()
        self.spin.setPrefix("#")
        self.spin.setKeyboardTracking(False)
        self.spin.setToolTip("The training point's number: type it, or use the arrow keys")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setMinimumWidth(120)
        self.slider.setToolTip("Slide through the training points")
        self.where = QLabel()
        self.where.setMinimumWidth(self.where.fontMetrics().horizontalAdvance(
            "(−0.000, −0.000), target −0.000") + 8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.where)
        self.spin.valueChanged.connect(lambda v: self._picked(v - 1))
        self.slider.valueChanged.connect(lambda v: self._picked(v - 1))
        self.spin.lineEdit().returnPressed.connect(self.done)

    def set_points(self, X: np.ndarray, labels: list[str], current: int) -> None:
        """The training points (their first two coordinates are shown) and a label each."""
        self._X, self._labels = np.asarray(X, dtype=float), labels
        count = len(labels)
        for widget in (self.spin, self.slider):
            with QSignalBlocker(widget):
                widget.setRange(1, max(count, 1))
        self.spin.setSuffix(f" of {count}")
        self._show(min(max(current, 0), count - 1))

    @property
    def index(self) -> int:
        return self.spin.value() - 1

    def _picked(self, index: int) -> None:
        if index != self.index or index + 1 != self.slider.value():
            self._show(index)
        self.pointChanged.emit(index)

    def _show(self, index: int) -> None:
        for widget in (self.spin, self.slider):
            with QSignalBlocker(widget):
                widget.setValue(index + 1)
        xy = self._X[index]
        coords = ", ".join(fmt(v) for v in xy[:2])
        self.where.setText(f"({coords}), {self._labels[index]}")
