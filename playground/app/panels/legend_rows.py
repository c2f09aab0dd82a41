"""A plot legend in the fewest rows that fit the plot's width.

pyqtgraph's ``LegendItem.setColumnCount`` puts the entries back after the grid's old last
row (a QGraphicsGridLayout never shrinks its row count), so a legend re-laid out on every
resize scattered its entries over empty rows. Here the entries go into a fresh grid.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGraphicsGridLayout

if TYPE_CHECKING:  # pyqtgraph is imported after PySide6 by the plots (see metric_plots)
    import pyqtgraph as pg


def set_legend_columns(legend: pg.LegendItem, columns: int) -> None:
    """Lay the legend's entries out ``columns`` to a row, in order."""
    old = legend.layout
    for i in reversed(range(old.count())):
        old.removeAt(i)
    grid = QGraphicsGridLayout()
    grid.setHorizontalSpacing(old.horizontalSpacing())
    grid.setVerticalSpacing(old.verticalSpacing())
    grid.setContentsMargins(*old.getContentsMargins())
    for i, (sample, label) in enumerate(legend.items):
        row, column = divmod(i, columns)
        grid.addItem(sample, row, 2 * column)
        grid.addItem(label, row, 2 * column + 1)
    legend.layout = grid
    legend.setLayout(grid)  # Qt deletes the old, now empty, grid
    legend.columnCount = columns
    legend.rowCount = math.ceil(len(legend.items) / columns)
    legend.updateSize()


def fit_legend(legend: pg.LegendItem, width: float, max_height: float) -> None:
    """The fewest rows that fit ``width``; but never taller than ``max_height`` (the data
    needs the room more), where the last rows allowed run wider."""
    entries = max(1, len(legend.items))
    fitted = entries
    for rows in range(1, entries + 1):
        columns = math.ceil(entries / rows)
        set_legend_columns(legend, columns)
        if rows > 1 and legend.height() > max_height:
            set_legend_columns(legend, fitted)
            return
        fitted = columns
        if legend.width() <= width:
            return
