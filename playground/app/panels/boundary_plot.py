"""The decision boundary (or one neuron's map) over the data, with the points on top.

One ``ImageItem`` shows ``snap.grid`` coloured with the shared maps of :mod:`colors`; two
``ScatterPlotItem`` hold the training and test points, whose brushes are rebuilt only when
the data change (``snap.data_version``), never per frame. Of a large point set (a CSV file of
100,000 rows) a fixed random sample of :data:`MAX_SHOWN` points is drawn. A legend names the
classes when they have names (a CSV file's labels). The mouse is a :class:`PlotCanvas`: it
draws the user's points, or opens a training point's gate graph on a double-click.
"""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtCore import QRectF, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

import pyqtgraph as pg  # isort: skip  (after PySide6 so pyqtgraph binds to it)

from playground.app.panels.draw_tools import DrawTools
from playground.app.panels.metric_plots import ThemedPlot
from playground.app.panels.plot_canvas import PlotCanvas
from playground.app.ui import colors
from playground.core.snapshot import Snapshot

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)

STRENGTH = 0.75
"""How far the background leans toward a full colour (as ``colors.class_argb``): paler than
the points, so they stand out."""
POINT_SIZE = 8
CROWDED = 800             # more points than this are drawn 2 px smaller
REGRESSION_STEPS = 4      # colour bands of a discretized regression map
POINT_STEPS = 16          # colour levels for points coloured by value (keeps brushes few)
MAX_SHOWN = 2500
"""At most this many points are drawn (a fixed random sample of larger sets): beyond it the
plot shows no more, and each redraw of a 100,000-point set would cost a frame."""
PICK_PIXELS = 10          # a double-click this close to a training point opens it
_RGBA_ORDER = [2, 1, 0, 3] if sys.byteorder == "little" else [1, 2, 3, 0]


def rgba_pixels(argb: np.ndarray) -> np.ndarray:
    """(h, w) packed ARGB32 as an (h, w, 4) uint8 RGBA array, which ImageItem shows directly."""
    argb = np.ascontiguousarray(argb, dtype=np.uint32)
    return np.ascontiguousarray(argb.view(np.uint8).reshape(*argb.shape, 4)[..., _RGBA_ORDER])


def ramp_argb(values: np.ndarray, color: QColor) -> np.ndarray:
    """Packed ARGB32 from white (0) to ``color`` (1): a probability of one class."""
    white, target = colors.rgb(colors.NEUTRAL), colors.rgb(color.name())
    t = np.clip(np.nan_to_num(values), 0.0, 1.0)[..., None] * STRENGTH
    pixel = np.round(white + (target - white) * t).astype(np.uint32)
    return 0xFF000000 | (pixel[..., 0] << 16) | (pixel[..., 1] << 8) | pixel[..., 2]


def _softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - np.nan_to_num(scores).max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _max_abs(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.abs(finite).max()) if finite.size else 1.0


class BoundaryPlot(QWidget):
    """A square plot over ``snap.data.bounds``: the boundary image, training points (filled,
    white rim) and test points (white with a coloured ring; for regression, filled with a dark
    rim, since a ring the colour of a value near 0 would vanish).

    Signals: ``pointsEdited(op, args)`` a change of the user's points drawn with ``tools``
    (for the session's ``edit_points``); ``pointActivated(index)`` a training point
    double-clicked while not drawing.
    """

    pointsEdited = Signal(str, dict)
    pointActivated = Signal(int)

    def __init__(self, tools: DrawTools | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 220)
        self.plot = ThemedPlot(self)
        item = self.plot.plotItem
        item.setLabel("bottom", "x₁")
        item.setLabel("left", "x₂")
        view = item.getViewBox()
        view.setMouseEnabled(x=False, y=False)   # the map only exists inside the bounds
        view.disableAutoRange()
        self.image_item = pg.ImageItem()
        self.train_scatter = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True)
        self.test_scatter = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True)
        for it in (self.image_item, self.train_scatter, self.test_scatter):
            item.addItem(it)
        self.test_scatter.setZValue(2)
        self.train_scatter.setZValue(1)
        self.plot.set_title("Decision boundary")
        self.plot.setToolTip("What the network predicts at every point of the plane. White-rimmed "
                             "dots are training points, ringed (or dark-rimmed) dots test points."
                             " Hover a neuron in the network to see its own map here. "
                             "Double-click a training point to see the selected neuron (or the "
                             "first output) as a gate graph at that point. Draw points turns "
                             "the plot into a canvas for your own points.")
        self.legend = pg.LegendItem(offset=(-6, 6), labelTextSize="8pt", verSpacing=-6,
                                    brush=pg.mkBrush(255, 255, 255, 200))
        self.legend.setParentItem(view)
        self.legend.hide()
        self._legend_names: tuple[str, ...] = ()
        self._train_shown: np.ndarray | None = None
        self.tools = tools or DrawTools()
        self.canvas = PlotCanvas(self.plot, self.tools)
        self.canvas.pointsEdited.connect(self.pointsEdited)
        self.canvas.doubleClicked.connect(self._double_clicked)
        self._snap: Snapshot | None = None
        self._points_key: tuple | None = None
        self._bounds: tuple[float, ...] | None = None
        self._target_limit = 1.0
        self._image_key: tuple | None = None
        self._drawn_grid = None
        self._neuron: tuple[int, int] | None = None
        self._discretize = False
        self._brushes: dict[int, QBrush] = {}
        self._pens: dict[int, QPen] = {}
        self._rim = pg.mkPen(255, 255, 255, 230, width=1.2)
        self._dark_rim = pg.mkPen(40, 40, 40, 130, width=1.0)
        # axis widths follow their tick labels, so refit (once, after the layout settles)
        self._fit_timer = QTimer(self, singleShot=True, interval=0, timeout=self._fit)
        view.sigResized.connect(self._fit_timer.start)

    # ------------------------------------------------------------ public
    @property
    def title(self) -> str | None:
        return self.plot.title

    @property
    def snapshot(self) -> Snapshot | None:
        return self._snap

    def set_show_test(self, on: bool) -> None:
        self.test_scatter.setVisible(on)

    def set_discretize(self, on: bool) -> None:
        self._discretize = on
        self._draw_image()

    def show_neuron(self, layer: int | None, index: int | None = None) -> None:
        """Show one neuron's map (layer 0 = inputs, last layer = outputs); None: the boundary."""
        self._neuron = None if layer is None or index is None else (int(layer), int(index))
        self._draw_image()

    def show_snapshot(self, snap: Snapshot) -> None:
        self._snap = snap
        # the arrays' identity too: a new Session (an opened project) starts at version 0 again
        key = (snap.data_version, id(snap.X_train), id(snap.X_test), snap.data.bounds)
        if key != self._points_key:
            self._points_key = key
            self._set_points(snap)
        if snap.grid is not self._drawn_grid:  # the window reuses a grid between evaluations
            self._draw_image()

    # ------------------------------------------------------------ points
    def _brush(self, argb: int) -> QBrush:
        brush = self._brushes.get(argb)
        if brush is None:
            brush = self._brushes[argb] = QBrush(QColor.fromRgba(argb))
        return brush

    def _pen(self, argb: int) -> QPen:
        pen = self._pens.get(argb)
        if pen is None:
            pen = self._pens[argb] = pg.mkPen(QColor.fromRgba(argb), width=2.2)
        return pen

    def _point_argb(self, snap: Snapshot, y: np.ndarray) -> np.ndarray:
        if snap.data.regression:
            return colors.diverging_argb(y.astype(float), self._target_limit, steps=POINT_STEPS)
        table = np.array([colors.class_color(k).rgba() for k in range(len(colors.CLASS_COLORS))],
                         dtype=np.uint32)
        return table[y.astype(np.intp) % len(table)]

    def _set_points(self, snap: Snapshot) -> None:
        bounds = tuple(float(b) for b in snap.data.bounds)
        if bounds != self._bounds:
            self._bounds = bounds
            x0, x1, y0, y1 = bounds
            self.plot.plotItem.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1),
                                                     padding=0.0)
        targets = [snap.y_train] + ([snap.y_test] if snap.y_test is not None else [])
        if snap.data.regression:
            self._target_limit = max(_max_abs(np.concatenate(targets).astype(float)), 1e-6)
        has_test = snap.X_test is not None and len(snap.X_test) > 0
        n_train, n_test = len(snap.X_train), len(snap.X_test) if has_test else 0
        count = n_train + n_test
        size = POINT_SIZE if count <= CROWDED else POINT_SIZE - 2
        shown_train, shown_test = _sample(n_train, n_test)
        self._train_shown = shown_train
        X_train, y_train = snap.X_train[shown_train], snap.y_train[shown_train]
        train = self._point_argb(snap, y_train)
        self.train_scatter.setData(pos=X_train, brush=[self._brush(c) for c in train],
                                   pen=self._rim, size=size)
        self._show_legend(snap)
        if not has_test:
            self.test_scatter.setData([], [])
            return
        X_test, y_test = snap.X_test[shown_test], snap.y_test[shown_test]
        test = self._point_argb(snap, y_test)
        if snap.data.regression:
            # a ring coloured by a value near 0 would be white on white: fill, dark rim
            self.test_scatter.setData(pos=X_test, brush=[self._brush(c) for c in test],
                                      pen=self._dark_rim, size=size)
        else:
            self.test_scatter.setData(pos=X_test, brush=self._brush(0xFFFFFFFF),
                                      pen=[self._pen(c) for c in test], size=size)

    def shown_points(self) -> int:
        """How many points the plot draws (at most :data:`MAX_SHOWN`)."""
        return len(self.train_scatter.data) + len(self.test_scatter.data)

    def _show_legend(self, snap: Snapshot) -> None:
        """Class names and colours, when the classes have names of their own."""
        data = snap.data
        names = () if data.regression or data.custom is None or data.dataset != "custom" \
            else data.custom.class_names
        if names == self._legend_names:
            return
        self._legend_names = names
        self.legend.clear()
        for k, name in enumerate(names):
            sample = pg.ScatterPlotItem(size=POINT_SIZE, pen=self._rim,
                                        brush=self._brush(colors.class_color(k).rgba()))
            self.legend.addItem(sample, name)
        self.legend.setVisible(bool(names))

    def legend_names(self) -> tuple[str, ...]:
        return self._legend_names

    # ------------------------------------------------------------- mouse
    def _double_clicked(self, x: float, y: float) -> None:
        """Open the training point nearest to the double-click, if one is close enough."""
        snap = self._snap
        if snap is None or self._train_shown is None or not len(self._train_shown):
            return
        candidates = snap.X_train[self._train_shown]
        view = self.plot.plotItem.getViewBox()
        (x0, x1), _ = view.viewRange()
        per_pixel = (x1 - x0) / max(1.0, view.width())
        distance = np.hypot(candidates[:, 0] - x, candidates[:, 1] - y)
        nearest = int(np.argmin(distance))
        if distance[nearest] <= PICK_PIXELS * per_pixel:
            self.pointActivated.emit(int(self._train_shown[nearest]))

    # ------------------------------------------------------------- image
    def _draw_image(self) -> None:
        snap = self._snap
        if snap is None or snap.grid is None:
            return
        neuron = self._neuron_map(snap) if self._neuron is not None else None
        if neuron is None:
            argb, title = self._boundary_map(snap)
        else:
            argb, title = neuron
        self._drawn_grid = snap.grid
        self.image_item.setImage(rgba_pixels(argb), autoLevels=False)
        key = (snap.grid.bounds, argb.shape)
        if key != self._image_key:   # the rect scales pixels, so it follows the image size
            self._image_key = key
            x0, x1, y0, y1 = snap.grid.bounds
            self.image_item.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.plot.set_title(title)

    def _boundary_map(self, snap: Snapshot) -> tuple[np.ndarray, str]:
        out = snap.grid.output
        disc = self._discretize
        if snap.data.regression:
            steps = REGRESSION_STEPS if disc else None
            argb = colors.diverging_argb(out[..., 0], self._target_limit / STRENGTH, steps)
            return argb, "Predicted value"
        if out.shape[-1] == 1:
            # one output: bce gives p (boundary at 0.5), mse/tanh a value in about [-1, 1]
            value, limit = (out[..., 0] - 0.5, 0.5) if snap.loss == "bce" else (out[..., 0], 1.0)
            if disc:
                value = np.where(value >= 0, limit, -limit)
            return colors.diverging_argb(value, limit / STRENGTH), "Decision boundary"
        if snap.loss == "hinge":
            probabilities = _softmax(out)
        elif snap.loss == "mse":
            probabilities = np.clip((out + 1.0) * 0.5, 0.0, 1.0)
        else:
            probabilities = out
        return colors.class_argb(probabilities, discretize=disc), "Decision boundary"

    def _neuron_map(self, snap: Snapshot) -> tuple[np.ndarray, str] | None:
        """The hovered neuron's map and title, or None if the network no longer has it."""
        layer, index = self._neuron
        grid, last = snap.grid, len(snap.sizes) - 1
        if not 0 <= layer <= last or not 0 <= index < snap.sizes[layer]:
            return None
        if layer == 0:
            values = grid.inputs[..., index]
            name = snap.features[index] if index < len(snap.features) else f"x{index + 1}"
            limit = _max_abs(values)
            return colors.diverging_argb(values, limit / STRENGTH), f"Input {name}"
        if layer < last:
            values = grid.layers[layer - 1][..., index]
            act = snap.activations[layer - 1][index]
            limit = max(1.0, _max_abs(values))
            return (colors.diverging_argb(values, limit / STRENGTH),
                    f"Layer {layer}, neuron {index + 1} ({act})")
        values = grid.output[..., index]
        where = f"Output {index + 1}:"   # short: the title fits a 1024-px window's plot
        if snap.data.regression:
            return (colors.diverging_argb(values, self._target_limit / STRENGTH),
                    f"{where} predicted value")
        if snap.loss == "softmax":
            return (ramp_argb(values, colors.class_color(index)),
                    f"{where} P(class {index})")
        if snap.loss == "bce":
            return colors.diverging_argb(values - 0.5, 0.5 / STRENGTH), f"{where} P(class 1)"
        limit = max(1.0, _max_abs(values))
        return colors.diverging_argb(values, limit / STRENGTH), f"{where} class {index} score"

    # ------------------------------------------------------------ layout
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Size the plot so that its data area (not the widget) is square, centred."""
        view = self.plot.plotItem.getViewBox()
        inner = view.sceneBoundingRect()
        extra_w = self.plot.width() - inner.width() if inner.width() > 1 else 48
        extra_h = self.plot.height() - inner.height() if inner.height() > 1 else 64
        side = max(1, min(self.width() - extra_w, self.height() - extra_h))
        w, h = round(side + extra_w), round(side + extra_h)
        x, y = (self.width() - w) // 2, (self.height() - h) // 2
        if (x, y, w, h) != (self.plot.x(), self.plot.y(), self.plot.width(), self.plot.height()):
            self.plot.setGeometry(x, y, w, h)


def _sample(n_train: int, n_test: int) -> tuple[np.ndarray, np.ndarray]:
    """Which training and test points to draw: all, or a fixed random sample of
    :data:`MAX_SHOWN` in the same proportion (the same points while the set is the same)."""
    if n_train + n_test <= MAX_SHOWN:
        return np.arange(n_train), np.arange(n_test)
    rng = np.random.default_rng(n_train * 1_000_003 + n_test)
    keep_train = round(MAX_SHOWN * n_train / (n_train + n_test))
    train = np.sort(rng.choice(n_train, keep_train, replace=False))
    test = np.sort(rng.choice(n_test, MAX_SHOWN - keep_train, replace=False))
    return train, test
