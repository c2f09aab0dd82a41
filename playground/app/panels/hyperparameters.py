"""Hyperparameters: learning rate, optimizer, batch size, loss, regularisation, initialiser,
dropout and learning-rate schedule.

None of these resets the weights (TF Playground rebuilds the network on almost every change;
its users complain). The initialiser only matters for Reset and for neurons added later. A
loss the points cannot take is greyed out in the box with the reason as its tooltip.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QSpinBox,
    QWidget,
)

from playground.app.ui.flow_layout import WrapGrid
from playground.app.ui.widgets import ShortComboBox, labeled
from playground.core import losses
from playground.core.initializers import INIT_LABELS
from playground.core.optimizers import OPTIMIZER_LABELS, SCHEDULE_LABELS, Schedule
from playground.core.settings import DataSettings, TrainingSettings
from playground.core.snapshot import Snapshot

LEARNING_RATES = ("0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1",
                  "3", "10")
REG_RATES = ("0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1")
REGULARISATION = {"none": "None", "l1": "L1", "l2": "L2"}
SHORT_INIT = {"xavier": "Xavier", "he": "He", "uniform": "uniform ±0.5", "small": "0.01·N(0,1)",
              "zeros": "zeros"}
SHORT_SCHEDULE = {"constant": "constant", "step": "step", "exponential": "exponential"}
"""What the closed boxes show; their lists show the full labels (the row stays narrow)."""
SCHEDULE_DEFAULTS = {"constant": Schedule(), "step": Schedule("step", 0.5, 100),
                     "exponential": Schedule("exponential", 0.99)}


def _rate_box(values: tuple[str, ...], tip: str) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(values)
    validator = QDoubleValidator(0.0, 1e6, 8, box)
    validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
    box.setValidator(validator)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setToolTip(tip)
    return box


def _choice_box(labels: dict[str, str], tip: str) -> QComboBox:
    box = QComboBox()
    for key, label in labels.items():
        box.addItem(label, key)
    box.setToolTip(tip)
    return box


def _short_box(labels: dict[str, str], short: dict[str, str], tip: str) -> ShortComboBox:
    box = ShortComboBox()
    for key, label in labels.items():
        box.add_item(label, key, short.get(key))
    box.setToolTip(tip)
    return box


class BatchBox(QSpinBox):
    """Examples per step, 0 shown as "full"; "full" (any case, or its start while typing)
    can be typed as well as picked with the arrows."""

    FULL = "full"

    def __init__(self) -> None:
        super().__init__()
        self.setRange(0, 5000)
        self.setSpecialValueText(self.FULL)

    def validate(self, text: str, pos: int):
        word = text.strip().lower()
        if word and self.FULL.startswith(word):
            state = (QValidator.State.Acceptable if word == self.FULL
                     else QValidator.State.Intermediate)
            return state, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> int:
        if text.strip().lower() == self.FULL:
            return 0
        return super().valueFromText(text)


def _show_value(box: QSpinBox | QDoubleSpinBox, value: float) -> None:
    """Set a spin box only if its value differs: setValue rewrites the text, and while the
    user types 0.25 the change made by "0.2" would turn it into "0.20" and refuse the 5."""
    if box.value() != value:
        box.setValue(value)


def _read_rate(box: QComboBox) -> float | None:
    try:
        value = float(box.currentText())
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


class HyperPanel(QWidget):
    """Emits ``changed`` with one setting at a time, e.g. {"lr": 0.03} or {"l2": 0.001}; the
    next snapshot shown says what the session made of it."""

    changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lr = _rate_box(LEARNING_RATES, "Learning rate: the step size of each update. "
                            "Too large and the loss explodes; too small and nothing moves.")
        self.optimizer = _choice_box(OPTIMIZER_LABELS, "How gradients turn into updates. "
                                     "Switching keeps the weights and starts the new rule's "
                                     "state afresh. Momentum and Nesterov use CS231n's form "
                                     "v = μv − lr·g: the velocity keeps what it built up at "
                                     "an earlier learning rate (after a schedule step or a "
                                     "change of rate) and fades at μ = 0.9 per step.")
        self.batch = BatchBox()
        self.batch.setToolTip("Examples per update step; type or pick 'full' for the whole "
                              "training set.")
        self.loss = _choice_box({k: v.label for k, v in losses.LOSSES.items()},
                                "The loss the network minimises.")
        self.reg = _choice_box(REGULARISATION, "Penalty on large weights (never biases): "
                               "L2 = ½λ‖w‖², L1 = λ‖w‖₁.")
        self.reg_rate = _rate_box(REG_RATES, "Regularisation strength λ.")
        self.reg_rate.setCurrentText("0.001")
        self.init = _short_box(INIT_LABELS, SHORT_INIT,
                               "How Reset and new neurons draw their weights.")
        self.dropout = QDoubleSpinBox()
        self.dropout.setRange(0.0, 0.9)
        self.dropout.setSingleStep(0.1)
        self.dropout.setDecimals(2)
        self.dropout.setToolTip("Share of hidden neurons switched off at random in each "
                                "training step (inverted dropout).")
        self.schedule = _short_box(SCHEDULE_LABELS, SHORT_SCHEDULE,
                                   "Learning-rate schedule: step halves it every 100 epochs, "
                                   "exponential multiplies by 0.99 each epoch.")
        self._shown_lr: float | None = None
        self._shown: tuple[TrainingSettings, DataSettings] | None = None
        regularisation = QWidget()
        pair = QHBoxLayout(regularisation)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.setSpacing(4)
        pair.addWidget(self.reg)
        pair.addWidget(self.reg_rate)
        self.reg_rate.setAccessibleName("Regularisation rate")
        grid = WrapGrid(self, spacing=(8, 3))
        grid.setContentsMargins(0, 2, 0, 2)
        for text, widget in (("&Learning rate", self.lr), ("&Optimizer", self.optimizer),
                             ("&Batch size", self.batch), ("Lo&ss", self.loss),
                             ("&Regularisation", regularisation), ("&Initialiser", self.init),
                             ("&Dropout", self.dropout), ("LR s&chedule", self.schedule)):
            buddy = self.reg if widget is regularisation else widget
            grid.addWidget(labeled(text, widget, buddy))
        self.lr.lineEdit().editingFinished.connect(self._lr_changed)
        self.lr.activated.connect(self._lr_changed)
        self.optimizer.activated.connect(
            lambda: self._ask({"optimizer": self.optimizer.currentData()}))
        self.batch.valueChanged.connect(lambda v: self._ask({"batch_size": v or None}))
        self.loss.activated.connect(lambda: self._ask({"loss": self.loss.currentData()}))
        self.reg.activated.connect(self._reg_changed)
        self.reg_rate.lineEdit().editingFinished.connect(self._reg_changed)
        self.reg_rate.activated.connect(self._reg_changed)
        self.init.activated.connect(lambda: self._ask({"init": self.init.currentData()}))
        self.dropout.valueChanged.connect(lambda v: self._ask({"dropout": v}))
        self.schedule.activated.connect(lambda: self._ask(
            {"schedule": SCHEDULE_DEFAULTS[self.schedule.currentData()]}))

    def _ask(self, changes: dict[str, Any]) -> None:
        self._shown = None  # show the next snapshot's settings, even if this is refused
        self.changed.emit(changes)

    def _lr_changed(self) -> None:
        value = _read_rate(self.lr)
        if value is None:
            self.lr.setToolTip("Type a positive number, e.g. 0.03")
            return
        if value != self._shown_lr:  # editingFinished also fires when focus just leaves
            self._shown_lr = value
            self._ask({"lr": value})

    def _reg_changed(self) -> None:
        kind = self.reg.currentData()
        rate = _read_rate(self.reg_rate) or 0.0
        self.reg_rate.setEnabled(kind != "none")
        self._ask({"l1": rate if kind == "l1" else 0.0,
                           "l2": rate if kind == "l2" else 0.0})

    def show_snapshot(self, snap: Snapshot) -> None:
        """Show the settings the snapshot was trained with, without emitting anything."""
        if (snap.settings, snap.data) != self._shown:
            self._shown = snap.settings, snap.data
            self._show(snap.settings, snap.data)

    def _show(self, settings: TrainingSettings, data: DataSettings) -> None:
        blockers = [QSignalBlocker(w) for w in (self.lr, self.optimizer, self.batch, self.loss,
                                                self.reg, self.reg_rate, self.init,
                                                self.dropout, self.schedule)]
        self.lr.setEditText(f"{settings.lr:g}")
        self._shown_lr = settings.lr
        self.optimizer.setCurrentIndex(self.optimizer.findData(settings.optimizer))
        _show_value(self.batch, settings.batch_size or 0)
        self.loss.setCurrentIndex(self.loss.findData(settings.loss))
        model = self.loss.model()
        for row in range(self.loss.count()):
            refusal = data.loss_refusal(self.loss.itemData(row))
            model.item(row).setEnabled(refusal is None)
            self.loss.setItemData(row, refusal[0].upper() + refusal[1:] if refusal else None,
                                  Qt.ItemDataRole.ToolTipRole)
        kind = "l1" if settings.l1 else "l2" if settings.l2 else "none"
        self.reg.setCurrentIndex(self.reg.findData(kind))
        if kind != "none":
            self.reg_rate.setEditText(f"{settings.l1 or settings.l2:g}")
        self.reg_rate.setEnabled(kind != "none")
        self.init.setCurrentIndex(self.init.findData(settings.init))
        _show_value(self.dropout, settings.dropout or 0.0)
        self.schedule.setCurrentIndex(self.schedule.findData(settings.schedule.kind))
        del blockers

    def current(self) -> dict[str, Any]:
        """The settings as shown (used by tests and by the window's status tips)."""
        return {"lr": _read_rate(self.lr), "optimizer": self.optimizer.currentData(),
                "batch_size": self.batch.value() or None, "loss": self.loss.currentData()}
