"""The inspector: what is selected in the network, and its settings to edit.

A layer shows its units and activation; a neuron its own activation, its bias and its
incoming weights (as bars, orange negative, blue positive); nothing selected, a hint. Values
follow training at most ten times a second (digits changing faster cannot be read anyway),
except a field being edited. Edits are requests (the window makes them undoable); nothing
here touches the network.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.app.panels.architecture import OUTPUT_ACTIVATIONS
from playground.app.ui import colors
from playground.app.ui.flow_layout import WrapGrid
from playground.app.ui.selection import Selection, exists, neuron_name
from playground.app.ui.theme import is_dark
from playground.app.ui.throttle import Throttle
from playground.core import activations, edits
from playground.core.params import bias_key, weight_key
from playground.core.snapshot import Snapshot
from playground.data import feature_label

HINT = ("Click a neuron, or a layer's title, to inspect and edit it.\n\n"
        "Drag a Layer or a Neuron from the palette above the network into it.\n\n"
        "Hover an edge to see its weight and gradient; double-click it to type a new weight.")
BIAS_LIMIT = 1000.0
MAX_BAR = 16.0
REFRESH_INTERVAL = 0.1
"""Seconds between refreshes while training; a new structure or selection shows at once."""
DEAD_DARK_THEME = "#ff8a80"


class WeightBars(QWidget):
    """One bar per incoming weight: up and blue if positive, down and orange if negative,
    heights relative to the largest |w|."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weights = np.zeros(0)
        self.setMinimumHeight(44)

    def set_weights(self, weights: np.ndarray) -> None:
        self._weights = np.nan_to_num(np.asarray(weights, dtype=float))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, 44)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        w = self._weights
        mid = self.height() / 2
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(0, int(mid), self.width(), int(mid))
        if not len(w):
            return
        top = float(np.abs(w).max()) or 1.0
        step = min(self.width() / len(w), MAX_BAR)
        gap = 0.25 * step if step > 4 else 0.0
        left = (self.width() - step * len(w)) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        for k, value in enumerate(w):
            h = (mid - 2) * abs(value) / top
            painter.setBrush(QColor(colors.POSITIVE if value > 0 else colors.NEGATIVE))
            y = mid - h if value > 0 else mid
            painter.drawRect(QRectF(left + k * step + gap / 2, y, max(step - gap, 1.0), h))


class Inspector(QWidget):
    """Signals: ``editRequested(Request)`` for an edit, ``gateGraphRequested(layer, index)``.
    ``remove_button`` gets the editor's remove action from the window."""

    editRequested = Signal(object)
    gateGraphRequested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._selection: Selection | None = None
        self._snap: Snapshot | None = None
        self._throttle = Throttle(REFRESH_INTERVAL, self._refresh, self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.units = QSpinBox()
        self.units.setRange(1, edits.MAX_UNITS)
        self.units.setKeyboardTracking(False)
        self.units.setToolTip("Neurons in this layer; new ones start with zero outgoing "
                              "weights, so the trained network is unchanged")
        self.units.valueChanged.connect(self._units_changed)
        self.activation = QComboBox()
        self.activation.activated.connect(self._activation_chosen)
        self.bias = QDoubleSpinBox()
        self.bias.setRange(-BIAS_LIMIT, BIAS_LIMIT)
        self.bias.setDecimals(4)
        self.bias.setSingleStep(0.1)
        self.bias.setKeyboardTracking(False)
        self.bias.setToolTip("This neuron's bias b in z = w·x + b; arrows step by 0.1 and "
                             "apply at once, even while training")
        self.bias.valueChanged.connect(self._bias_changed)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("Units", self.units)
        self.form.addRow("Activation", self.activation)
        self.form.addRow("Bias", self.bias)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.bars = WeightBars()
        self.bars.setToolTip("Incoming weights, one bar each: blue positive, orange negative")
        self.dead = QLabel()
        self.dead.setWordWrap(True)
        self._color_dead()
        self.zeros = QLabel()
        self.zeros.setWordWrap(True)
        self.zeros.setToolTip("L1 regularisation lands a weight whose step would cross zero "
                              "on exactly 0 (thin grey edges); it stays there while the data "
                              "pull on it is weaker than λ")
        self.remove_button = QToolButton()
        self.graph_button = QToolButton()
        self.graph_button.setText("Show as gate graph")
        self.graph_button.setToolTip("This neuron as the lecture's computational graph of gates")
        self.graph_button.clicked.connect(self._gate_graph_clicked)
        buttons = WrapGrid(spacing=(6, 4))  # one above the other in a narrow column
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.graph_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        for widget in (self.title, self.hint):  # the window's column titles it "Inspector"
            layout.addWidget(widget)
        layout.addLayout(self.form)
        for widget in (self.summary, self.bars, self.dead, self.zeros):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._refresh()

    def hideEvent(self, event: QEvent) -> None:
        self._throttle.cancel()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._color_dead()

    def _color_dead(self) -> None:
        """The dead-neuron warning in the view's dark red, lighter on a dark theme."""
        red = DEAD_DARK_THEME if is_dark(self.palette()) else colors.DEAD
        palette = self.dead.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(red))
        self.dead.setPalette(palette)

    # ------------------------------------------------------------ public
    def set_selection(self, selection: Selection | None) -> None:
        self._selection = selection
        self._refresh()

    def show_snapshot(self, snap: Snapshot) -> None:
        reshaped = self._snap is None or snap.shape != self._snap.shape
        self._snap = snap
        if reshaped:
            self._throttle.fire()
        else:
            self._throttle.request()

    # ------------------------------------------------------------- showing
    def _refresh(self) -> None:
        snap, sel = self._snap, self._selection
        if sel is not None and not exists(snap, sel):
            sel = None
        last = len(snap.sizes) - 1 if snap is not None else 0
        hidden = sel is not None and 0 < sel.layer < last
        neuron = sel is not None and sel.index is not None
        rows = {self.units: hidden and not neuron,
                self.activation: sel is not None and sel.layer > 0 and (hidden or not neuron),
                self.bias: neuron and sel.layer > 0}
        for widget, visible in rows.items():
            self.form.setRowVisible(widget, visible)
        self.hint.setVisible(sel is None or sel.layer == 0)
        self.title.setVisible(sel is not None)
        self.summary.setVisible(sel is not None and sel.layer > 0)
        self.bars.setVisible(neuron and sel.layer > 0)
        self.remove_button.setVisible(hidden)
        self.graph_button.setVisible(neuron and sel.layer > 0)
        self.dead.setVisible(False)
        self._show_zeros(snap, sel)
        if sel is None:
            self.hint.setText(HINT)
            return
        if sel.layer == 0:
            self._show_inputs(snap, sel)
        elif neuron:
            self._show_neuron(snap, sel, hidden)
        else:
            self._show_layer(snap, sel, hidden)

    def _show_zeros(self, snap: Snapshot | None, sel: Selection | None) -> None:
        """How many weights are exactly 0: in the network, or into the selected layer or
        neuron."""
        zero = snap is not None and snap.zero_weights > 0
        if zero and sel is not None and sel.layer > 0:
            W = snap.params[weight_key(sel.layer)]
            W = W if sel.index is None else W[:, sel.index]
            self.zeros.setText(f"{int(np.count_nonzero(W == 0))} of {W.size} incoming "
                               "weights are exactly 0")
        elif zero:
            total = sum(w.size for k, w in snap.params.items() if k.startswith("W"))
            self.zeros.setText(f"{snap.zero_weights} of the network's weights are exactly 0 "
                               f"(of {total})")
        self.zeros.setVisible(zero)

    def _show_inputs(self, snap: Snapshot, sel: Selection) -> None:
        if sel.index is None:
            self.title.setText("<b>Input layer</b>")
        else:
            self.title.setText(f"<b>Input {feature_label(snap.features[sel.index])}</b>")
        self.hint.setText("Inputs are the features of each point. Choose them under Input "
                          "features in the data panel; a new one starts with zero weights.")

    def _show_layer(self, snap: Snapshot, sel: Selection, hidden: bool) -> None:
        units = snap.sizes[sel.layer]
        W = snap.params[weight_key(sel.layer)]
        names = snap.activations[sel.layer - 1]
        self.title.setText(f"<b>{'Layer ' + str(sel.layer) if hidden else 'Output layer'}"
                           f"</b> · {units} neuron{'s' if units != 1 else ''}")
        if not self.units.hasFocus():
            with QSignalBlocker(self.units):
                self.units.setMaximum(max(edits.MAX_UNITS, units))
                self.units.setValue(units)
        self._fill_activations(OUTPUT_ACTIVATIONS if not hidden else activations.NAMES,
                               set(names))
        self.activation.setToolTip("Activation of every neuron in this layer" if hidden else
                                   "Output activation (the loss reads its output as scores)")
        self.summary.setText(f"{W.size} incoming weights, mean |w| "
                             f"{float(np.mean(np.abs(W))):.3g}")
        if hidden:
            dead = int(snap.dead[sel.layer - 1].sum()) if snap.dead else 0
            self.dead.setText(f"{dead} dead ReLU neuron{'s' if dead != 1 else ''} (crossed out)")
            self.dead.setVisible(dead > 0)

    def _show_neuron(self, snap: Snapshot, sel: Selection, hidden: bool) -> None:
        layer, index = sel.layer, sel.index
        name = (f"Layer {layer}, neuron {index + 1}" if hidden else f"Output {index + 1}")
        if hidden:
            self.title.setText(f"<b>{name}</b>")
        else:  # what the output column's caption says: the loss's squashing, if it has one
            act = activations.get(snap.activations[layer - 1][index]).label
            squash = {"softmax": "softmax", "bce": "sigmoid"}.get(snap.loss, act)
            self.title.setText(f"<b>{name}</b> · {squash}")
        if hidden:
            self._fill_activations(activations.NAMES, {snap.activations[layer - 1][index]})
            self.activation.setToolTip("This neuron's own activation (the others keep theirs)")
        if not self.bias.hasFocus():
            with QSignalBlocker(self.bias):
                self.bias.setValue(float(snap.params[bias_key(layer)][index]))
        w = snap.params[weight_key(layer)][:, index]
        self.bars.set_weights(w)
        strongest = int(np.argmax(np.abs(w)))
        source = neuron_name(snap, layer - 1, strongest)
        grads = snap.edge_grads.get(weight_key(layer))
        grad = (f"\nmean |∂L/∂w| {float(np.mean(grads[:, index])):.2g}"
                if grads is not None and grads[:, index].any() else "")
        self.summary.setText(f"{len(w)} incoming weight{'s' if len(w) != 1 else ''}: mean |w| "
                             f"{float(np.mean(np.abs(w))):.3g}{grad}\nstrongest "
                             f"{float(w[strongest]):+.3g} from {source}")
        if hidden and snap.dead and snap.dead[layer - 1][index]:
            self.dead.setText("✕ Dead ReLU: it outputs 0 for every training point, so no "
                              "gradient reaches it and training cannot revive it.")
            self.dead.setVisible(True)

    def _fill_activations(self, names: tuple[str, ...], current: set[str]) -> None:
        box = self.activation
        with QSignalBlocker(box):
            if [box.itemData(k) for k in range(box.count())] != list(names):
                box.clear()
                for name in names:
                    box.addItem(activations.get(name).label, name)
            if len(current) == 1:
                box.setCurrentIndex(box.findData(next(iter(current))))
            else:
                box.setCurrentIndex(-1)
                box.setPlaceholderText("mixed")

    # ------------------------------------------------------------- editing
    def _units_changed(self, units: int) -> None:
        sel = self._selection
        if sel is not None and units != self._snap.sizes[sel.layer]:
            self.editRequested.emit(edits.set_units(sel.layer, units))

    def _activation_chosen(self) -> None:
        sel, name = self._selection, self.activation.currentData()
        if sel is None or name is None:
            return
        if sel.layer == len(self._snap.sizes) - 1:
            self.editRequested.emit(edits.set_output_activation(name))
        else:
            self.editRequested.emit(edits.set_activation(sel.layer, name, sel.index))

    def _bias_changed(self, value: float) -> None:
        sel = self._selection
        if sel is None or sel.index is None:
            return
        name = neuron_name(self._snap, sel.layer, sel.index)
        self.editRequested.emit(edits.set_weight(bias_key(sel.layer), (sel.index,), value,
                                                 f"Set bias of {name} to {value:g}"))

    def _gate_graph_clicked(self) -> None:
        sel = self._selection
        if sel is not None and sel.index is not None:
            self.gateGraphRequested.emit(sel.layer, sel.index)
