"""One measured run of the real window, in this process: ``python -m playground.bench.window_run
CASE CONDITION SECONDS`` prints one JSON line.

The window trains in its own process at speed Max with everything visible and a hidden neuron
selected (so the inspector follows every frame); then the headless Trainer runs the same
network under the same condition, for the ratio. CONDITION ``one-core`` pins this process,
and so the training process it starts, to CPU 0 first; ``busy`` expects the caller to run a
CPU-bound process beside it.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from playground.threads import limit_thread_pools


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def headless_steps_per_second(case, seconds: float) -> float:
    trainer = case.session().trainer
    trainer.run_for(0.2)
    start_steps, start = trainer.step_count, time.perf_counter()
    trainer.run_for(seconds)
    return (trainer.step_count - start_steps) / (time.perf_counter() - start)


def window_run(case, seconds: float, worker: bool = True, edges: str = "weight") -> dict:
    """Frame and step rates of the window training ``case`` for ``seconds``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.app.main_window import MainWindow
    from playground.app.ui.selection import Selection

    app = QApplication.instance() or QApplication([])
    window = MainWindow(case.session(), worker=worker)
    window.resize(1500, 920)
    window.speed_box.setCurrentText("Max")
    window.set_edge_mode(edges)
    window.show()
    window.editor.select(Selection(1, 0))
    marks: dict[str, float] = {}

    def start() -> None:
        window.driver.frame_times.clear()
        snap = window.snapshot()
        marks.update(start=time.perf_counter(), steps=snap.step, epochs=snap.epoch)

    def finish() -> None:
        elapsed = time.perf_counter() - marks["start"]
        snap = window.snapshot()
        marks.update(elapsed=elapsed, steps=(snap.step - marks["steps"]) / elapsed,
                     epochs=(snap.epoch - marks["epochs"]) / elapsed)
        app.quit()

    QTimer.singleShot(300, window.driver.play)
    QTimer.singleShot(1300, start)  # a second to warm up: the process starts, caches fill
    QTimer.singleShot(1300 + round(1000 * seconds), finish)
    app.exec()
    frames = [1.0 / t for t in window.driver.frame_times if t > 0]
    window.close()
    return {"fps_median": statistics.median(frames), "fps_p5": percentile(frames, 0.05),
            "steps_per_s": marks["steps"], "epochs_per_s": marks["epochs"]}


def quiet_offscreen_warnings() -> None:
    """The offscreen platform warns on every shown window; keep the tables readable."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(kind, context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def main(argv: list[str]) -> int:
    key, condition, seconds = argv[0], argv[1], float(argv[2])
    if condition == "one-core":
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from playground.bench.cases import CASES

    quiet_offscreen_warnings()
    case = CASES[key]
    result = window_run(case, seconds)
    result["headless"] = headless_steps_per_second(case, min(seconds, 3.0))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    limit_thread_pools()
    raise SystemExit(main(sys.argv[1:]))
