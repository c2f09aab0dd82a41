"""A side column of pages (the data panel and the inspector): one above the other when both
fit its height, as tabs when they do not.

The choice depends only on the column's own size, never on what a page shows, so selecting
a neuron never moves anything; each page scrolls vertically if even alone it is too tall (a
large zoom on a small screen), and never widens the column.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyle, QTabBar, QVBoxLayout, QWidget

from playground.app.ui.scale import relative_font
from playground.app.ui.widgets import VerticalScroll


class _Page(QWidget):
    """A bold title over a vertically scrolling page."""

    def __init__(self, title: str, page: QWidget, reserve: int) -> None:
        super().__init__()
        self.page = page
        self.reserve = reserve
        self.title = QLabel(title)
        relative_font(self.title, bold=True)
        self.area = VerticalScroll(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.area, 1)

    def needed_height(self, width: int) -> int:
        """Height to show the whole page (at least its reserve) under its title."""
        page = self.page
        height = (page.heightForWidth(width) if page.hasHeightForWidth()
                  else page.sizeHint().height())
        return self.title.sizeHint().height() + 2 + max(height, self.reserve)


class SideColumn(QWidget):
    """Pages stacked when they fit, tabs otherwise. ``currentChanged(index)`` follows the
    tab shown; :meth:`show_page` picks one (it only changes what is seen in tab mode)."""

    currentChanged = Signal(int)
    SPACING = 8

    def __init__(self, pages: list[tuple[str, QWidget, int]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tab_bar = QTabBar()
        self.tab_bar.setDocumentMode(True)
        self.tab_bar.setExpanding(False)
        self._pages = [_Page(title, page, reserve) for title, page, reserve in pages]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self.SPACING)
        layout.addWidget(self.tab_bar)
        for index, page in enumerate(self._pages):
            self.tab_bar.addTab(page.title.text())
            last = index == len(self._pages) - 1
            layout.addWidget(page, 1 if last else 0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self._tabbed: bool | None = None
        self.tab_bar.currentChanged.connect(self._current_changed)
        self._apply(False)

    # ----------------------------------------------------------------- public
    def is_tabbed(self) -> bool:
        return bool(self._tabbed)

    def show_page(self, index: int) -> None:
        self.tab_bar.setCurrentIndex(index)

    def current(self) -> int:
        return self.tab_bar.currentIndex()

    def page_area(self, index: int) -> VerticalScroll:
        return self._pages[index].area

    # ----------------------------------------------------------------- sizing
    def _bar_width(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)

    def minimumSizeHint(self) -> QSize:
        width = max(page.page.minimumSizeHint().width() for page in self._pages)
        return QSize(width + self._bar_width(), self.tab_bar.sizeHint().height() + 120)

    def sizeHint(self) -> QSize:
        """As narrow as the pages allow (their text wraps), as tall as both stacked."""
        width = self.minimumSizeHint().width()
        return QSize(width, self._stacked_height(width))

    def _stacked_height(self, width: int) -> int:
        inner = width - self._bar_width()
        return (sum(page.needed_height(inner) for page in self._pages)
                + self.SPACING * (len(self._pages) - 1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply(self._stacked_height(self.width()) > self.height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._tabbed is not None:
            self._apply(self._stacked_height(self.width()) > self.height(), force=True)

    def _apply(self, tabbed: bool, force: bool = False) -> None:
        if tabbed == self._tabbed and not force:
            return
        self._tabbed = tabbed
        self.tab_bar.setVisible(tabbed)
        current = self.tab_bar.currentIndex()
        for index, page in enumerate(self._pages):
            page.title.setVisible(not tabbed)
            page.setVisible(not tabbed or index == current)

    def _current_changed(self, index: int) -> None:
        if self._tabbed:
            for i, page in enumerate(self._pages):
                page.setVisible(i == index)
        self.currentChanged.emit(index)

