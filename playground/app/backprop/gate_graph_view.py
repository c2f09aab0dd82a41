"""A computational graph drawn as the lecture draws it: inputs on the left, gates as circles
labelled by their op, wires left to right, forward values in green above each wire and
gradients in red below it, and a legend that says so.

It shows a :class:`~playground.backprop.walkthrough.Walkthrough`: numbers appear as the student
steps, the gate being processed is ringed, and the wires it reads (forward) or feeds
(backward) are drawn bold. Under a value that feeds several gates, its gradient is summed up
as the lecture's code does it: "dx = 1.58, += −0.0358 → 1.55". In predict-first mode the
number asked for shows as "?". Items are built once per graph; a step only changes texts and
pens.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from playground.app.backprop.graph_items import ACCENT, GREEN, RED, Label, Legend, Wire
from playground.app.ui.colors import mix
from playground.app.ui.theme import is_dark
from playground.backprop import rules
from playground.backprop.graph import Value
from playground.backprop.graph_layout import layout_graph
from playground.backprop.number_format import fmt
from playground.backprop.predict import Question
from playground.backprop.walkthrough import BACKWARD, FORWARD, Walkthrough

__all__ = ["GREEN", "RED", "GateGraphView"]

COLUMN = 150.0
ROW = 84.0
RADIUS = 23.0
LEAF_W, LEAF_H = 60.0, 32.0
STUB = 76.0
SPREAD = 17.0  # half the gap between a two-input gate's inputs
FONT_SCALE = 1.2  # the graph's numbers larger than the window's text …
MAX_SCALE = 1.6
MIN_SCALE = 0.85  # … so that even at the smallest scale they stay above the window's text
# size; below it the view scrolls instead (Z fits the whole graph anyway)
PLACEHOLDER = "−0.0000"  # as wide as a number gets, to reserve room before it is shown


class GateGraphView(QGraphicsView):
    """Draws one walkthrough; call :meth:`refresh` after every step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumSize(320, 200)
        self.walkthrough: Walkthrough | None = None
        self.legend = Legend(self)
        self.legend.move(8, 8)
        self._shapes: dict[int, QGraphicsItem] = {}
        self._sums: list[tuple[Value, Label]] = []
        self._wires: list[tuple[Wire, Value, Value, int]] = []
        self._stub: Wire | None = None
        self._output_name: QGraphicsSimpleTextItem | None = None
        self._captions: list[QGraphicsSimpleTextItem] = []
        self._tips: dict[int, bool] = {}
        self._question: Question | None = None
        self._answered: dict[int | None, float] = {}
        self._fit_all = False
        self.legend.recolor(is_dark(self.palette()))

    # ------------------------------------------------------------ public API
    def show_walkthrough(self, walkthrough: Walkthrough) -> None:
        """Draw a new graph (its forward values hidden until stepped)."""
        self.walkthrough = walkthrough
        self._question, self._answered = None, {}
        scene = self.scene()
        scene.clear()
        self._shapes.clear()
        self._sums.clear()
        self._wires.clear()
        self._captions.clear()
        self._tips.clear()
        layout = layout_graph(walkthrough.output)
        centres = [QPointF(c * COLUMN, r * ROW) for c, r in zip(layout.columns, layout.rows,
                                                               strict=True)]
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * FONT_SCALE)
        bold = QFont(small)
        bold.setBold(True)
        for node, centre in zip(layout.nodes, centres, strict=True):
            self._shapes[id(node)] = self._node_item(node, centre, bold)
            if not node.op or len(walkthrough.consumers[id(node)]) > 1:
                label = Label(small)
                scene.addItem(label)
                self._sums.append((node, label))
            if node.op and node.name and node is not walkthrough.output:
                self._caption(node, centre, small)
        for source, target, slot in layout.wires:
            start = self._port(layout.nodes[source], centres[source], out=True)
            end = self._port(layout.nodes[target], centres[target], out=False, slot=slot)
            circle = (centres[target], RADIUS)
            self._wires.append((Wire(scene, start, end, small, circle), layout.nodes[source],
                                layout.nodes[target], slot))
        out = walkthrough.output
        start = self._port(out, centres[layout.index(out)], out=True)
        self._stub = Wire(scene, start, start + QPointF(STUB, 0), small)
        self._output_name = scene.addSimpleText(walkthrough.output_label, bold)
        self._output_name.setPos(start + QPointF(STUB + 6, -self._output_name.boundingRect()
                                                 .height() / 2))
        self._reserve_room()
        self._fit_all = False
        self.refresh()
        self._fit()

    def set_question(self, question: Question | None,
                     answered: dict[int | None, float] | None = None) -> None:
        """Predict first: mark the number asked for with "?" (and show the numbers of the
        same step already answered); None goes back to plain stepping."""
        self._question, self._answered = question, dict(answered or {})
        self.refresh()

    def fit_all(self) -> None:
        """The whole graph in the view, however small that makes it."""
        self._fit_all = True
        self._fit()

    def refresh(self) -> None:
        """Texts, pens and the highlight for the walkthrough's current state."""
        walk = self.walkthrough
        if walk is None:
            return
        dark = is_dark(self.palette())
        base = self.palette().color(QPalette.ColorRole.Base)
        text = self.palette().color(QPalette.ColorRole.Text)
        green, red, accent = QColor(GREEN[dark]), QColor(RED[dark]), QColor(ACCENT)
        self.setBackgroundBrush(base)
        self.legend.recolor(dark)
        question = self._question
        ring = question.gate if question is not None else walk.current
        seeding = (walk.backward_done == 1 and question is None) or (
            question is not None and walk.phase == BACKWARD and walk.backward_done == 0)
        plain_pen, ring_pen = QPen(mix(text, base, 0.35), 1.4), QPen(accent, 3.5)
        plain_fill, ring_fill = QBrush(mix(base, text, 0.05)), QBrush(mix(base, accent, 0.25))
        for node_id, shape in self._shapes.items():
            is_ring = ring is not None and id(ring) == node_id
            shape.setPen(ring_pen if is_ring else plain_pen)
            shape.setBrush(ring_fill if is_ring else plain_fill)
            for child in shape.childItems():
                child.setBrush(text)
        muted = mix(text, base, 0.4)
        for caption in self._captions:
            caption.setBrush(muted)
        line = mix(text, base, 0.45)
        for wire, source, target, slot in self._wires:
            wire.show(*self._wire_texts(source, target, slot))
            active = ring is target and not seeding
            wire.style(accent if active else line, 2.6 if active else 1.3, green, red, base)
        self._stub.show(*self._stub_texts())
        self._stub.style(accent if seeding else line, 2.6 if seeding else 1.3, green, red, base)
        self._output_name.setBrush(text)
        for node, label in self._sums:
            label.setText(self.sum_text(node))
            label.setBrush(red)
            label.set_background(base)
            self._place_sum(node, label)
        self._set_tooltips()
        self._follow()

    def sum_text(self, node: Value) -> str:
        """What the box under ``node`` says: its gradient collecting, += by += (on two lines,
        "dx = 1.58" over "+= −0.0358 → 1.55"), or done."""
        walk = self.walkthrough
        got = walk.received(node)
        if not got:
            return ""
        name = rules.code_d(walk, node)
        just_now = (walk.history and walk.history[-1].phase == BACKWARD
                    and any(inp is node for inp in walk.current.inputs))
        if len(got) > 1 and just_now:
            return f"{name} = {fmt(sum(got[:-1]))}\n+= {fmt(got[-1])} → {fmt(node.grad)}"
        if walk.grad_known(node):
            return f"{rules.d(walk, node)} = {fmt(node.grad)}"
        return f"{name} = {fmt(node.grad)} so far"

    def shown_texts(self) -> dict[str, list[str]]:
        """What the wires say now: green values and red gradients, in wire order (for tests
        and for reading the picture without looking)."""
        wires = [w for w, *_ in self._wires] + ([self._stub] if self._stub else [])
        return {"values": [w.value.text() for w in wires],
                "grads": [w.grad.text() for w in wires]}

    def node_item(self, node: Value) -> QGraphicsItem:
        return self._shapes[id(node)]

    def total_text(self, node: Value) -> str:
        """The red text under ``node`` (an input, or a value used more than once)."""
        return next(item.text() for leaf, item in self._sums if leaf is node)

    # ----------------------------------------------------------------- texts
    def _wire_texts(self, source: Value, target: Value, slot: int) -> tuple[str, str]:
        walk, question = self.walkthrough, self._question
        value = fmt(source.data) if walk.value_known(source) else ""
        grad = walk.wire_grad(target, slot)
        grad_text = "" if grad is None else fmt(grad)
        if question is not None and walk.phase == FORWARD and source is question.gate:
            value = "?"
        if question is not None and walk.phase == BACKWARD and target is question.gate:
            if slot == question.slot:
                grad_text = "?"
            elif slot in self._answered:
                grad_text = fmt(self._answered[slot])
        return value, grad_text

    def _stub_texts(self) -> tuple[str, str]:
        walk, question = self.walkthrough, self._question
        out = walk.output
        value = fmt(out.data) if walk.value_known(out) else ""
        grad = fmt(out.grad) if walk.grad_known(out) else ""
        if question is not None and question.gate is out and question.slot is None:
            if walk.phase == FORWARD:
                value = "?"
            else:
                grad = "?"
        return value, grad

    def _set_tooltips(self) -> None:
        """A gate's local gradients only once backward has used them: before that they would
        give answers away. Only the tooltips whose state changed are set again."""
        walk = self.walkthrough
        for node in walk.gates:
            known = walk.wire_grad(node, 0) is not None
            if self._tips.get(id(node)) == known:
                continue
            self._tips[id(node)] = known
            tip = f"{node.label} gate\ncomputes {walk.formula(node)}"
            if known:
                locals_ = ", ".join(fmt(g) for g in node.local_grads)
                tip += f"\nlocal gradient{'s' * (len(node.inputs) > 1)}: {locals_}"
            self._shapes[id(node)].setToolTip(tip)

    # --------------------------------------------------------------- drawing
    def _node_item(self, node: Value, centre: QPointF, font: QFont) -> QGraphicsItem:
        if node.op:
            shape = QGraphicsEllipseItem(QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS))
        else:
            width = max(LEAF_W, 16 + 10 * len(node.name or ""))
            shape = QGraphicsRectItem(QRectF(-width / 2, -LEAF_H / 2, width, LEAF_H))
            shape.setToolTip(f"input {node.name} = {fmt(node.data)}")
        label = QGraphicsSimpleTextItem(node.label if node.op else node.name or "", shape)
        label.setFont(font)
        rect = label.boundingRect()
        if node.op and rect.width() > 2 * RADIUS - 6:
            label.setScale((2 * RADIUS - 6) / rect.width())
        label.setPos(-rect.width() * label.scale() / 2, -rect.height() * label.scale() / 2)
        shape.setPos(centre)
        self.scene().addItem(shape)
        return shape

    def _caption(self, gate: Value, centre: QPointF, font: QFont) -> None:
        """A named stage's name above its circle, linking the graph to the code."""
        caption = self.scene().addSimpleText(gate.name, font)
        rect = caption.boundingRect()
        caption.setPos(centre.x() - rect.width() / 2, centre.y() - RADIUS - rect.height())
        self._captions.append(caption)

    def _port(self, node: Value, centre: QPointF, out: bool, slot: int = 0) -> QPointF:
        """Where a wire leaves (right side) or enters (left side; two inputs a label's
        height apart, so their labels stack without touching)."""
        if not node.op:
            half = self._shapes[id(node)].boundingRect().width() / 2
            return centre + QPointF(half if out else -half, 0)
        if out:
            return centre + QPointF(RADIUS, 0)
        dy = 0.0 if len(node.inputs) == 1 else SPREAD * (2 * slot - 1)
        return centre + QPointF(-math.sqrt(RADIUS**2 - dy**2), dy)

    def _place_sum(self, node: Value, label: Label) -> None:
        """Under its node: an input's ends at the box's right edge (it grows to the left, into
        the free margin, never into the labels of the wires leaving the box); a gate's is
        centred."""
        shape = self._shapes[id(node)].sceneBoundingRect()
        width = label.boundingRect().width()
        x = shape.right() - width if not node.op else shape.center().x() - width / 2
        label.setPos(x, shape.bottom() + 1)

    def _reserve_room(self) -> None:
        """Size the scene for the widest texts it will ever hold, so that a label appearing
        later is never cut at the edge (the ∂ of ∂L/∂w1 used to be)."""
        walk = self.walkthrough
        for wire in [w for w, *_ in self._wires] + [self._stub]:
            wire.show(PLACEHOLDER, PLACEHOLDER)
        for node, label in self._sums:
            label.setText(f"{rules.d(walk, node)} = {PLACEHOLDER}\n"
                          f"+= {PLACEHOLDER} → {PLACEHOLDER}")
            self._place_sum(node, label)
        top = self.legend.sizeHint().height() + 8
        rect = self.scene().itemsBoundingRect().adjusted(-16, -16 - top, 16, 16)
        self.setSceneRect(rect)

    def _fit(self) -> None:
        """The whole graph if it fits at a readable size (or always, after "fit to view");
        else readable, scrolled to follow the gate being processed."""
        rect = self.sceneRect()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scale = self.transform().m11()
        if not self._fit_all:
            scale = min(max(scale, MIN_SCALE), MAX_SCALE)
        self.resetTransform()
        self.scale(scale, scale)
        self._follow()

    def _follow(self) -> None:
        walk = self.walkthrough
        ring = self._question.gate if self._question is not None else (
            walk.current if walk is not None else None)
        if ring is not None and not self._fit_all:
            self.ensureVisible(self._shapes[id(ring)], 120, 80)

    # -------------------------------------------------------------------- Qt
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.walkthrough is not None:
            self._fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl + wheel zooms; the wheel alone scrolls a graph too big for the view."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
            self.scale(factor, factor)
            self._fit_all = False
            event.accept()
        else:
            super().wheelEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.legend.recolor(is_dark(self.palette()))
            self.refresh()
