"""The output side of the window: what the network does with the data and how training goes.

Boundary (or hovered neuron) on top, the draw tools for the user's own points, a row of
toggles, the epoch/loss/accuracy readout, the loss curves and the per-layer gradient norms.
Everything is drawn from one :class:`~playground.core.session.Snapshot` per frame.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QPalette, QResizeEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from playground.app.panels.boundary_plot import BoundaryPlot
from playground.app.panels.draw_tools import DrawTools
from playground.app.panels.metric_plots import GradNormPlot, LossPlot
from playground.app.ui.flow_layout import WrapGrid
from playground.app.ui.scale import relative_font, zoom_factor
from playground.core.snapshot import Snapshot


def _loss_text(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    return f"{value:.3f}" if abs(value) >= 0.001 or value == 0 else f"{value:.1e}"


def _accuracy_text(value: float) -> str:
    return f"{100 * value:.1f} %" if math.isfinite(value) else "—"


class _Value(QLabel):
    """A bold value label as wide as its widest value at any zoom, so nothing jumps."""

    def __init__(self, widest: str) -> None:
        super().__init__("—")
        self._widest = widest
        relative_font(self, 1.15, bold=True)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._widest) + 4,
                     super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()


class _Stat(QWidget):
    """A small caption over a bold value, with room for its widest value so nothing jumps."""

    def __init__(self, caption: str, widest: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.value = _Value(widest)
        label = QLabel(caption)
        relative_font(label, 0.85)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(label)
        layout.addWidget(self.value)

    def set(self, text: str) -> None:
        if self.value.text() != text:
            self.value.setText(text)


class Readout(QWidget):
    """Epoch · train/test loss · train/test accuracy (accuracy only for classification)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats = {key: _Stat(caption, widest) for key, caption, widest in (
            ("epoch", "Epoch", "000000"), ("train loss", "Train loss", "0.00e-00"),
            ("test loss", "Test loss", "0.00e-00"), ("train accuracy", "Train accuracy",
                                                      "100.0 %"),
            ("test accuracy", "Test accuracy", "100.0 %"))}
        layout = WrapGrid(self, spacing=(10, 2))  # wraps in a narrow column
        layout.setContentsMargins(4, 2, 4, 2)
        for stat in self.stats.values():
            layout.addWidget(stat)

    def show_values(self, epoch: int, train_loss: float, test_loss: float,
                    train_accuracy: float | None, test_accuracy: float | None) -> None:
        self.stats["epoch"].set(str(epoch))
        self.stats["train loss"].set(_loss_text(train_loss))
        self.stats["test loss"].set(_loss_text(test_loss))
        classification = train_accuracy is not None
        for key, value in (("train accuracy", train_accuracy), ("test accuracy", test_accuracy)):
            self.stats[key].setVisible(classification)
            if classification:
                self.stats[key].set(_accuracy_text(value if value is not None else math.nan))

    def text(self) -> str:
        """The readout as one line, e.g. "Epoch 120 · train loss 0.123 · test loss 0.145"."""
        parts = []
        for key, stat in self.stats.items():
            if stat.isVisibleTo(self):
                value = stat.value.text()
                parts.append(f"Epoch {value}" if key == "epoch" else f"{key} {value}")
        return " · ".join(parts)


def _checkbox(action: QAction) -> QCheckBox:
    """A checkbox that mirrors a checkable action both ways (menu and panel stay in sync)."""
    box = QCheckBox(action.text())
    box.setChecked(action.isChecked())
    box.setToolTip(action.toolTip())
    box.toggled.connect(action.setChecked)
    action.toggled.connect(box.setChecked)
    return box


class _SquareCell(QWidget):
    """Holds the boundary plot, never taller than its square needs at the column's width, so
    the curves below get what is left (a taller cell would only add blank margins)."""

    EXTRA = 20
    """Title and x axis take about this much more height than the y axis takes width."""

    def __init__(self, plot: QWidget) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(plot)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def minimumSizeHint(self) -> QSize:
        """The plot's minimum, grown with the zoom (its title and ticks grow)."""
        return super().minimumSizeHint() * max(1.0, zoom_factor())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setMaximumHeight(max(self.width() + self.EXTRA, self.minimumSizeHint().height()))


class OutputPanel(QWidget):
    """Boundary plot, toggles, readout, loss curves and gradient norms, fed by snapshots.

    ``show_test_action``, ``discretize_action`` and ``log_loss_action`` are checkable actions
    for the main window's View menu; the panel's checkboxes mirror them.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_test_action = self._action("Show test data", True,
                                             "Draw the held-out test points (ringed)")
        self.discretize_action = self._action("Discretize output", False,
                                              "Hard class colours instead of a smooth map")
        self.log_loss_action = self._action("Log-scale loss", False,
                                            "Logarithmic y axis for the loss curves")
        self.draw_tools = DrawTools()
        self.boundary = BoundaryPlot(self.draw_tools)
        self.readout = Readout()
        self.loss_plot = LossPlot()
        self.grad_plot = GradNormPlot()
        self._snap: Snapshot | None = None
        self._values = (0, math.nan, math.nan, math.nan, math.nan)

        toggles = WrapGrid(spacing=(8, 2))
        self.checkboxes = [_checkbox(a) for a in (self.show_test_action,
                                                  self.discretize_action,
                                                  self.log_loss_action)]
        for box in self.checkboxes:
            toggles.addWidget(box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(_SquareCell(self.boundary), 2)
        layout.addWidget(self.draw_tools)
        layout.addLayout(toggles)
        layout.addWidget(self.readout)
        layout.addWidget(self.loss_plot, 1)
        layout.addWidget(self.grad_plot, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        self.show_test_action.toggled.connect(self.boundary.set_show_test)
        self.discretize_action.toggled.connect(self.boundary.set_discretize)
        self.log_loss_action.toggled.connect(self.loss_plot.set_log)

    def _action(self, text: str, checked: bool, tip: str) -> QAction:
        action = QAction(text, self)
        action.setCheckable(True)
        action.setChecked(checked)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        return action

    @property
    def snapshot(self) -> Snapshot | None:
        """The latest snapshot (kept so hovering a neuron works while training is paused)."""
        return self._snap

    def boundary_image(self) -> np.ndarray | None:
        """The (h, w, 4) RGBA pixels on show in the boundary plot (row 0 = lowest y)."""
        return self.boundary.image_item.image

    def title_text(self) -> str:
        """The boundary plot's title: "Decision boundary" or the hovered neuron's name."""
        return self.boundary.title or ""

    def show_neuron(self, layer: int | tuple[int, int] | None, index: int | None = None) -> None:
        """Replace the boundary with neuron ``index`` of ``layer`` (0 = inputs); None restores.

        A ``(layer, index)`` tuple also works, as the network view's ``neuronHovered`` sends.
        """
        if isinstance(layer, tuple):
            layer, index = layer
        self.boundary.show_neuron(layer, index)

    def show_snapshot(self, snap: Snapshot) -> None:
        """Draw one snapshot. A snapshot shown twice does not append its history twice."""
        if snap is self._snap:
            return
        self._snap = snap
        self.boundary.show_snapshot(snap)
        self.draw_tools.show_snapshot(snap)
        self.loss_plot.add_history(snap.history, snap.history_reset)
        self.grad_plot.add_history(snap.history, snap.history_reset)
        self._show_readout(snap)

    def _show_readout(self, snap: Snapshot) -> None:
        h = snap.history
        if len(h):
            self._values = (h.epoch[-1], h.train_loss[-1], h.test_loss[-1],
                            h.train_accuracy[-1], h.test_accuracy[-1])
        elif snap.history_reset:
            self._values = (0, math.nan, math.nan, math.nan, math.nan)
        _, train_loss, test_loss, train_acc, test_acc = self._values
        classification = not snap.data.regression
        self.readout.show_values(snap.epoch, train_loss, test_loss,
                                 train_acc if classification else None,
                                 test_acc if classification else None)
