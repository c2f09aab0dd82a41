"""What a student would call broken in a window layout, as checks on widgets: a control cut
off by the window or by a scroll area, squeezed below its minimum, or showing less of its text
than it has ("Xavie", "Show test dat", "L…r")."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetricsF, Qt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QSlider,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QWidget,
)

CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QSlider, QLabel, QLineEdit, QTabBar)
SLACK = 1
"""Pixels of rounding allowed between a text's measured width and its room."""


def shown_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of ``widget`` that is on screen: its rectangle cut by every ancestor's (a
    scroll area's viewport cuts what is scrolled away) and by the window."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def plain(text: str) -> str:
    """A label's text as shown: mnemonic ampersands gone, "&&" kept as "&"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def text_width(widget: QWidget, text: str) -> float:
    if Qt.mightBeRichText(text):
        document = QTextDocument()
        document.setDefaultFont(widget.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        return document.idealWidth()
    return widget.fontMetrics().horizontalAdvance(plain(text))


def combo_text(box: QComboBox) -> str:
    shown = getattr(box, "shown_text", None)
    return shown() if shown is not None else box.currentText()


def problems(widget: QWidget, window: QWidget) -> list[str]:
    """Why ``widget`` does not show whole, if it does not (empty if all is well)."""
    found = []
    name = f"{type(widget).__name__} {widget.objectName() or ''}{_text(widget)!r}"
    if shown_rect(widget, window) != QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()):
        found.append(f"{name} is cut off")
    hint = widget.minimumSizeHint()
    if hint.isValid() and (widget.width() < hint.width() or widget.height() < hint.height()):
        found.append(f"{name} is squeezed to {widget.size().toTuple()} < {hint.toTuple()}")
    if isinstance(widget, QLabel) and widget.text():
        room = widget.contentsRect().width()
        if widget.wordWrap():
            if widget.heightForWidth(widget.width()) > widget.height() + SLACK:
                found.append(f"{name} has lines cut off")
        elif text_width(widget, widget.text()) > room + SLACK:
            found.append(f"{name} is cut: {text_width(widget, widget.text())} > {room}")
    elif isinstance(widget, QAbstractButton) and widget.sizeHint().width() > widget.width():
        found.append(f"{name} is narrower than its text: {widget.width()} < "
                     f"{widget.sizeHint().width()}")
    elif isinstance(widget, QAbstractButton) and hasattr(widget, "PAD"):  # a thumbnail
        need = QFontMetricsF(widget.font()).horizontalAdvance(widget.text())
        if need > widget.width() - 2 * widget.PAD:
            found.append(f"{name} elides its title: {need} > {widget.width() - 2 * widget.PAD}")
    elif isinstance(widget, QComboBox):
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        field = widget.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                              QStyle.SubControl.SC_ComboBoxEditField, widget)
        need = widget.fontMetrics().horizontalAdvance(combo_text(widget))
        if need > field.width() + SLACK:
            found.append(f"{name} shows {field.width()} px of {need}")
    elif isinstance(widget, QAbstractSpinBox):
        edit = widget.findChild(QLineEdit)
        need = edit.fontMetrics().horizontalAdvance(widget.text()) + 4
        if need > edit.width() + SLACK:
            found.append(f"{name} shows {edit.width()} px of {need}")
    return found


def _text(widget: QWidget) -> str:
    if isinstance(widget, QComboBox):
        return combo_text(widget)
    text = getattr(widget, "text", None)
    return text() if callable(text) else ""


def controls(root: QWidget) -> list[QWidget]:
    """The visible controls under ``root``, not the parts of a control (a spin box's edit)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible():
            continue
        parent = widget.parentWidget()
        while parent is not None and parent is not root and not isinstance(parent, CONTROLS):
            parent = parent.parentWidget()
        if parent is root or parent is None:
            found.append(widget)
    return found


def layout_problems(root: QWidget, window: QWidget) -> list[str]:
    return [problem for widget in controls(root) for problem in problems(widget, window)]
