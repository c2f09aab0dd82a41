"""Beside the gate graph: what the current gate does (or the predict-first question), the
lecture's code, the steps so far and the numeric check, one above the other."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

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
                layout.addWidget(widget, 0 if self.rule in widgets else 1)
            if self.rule in widgets:    # a long rule, a hint, a summary: scroll, never cut
                layout.addStretch(1)
                scroll = QScrollArea()
                scroll.setWidget(box)
                scroll.setWidgetResizable(True)
                scroll.setFrameShape(QFrame.Shape.NoFrame)
                scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
                box = scroll
            self.addWidget(box)
        self.setChildrenCollapsible(False)
        self.setSizes([190, 250, 140, 130])

    def make_room(self, predicting: bool) -> None:
        """Predict first needs the top section taller (question, answer, verdict, score)."""
        total = sum(self.sizes())
        shares = (0.4, 0.3, 0.15, 0.15) if predicting else (0.27, 0.36, 0.2, 0.17)
        self.setSizes([int(total * share) for share in shares])


def heading(text: str) -> QLabel:
    label = QLabel(text)
    bold = QFont(label.font())
    bold.setBold(True)
    label.setFont(bold)
    return label
