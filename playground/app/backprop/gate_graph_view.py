"""A computational graph drawn as the lecture draws it: inputs on the left, gates as circles
labelled by their op, wires left to right, forward values in green above each wire and
gradients in red below it.

It shows a :class:`~playground.backprop.walkthrough.Walkthrough`: numbers appear as the student
steps, the gate being processed is ringed, and the wires it reads (forward) or feeds
(backward) are drawn bold. Items are built once per graph; a step only changes texts and pens.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from playground.app.ui.colors import mix
from playground.app.ui.theme import is_dark
from playground.backprop.graph import Value
from playground.backprop.graph_layout import layout_graph
from playground.backprop.walkthrough import Walkthrough, expression_of, fmt

COLUMN = 135.0
ROW = 78.0
RADIUS = 21.0
LEAF_W, LEAF_H = 56.0, 30.0
STUB = 70.0
RUN = 0.6  # share of a wire that runs straight into its target, where its labels go
SPREAD = 16.0  # half the gap between a two-input gate's inputs
MAX_SCALE = 1.6
MIN_SCALE = 0.85  # below this the numbers cannot be read: scroll instead
GREEN = {False: "#1a7f37", True: "#56d364"}
RED = {False: "#cf222e", True: "#ff7b72"}
ACCENT = "#e3a008"


class _Label(QGraphicsSimpleTextItem):
    """Text on a plate of the background colour, so a wire passing behind never strikes it."""

    def __init__(self) -> None:
        super().__init__()
        self.background = QColor("white")

    def paint(self, painter: QPainter, option, widget: QWidget | None = None) -> None:
        if self.text():
            painter.fillRect(self.boundingRect().adjusted(-1, 0, 1, 0), self.background)
        super().paint(painter, option, widget)


class _Wire:
    """One wire: a slant out of its source, then a straight run into its target's input,
    where its two labels sit (so wires fanning out of one value never share a label spot)."""

    def __init__(self, scene: QGraphicsScene, start: QPointF, end: QPointF, font: QFont) -> None:
        bend = QPointF(end.x() - min(RUN * (end.x() - start.x()), 96.0), end.y())
        path = QPainterPath(start)
        path.lineTo(bend)
        path.lineTo(end)
        self.line = QGraphicsPathItem(path)
        self.line.setZValue(-1)
        scene.addItem(self.line)
        self.value = _Label()
        self.grad = _Label()
        for label in (self.value, self.grad):
            label.setFont(font)
            scene.addItem(label)
        self.anchor = QPointF((bend.x() + end.x()) / 2, end.y())

    def style(self, line: QColor, width: float, value: QColor, grad: QColor,
              background: QColor) -> None:
        self.line.setPen(QPen(line, width))
        self.value.setBrush(value)
        self.grad.setBrush(grad)
        for label in (self.value, self.grad):
            label.background = background

    def show(self, value: str, grad: str) -> None:
        """Texts centred on the anchor: the value just above the wire, the gradient below."""
        for label, text, above in ((self.value, value, True), (self.grad, grad, False)):
            label.setText(text)
            rect = label.boundingRect()
            y = self.anchor.y() - rect.height() - 1 if above else self.anchor.y() + 1
            label.setPos(self.anchor.x() - rect.width() / 2, y)


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
        self._shapes: dict[int, QGraphicsItem] = {}
        self._totals: list[tuple[Value, QGraphicsSimpleTextItem]] = []
        self._wires: list[tuple[_Wire, Value, Value, int]] = []
        self._stub: _Wire | None = None
        self._output_name: QGraphicsSimpleTextItem | None = None

    # ------------------------------------------------------------ public API
    def show_walkthrough(self, walkthrough: Walkthrough) -> None:
        """Draw a new graph (its forward values hidden until stepped)."""
        self.walkthrough = walkthrough
        scene = self.scene()
        scene.clear()
        self._shapes.clear()
        self._totals.clear()
        self._wires.clear()
        layout = layout_graph(walkthrough.output)
        centres = [QPointF(c * COLUMN, r * ROW) for c, r in zip(layout.columns, layout.rows,
                                                               strict=True)]
        small = QFont(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        formulas: dict[int, str] = {}
        for node, centre in zip(layout.nodes, centres, strict=True):
            self._shapes[id(node)] = self._node_item(node, centre, bold, formulas)
            if not node.op:
                total = QGraphicsSimpleTextItem()
                total.setFont(small)
                scene.addItem(total)
                self._totals.append((node, total))
        for source, target, slot in layout.wires:
            start = self._port(layout.nodes[source], centres[source], out=True)
            end = self._port(layout.nodes[target], centres[target], out=False, slot=slot)
            wire = _Wire(scene, start, end, small)
            self._wires.append((wire, layout.nodes[source], layout.nodes[target], slot))
        out = walkthrough.output
        start = self._port(out, centres[layout.index(out)], out=True)
        self._stub = _Wire(scene, start, start + QPointF(STUB, 0), small)
        self._output_name = scene.addSimpleText(walkthrough.output_label, bold)
        self._output_name.setPos(start + QPointF(STUB + 6, -self._output_name.boundingRect()
                                                 .height() / 2))
        self.refresh()
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
        current = walk.current
        seeding = walk.backward_done == 1  # the last step set the output's gradient
        for node_id, shape in self._shapes.items():
            is_current = current is not None and id(current) == node_id
            pen = QPen(accent if is_current else mix(text, base, 0.35), 3.5 if is_current
                       else 1.4)
            shape.setPen(pen)
            shape.setBrush(QBrush(mix(base, accent, 0.25) if is_current else
                                  mix(base, text, 0.05)))
            for child in shape.childItems():
                child.setBrush(text)
        for wire, source, target, slot in self._wires:
            value = fmt(source.data) if walk.value_known(source) else ""
            grad = walk.wire_grad(target, slot)
            wire.show(value, "" if grad is None else fmt(grad))
            active = current is target and not seeding
            wire.style(accent if active else mix(text, base, 0.45), 2.6 if active else 1.3,
                       green, red, base)
        out = walk.output
        self._stub.show(fmt(out.data) if walk.value_known(out) else "",
                        fmt(out.grad) if walk.grad_known(out) else "")
        self._stub.style(accent if seeding else mix(text, base, 0.45), 2.6 if seeding else 1.3,
                         green, red, base)
        self._output_name.setBrush(text)
        self._follow()
        for node, total in self._totals:
            total.setText(f"∂{walk.output_name}/∂{node.name} = {fmt(node.grad)}"
                          if walk.grad_known(node) else "")
            total.setBrush(red)
            shape = self._shapes[id(node)].sceneBoundingRect()
            total.setPos(shape.center().x() - total.boundingRect().width() / 2,
                         shape.bottom() + 1)

    def shown_texts(self) -> dict[str, list[str]]:
        """What the wires say now: green values and red gradients, in wire order (for tests
        and for reading the picture without looking)."""
        wires = [w for w, *_ in self._wires] + ([self._stub] if self._stub else [])
        return {"values": [w.value.text() for w in wires],
                "grads": [w.grad.text() for w in wires]}

    def node_item(self, node: Value) -> QGraphicsItem:
        return self._shapes[id(node)]

    def total_text(self, node: Value) -> str:
        """The red ∂f/∂x under an input, once its gradient is complete."""
        return next(item.text() for leaf, item in self._totals if leaf is node)

    # --------------------------------------------------------------- drawing
    def _node_item(self, node: Value, centre: QPointF, font: QFont,
                   formulas: dict[int, str]) -> QGraphicsItem:
        if node.op:
            shape = QGraphicsEllipseItem(QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS))
            shape.setToolTip(f"{node.label} gate\ncomputes {expression_of(node, formulas)}\n"
                             f"local gradient{'s' * (len(node.inputs) > 1)}: "
                             f"{', '.join(fmt(g) for g in node.local_grads)}")
        else:
            width = max(LEAF_W, 14 + 9 * len(node.name or ""))
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

    def _fit(self) -> None:
        """The whole graph if it fits at a readable size; else readable, scrolled to follow
        the gate being processed."""
        rect = self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.setSceneRect(rect)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scale = min(max(self.transform().m11(), MIN_SCALE), MAX_SCALE)
        self.resetTransform()
        self.scale(scale, scale)
        self._follow()

    def _follow(self) -> None:
        walk = self.walkthrough
        if walk is not None and walk.current is not None:
            self.ensureVisible(self._shapes[id(walk.current)], 120, 80)

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
            event.accept()
        else:
            super().wheelEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh()
