"""The data panel, driven as a student would: click thumbnails, press keys on sliders and spin
boxes, toggle features; and what the panel shows after the session changes."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton, QWidget

from playground.app.panels import gallery as dataset_gallery
from playground.app.panels.data import DataPanel
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.data import DATASETS, FEATURES

# Qt's offscreen platform warns whenever a shown window with a layout gets a minimum size.


@pytest.fixture
def panel(qtbot):
    widget = DataPanel(DataSettings())
    qtbot.addWidget(widget)
    widget.resize(260, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_checkbox(qtbot, box: QCheckBox) -> None:
    """Click the tick box itself (the widget may be wider than its indicator and text)."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=rect.center())


def emitted(qtbot, panel, action) -> dict:
    with qtbot.waitSignal(panel.changed, timeout=1000) as blocker:
        action()
    return blocker.args[0]


# ------------------------------------------------------------------ gallery
def test_clicking_a_thumbnail_emits_the_dataset(qtbot, panel):
    button = panel.gallery.buttons["xor"]
    change = emitted(qtbot, panel, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton))
    assert change == {"dataset": "xor"}
    assert button.isChecked()
    assert panel.gallery.current() == "xor"


def test_every_dataset_is_in_the_gallery_with_title_and_description(panel):
    assert set(panel.gallery.buttons) == set(DATASETS)
    for name, button in panel.gallery.buttons.items():
        assert button.text() == DATASETS[name].title
        assert DATASETS[name].description in button.toolTip()
    assert panel.gallery.buttons["spiral"].isChecked()  # the default settings' dataset


def test_arrow_keys_move_through_the_gallery_and_select(qtbot, panel):
    spiral = panel.gallery.buttons["spiral"]
    spiral.setFocus()
    change = emitted(qtbot, panel, lambda: qtbot.keyClick(spiral, Qt.Key.Key_Right))
    assert change == {"dataset": "cs231n-spiral"}


def test_every_thumbnail_shows_points(qtbot):
    background = dataset_gallery.BACKGROUND.rgb()
    for name in DATASETS:
        image = dataset_gallery.dataset_thumbnail(name).toImage()
        assert image.width() >= dataset_gallery.THUMBNAIL_SIZE
        inner = [image.pixel(x, y) for x in range(2, image.width() - 2)
                 for y in range(2, image.height() - 2)]
        drawn = sum(1 for pixel in inner if pixel & 0xFFFFFF != background & 0xFFFFFF)
        assert drawn > 0.05 * len(inner), name


def test_thumbnails_are_cached_and_cheap(qtbot):
    saved = dict(dataset_gallery._cache)
    dataset_gallery._cache.clear()
    try:
        start = time.perf_counter()
        first = [dataset_gallery.dataset_thumbnail(name) for name in DATASETS]
        elapsed = time.perf_counter() - start
        again = [dataset_gallery.dataset_thumbnail(name) for name in DATASETS]
    finally:
        dataset_gallery._cache.update(saved)
    assert elapsed < 0.150
    assert all(a.cacheKey() == b.cacheKey() for a, b in zip(first, again, strict=True))


# ------------------------------------------------------------------ sliders
def test_noise_slider_keys_emit_noise(qtbot, panel):
    slider = panel.noise_slider
    assert emitted(qtbot, panel, lambda: qtbot.keyClick(slider, Qt.Key.Key_Right)) == {
        "noise": pytest.approx(0.05)}
    assert emitted(qtbot, panel, lambda: qtbot.keyClick(slider, Qt.Key.Key_PageUp)) == {
        "noise": pytest.approx(0.15)}
    assert panel.noise_value.text() == "15 %"
    assert emitted(qtbot, panel, lambda: qtbot.keyClick(slider, Qt.Key.Key_End)) == {
        "noise": pytest.approx(0.5)}


def test_ratio_slider_keys_emit_train_ratio(qtbot, panel):
    slider = panel.ratio_slider
    assert panel.ratio_value.text() == "50 %"
    assert emitted(qtbot, panel, lambda: qtbot.keyClick(slider, Qt.Key.Key_Left)) == {
        "train_ratio": pytest.approx(0.45)}
    assert emitted(qtbot, panel, lambda: qtbot.keyClick(slider, Qt.Key.Key_End)) == {
        "train_ratio": pytest.approx(0.9)}
    assert panel.ratio_value.text() == "90 %"
    with qtbot.assertNotEmitted(panel.changed, wait=50):
        qtbot.keyClick(slider, Qt.Key.Key_End)  # already at the top: nothing changes


def test_dragging_a_slider_emits_once_after_release(qtbot, panel):
    slider = panel.noise_slider
    changes = []
    panel.changed.connect(changes.append)
    slider.setSliderDown(True)
    for value in range(1, 31):
        slider.setValue(value)
    assert changes == []  # not one regeneration per pixel
    assert panel.noise_value.text() == "30 %"  # but the label follows the handle
    slider.setSliderDown(False)
    assert changes == [{"noise": pytest.approx(0.3)}]


def test_pausing_mid_drag_applies_the_value(qtbot, panel):
    slider = panel.ratio_slider
    slider.setSliderDown(True)
    with qtbot.waitSignal(panel.changed, timeout=1000) as blocker:
        slider.setValue(70)
    assert blocker.args[0] == {"train_ratio": pytest.approx(0.7)}
    with qtbot.assertNotEmitted(panel.changed, wait=50):
        slider.setSliderDown(False)  # the value was applied already


# ------------------------------------------------------------- spin boxes
def test_classes_follow_the_dataset(qtbot, panel):
    spin = panel.classes_spin
    with qtbot.assertNotEmitted(panel.changed):
        panel.set_settings(DataSettings(dataset="circle"))
    assert not spin.isEnabled()
    assert spin.value() == 2
    with qtbot.assertNotEmitted(panel.changed):
        panel.set_settings(DataSettings(dataset="blobs"))
    assert spin.isEnabled()
    assert (spin.minimum(), spin.maximum()) == DATASETS["blobs"].class_range
    assert spin.value() == DATASETS["blobs"].default_classes
    assert emitted(qtbot, panel, lambda: qtbot.keyClick(spin, Qt.Key.Key_Up)) == {"classes": 4}
    panel.set_settings(DataSettings(dataset="plane"))
    assert not spin.isEnabled()


def test_typing_points_emits_once_on_enter(qtbot, panel):
    spin = panel.n_spin
    changes = []
    panel.changed.connect(changes.append)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "800")
    assert changes == []  # not 8, 80, 800
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert changes == [{"n": 800}]


def test_seed_and_regenerate(qtbot, panel):
    spin = panel.seed_spin
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "3")
    change = emitted(qtbot, panel, lambda: qtbot.keyClick(spin, Qt.Key.Key_Return))
    assert change == {"seed": 3}
    with qtbot.waitSignal(panel.regenerateRequested, timeout=1000):
        qtbot.mouseClick(panel.regenerate_button, Qt.MouseButton.LeftButton)


# --------------------------------------------------------------- features
def test_features_default_and_toggle(qtbot, panel):
    assert panel.checked_features() == ("x1", "x2")
    assert [b.text() for b in panel.feature_buttons.values()][:2] == ["x₁", "x₂"]
    sin = panel.feature_buttons["sin(x1)"]
    change = emitted(qtbot, panel, lambda: click_checkbox(qtbot, sin))
    assert change == {"features": ("x1", "x2", "sin(x1)")}


def test_the_last_feature_cannot_be_unchecked(qtbot, panel):
    x1, x2 = panel.feature_buttons["x1"], panel.feature_buttons["x2"]
    assert emitted(qtbot, panel, lambda: click_checkbox(qtbot, x2)) == {"features": ("x1",)}
    assert not x1.isEnabled()
    assert "at least one" in x1.toolTip()
    with qtbot.assertNotEmitted(panel.changed, wait=50):
        click_checkbox(qtbot, x1)
    assert x1.isChecked()
    assert emitted(qtbot, panel, lambda: click_checkbox(qtbot, x2)) == {"features": ("x1", "x2")}
    assert x1.isEnabled()


# ------------------------------------------------------------ set_settings
def test_set_settings_shows_everything_and_emits_nothing(qtbot, panel):
    data = DataSettings(dataset="blobs", n=800, noise=0.25, classes=5, seed=7, train_ratio=0.7,
                        features=("x1^2", "sin(x2)"))
    with qtbot.assertNotEmitted(panel.changed), \
            qtbot.assertNotEmitted(panel.regenerateRequested):
        panel.set_settings(data)
    assert panel.gallery.current() == "blobs"
    assert panel.noise_slider.value() == 25 and panel.noise_value.text() == "25 %"
    assert panel.ratio_slider.value() == 70 and panel.ratio_value.text() == "70 %"
    assert panel.classes_spin.value() == 5
    assert panel.n_spin.value() == 800
    assert panel.seed_spin.value() == 7
    assert panel.checked_features() == ("x1^2", "sin(x2)")
    assert all(button.isEnabled() for button in panel.feature_buttons.values())
    # Defaults (n=None) show the dataset's own point count.
    panel.set_settings(DataSettings(dataset="plane"))
    assert panel.n_spin.value() == DATASETS["plane"].default_n


def test_every_control_explains_itself(panel):
    for widget in (panel.noise_slider, panel.ratio_slider, panel.classes_spin, panel.n_spin,
                   panel.seed_spin, panel.regenerate_button):
        assert widget.toolTip()
    assert "stray" in panel.noise_slider.toolTip()
    assert "generalisation" in panel.ratio_slider.toolTip()
    assert all(key in panel.feature_buttons for key in FEATURES)


def test_panel_fits_a_narrow_column(panel):
    hint = panel.minimumSizeHint()
    assert hint.width() <= 260
    assert hint.height() <= 700
    assert panel.width() == 260
    area = panel.rect()
    for child in panel.findChildren(QWidget):
        if child.isVisible():
            box = QRect(child.mapTo(panel, QPoint(0, 0)), child.size())
            assert area.contains(box), child  # nothing cut off


# ------------------------------------------------------------- integration
def test_panel_drives_a_real_session(qtbot, panel):
    session = Session(DataSettings(dataset="circle"))
    panel.set_settings(session.data)
    panel.changed.connect(lambda change: session.configure(**change))
    panel.changed.connect(lambda change: panel.set_settings(session.data))
    before = session.trainer.X_raw.copy()

    qtbot.mouseClick(panel.gallery.buttons["xor"], Qt.MouseButton.LeftButton)
    assert session.data.dataset == "xor"
    assert not np.array_equal(session.trainer.X_raw, before)

    qtbot.mouseClick(panel.gallery.buttons["blobs"], Qt.MouseButton.LeftButton)
    assert panel.classes_spin.isEnabled()
    qtbot.keyClick(panel.classes_spin, Qt.Key.Key_Up)
    assert session.data.class_count == 4
    assert session.net.outputs == 4

    click_checkbox(qtbot, panel.feature_buttons["x1*x2"])
    assert session.data.features == ("x1", "x2", "x1*x2")
    assert session.net.sizes[0] == 3
