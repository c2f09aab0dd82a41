"""A matrix drawn as a small grid of numbers, tinted by sign and size (orange −, blue +),
printed in the Backprop tab's one number format.

A matrix shows as many columns as the width its view gives it (:meth:`MatrixGrid.set_max_width`)
and up to ``ROWS`` rows, then a "…" row or column; a click shows every entry (the view
scrolls), another click folds it again, and each cell's tooltip gives its exact value.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from playground.app.ui.colors import NEGATIVE, POSITIVE, mix
from playground.backprop.number_format import fmt

TINT = 0.5  # strongest mix of the sign colour into the background, so text stays legible
NARROWEST = "−0.000"  # cells are as wide as the matrix's widest entry, at least this


class MatrixGrid(QWidget):
    """One matrix (a 1-D array shows as one row). ``name`` labels the tooltips, e.g. "W"."""

    ROWS = 16
    PAD = 4

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._values = np.zeros((0, 0))
        self._vector = False
        self._expanded = False
        self._scale = 1.0
        self._max_columns = 12
        self._widest = NARROWEST
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    # ------------------------------------------------------------ public
    @property
    def values(self) -> np.ndarray:
        """The whole matrix, as (rows, columns) even for a vector."""
        return self._values

    @property
    def truncated(self) -> bool:
        rows, cols = self._values.shape
        return not self._expanded and (rows > self.ROWS or cols > self._max_columns)

    @property
    def clickable(self) -> bool:
        """Whether a click toggles between the corner and every entry."""
        rows, cols = self._values.shape
        return rows > self.ROWS or cols > self._max_columns

    @property
    def expanded(self) -> bool:
        return self._expanded

    def full_width(self) -> int:
        """The width every column takes."""
        return self._values.shape[1] * self._cell().width() + 2

    def set_max_width(self, width: int) -> None:
        """Show as many columns as fit in ``width`` pixels (at least one), "…" for the rest."""
        cell = self._cell().width()
        columns = max(1, (width - self._more_width() - 2) // cell)
        if width >= self.full_width():
            columns = max(columns, self._values.shape[1])
        if columns != self._max_columns:
            self._max_columns = columns
            self.setCursor(Qt.CursorShape.PointingHandCursor if self.clickable
                           else Qt.CursorShape.ArrowCursor)
            self.updateGeometry()
            self.update()

    def set_values(self, values: np.ndarray) -> None:
        """Show ``values``. Cells are as wide as the widest entry; while the shape stays the
        same (a layer followed through training) they only grow, so the grid never jitters."""
        values = np.asarray(values, dtype=float)
        self._vector = values.ndim == 1
        values = values.reshape(1, -1) if self._vector else values
        same_shape = values.shape == self._values.shape
        self._values = values
        advance = self.fontMetrics().horizontalAdvance
        widest = max([NARROWEST, *(fmt(v) for v in values.ravel())], key=advance)
        if same_shape and advance(self._widest) >= advance(widest):
            widest = self._widest
        resized = not same_shape or widest != self._widest
        self._widest = widest
        finite = np.abs(values[np.isfinite(values)])
        self._scale = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        self.setCursor(Qt.CursorShape.PointingHandCursor if self.clickable
                       else Qt.CursorShape.ArrowCursor)
        if resized:
            self.updateGeometry()
        self.update()

    def set_expanded(self, expanded: bool) -> None:
        """Show every entry (True) or the top-left corner of a big matrix (False)."""
        self._expanded = expanded
        self.updateGeometry()
        self.update()

    def shown_shape(self) -> tuple[int, int]:
        """Rows and columns of numbers on screen (without the "…" row or column)."""
        rows, cols = self._values.shape
        if self._expanded:
            return rows, cols
        return min(rows, self.ROWS), min(cols, self._max_columns)

    def text_at(self, row: int, col: int) -> str:
        """The text drawn in a shown cell."""
        return fmt(float(self._values[row, col]))

    def entry_name(self, row: int, col: int) -> str:
        return f"{self.name}[{col}]" if self._vector else f"{self.name}[{row}, {col}]"

    # ----------------------------------------------------------- drawing
    def _cell(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(fm.horizontalAdvance(self._widest) + 2 * self.PAD, fm.height() + 4)

    def _more_width(self) -> int:
        """The "…" column is narrow, so three big grids still fit side by side."""
        return self.fontMetrics().horizontalAdvance("…") + 2 * self.PAD

    def _more(self) -> tuple[bool, bool]:
        rows, cols = self._values.shape
        shown_rows, shown_cols = self.shown_shape()
        return rows > shown_rows, cols > shown_cols

    def _rect(self, row: int, col: int) -> QRect:
        """Cell (row, col) of the shown grid; col == shown columns is the "…" column."""
        cell = self._cell()
        narrow = col == self.shown_shape()[1]
        return QRect(col * cell.width(), row * cell.height(),
                     self._more_width() if narrow else cell.width(), cell.height())

    def sizeHint(self) -> QSize:
        rows, cols = self.shown_shape()
        more_rows, more_cols = self._more()
        corner = self._rect(rows + more_rows - 1, cols + more_cols - 1)
        return QSize(corner.right() + 2, corner.bottom() + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        """(row, col) under ``pos``; -1 for the "…" row or column; None outside."""
        cell = self._cell()
        rows, cols = self.shown_shape()
        more_rows, more_cols = self._more()
        row, col = pos.y() // cell.height(), min(pos.x() // cell.width(), cols)
        if not (0 <= row < rows + more_rows and 0 <= col < cols + more_cols
                and pos.x() <= self._rect(row, col).right()):
            return None
        return (-1 if row == rows else row), (-1 if col == cols else col)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        negative, positive = QColor(NEGATIVE), QColor(POSITIVE)
        rows, cols = self.shown_shape()
        more_rows, more_cols = self._more()
        painter.fillRect(self.rect(), base)
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r in range(rows):
            for c in range(cols):
                value = float(self._values[r, c])
                rect = self._rect(r, c)
                if math.isfinite(value) and value != 0.0:
                    t = TINT * min(abs(value) / self._scale, 1.0)
                    painter.fillRect(rect, mix(base, negative if value < 0 else positive, t))
                painter.setPen(text)
                painter.drawText(rect.adjusted(0, 0, -self.PAD, 0), align, self.text_at(r, c))
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        centre = Qt.AlignmentFlag.AlignCenter
        if more_cols:
            for r in range(rows):
                painter.drawText(self._rect(r, cols), centre, "…")
        if more_rows:
            for c in range(cols + more_cols):
                painter.drawText(self._rect(rows, c), centre, "⋮" if c < cols else "⋱")
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    # ------------------------------------------------------- interaction
    def tooltip_at(self, pos: QPoint) -> str:
        """What hovering ``pos`` tells: the exact entry, or how to see the hidden ones."""
        at = self._cell_at(pos)
        if at is None:
            return ""
        row, col = at
        if row < 0 or col < 0:
            rows, cols = self._values.shape
            return f"{self.name} has {rows} × {cols} entries: click to show them all"
        return f"{self.entry_name(row, col)} = {self._values[row, col]:.10g}"

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.clickable:
            self.set_expanded(not self._expanded)
        super().mousePressEvent(event)
