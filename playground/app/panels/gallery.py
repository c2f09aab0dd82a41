"""The dataset gallery: one small picture per dataset, so students pick data by its shape.

Thumbnails are drawn once per size with QPainter (a few hundred dots each, seed 0, default
settings) and cached for the whole process; all ten take about 20 ms.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOptionToolButton,
    QStylePainter,
    QToolButton,
    QWidget,
)

from playground.app.ui.colors import class_color, diverging_lut
from playground.app.ui.scale import base_point_size, relative_font
from playground.data import DATASETS, display_bounds, make_dataset

THUMBNAIL_SIZE = 48
TITLE_FONT = 0.85
"""The titles under the thumbnails, relative to the window's font."""
THUMBNAIL_POINTS = 300
BACKGROUND = QColor("#fbfbfb")  # a light "plot" square in light and dark themes alike
BORDER = QColor("#c8c8c8")
ZERO_DOT = "#b4b4b4"
_REGRESSION_STEPS = 8  # colour bins for regression targets: one pen per bin

_cache: dict[tuple[str, int, float], QPixmap] = {}


def _device_ratio() -> float:
    screen = QGuiApplication.primaryScreen()
    return screen.devicePixelRatio() if screen is not None else 1.0


def _points(X: np.ndarray, name: str, classes: int | None, size: float) -> np.ndarray:
    """Map data coordinates to pixels (y up), keeping a small margin inside the square."""
    xmin, xmax, ymin, ymax = display_bounds(name, classes)
    margin = 3.0
    span = size - 2 * margin
    px = margin + (X[:, 0] - xmin) / (xmax - xmin) * span
    py = margin + (ymax - X[:, 1]) / (ymax - ymin) * span
    return np.column_stack([px, py])


def _groups(name: str, y: np.ndarray) -> list[tuple[QColor, np.ndarray]]:
    """(colour, mask) per class, or per colour bin of the regression target."""
    if DATASETS[name].task == "classification":
        return [(class_color(int(k)), y == k) for k in np.unique(y)]
    limit = float(np.max(np.abs(y))) or 1.0
    steps = _REGRESSION_STEPS
    level = np.round(np.clip(y / limit, -1.0, 1.0) * steps).astype(int) + steps
    table = diverging_lut(2 * steps + 1, mid=ZERO_DOT)  # grey zero: white would vanish
    return [(QColor(*map(int, table[i])), level == i) for i in np.unique(level)]


def render_thumbnail(name: str, size: int = THUMBNAIL_SIZE, ratio: float = 1.0) -> QPixmap:
    """Draw ``name``'s default points as tiny dots on a light square (not cached)."""
    info = DATASETS[name]
    X, y = make_dataset(name, n=THUMBNAIL_POINTS, seed=0)
    device = max(1, round(size * ratio))
    pixmap = QPixmap(device, device)
    pixmap.fill(BACKGROUND)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(BORDER, 1.0))
    painter.drawRect(0, 0, device - 1, device - 1)
    xy = _points(X, name, info.default_classes, device)
    dot = 2.2 * ratio
    for color, mask in _groups(name, y):
        pen = QPen(color, dot)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPoints([QPointF(px, py) for px, py in xy[mask]])
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def dataset_thumbnail(name: str, size: int = THUMBNAIL_SIZE) -> QPixmap:
    """The cached thumbnail of ``name`` (drawn on first use; needs a QGuiApplication)."""
    ratio = _device_ratio()
    key = (name, size, ratio)
    if key not in _cache:
        _cache[key] = render_thumbnail(name, size, ratio)
    return _cache[key]


class DatasetGallery(QWidget):
    """Checkable thumbnail buttons for every dataset, grouped by task; exactly one is checked.

    Arrow keys move between thumbnails and select them (QButtonGroup's exclusive focus
    moving); Tab enters the gallery at the checked one.
    """

    datasetClicked = Signal(str)

    def __init__(self, columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QToolButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        grid = QGridLayout(self)  # one grid, so every thumbnail column has the same width
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        row = 0
        for task, heading in (("classification", "Classification"), ("regression", "Regression")):
            names = [name for name, info in DATASETS.items() if info.task == task]
            if not names:
                continue
            label = QLabel(heading, self)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, light or dark
            grid.addWidget(label, row, 0, 1, columns)
            row += 1
            for index, name in enumerate(names):
                grid.addWidget(self._make_button(name), row + index // columns, index % columns)
            row += -(-len(names) // columns)
            spare = len(names) % columns
            self._spare = (row - 1, spare) if spare else (row, 0)
        self._grid = grid
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        self._group.buttonClicked.connect(self._clicked)

    def add_spare(self, widget: QWidget) -> None:
        """Put ``widget`` in the first free cell after the last thumbnail (the data panel's
        own-points buttons sit there, costing no height)."""
        self._grid.addWidget(widget, *self._spare)

    def _make_button(self, name: str) -> QToolButton:
        info = DATASETS[name]
        button = ThumbnailButton(name, info.title, self)
        button.setToolTip(f"<b>{info.title}</b><br>{info.description}")
        button.setStatusTip(info.description)
        button.setAccessibleName(f"{info.title} dataset")
        button.setAccessibleDescription(info.description)
        button.setProperty("dataset", name)
        self._group.addButton(button)
        self.buttons[name] = button
        return button

    def _clicked(self, button: QToolButton) -> None:
        self._update_focus_proxy()
        self.datasetClicked.emit(button.property("dataset"))

    def _update_focus_proxy(self) -> None:
        checked = self._group.checkedButton()
        if checked is not None:
            self.setFocusProxy(checked)

    def current(self) -> str | None:
        """The checked dataset's name."""
        checked = self._group.checkedButton()
        return None if checked is None else checked.property("dataset")

    def set_current(self, name: str) -> None:
        """Check ``name``'s button without emitting ``datasetClicked`` (none for the user's
        own points, which have no thumbnail)."""
        if name not in self.buttons:
            self._group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self._group.setExclusive(True)
            return
        self.buttons[name].setChecked(True)
        self._update_focus_proxy()


class ThumbnailButton(QToolButton):
    """A checkable thumbnail with its title under it, with less padding than QToolButton's
    own so three fit in a 250 px column. Its size follows only the font (zoom): a window's
    minimum size that changes while shown makes some Qt platforms warn."""

    PAD = 3

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.setText(title)
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        relative_font(self, TITLE_FONT)
        self._pixmap = self._thumbnail()

    def _thumbnail(self) -> QPixmap:
        """The dataset's picture, as much larger than normal as the font is (zoom)."""
        zoom = self.font().pointSizeF() / (TITLE_FONT * base_point_size())
        return dataset_thumbnail(self._name, round(THUMBNAIL_SIZE * max(zoom, 0.5)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._pixmap = self._thumbnail()
            self.updateGeometry()

    def _icon_width(self) -> int:
        return round(self._pixmap.width() / self._pixmap.devicePixelRatio())

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        icon = self._icon_width()
        text = math.ceil(QFontMetricsF(self.font()).horizontalAdvance(self.text())) + 1
        width = max(icon, text)  # whole pixels rounded up: "Checkerboard" never elides
        height = icon + 2 + metrics.height()
        return QSize(width + 2 * self.PAD, height + 2 * self.PAD)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        option.text = ""
        option.icon = QIcon()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, option)
        icon = self._icon_width()
        painter.drawPixmap((self.width() - icon) // 2, self.PAD, self._pixmap)
        top = self.PAD + icon + 2
        text_rect = QRect(self.PAD, top, self.width() - 2 * self.PAD, self.height() - top)
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             text_rect.width())
        painter.drawItemText(text_rect, int(Qt.AlignmentFlag.AlignHCenter), self.palette(),
                             self.isEnabled(), text, QPalette.ColorRole.ButtonText)
