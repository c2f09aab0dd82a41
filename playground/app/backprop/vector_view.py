"""The Backprop tab's vector view: the lecture's ‖W·x‖² example, or one layer of the network
on a batch, written W·x as the lecture writes it or X·W as the app computes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from playground.app.backprop.layer_view import APP, LECTURE, LayerView
from playground.app.backprop.norm_example_view import NormExampleView
from playground.core.snapshot import Snapshot

EXAMPLE, LAYER = "example", "layer"


class VectorView(QWidget):
    """Feed it snapshots with :meth:`show_snapshot` (the layer page follows training)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Enter in a box hands keys back here
        self.example_view = NormExampleView()
        self.layer_view = LayerView()
        self.layer_view.done.connect(self.setFocus)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.layer_view)
        self.pages.addWidget(self.example_view)
        self.show_combo = QComboBox()
        self.show_combo.addItem("A layer of your network", LAYER)
        self.show_combo.addItem("The lecture's example: ‖W·x‖²", EXAMPLE)
        self.show_combo.setToolTip("Your network's layer on a batch, or the lecture's small "
                                   "vector example with its Jacobians")
        self.show_combo.currentIndexChanged.connect(self._page_chosen)
        self.lecture_button = QRadioButton("W·x (lecture)")
        self.lecture_button.setToolTip("As the lecture writes it: W is (fan_out × fan_in), "
                                       "one point per column")
        self.app_button = QRadioButton("X·W (as stored)")
        self.app_button.setToolTip("As the app computes it: W is stored (fan_in × fan_out), "
                                   "one point per row; the same numbers, transposed")
        self.form_group = QButtonGroup(self)
        for button in (self.lecture_button, self.app_button):
            self.form_group.addButton(button)
        self.lecture_button.setChecked(True)
        self.lecture_button.toggled.connect(self._form_chosen)
        top = QHBoxLayout()
        show_label = QLabel("&Show")
        show_label.setBuddy(self.show_combo)
        top.addWidget(show_label)
        top.addWidget(self.show_combo)
        top.addSpacing(24)
        top.addWidget(QLabel("Write it as"))
        top.addWidget(self.lecture_button)
        top.addWidget(self.app_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

    @property
    def form(self) -> str:
        return LECTURE if self.lecture_button.isChecked() else APP

    def show_snapshot(self, snap: Snapshot) -> None:
        self.layer_view.show_snapshot(snap)

    def _page_chosen(self) -> None:
        page = self.example_view if self.show_combo.currentData() == EXAMPLE else \
            self.layer_view
        self.pages.setCurrentWidget(page)

    def _form_chosen(self) -> None:
        self.layer_view.set_form(self.form)
        self.example_view.set_form(self.form)
