"""The network picture at the centre of the window: inputs, hidden layers and outputs as
columns of neuron maps, every weight as an edge, dead ReLU neurons crossed out, and a legend.
Editing it is the :class:`~playground.app.network.editor.NetworkEditor`'s job.

It draws from :class:`~playground.core.snapshot.Snapshot` copies only. A snapshot with the same
structure only recolours what exists (maps, edge pens, labels); a new structure rebuilds the
items. Positions come from the viewport size, so the whole network always fits.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from playground.app.network.captions import (
    activation_label,
    column_captions,
    neuron_tooltip,
    output_name,
)
from playground.app.network.edge_item import EdgeItem
from playground.app.network.edge_style import (
    COLOR_BINS,
    edge_legend,
    edge_pens,
    gradient_faint,
    gradient_keys,
    map_legend,
    weight_keys,
)
from playground.app.network.items import DeadMarks, LegendItem, MapLayer, NodeItem
from playground.app.network.layout import Layout, compute_layout
from playground.app.network.maps import column_maps, premultiplied_image
from playground.app.ui.colors import mix
from playground.app.ui.throttle import Throttle
from playground.core.params import weight_key
from playground.core.snapshot import Snapshot
from playground.data import feature_label

EDGE_MODES = ("weight", "gradient")
MAP_INTERVAL = 0.05
"""Seconds between neuron-map refreshes while training (20 Hz is smooth for slow change)."""
PAD = 10.0
MIN_SCENE = (360.0, 240.0)
"""Below this the picture is laid out at this size and scaled down (aspect kept)."""

def structure_key(snap: Snapshot) -> tuple:
    """What decides which items exist; a change rebuilds them instead of recolouring."""
    return snap.shape, snap.loss, snap.data.regression, snap.data.class_names(snap.sizes[-1])


def _cache(item: QGraphicsItem) -> None:
    """Text rarely changes but is slow to draw: keep it as a pixmap between changes."""
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class NetworkView(QGraphicsView):
    """Columns of neuron maps joined by weight edges; hover a neuron to inspect it.

    ``neuronHovered`` sends ``(layer, index)`` (layer 0 = inputs, last = outputs) when the mouse
    enters a neuron and ``None`` when it leaves. ``layoutChanged`` follows every rebuild or
    re-layout (overlays such as the editor's selection move then). ``gateGraphRequested(layer,
    index)`` asks for a neuron's gate graph.
    """

    neuronHovered = Signal(object)
    layoutChanged = Signal()
    gateGraphRequested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setMouseTracking(True)
        self.setMinimumSize(240, 160)
        self._snap: Snapshot | None = None
        self._key: tuple | None = None
        self._layout: Layout | None = None
        self._bottom_h = 0.0
        self._nodes: list[list[NodeItem]] = []
        self._titles: list[tuple[QGraphicsSimpleTextItem, QGraphicsSimpleTextItem]] = []
        self._side: dict[tuple[int, int], QGraphicsSimpleTextItem] = {}
        self._limits: list[np.ndarray] = []
        self._strips: list[tuple[np.ndarray, np.ndarray, int, float]] = []
        self._hovered: NodeItem | None = None
        self._mode = "weight"
        self._pens: list[QPen] = []
        self._grad_range: tuple[float, float] | None = None
        self._max_width = 5.0
        self._edges = EdgeItem()
        self._maps = MapLayer()
        self._dead = DeadMarks()
        self._edge_legend = LegendItem(self.font())
        self._map_legend = LegendItem(self.font())
        self._size_label = QGraphicsSimpleTextItem()
        self._map_throttle = Throttle(MAP_INTERVAL, self._refresh_maps, self)
        self._set_fonts()
        for item in (self._edge_legend, self._map_legend, self._size_label):
            _cache(item)
        for item in (self._edges, self._maps, self._dead, self._edge_legend, self._map_legend,
                     self._size_label):
            scene.addItem(item)
        self._apply_palette()

    # ----------------------------------------------------------- public API
    def show_snapshot(self, snap: Snapshot) -> None:
        """Draw ``snap``: rebuild items if its structure changed, else only recolour."""
        self._snap = snap
        key = structure_key(snap)
        if key != self._key:
            self._rebuild(snap)
            self._key = key
            self._relayout()
            for column in self._nodes:
                for node in column:
                    node.setToolTip(self._tooltip(node.layer, node.index))
        else:
            self._recolor(maps_now=False)

    def set_edge_mode(self, mode: str) -> None:
        """Edges show weights (sign colour, width ∝ |w|) or mean |∂L/∂w| on a log scale."""
        if mode not in EDGE_MODES:
            raise ValueError(f"unknown edge mode {mode!r}; choose one of {', '.join(EDGE_MODES)}")
        if mode != self._mode:
            self._mode = mode
            self._make_pens()
            self._recolor()

    def edge_mode(self) -> str:
        return self._mode

    def snapshot(self) -> Snapshot | None:
        """The snapshot drawn now."""
        return self._snap

    def layout_info(self) -> Layout | None:
        """Node sides and centres (scene coordinates) of the current layout."""
        return self._layout

    def edge_segments(self) -> np.ndarray:
        """(E, 4) scene segments x0 y0 x1 y1, in ``edge_pen``'s order (read-only view)."""
        return self._edges.segments()

    def caption_rect(self, layer: int) -> QRectF:
        """Scene rectangle of a column's title and caption (where a click selects the layer)."""
        title, caption = self._titles[layer]
        return title.sceneBoundingRect().united(caption.sceneBoundingRect())

    def dead_marked(self) -> list[tuple[int, int]]:
        """(layer, index) of the neurons drawn as dead ReLUs."""
        snap = self._snap
        if snap is None:
            return []
        return [(layer + 1, int(i)) for layer, dead in enumerate(snap.dead)
                for i in np.flatnonzero(dead)]

    def node_item(self, layer: int, index: int) -> NodeItem:
        return self._nodes[layer][index]

    def node_center(self, layer: int, index: int) -> QPointF:
        """Centre of a neuron in scene coordinates."""
        return self._nodes[layer][index].pos()

    def column_sizes(self) -> list[int]:
        """Neurons drawn per column, inputs and outputs included."""
        return [len(column) for column in self._nodes]

    def node_map(self, layer: int, index: int) -> QImage | None:
        """The picture drawn for one neuron (its map in a rounded frame)."""
        if layer >= len(self._strips):
            return None
        pixels, offsets, n, dpr = self._strips[layer]
        return premultiplied_image(pixels[offsets[index]:offsets[index] + n], dpr)

    def edge_count(self) -> int:
        return self._edges.count()

    def edge_pen(self, layer: int, i: int, j: int) -> QPen:
        """The pen of the edge from neuron ``i`` of column ``layer`` to ``j`` of the next."""
        sizes = self._snap.sizes
        offset = sum(sizes[k] * sizes[k + 1] for k in range(layer))
        return self._edges.pen_of(offset + i * sizes[layer + 1] + j)

    def edge_item(self) -> EdgeItem:
        return self._edges

    def size_label_text(self) -> str:
        return self._size_label.text()

    def legend_text(self) -> str:
        return f"{self._edge_legend.text()} | {self._map_legend.text()}"

    def layer_caption(self, layer: int) -> str:
        """The small line under a column's title: the activation, "mixed", or the output's."""
        return self._titles[layer][1].text()

    # -------------------------------------------------------------- building
    def _rebuild(self, snap: Snapshot) -> None:
        scene = self.scene()
        if self._hovered is not None:
            self._hovered = None
            self.neuronHovered.emit(None)
        old = [n for column in self._nodes for n in column] + list(self._side.values())
        for item in old + [t for pair in self._titles for t in pair]:
            scene.removeItem(item)
        self._nodes, self._titles, self._side = [], [], {}
        last = len(snap.sizes) - 1
        for layer, n in enumerate(snap.sizes):
            column = [NodeItem(layer, i, self._node_hovered) for i in range(n)]
            for node in column:
                scene.addItem(node)
            self._nodes.append(column)
            title, caption = column_captions(snap, layer)
            pair = (self._text(title, self._bold), self._text(caption, self._font))
            if caption == "mixed":
                pair[1].setToolTip("per neuron: " + ", ".join(
                    activation_label(a) for a in snap.activations[layer - 1]))
            self._titles.append(pair)
        for i, key in enumerate(snap.features):
            self._side[(0, i)] = self._text(feature_label(key), self._font)
        for k in range(snap.sizes[last]):
            self._side[(last, k)] = self._text(output_name(snap, k), self._font)
        self._limits = [np.zeros(n) for n in snap.sizes]
        self._apply_palette()

    def _set_fonts(self) -> None:
        """The widget's font, at least 9 pt so labels stay readable."""
        self._font = QFont(self.font())
        self._font.setPointSizeF(max(9.0, self._font.pointSizeF()))
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._size_label.setFont(self._font)
        self._edge_legend.set_font(self._font)
        self._map_legend.set_font(self._font)

    def _text(self, text: str, font: QFont) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(text)
        item.setFont(font)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        _cache(item)
        self.scene().addItem(item)
        return item

    # ---------------------------------------------------------------- layout
    def _relayout(self) -> None:
        snap = self._snap
        if snap is None:
            return
        vw, vh = max(self.viewport().width(), 1), max(self.viewport().height(), 1)
        width, height = max(float(vw), MIN_SCENE[0]), max(float(vh), MIN_SCENE[1])
        fm = QFontMetricsF(self._font)
        last = len(snap.sizes) - 1
        left = PAD + 8 + max(fm.horizontalAdvance(self._side[(0, i)].text())
                             for i in range(snap.sizes[0]))
        right = PAD + 8 + max(fm.horizontalAdvance(self._side[(last, k)].text())
                              for k in range(snap.sizes[last]))
        top = PAD + 2 * fm.height() + 8
        self._update_legends()
        self._bottom_h = self._place_bottom(width, height, dry_run=True)
        bottom = self._bottom_h + PAD
        layout = compute_layout(snap.sizes, width, height, left=left, right=right, top=top,
                                bottom=bottom)
        self._layout = layout
        self._place_nodes(layout, fm)
        self._place_titles(layout, fm)
        self._place_edges(layout)
        self.scene().setSceneRect(0, 0, width, height)
        scale = min(vw / width, vh / height)
        self.setTransform(QTransform.fromScale(scale, scale))
        self._recolor()
        self.layoutChanged.emit()

    def _place_nodes(self, layout: Layout, fm: QFontMetricsF) -> None:
        for layer, column in enumerate(self._nodes):
            side = layout.size_of(layer)
            show_side = layout.pitches[layer] >= 0.9 * fm.height() and side >= 8
            for i, node in enumerate(column):
                node.set_size(side)
                node.setPos(layout.xs[layer], float(layout.ys[layer][i]))
                label = self._side.get((layer, i))
                if label is None:
                    continue
                label.setVisible(show_side)
                w = fm.horizontalAdvance(label.text())
                x = (layout.xs[layer] - side / 2 - 6 - w if layer == 0
                     else layout.xs[layer] + side / 2 + 6)
                label.setPos(x, float(layout.ys[layer][i]) - fm.height() / 2)

    def _place_titles(self, layout: Layout, fm: QFontMetricsF) -> None:
        bold = QFontMetricsF(self._bold)
        spacing = (layout.xs[-1] - layout.xs[0]) / max(len(layout.xs) - 1, 1)
        for layer, (title, caption) in enumerate(self._titles):
            full = column_captions(self._snap, layer)[0]
            short = {"Input": "In", "Output": "Out"}.get(full, full.replace("Hidden ", "H"))
            title.setText(full if bold.horizontalAdvance(full) + 8 <= spacing else short)
            x = layout.xs[layer]
            title.setPos(x - bold.horizontalAdvance(title.text()) / 2, PAD)
            caption.setPos(x - fm.horizontalAdvance(caption.text()) / 2, PAD + fm.height() + 2)
            caption.setVisible(fm.horizontalAdvance(caption.text()) + 4 <= spacing)

    def _place_bottom(self, width: float, height: float, dry_run: bool = False) -> float:
        """Legends, then the size label in the right corner, flowing along the bottom;
        returns the height they take."""
        items = [(self._edge_legend, self._edge_legend.width()),
                 (self._map_legend, self._map_legend.width()),
                 (self._size_label, self._size_label.boundingRect().width())]
        row_h = max(self._map_legend.height(), self._size_label.boundingRect().height())
        rows: list[list[tuple]] = [[]]
        x = PAD
        for item, w in items:
            if rows[-1] and x + w > width - PAD:
                rows.append([])
                x = PAD
            rows[-1].append((item, x, w))
            x += w + 28
        if not dry_run:
            y0 = height - PAD - len(rows) * row_h
            for r, row in enumerate(rows):
                for item, x, w in row:
                    y = y0 + r * row_h
                    if item is self._size_label:
                        x = width - PAD - w
                        y += (row_h - item.boundingRect().height()) / 2
                    item.setPos(x, y)
        return len(rows) * row_h

    def _place_edges(self, layout: Layout) -> None:
        sizes = self._snap.sizes
        blocks = []
        for layer in range(len(sizes) - 1):
            a, b = sizes[layer], sizes[layer + 1]
            seg = np.empty((a * b, 4))
            seg[:, 0] = layout.xs[layer] + layout.size_of(layer) / 2
            seg[:, 2] = layout.xs[layer + 1] - layout.size_of(layer + 1) / 2
            seg[:, 1] = np.repeat(layout.ys[layer], b)
            seg[:, 3] = np.tile(layout.ys[layer + 1], a)
            blocks.append(seg)
        self._max_width = float(np.clip(layout.node / 8, 1.5, 4.0))
        self._edges.set_geometry(np.concatenate(blocks), [len(block) for block in blocks],
                                 self._max_width)
        self._make_pens()

    # -------------------------------------------------------------- colours
    def _apply_palette(self) -> None:
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        self.setBackgroundBrush(base)
        self._bg, self._fg = base, text
        self._node_border = mix(base, text, 0.45)
        self._node_fill = mix(base, text, 0.06)
        faint = mix(text, base, 0.4)
        for column in self._nodes:
            for node in column:
                node.highlight = pal.color(QPalette.ColorRole.Highlight)
        for title, caption in self._titles:
            title.setBrush(text)
            caption.setBrush(faint)
        for label in self._side.values():
            label.setBrush(text)
        self._size_label.setBrush(faint)
        self._dead.halo = base
        self._dead.update()
        for legend in (self._edge_legend, self._map_legend):
            legend.text_color = text
            legend.update()
        self._make_pens()

    def _make_pens(self) -> None:
        dense = not self._edges.antialias
        self._pens = edge_pens(self._mode, self._bg, self._fg, self._max_width,
                               self._edges.antialias, weakest=0.15 if dense else 0.35)
        faintest = set(range(2) if self._mode == "weight" else  # thinnest, either sign
                       [k for k in range(len(self._pens))  # thinnest or palest
                        if k < COLOR_BINS or k % COLOR_BINS == 0])
        self._edges.set_pens(self._pens, frozenset(faintest if dense else ()))

    def _recolor(self, maps_now: bool = True) -> None:
        """Recolour edges and neuron maps now; during training (``maps_now`` False) a
        network with many edges restyles a gap per frame and maps wait ``MAP_INTERVAL``."""
        snap = self._snap
        if snap is None or self._layout is None:
            return
        size = f"{snap.neurons} neurons, {snap.parameters} parameters"
        if size != self._size_label.text():
            self._size_label.setText(size)
        if maps_now:
            self._map_throttle.fire()
        else:
            self._map_throttle.request()
        weights = [snap.params[weight_key(k)] for k in range(1, len(snap.sizes))]
        if self._mode == "weight":
            keys = weight_keys(weights)
        else:
            grads = [snap.edge_grads.get(weight_key(k), np.zeros_like(w))
                     for k, w in enumerate(weights, start=1)]
            keys, self._grad_range = gradient_keys(grads)
        self._edges.set_styles(keys, spread=not maps_now)
        layout = self._layout
        self._dead.set_marks([(layout.xs[layer], float(layout.ys[layer][i]),
                               layout.size_of(layer)) for layer, i in self.dead_marked()])
        self._update_legends()
        if self._place_bottom(self._layout.width, self._layout.height) != self._bottom_h:
            self._relayout()  # the legend now wraps differently: make room for it
            return
        if self._hovered is not None:
            self._hovered.setToolTip(self._tooltip(self._hovered.layer, self._hovered.index))

    def _update_legends(self) -> None:
        self._map_legend.set_pieces(map_legend())
        self._edge_legend.set_pieces(edge_legend(self._mode, self._grad_range,
                                                 gradient_faint(self._bg, self._fg)))

    def _refresh_maps(self) -> None:
        if self._snap is not None and self._layout is not None:
            self._update_maps(self._snap)

    def _update_maps(self, snap: Snapshot) -> None:
        """Every neuron's map at its node's pixel size, each column stacked into one strip."""
        dpr = self.devicePixelRatioF() * self.transform().m11()
        framed, self._limits = column_maps(snap.grid, snap.sizes, self._layout.sides,
                                           snap.loss, dpr, self._node_fill, self._node_border)
        strips, self._strips = [], []
        for layer, maps in enumerate(framed):
            side = self._layout.size_of(layer)
            n = maps.shape[1]
            top = float(self._layout.ys[layer][0]) - side / 2
            offsets = np.round((self._layout.ys[layer] - side / 2 - top) * dpr).astype(np.intp)
            pixels = np.zeros((offsets[-1] + n, n), dtype=np.uint32)
            pixels[offsets[:, None] + np.arange(n)] = maps
            self._strips.append((pixels, offsets, n, dpr))
            strips.append((QPointF(self._layout.xs[layer] - side / 2, top),
                           premultiplied_image(pixels, dpr)))
        self._maps.set_strips(strips)

    # ------------------------------------------------------------- hovering
    def _tooltip(self, layer: int, index: int) -> str:
        return neuron_tooltip(self._snap, layer, index, float(self._limits[layer][index]))

    def _node_hovered(self, node: NodeItem, entered: bool) -> None:
        if entered:
            self._hovered = node
            node.setToolTip(self._tooltip(node.layer, node.index))
            self.neuronHovered.emit((node.layer, node.index))
        elif self._hovered is node:
            self._hovered = None
            self.neuronHovered.emit(None)

    # ----------------------------------------------------------------- Qt
    def hideEvent(self, event: QEvent) -> None:
        self._map_throttle.cancel()
        super().hideEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
            self._recolor()
        elif event.type() == QEvent.Type.FontChange:
            self._set_fonts()
            self._key = None  # captions and margins depend on the font: rebuild
            if self._snap is not None:
                self.show_snapshot(self._snap)
