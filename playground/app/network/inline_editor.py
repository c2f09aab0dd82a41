"""A small line edit that opens over the network to type a weight or a bias.

Inline rather than a dialog: training keeps running and stays visible, and nothing blocks.
Enter applies, Esc or clicking elsewhere cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import QLineEdit, QWidget

WIDTH = 110
LIMIT = 1e6


class DecimalValidator(QDoubleValidator):
    """A C-locale number where a typed or pasted comma becomes the decimal point.

    In a decimal-comma locale "1,5" means 1.5; left alone, the C locale reads the comma as a
    group separator and Enter's fixup drops it, committing 15 without a word.
    """

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        return super().validate(text.replace(",", "."), pos)


class InlineEditor(QLineEdit):
    """``committed(value)`` on Enter with a valid number; ``closed`` whenever it goes away."""

    committed = Signal(float)
    closed = Signal()

    def __init__(self, parent: QWidget, value: float, tip: str) -> None:
        super().__init__(parent)
        validator = DecimalValidator(-LIMIT, LIMIT, 12, self)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        validator.setLocale(QLocale.c())  # "0.5", whatever the system's decimal comma
        self.setValidator(validator)
        self.setText(f"{value:.6g}")
        self.selectAll()
        self.setToolTip(tip)
        self.setAccessibleName(tip)
        self.setFixedWidth(WIDTH)
        self.returnPressed.connect(self._commit)
        self._done = False

    def open_at(self, point: QPoint) -> None:
        """Show centred on ``point`` (parent coordinates), kept inside the parent."""
        size = self.sizeHint()
        parent = self.parentWidget().rect()
        x = min(max(point.x() - WIDTH // 2, 2), parent.width() - WIDTH - 2)
        y = min(max(point.y() - size.height() // 2, 2), parent.height() - size.height() - 2)
        self.move(x, y)
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def cancel(self) -> None:
        if not self._done:
            self._done = True
            self.hide()
            self.closed.emit()
            self.deleteLater()

    def _commit(self) -> None:
        if not self.hasAcceptableInput():
            return
        value = QLocale.c().toDouble(self.text())[0]
        self.cancel()
        self.committed.emit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.cancel()
