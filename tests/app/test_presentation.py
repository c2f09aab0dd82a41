"""Zoom (Ctrl+= / Ctrl+− / Ctrl+0, remembered) and presentation mode (F11): larger text
everywhere, thicker plot lines, full screen; and readable toolbar icons and check boxes on
the dark theme."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleOptionButton

from playground.app.main_window import MainWindow
from playground.app.ui import window_state
from playground.app.ui.icons import ICONS, themed_icon
from playground.app.ui.scale import PRESENTATION, ZOOM_STEPS, base_point_size
from playground.app.ui.theme import apply_theme
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture(autouse=True)
def normal_size_after():
    """A zoom is the application's font: put it back for the tests that follow."""
    yield
    app = QApplication.instance()
    font = QFont(app.font())
    font.setPointSizeF(base_point_size())
    app.setFont(font)


@pytest.fixture
def window(active_window):
    return active_window


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def app_size() -> float:
    return QApplication.font().pointSizeF()


def test_ctrl_plus_and_minus_scale_every_text_and_are_remembered(qtbot, window, show_active):
    base = base_point_size()
    title = window.data_panel.gallery.buttons["spiral"]
    title_size, title_width = title.font().pointSizeF(), title.sizeHint().width()
    press(qtbot, window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    zoom = ZOOM_STEPS[ZOOM_STEPS.index(1.0) + 2]
    assert app_size() == pytest.approx(round(base * zoom, 1))
    qtbot.waitUntil(lambda: window.hyper_panel.lr.font().pointSizeF() == app_size())
    assert title.font().pointSizeF() == pytest.approx(title_size * zoom, abs=0.1)  # relative
    assert title.sizeHint().width() > title_width  # and its thumbnail grew with it
    window.close()
    again = MainWindow(Session(DataSettings(dataset="circle")))
    qtbot.addWidget(again)
    show_active(again)
    assert app_size() == pytest.approx(round(base * zoom, 1))  # remembered
    press(qtbot, again, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert app_size() == pytest.approx(round(base * ZOOM_STEPS[ZOOM_STEPS.index(zoom) - 1], 1))
    press(qtbot, again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert app_size() == pytest.approx(base)
    assert not again.zoom_reset_action.isEnabled()


def test_zoom_stops_at_its_ends(qtbot, window):
    for _ in range(len(ZOOM_STEPS) + 2):
        window.zoom_in_action.trigger()
    assert window.scale.zoom == ZOOM_STEPS[-1] and not window.zoom_in_action.isEnabled()
    for _ in range(len(ZOOM_STEPS) + 2):
        window.zoom_out_action.trigger()
    assert window.scale.zoom == ZOOM_STEPS[0] and not window.zoom_out_action.isEnabled()


def test_f11_presents_full_screen_with_larger_text_and_thicker_lines(qtbot, window):
    base = app_size()
    width = window.output_panel.loss_plot.train_curve.opts["pen"].widthF()
    press(qtbot, window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert window.presentation_action.isChecked()
    assert app_size() == pytest.approx(round(base * PRESENTATION, 1))
    assert window.output_panel.loss_plot.train_curve.opts["pen"].widthF() > width
    qtbot.waitUntil(lambda: window.network_view.font().pointSizeF() > base)
    press(qtbot, window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert app_size() == pytest.approx(base)
    assert window.output_panel.loss_plot.train_curve.opts["pen"].widthF() == width
    assert not window.presentation_action.isChecked()


def test_the_side_columns_collapse_from_the_keyboard(qtbot, window):
    press(qtbot, window, Qt.Key.Key_D,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, window, Qt.Key.Key_O,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not window.side.isVisible() and not window.output_column.isVisible())
    press(qtbot, window, Qt.Key.Key_D,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(window.side.isVisible)


# ----------------------------------------------------------- dark contrast
def contrast(a, b) -> float:
    """Difference in lightness, 0-255."""
    return abs(a.lightness() - b.lightness())


@pytest.fixture
def dark():
    app = QApplication.instance()
    palette = app.palette()
    apply_theme(app, "dark")
    yield app.palette()
    app.setPalette(palette)


def test_toolbar_icons_read_on_the_dark_theme(dark):
    window_color = dark.color(QPalette.ColorRole.Window)
    for name in ICONS:
        image = themed_icon(name).pixmap(32, 32).toImage()
        opaque = [image.pixelColor(x, y) for x in range(32) for y in range(32)
                  if image.pixelColor(x, y).alpha() > 200]
        assert opaque, name
        assert min(contrast(c, window_color) for c in opaque) > 100, name


def test_an_unchecked_check_box_has_a_visible_outline_on_the_dark_theme(qtbot, dark):
    box = QCheckBox("x₁²")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect: QRect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image: QImage = box.grab().toImage()
    background = dark.color(QPalette.ColorRole.Window)
    ring = [image.pixelColor(QPoint(x, rect.top())) for x in range(rect.left() + 2,
                                                                    rect.right() - 1)]
    assert np.median([contrast(c, background) for c in ring]) > 60


def test_presenting_on_a_small_projector_makes_room_for_the_network(qtbot, monkeypatch,
                                                                     show_active):
    area = QRect(0, 0, 1024, 768)
    monkeypatch.setattr(window_state, "available_area", lambda _window: area)
    win = MainWindow(Session(DataSettings(dataset="spiral")))
    qtbot.addWidget(win)
    show_active(win)
    qtbot.waitUntil(lambda: win.columns_ready)
    win.set_presentation(True)
    qtbot.waitUntil(lambda: not win.side.isVisible())  # the data column made room…
    assert "Ctrl+Shift+D" in win.statusBar().currentMessage()  # …and says how to get it back
    assert not win.side_column_action.isChecked()
    left, center, right = win.splitter.sizes()
    assert left == 0 and center > right  # the network has the room
    win.set_presentation(False)
    qtbot.waitUntil(win.side.isVisible)  # room again: it comes back by itself
    assert win.side_column_action.isChecked()


def test_curve_labels_never_overlap_when_presenting_zoomed_on_a_small_projector(
        qtbot, monkeypatch, show_active):
    """On a 1024 × 768 projector the curve plots are short and their labels large: the
    gradient plot's 1, 0.1 and 0.01 were drawn on top of each other."""
    from PySide6.QtGui import QFontMetricsF

    area = QRect(0, 0, 1024, 768)
    monkeypatch.setattr(window_state, "available_area", lambda _window: area)
    win = MainWindow(Session(DataSettings(dataset="spiral")))
    qtbot.addWidget(win)
    show_active(win)
    win.session.trainer.run_epochs(300)
    win.driver.publish()
    win.set_presentation(True)
    for _ in range(len(ZOOM_STEPS)):
        win.zoom_in_action.trigger()
    win.resize(1024, 768)
    for plot in (win.output_panel.loss_plot, win.output_panel.grad_plot):
        plot.redraw()
        QApplication.processEvents()
        axis = plot.plotItem.getAxis("left")
        lo, hi = plot.plotItem.getViewBox().viewRange()[1]
        size = axis.height()
        line = QFontMetricsF(axis.style.get("tickFont") or axis.font()).height()
        values = sorted(v for _, level in axis.tickValues(lo, hi, size) for v in level
                        if lo <= v <= hi)
        assert values, "an axis without a single label"
        pixels = np.diff([(v - lo) / (hi - lo) * size for v in values])
        assert (pixels >= line).all(), f"labels {values} {pixels} px apart, {line} px tall"


def fits(label) -> bool:
    """Whether a label's whole text fits its (fixed) size, as a free label of its font and
    margins would need."""
    from PySide6.QtWidgets import QLabel
    probe = QLabel(label.text())
    probe.setFont(label.font())
    probe.setContentsMargins(label.contentsMargins())
    return (probe.sizeHint().width() <= label.width()
            and probe.sizeHint().height() <= label.height())


def test_counters_and_readouts_keep_their_whole_text_when_zoomed(qtbot, window, show_active):
    """The epoch and step counters, the rate and the readouts have a fixed size (so a new
    number never re-lays out the window); a zoom refits them."""
    window.driver.step_epoch()
    qtbot.waitUntil(lambda: "1" in window.epoch_label.text())
    labels = [window.epoch_label, window.step_label, window.rate_label,
              *(stat.value for stat in window.output_panel.readout.stats.values())]
    assert all(fits(label) for label in labels)
    before = window.epoch_label.width()
    press(qtbot, window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.epoch_label.width() > before)  # fonts follow in events
    assert all(fits(label) for label in labels)
    window.step_label.setText("Step <b>123,456,789,012,345</b>")  # longer than foreseen
    assert fits(window.step_label)


def test_curve_legends_follow_the_zoom_at_once(qtbot, window):
    """A legend's text is drawn at the size its plot asks for now, not at the size of the
    zoom before (pyqtgraph's setLabelTextSize keeps the old text until it is set again)."""
    import re

    def rendered(plot) -> set[str]:
        return {re.findall(r"font-size:\s*([\d.]+pt)", label.item.toHtml())[-1]
                for _, label in plot.legend.items}

    plot = window.output_panel.loss_plot
    assert rendered(plot) == {plot.legend.labelTextSize()}
    for _ in range(2):
        before = plot.legend.labelTextSize()
        press(qtbot, window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda b=before: plot.legend.labelTextSize() != b)
        assert rendered(plot) == {plot.legend.labelTextSize()}


@pytest.mark.parametrize(("lo", "hi"), [(-2.2, 0.3), (-0.9, 0.3), (-1.4, 0.2), (-6.0, 1.0)])
def test_log_axis_labels_never_touch_in_a_short_plot(qtbot, lo, hi):
    """A gradient plot squeezed to a few dozen pixels drew 0.01, 0.1 and 1 ten pixels apart,
    on top of each other: every two labels it keeps are now at least a line apart."""
    from PySide6.QtGui import QFontMetricsF

    from playground.app.panels.plot_axes import LogAxis

    axis = LogAxis("left")
    axis.setLogMode(False, True)
    line = QFontMetricsF(axis.style.get("tickFont") or axis.font()).height()
    for size in range(14, 120, 2):
        values = sorted(v for _, level in axis.tickValues(lo, hi, size) for v in level
                        if lo <= v <= hi)
        assert values, f"no label at all in {size} px"
        pixels = np.diff([(v - lo) / (hi - lo) * size for v in values])
        assert (pixels >= line).all(), f"{values} {pixels} px apart in {size} px"
