"""The output side of the window: what the network does with the data and how training goes.

Boundary (or hovered neuron) on top, the draw tools for the user's own points, a row of
toggles, the epoch/loss/accuracy readout, the loss curves and the per-layer gradient norms.
Everything is drawn from one :class:`~playground.core.snapshot.Snapshot` per frame. The
losses shown are data losses; with L1 or L2 on, the readout adds the regularisation term
under them (the total the optimizer minimises is their sum).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QPalette, QResizeEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from playground.app.panels.boundary_plot import BoundaryPlot
from playground.app.panels.draw_tools import DrawTools
from playground.app.panels.metric_plots import GradNormPlot, LossPlot
from playground.app.ui.flow_layout import WrapGrid
from playground.app.ui.numbers import format_number, format_percent
from playground.app.ui.scale import relative_font, zoom_factor
from playground.app.ui.widgets import SteadyLabel
from playground.core.snapshot import Snapshot

WIDEST_LOSS = "8.88e308"
"""The widest loss :func:`format_number` makes (losses are never negative), so a readout
never pushes its neighbour."""


class _Stat(QWidget):
    """A small caption over a bold value, with room for its widest value so nothing jumps."""

    def __init__(self, caption: str, widest: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.value = SteadyLabel(widest, "—")
        relative_font(self.value, 1.15, bold=True)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label = QLabel(caption)
        relative_font(self.label, 0.85)
        self.label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.note = SteadyLabel(f"+ L2 term {widest}")
        relative_font(self.note, 0.85)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.label)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def set(self, text: str) -> None:
        if self.value.text() != text:
            self.value.setText(text)

    def set_note(self, text: str | None) -> None:
        """A small line under the value (None: none)."""
        self.note.setVisible(text is not None)
        if text is not None and self.note.text() != text:
            self.note.setText(text)


class Readout(QWidget):
    """Epoch · train/test data loss (the L1/L2 term under the train loss when on) ·
    train/test accuracy (accuracy only for classification)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats = {key: _Stat(caption, widest) for key, caption, widest in (
            ("epoch", "Epoch", "0,000,000"), ("train loss", "Train loss", WIDEST_LOSS),
            ("test loss", "Test loss", WIDEST_LOSS),
            ("train accuracy", "Train accuracy", "100.0 %"),
            ("test accuracy", "Test accuracy", "100.0 %"))}
        for key in ("train loss", "test loss"):
            self.stats[key].setToolTip(
                "The data loss, without the regularisation term. With L1 or L2 on, the term "
                "the optimizer minimises on top of the training loss is under it: ½λ‖W‖² for "
                "L2, λ‖W‖₁ for L1 (weights only)")
        layout = WrapGrid(self, spacing=(10, 2))  # wraps in a narrow column
        layout.setContentsMargins(4, 2, 4, 2)
        for stat in self.stats.values():
            layout.addWidget(stat)

    def show_values(self, epoch: int, train_loss: float, test_loss: float,
                    train_accuracy: float | None, test_accuracy: float | None,
                    regularisation: tuple[str, float] | None = None) -> None:
        """``regularisation``: ("L1" or "L2", the term's value), None when off."""
        self.stats["epoch"].set(f"{epoch:,}")
        self.stats["train loss"].set(format_number(train_loss))
        self.stats["test loss"].set(format_number(test_loss))
        self.stats["train loss"].set_note(
            None if regularisation is None else
            f"+ {regularisation[0]} term {format_number(regularisation[1])}")
        classification = train_accuracy is not None
        for key, value in (("train accuracy", train_accuracy), ("test accuracy", test_accuracy)):
            self.stats[key].setVisible(classification)
            if classification:
                self.stats[key].set(format_percent(value if value is not None else math.nan))

    def text(self) -> str:
        """The readout as one line, e.g. "Epoch 120 · train loss 0.123 · test loss 0.145"."""
        parts = []
        for key, stat in self.stats.items():
            if stat.isVisibleTo(self):
                value = stat.value.text()
                parts.append(f"Epoch {value}" if key == "epoch" else f"{key} {value}")
                if stat.note.isVisibleTo(self):
                    parts.append(stat.note.text()[2:])
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
        self._values = (0, math.nan, math.nan, math.nan, math.nan, math.nan)

        toggles = WrapGrid(spacing=(8, 2))
        self.checkboxes = [_checkbox(a) for a in (self.show_test_action,
                                                  self.discretize_action,
                                                  self.log_loss_action)]
        for box in (self.draw_tools.draw_button, *self.checkboxes):
            toggles.addWidget(box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(_SquareCell(self.boundary), 2)
        layout.addLayout(toggles)
        layout.addWidget(self.draw_tools)   # under its button, shown while drawing
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
        self.loss_plot.checkpoints = snap.checkpoints
        self.grad_plot.add_history(snap.history, snap.history_reset)
        self._show_readout(snap)

    def _show_readout(self, snap: Snapshot) -> None:
        h = snap.history
        if len(h):
            self._values = (h.epoch[-1], h.train_loss[-1], h.test_loss[-1],
                            h.train_accuracy[-1], h.test_accuracy[-1], h.regularization[-1])
        elif snap.history_reset:
            self._values = (0, math.nan, math.nan, math.nan, math.nan, math.nan)
        _, train_loss, test_loss, train_acc, test_acc, reg = self._values
        classification = not snap.data.regression
        kind = "L1" if snap.settings.l1 else "L2" if snap.settings.l2 else None
        self.readout.show_values(snap.epoch, train_loss, test_loss,
                                 train_acc if classification else None,
                                 test_acc if classification else None,
                                 (kind, reg) if kind else None)
        self._show_task(classification)

    def _show_task(self, classification: bool) -> None:
        """Hard class colours only mean something for classes: for regression the toggle is
        disabled and the map smooth (it comes back as it was with classes)."""
        action = self.discretize_action
        if action.isEnabled() != classification:
            action.setEnabled(classification)
            self.boundary.set_discretize(classification and action.isChecked())
            tip = ("Hard class colours instead of a smooth map" if classification else
                   "Regression data has no classes to colour")
            action.setToolTip(tip)
            for box in self.checkboxes:
                if box.text() == action.text():
                    box.setEnabled(classification)
                    box.setToolTip(tip)
