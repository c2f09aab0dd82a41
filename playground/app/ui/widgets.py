"""Small widgets that keep their text whole in a narrow window.

``ShortComboBox`` shows a short name in the box and the full description in its list (so
"uniform ±0.5, bias 0.1 (TF Playground)" does not decide the width of a row); ``FittingLabel``
shows the longest of its wordings that fits; ``SteadyLabel`` changes its text every frame
without making the window lay itself out again; ``labeled`` puts a caption over a control;
``VerticalScroll`` lets a column scroll when a big zoom makes it taller than the window.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

SHORT_ROLE = Qt.ItemDataRole.UserRole + 7
QWIDGETSIZE_MAX = (1 << 24) - 1


class ShortComboBox(QComboBox):
    """A combo box whose closed box shows each item's short name; the list shows the full
    labels and the tooltip names the current one in full."""

    def add_item(self, label: str, data: object, short: str | None = None) -> None:
        self.addItem(label, data)
        index = self.count() - 1
        self.setItemData(index, short or label, SHORT_ROLE)
        self.setItemData(index, label, Qt.ItemDataRole.ToolTipRole)

    def shown_text(self) -> str:
        """The text in the closed box: the current item's short name (or the placeholder)."""
        if self.currentIndex() < 0:
            return self.placeholderText()
        return str(self.itemData(self.currentIndex(), SHORT_ROLE) or self.currentText())

    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.shown_text()
        return option

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = self._option()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        texts = [str(self.itemData(i, SHORT_ROLE) or self.itemText(i))
                 for i in range(self.count())] + [self.placeholderText()]
        width = max(metrics.horizontalAdvance(text) for text in texts) + 4
        return self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, self._option(),
                                             QSize(width, metrics.height()), self)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def showPopup(self) -> None:
        metrics = self.view().fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())),
                     default=0)
        self.view().setMinimumWidth(widest + 3 * metrics.height())
        super().showPopup()


class FittingLabel(QLabel):
    """A label with several wordings, longest first: it shows the longest that fits its
    width, never an elided one. Its size hints do not depend on the wording shown."""

    def __init__(self, wordings: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(wordings[0], parent)
        self._wordings = tuple(wordings)

    def _width(self, text: str) -> int:
        margins = self.contentsMargins()
        return self.fontMetrics().horizontalAdvance(text) + margins.left() + margins.right() + 2

    def sizeHint(self) -> QSize:
        return QSize(self._width(self._wordings[0]), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width(self._wordings[-1]), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fitting = next((text for text in self._wordings if self._width(text) <= self.width()),
                       self._wordings[-1])
        if fitting != self.text():
            self.setText(fitting)


class SteadyLabel(QLabel):
    """A label whose text changes every frame (an epoch counter, a loss): its size is fixed
    to fit ``widest`` in the current font, so a new text neither jumps nor asks every layout
    up to the window to run again (which cost ~10 % of a training window's time). A longer
    text (a counter gaining a digit) becomes the new widest: the one frame that re-lays out."""

    def __init__(self, widest: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._widest = widest
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        if len(text) > len(self._widest):
            self._widest = text
            self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange,
                            QEvent.Type.ContentsRectChange):
            self._fit()

    def _fit(self) -> None:
        text = self.text()
        self.setMinimumSize(0, 0)
        self.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
        QLabel.setText(self, self._widest)
        size = self.sizeHint()
        QLabel.setText(self, text)
        self.setFixedSize(size)


def labeled(text: str, widget: QWidget, buddy: QWidget | None = None) -> QWidget:
    """A caption over ``widget``; the caption's mnemonic focuses ``buddy`` (or the widget)."""
    cell = QWidget()
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    label = QLabel(text, cell)
    label.setBuddy(buddy or widget)
    layout.addWidget(label)
    layout.addWidget(widget)
    return cell


class VerticalScroll(QScrollArea):
    """Scrolls its widget up and down, never sideways. The widget fills the viewport and is
    given at least its minimum height for that width, so it scrolls only when even squeezed to
    its minimum it is too tall (QScrollArea's own resizing asks for the preferred height of a
    widget with word-wrapped text, and would scroll whenever that is not met)."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(widget)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._widget_width = widget.minimumSizeHint().width()
        widget.installEventFilter(self)

    def _bar(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)

    def minimum_height_for(self, width: int) -> int:
        """The least height the widget can take at ``width``."""
        widget = self.widget()
        layout = widget.layout()
        if layout is not None and layout.hasHeightForWidth():
            return layout.totalMinimumHeightForWidth(width)
        return widget.minimumSizeHint().height()

    def fit_widget(self) -> None:
        viewport = self.viewport()
        width = max(viewport.width(), self.widget().minimumSizeHint().width())
        height = max(viewport.height(), self.minimum_height_for(width))
        if self.widget().size() != QSize(width, height):
            self.widget().resize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_widget()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit_widget()
            width = self.widget().minimumSizeHint().width()
            if width != self._widget_width:  # a zoom: the column around must widen too
                self._widget_width = width
                self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.widget().minimumSizeHint().width() + self._bar(), 60)

    def sizeHint(self) -> QSize:
        hint = self.widget().sizeHint()
        return QSize(hint.width() + self._bar(), hint.height())
