"""Architecture from the side: one card per hidden layer (units, activation, remove), a button
to add a layer, and the output layer's activation.

Every change is a network edit that keeps the trained weights (the core's surgery); the panel
only says what the user asked for (named for the undo stack) and is rebuilt from the network
it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.app import commands
from playground.app.commands import MAX_LAYERS, MAX_UNITS, Request
from playground.core import activations

OUTPUT_ACTIVATIONS = ("linear", "tanh", "sigmoid")


def _activation_box(names: tuple[str, ...]) -> QComboBox:
    box = QComboBox()
    for name in names:
        box.addItem(activations.get(name).label, name)
    return box


class _LayerCard(QFrame):
    """Units, activation and a remove button for one hidden layer."""

    def __init__(self, index: int, panel: ArchitecturePanel) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.index = index
        title = QLabel(f"<b>Layer {index + 1}</b>")
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
        self.remove.setToolTip(f"Remove layer {index + 1}")
        self.remove.setAccessibleName(f"Remove layer {index + 1}")
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
        self.units.valueChanged.connect(lambda v: panel.request_units(index, v))
        self.activation.activated.connect(lambda: panel.request(
            commands.set_activation(index + 1, self.activation.currentData())))
        self.remove.clicked.connect(lambda: panel.request(commands.remove_layer(index + 1)))

    def show_layer(self, units: int, names: list[str]) -> None:
        blockers = [QSignalBlocker(self.units), QSignalBlocker(self.activation)]
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


class ArchitecturePanel(QWidget):
    """Emits ``editRequested(label, change)``: one surgery to the network and its name."""

    editRequested = Signal(str, object)

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
        self.output.activated.connect(lambda: self.request(
            commands.set_output_activation(self.output.currentData())))
        output_card = QFrame()
        output_card.setFrameShape(QFrame.Shape.StyledPanel)
        output_layout = QVBoxLayout(output_card)
        output_layout.setContentsMargins(6, 4, 6, 4)
        output_layout.setSpacing(2)
        output_layout.addWidget(QLabel("<b>Output</b>"))
        self.output_units = QLabel()
        output_layout.addWidget(self.output_units)
        output_layout.addWidget(self.output)
        strip = QWidget()
        strip_layout = QHBoxLayout(strip)
        strip_layout.setContentsMargins(0, 0, 0, 0)
        strip_layout.addLayout(self._row)
        strip_layout.addWidget(self.add_button)
        strip_layout.addWidget(output_card)
        strip_layout.addStretch(1)
        self._strip = strip
        self._scroll = scroll = QScrollArea()
        scroll.setWidget(strip)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._net_sizes: list[int] = []

    def request(self, request: Request) -> None:
        self.editRequested.emit(*request)

    def request_units(self, index: int, units: int) -> None:
        """Arrows apply at once; typed digits on Enter or focus loss (no keyboard tracking)."""
        if index < len(self._net_sizes) - 2 and units != self._net_sizes[index + 1]:
            self.request(commands.set_units(index + 1, units))

    def _add_layer(self) -> None:
        if len(self._cards) >= MAX_LAYERS:
            return
        index = len(self._cards)
        self.request(commands.insert_layer(index, self._default_activation()))

    def _default_activation(self) -> str:
        if self._cards:
            name = self._cards[-1].activation.currentData()
            if name:
                return name
        return "tanh"

    def show_network(self, sizes: list[int], layer_activations: list[list[str]]) -> None:
        """Rebuild the cards for a network of ``sizes`` (inputs, hidden…, outputs)."""
        self._net_sizes = list(sizes)
        hidden = sizes[1:-1]
        while len(self._cards) > len(hidden):
            self._cards.pop().deleteLater()
        while len(self._cards) < len(hidden):
            card = _LayerCard(len(self._cards), self)
            self._row.addWidget(card)
            self._cards.append(card)
        for card, units, names in zip(self._cards, hidden, layer_activations, strict=False):
            card.show_layer(units, names)
        self.add_button.setEnabled(len(hidden) < MAX_LAYERS)
        bar = self._scroll.horizontalScrollBar().sizeHint().height()
        self._scroll.setFixedHeight(self._strip.sizeHint().height() + bar)
        self.output_units.setText(f"{sizes[-1]} unit{'s' if sizes[-1] != 1 else ''}")
        with QSignalBlocker(self.output):
            self.output.setCurrentIndex(self.output.findData(layer_activations[-1][0]))

    @property
    def cards(self) -> list[_LayerCard]:
        return list(self._cards)
