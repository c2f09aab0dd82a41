"""Architecture from the side: one card per hidden layer (units, activation, remove), a button
to add a layer, and the output layer's activation.

Every change is a network edit that keeps the trained weights (the core's surgery); the panel
only says what the user asked for, as a :class:`~playground.core.edits.Request`, and is
rebuilt from the snapshots it is shown when the network's shape changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core import activations, edits
from playground.core.edits import MAX_LAYERS, MAX_UNITS
from playground.core.snapshot import Shape, Snapshot

OUTPUT_ACTIVATIONS = ("linear", "tanh", "sigmoid")


def _activation_box(names: tuple[str, ...]) -> QComboBox:
    box = QComboBox()
    for name in names:
        box.addItem(activations.get(name).label, name)
    return box


class _LayerCard(QFrame):
    """Units, activation and a remove button for the hidden layer in ``column``."""

    def __init__(self, column: int, panel: ArchitecturePanel) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.column = column
        title = QLabel(f"<b>Layer {column}</b>")
        self.units = QSpinBox()
        self.units.setRange(1, MAX_UNITS)
        self.units.setSuffix(" units")
        self.units.setKeyboardTracking(False)
        self.units.setToolTip("Neurons in this layer; new ones start with zero outgoing "
                              "weights, so the trained network is unchanged")
        self.activation = _activation_box(activations.NAMES)
        self.activation.setToolTip("Activation of every neuron in this layer")
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip(f"Remove layer {column}")
        self.remove.setAccessibleName(f"Remove layer {column}")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.units)
        layout.addWidget(self.activation)
        self.units.valueChanged.connect(lambda v: panel.request_units(column, v))
        self.activation.activated.connect(lambda: panel.editRequested.emit(
            edits.set_activation(column, self.activation.currentData())))
        self.remove.clicked.connect(lambda: panel.editRequested.emit(edits.remove_layer(column)))

    def show_layer(self, units: int, names: list[str]) -> None:
        blockers = [QSignalBlocker(self.units), QSignalBlocker(self.activation)]
        self.units.setMaximum(max(MAX_UNITS, units))  # a lesson's layer may be wider
        self.units.setValue(units)
        if len(set(names)) == 1:
            self.activation.setCurrentIndex(self.activation.findData(names[0]))
            self.activation.setToolTip("Activation of every neuron in this layer")
        else:
            self.activation.setCurrentIndex(-1)
            self.activation.setPlaceholderText("mixed")
            self.activation.setToolTip("Neurons use different activations: "
                                       + ", ".join(sorted(set(names))))
        del blockers


class _CardScroll(QScrollArea):
    """The layer cards' row: as wide as all the cards when there is room, down to one card
    (then it scrolls sideways). It asks for a new width whenever the cards change."""

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        return QSize(self.widget().sizeHint().width(), super().sizeHint().height())


class ArchitecturePanel(QWidget):
    """Emits ``editRequested(Request)``: one edit of the network."""

    editRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: list[_LayerCard] = []
        self._row = QHBoxLayout()
        self._row.setSpacing(6)
        self.add_button = QToolButton()
        self.add_button.setText("＋ Layer")
        self.add_button.setToolTip("Add a hidden layer after the last one; it starts as a "
                                   "pass-through so the network keeps what it learned")
        self.add_button.clicked.connect(self._add_layer)
        self.output = _activation_box(OUTPUT_ACTIVATIONS)
        self.output.setToolTip("Output layer activation (tanh with mean squared error is "
                               "TF Playground's setting)")
        self.output.activated.connect(lambda: self.editRequested.emit(
            edits.set_output_activation(self.output.currentData())))
        output_card = QFrame()
        output_card.setFrameShape(QFrame.Shape.StyledPanel)
        output_layout = QVBoxLayout(output_card)
        output_layout.setContentsMargins(6, 4, 6, 4)
        output_layout.setSpacing(2)
        output_layout.addWidget(QLabel("<b>Output</b>"))
        self.output_units = QLabel()
        output_layout.addWidget(self.output_units)
        output_layout.addWidget(self.output)
        self.output_card = output_card
        strip = QWidget()
        strip_layout = QHBoxLayout(strip)
        strip_layout.setContentsMargins(0, 0, 0, 0)
        strip_layout.addLayout(self._row)
        strip_layout.addStretch(1)
        self._scroll = scroll = _CardScroll()
        scroll.setWidget(strip)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._strip = strip
        layout = QHBoxLayout(self)  # the layer cards scroll; + Layer and Output never do
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(scroll)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(output_card, 0, Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)
        self._net_sizes: list[int] = []
        self._shape: Shape | None = None

    def request_units(self, column: int, units: int) -> None:
        """Arrows apply at once; typed digits on Enter or focus loss (no keyboard tracking)."""
        if column < len(self._net_sizes) - 1 and units != self._net_sizes[column]:
            self.editRequested.emit(edits.set_units(column, units))

    def _add_layer(self) -> None:
        if len(self._cards) >= MAX_LAYERS:
            return
        column = len(self._cards) + 1
        self.editRequested.emit(edits.insert_layer(column, self._default_activation()))

    def _default_activation(self) -> str:
        if self._cards:
            name = self._cards[-1].activation.currentData()
            if name:
                return name
        return "tanh"

    def show_snapshot(self, snap: Snapshot) -> None:
        """Rebuild the cards when the network's shape changed."""
        if snap.shape != self._shape:
            self._shape = snap.shape
            self.show_network(list(snap.sizes), [list(a) for a in snap.activations])

    def show_network(self, sizes: list[int], layer_activations: list[list[str]]) -> None:
        """Rebuild the cards for a network of ``sizes`` (inputs, hidden…, outputs)."""
        self._net_sizes = list(sizes)
        hidden = sizes[1:-1]
        while len(self._cards) > len(hidden):
            self._cards.pop().deleteLater()
        while len(self._cards) < len(hidden):
            card = _LayerCard(len(self._cards) + 1, self)
            self._row.addWidget(card)
            self._cards.append(card)
        for card, units, names in zip(self._cards, hidden, layer_activations, strict=False):
            card.show_layer(units, names)
        self.add_button.setEnabled(len(hidden) < MAX_LAYERS)
        self._fit_height()
        self.output_units.setText(f"{sizes[-1]} unit{'s' if sizes[-1] != 1 else ''}")
        with QSignalBlocker(self.output):
            self.output.setCurrentIndex(self.output.findData(layer_activations[-1][0]))

    def _fit_height(self) -> None:
        """One height whatever the network or dataset: a card's, plus room for the scroll
        bar the cards get when they outgrow the row (a moving network view is hard to click)."""
        probe = _LayerCard(1, self)
        card = max(probe.sizeHint().height(), self.output_card.sizeHint().height())
        probe.deleteLater()
        for each in (*self._cards, self.output_card):
            each.setFixedHeight(card)
        self._scroll.setMinimumWidth(min(probe.sizeHint().width(), 160))
        bar = self._scroll.horizontalScrollBar().sizeHint().height()
        self._scroll.setFixedHeight(card + bar)
        self.setFixedHeight(card + bar)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()

    @property
    def cards(self) -> list[_LayerCard]:
        return list(self._cards)
