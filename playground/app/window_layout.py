"""The window's body: the Network tab's three columns and the Backprop tab.

Left, the data panel and the inspector (stacked when both fit, as tabs when they do not);
in the middle the hyperparameters, the layer cards, the palette bar and the network view; on
the right what the network outputs. The side columns keep their widths when the window
grows (the network gets the room), scroll rather than squash when a zoom makes them too tall,
and can be hidden (View menu). Nothing here reacts to data: it only places the window's
widgets and names the containers it makes on the window (``splitter``, ``side``, ``tabs``…).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.app.ui.flow_layout import WrapGrid
from playground.app.ui.overlay import BottomOverlay
from playground.app.ui.side_column import SideColumn
from playground.app.ui.widgets import FittingLabel, VerticalScroll

INSPECTOR_RESERVE = 300
"""Height the inspector needs for a neuron (title, activation, bias, summary, weight bars,
buttons): the side column shows data and inspector together only when this fits too."""
OUTPUT_SHARE, OUTPUT_SHARE_ALONE, OUTPUT_WIDEST = 0.28, 0.36, 480
"""The output column takes this share of the window's width (the second when the data column
is hidden), at most this many pixels."""
NETWORK_COMFORT = 0.45
"""A zoom that leaves the network less than this share of the screen hides the data column."""


def build_view_bar(window: QMainWindow) -> QWidget:
    """Above the network: the palette to drag from, and the edge mode toggle (on two rows
    when the column is narrow)."""
    palette, edges = QWidget(), QWidget()
    left, right = QHBoxLayout(palette), QHBoxLayout(edges)
    for layout in (left, right):
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
    left.addWidget(FittingLabel(("Drag into the network:", "Drag in:")))
    left.addWidget(window.palette)
    right.addWidget(QLabel("Edges:"))
    for action in (window.weight_edges_action, window.gradient_edges_action):
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        right.addWidget(button)
    bar = QWidget()
    row = WrapGrid(bar, spacing=(16, 2), spread=True, shrink=True)
    row.addWidget(palette)
    row.addWidget(edges)
    return bar


def build_network_page(window: QMainWindow) -> QWidget:
    """The three columns in a splitter (``window.splitter``)."""
    window.view_bar = build_view_bar(window)
    center = QWidget()
    center_layout = QVBoxLayout(center)
    center_layout.setContentsMargins(4, 0, 4, 0)
    center_layout.setSpacing(4)
    center_layout.addWidget(window.hyper_panel)
    center_layout.addWidget(window.architecture)
    center_layout.addWidget(window.view_bar)
    center_layout.addWidget(window.network_view, 1)
    window.side = SideColumn([("Data", window.data_panel, 0),
                              ("Inspector", window.inspector, INSPECTOR_RESERVE)])
    window.output_column = VerticalScroll(window.output_panel)
    window.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("columns")
    for index, (column, stretch) in enumerate(((window.side, 0), (center, 1),
                                               (window.output_column, 0))):
        splitter.addWidget(column)
        splitter.setStretchFactor(index, stretch)
        splitter.setCollapsible(index, False)
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.addWidget(splitter)
    return page


def default_column_widths(window: QMainWindow, width: int) -> list[int]:
    """Side columns at their natural widths (a hidden one at 0), the output a share of the
    window, the network the rest."""
    handles = 2 * window.splitter.handleWidth()
    left = window.side.sizeHint().width() if not window.side.isHidden() else 0
    share = OUTPUT_SHARE if left else OUTPUT_SHARE_ALONE
    right = min(max(int(width * share), window.output_column.minimumSizeHint().width()),
                OUTPUT_WIDEST)
    return [left, max(width - handles - left - right, 1), right]


def crowded(window: QMainWindow, room: int) -> bool:
    """Whether, with the data column shown, the network would get less than
    :data:`NETWORK_COMFORT` of ``room`` (the screen's width)."""
    sides = (window.side.minimumSizeHint().width()
             + window.output_column.minimumSizeHint().width()
             + 2 * window.splitter.handleWidth())
    frame = window.width() - window.splitter.width()
    center = window.splitter.widget(1).minimumSizeHint().width()
    return room - frame - sides < max(center, NETWORK_COMFORT * room)


def build_body(window: QMainWindow) -> None:
    """The Network and Backprop tabs as the central widget, the banner floating over it."""
    network_page = build_network_page(window)
    window.network_page = network_page
    window.backprop = QTabWidget()
    window.backprop.setDocumentMode(True)
    window.backprop.addTab(window.explainer, "Gate graph")
    window.backprop.addTab(window.vector_view, "Vector view: one layer")
    window.backprop.setTabToolTip(0, "One gate at a time: forward values, then gradients")
    window.backprop.setTabToolTip(1, "One dense layer on a batch: the shapes of X, W, S and "
                                     "of every gradient")
    window.tabs = QTabWidget()
    window.tabs.setDocumentMode(True)
    window.tabs.addTab(network_page, "Net&work")  # Alt+W, Alt+K: letters no label uses
    window.tabs.addTab(window.backprop, "Bac&kprop")
    window.tabs.setTabToolTip(0, "Build the network, train it, watch it learn")
    window.tabs.setTabToolTip(1, "The lecture's computational graphs, stepped through gate "
                                 "by gate")
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(6, 4, 6, 4)
    layout.addWidget(window.tabs, 1)
    window.setCentralWidget(body)
    window.banner_overlay = BottomOverlay(window.banner, body)
