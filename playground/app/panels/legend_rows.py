"""A plot legend in the fewest rows that fit the plot's width.

pyqtgraph's ``LegendItem.setColumnCount`` puts the entries back after the grid's old last
row (a QGraphicsGridLayout never shrinks its row count), so a legend re-laid out on every
resize scattered its entries over empty rows. Here the entries go into a fresh grid. When
no number of rows fits the room a short plot allows, the legend shows its first and last
entries with "…" between ("W1 … W10"): the curves' colours run in order between the two,
and W1 (the vanishing-gradient end) stays in view instead of running off the left edge.
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import QGraphicsGridLayout

import pyqtgraph as pg  # isort: skip  (after PySide6 so pyqtgraph binds to it)


class HeaderLegend(pg.LegendItem):
    """A frameless legend that ``fit`` lays out in rows (see the module docstring)."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self._ellipsis = pg.LabelItem("…", justify="left")
        self._ellipsis.setParentItem(self)
        self.ends_only = False
        """Whether only the first and last entries are shown."""

    def arrange(self, columns: int, ends_only: bool = False) -> None:
        """Lay the entries out ``columns`` to a row, in order (or only the two ends)."""
        old = self.layout
        for i in reversed(range(old.count())):
            old.removeAt(i)
        grid = QGraphicsGridLayout()
        grid.setHorizontalSpacing(old.horizontalSpacing())
        grid.setVerticalSpacing(old.verticalSpacing())
        grid.setContentsMargins(*old.getContentsMargins())
        self.ends_only = ends_only and len(self.items) > 2
        shown = [self.items[0], self.items[-1]] if self.ends_only else self.items
        for sample, label in self.items:
            sample.setVisible((sample, label) in shown)
            label.setVisible((sample, label) in shown)
        self._ellipsis.setVisible(self.ends_only)
        if self.ends_only:
            self._ellipsis.setText("…", color=self.opts["labelTextColor"],
                                   size=self.opts["labelTextSize"])
            grid.addItem(shown[0][0], 0, 0)
            grid.addItem(shown[0][1], 0, 1)
            grid.addItem(self._ellipsis, 0, 2)
            grid.addItem(shown[1][0], 0, 3)
            grid.addItem(shown[1][1], 0, 4)
        else:
            for i, (sample, label) in enumerate(shown):
                row, column = divmod(i, columns)
                grid.addItem(sample, row, 2 * column)
                grid.addItem(label, row, 2 * column + 1)
        self.layout = grid
        self.setLayout(grid)  # Qt deletes the old, now empty, grid
        self.columnCount = columns
        self.rowCount = 1 if self.ends_only else math.ceil(len(self.items) / columns)
        self.updateSize()

    def fit(self, width: float, max_height: float) -> None:
        """The fewest rows that fit ``width`` and ``max_height`` (the data needs the room
        more); if none do, the two ends in one row."""
        entries = max(1, len(self.items))
        for rows in range(1, entries + 1):
            self.arrange(math.ceil(entries / rows))
            if rows > 1 and self.height() > max_height:
                break
            if self.width() <= width:
                return
        self.arrange(2, ends_only=True)
