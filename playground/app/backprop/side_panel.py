"""Beside the gate graph: what the current gate does (or the predict-first question), the
lecture's code, the steps so far and the numeric check, one above the other."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QListWidget, QSplitter, QVBoxLayout, QWidget

from playground.app.backprop.check_table import GradientCheckTable
from playground.app.backprop.code_view import CodeView
from playground.app.backprop.predict_panel import PredictPanel


class SidePanel(QSplitter):
    """Four sections in a vertical splitter, so a teacher can give the code more room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.rule.font())
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.rule.setFont(font)
        self.rule.setMinimumHeight(80)
        self.rule.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.predict = PredictPanel()
        self.predict.hide()
        self.code = CodeView()
        self.steps = QListWidget()
        self.steps.setWordWrap(True)
        self.steps.setToolTip("Every step so far, the latest at the bottom")
        self.check = GradientCheckTable()
        sections = (("What this gate does", (self.rule, self.predict)),
                    ("The lecture's code", (self.code,)), ("Steps so far", (self.steps,)),
                    ("Numeric check", (self.check,)))
        for title, widgets in sections:
            box = QWidget()
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 4, 0, 0)
            layout.addWidget(heading(title))
            for widget in widgets:
                layout.addWidget(widget, 1 if widget is not self.predict else 0)
            self.addWidget(box)
        self.setChildrenCollapsible(False)
        self.setSizes([170, 260, 150, 130])


def heading(text: str) -> QLabel:
    label = QLabel(text)
    bold = QFont(label.font())
    bold.setBold(True)
    label.setFont(bold)
    return label
