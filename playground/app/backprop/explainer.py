"""The Backprop tab's gate-graph explainer: pick a lecture example, type a formula, or take a
neuron from the network, then step through forward and backward one gate at a time — or
predict each number first.

The graph comes from the core (:mod:`~playground.backprop.lecture`, ``from_expression``, the
neuron graph); the :class:`~playground.backprop.walkthrough.Walkthrough` decides what has been
revealed and states each gate's rule. This widget only turns clicks and keys into steps and
shows the result: the drawing, the rule in words, the lecture's code, the steps so far and the
numeric check, each showing only what has been computed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.app.backprop.gate_graph_view import RED, GateGraphView
from playground.app.backprop.neuron_row import NeuronRow
from playground.app.backprop.number_box import NumberBox
from playground.app.backprop.side_panel import SidePanel
from playground.app.backprop.tab_help import TITLE as HELP_TITLE
from playground.app.backprop.tab_help import show_tab_help
from playground.app.backprop.variables_row import VariablesRow
from playground.app.ui.flow_layout import WrapGrid
from playground.app.ui.theme import is_dark
from playground.backprop.expressions import (
    ExpressionError,
    from_expression,
    numeric_gradients,
    variable_names,
)
from playground.backprop.lecture import PRESETS, by_key
from playground.backprop.neuron_graph import NeuronGraph
from playground.backprop.notes import steps_markdown
from playground.backprop.predict import Quiz
from playground.backprop.walkthrough import BACKWARD, DONE, FORWARD, Walkthrough
from playground.core.snapshot import Snapshot

PLAY_SPEEDS = {"slow": 1500, "normal": 700, "fast": 250}
"""Milliseconds between two steps while playing."""
OWN = "own"
START = "Press Forward (F) to compute the first gate, or Play (P) to watch both passes."


class Explainer(QWidget):
    """Controls on top, the graph on the left, what the current gate does on the right.

    Feed it snapshots with :meth:`show_snapshot` like any other view; "Use current weights"
    then takes the latest one. :attr:`help_action` opens "The Backprop tab explained".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.walkthrough: Walkthrough | None = None
        self.neuron_graph: NeuronGraph | None = None
        self.quiz: Quiz | None = None
        self._snapshot: Snapshot | None = None
        self._title = ""
        self._note = self._intro = ""
        self._numeric: dict[str, float] = {}
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
        self.expression.setToolTip(
            "Numbers, variables, + − * · × / **, and exp, log, max, min, sigmoid, tanh, relu, "
            "abs. Stage it as the lecture does with names: q = x + y; f = q * z. Press Enter "
            "to draw it; the keys then step the graph.")
        self.expression.returnPressed.connect(self._expression_entered)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self._color_error()
        self.variables_area = VariablesRow(self.example.sizeHint().height() + 16)
        self.variables_area.changed.connect(self._variables_changed)
        self.variables_area.done.connect(self.view_focus)
        self.neuron_row = NeuronRow()
        self.neuron_row.hide()
        self.neuron_row.pointChanged.connect(self._show_neuron_point)
        self.neuron_row.updateRequested.connect(self.use_current_weights)
        self.neuron_row.done.connect(self.view_focus)
        self.neuron_title = self.neuron_row.title
        self.point, self.update_button = self.neuron_row.point, self.neuron_row.update_button

        self.reset_action = self._action("Reset", ["R"], self.reset,
                                         "Back to the start: only the inputs are known")
        self.back_action = self._action("◀◀", ["Shift+B", "Shift+F"], self.step_back,
                                        "Take the last step back, to replay it")
        self.forward_action = self._action("Forward ▶", ["F"], self.step_forward,
                                           "Compute the next gate's output")
        self.backward_action = self._action("◀ Backward", ["B"], self.step_backward,
                                            "Apply the chain rule at the next gate, output first")
        self.play_action = self._action("Play", ["P"], self.toggle_play,
                                        "Step through forward, then backward, on its own")
        self.predict_action = self._action("Predict first", [], self.set_predicting,
                                           "Hide each number until you have typed it")
        self.predict_action.setCheckable(True)
        self.fit_action = self._action("Fit to view", ["Z"], self.fit_graph,
                                       "The whole graph in the view, however small")
        self.copy_action = self._action("Copy steps as Markdown", [], self.copy_markdown,
                                        "Both passes, the code and the check, for your notes")
        self.help_action = QAction(HELP_TITLE, self)
        self.help_action.triggered.connect(lambda: show_tab_help(self.window()))

        self.view = GateGraphView()
        self.side = SidePanel()
        self.rule, self.predict, self.code = self.side.rule, self.side.predict, self.side.code
        self.steps, self.check = self.side.steps, self.side.check
        self.predict.changed.connect(self._after_step)
        self.predict.leave.connect(self.view.setFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        top.addWidget(QLabel("E&xample:", buddy=self.example))
        top.addWidget(self.example)
        top.addWidget(self.expression, 1)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.variables_area)
        layout.addWidget(self.neuron_row)
        layout.addWidget(self._button_row())
        layout.addWidget(self._body(), 1)
        self.show_preset(PRESETS[0].key)

    # ------------------------------------------------------------ building
    def _action(self, text: str, keys: list[str], slot: Callable[..., object],
                tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({' or '.join(keys)})" if keys else tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button_row(self) -> QWidget:
        """The stepping controls, wrapped onto a second row when the window is narrow."""
        row = QWidget()
        buttons = WrapGrid(row, spacing=(6, 2))

        def add(action: QAction) -> QToolButton:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
            return button

        for action in (self.reset_action, self.back_action, self.forward_action,
                       self.backward_action, self.play_action):
            add(action)
        self.speed = QComboBox()
        for name, ms in PLAY_SPEEDS.items():
            self.speed.addItem(name, ms)
        self.speed.setCurrentText("normal")
        self.speed.setToolTip("How fast Play steps: slow 1.5 s, normal 0.7 s, fast 0.25 s a gate")
        self.speed.currentIndexChanged.connect(
            lambda: self._timer.setInterval(self.speed.currentData()))
        buttons.addWidget(self.speed)
        add(self.predict_action)
        self.progress = QLabel()
        buttons.addWidget(self.progress)
        add(self.fit_action)
        add(self.copy_action)
        self.notice = QLabel()
        buttons.addWidget(self.notice)
        return row

    def _body(self) -> QSplitter:
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([900, 440])
        self.splitter.setChildrenCollapsible(False)
        return self.splitter

    # ------------------------------------------------------------ sources
    def show_preset(self, key: str) -> None:
        """One of the lecture's examples, at its values."""
        preset = by_key(key)
        self._select_example(key)
        self.expression.setText(preset.expression)
        self._show_expression(preset.expression, dict(preset.values), preset.title,
                              preset.intro, preset.note)

    def show_expression(self, text: str, values: Mapping[str, float] | None = None) -> bool:
        """A formula of the student's; variables without a value start at 1. Returns False
        (and says why, keeping the current graph) when the formula is refused."""
        self._select_example(OWN)
        self.expression.setText(text)
        return self._show_expression(text, dict(values or {}), f"f: {text}", "", "")

    def show_snapshot(self, snap: Snapshot) -> None:
        """Keep the latest snapshot, for "Use current weights"."""
        self._snapshot = snap

    def use_current_weights(self) -> bool:
        """The neuron shown, with the latest snapshot's weights."""
        return self._snapshot is not None and self.update_neuron(self._snapshot)

    def show_neuron(self, snap: Snapshot, layer: int, index: int, point: int = 0) -> None:
        """Neuron ``index`` of ``layer`` as it is in ``snap``, at training point ``point``.

        Layers are numbered as everywhere in the app: 0 the inputs, 1…H the hidden layers,
        H + 1 the outputs, so ``layer`` runs from 1 to H + 1.
        """
        self.neuron_row.open(snap, layer, index, point)
        self._show_neuron_point()

    def _show_neuron_point(self) -> None:
        shown = self.neuron_row.at_point()
        self.neuron_graph = shown.graph
        self._select_example(None)
        self.variables_area.clear()
        self.expression.clear()
        self.expression.setPlaceholderText("a neuron from the network — pick an example or "
                                           "type a formula to leave it")
        self.neuron_row.show()
        self.variables_area.hide()
        self._title = shown.title
        graph = shown.graph
        walk = Walkthrough(graph.output, graph.seed, "L", "a → L")
        self._start(walk, graph.numeric_grads(), graph.network_grads, shown.note, "")

    def update_neuron(self, snap: Snapshot) -> bool:
        """The neuron shown, with ``snap``'s weights; refused (saying so) if the network has
        changed shape since, because the same place may now hold another neuron."""
        neuron = self.neuron_row.neuron
        if neuron is None:
            return False
        if snap.shape != neuron.snap.shape:
            self.error.setText("The network has changed shape since this neuron was opened: "
                               "open it again from the network (right-click it ▸ Show as "
                               "gate graph).")
            self.error.show()
            return False
        self.show_neuron(snap, neuron.layer, neuron.index, self.point.index)
        return True

    def _show_expression(self, text: str, values: dict[str, float], title: str, intro: str,
                         note: str) -> bool:
        try:
            names = variable_names(text)
            output, inputs = from_expression(text, {n: values.get(n, 1.0) for n in names})
        except ExpressionError as exc:
            self.error.setText(f"Not drawn: {exc}")
            self.error.show()
            return False
        order = [n for n in values if n in inputs] + [n for n in inputs if n not in values]
        values = {name: inputs[name].data for name in order}   # x before y, as given
        self.neuron_row.neuron = None
        self.neuron_graph = None
        self.neuron_row.hide()
        self.variables_area.show()
        self.variables_area.set_variables(values)
        self._title = title
        walk = Walkthrough(output, output_name=output.name or "f")
        self._start(walk, numeric_gradients(text, values), None, intro, note)
        return True

    # ------------------------------------------------------------ stepping
    def _start(self, walk: Walkthrough, numeric: Mapping[str, float],
               network: Mapping[str, float] | None, intro: str, note: str) -> None:
        self.stop()
        self.error.hide()
        self.walkthrough = walk
        self._intro, self._note = intro, note
        self._numeric = dict(numeric)
        self.view.show_walkthrough(walk)
        self.code.show_walkthrough(walk)
        self.check.show_check(walk, numeric, network)
        self._new_quiz()
        self._after_step()

    def _new_quiz(self) -> None:
        self.quiz = Quiz(self.walkthrough) if self.predicting else None
        if self.quiz is not None:
            self.predict.start(self.quiz)

    @property
    def predicting(self) -> bool:
        return self.predict_action.isChecked()

    def set_predicting(self, on: bool) -> None:
        """Predict first on or off; the walkthrough goes on from where it is."""
        with QSignalBlocker(self.predict_action):
            self.predict_action.setChecked(on)
        self.stop()
        self.predict.setVisible(on)
        self.side.make_room(on)
        if self.walkthrough is not None:
            self._new_quiz()
            self._after_step()
        if on:
            self.predict.answer.setFocus()

    def reset(self) -> None:
        self.stop()
        if self.walkthrough is not None:
            self.walkthrough.reset()
            self._new_quiz()
            self._after_step()

    def step_forward(self) -> None:
        if self._stepping() and self.walkthrough.step_forward() is not None:
            self._after_step()

    def step_backward(self) -> None:
        if self._stepping() and self.walkthrough.step_backward() is not None:
            self._after_step()

    def step_back(self) -> None:
        """Undo the latest step (in predict-first mode it is asked again)."""
        if self.walkthrough is not None and self.walkthrough.step_back():
            self._after_step()

    def _stepping(self) -> bool:
        return self.walkthrough is not None and not self.predicting

    def toggle_play(self) -> None:
        if self._timer.isActive():
            self.stop()
            return
        if not self._stepping():
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
        quiz = self.quiz if self.predicting else None
        if quiz is not None:
            quiz.take_unasked()  # a neuron's seed comes from the loss: nothing to predict
            self.view.set_question(quiz.question(), quiz.answered())
            self.predict.refresh()
        else:
            self.view.set_question(None)
        self.check.refresh()
        self.code.refresh(ahead=quiz is not None)
        if self.steps.count() > len(walk.history):  # a step back, a reset or a new graph
            self.steps.clear()
        for number in range(self.steps.count(), len(walk.history)):
            step = walk.history[number]
            arrow = "▶" if step.phase == FORWARD else "◀"
            self.steps.addItem(f"{number + 1}. {arrow} {step.text}")
        self.steps.scrollToBottom()
        self.rule.setText(self._rule_text())
        self.notice.clear()
        total = len(walk.gates)
        self.progress.setText(f"forward {walk.forward_done}/{total} · backward "
                              f"{max(walk.backward_done - 1, 0)}/{total}")
        self.forward_action.setEnabled(walk.phase == FORWARD and quiz is None)
        self.backward_action.setEnabled(walk.phase == BACKWARD and quiz is None)
        self.play_action.setEnabled(quiz is None)
        self.back_action.setEnabled(bool(walk.history))
        self.backward_action.setToolTip(
            "Apply the chain rule at the next gate, output first (B)" if walk.phase != FORWARD
            else "Finish the forward pass first: backward needs every gate's value (B)")
        if quiz is not None and quiz.question() is not None and self.isVisible():
            self.predict.answer.setFocus()

    def _rule_text(self) -> str:
        walk = self.walkthrough
        if not walk.history:
            start = "Type each number before it is shown." if self.predicting else START
            return self._intro or start
        text = walk.history[-1].text
        if walk.phase == DONE and self._note:
            text += f"\n\nBoth passes done. {self._note}"
        return text

    # ------------------------------------------------------------ view and notes
    def fit_graph(self) -> None:
        self.view.fit_all()

    def view_focus(self) -> None:
        """Give the keys back to the graph, so F, B, P, R and the window's Space work."""
        self.view.setFocus()

    def markdown(self) -> str:
        """The whole walkthrough as Markdown (see :func:`steps_markdown`)."""
        return steps_markdown(self.walkthrough, self._title, self._numeric)

    def copy_markdown(self) -> None:
        if self.walkthrough is None:
            return
        QGuiApplication.clipboard().setText(self.markdown())
        self.notice.setText(f"Copied {self.walkthrough.total_steps} steps as Markdown")

    # ------------------------------------------------------------ variables
    def _variables_changed(self) -> None:
        text, values = self.expression.text(), self.variables_area.values()
        key = self.example.currentData()
        if key not in (None, OWN) and values == dict(by_key(key).values):
            preset = by_key(key)
            self._show_expression(text, values, preset.title, preset.intro, preset.note)
        else:
            self._show_expression(text, values, f"f: {text}", "", "")

    def variable_box(self, name: str) -> NumberBox:
        return self.variables_area.box(name)

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
        if self.show_expression(text, self.variables_area.values()):
            self.view_focus()

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
            self.code.refresh()

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        if self.predicting:
            self.predict.answer.setFocus()
        else:
            self.view.setFocus()  # so F, B, R and P reach this tab's actions

    def hideEvent(self, event: QEvent) -> None:
        self.stop()
        super().hideEvent(event)

