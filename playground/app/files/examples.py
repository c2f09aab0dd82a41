"""File ▸ Examples: lessons that set up an experiment and say, in one paragraph, what to try
and what to watch. The note floats over the bottom of the window until the student closes
it (it moves nothing), and Help ▸ Lesson note brings it back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.refusals import REFUSALS
from playground.io.lessons import Lesson, bundled_lessons


class LessonNote(QFrame):
    """A lesson's title and note, with a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonNote")
        self.setStyleSheet("#lessonNote { background: #e8f1fb; border: 1px solid #7aa7d6;"
                           " border-radius: 4px; } #lessonNote QLabel { color: #12324f; }")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close the note (Help ▸ Lesson note shows it again)")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.body)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 8)
        layout.addLayout(text, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_lesson(self, lesson: Lesson) -> None:
        self.title.setText(f"<b>{_escape(lesson.title)}</b>")
        self.body.setText(lesson.note)
        self.show()

    def text(self) -> str:
        return self.body.text() if self.isVisible() else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Examples:
    """The Examples menu and what opening a lesson does: pause, set up its experiment (a
    service call), show its note. ``call`` is the driver's ``call``."""

    def __init__(self, parent: QWidget, call: Callable[..., Any], pause: Callable[[], None],
                 say: Callable[[str], None], note: LessonNote) -> None:
        self.parent = parent
        self.call = call
        self.pause = pause
        self.say = say
        self.note = note
        self.lessons = [lesson for _, lesson in bundled_lessons()]
        self.current: Lesson | None = None

    def fill_menu(self, menu: QMenu) -> list[QAction]:
        actions = []
        for number, lesson in enumerate(self.lessons, start=1):
            action = menu.addAction(f"&{number}  {lesson.title}")
            action.setStatusTip(lesson.note[:120] + "…")
            action.triggered.connect(lambda _=False, chosen=lesson: self.open(chosen))
            actions.append(action)
        return actions

    def open(self, lesson: Lesson) -> bool:
        self.pause()
        try:
            self.call("paste_experiment", text=lesson.experiment)
        except REFUSALS as exc:
            QMessageBox.warning(self.parent, "Could not open the example", str(exc))
            return False
        self.current = lesson
        self.note.show_lesson(lesson)
        self.say(f"Example: {lesson.title}")
        return True

    def show_note(self) -> None:
        if self.current is not None:
            self.note.show_lesson(self.current)
        else:
            self.say("No lesson is open: File ▸ Examples has them")
