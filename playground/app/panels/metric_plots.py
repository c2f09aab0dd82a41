"""Training curves: loss per epoch (train and test) and the gradient norm of every weight layer.

Snapshots carry only the epochs (and marks) since the previous one, so each plot appends them
to its own bounded buffers (:mod:`plot_data`, thinned like the core's record) and hands
pyqtgraph views of them: one ``setData`` per curve per redraw, never a non-finite or absurd
value, and ranges we set ourselves (pyqtgraph's auto-range, clip-to-view and auto-downsample
on a growing curve froze the window; they are off). A vertical line marks where the data, the
loss, the network or its weights changed; loss curves break where the data or the loss
changed, since the loss then measures something else. Gradient curves follow a layer's id,
not its position, so a layer keeps its curve when another is inserted before it.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QMenu, QWidget

import pyqtgraph as pg  # isort: skip  (after PySide6 so pyqtgraph binds to it)

from playground.app.panels.legend_rows import HeaderLegend
from playground.app.panels.plot_axes import LogAxis, PlainAxis
from playground.app.panels.plot_data import (
    RecordBuffer,
    epoch_range,
    plottable,
    value_range,
)
from playground.app.ui.colors import mix
from playground.app.ui.numbers import format_number
from playground.app.ui.scale import line_width, points, zoom_factor
from playground.app.ui.throttle import Throttle
from playground.core.history import History, Mark
from playground.core.params import weight_key

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)

GRAD_COLORMAP = "plasma"
GRAD_RANGE_LIGHT, GRAD_RANGE_DARK = (0.0, 0.8), (0.3, 1.0)
"""Part of the sequential map used for W1 … WL on a light and on a dark background: each
leaves out the end that would vanish into the background."""

TEST_COLOR = "#e0457b"
CURVE_WIDTH = 1
"""Hairlines: Qt strokes a 1-px antialiased line on a fast path; at 2 px a noisy 1,000-point
curve takes ~5x longer to paint."""
CURVE_OPTIONS = {"connect": "finite"}
"""NaN (no test set, a zero gradient on a log axis, a change of data) leaves a gap."""
GAP_MARKS = ("data", "loss")
"""Marks after which the loss means something else: its curves do not join across them."""
MAX_LAYER_CURVES = 24
"""Gradient curves kept; the curve of the layer removed longest ago goes first."""
MARK_LIMIT = 200
"""Marks drawn; older ones are dropped (after hours of edits they would be a grey wall)."""
TITLE_POINTS = (10, 9, 8, 7)
"""Title sizes, largest first: a long title ("Layer 2, neuron 12 (leaky_relu)") takes
the first that fits above the data. pyqtgraph makes the title as wide as its text, so a
wider one pushed the data area off the plot's edge."""
TEXT_MARGIN = 8
"""The title's text item adds a 4-px document margin on each side."""
LEGEND_MARGIN = 12
"""Room the legend leaves: its offset from the right edge and as much on the left."""
LEGEND_POINTS = 9
MIN_LEGEND_POINTS = 6
"""Legend text size (before zoom), and how far it shrinks to leave a short plot its data."""


def sequential_colors(n: int, dark: bool = False) -> list[QColor]:
    """``n`` colours along a sequential map, input side first, so a layer's place in the
    network can be read from its curve's colour."""
    cmap = pg.colormap.get(GRAD_COLORMAP)
    lo, hi = GRAD_RANGE_DARK if dark else GRAD_RANGE_LIGHT
    stops = np.linspace(lo, hi, n) if n > 1 else np.array([lo])
    return [cmap.map(float(t), mode="qcolor") for t in stops]


class ThemedPlot(pg.PlotWidget):
    """A PlotWidget coloured from the Qt palette (background, axes, title, legend), so it
    reads in light and dark themes and follows a theme switch while the app runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"left": LogAxis("left"),
                                            "bottom": PlainAxis("bottom")})
        self._title: str | None = None
        self._title_shown: tuple | None = None
        item = self.plotItem
        item.hideButtons()
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        item.setMenuEnabled(False)
        item.getViewBox().setMenuEnabled(False)
        self.legend: HeaderLegend | None = None
        self.apply_palette()

    def add_header_legend(self) -> HeaderLegend:
        """A frameless legend in the title row, right-aligned above the data, so it never
        hides a curve; curves added with a ``name`` join it."""
        legend = HeaderLegend(frame=False, labelTextSize="9pt", horSpacing=4)
        legend.setParentItem(self.plotItem)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-6, 0))
        self.plotItem.legend = legend
        self.legend = legend
        return legend

    def fit_header(self) -> None:
        """Lay the legend out in the fewest rows that fit the plot's width (right-aligned,
        a row too long runs off the left edge) and reserve the title row for them."""
        legend = self.legend
        if legend is None:
            return
        width, room = self.width() - LEGEND_MARGIN, max(18.0, self.height() / 3)
        self._legend_points(LEGEND_POINTS)
        legend.fit(width, room)
        if legend.height() > room:  # a big zoom on a short plot: the data needs the room
            self._legend_points(max(MIN_LEGEND_POINTS, LEGEND_POINTS * room / legend.height()))
            legend.fit(width, room)
        self.plotItem.layout.setRowFixedHeight(0, round(min(max(18.0, legend.height()), room)))

    def _legend_points(self, size: float) -> None:
        if self.legend.labelTextSize() != points(size):
            self.legend.setLabelTextSize(points(size))
            for _, label in self.legend.items:  # setLabelTextSize alone does not re-render
                label.setText(label.text)

    def set_title(self, text: str | None) -> None:
        """Title in the palette's text colour; does nothing when the text is unchanged."""
        if text == self._title:
            return
        self._title = text
        self._fit_title()

    def _fit_title(self, force: bool = False) -> None:
        """Show the title at the largest size that fits above the data (elided only if even
        the smallest does not)."""
        if self._title is None:
            if self._title_shown is not None:   # (a plot never titled keeps its header row)
                self._title_shown = None
                self.plotItem.setTitle(None)
            return
        axis = self.plotItem.getAxis("left")
        room = self.width() - (axis.width() if axis.isVisible() else 0) - TEXT_MARGIN - 2
        for size in TITLE_POINTS:
            font = QFont(self.font())
            font.setPointSizeF(size * zoom_factor())
            metrics = QFontMetricsF(font)
            if metrics.horizontalAdvance(self._title) <= room:
                break
        text = metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, max(room, 0.0))
        shown = (text, size, self.foreground.name())
        if shown != self._title_shown or force:
            self._title_shown = shown
            self.plotItem.setTitle(html.escape(text), color=shown[2], size=points(size))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if hasattr(self, "_title_shown"):   # PlotWidget resizes before our __init__ runs
            self._fit_title()
            self.fit_header()

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
            axis.setPen(line)
            axis.setTextPen(fg)
        if self.legend is not None:
            self.legend.setLabelTextColor(fg)
            for _, label in self.legend.items:   # setLabelTextColor alone does not re-render
                label.setText(label.text, color=fg)
            self.fit_header()  # its text size follows the zoom
        self._fit_title(force=True)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "legend"):
            self.apply_palette()


class MarkLines(pg.PlotDataItem):
    """Vertical lines where the data, the loss, the network or its weights changed, drawn as
    one item (hundreds of InfiniteLines would each cost a paint)."""

    def __init__(self) -> None:
        super().__init__(connect="pairs")
        self.marks: list[Mark] = []
        self.setZValue(-10)

    def add(self, marks: list[Mark]) -> None:
        self.marks.extend(marks)
        del self.marks[:-MARK_LIMIT]

    def clear_marks(self) -> None:
        self.marks.clear()
        self.setData([], [])

    def span(self, y_range: tuple[float, float], log: bool) -> None:
        """Draw each mark from the bottom to the top of ``y_range`` (axis units)."""
        if not self.marks:
            self.setData([], [])
            return
        lo, hi = (10.0 ** y_range[0], 10.0 ** y_range[1]) if log else y_range
        x = np.repeat([m.epoch + 0.5 for m in self.marks], 2)
        y = np.tile([lo, hi], len(self.marks))
        self.setData(x, y)


class CurvePlot(ThemedPlot):
    """A plot of per-epoch curves, redrawn at most every ``REDRAW_INTERVAL`` seconds (at
    display rate, redrawing them and their axes would cost more than the training shown), on
    ranges it sets itself."""

    REDRAW_INTERVAL = 0.1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._throttle = Throttle(self.REDRAW_INTERVAL, self.redraw, self)
        item = self.plotItem
        item.setLabel("bottom", "epoch")
        item.enableAutoRange(False)
        item.getViewBox().setMouseEnabled(False, False)
        self.mark_lines = MarkLines()
        item.addItem(self.mark_lines)

    def request_redraw(self) -> None:
        self._throttle.request()

    def add_history(self, history: History, reset: bool = False) -> None:
        """Append the epochs and marks of a snapshot (clearing first when ``reset``, and then
        at once: a Reset shows an empty plot in the same frame) and redraw."""
        if reset:
            self.clear_record()
            self.mark_lines.clear_marks()
        if history.marks:
            self.mark_lines.add(history.marks)
        if len(history) or history.marks:
            self.append(history)
        elif not reset:
            return
        if reset:
            self._throttle.fire()
        else:
            self.request_redraw()

    @property
    def log_y(self) -> bool:
        return bool(self.plotItem.getAxis("left").logMode)

    def show_ranges(self, epochs: np.ndarray, values: np.ndarray) -> None:
        """Set both ranges for the (plottable) ``values`` against ``epochs``; the marks
        span the new height. The view's transform is settled here: left to the paint, it
        moves every item during that paint, which asks for a second one."""
        y_range = value_range(values, self.log_y)
        self.plotItem.getViewBox().setRange(xRange=epoch_range(epochs), yRange=y_range,
                                            padding=0)
        self.mark_lines.span(y_range, self.log_y)
        self.plotItem.getViewBox().prepareForPaint()

    def clear_record(self) -> None:
        raise NotImplementedError

    def append(self, history: History) -> None:
        raise NotImplementedError

    def redraw(self) -> None:
        raise NotImplementedError

    def hideEvent(self, event: QEvent) -> None:
        self._throttle.flush()
        super().hideEvent(event)

    def apply_palette(self) -> None:
        super().apply_palette()
        if hasattr(self, "mark_lines"):
            self.mark_lines.setPen(pg.mkPen(mix(self.foreground, self.base, 0.7), width=1,
                                            style=Qt.PenStyle.DashLine))


class LossPlot(CurvePlot):
    """Train (solid) and test (dashed) data loss against epoch, with an optional log y axis.
    Its context menu offers the checkpoints to go back to (``restoreRequested(epoch)``)."""

    restoreRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checkpoints: tuple[tuple[int, float], ...] = ()
        item = self.plotItem
        item.setLabel("left", "loss")
        self.add_header_legend()
        self.buffer = RecordBuffer(columns=3)   # epoch, train loss, test loss
        self.train_curve = item.plot(name="train", **CURVE_OPTIONS)
        self.test_curve = item.plot(name="test", **CURVE_OPTIONS)
        self.fit_header()
        self.setMinimumHeight(100)
        self.setToolTip("Data loss (without the regularisation term) on the training set "
                        "(solid) and the test set (dashed) after each epoch. Test far above "
                        "train: the network overfits. Dashed vertical lines: the data, loss, "
                        "network or weights changed there. Right-click to go back to an "
                        "earlier epoch's weights.")
        self.apply_palette()

    def apply_palette(self) -> None:
        super().apply_palette()
        if hasattr(self, "train_curve"):
            self.train_curve.setPen(pg.mkPen(self.foreground, width=line_width(CURVE_WIDTH)))
            self.test_curve.setPen(pg.mkPen(QColor(TEST_COLOR), width=line_width(CURVE_WIDTH),
                                            style=Qt.PenStyle.DashLine))

    def clear_record(self) -> None:
        self.buffer.clear()

    def append(self, history: History) -> None:
        rows = np.column_stack([history.epoch, history.train_loss, history.test_loss])
        for mark in history.marks:
            if mark.kind in GAP_MARKS:   # before the rows that come after it
                before = rows[:, 0] <= mark.epoch
                self.buffer.append(rows[before])
                self.buffer.append(np.array([[mark.epoch + 0.5, np.nan, np.nan]]), pinned=True)
                rows = rows[~before]
        self.buffer.append(rows)

    def redraw(self) -> None:
        data = self.buffer.view
        log = self.log_y
        train, test = plottable(data[:, 1], log), plottable(data[:, 2], log)
        self.train_curve.setData(data[:, 0], train)
        self.test_curve.setData(data[:, 0], test)
        self.show_ranges(data[:, 0], np.concatenate([train, test]))

    def set_log(self, on: bool) -> None:
        self.plotItem.setLogMode(y=on)
        self.redraw()

    def restore_menu(self) -> QMenu:
        """One entry per checkpoint, newest first: its epoch and training loss."""
        menu = QMenu(self)
        for epoch, loss in reversed(self.checkpoints):
            action = menu.addAction(f"Restore epoch {epoch:,} (loss {format_number(loss)})")
            action.triggered.connect(lambda _=False, e=epoch: self.restoreRequested.emit(e))
        if not self.checkpoints:
            menu.addAction("No healthy weights kept yet").setEnabled(False)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.restore_menu().exec(event.globalPos())


class GradNormPlot(CurvePlot):
    """‖∂L/∂W‖ of every weight layer per epoch on a log axis: a vanishing gradient shows up as
    the input-side curves (W1, the dark end of the palette) lying decades below WL. A curve
    belongs to a layer (its id), not to a position: a layer inserted before it starts a new
    curve; a removed layer's curve stays, grey, where it ended."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.curves: dict[int, pg.PlotDataItem] = {}
        self.columns: list[int] = []          # layer id of each norm column
        self.current: tuple[int, ...] = ()    # the network's layer ids, input side first
        self._legend_ids: tuple[int, ...] = ()
        super().__init__(parent)
        item = self.plotItem
        item.setLabel("left", "∥∂L/∂W∥")  # U+2225: at 9 pt, ‖ (U+2016) blurs into a bar
        item.setLogMode(y=True)
        self.add_header_legend()
        self.buffer = RecordBuffer(columns=1)   # epoch, then one column per layer id
        self.setMinimumHeight(90)
        self.setToolTip("Size of the gradient ‖∂L/∂W‖ of each weight matrix (W1 next to the "
                        "inputs) on the last batch of each epoch. Curves decades apart mean "
                        "the early layers learn far more slowly (vanishing gradients). A "
                        "grey curve belonged to a layer since removed.")

    @property
    def layers(self) -> int:
        return len(self.current)

    def apply_palette(self) -> None:
        super().apply_palette()
        dark = self.base.lightness() < 128
        colors = dict(zip(self.current, sequential_colors(len(self.current), dark),
                          strict=False))   # no layers yet: one colour, nothing to pair
        gone = mix(self.foreground, self.base, 0.75)
        for layer_id, curve in self.curves.items():
            curve.setPen(pg.mkPen(colors.get(layer_id, gone), width=line_width(CURVE_WIDTH)))

    def clear_record(self) -> None:
        self.buffer.clear()
        self.buffer = RecordBuffer(columns=1)
        self.columns = []
        for curve in self.curves.values():
            self.plotItem.removeItem(curve)
        self.curves.clear()
        self.current = self._legend_ids = ()
        self.legend.clear()

    def _column(self, layer_id: int) -> int:
        """The buffer column of ``layer_id``, made on first sight (dropping the curve of the
        layer removed longest ago when there are too many)."""
        if layer_id in self.columns:
            return 1 + self.columns.index(layer_id)
        if len(self.columns) >= MAX_LAYER_CURVES:
            self._drop_oldest_gone()
        self.columns.append(layer_id)
        self.buffer.widen(1 + len(self.columns))
        self.curves[layer_id] = self.plotItem.plot(**CURVE_OPTIONS)
        return len(self.columns)

    def _drop_oldest_gone(self) -> None:
        data = self.buffer.view
        gone = [i for i, layer_id in enumerate(self.columns) if layer_id not in self.current]
        if not gone:
            return
        last_seen = [np.flatnonzero(np.isfinite(data[:, 1 + i]))[-1:] for i in gone]
        oldest = gone[int(np.argmin([s[0] if s.size else -1 for s in last_seen]))]
        self.buffer.drop_column(1 + oldest)
        self.plotItem.removeItem(self.curves.pop(self.columns.pop(oldest)))

    def append(self, history: History) -> None:
        if not len(history):
            return
        self.current = tuple(history.layer_ids[-1])
        for ids in dict.fromkeys(history.layer_ids):   # every layer first: columns settle
            for layer_id in ids:
                self._column(layer_id)
        rows = np.full((len(history), 1 + len(self.columns)), np.nan)
        rows[:, 0] = history.epoch
        for r, (ids, norms) in enumerate(zip(history.layer_ids, history.grad_norms,
                                             strict=True)):
            for layer_id, norm in zip(ids, norms, strict=True):
                if layer_id in self.columns:
                    rows[r, 1 + self.columns.index(layer_id)] = norm
        self.buffer.append(rows)
        self._show_legend()

    def _show_legend(self) -> None:
        if self._legend_ids == self.current:
            return
        self._legend_ids = self.current
        wanted = [weight_key(k) for k in range(1, len(self.current) + 1)]
        self.legend.clear()
        for name, layer_id in zip(wanted, self.current, strict=True):
            self.legend.addItem(self.curves[layer_id], name)
        self.fit_header()
        self.apply_palette()

    def redraw(self) -> None:
        data = self.buffer.view
        epochs = data[:, 0]
        shown = []
        for i, layer_id in enumerate(self.columns):
            values = plottable(data[:, 1 + i], log=True)
            self.curves[layer_id].setData(epochs, values)
            shown.append(values)
        self.show_ranges(epochs, np.concatenate(shown) if shown else np.array([]))
