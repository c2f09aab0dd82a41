"""The window's keys, whatever has focus.

Space, Escape, Delete and Ctrl+1/2 are window shortcuts, so buttons, check boxes, sliders
and combo boxes let them through. A text field (a line edit, a spin box, an editable combo)
keeps the keys it edits with while the cursor is in it; **Enter** applies what was typed and
**Escape** puts the shown value back, and either hands the keys back to the window, so the
next Space plays or pauses instead of typing a space. Keys that act on the network (Delete,
Backspace, Escape) are left to the widgets when another tab is showing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

NETWORK_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Escape)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def text_field(widget: QWidget | None) -> QWidget | None:
    """The text field ``widget`` is, or is the editor of (a spin box's or a combo's line
    edit gives the spin box or combo), or None."""
    if widget is None:
        return None
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, (QAbstractSpinBox, QComboBox)):
        widget = parent
    if isinstance(widget, QComboBox):
        return widget if widget.isEditable() else None
    if isinstance(widget, (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)):
        return None if _read_only(widget) else widget
    return None


def _read_only(widget: QWidget) -> bool:
    read_only = getattr(widget, "isReadOnly", None)
    return bool(read_only()) if read_only is not None else False


def _line_edit(field: QWidget) -> QLineEdit | None:
    if isinstance(field, QLineEdit):
        return field
    if isinstance(field, QComboBox):
        return field.lineEdit()
    return field.findChild(QLineEdit)


def put_back(field: QWidget) -> None:
    """Undo what was typed in ``field`` since the value was last shown."""
    edit = _line_edit(field)
    if edit is not None:
        while edit.isUndoAvailable():
            edit.undo()


class WindowKeys(QObject):
    """An application event filter for one window.

    ``owns(widget)``: the text fields whose Enter and Escape this filter handles (the other
    fields handle their own). ``home()``: the widget that gets the keys back.
    ``network_showing()``: whether Delete, Backspace and Escape may act on the network.
    """

    def __init__(self, window: QWidget, owns: Callable[[QWidget], bool],
                 home: Callable[[], QWidget], network_showing: Callable[[], bool]) -> None:
        super().__init__(window)
        self._window = window
        self._owns = owns
        self._home = home
        self._network_showing = network_showing
        QApplication.instance().installEventFilter(self)  # Qt drops it when it is deleted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        focus = QApplication.focusWidget()
        if watched is not focus or focus is None or focus.window() is not self._window:
            return False
        key = QKeyEvent.key(event)
        field = text_field(focus)
        if kind == QEvent.Type.ShortcutOverride:
            if key in NETWORK_KEYS and (field is not None or not self._network_showing()):
                event.accept()  # the widget gets the key as a key press, not the shortcut
                return True
            return False
        if field is not None and self._owns(field) and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            if key == Qt.Key.Key_Escape:
                put_back(field)
                QTimer.singleShot(0, self, self._give_back)
            elif key in ENTER_KEYS:
                QTimer.singleShot(0, self, self._give_back)
        return False

    def _give_back(self) -> None:
        """Once the field has handled the key: if the keys are still in a text field (or
        nowhere), give them to the window's home widget."""
        focus = QApplication.focusWidget()
        home = self._home()
        if home is not None and home.isVisible() and (focus is None
                                                      or text_field(focus) is not None):
            home.setFocus(Qt.FocusReason.ShortcutFocusReason)
