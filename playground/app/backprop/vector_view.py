"""The vector view: one dense layer with a batch, as the matrices of vectorised backprop.

Forward ``S = X·W + b`` on top; below each matrix, its gradient, which has the same shape:
``dX = dS·Wᵀ``, ``dW = Xᵀ·dS``, ``db = Σ rows of dS``, ``dS = ∂L/∂S``. The lecture's "check the
dimensions" rule with the live numbers of the snapshot's network, checked against the
network's own gradient and centred differences (see :mod:`playground.backprop.dense_batch`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QHideEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
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
from playground.core import activations, losses
from playground.core.snapshot import Snapshot

INTERVAL = 0.2  # seconds between recomputes while training runs
NAMES = ("X", "W", "b", "S", "dX", "dW", "db", "dS")


def _shape(rows: int, cols: int | None = None) -> str:
    return f"({rows},)" if cols is None else f"({rows} × {cols})"


def _activation(names: tuple[str, ...]) -> str:
    kinds = [activations.get(name).label for name in dict.fromkeys(names)]
    return kinds[0] if len(kinds) == 1 else "mixed: " + ", ".join(kinds)


def layer_labels(sizes: tuple[int, ...], activations: tuple[tuple[str, ...], ...]) -> list[str]:
    """Combo entries: "Layer 1 (2 → 12, tanh)", …, "Output (12 → 2)" (its activation if any)."""
    labels = []
    for k, names in enumerate(activations, start=1):
        act = _activation(names)
        if k == len(activations):
            labels.append(f"Output ({sizes[k - 1]} → {sizes[k]}"
                          + ("" if act == "linear" else f", {act}") + ")")
        else:
            labels.append(f"Layer {k} ({sizes[k - 1]} → {sizes[k]}, {act})")
    return labels


class VectorView(QWidget):
    """Feed it snapshots with :meth:`show_snapshot`; it recomputes only while visible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._snap: Snapshot | None = None
        self._labels: list[str] = []
        self._stale = False
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
        self.batch_spin.setToolTip("The batch: the first N training points, one per row of X")
        self.batch_spin.valueChanged.connect(self._recompute)
        layer_label = QLabel("&Layer")
        layer_label.setBuddy(self.layer_combo)
        batch_label = QLabel("&Batch: the first")
        batch_label.setBuddy(self.batch_spin)
        self.loss_label = QLabel()
        controls = QHBoxLayout()
        for widget in (layer_label, self.layer_combo, batch_label, self.batch_spin):
            controls.addWidget(widget)
            if widget is self.layer_combo:
                controls.addSpacing(16)
        controls.addStretch(1)
        controls.addWidget(self.loss_label)

        self.grids = {name: MatrixGrid(name) for name in NAMES}
        self.titles = {name: QLabel() for name in NAMES}
        self.formulas = {name: self._muted(QLabel()) for name in NAMES}
        bold = QFont(self.font())
        bold.setBold(True)
        for title in self.titles.values():
            title.setFont(bold)
        self.network_check = QLabel()
        self.numeric_check = QLabel()
        self.forward_heading = QLabel()
        self.backward_heading = QLabel()
        self.rule = QLabel()
        self.note = self._muted(QLabel())
        for label in (self.forward_heading, self.backward_heading, self.rule, self.note):
            label.setWordWrap(True)

        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.forward_heading, 0, 0, 1, 6)
        grid.addWidget(self.backward_heading, 2, 0, 1, 6, Qt.AlignmentFlag.AlignBottom)
        grid.setRowMinimumHeight(2, 36)
        for row, columns in ((1, (("X",), ("W",), ("b", "S"))),
                             (3, (("dX",), ("dW",), ("db", "dS")))):
            for col, names in zip((0, 2, 4), columns, strict=True):
                grid.addLayout(self._cards(names), row, col, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._operator("·"), 1, 1)
        grid.addWidget(self._operator("="), 1, 3)
        grid.setColumnMinimumWidth(1, 24)
        grid.setColumnMinimumWidth(3, 24)
        grid.setColumnStretch(5, 1)
        grid.setRowStretch(4, 1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.network_check)
        layout.addWidget(self.numeric_check)
        layout.addSpacing(6)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.rule)
        layout.addWidget(self.note)

    def _muted(self, label: QLabel) -> QLabel:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    def _operator(self, text: str) -> QLabel:
        label = QLabel(text)
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        label.setFont(font)
        return label

    def _cards(self, names: tuple[str, ...]) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(2)
        for name in names:
            if name != names[0]:
                box.addSpacing(8)
            box.addWidget(self.titles[name])
            box.addWidget(self.formulas[name])
            box.addWidget(self.grids[name], 0, Qt.AlignmentFlag.AlignLeft)
        return box

    # ------------------------------------------------------------ public
    @property
    def layer(self) -> int:
        """The chosen layer, 1-based over hidden and output layers (0 before any snapshot)."""
        return self.layer_combo.currentIndex() + 1

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
        if self._stale:
            self._stale = False
            self._rebuild_layers()
            self._throttle.fire()

    def hideEvent(self, event: QHideEvent) -> None:
        if self._throttle.pending:
            self._throttle.cancel()
            self._stale = True
        super().hideEvent(event)

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

    def _show(self, r: DenseBatch, snap: Snapshot) -> None:
        (n, d), h, k = r.X_in.shape, r.W.shape[1], r.layer
        output = k == len(snap.activations)
        names = snap.activations[k - 1]
        act = _activation(names)
        linear = set(names) == {"linear"}
        slope = f"{act}′" if len(set(names)) == 1 else "each neuron's activation slope"
        for name in NAMES:
            values = getattr(r, "X_in" if name == "X" else name)
            self.grids[name].set_values(values)
            self.titles[name].setText(f"{name} {_shape(*values.shape)}")
        source = (f"the first {n} training points, one per row" if k == 1
                  else f"layer {k - 1}'s output for the {n} points")
        if linear:
            goes = "the scores the loss reads" if output else f"S goes on to layer {k + 1} as it is"
        else:
            goes = f"{act}(S) goes on to " + ("the loss" if output else f"layer {k + 1}")
        loss = losses.get(snap.loss).label
        self.formulas["X"].setText(source)
        self.formulas["W"].setText(f"W{k}: one column per neuron")
        self.formulas["b"].setText(f"b{k}: added to every row")
        self.formulas["S"].setText(goes)
        if linear:
            self.formulas["dS"].setText(f"∂L/∂S, from the {loss}" if output
                                        else f"∂L/∂S, as layer {k + 1} sends it back")
        else:
            self.formulas["dS"].setText(f"∂L/∂S, back through {slope}")
        self.formulas["dW"].setText(f"Xᵀ·dS: {_shape(d, n)}·{_shape(n, h)} → {_shape(d, h)}")
        self.formulas["db"].setText(f"Σ rows of dS: {_shape(n, h)} → {_shape(h)}")
        self.formulas["dX"].setText(f"dS·Wᵀ: {_shape(n, h)}·{_shape(h, d)} → {_shape(n, d)}")
        self.forward_heading.setText(
            f"<b>Forward</b>  S = X·W + b:  {_shape(n, d)}·{_shape(d, h)} + {_shape(h)} → "
            f"{_shape(n, h)}")
        self.backward_heading.setText(
            "<b>Backward</b>  each gradient sits under its matrix: dS arrives from above; the "
            "layer keeps dW and db for the update and passes dX "
            + ("back (for layer 1 nothing uses it: X is the data)" if k == 1
               else f"down to layer {k - 1}"))
        self.rule.setText(
            f"<b>Check the dimensions.</b> The gradient of a matrix has the matrix's shape: dW "
            f"is {d} × {h} like W, dX is {n} × {d} like X. The only product of X {_shape(n, d)} "
            f"and dS {_shape(n, h)} that gives {d} × {h} is Xᵀ·dS, and the only product of dS "
            f"and W {_shape(d, h)} that gives {n} × {d} is dS·Wᵀ. b was added to every row, "
            f"so db sums dS over the {n} rows."
            + (f" (Here the batch and the layer's input are both {n} wide, so X·dS and W·dSᵀ "
               "would fit too: with equal sizes, follow the axes — dW sums over the points, "
               "dX over the neurons.)" if n == d else ""))
        self.loss_label.setText(f"Batch loss L = {r.loss:.6g} ({loss}, mean over {n} points)")
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
                f"{mark} numeric check: relative error {r.numeric_error:.1e} between dW and "
                f"centred differences of the batch loss")
        fewer = ""
        if self.batch_spin.value() > n:
            fewer = f"There are only {n} training points, so the batch is all of them. "
        self.note.setText((fewer + r.note).strip())
