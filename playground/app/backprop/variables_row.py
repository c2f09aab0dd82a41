"""One number box per variable of the formula, in a row that scrolls when there are many."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QWidget

from playground.app.backprop.number_box import NumberBox


class VariablesRow(QScrollArea):
    """``changed`` when a value changes; ``done`` when Enter hands the keys back."""

    changed = Signal()
    done = Signal()

    def __init__(self, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout()
        self.row.setSpacing(6)
        self.row.setContentsMargins(0, 0, 0, 0)
        inner = QWidget()
        inner.setLayout(self.row)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(height)
        self._boxes: dict[str, NumberBox] = {}

    def set_variables(self, values: Mapping[str, float]) -> None:
        """A box for each variable, in the order given."""
        self.clear()
        for name, value in values.items():
            box = NumberBox(value)
            box.setToolTip(f"The value of {name}; change it and the graph starts over")
            box.valueChanged.connect(self.changed)
            box.lineEdit().returnPressed.connect(self.done)  # Enter, not a click elsewhere
            self.row.addWidget(QLabel(f"{name} =", buddy=box))
            self.row.addWidget(box)
            self._boxes[name] = box
        self.row.addStretch(1)

    def clear(self) -> None:
        self._boxes.clear()
        while self.row.count():
            item = self.row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def values(self) -> dict[str, float]:
        return {name: box.value() for name, box in self._boxes.items()}

    def box(self, name: str) -> NumberBox:
        return self._boxes[name]

    def names(self) -> list[str]:
        return list(self._boxes)
