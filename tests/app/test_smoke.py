"""--smoke-test: the check an installed copy runs on itself (packaging/smoke-test.sh, CI)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.app.main_window import MainWindow
from playground.app.smoke import SmokeTest, smoke_session
from playground.core.session import Session
from playground.core.settings import DataSettings

ROOT = Path(__file__).resolve().parents[2]


def _run(window, qtbot, **options) -> tuple[bool, str]:
    smoke = SmokeTest(window, **options)
    with qtbot.waitSignal(smoke.finished, timeout=120_000) as result:
        smoke.start()
    return tuple(result.args)


def _window(qtbot, session: Session) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def test_smoke_test_from_source_prints_smoke_ok_and_exits_0(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "playground", "--smoke-test"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("SMOKE OK: trained "), done.stdout
    assert "on circle" in done.stdout and "read back" in done.stdout


def test_a_healthy_window_passes_and_training_stops(qtbot):
    window = _window(qtbot, smoke_session())
    ok, message = _run(window, qtbot, steps=50)
    assert ok, message
    assert message.startswith("SMOKE OK: trained ")
    assert not window.driver.running
    assert window.session.data.dataset == "circle"


def test_diverging_training_fails_with_the_reason(qtbot):
    spec = {"inputs": 2, "layers": [{"units": 4, "activation": "relu"}], "outputs": 2,
            "loss": "mse", "seed": 0}
    window = _window(qtbot, Session(DataSettings(dataset="circle"), spec, optimizer="sgd",
                                    lr=1e3))
    ok, message = _run(window, qtbot)
    assert not ok
    assert message.startswith("SMOKE FAILED: training diverged: ")
    assert "infinite" in message


def test_the_watchdog_fails_a_run_that_takes_too_long(qtbot):
    window = _window(qtbot, smoke_session())
    ok, message = _run(window, qtbot, steps=10**9, timeout=0.5)
    assert not ok
    assert message.startswith("SMOKE FAILED: timed out after 0.5 s: trained ")
    assert f"of {10**9} steps" in message
    assert not window.driver.running


def test_a_window_that_never_appears_times_out(qtbot):
    window = MainWindow(smoke_session())
    qtbot.addWidget(window)  # never shown
    ok, message = _run(window, qtbot, timeout=0.3)
    assert not ok
    assert message == "SMOKE FAILED: timed out after 0.3 s: the window never appeared"


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_any_slot_fails_the_run(qtbot, capsys):
    window = _window(qtbot, smoke_session())

    def broken_view(snapshot) -> None:
        if snapshot.step > 0:
            raise RuntimeError("a panel could not draw")

    window.driver.snapshotReady.connect(broken_view)
    hook = sys.excepthook
    ok, message = _run(window, qtbot)
    assert not ok
    assert message == "SMOKE FAILED: uncaught RuntimeError: a panel could not draw"
    assert sys.excepthook is hook
    assert "a panel could not draw" in capsys.readouterr().err  # the traceback still shows
