"""Training curves: loss per epoch (train and test) and the gradient norm of every weight layer.

Snapshots carry only the epochs since the previous one, so each plot appends them to its own
growing NumPy buffers and hands pyqtgraph views of them: one ``setData`` per curve per frame,
no items created after the first frame, clip-to-view and peak downsampling for long runs.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QWidget

import pyqtgraph as pg  # isort: skip  (after PySide6 so pyqtgraph binds to it)

from playground.app.ui.colors import mix
from playground.app.ui.scale import line_width, points
from playground.app.ui.throttle import Throttle
from playground.core.trainer import History

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)

GRAD_COLORMAP = "plasma"
GRAD_RANGE_LIGHT, GRAD_RANGE_DARK = (0.0, 0.8), (0.3, 1.0)
"""Part of the sequential map used for W1 … WL on a light and on a dark background: each
leaves out the end that would vanish into the background."""

TEST_COLOR = "#e0457b"
CURVE_WIDTH = 1
"""Hairlines: Qt strokes a 1-px antialiased line on a fast path; at 2 px a noisy 1,000-point
curve takes ~5x longer to paint."""
CURVE_OPTIONS = {"connect": "finite", "autoDownsampleFactor": 1.0}
"""NaN (no test set, a zero gradient on a log axis) leaves a gap; past ~1 point per pixel
the curve is peak-downsampled, so a long run paints as fast as a short one."""


def sequential_colors(n: int, dark: bool = False) -> list[QColor]:
    """``n`` colours along a sequential map, input side first, so a layer's place in the
    network can be read from its curve's colour."""
    cmap = pg.colormap.get(GRAD_COLORMAP)
    lo, hi = GRAD_RANGE_DARK if dark else GRAD_RANGE_LIGHT
    stops = np.linspace(lo, hi, n) if n > 1 else np.array([lo])
    return [cmap.map(float(t), mode="qcolor") for t in stops]


class LogAxis(pg.AxisItem):
    """A y axis whose labels never pile up in a short plot: log-scale labels are 1, 2, 5 × 10ᵏ
    (or whole decades) spaced by at least ~28 px, and a linear axis drops the finer tick
    levels that would put labels closer than that."""

    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        if self.logMode or not levels:
            return levels
        fits = max(2, int(size / 28))
        span = abs(maxVal - minVal)
        kept = [level for level in levels if span / level[0] <= fits]
        if kept:
            return kept
        least = span / fits
        power = 10.0 ** math.floor(math.log10(least))
        return [(next(m * power for m in (1, 2, 5, 10) if m * power >= least), 0)]

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        fits = max(2, int(size / 28))
        low, high = math.floor(minVal), math.ceil(maxVal)
        decades = list(range(low, high + 1))
        if high - low > 3:
            step = max(1, math.ceil((high - low) / fits))
            return [(float(step), [float(d) for d in decades[::step] if minVal <= d <= maxVal])]
        for mantissas in ((1, 2, 5), (1, 3), (1,)):
            values = [d + math.log10(m) for d in decades for m in mantissas
                      if minVal <= d + math.log10(m) <= maxVal]
            if len(values) <= fits:
                return [(None, values)]
        return [(None, [])]

    def logTickStrings(self, values, scale, spacing):
        return [f"{10 ** v:.3g}" for v in values]


class ThemedPlot(pg.PlotWidget):
    """A PlotWidget coloured from the Qt palette (background, axes, title, legend), so it
    reads in light and dark themes and follows a theme switch while the app runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"left": LogAxis("left")})
        self._title: str | None = None
        item = self.plotItem
        item.hideButtons()
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        item.setMenuEnabled(False)
        item.getViewBox().setMenuEnabled(False)
        self.legend: pg.LegendItem | None = None
        self.apply_palette()

    def add_header_legend(self) -> pg.LegendItem:
        """A frameless legend in the title row, right-aligned above the data, so it never
        hides a curve; curves added with a ``name`` join it."""
        legend = pg.LegendItem(frame=False, labelTextSize="9pt", horSpacing=4)
        legend.setParentItem(self.plotItem)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-6, 0))
        self.plotItem.legend = legend
        self.legend = legend
        return legend

    def fit_header(self) -> None:
        """Reserve the title row's height for the legend's rows."""
        if self.legend is not None:
            height = max(18, round(self.legend.geometry().height()))
            self.plotItem.layout.setRowFixedHeight(0, height)

    def set_title(self, text: str | None) -> None:
        """Title in the palette's text colour; does nothing when the text is unchanged."""
        if text == self._title:
            return
        self._title = text
        if text is None:
            self.plotItem.setTitle(None)
        else:
            self.plotItem.setTitle(text, color=self.foreground.name(), size=points(10))

    @property
    def title(self) -> str | None:
        return self._title

    @property
    def foreground(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    @property
    def base(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    def apply_palette(self) -> None:
        fg, bg = self.foreground, self.base
        self.setBackground(bg)
        line = mix(fg, bg, 0.5)
        for name in ("left", "bottom"):
            axis = self.plotItem.getAxis(name)
            axis.setSIPrefixEnableRanges(())  # never rescale ticks ("500" for 0.5)…
            axis.enableAutoSIPrefix(False)  # …even when this runs again at a zoom
            axis.setPen(line)
            axis.setTextPen(fg)
        if self.legend is not None:
            self.legend.setLabelTextSize(points(9))
            self.legend.setLabelTextColor(fg)
            for _, label in self.legend.items:   # setLabelTextColor alone does not re-render
                label.setText(label.text, color=fg)
        if self._title is not None:
            self.plotItem.setTitle(self._title, color=fg.name(), size=points(10))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "legend"):
            self.apply_palette()


class GrowingArray:
    """Rows appended in amortised O(1) (the capacity doubles) and read as a view, no copy."""

    def __init__(self, columns: int = 1, capacity: int = 256) -> None:
        self._data = np.full((capacity, columns), np.nan)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    @property
    def columns(self) -> int:
        return self._data.shape[1]

    @property
    def view(self) -> np.ndarray:
        return self._data[:self._n]

    def clear(self) -> None:
        self._n = 0

    def append(self, rows: np.ndarray) -> None:
        """Append (m, columns) rows; wider rows widen the buffer (new columns start as NaN)."""
        rows = np.asarray(rows, dtype=float).reshape(len(rows), -1)
        m, k = rows.shape
        need = self._n + m
        if need > len(self._data) or k > self.columns:
            grown = np.full((max(need, 2 * len(self._data)), max(k, self.columns)), np.nan)
            grown[:self._n, :self.columns] = self._data[:self._n]
            self._data = grown
        self._data[self._n:need, :k] = rows
        self._data[self._n:need, k:] = np.nan
        self._n = need


def _history_array(rows: list, width: int | None = None) -> np.ndarray:
    """Per-epoch tuples (possibly of different lengths after a layer edit) as a NaN-padded array."""
    if not rows:
        return np.empty((0, width or 0))
    widths = {len(r) for r in rows}
    if len(widths) == 1:
        return np.asarray(rows, dtype=float).reshape(len(rows), -1)
    out = np.full((len(rows), max(widths)), np.nan)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


class CurvePlot(ThemedPlot):
    """A plot of per-epoch curves, redrawn at most every ``REDRAW_INTERVAL`` seconds: at
    display rate, redrawing them and their moving axes cost more than the training shown."""

    REDRAW_INTERVAL = 0.1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._throttle = Throttle(self.REDRAW_INTERVAL, self.redraw, self)

    def request_redraw(self) -> None:
        self._throttle.request()

    def redraw(self) -> None:
        raise NotImplementedError

    def hideEvent(self, event: QEvent) -> None:
        self._throttle.flush()
        super().hideEvent(event)


class LossPlot(CurvePlot):
    """Train (solid) and test (dashed) loss against epoch, with an optional log y axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = self.plotItem
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "loss")
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        self.add_header_legend()
        self.buffer = GrowingArray(columns=3)   # epoch, train loss, test loss
        self.train_curve = item.plot(name="train", **CURVE_OPTIONS)
        self.test_curve = item.plot(name="test", **CURVE_OPTIONS)
        self.legend.setColumnCount(2)
        self.fit_header()
        self.setMinimumHeight(100)
        self.setToolTip("Average loss on the training set (solid) and the test set (dashed) "
                        "after each epoch. Test far above train: the network overfits.")
        self.apply_palette()

    def apply_palette(self) -> None:
        super().apply_palette()
        if hasattr(self, "train_curve"):
            self.train_curve.setPen(pg.mkPen(self.foreground, width=line_width(CURVE_WIDTH)))
            self.test_curve.setPen(pg.mkPen(QColor(TEST_COLOR), width=line_width(CURVE_WIDTH),
                                            style=Qt.PenStyle.DashLine))

    def add_history(self, history: History, reset: bool = False) -> None:
        """Append the epochs of a snapshot (clearing first when ``reset``) and redraw."""
        if reset:
            self.buffer.clear()
        if len(history):
            self.buffer.append(np.column_stack([history.epoch, history.train_loss,
                                                history.test_loss]))
        elif not reset:
            return
        self.request_redraw()

    def redraw(self) -> None:
        data = self.buffer.view
        self.train_curve.setData(data[:, 0], data[:, 1])
        self.test_curve.setData(data[:, 0], data[:, 2])

    def set_log(self, on: bool) -> None:
        self.plotItem.setLogMode(y=on)

    @property
    def log_y(self) -> bool:
        return bool(self.train_curve.opts["logMode"][1])

    @property
    def epochs(self) -> int:
        return len(self.buffer)


class GradNormPlot(CurvePlot):
    """‖∂L/∂W‖ of every weight layer per epoch on a log axis: a vanishing gradient shows up as
    the input-side curves (W1, the dark end of the palette) lying decades below WL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.curves: list[pg.PlotDataItem] = []
        self.layers = 0
        super().__init__(parent)
        item = self.plotItem
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "‖∂L/∂W‖")
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.setLogMode(y=True)
        self.add_header_legend()
        self.epoch_buffer = GrowingArray(columns=1)
        self.norm_buffer = GrowingArray(columns=1)
        self.setMinimumHeight(90)
        self.setToolTip("Size of the gradient ‖∂L/∂W‖ of each weight matrix (W1 next to the "
                        "inputs) on the last batch of each epoch. Curves decades apart mean "
                        "the early layers learn far more slowly (vanishing gradients).")

    def apply_palette(self) -> None:
        super().apply_palette()
        dark = self.base.lightness() < 128
        for color, curve in zip(sequential_colors(self.layers, dark), self.curves, strict=False):
            curve.setPen(pg.mkPen(color, width=line_width(CURVE_WIDTH)))

    def _ensure_curves(self, layers: int) -> None:
        """One curve per weight layer; created only when the network gains layers."""
        if layers == self.layers:
            return
        self.layers = layers
        while len(self.curves) < layers:
            name = f"W{len(self.curves) + 1}"
            self.curves.append(self.plotItem.plot(name=name, **CURVE_OPTIONS))
        self.legend.clear()
        for i, curve in enumerate(self.curves):
            curve.setVisible(i < layers)
            if i < layers:
                self.legend.addItem(curve, curve.name())
            else:
                curve.setData([], [])
        self.legend.setColumnCount(min(layers, 8))
        self.fit_header()
        self.apply_palette()

    def add_history(self, history: History, reset: bool = False) -> None:
        """Append the epochs of a snapshot (clearing first when ``reset``) and redraw."""
        if reset:
            self.epoch_buffer.clear()
            self.norm_buffer.clear()
        if len(history):
            norms = _history_array(history.grad_norms)
            norms[~(norms > 0)] = np.nan   # log axis: a zero gradient is a gap, not -inf
            self.epoch_buffer.append(np.asarray(history.epoch, dtype=float))
            self.norm_buffer.append(norms)
            self._ensure_curves(len(history.grad_norms[-1]))
        elif not reset:
            return
        self.request_redraw()

    def redraw(self) -> None:
        epochs = self.epoch_buffer.view[:, 0]
        norms = self.norm_buffer.view
        for i in range(self.layers):
            self.curves[i].setData(epochs, norms[:, i])

    @property
    def epochs(self) -> int:
        return len(self.epoch_buffer)
