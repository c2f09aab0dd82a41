"""Predict first, as a panel beside the graph: the question, a box for the answer, Reveal one
and Reveal all, the verdict and the score (see :mod:`playground.backprop.predict`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from playground.app.backprop.gate_graph_view import GREEN, RED
from playground.app.ui.theme import is_dark
from playground.backprop.number_format import fmt
from playground.backprop.predict import ABSOLUTE, RELATIVE, Quiz, Verdict
from playground.backprop.walkthrough import DONE


class PredictPanel(QWidget):
    """Asks :attr:`quiz`'s questions one by one.

    ``changed`` after every answer or reveal (the walkthrough may have taken a step; the graph
    marks the next question); ``leave`` when Escape hands the keys back to the graph.
    """

    changed = Signal()
    leave = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quiz: Quiz | None = None
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        bold = QFont(self.prompt.font())
        bold.setBold(True)
        self.prompt.setFont(bold)
        self.answer = QLineEdit()
        self.answer.setPlaceholderText("your answer, e.g. −0.5 or 3 * -4 — Enter checks it")
        self.answer.setToolTip(f"Counted right within {RELATIVE:.0%} of the answer (at least "
                               f"±{fmt(ABSOLUTE)}); Escape gives the keys back to the graph")
        self.answer.returnPressed.connect(self.check)
        escape = QAction(self.answer)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        escape.triggered.connect(self.leave)
        self.answer.addAction(escape)
        self.check_button = QPushButton("Check")
        self.check_button.clicked.connect(self.check)
        self.reveal_button = QPushButton("Reveal one")
        self.reveal_button.setToolTip("Show this number (it counts as not answered)")
        self.reveal_button.clicked.connect(self.reveal_one)
        self.reveal_all_button = QPushButton("Reveal all")
        self.reveal_all_button.setToolTip("Finish both passes, every number shown")
        self.reveal_all_button.clicked.connect(self.reveal_all)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score = QLabel()
        self.score.setToolTip("Numbers right at the first try, for this graph")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 8, 0, 0)
        grid.addWidget(self.prompt, 0, 0, 1, 4)
        grid.addWidget(self.answer, 1, 0)
        grid.addWidget(self.check_button, 1, 1)
        grid.addWidget(self.reveal_button, 1, 2)
        grid.addWidget(self.reveal_all_button, 1, 3)
        grid.addWidget(self.verdict, 2, 0, 1, 4)
        grid.addWidget(self.score, 3, 0, 1, 4)
        grid.setColumnStretch(0, 1)

    def start(self, quiz: Quiz) -> None:
        """Ask ``quiz``'s questions from where its walkthrough is."""
        self.quiz = quiz
        self.verdict.clear()
        self.refresh()

    def refresh(self) -> None:
        """Show the current question and the score."""
        quiz = self.quiz
        if quiz is None:
            return
        question = quiz.question()
        done = quiz.walk.phase == DONE
        self.prompt.setText(question.prompt if question else
                            "Both passes done." if done else "")
        for widget in (self.answer, self.check_button, self.reveal_button,
                       self.reveal_all_button):
            widget.setEnabled(question is not None)
        if question is not None:
            self.answer.setToolTip(f"Counted right within ±{fmt(question.tolerance)} "
                                   f"({RELATIVE:.0%} of the answer, at least ±"
                                   f"{fmt(ABSOLUTE)}); Escape gives the keys back to the graph")
        right, asked = quiz.score
        self.score.setText(f"Score: {right} of {asked} right at the first try" if asked
                           else "Score: nothing answered yet")

    def check(self) -> None:
        if self.quiz is None or self.quiz.question() is None:
            return
        self._show(self.quiz.answer(self.answer.text()))

    def reveal_one(self) -> None:
        if self.quiz is not None and (verdict := self.quiz.reveal()) is not None:
            self._show(verdict)

    def reveal_all(self) -> None:
        if self.quiz is None:
            return
        self.quiz.reveal_all()
        self.verdict.setText("Every number revealed.")
        self._color(None)
        self.changed.emit()

    def _show(self, verdict: Verdict) -> None:
        self.verdict.setText(verdict.text)
        self._color(verdict.right if not verdict.text.startswith("Revealed") else None)
        if verdict.right or verdict.text.startswith("Revealed"):
            self.answer.clear()
        else:
            self.answer.selectAll()
        self.changed.emit()

    def _color(self, right: bool | None) -> None:
        palette = self.verdict.palette()
        dark = is_dark(self.palette())
        color = (self.palette().color(QPalette.ColorRole.WindowText) if right is None
                 else QColor((GREEN if right else RED)[dark]))
        palette.setColor(QPalette.ColorRole.WindowText, color)
        self.verdict.setPalette(palette)
