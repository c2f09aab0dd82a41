"""The hyperparameter row driven with the keyboard and the mouse while training runs: every
change lands in the trainer and keeps every weight bit for bit."""

from contextlib import contextmanager

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from playground.core import edits
from playground.core.optimizers import Schedule

# what the offscreen platform says when a combo box pops its list open
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise", "does not support grabbing")


@pytest.fixture
def window(qtbot, active_window):
    win = active_window
    win.driver.play()
    qtbot.waitUntil(lambda: win.session.trainer.epoch >= 2, timeout=10000)
    yield win
    win.driver.pause()


@contextmanager
def weights_kept(window):
    """The change made inside keeps every weight bit for bit. Training runs on a GUI timer,
    and QTest's key and mouse events do not run the event loop, so no step comes between."""
    trainer = window.session.trainer
    before, steps = trainer.net.flat.tobytes(), trainer.step_count
    yield
    assert trainer.step_count == steps, "a training step ran during the change"
    assert trainer.net.flat.tobytes() == before


def keeps_training(qtbot, window):
    assert window.driver.running
    epoch = window.session.trainer.epoch
    qtbot.waitUntil(lambda: window.session.trainer.epoch > epoch + 1, timeout=10000)
    assert np.isfinite(window.session.net.flat).all()


def focus(qtbot, widget):
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def choose_with_mouse(qtbot, window, box: QComboBox, key: str):
    """Click the box open, then click the item (the change happens on the item's click)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    view = box.view()
    qtbot.waitUntil(view.isVisible)
    index = box.model().index(box.findData(key), 0)
    view.scrollTo(index)
    where = view.visualRect(index).intersected(view.viewport().rect()).center()
    qtbot.mouseMove(view.viewport(), where)  # hovering makes it the popup's current item
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # a quicker release is not a choice
    with weights_kept(window):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: not view.isVisible())
    assert box.currentData() == key


def choose_with_keys(qtbot, window, box: QComboBox, key: str):
    """Focus the closed box and press Down/Up until the item is chosen."""
    focus(qtbot, box)
    target = box.findData(key)
    with weights_kept(window):
        while box.currentIndex() != target:
            qtbot.keyClick(box, Qt.Key.Key_Down if box.currentIndex() < target
                           else Qt.Key.Key_Up)
    assert box.currentData() == key


def type_into(qtbot, window, widget, text: str):
    """Select what the field shows, type ``text`` and press Enter."""
    line = widget.lineEdit()
    focus(qtbot, widget)
    with weights_kept(window):
        line.selectAll()
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)


@pytest.mark.parametrize("how", [choose_with_mouse, choose_with_keys], ids=["mouse", "keys"])
@pytest.mark.parametrize("name", ["sgd", "momentum", "rmsprop"])
def test_switching_the_optimizer_mid_run(qtbot, window, how, name):
    panel = window.hyper_panel
    how(qtbot, window, panel.optimizer, name)
    trainer = window.session.trainer
    assert trainer.optimizer.name == name
    keeps_training(qtbot, window)
    assert set(trainer.optimizer.state) == {"sgd": {"lag"}, "momentum": {"v", "lag"},
                                            "rmsprop": {"cache", "steps", "lag"}}[name]


def test_typing_a_batch_size_and_stepping_it_mid_run(qtbot, window):
    panel, trainer = window.hyper_panel, window.session.trainer
    type_into(qtbot, window, panel.batch, "25")
    assert trainer.batch_size == 25 and trainer.effective_batch == 25
    with weights_kept(window):
        qtbot.keyClick(panel.batch, Qt.Key.Key_Up)
    assert trainer.batch_size == 26 and panel.batch.value() == 26
    keeps_training(qtbot, window)
    type_into(qtbot, window, panel.batch, "0")
    assert trainer.batch_size is None and trainer.effective_batch == len(trainer.y)
    assert panel.batch.text() == "full"
    keeps_training(qtbot, window)


def test_regularisation_type_and_rate_mid_run(qtbot, window):
    panel, net = window.hyper_panel, window.session.net
    assert not panel.reg_rate.isEnabled()
    choose_with_keys(qtbot, window, panel.reg, "l2")
    assert (net.l1, net.l2) == (0.0, 0.001) and panel.reg_rate.isEnabled()
    type_into(qtbot, window, panel.reg_rate, "0.03")
    assert (net.l1, net.l2) == (0.0, 0.03)
    keeps_training(qtbot, window)
    choose_with_mouse(qtbot, window, panel.reg, "l1")
    assert (net.l1, net.l2) == (0.03, 0.0)
    weights = net.flat[:net.layout.n_weights]
    assert net.regularization() == pytest.approx(0.03 * np.abs(weights).sum())
    keeps_training(qtbot, window)
    choose_with_keys(qtbot, window, panel.reg, "none")
    assert (net.l1, net.l2) == (0.0, 0.0) and not panel.reg_rate.isEnabled()
    keeps_training(qtbot, window)


def test_typing_and_stepping_dropout_mid_run(qtbot, window):
    panel, net = window.hyper_panel, window.session.net
    type_into(qtbot, window, panel.dropout, "0.3")
    assert [h.dropout for h in net.hidden] == [0.3, 0.3]
    with weights_kept(window):
        qtbot.keyClick(panel.dropout, Qt.Key.Key_Up)
    assert [h.dropout for h in net.hidden] == [pytest.approx(0.4)] * 2
    assert panel.dropout.value() == pytest.approx(0.4)
    keeps_training(qtbot, window)
    with weights_kept(window):
        for _ in range(5):
            qtbot.keyClick(panel.dropout, Qt.Key.Key_Down)
    assert [h.dropout for h in net.hidden] == [0.0, 0.0]
    keeps_training(qtbot, window)


@pytest.mark.parametrize("how", [choose_with_mouse, choose_with_keys], ids=["mouse", "keys"])
def test_choosing_the_initialiser_mid_run_changes_no_weight(qtbot, window, how):
    panel, session = window.hyper_panel, window.session
    how(qtbot, window, panel.init, "he")
    assert session.net.init == "he"
    keeps_training(qtbot, window)
    how(qtbot, window, panel.init, "uniform")
    assert session.net.init == "uniform"
    window.driver.pause()
    session.perform(edits.add_neuron(1))  # new neurons are drawn from the initialiser
    assert session.net.params["b1"][-1] == 0.1


@pytest.mark.parametrize("how", [choose_with_mouse, choose_with_keys], ids=["mouse", "keys"])
def test_choosing_the_learning_rate_schedule_mid_run(qtbot, window, how):
    panel, trainer = window.hyper_panel, window.session.trainer
    how(qtbot, window, panel.schedule, "step")
    assert trainer.schedule == Schedule("step", 0.5, 100)
    keeps_training(qtbot, window)
    how(qtbot, window, panel.schedule, "exponential")
    assert trainer.schedule == Schedule("exponential", 0.99)
    assert trainer.current_lr == pytest.approx(trainer.lr * 0.99 ** trainer.epoch)
    keeps_training(qtbot, window)


@pytest.mark.parametrize("text", ["0.25", "0.05", "0.15"])
def test_a_two_digit_dropout_is_not_cut_short_while_it_is_typed(qtbot, window, text):
    """Each keystroke applies; the panel then shows the state, which must not rewrite the
    half-typed 0.2 as "0.20" (the 5 would be refused)."""
    panel, net = window.hyper_panel, window.session.net
    type_into(qtbot, window, panel.dropout, text)
    assert [h.dropout for h in net.hidden] == [float(text)] * 2
    assert panel.dropout.text() == text
