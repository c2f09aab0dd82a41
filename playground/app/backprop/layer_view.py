"""One dense layer of the network with a batch, as the matrices of vectorised backprop.

Written either as the lecture writes it, S = W·X + b with W (H × D) and one point per column
of X, or as the app computes it, S = X·W + b with W (D × H) as the layer stores it (fan_in,
fan_out) and one point per row. The two are each other's transposes; the numbers are the
same. Below each matrix, its gradient, which has the same shape; then the Jacobians of one
point: the activation's (diagonal: it works elementwise) and the multiply's (W itself). The
lecture's "check the dimensions" rule is spelled out with the live shapes, checked against the
network's own gradient and centred differences (see :mod:`playground.backprop.dense_batch`).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QHideEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.app.backprop.matrix_grid import MatrixGrid
from playground.app.ui.throttle import Throttle
from playground.backprop.dense_batch import NUMERIC_CHECK_LIMIT, DenseBatch, dense_batch
from playground.backprop.number_format import fmt
from playground.core import activations, losses
from playground.core.snapshot import Snapshot

INTERVAL = 0.2  # seconds between recomputes while training runs
NAMES = ("X", "W", "b", "S", "dX", "dW", "db", "dS", "Ja", "Jx")
LECTURE, APP = "lecture", "app"


def shape(rows: int, cols: int | None = None) -> str:
    return f"({rows},)" if cols is None else f"({rows} × {cols})"


def _activation(names: tuple[str, ...]) -> str:
    kinds = [activations.get(name).label for name in dict.fromkeys(names)]
    return kinds[0] if len(kinds) == 1 else "mixed: " + ", ".join(kinds)


def layer_labels(sizes: tuple[int, ...], acts: tuple[tuple[str, ...], ...]) -> list[str]:
    """Combo entries: "Layer 1 (2 → 12, tanh)", …, "Output (12 → 2)" (its activation if any).
    Layer k is column k of the network (0 the inputs, the outputs last), as everywhere."""
    labels = []
    for k, names in enumerate(acts, start=1):
        act = _activation(names)
        if k == len(acts):
            labels.append(f"Output ({sizes[k - 1]} → {sizes[k]}"
                          + ("" if act == "linear" else f", {act}") + ")")
        else:
            labels.append(f"Layer {k} ({sizes[k - 1]} → {sizes[k]}, {act})")
    return labels


class LayerView(QWidget):
    """Feed it snapshots with :meth:`show_snapshot`; it recomputes only while visible.
    ``done`` when Enter in the batch box hands the keys back."""

    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._snap: Snapshot | None = None
        self._labels: list[str] = []
        self._stale = False
        self.form = LECTURE
        self.result: DenseBatch | None = None
        self._throttle = Throttle(INTERVAL, self._recompute, self)
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip("The dense layer to take apart: its input X, weights W, "
                                    "bias b and pre-activations S, and their gradients")
        self.layer_combo.currentIndexChanged.connect(self._recompute)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 16)
        self.batch_spin.setValue(4)
        self.batch_spin.setSuffix(" points")
        self.batch_spin.setKeyboardTracking(False)
        self.batch_spin.setToolTip("The batch: the first N training points")
        self.batch_spin.valueChanged.connect(self._recompute)
        self.batch_spin.lineEdit().returnPressed.connect(self.done)  # Enter only
        layer_label = QLabel("&Layer")
        layer_label.setBuddy(self.layer_combo)
        batch_label = QLabel("&Batch: the first")
        batch_label.setBuddy(self.batch_spin)
        self.loss_label = QLabel()
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (layer_label, self.layer_combo, batch_label, self.batch_spin):
            controls.addWidget(widget)
            if widget is self.layer_combo:
                controls.addSpacing(16)
        controls.addStretch(1)
        controls.addWidget(self.loss_label)

        self.grids, self.titles, self.formulas = matrix_parts(NAMES, self.font())
        self.network_check = QLabel()
        self.numeric_check = QLabel()
        self.forward_heading = QLabel()
        self.backward_heading = QLabel()
        self.jacobian_heading = QLabel()
        self.rule = QLabel()
        self.note = muted(QLabel())
        for label in (self.forward_heading, self.backward_heading, self.jacobian_heading,
                      self.rule, self.note):
            label.setWordWrap(True)

        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.grid.addWidget(self.forward_heading, 0, 0, 1, 6)
        self.grid.addWidget(self.backward_heading, 2, 0, 1, 6, Qt.AlignmentFlag.AlignBottom)
        self.grid.addWidget(self.jacobian_heading, 4, 0, 1, 6, Qt.AlignmentFlag.AlignBottom)
        for row in (2, 4):
            self.grid.setRowMinimumHeight(row, 36)
        self.grid.addWidget(operator_label("·"), 1, 1, Qt.AlignmentFlag.AlignVCenter)
        self.grid.addWidget(operator_label("="), 1, 3, Qt.AlignmentFlag.AlignVCenter)
        self.grid.setColumnMinimumWidth(1, 24)
        self.grid.setColumnMinimumWidth(3, 24)
        self.grid.setColumnStretch(5, 1)
        self.grid.setRowStretch(6, 1)
        self._cards: dict[str, QBoxLayout] = {}
        for names in (("X",), ("W",), ("b", "S"), ("dX",), ("dW",), ("db", "dS"), ("Ja",),
                      ("Jx",)):
            self._cards[names[0]] = self._card(names)
        self._place_cards()
        jacobians = QHBoxLayout()   # a row of their own: H × H is wider than any column
        jacobians.setSpacing(24)
        jacobians.addLayout(self._cards["Ja"])
        jacobians.addLayout(self._cards["Jx"])
        jacobians.addStretch(1)
        self.grid.addLayout(jacobians, 5, 0, 1, 6)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.network_check)
        layout.addWidget(self.numeric_check)
        layout.addSpacing(6)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.rule)
        layout.addWidget(self.note)

    def _card(self, names: tuple[str, ...]) -> QBoxLayout:
        """One matrix with its title and formula; b with S (db with dS) side by side in the
        lecture's form, where b is a column, and stacked in the app's, where it is a row."""
        pair = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        pair.setSpacing(12)
        for name in names:
            pair.addLayout(matrix_card(self.titles[name], self.formulas[name],
                                       self.grids[name]))
        return pair

    def _place_cards(self) -> None:
        """W · X = S (lecture) or X · W = S (app); the gradients under their matrices."""
        first, second = ("W", "X") if self.form == LECTURE else ("X", "W")
        order = ((1, (first, second, "b")), (3, (f"d{first}", f"d{second}", "db")))
        for name in ("b", "db"):
            self._cards[name].setDirection(QBoxLayout.Direction.LeftToRight
                                           if self.form == LECTURE else
                                           QBoxLayout.Direction.TopToBottom)
        for row, names in order:
            for col, name in zip((0, 2, 4), names, strict=True):
                card = self._cards[name]
                if card.parent() is not None:
                    self.grid.removeItem(card)
                self.grid.addLayout(card, row, col, Qt.AlignmentFlag.AlignTop)

    # ------------------------------------------------------------ public
    @property
    def layer(self) -> int:
        """The chosen layer: 1…H hidden, H + 1 the outputs (0 before any snapshot)."""
        return self.layer_combo.currentIndex() + 1

    def set_form(self, form: str) -> None:
        """Write the layer as the lecture does (W·x) or as the app computes it (X·W)."""
        if form == self.form:
            return
        self.form = form
        self._place_cards()
        if self.result is not None and self._snap is not None:
            self._show(self.result, self._snap)

    def show_snapshot(self, snap: Snapshot) -> None:
        """Keep ``snap``; recompute now on a new shape, else at most every INTERVAL seconds."""
        self._snap = snap
        if not self.isVisible():
            self._stale = True
        elif self._rebuild_layers():
            self._throttle.fire()
        else:
            self._throttle.request()

    # ------------------------------------------------------------ events
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self._snap is not None:
            self._stale = False
            self._rebuild_layers()
            self._throttle.fire()

    def hideEvent(self, event: QHideEvent) -> None:
        if self._throttle.pending:
            self._throttle.cancel()
            self._stale = True
        super().hideEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_grids()

    # ----------------------------------------------------------- showing
    def _rebuild_layers(self) -> bool:
        """Refill the combo if the layers changed, keeping the chosen one if it still exists
        (the output stays the output). True if anything changed."""
        labels = layer_labels(self._snap.sizes, self._snap.activations)
        if labels == self._labels:
            return False
        old, was_output = self.layer, self.layer == len(self._labels)
        self._labels = labels
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        self.layer_combo.addItems(labels)
        if not old:
            keep = 1
        elif was_output or old >= len(labels):
            keep = len(labels)
        else:
            keep = old
        self.layer_combo.setCurrentIndex(keep - 1)
        self.layer_combo.blockSignals(False)
        return True

    def _recompute(self) -> None:
        snap = self._snap
        if snap is None or not self.isVisible():
            return
        n = self.batch_spin.value()  # a trainer always has at least one training point
        X, y = snap.train_inputs()[:n], snap.y_train[:n]
        self.result = dense_batch(snap.network(), X, y, self.layer)
        self._show(self.result, snap)

    def _matrices(self, r: DenseBatch) -> dict[str, np.ndarray]:
        """Every matrix in the chosen form (the lecture's: the app's transposed)."""
        app = {"X": r.X_in, "W": r.W, "b": r.b, "S": r.S, "dX": r.dX, "dW": r.dW, "db": r.db,
               "dS": r.dS, "Ja": r.activation_jacobian(0), "Jx": r.multiply_jacobian}
        if self.form == APP:
            return app
        columns = {"b": r.b.reshape(-1, 1), "db": r.db.reshape(-1, 1)}   # added to each column
        return {k: columns.get(k, v.T if k in ("X", "W", "S", "dX", "dW", "dS") else v)
                for k, v in app.items()}

    def _show(self, r: DenseBatch, snap: Snapshot) -> None:
        (n, d), h, k = r.X_in.shape, r.W.shape[1], r.layer
        lecture = self.form == LECTURE
        for name, values in self._matrices(r).items():
            self.grids[name].set_values(values)
            dims = values.shape if name not in ("b", "db") else values.shape[:1]
            self.titles[name].setText(f"{name} {shape(*dims)}")
        self.titles["Ja"].setText(f"∂a/∂s {shape(h, h)}")
        self.titles["Jx"].setText(f"∂s/∂x {shape(h, d)}")
        self._describe(r, snap, n, d, h, k, lecture)
        self._fit_grids()

    def _describe(self, r: DenseBatch, snap: Snapshot, n: int, d: int, h: int, k: int,
                  lecture: bool) -> None:
        output = k == len(snap.activations)
        names = snap.activations[k - 1]
        act = _activation(names)
        linear = set(names) == {"linear"}
        slope = f"{act}′" if len(set(names)) == 1 else "each neuron's activation slope"
        per = "column" if lecture else "row"
        source = (f"the first {n} training points, one per {per}" if k == 1
                  else f"layer {k - 1}'s output for the {n} points, one per {per}")
        if linear:
            goes = "the scores the loss reads" if output else f"S goes on to layer {k + 1} as it is"
        else:
            goes = f"{act}(S) goes on to " + ("the loss" if output else f"layer {k + 1}")
        loss = losses.get(snap.loss).label
        f = self.formulas
        f["X"].setText(source)
        f["W"].setText(f"W{k}ᵀ: one row per neuron (the app stores W{k} as {d} × {h})"
                       if lecture else f"W{k}: one column per neuron, as the app stores it")
        f["b"].setText(f"b{k}: added to every {per}")
        f["S"].setText(goes)
        if linear:
            f["dS"].setText(f"∂L/∂S, from the {loss}" if output
                            else f"∂L/∂S, as layer {k + 1} sends it back")
        else:
            f["dS"].setText(f"∂L/∂S, back through {slope}")
        if lecture:
            f["dW"].setText(f"dS·Xᵀ: {shape(h, n)}·{shape(n, d)} → {shape(h, d)}")
            f["dX"].setText(f"Wᵀ·dS: {shape(d, h)}·{shape(h, n)} → {shape(d, n)}")
            f["db"].setText(f"Σ columns of dS: {shape(h, n)} → {shape(h)}")
            forward = f"S = W·X + b:  {shape(h, d)}·{shape(d, n)} + {shape(h)} → {shape(h, n)}"
        else:
            f["dW"].setText(f"Xᵀ·dS: {shape(d, n)}·{shape(n, h)} → {shape(d, h)}")
            f["dX"].setText(f"dS·Wᵀ: {shape(n, h)}·{shape(h, d)} → {shape(n, d)}")
            f["db"].setText(f"Σ rows of dS: {shape(n, h)} → {shape(h)}")
            forward = f"S = X·W + b:  {shape(n, d)}·{shape(d, h)} + {shape(h)} → {shape(n, h)}"
        f["Ja"].setText("diag(slopes): the activation works elementwise, so only the diagonal "
                        "holds anything" if not r.maxout else
                        "maxout: 1 where the first piece wins (still one entry per neuron)")
        f["Jx"].setText("= W: the multiply's Jacobian is the matrix itself" if lecture else
                        f"= W{k}ᵀ: ∂s_j/∂x_i = W{k}[i, j]")
        self.forward_heading.setText(f"<b>Forward</b>  {forward}")
        self.backward_heading.setText(
            "<b>Backward</b>  each gradient sits under its matrix: dS arrives from above; the "
            "layer keeps dW and db for the update and passes dX "
            + ("back (for layer 1 nothing uses it: X is the data)" if k == 1
               else f"down to layer {k - 1}"))
        self.jacobian_heading.setText(
            "<b>Jacobians for the first point</b>  dX is never built from them: for the point, "
            "∂L/∂x = (∂s/∂x)ᵀ·(∂a/∂s)ᵀ·∂L/∂a, and the diagonal makes the second product an "
            "elementwise one")
        self.rule.setText(self._rule(n, d, h, lecture))
        self.loss_label.setText(f"Batch loss L = {fmt(r.loss)} ({loss}, mean over {n} points)")
        self.network_check.setText(
            ("✓ dW and db match" if r.matches_network else "✗ dW or db differs from")
            + f" the network's own gradient (grads of W{k}, b{k} from its backward pass)")
        if r.numeric_error is None:
            self.numeric_check.setText(
                f"Numeric check skipped: W has {r.W.size} entries (it runs up to "
                f"{NUMERIC_CHECK_LIMIT}, two forward passes each)")
        else:
            mark = "✓" if r.numeric_error < 1e-6 else "✗"
            self.numeric_check.setText(
                f"{mark} numeric check: relative error {fmt(r.numeric_error, 2)} between dW "
                "and centred differences of the batch loss")
        fewer = ""
        if self.batch_spin.value() > n:
            fewer = f"There are only {n} training points, so the batch is all of them. "
        self.note.setText((fewer + r.note).strip())

    @staticmethod
    def _rule(n: int, d: int, h: int, lecture: bool) -> str:
        if lecture:
            text = (f"<b>Check the dimensions.</b> The gradient of a matrix has the matrix's "
                    f"shape: dW is {h} × {d} like W, dX is {d} × {n} like X. The only product "
                    f"of dS {shape(h, n)} and X {shape(d, n)} that gives {h} × {d} is dS·Xᵀ, "
                    f"and the only product of W {shape(h, d)} and dS that gives {d} × {n} is "
                    f"Wᵀ·dS. b was added to every column, so db sums dS over the {n} columns.")
        else:
            text = (f"<b>Check the dimensions.</b> The gradient of a matrix has the matrix's "
                    f"shape: dW is {d} × {h} like W, dX is {n} × {d} like X. The only product "
                    f"of X {shape(n, d)} and dS {shape(n, h)} that gives {d} × {h} is Xᵀ·dS, "
                    f"and the only product of dS and W {shape(d, h)} that gives {n} × {d} is "
                    f"dS·Wᵀ. b was added to every row, so db sums dS over the {n} rows.")
        if n == d:
            text += (f" (Here the batch and the layer's input are both {n} wide, so other "
                     "products would fit too: with equal sizes, follow the axes — dW sums over "
                     "the points, dX over the neurons.)")
        return text

    def _fit_grids(self) -> None:
        """Give each column of cards the width it needs, the rest shared by the wide ones,
        so a matrix is cut only when the window is really too narrow for it."""
        if self.result is None:
            return
        columns = (("X", "dX"), ("W", "dW"), ("b", "S", "db", "dS"))
        if self.form == LECTURE:
            columns = (("W", "dW"), ("X", "dX"), columns[2])
        room = self.scroll.viewport().width() - 2 * 24 - 5 * self.grid.horizontalSpacing() - 4
        needs = [max(self.grids[n].full_width() for n in names) for names in columns]
        if self.form == LECTURE:   # b beside S, db beside dS
            needs[2] = 12 + max(self.grids["b"].full_width() + self.grids["S"].full_width(),
                                self.grids["db"].full_width() + self.grids["dS"].full_width())
        budget = list(needs)
        if sum(needs) > room:
            small = [k for k, need in enumerate(needs) if need <= room / 4]
            left = room - sum(needs[k] for k in small)
            wide = [k for k in range(3) if k not in small]
            total = sum(needs[k] for k in wide) or 1
            for k in wide:
                budget[k] = max(int(left * needs[k] / total), 80)
        beside = {"S": "b", "dS": "db"} if self.form == LECTURE else {}
        for names, width in zip(columns, budget, strict=True):
            for name in names:
                partner = beside.get(name)
                room_left = width - (self.grids[partner].full_width() + 12 if partner else 0)
                self.grids[name].set_max_width(room_left)
        for name in ("Ja", "Jx"):
            self.grids[name].set_max_width((room - 24) // 2)


def matrix_parts(names: tuple[str, ...], font: QFont
                 ) -> tuple[dict[str, MatrixGrid], dict[str, QLabel], dict[str, QLabel]]:
    """A grid, a bold title and a muted formula line for each named matrix."""
    bold = QFont(font)
    bold.setBold(True)
    titles = {name: QLabel() for name in names}
    for title in titles.values():
        title.setFont(bold)
    return ({name: MatrixGrid(name) for name in names}, titles,
            {name: muted(QLabel()) for name in names})


def matrix_card(title: QLabel, formula: QLabel, grid: MatrixGrid) -> QVBoxLayout:
    """One matrix with its title and formula above it."""
    box = QVBoxLayout()
    box.setSpacing(2)
    box.addWidget(title)
    box.addWidget(formula)
    box.addWidget(grid, 0, Qt.AlignmentFlag.AlignLeft)
    box.addStretch(1)
    return box


def muted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def operator_label(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.8)
    font.setBold(True)
    label.setFont(font)
    return label
