"""The window with training in its own process: it trains, edits land and undo exactly, a
killed process is restarted from the last picture, closing leaves nothing behind."""

import os
import signal

import numpy as np
import pytest

from playground.app.main_window import MainWindow
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings


@pytest.fixture
def window(qtbot, show_active):
    win = MainWindow(Session(DataSettings(dataset="circle")), worker=True)
    qtbot.addWidget(win)
    yield show_active(win)
    win.close()


def _step(window):
    return window.snapshot().step


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_training_runs_in_a_process_of_its_own(qtbot, window):
    assert window.session is None  # the window holds no session: the process does
    pid = window.driver.pid
    assert pid != os.getpid() and _alive(pid)
    window.driver.play()
    qtbot.waitUntil(lambda: _step(window) > 200, timeout=20000)
    qtbot.waitUntil(lambda: "steps/s" in window.rate_label.text(), timeout=5000)
    window.driver.pause()
    assert not window.driver.running
    paused = _step(window)
    window.driver.publish()
    assert _step(window) == paused  # paused means paused


def test_edits_land_between_steps_and_undo_restores_exact_weights(qtbot, window):
    window.driver.play()
    qtbot.waitUntil(lambda: _step(window) > 50, timeout=20000)
    for _ in range(5):  # actions while it trains: the picture keeps following training
        assert window.commands.perform(edits.add_neuron(1))
        window.commands.undo()
        shown = _step(window)
        qtbot.waitUntil(lambda shown=shown: _step(window) > shown + 20, timeout=10000)
    assert window.commands.perform(edits.add_neuron(1))
    assert window.snapshot().sizes == (2, 13, 12, 2)
    window.commands.undo()
    assert window.snapshot().sizes == (2, 12, 12, 2)
    window.driver.pause()
    before = {k: v.copy() for k, v in window.snapshot().params.items()}
    assert window.commands.perform(edits.set_weight("W2", (3, 4), 2.5))
    assert window.snapshot().params["W2"][3, 4] == 2.5
    assert window.undo_action.text() == "&Undo Set W2[3, 4] to 2.5"
    window.undo_action.trigger()
    after = window.snapshot().params
    for key, value in before.items():
        np.testing.assert_array_equal(after[key], value)


def test_a_refused_action_says_why_and_training_goes_on(qtbot, window):
    assert not window.configure({"lr": -1.0})
    assert "Not changed" in window.statusBar().currentMessage()
    assert window.hyper_panel.lr.currentText() == "0.01"
    window.driver.play()
    qtbot.waitUntil(lambda: _step(window) > 10, timeout=20000)


def test_a_killed_process_is_restarted_from_the_last_snapshot(qtbot, window):
    window.driver.play()
    qtbot.waitUntil(lambda: window.snapshot().epoch >= 3, timeout=20000)
    old = window.driver.pid
    os.kill(old, signal.SIGKILL)
    qtbot.waitUntil(lambda: window.driver.pid != old, timeout=10000)
    assert "restarted from epoch" in window.banner.text()
    shown = window.snapshot().epoch
    assert shown >= 3
    qtbot.waitUntil(lambda: window.snapshot().epoch > shown, timeout=20000)
    assert window.driver.running


def test_closing_mid_training_leaves_no_process_behind(qtbot, window):
    window.driver.play()
    qtbot.waitUntil(lambda: _step(window) > 10, timeout=20000)
    pid = window.driver.pid
    window.close()
    qtbot.waitUntil(lambda: not _alive(pid), timeout=5000)
    assert not window.driver.running


def test_divergence_in_the_process_pauses_and_shows_the_banner(qtbot, window):
    window.configure({"optimizer": "sgd", "lr": 1e6, "loss": "mse"})
    window.driver.set_speed("Max")
    window.driver.play()
    qtbot.waitUntil(lambda: not window.driver.running, timeout=20000)
    assert "Training paused" in window.banner.text()
    assert window.snapshot().divergence is not None
