"""A non-modal banner floating over the bottom of the window: says what went wrong and what
to try, without stopping the user from doing anything else or moving the layout."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


class Banner(QFrame):
    """Hidden until :meth:`show_message`; a button per offered action and a close button.
    ``actionTriggered(key)`` says which action was clicked."""

    actionTriggered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet("#banner { background: #fff3cd; border: 1px solid #e0b44c;"
                           " border-radius: 4px; } #banner QLabel { color: #5c4400; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 6, 6)
        self._layout.addWidget(QLabel("⚠"))
        self._layout.addWidget(self.label, 1)
        self._layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, actions: Sequence[tuple[str, str, str]] = ()) -> None:
        """Show ``text`` with a button per action: (key, button text, tooltip)."""
        self.label.setText(text)
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        for key, label, tip in actions:
            button = QPushButton(label)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, k=key: self.actionTriggered.emit(k))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self.buttons[key] = button
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
