"""The window with training in its own process: it trains, edits land and undo exactly, a
killed process is restarted from the last picture, closing leaves nothing behind."""

import os
import signal

import numpy as np
import pytest

from playground.app import worker_driver
from playground.app.main_window import MainWindow
from playground.core import edits
from playground.core.grid import DisplayGrid, GridPass
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


def test_a_big_networks_grid_comes_in_slices_each_from_one_snapshots_weights(
        qtbot, show_active, monkeypatch):
    """The boundary of a wide network costs a few milliseconds in several frames, never one
    long frame, and each grid shown is the picture of one set of weights, not a mix."""
    monkeypatch.setattr(worker_driver, "GRID_SLICE", 0.0005)
    slices = []
    advance = GridPass.advance
    monkeypatch.setattr(GridPass, "advance", lambda self, points: (
        slices.append(int(points)), advance(self, points)))
    spec = {"inputs": 2, "layers": [32, 32, 32], "outputs": 2, "activation": "tanh"}
    win = MainWindow(Session(DataSettings(dataset="circle"), spec), worker=True)
    qtbot.addWidget(win)
    show_active(win)
    shown = [win.snapshot()]
    win.driver.snapshotReady.connect(shown.append)
    win.driver.set_speed("Max")
    slices.clear()
    win.driver.play()
    qtbot.waitUntil(lambda: len({id(s.grid) for s in shown}) >= 4, timeout=30000)
    win.driver.pause()
    win.close()
    grids = {id(s.grid): s.grid for s in shown}
    assert max(slices) < 100 * 100 / 4   # a grid costs a slice of a frame, not a frame
    weights = [DisplayGrid().activations(s.network(), s.features, s.data.bounds,
                                         win.driver.resolution).output for s in shown]
    for grid in grids.values():
        assert any(np.allclose(grid.output, w, rtol=0, atol=1e-12) for w in weights)


def _kill_and_reap(window):
    """Kill the training process and wait until it is gone, before the window's next frame
    has had a chance to notice: the user's next action is the first to meet the dead pipe."""
    process = window.driver._process
    process.kill()
    process.wait()
    return process.pid


def test_play_on_a_process_that_just_died_restarts_it_and_trains(qtbot, window):
    old = _kill_and_reap(window)
    window.play_action.trigger()
    assert window.driver.pid != old
    assert "restarted" in window.banner.text()
    qtbot.waitUntil(lambda: _step(window) > 50, timeout=20000)
    assert window.driver.running


def test_a_speed_chosen_as_the_process_dies_is_the_new_processes_speed(qtbot, window):
    old = _kill_and_reap(window)
    window.speed_box.setCurrentText("Slow")
    assert window.driver.pid != old
    assert window.driver.speed == 5


@pytest.mark.parametrize("action", ["reset_action", "step_epoch_action", "step_batch_action"])
def test_an_action_on_a_process_that_just_died_says_try_again(qtbot, window, action):
    old = _kill_and_reap(window)
    getattr(window, action).trigger()  # no exception escapes into the event loop
    assert window.driver.pid != old
    assert "try again" in window.statusBar().currentMessage()
    shown = window.snapshot()
    getattr(window, action).trigger()  # trying again works: the new process answers
    assert window.snapshot() is not shown


def test_saving_weights_as_the_process_dies_says_try_again(qtbot, window, tmp_path,
                                                           monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox
    warnings = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_: (str(tmp_path / "w.npz"), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: warnings.append(
        (title, text)))
    _kill_and_reap(window)
    window.save_weights_action.trigger()
    assert warnings and "try again" in warnings[0][1]
    window.save_weights_action.trigger()
    assert (tmp_path / "w.npz").is_file()


def test_pausing_as_the_process_dies_leaves_a_paused_new_process(qtbot, window):
    window.driver.play()
    qtbot.waitUntil(lambda: _step(window) > 10, timeout=20000)
    old = _kill_and_reap(window)
    window.play_action.trigger()  # Pause
    assert window.driver.pid != old and not window.driver.running
    shown = _step(window)
    qtbot.wait(200)
    window.driver.publish()
    assert _step(window) == shown


@pytest.mark.skipif(not os.path.exists("/proc/self/environ"), reason="reads /proc")
def test_the_process_has_one_blas_thread_unless_the_user_set_another(qtbot, monkeypatch):
    from playground.threads import VARIABLES
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    win = MainWindow(Session(DataSettings(dataset="circle")), worker=True)
    qtbot.addWidget(win)
    with open(f"/proc/{win.driver.pid}/environ", "rb") as f:
        env = dict(item.split(b"=", 1) for item in f.read().split(b"\0") if b"=" in item)
    win.close()
    assert env[b"OPENBLAS_NUM_THREADS"] == b"1"
    assert env[b"OMP_NUM_THREADS"] == b"2"


def test_play_at_once_then_space_pauses(qtbot):
    """`gui --play` plays before the process's first picture arrives: that picture (sent
    while it was still paused) must not make the window think training stopped, or the
    button says Play while it trains and the first Space plays instead of pausing."""
    from PySide6.QtCore import Qt

    window = MainWindow(Session(DataSettings(dataset="circle")), worker=True)
    qtbot.addWidget(window)
    window.show()
    window.driver.play()   # as main() does, before any event is processed
    qtbot.waitUntil(lambda: _step(window) > 100, timeout=20000)
    assert window.driver.running and window.play_action.text() == "&Pause"
    qtbot.keyClick(window.network_view, Qt.Key.Key_Space)
    assert not window.driver.running and window.play_action.text() == "&Play"
    paused = _step(window)
    window.driver.publish()
    assert _step(window) == paused
    window.close()


def test_paused_says_paused_after_the_last_picture_arrives(qtbot, window):
    """The pause's own picture used to count as a step rate: "761 steps/s" while paused."""
    window.driver.play()
    qtbot.waitUntil(lambda: "steps/s" in window.rate_label.text(), timeout=20000)
    window.driver.pause()   # its answer brings the last picture, shown at once
    assert window.rate_label.text() == "paused"
    window.commands.perform(edits.add_neuron(1))   # so does an edit's
    assert window.rate_label.text() == "paused"
