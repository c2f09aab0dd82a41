"""The Backprop tab's gate-graph explainer: pick a lecture example, type a formula, or take a
neuron from the network, then step through forward and backward one gate at a time.

The graph comes from the core (:mod:`~playground.backprop.lecture`, ``from_expression``, the
neuron graph); the :class:`~playground.backprop.walkthrough.Walkthrough` decides what has been
revealed and states each gate's rule. This widget only turns clicks into steps and shows the
result: the drawing, the rule in words, the steps so far and the numeric check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.app.backprop.check_table import GradientCheckTable
from playground.app.backprop.gate_graph_view import RED, GateGraphView
from playground.app.ui.theme import is_dark
from playground.backprop.expressions import (
    ExpressionError,
    from_expression,
    numeric_gradients,
    variable_names,
)
from playground.backprop.graph import Value
from playground.backprop.lecture import PRESETS, by_key
from playground.backprop.neuron_graph import NeuronGraph, neuron_graph
from playground.backprop.walkthrough import BACKWARD, DONE, FORWARD, Walkthrough, fmt
from playground.core import losses
from playground.core.snapshot import Snapshot
from playground.data import feature_label

PLAY_SPEEDS = {"slow": 1500, "normal": 700, "fast": 250}
"""Milliseconds between two steps while playing."""
OWN = "own"
VALUE_LIMIT = 1e12


class NumberBox(QDoubleSpinBox):
    """A spin box that shows and takes any number as typed (1e-05, 2.5e9, a decimal comma)
    instead of rounding it to a fixed count of decimals."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.setRange(-VALUE_LIMIT, VALUE_LIMIT)
        self.setDecimals(15)
        self.setSingleStep(0.5)
        self.setKeyboardTracking(False)
        self.setValue(value)

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        return float(text.replace("−", "-").replace(",", "."))

    def validate(self, text: str, pos: int) -> object:
        try:
            number = self.valueFromText(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        if abs(number) > VALUE_LIMIT:
            return QValidator.State.Invalid, text, pos
        return QValidator.State.Acceptable, text, pos


@dataclass(frozen=True)
class _Neuron:
    """The neuron being explained: a frozen copy of the network as it was when asked."""

    snap: Snapshot
    layer: int
    index: int


class Explainer(QWidget):
    """Controls on top, the graph on the left, what the current gate does on the right.

    ``neuronUpdateRequested`` asks for the latest snapshot (training moves on meanwhile) to
    be handed to :meth:`update_neuron`.
    """

    neuronUpdateRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.walkthrough: Walkthrough | None = None
        self.neuron_graph: NeuronGraph | None = None
        self._neuron: _Neuron | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_SPEEDS["normal"])
        self._timer.timeout.connect(self._play_step)

        self.example = QComboBox()
        for preset in PRESETS:
            self.example.addItem(preset.title, preset.key)
        self.example.addItem("Your own expression…", OWN)
        self.example.setToolTip("The lecture's worked examples, or a formula of your own")
        self.example.activated.connect(self._example_chosen)
        self.expression = QLineEdit()
        self.expression.setPlaceholderText("a formula, e.g. (x + y) * z — then press Enter")
        self.expression.setToolTip("Numbers, variables, + − * / **, and exp, log, max, min, "
                                   "sigmoid, tanh, relu, abs. Press Enter to draw it.")
        self.expression.returnPressed.connect(self._expression_entered)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self._color_error()
        self.variables = QHBoxLayout()
        self.variables.setSpacing(6)
        self.variables.setContentsMargins(0, 0, 0, 0)
        variables = QWidget()
        variables.setLayout(self.variables)
        self.variables_area = QScrollArea()  # many variables scroll instead of widening
        self.variables_area.setWidget(variables)
        self.variables_area.setWidgetResizable(True)
        self.variables_area.setFrameShape(QFrame.Shape.NoFrame)
        self.variables_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.variables_area.setFixedHeight(self.example.sizeHint().height() + 16)
        self._spins: dict[str, QDoubleSpinBox] = {}
        self.neuron_title = QLabel()
        self.point = QComboBox()
        self.point.setToolTip("The training point the neuron is shown at")
        self.point.setMinimumContentsLength(24)
        self.point.activated.connect(lambda _: self._show_neuron_point())
        self.neuron_row = QWidget()
        row = QHBoxLayout(self.neuron_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.neuron_title)
        row.addWidget(QLabel("at training point"))
        row.addWidget(self.point, 1)
        self.update_button = QToolButton()
        self.update_button.setText("Use current weights")
        self.update_button.setToolTip("The graph is a copy of the network when you opened it; "
                                      "take its weights as they are now")
        self.update_button.clicked.connect(self.neuronUpdateRequested)
        row.addWidget(self.update_button)
        self.neuron_row.hide()

        self.reset_action = self._action("Reset", "R", self.reset,
                                         "Back to the start: only the inputs are known")
        self.forward_action = self._action("Forward ▶", "F", self.step_forward,
                                           "Compute the next gate's output")
        self.backward_action = self._action("◀ Backward", "B", self.step_backward,
                                            "Apply the chain rule at the next gate, output first")
        self.play_action = self._action("Play", "P", self.toggle_play,
                                        "Step through forward, then backward, on its own")
        buttons = QHBoxLayout()
        for action in (self.reset_action, self.forward_action, self.backward_action,
                       self.play_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        self.speed = QComboBox()
        for name, ms in PLAY_SPEEDS.items():
            self.speed.addItem(name, ms)
        self.speed.setCurrentText("normal")
        self.speed.setToolTip("How fast Play steps: slow 1.5 s, normal 0.7 s, fast 0.25 s a gate")
        self.speed.currentIndexChanged.connect(
            lambda: self._timer.setInterval(self.speed.currentData()))
        buttons.addWidget(self.speed)
        self.progress = QLabel()
        buttons.addWidget(self.progress)
        buttons.addStretch(1)

        self.view = GateGraphView()
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.rule.font())
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.rule.setFont(font)
        self.rule.setMinimumHeight(90)
        self.rule.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.steps = QListWidget()
        self.steps.setWordWrap(True)
        self.steps.setToolTip("Every step so far, the latest at the bottom")
        self.check = GradientCheckTable()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        for title, widget, stretch in (("What this gate does", self.rule, 0),
                                       ("Steps so far", self.steps, 1),
                                       ("Numeric check", self.check, 1)):
            heading = QLabel(title)
            bold = QFont(heading.font())
            bold.setBold(True)
            heading.setFont(bold)
            side_layout.addWidget(heading)
            side_layout.addWidget(widget, stretch)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([860, 480])
        self.splitter.setChildrenCollapsible(False)

        top = QHBoxLayout()
        top.addWidget(QLabel("E&xample:", buddy=self.example))
        top.addWidget(self.example)
        top.addWidget(self.expression, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.variables_area)
        layout.addWidget(self.neuron_row)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)
        self.show_preset(PRESETS[0].key)

    def _action(self, text: str, key: str, slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({key})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ------------------------------------------------------------ sources
    def show_preset(self, key: str) -> None:
        """One of the lecture's examples, at its values."""
        preset = by_key(key)
        self._select_example(key)
        self.expression.setText(preset.expression)
        self._show_expression(preset.expression, dict(preset.values), preset.note)

    def show_expression(self, text: str, values: Mapping[str, float] | None = None) -> bool:
        """A formula of the student's; variables without a value start at 1. Returns False
        (and says why, keeping the current graph) when the formula is refused."""
        self._select_example(OWN)
        self.expression.setText(text)
        return self._show_expression(text, dict(values or {}), "")

    def show_neuron(self, snap: Snapshot, layer: int, index: int, point: int = 0) -> None:
        """Neuron ``index`` of ``layer`` (1-based; the outputs are the last layer) as it is
        in ``snap``, at training point ``point``."""
        self._neuron = _Neuron(snap, layer, index)
        with QSignalBlocker(self.point):
            self.point.clear()
            for k, (xy, label) in enumerate(zip(snap.X_train, snap.y_train, strict=True)):
                target = (f"target {fmt(float(label))}" if snap.data.regression
                          else f"class {int(label)}")
                self.point.addItem(f"#{k + 1}  ({fmt(xy[0])}, {fmt(xy[1])})  {target}")
            self.point.setCurrentIndex(min(point, self.point.count() - 1))
        self._show_neuron_point()

    def _show_neuron_point(self) -> None:
        neuron = self._neuron
        snap = neuron.snap
        point = max(self.point.currentIndex(), 0)
        names = ([feature_label(f) for f in snap.features] if neuron.layer == 1
                 else [f"a{j + 1}" for j in range(snap.sizes[neuron.layer - 1])])
        graph = neuron_graph(snap.network(), neuron.layer, neuron.index,
                             snap.train_inputs()[point], snap.y_train[point], names)
        self.neuron_graph = graph
        inputs = ("the inputs x" if neuron.layer == 1 else
                  f"a1…a{len(names)}, what layer {neuron.layer - 1} outputs for this point")
        self.neuron_title.setText(f"<b>{graph.title}</b> at epoch {snap.epoch},")
        loss = losses.get(snap.loss).label
        note = (f"Its inputs are {inputs}; w and b are its weights and bias. Backward starts "
                f"from ∂L/∂output = {fmt(graph.seed)}, what the {loss} (L = {fmt(graph.loss)} "
                "for this point) sends back, so the gradients are this point's share of the "
                "network's.")
        numeric = graph.numeric_grads()
        self._select_example(None)
        self._clear_variables()
        self.expression.clear()
        self.expression.setPlaceholderText("a neuron from the network — pick an example or "
                                           "type a formula to leave it")
        self.neuron_row.show()
        self.variables_area.hide()
        walk = Walkthrough(graph.output, graph.seed, "L", "a → L")
        self._start(walk, numeric, graph.network_grads, note)

    def update_neuron(self, snap: Snapshot) -> bool:
        """The neuron shown, with ``snap``'s weights; refused (saying so) if the network has
        changed shape since, because the same place may now hold another neuron."""
        neuron = self._neuron
        if neuron is None:
            return False
        if snap.shape != neuron.snap.shape:
            self.error.setText("The network has changed shape since this neuron was opened: "
                               "open it again from the network (right-click it ▸ Show as "
                               "gate graph).")
            self.error.show()
            return False
        self.show_neuron(snap, neuron.layer, neuron.index, max(self.point.currentIndex(), 0))
        return True

    def _show_expression(self, text: str, values: dict[str, float], note: str) -> bool:
        try:
            output, inputs = self._parse(text, values)
        except ExpressionError as exc:
            self.error.setText(f"Not drawn: {exc}")
            self.error.show()
            return False
        values = {name: leaf.data for name, leaf in inputs.items()}
        numeric = numeric_gradients(text, values)
        self._neuron = None
        self.neuron_graph = None
        self.neuron_row.hide()
        self.variables_area.show()
        self._show_variables(text, values)
        self._start(Walkthrough(output), numeric, None, note)
        return True

    def _parse(self, text: str, values: dict[str, float]) -> tuple[Value, dict[str, Value]]:
        """Build the graph; a variable without a value gets 1 (the student can change it)."""
        names = variable_names(text)
        return from_expression(text, {name: values.get(name, 1.0) for name in names})

    # ------------------------------------------------------------ stepping
    def _start(self, walk: Walkthrough, numeric: Mapping[str, float],
               network: Mapping[str, float] | None, note: str) -> None:
        self.stop()
        self.error.hide()
        self.walkthrough = walk
        self._note = note
        self.view.show_walkthrough(walk)
        self.check.show_check(walk, numeric, network)
        self._after_step()

    def reset(self) -> None:
        self.stop()
        if self.walkthrough is not None:
            self.walkthrough.reset()
            self._after_step()

    def step_forward(self) -> None:
        if self.walkthrough is not None and self.walkthrough.step_forward() is not None:
            self._after_step()

    def step_backward(self) -> None:
        if self.walkthrough is not None and self.walkthrough.step_backward() is not None:
            self._after_step()

    def toggle_play(self) -> None:
        if self._timer.isActive():
            self.stop()
            return
        if self.walkthrough is None:
            return
        if self.walkthrough.phase == DONE:
            self.walkthrough.reset()
        self._timer.start()
        self.play_action.setText("Pause")
        self._play_step()

    def stop(self) -> None:
        self._timer.stop()
        self.play_action.setText("Play")

    def _play_step(self) -> None:
        if self.walkthrough.step() is None:
            self.stop()
        self._after_step()
        if self.walkthrough.phase == DONE:
            self.stop()

    def _after_step(self) -> None:
        walk = self.walkthrough
        self.view.refresh()
        self.check.refresh()
        if self.steps.count() > len(walk.history):  # reset or a new graph
            self.steps.clear()
        for number in range(self.steps.count(), len(walk.history)):
            step = walk.history[number]
            arrow = "▶" if step.phase == FORWARD else "◀"
            self.steps.addItem(f"{number + 1}. {arrow} {step.text}")
        self.steps.scrollToBottom()
        if walk.history:
            self.rule.setText(walk.history[-1].text)
        else:
            self.rule.setText(self._note or "Press Forward (F) to compute the first gate, or "
                              "Play (P) to watch both passes.")
        total = len(walk.gates)
        done_backward = max(walk.backward_done - 1, 0)
        self.progress.setText(f"forward {walk.forward_done}/{total} · backward "
                              f"{done_backward}/{total}")
        self.forward_action.setEnabled(walk.phase == FORWARD)
        self.backward_action.setEnabled(walk.phase == BACKWARD)
        self.backward_action.setToolTip(
            "Apply the chain rule at the next gate, output first (B)" if walk.phase != FORWARD
            else "Finish the forward pass first: backward needs every gate's value (B)")

    # ------------------------------------------------------------ variables
    def _show_variables(self, text: str, values: dict[str, float]) -> None:
        self._clear_variables()
        for name, value in values.items():
            spin = NumberBox(value)
            spin.setToolTip(f"The value of {name}; change it and the graph starts over")
            spin.valueChanged.connect(lambda _=0.0, t=text: self._variables_changed(t))
            label = QLabel(f"{name} =", buddy=spin)
            self.variables.addWidget(label)
            self.variables.addWidget(spin)
            self._spins[name] = spin
        self.variables.addStretch(1)

    def _clear_variables(self) -> None:
        self._spins.clear()
        while self.variables.count():
            item = self.variables.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _variables_changed(self, text: str) -> None:
        values = {name: spin.value() for name, spin in self._spins.items()}
        key = self.example.currentData()
        note = by_key(key).note if key != OWN and values == dict(by_key(key).values) else ""
        self._show_expression(text, values, note)

    def variable_box(self, name: str) -> NumberBox:
        return self._spins[name]

    # ------------------------------------------------------------ events
    def _example_chosen(self) -> None:
        key = self.example.currentData()
        if key == OWN:
            self.expression.setFocus()
            self.expression.selectAll()
            return
        self.show_preset(key)

    def _expression_entered(self) -> None:
        text = self.expression.text()
        values = {name: spin.value() for name, spin in self._spins.items()}
        self.show_expression(text, values)

    def _select_example(self, key: str | None) -> None:
        with QSignalBlocker(self.example):
            self.example.setCurrentIndex(-1 if key is None else self.example.findData(key))
        if key is not None:
            self.expression.setPlaceholderText("a formula, e.g. (x + y) * z — then press Enter")

    def _color_error(self) -> None:
        palette = self.error.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(RED[is_dark(self.palette())]))
        self.error.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._color_error()

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        self.view.setFocus()  # so F, B, R and P reach this tab's actions

    def hideEvent(self, event: QEvent) -> None:
        self.stop()
        super().hideEvent(event)
