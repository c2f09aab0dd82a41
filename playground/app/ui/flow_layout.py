"""A grid that wraps: as many aligned columns as the width allows, more rows when it is narrow.

Rows of settings (the hyperparameters, the output toggles, the readout) are laid out in the
widest arrangement whose columns fit, every widget at its size hint, so no combo box or label
is ever squeezed below its text. The layout answers ``heightForWidth``, so the box layouts and
scroll areas around it give it exactly the rows it needs.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class WrapGrid(QLayout):
    """Widgets in order, left to right, wrapped into aligned columns.

    Column ``j`` is as wide as the widest widget placed in it; with ``k`` columns, widget
    ``i`` sits in row ``i // k``, column ``i % k``. The largest ``k`` whose columns fit wins,
    then rows are evened out (five items in two rows go three and two, not four and one).
    ``spread`` puts the spare width between the columns instead of after the last.
    ``shrink`` arranges by minimum widths instead, for widgets that can show themselves in
    less than their preferred width (a row with a :class:`~playground.app.ui.widgets.
    FittingLabel`): each then gets up to its preferred width as room allows.
    """

    def __init__(self, parent: QWidget | None = None, spacing: tuple[int, int] = (10, 4),
                 max_columns: int | None = None, spread: bool = False,
                 shrink: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._hspace, self._vspace = spacing
        self._max_columns = max_columns
        self._spread = spread
        self._shrink = shrink
        self._cache: dict[int, int] = {}
        self.setContentsMargins(0, 0, 0, 0)

    # ------------------------------------------------------------ QLayout API
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self.invalidate()
            return item
        return None

    def invalidate(self) -> None:
        self._cache.clear()
        super().invalidate()

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if width not in self._cache:
            _, rows = self._arrange(width)
            _, top, _, bottom = self.getContentsMargins()
            spacing = self._vspace * max(len(rows) - 1, 0)
            self._cache[width] = sum(rows) + spacing + top + bottom
        return self._cache[width]

    def sizeHint(self) -> QSize:
        widths = self._column_widths(len(self._visible()) or 1)
        width = sum(widths) + self._hspace * max(len(widths) - 1, 0)
        left, _, right, _ = self.getContentsMargins()
        return QSize(width + left + right, self.heightForWidth(width + left + right))

    def minimumSize(self) -> QSize:
        visible = self._visible()
        left, top, right, bottom = self.getContentsMargins()
        width = max((self._width(item) for item in visible), default=0)
        height = max((item.sizeHint().height() for item in visible), default=0)
        return QSize(width + left + right, height + top + bottom)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        left, top, right, bottom = self.getContentsMargins()
        inner = rect.adjusted(left, top, -right, -bottom)
        widths, rows = self._arrange(rect.width())
        columns = len(widths)
        gap = self._hspace
        if self._shrink:
            widths = self._grown(widths, inner.width())
        if self._spread and columns > 1:  # spare width between the columns
            gap += max(inner.width() - sum(widths) - gap * (columns - 1), 0) // (columns - 1)
        y = inner.y()
        visible = self._visible()
        for row, height in enumerate(rows):
            x = inner.x()
            for column in range(columns):
                index = row * columns + column
                if index >= len(visible):
                    break
                item = visible[index]
                hint = item.sizeHint()
                width = min(hint.width(), widths[column]) if self._shrink else hint.width()
                item.setGeometry(QRect(x, y + (height - hint.height()) // 2, width,
                                       hint.height()))
                x += widths[column] + gap
            y += height + self._vspace

    # ------------------------------------------------------------- arranging
    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _width(self, item: QLayoutItem) -> int:
        return item.minimumSize().width() if self._shrink else item.sizeHint().width()

    def _column_widths(self, columns: int) -> list[int]:
        widths = [0] * columns
        for index, item in enumerate(self._visible()):
            column = index % columns
            widths[column] = max(widths[column], self._width(item))
        return widths

    def _grown(self, widths: list[int], room: int) -> list[int]:
        """Minimum column widths grown, first column first, toward their preferred widths."""
        columns = len(widths)
        preferred = [0] * columns
        for index, item in enumerate(self._visible()):
            preferred[index % columns] = max(preferred[index % columns], item.sizeHint().width())
        spare = room - sum(widths) - self._hspace * (columns - 1)
        grown = []
        for width, wish in zip(widths, preferred, strict=True):
            extra = min(max(wish - width, 0), max(spare, 0))
            spare -= extra
            grown.append(width + extra)
        return grown

    def _arrange(self, width: int) -> tuple[list[int], list[int]]:
        """Column widths and row heights of the widest arrangement that fits ``width``."""
        visible = self._visible()
        left, _, right, _ = self.getContentsMargins()
        room = width - left - right
        most = len(visible) or 1
        if self._max_columns is not None:
            most = min(most, self._max_columns)
        for columns in range(most, 0, -1):
            widths = self._column_widths(columns)
            if sum(widths) + self._hspace * (columns - 1) <= room or columns == 1:
                break
        count = -(-len(visible) // columns)  # as many rows, as evenly filled as they can be
        if count > 1 and -(-len(visible) // count) < columns:
            columns = -(-len(visible) // count)
            widths = self._column_widths(columns)
        rows = [0] * (-(-len(visible) // columns))
        for index, item in enumerate(visible):
            rows[index // columns] = max(rows[index // columns], item.sizeHint().height())
        return widths, rows
