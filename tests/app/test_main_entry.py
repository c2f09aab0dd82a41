"""A file named on the command line (a double-click in the file manager) opens in the window."""

import os
import subprocess
import sys
import time
from pathlib import Path

from playground.app.main import open_path
from playground.core.network import Network
from playground.io.weights import save_weights

ROOT = Path(__file__).resolve().parents[2]


def test_a_weights_file_opens_with_its_network(active_window, tmp_path):
    net = Network.from_spec({"inputs": 2, "layers": [{"units": 3, "activation": "relu"}],
                             "outputs": 2, "loss": "softmax", "seed": 1})
    path = save_weights(tmp_path / "three.npz", net, features=["x1", "x2"])
    open_path(active_window, str(path))
    assert active_window.session.net.sizes == [2, 3, 2]
    assert "three.npz" in active_window.statusBar().currentMessage()


def test_another_file_is_refused_with_a_message_and_nothing_changes(active_window, tmp_path):
    before = active_window.session.net.sizes
    path = tmp_path / "lesson.docx"
    path.write_bytes(b"PK\x03\x04")
    open_path(active_window, str(path))
    assert active_window.session.net.sizes == before
    message = active_window.statusBar().currentMessage()
    assert message.startswith(f"Cannot open {path}") and ".nplay" in message


def test_startup_time_flag_prints_the_first_paint_and_quits(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "playground", "--startup-time"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    painted = float(done.stdout.strip().removeprefix("first paint at "))
    assert started < painted < time.time()
