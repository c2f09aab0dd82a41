"""The lecture's code beside the graph, the lines of the current step highlighted."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from playground.app.ui.colors import mix
from playground.app.ui.theme import is_dark
from playground.backprop.code_lines import CodeLine, code_lines, current_key, step_key
from playground.backprop.walkthrough import Walkthrough

ACCENT = "#e3a008"


class CodeView(QPlainTextEdit):
    """Read-only Python; :meth:`refresh` after each step moves the highlight."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), QFont().pointSizeF()))
        self.setFont(font)
        self.setToolTip("The graph as the lecture's Python: one forward line per gate, then "
                        "backward in reverse, each gradient collected with = and then +=")
        self._walk: Walkthrough | None = None
        self._lines: list[CodeLine] = []
        self._ahead = False

    def show_walkthrough(self, walk: Walkthrough) -> None:
        self._walk = walk
        self._lines = code_lines(walk)
        self.setPlainText("\n".join(line.text for line in self._lines))
        self.refresh()

    def current_lines(self) -> list[str]:
        """The highlighted lines' texts."""
        key = self._key()
        return [line.text for line in self._lines if key is not None and line.step == key]

    def _key(self) -> tuple[str, int] | None:
        walk = self._walk
        if walk is None:
            return None
        if self._ahead and len(walk.history) < walk.total_steps:
            return step_key(walk, len(walk.history))
        return current_key(walk)

    def refresh(self, ahead: bool | None = None) -> None:
        """Highlight the latest step's lines, or with ``ahead`` (predict first) those of the
        step being asked about."""
        if ahead is not None:
            self._ahead = ahead
        walk = self._walk
        if walk is None:
            return
        key = self._key()
        tint = mix(self.palette().base().color(), QColor(ACCENT),
                   0.45 if is_dark(self.palette()) else 0.3)
        selections = []
        block = self.document().firstBlock()
        first = None
        for line in self._lines:
            if key is not None and line.step == key:
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(tint)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection.cursor = QTextCursor(block)
                selections.append(selection)
                first = first or QTextCursor(block)
            block = block.next()
        self.setExtraSelections(selections)
        if first is not None:
            self.setTextCursor(first)
            self.centerCursor()
