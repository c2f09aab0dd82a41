"""The row above the graph when a neuron of the network is shown: which neuron, at which
training point, and a button to take the network's weights again as training moves on."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from playground.app.backprop.point_picker import PointPicker
from playground.backprop.neuron_graph import NeuronGraph, neuron_graph
from playground.backprop.number_format import fmt
from playground.core import losses
from playground.core.snapshot import Snapshot
from playground.data import feature_label


@dataclass(frozen=True)
class OpenNeuron:
    """The neuron being explained: a frozen copy of the network as it was when asked.
    ``layer`` counts as everywhere in the app: 0 the inputs, 1…H hidden, H + 1 the outputs."""

    snap: Snapshot
    layer: int
    index: int


@dataclass(frozen=True)
class NeuronAtPoint:
    """The neuron's graph at the chosen point, and what to say about it."""

    graph: NeuronGraph
    note: str
    title: str


class NeuronRow(QWidget):
    """``pointChanged`` when another point is picked, ``updateRequested`` for the button,
    ``done`` when Enter in the point's number hands the keys back."""

    pointChanged = Signal()
    updateRequested = Signal()
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.neuron: OpenNeuron | None = None
        self.title = QLabel()
        self.point = PointPicker()
        self.point.pointChanged.connect(lambda _: self.pointChanged.emit())
        self.point.done.connect(self.done)
        self.update_button = QToolButton()
        self.update_button.setText("Use current weights")
        self.update_button.setToolTip("The graph is a copy of the network when you opened it; "
                                      "take its weights as they are now")
        self.update_button.clicked.connect(self.updateRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.title)
        row.addWidget(QLabel("at training point"))
        row.addWidget(self.point, 1)
        row.addWidget(self.update_button)

    def open(self, snap: Snapshot, layer: int, index: int, point: int) -> None:
        """Neuron ``index`` of ``layer`` in ``snap``, the picker at training point ``point``."""
        self.neuron = OpenNeuron(snap, layer, index)
        if snap.data.regression:
            labels = [f"target {fmt(float(v))}" for v in snap.y_train]
        else:
            labels = [f"class {int(v)}" for v in snap.y_train]
        self.point.set_points(snap.X_train, labels, point)

    def at_point(self) -> NeuronAtPoint:
        """The open neuron's graph at the picked point."""
        neuron = self.neuron
        snap, point = neuron.snap, self.point.index
        names = ([feature_label(f) for f in snap.features] if neuron.layer == 1
                 else [f"a{j + 1}" for j in range(snap.sizes[neuron.layer - 1])])
        graph = neuron_graph(snap.network(), neuron.layer, neuron.index,
                             snap.train_inputs()[point], snap.y_train[point], names)
        inputs = ("the inputs x" if neuron.layer == 1 else
                  f"a1…a{len(names)}, what layer {neuron.layer - 1} outputs for this point")
        self.title.setText(f"<b>{graph.title}</b> at epoch {snap.epoch},")
        loss = losses.get(snap.loss).label
        note = (f"Its inputs are {inputs}; w and b are its weights and bias. Backward starts "
                f"from ∂L/∂output = {fmt(graph.seed)}, what the {loss} (L = {fmt(graph.loss)} "
                "for this point) sends back, so the gradients are this point's share of the "
                "network's.")
        title = f"{graph.title} at training point #{point + 1}, epoch {snap.epoch}"
        return NeuronAtPoint(graph, note, title)
