"""The numeric check beside the graph: for every input, the gradient backprop found, the
centred-difference estimate and how far apart they are (and, for a neuron taken from the
network, what the network's own backward pass says).

A row's gradients stay empty until the walkthrough has finished that input's gradient, so the
table fills in as the student steps and never tells an answer before backward has found it.
Numbers are in the tab's format; a cell's tooltip has every digit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

from playground.backprop.number_format import fmt
from playground.backprop.walkthrough import Walkthrough
from playground.core.gradcheck import scalars_agree

AGREE = 1e-6
"""Relative error below which backprop and the numeric estimate count as the same number."""


_TIPS = {
    "n/a": "{name} ± h leaves the formula's domain: no centred difference exists here",
    "✓ Δ": "The same number up to the rounding of f(v ± h): the difference is below 1e−9 · |f|",
    "kin": "A gate sits exactly at a kink (relu or abs at 0, a max tie): the centred "
           "difference averages both sides, backprop takes one",
}
"""Tooltips for the cells whose text starts so."""


class GradientCheckTable(QTableWidget):
    """One row per input of the graph."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        self.setToolTip("Backprop's gradient of each input beside a centred-difference "
                        "estimate (f(v + h) − f(v − h)) / 2h with h = 1e−5; they agree when the "
                        "relative error is below 1e−6")
        self._walk: Walkthrough | None = None
        self._numeric: dict[str, float] = {}
        self._network: dict[str, float] | None = None

    def show_check(self, walk: Walkthrough, numeric: Mapping[str, float],
                   network: Mapping[str, float] | None = None) -> None:
        """Rows for ``walk``'s inputs with the ``numeric`` (and ``network``) gradients."""
        self._walk = walk
        self._numeric = dict(numeric)
        self._network = dict(network) if network is not None else None
        headers = ["input", "value", "backprop", "numeric"]
        if self._network is not None:
            headers.append("network")
        headers.append("agree")
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setRowCount(len(walk.leaves))
        for row in range(len(walk.leaves)):  # items made once; a step only changes texts
            for column in range(len(headers)):
                item = QTableWidgetItem()
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        self.horizontalHeaderItem(2).setToolTip(f"∂{walk.output_name}/∂input from the "
                                                "backward pass, once it has reached the input")
        self.refresh()

    def refresh(self) -> None:
        walk = self._walk
        if walk is None:
            return
        kinked = bool(walk.kinks())
        # rounding in f(v + h) − f(v − h) grows with |f|: the floor below which two
        # gradients count as the same number grows with it
        floor = 1e-9 * max(1.0, abs(walk.output.data * walk.seed))
        changed = False
        for row, leaf in enumerate(walk.leaves):
            numeric = self._numeric[leaf.name]
            known = walk.grad_known(leaf)
            exact = [leaf.grad, numeric] + ([self._network[leaf.name]] if self._network else [])
            cells = [leaf.name, fmt(leaf.data)]
            cells += [(fmt(v) if math.isfinite(v) else "n/a") if known else "" for v in exact]
            cells.append(self._verdict(leaf.grad, numeric, kinked, floor) if known else "")
            for column, text in enumerate(cells):
                item = self.item(row, column)
                if item.text() != text:
                    item.setText(text)
                    tip = _TIPS.get(text[:3], "").format(name=leaf.name)
                    if text and 2 <= column < 2 + len(exact) and not tip:
                        tip = f"{exact[column - 2]:.10g}"
                    item.setToolTip(tip)
                    changed = True
        if changed:
            self.resizeColumnsToContents()

    @staticmethod
    def _verdict(backprop: float, numeric: float, kinked: bool, floor: float) -> str:
        if not math.isfinite(numeric):
            return "n/a"
        if scalars_agree(backprop, numeric, AGREE, floor):
            difference = abs(backprop - numeric)
            scale = max(abs(backprop), abs(numeric))
            if difference == 0:
                return "✓"
            if difference <= AGREE * scale:
                return f"✓ {fmt(difference / scale, 1)}"
            return f"✓ Δ {fmt(difference, 1)}"  # within the rounding of f(v ± h)
        return "kink" if kinked else "✗"

    def row_texts(self, name: str) -> list[str]:
        """The cells of input ``name``'s row, as shown."""
        row = next(k for k, leaf in enumerate(self._walk.leaves) if leaf.name == name)
        return [self.item(row, c).text() for c in range(self.columnCount())]
