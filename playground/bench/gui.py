"""GUI benchmark: the whole window training at full speed, everything visible, offscreen.

For each network it reports frames per second (median and 5th percentile over the run), the
steps/s the window achieves beside the headless Trainer's on the same network, and epochs/s
against TF Playground's measured 42 (default net) and 10 (6 × 8, all features). It also times
how long the window takes to appear from a cold process start, and the network view with
about 5,000 edges: its redraw alone, and the window's frame rate while training that network
in either edge mode (with a neuron selected, so the inspector follows every frame too). Last,
how quickly the Backprop tab opens and steps through the widest neuron the editor allows.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.data import FEATURES

TF_EPOCHS_PER_SECOND = {"default": 42.0, "deep": 10.0}


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    data: DataSettings
    layers: list[int]

    def session(self) -> Session:
        spec = {"layers": [{"units": u, "activation": "tanh"} for u in self.layers],
                "loss": "softmax", "seed": 0}
        return Session(self.data, spec, optimizer="sgd", lr=0.03, batch_size=10)


CASES = (
    Case("default", "TF default: spiral, 250 training points, batch 10, 4-2 tanh",
         DataSettings("spiral", n=500, train_ratio=0.5), [4, 2]),
    Case("deep", "6 hidden layers of 8, all 7 features, batch 10",
         DataSettings("spiral", n=500, train_ratio=0.5, features=FEATURES), [8] * 6),
)


WIDE = Case("wide", "2-32×6-3 (~5k edges): spiral, 3 classes, batch 10",
            DataSettings("spiral", n=500, classes=3), [32] * 6)
"""The editor's target: a wide network still draws at ≥ 30 fps while it trains."""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def headless_steps_per_second(case: Case, seconds: float) -> float:
    trainer = case.session().trainer
    trainer.run_for(0.2)
    start_steps, start = trainer.step_count, time.perf_counter()
    trainer.run_for(seconds)
    return (trainer.step_count - start_steps) / (time.perf_counter() - start)


def gui_run(case: Case, seconds: float, edges: str = "weight") -> dict[str, float]:
    """Train in the real window at speed Max for ``seconds``, edges drawn by ``edges``, a
    hidden neuron selected; frame and step rates."""
    from PySide6.QtWidgets import QApplication

    from playground.app.main_window import MainWindow
    from playground.app.ui.selection import Selection

    app = QApplication.instance() or QApplication([])
    window = MainWindow(case.session())
    window.speed_box.setCurrentText("Max")
    window.set_edge_mode(edges)
    window.show()
    app.processEvents()
    window.editor.select(Selection(1, 0))
    trainer = window.session.trainer
    window.driver.play()
    warm = time.perf_counter() + 0.5
    while time.perf_counter() < warm:
        app.processEvents()
    window.driver.frame_times.clear()
    steps0, epochs0, start = trainer.step_count, trainer.epoch, time.perf_counter()
    while time.perf_counter() - start < seconds:
        app.processEvents()
    elapsed = time.perf_counter() - start
    frames = [1.0 / t for t in window.driver.frame_times if t > 0]
    result = {"fps_median": statistics.median(frames), "fps_p5": _percentile(frames, 0.05),
              "steps_per_s": (trainer.step_count - steps0) / elapsed,
              "epochs_per_s": (trainer.epoch - epochs0) / elapsed}
    window.close()
    app.processEvents()
    return result


def network_view_ms(layers: list[int], repeats: int = 60) -> float:
    """Median time of show_snapshot + a full repaint of the network view while training."""
    from PySide6.QtWidgets import QApplication

    from playground.app.network.view import NetworkView

    app = QApplication.instance() or QApplication([])
    session = Session(DataSettings("spiral", n=500),
                      {"layers": [{"units": u, "activation": "tanh"} for u in layers],
                       "loss": "softmax", "seed": 0})
    view = NetworkView()
    view.resize(1000, 700)
    view.show()
    app.processEvents()
    times = []
    for _ in range(repeats):
        session.trainer.run(10)
        snap = session.snapshot()
        start = time.perf_counter()
        view.show_snapshot(snap)
        view.viewport().repaint()
        times.append(time.perf_counter() - start)
    view.close()
    return 1000 * statistics.median(times)


def explainer_ms(units: int = 64, activation: str = "maxout") -> tuple[float, float]:
    """Opening a neuron of a ``units``-wide layer as a gate graph, and the slowest single
    step through both passes, in ms (each must feel instant: target < 100 and < 50)."""
    from PySide6.QtWidgets import QApplication

    from playground.app.backprop.explainer import Explainer
    from playground.backprop.walkthrough import DONE, FORWARD

    app = QApplication.instance() or QApplication([])
    session = Session(DataSettings("spiral", n=500),
                      {"layers": [{"units": units, "activation": activation}] * 2,
                       "loss": "softmax", "seed": 0})
    snap = session.snapshot(None)
    explainer = Explainer()
    explainer.resize(1400, 800)
    explainer.show()
    app.processEvents()
    start = time.perf_counter()
    explainer.show_neuron(snap, 2, 0)
    app.processEvents()
    opened = time.perf_counter() - start
    slowest = 0.0
    while explainer.walkthrough.phase != DONE:
        start = time.perf_counter()
        if explainer.walkthrough.phase == FORWARD:
            explainer.step_forward()
        else:
            explainer.step_backward()
        app.processEvents()
        slowest = max(slowest, time.perf_counter() - start)
    explainer.close()
    return 1000 * opened, 1000 * slowest


def time_to_window(repeats: int = 3) -> float:
    """Seconds from starting a fresh Python process to the window's first paint."""
    probe = ("import time, sys; from PySide6.QtWidgets import QApplication; "
             "from PySide6.QtCore import QObject, QEvent; "
             "app = QApplication([]); from playground.app.main_window import MainWindow; "
             "w = MainWindow();\n"
             "class F(QObject):\n"
             "    def eventFilter(self, o, e):\n"
             "        if e.type() == QEvent.Type.Paint:\n"
             "            print('painted', flush=True); app.exit(0)\n"
             "        return False\n"
             "f = F(); w.installEventFilter(f); w.show(); app.exec()")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    best = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", probe], check=True, env=env,
                       capture_output=True, timeout=60)
        best.append(time.perf_counter() - start)
    return statistics.median(best)


def _quiet_offscreen_warnings() -> None:
    """The offscreen platform warns on every shown window; keep the tables readable."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(kind, context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def main(seconds: float = 10.0) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _quiet_offscreen_warnings()
    print(f"GUI benchmark ({os.environ['QT_QPA_PLATFORM']}), {seconds:g} s of training "
          "per network at speed Max, everything visible")
    print(f"{'network':<58} {'fps med':>7} {'fps p5':>7} {'GUI st/s':>9} "
          f"{'headless':>9} {'ratio':>6} {'epochs/s':>9} {'× TF':>5}")
    for case in CASES:
        gui = gui_run(case, seconds)
        headless = headless_steps_per_second(case, min(seconds, 3.0))
        tf = TF_EPOCHS_PER_SECOND[case.key]
        print(f"{case.title:<58} {gui['fps_median']:>7.1f} {gui['fps_p5']:>7.1f} "
              f"{gui['steps_per_s']:>9,.0f} {headless:>9,.0f} "
              f"{gui['steps_per_s'] / headless:>6.2f} {gui['epochs_per_s']:>9,.0f} "
              f"{gui['epochs_per_s'] / tf:>5.1f}")
    print("targets: fps p5 ≥ 30, GUI/headless ≥ 0.5, ≥ 3× TF Playground's epochs/s")
    big = network_view_ms([32] * 6)
    print(f"network view 2-32×6-3 (~5k edges), snapshot + repaint: {big:.1f} ms "
          f"({1000 / big:.0f} fps; target ≥ 30)")
    for edges in ("weight", "gradient"):
        wide = gui_run(WIDE, seconds, edges)
        print(f"window training {WIDE.title}, edges by {edges}: frame "
              f"{1000 / wide['fps_median']:.1f} ms, {wide['fps_median']:.1f} fps median, "
              f"{wide['fps_p5']:.1f} p5 (target ≥ 30), {wide['steps_per_s']:,.0f} steps/s")
    opened, step = explainer_ms()
    print(f"Backprop tab, a neuron of a 64-wide maxout layer: opens in {opened:.0f} ms "
          f"(target < 100), slowest step {step:.0f} ms (target < 50)")
    print(f"window visible after a cold start: {time_to_window():.2f} s (target < 1.5 s)")
