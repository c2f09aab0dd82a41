"""The data panel (left column): pick a dataset, shape its points, choose the input features,
bring your own points (a CSV file) or take them out.

Every change is emitted as keyword arguments of ``Session.configure``; the panel shows what
the session really uses from the snapshots it is shown (switching dataset resets points and
classes to that dataset's defaults). The user's own points (drawn or imported) have no noise,
size or seed to set: those controls are disabled while they are shown.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.app.panels.gallery import DatasetGallery
from playground.app.ui.colors import argb_image, diverging_argb
from playground.app.ui.scale import relative_font
from playground.core.settings import CUSTOM, DataSettings
from playground.core.snapshot import Snapshot
from playground.data import FEATURES, apply_features, feature_label
from playground.files.limits import MAX_POINTS

DEBOUNCE_MS = 150
N_RANGE = (20, 5000)
SEED_MAX = 999_999  # six digits keep the spin box narrow
FEATURE_ICON = 16
FEATURE_ROWS = (("x1", "x2"), ("x1^2", "x2^2", "x1*x2"), ("sin(x1)", "sin(x2)"))  # kind per row
LAST_FEATURE_TIP = "The network needs at least one input: check another feature first."


def feature_icon(key: str, size: int = FEATURE_ICON) -> QPixmap:
    """What a feature looks like over the plane (orange negative, blue positive), as TF does."""
    ticks = np.linspace(-6.0, 6.0, size)
    gx, gy = np.meshgrid(ticks, ticks)
    values = apply_features(np.column_stack([gx.ravel(), gy.ravel()]), (key,))[:, 0]
    values = values - 0.5 * (values.max() + values.min())  # x₁² is all positive: centre it
    argb = diverging_argb(values.reshape(size, size), float(np.max(np.abs(values))) or 1.0)
    return QPixmap.fromImage(argb_image(argb))


class _DebouncedSlider(QSlider):
    """A horizontal slider whose ``settled`` fires on release, or after a pause mid-drag;
    keyboard and click changes settle at once. Regenerating data per pixel is wasteful."""

    settled = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._settle)
        self._settled_value: int | None = None
        self.valueChanged.connect(self._changed)
        self.sliderReleased.connect(self._settle)

    def _changed(self, _value: int) -> None:
        if self.isSliderDown():
            self._timer.start()
        else:
            self._settle()

    def _settle(self) -> None:
        self._timer.stop()
        if self.value() != self._settled_value:
            self._settled_value = self.value()
            self.settled.emit(self.value())

    def sync(self, value: int, bounds: tuple[int, int] | None = None) -> None:
        """Show ``value`` (and new ``bounds``) as already applied: no ``settled``."""
        self._timer.stop()
        with QSignalBlocker(self):
            if bounds is not None:
                self.setRange(*bounds)
            self.setValue(value)
        self._settled_value = self.value()


class DataPanel(QWidget):
    """Dataset gallery, noise / split / classes / points / seed controls and feature toggles.

    Signals
    -------
    changed(dict)
        Keyword changes for ``Session.configure``, e.g. ``{"noise": 0.25}``.
    regenerateRequested()
        New points from the next seed.
    importRequested(), exportRequested()
        Read points from a CSV file; write the points shown to one.
    """

    changed = Signal(dict)
    regenerateRequested = Signal()
    importRequested = Signal()
    exportRequested = Signal()

    def __init__(self, data: DataSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data or DataSettings()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        self.gallery = DatasetGallery(parent=self)
        self.gallery.datasetClicked.connect(lambda name: self._emit(dataset=name))
        layout.addWidget(self.gallery)  # the window's column titles the panel "Data"
        self.gallery.add_spare(self._build_own_data())
        layout.addSpacing(4)
        layout.addLayout(self._build_controls())
        layout.addSpacing(4)
        self._features_box = QWidget(self)
        layout.addWidget(self._heading("Inp&ut features", self._features_box))
        layout.addWidget(self._build_features())
        layout.addStretch(1)
        self.set_settings(self._data)

    # ------------------------------------------------------------ building
    def _heading(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        relative_font(label, bold=True)
        label.setBuddy(buddy)
        return label

    def _build_own_data(self) -> QWidget:
        """Your points (back to them), Import CSV…, Export CSV…, one over the other in the
        gallery's free cell."""
        box = QWidget(self)
        row = QVBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(1)
        self.own_points_button = QToolButton(self)
        self.own_points_button.setText("Your points")
        self.own_points_button.setCheckable(True)
        self.own_points_button.clicked.connect(self._own_points_clicked)
        self.import_button = QToolButton(self)
        self.import_button.setText("Import…")
        self.import_button.setToolTip("Train on points from a CSV file: columns x1, x2 and a "
                                      "label (a class name or number, or a value to fit).")
        self.import_button.clicked.connect(self.importRequested)
        self.export_button = QToolButton(self)
        self.export_button.setText("Export…")
        self.export_button.setToolTip("Write the points shown (training and test) to a CSV "
                                      "file: x1, x2, label.")
        self.export_button.clicked.connect(self.exportRequested)
        for button in (self.own_points_button, self.import_button, self.export_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        row.addStretch(1)
        return box

    def _own_points_clicked(self) -> None:
        if self._data.dataset == CUSTOM:
            self.own_points_button.setChecked(True)  # already shown: stays on
        else:
            self._emit(dataset=CUSTOM)

    def _build_controls(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)

        self.noise_slider = _DebouncedSlider(self)
        self.noise_slider.setSingleStep(5)
        self.noise_slider.setPageStep(10)
        self.noise_slider.setToolTip(
            "Noise: how far points and labels stray from the clean pattern.")
        self.noise_slider.settled.connect(lambda v: self._emit(noise=v / 100))
        self.noise_value = self._value_label()
        self.noise_slider.valueChanged.connect(lambda v: self.noise_value.setText(f"{v} %"))
        self._add_row(grid, 0, "&Noise", self.noise_slider, self.noise_value)

        self.ratio_slider = _DebouncedSlider(self)
        self.ratio_slider.setRange(10, 90)
        self.ratio_slider.setSingleStep(5)
        self.ratio_slider.setPageStep(10)
        self.ratio_slider.setToolTip(
            "Share of points used for training; the rest test generalisation.")
        self.ratio_slider.settled.connect(lambda v: self._emit(train_ratio=v / 100))
        self.ratio_value = self._value_label()
        self.ratio_slider.valueChanged.connect(lambda v: self.ratio_value.setText(f"{v} %"))
        self._add_row(grid, 1, "Training", self.ratio_slider, self.ratio_value)

        self.classes_spin = QSpinBox(self)
        self.classes_spin.setKeyboardTracking(False)
        self.classes_spin.valueChanged.connect(lambda v: self._emit(classes=v))
        self._add_row(grid, 2, "Cl&asses", self.classes_spin)

        self.n_spin = QSpinBox(self)
        self.n_spin.setRange(*N_RANGE)
        self.n_spin.setSingleStep(50)
        self.n_spin.setGroupSeparatorShown(True)
        self.n_spin.setKeyboardTracking(False)
        self.n_spin.setToolTip("How many points to generate (training and test together).")
        self.n_spin.valueChanged.connect(lambda v: self._emit(n=v))
        self._add_row(grid, 3, "&Points", self.n_spin)

        self.seed_spin = QSpinBox(self)
        self.seed_spin.setRange(0, SEED_MAX)
        self.seed_spin.setKeyboardTracking(False)
        self.seed_spin.setToolTip("The random seed: the same seed always gives the same points.")
        self.seed_spin.valueChanged.connect(lambda v: self._emit(seed=v))
        self.regenerate_button = QPushButton("Regenerate", self)
        self.regenerate_button.setToolTip("Draw fresh points with the next seed.")
        self.regenerate_button.clicked.connect(self.regenerateRequested)
        seed_row = QHBoxLayout()
        seed_row.setSpacing(4)
        seed_row.addWidget(self.seed_spin, 1)
        seed_row.addWidget(self.regenerate_button)
        label = QLabel("Seed", self)
        label.setBuddy(self.seed_spin)
        grid.addWidget(label, 4, 0)
        grid.addLayout(seed_row, 4, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        return grid

    def _value_label(self) -> QLabel:
        label = QLabel(self)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance("100 %"))
        return label

    def _add_row(self, grid: QGridLayout, row: int, text: str, widget: QWidget,
                 value: QLabel | None = None) -> None:
        label = QLabel(text, self)
        label.setBuddy(widget)
        label.setToolTip(widget.toolTip())
        grid.addWidget(label, row, 0)
        if value is None:
            grid.addWidget(widget, row, 1, 1, 2)
        else:
            grid.addWidget(widget, row, 1)
            grid.addWidget(value, row, 2)

    def _build_features(self) -> QWidget:
        box = self._features_box
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.feature_buttons: dict[str, QCheckBox] = {}
        spare = len(FEATURE_ROWS)
        for key in FEATURES:
            button = QCheckBox(feature_label(key), box)
            button.setIcon(QIcon(feature_icon(key)))
            button.setIconSize(QSize(FEATURE_ICON, FEATURE_ICON))
            button.setAccessibleName(f"Input feature {feature_label(key)}")
            button.toggled.connect(self._features_toggled)
            row = next((r for r, keys in enumerate(FEATURE_ROWS) if key in keys), None)
            if row is None:  # a feature this layout does not know yet: its own row
                row, spare = spare, spare + 1
                column = 0
            else:
                column = FEATURE_ROWS[row].index(key)
            grid.addWidget(button, row, column)
            self.feature_buttons[key] = button
        grid.setColumnStretch(3, 1)
        box.setToolTip("What the network sees: the first layer's inputs, computed from (x₁, x₂).")
        return box

    # ------------------------------------------------------------ behaviour
    def _emit(self, **changes: Any) -> None:
        self._asked = True  # the next snapshot shows what was made of it, even if refused
        self.changed.emit(changes)

    def checked_features(self) -> tuple[str, ...]:
        """The checked feature keys, in ``FEATURES`` order."""
        return tuple(k for k in FEATURES if self.feature_buttons[k].isChecked())

    def _features_toggled(self) -> None:
        self._guard_last_feature()
        self._emit(features=self.checked_features())

    def _guard_last_feature(self) -> None:
        """Disable the only checked toggle, so the network always keeps an input."""
        checked = self.checked_features()
        for key, button in self.feature_buttons.items():
            last = checked == (key,)
            button.setEnabled(not last)
            tip = LAST_FEATURE_TIP if last else f"Feed {feature_label(key)} to the network."
            button.setToolTip(tip)
            button.setStatusTip(tip)
        first = next(b for b in self.feature_buttons.values() if b.isEnabled())
        self._features_box.setFocusProxy(first)  # Alt+I lands on a toggle that can change

    def show_snapshot(self, snap: Snapshot) -> None:
        """Show the data settings the snapshot was trained on, if they changed."""
        if snap.data != self._data or self._asked:
            self.set_settings(snap.data)

    def set_settings(self, data: DataSettings) -> None:
        """Show ``data`` in every control (ranges follow the dataset) without emitting."""
        self._data = data
        self._asked = False
        info = data.info
        blockers = [QSignalBlocker(w) for w in (self.gallery, self.classes_spin, self.n_spin,
                                                 self.seed_spin, *self.feature_buttons.values())]
        self.gallery.set_current(data.dataset)
        own = data.dataset == CUSTOM
        self.own_points_button.setVisible(data.custom is not None)
        self.own_points_button.setChecked(own)
        if data.custom is not None:
            self.own_points_button.setToolTip(
                f"{data.custom.title}: {data.custom.count:,} points of your own (drawn on the "
                "plot or imported). Click to train on them again; they are kept while you try "
                "a dataset.")
        for widget in (self.noise_slider, self.n_spin, self.seed_spin, self.regenerate_button):
            widget.setEnabled(not own)

        bounds = (round(100 * info.noise_range[0]), round(100 * info.noise_range[1]))
        self.noise_slider.sync(round(100 * data.noise), bounds)
        self.noise_value.setText(f"{self.noise_slider.value()} %")
        self.ratio_slider.sync(round(100 * data.train_ratio))
        self.ratio_value.setText(f"{self.ratio_slider.value()} %")

        spin = self.classes_spin
        if info.class_range is not None:
            spin.setSpecialValueText("")
            spin.setRange(*info.class_range)
            spin.setValue(data.class_count)
            spin.setEnabled(True)
            spin.setToolTip(f"Number of classes ({info.class_range[0]}–{info.class_range[1]}).")
        else:
            fixed = 0 if data.regression else data.class_count
            spin.setRange(fixed, fixed)
            spin.setSpecialValueText("–" if data.regression else "")
            spin.setValue(fixed)
            spin.setEnabled(False)
            spin.setToolTip("Regression: a value per point, no classes." if data.regression
                            else "Your points' classes: draw a point of a new class to add one."
                            if own else f"{info.title} always has {fixed} classes.")

        n = data.n if data.n is not None else info.default_n
        self.n_spin.setRange(*((0, MAX_POINTS) if own else N_RANGE))
        self.n_spin.setValue(n if own else min(max(n, N_RANGE[0]), N_RANGE[1]))
        self.seed_spin.setValue(data.seed)
        for key, button in self.feature_buttons.items():
            button.setChecked(key in data.features)
        self._guard_last_feature()
        del blockers

    def settings(self) -> DataSettings:
        """The settings last given to :meth:`set_settings`."""
        return self._data
