"""The main window driven as a student would: buttons, keys, menus; checks what is shown."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from playground.app.main_window import MainWindow
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture
def window(qtbot):
    win = MainWindow(Session(DataSettings(dataset="circle")))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def toolbar_button(win, action):
    return win.findChild(QToolBar, "training_toolbar").widgetForAction(action)


def click(qtbot, win, action):
    qtbot.mouseClick(toolbar_button(win, action), Qt.MouseButton.LeftButton)


def epoch_shown(win) -> int:
    return int(win.epoch_label.text().split("<b>")[1].split("</b>")[0].replace(",", ""))


def test_window_title_menus_and_size_label(window):
    assert window.windowTitle() == "Untitled[*] — Neural Playground"   # [*]: Qt's modified mark
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Edit", "View", "Train", "Help"]
    assert window.network_view.size_label_text() == "26 neurons, 218 parameters"
    assert epoch_shown(window) == 0


def test_play_trains_until_the_epoch_counter_moves_and_the_loss_falls(qtbot, window):
    window.session.trainer.lr = 0.03
    click(qtbot, window, window.play_action)
    assert window.driver.running and window.play_action.text() == "&Pause"
    qtbot.waitUntil(lambda: epoch_shown(window) >= 40, timeout=15000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.driver.running and window.play_action.text() == "&Play"
    losses = window.session.trainer.history.train_loss
    assert losses[-1] < 0.8 * losses[0]


def test_step_advances_exactly_one_epoch_and_step_batch_one_step(qtbot, window):
    click(qtbot, window, window.step_epoch_action)
    assert epoch_shown(window) == 1
    trainer = window.session.trainer
    assert trainer.step_count == trainer.steps_per_epoch
    steps = trainer.step_count
    click(qtbot, window, window.step_batch_action)
    assert trainer.step_count == steps + 1 and epoch_shown(window) == 1


def test_reset_changes_the_weights_and_clears_the_counters(qtbot, window):
    click(qtbot, window, window.step_epoch_action)
    before = window.session.net.flat.copy()
    click(qtbot, window, window.reset_action)
    assert not np.array_equal(before, window.session.net.flat)
    assert epoch_shown(window) == 0


def test_switching_dataset_regenerates_the_points(qtbot, window):
    before = window.session.trainer.X_raw.copy()
    weights = window.session.net.flat.copy()
    window.data_panel.changed.emit({"dataset": "xor"})
    assert window.session.data.dataset == "xor"
    assert not np.array_equal(before, window.session.trainer.X_raw)
    np.testing.assert_array_equal(weights, window.session.net.flat)


def test_changing_the_learning_rate_mid_run_keeps_the_weights(qtbot, window):
    click(qtbot, window, window.play_action)
    qtbot.waitUntil(lambda: epoch_shown(window) >= 3, timeout=10000)
    box = window.hyper_panel.lr
    weights = window.session.net.flat.copy()
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "0.3")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert window.session.trainer.lr == 0.3
    np.testing.assert_array_equal(weights, window.session.net.flat)
    assert window.driver.running
    epoch = epoch_shown(window)
    qtbot.waitUntil(lambda: epoch_shown(window) > epoch + 2, timeout=10000)
    window.driver.pause()


def test_discretize_changes_the_picture(qtbot, window):
    window.session.trainer.run_epochs(20)
    window.driver.publish()
    before = window.output_panel.boundary_image()
    window.output_panel.discretize_action.trigger()
    after = window.output_panel.boundary_image()
    assert before.shape == after.shape and not np.array_equal(before, after)
    assert len(np.unique(after.reshape(-1, after.shape[-1]), axis=0)) <= 2


def test_huge_learning_rate_shows_the_banner_and_keeps_finite_weights(qtbot, window):
    window.configure({"optimizer": "sgd", "lr": 1e6})
    window.configure({"loss": "mse"})
    click(qtbot, window, window.play_action)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    text = window.banner.text()
    assert "learning rate 1e+06" in text and "lower the learning rate" in text
    assert "epoch" in text
    assert not window.driver.running
    assert np.isfinite(window.session.net.flat).all()
    window.banner.buttons["lower"].click()
    assert window.session.trainer.lr == pytest.approx(1e5)


def test_closing_while_training_stops_cleanly(qtbot, window):
    click(qtbot, window, window.play_action)
    qtbot.waitUntil(lambda: epoch_shown(window) >= 1, timeout=10000)
    window.close()
    assert not window.driver.running


def test_hovering_a_neuron_shows_its_map_large(qtbot, window):
    view = window.network_view
    center = view.mapFromScene(view.node_center(1, 0))
    qtbot.mouseMove(view.viewport(), center)
    qtbot.waitUntil(lambda: "neuron" in window.output_panel.title_text().lower(), timeout=3000)


def test_architecture_side_panel_adds_and_removes_layers_without_losing_weights(qtbot, window):
    W1 = window.session.net.params["W1"].copy()
    qtbot.mouseClick(window.architecture.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.architecture.cards) == 3, timeout=3000)
    assert window.session.net.sizes == [2, 12, 12, 12, 2]
    np.testing.assert_array_equal(window.session.net.params["W1"], W1)
    card = window.architecture.cards[0]
    card.units.stepBy(1)
    assert window.session.net.sizes[1] == 13
    np.testing.assert_array_equal(window.session.net.params["W1"][:, :12], W1)
    qtbot.mouseClick(window.architecture.cards[2].remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.architecture.cards) == 2, timeout=3000)
    assert window.session.net.sizes == [2, 13, 12, 2]
    assert window.network_view.size_label_text() == "27 neurons, 233 parameters"


def _mnemonics(win) -> dict[str, list[str]]:
    """Alt+letter shortcuts on screen now: menu titles, visible labels, buttons and tabs."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar

    texts = [a.text() for a in win.menuBar().actions()]
    for kind in (QLabel, QAbstractButton):
        texts += [w.text() for w in win.findChildren(kind) if w.isVisible()]
    for bar in win.findChildren(QTabBar):
        if bar.isVisible():
            texts += [bar.tabText(i) for i in range(bar.count())]
    found: dict[str, list[str]] = {}
    for text in texts:
        match = re.search(r"&(\w)", text.replace("&&", ""))
        if match:
            found.setdefault(match.group(1).lower(), []).append(text)
    return found


def test_no_two_alt_shortcuts_share_a_letter_on_any_page(qtbot, window):
    from playground.app.ui.selection import Selection

    pages = [lambda: None, lambda: window.editor.select(Selection(1, 0)),
             lambda: window.editor.select(Selection(1)),
             lambda: window.tabs.setCurrentWidget(window.backprop),
             lambda: window.backprop.setCurrentWidget(window.vector_view)]
    for show in pages:
        show()
        shared = {k: v for k, v in _mnemonics(window).items() if len(v) > 1}
        assert not shared
