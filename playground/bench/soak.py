"""Soak run: the window in its real event loop at speed Max, with a random edit every second.

``make soak`` (``python -m playground.bench.soak``) opens the window offscreen, as the app
does (training in its own process), presses Play
at speed Max and, once a second, does something a user might: an edit of the network
(through the window's edit commands, as the editor and the panels do), a setting (through
the window's ``configure``, as the panels do), undo or redo, Reset, a theme or log-scale
switch, and after a divergence the banner's Restore. It reports the longest stall of the
event loop (a 10 ms probe timer that cannot fire while anything blocks it; beside it the most
CPU time the GUI thread spent between two probes, which a busy machine does not inflate), the
longest gap between published frames while training runs, the memory of both processes
after a one-minute warm-up, each minute and at the end, and every exception or restart of the
training process (and, should the loop stall for 10 s, where it is stuck). It passes with no
stall or frame gap over 1 s, memory flat (within 30 MB of the warm-up figure) and no
exception. It uses only the window's public surface.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import random
import sys
import time
import traceback
from collections.abc import Callable

from playground.core import edits
from playground.core.activations import NAMES as ACTIVATIONS
from playground.data import DATASETS, FEATURES

STALL_LIMIT = 1.0
MEMORY_LIMIT_MB = 30.0
WARM_UP = 60.0


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process (Linux), in MB; NaN if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def random_action(window, snap, rng: random.Random) -> tuple[str, Callable[[], object]]:
    """One thing a user might do to the network ``snap`` shows, named, and how to do it."""
    hidden = len(snap.sizes) - 2
    layer = rng.randint(1, max(1, hidden))
    units = snap.sizes[layer] if hidden else 1
    perform = window.commands.perform
    choices: list[tuple[str, Callable[[], object]]] = [
        ("add neuron", lambda: perform(edits.add_neuron(layer, rng.randint(0, units)))),
        ("remove neuron", lambda: perform(edits.remove_neuron(layer, rng.randrange(units)))),
        ("insert layer", lambda: perform(edits.insert_layer(
            rng.randint(1, hidden + 1), rng.choice(ACTIVATIONS)))),
        ("remove layer", lambda: perform(edits.remove_layer(layer))),
        ("set units", lambda: perform(edits.set_units(layer, rng.randint(1, 16)))),
        ("set activation", lambda: perform(edits.set_activation(layer, rng.choice(ACTIVATIONS)))),
        ("neuron activation", lambda: perform(edits.set_activation(
            layer, rng.choice(ACTIVATIONS), rng.randrange(units)))),
        ("output activation", lambda: perform(edits.set_output_activation(
            rng.choice(["linear", "tanh"])))),
        ("set weight", lambda: perform(edits.set_weight(
            "W1", (rng.randrange(snap.sizes[0]), rng.randrange(snap.sizes[1])),
            rng.uniform(-3, 3)))),
        ("undo", window.commands.undo), ("redo", window.commands.redo),
        ("learning rate", lambda: window.configure({"lr": rng.choice([0.001, 0.01, 0.03, 0.3,
                                                                      3.0])})),
        ("optimizer", lambda: window.configure({"optimizer": rng.choice(
            ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])})),
        ("batch", lambda: window.configure({"batch_size": rng.choice([None, 1, 10, 30])})),
        ("loss", lambda: window.configure({"loss": rng.choice(
            ["softmax", "mse", "hinge", "bce"])})),
        ("dataset", lambda: window.configure({"dataset": rng.choice(sorted(DATASETS))})),
        ("classes", lambda: window.configure({"classes": rng.randint(2, 8)})),
        ("features", lambda: window.configure({"features": tuple(rng.sample(
            list(FEATURES), rng.randint(1, len(FEATURES))))})),
        ("regularisation", lambda: window.configure(rng.choice(
            [{"l1": 0.001, "l2": 0.0}, {"l1": 0.0, "l2": 0.01}, {"l1": 0.0, "l2": 0.0}]))),
        ("dropout", lambda: window.configure({"dropout": rng.choice([0.0, 0.2])})),
        ("log scale", window.output_panel.log_loss_action.trigger),
        ("theme", window.dark_action.trigger),
        ("edges", lambda: window.set_edge_mode(rng.choice(["weight", "gradient"]))),
        ("reset", window.reset_action.trigger),
    ]
    return rng.choice(choices)


def main(seconds: float = 300.0, seed: int = 0) -> bool:
    """Run the soak; prints its figures and returns True if it passed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.app.main_window import MainWindow
    from playground.bench.window_run import quiet_offscreen_warnings

    app = QApplication.instance() or QApplication([])
    quiet_offscreen_warnings()
    errors: list[str] = []
    sys.excepthook = lambda kind, value, tb: errors.append(
        "".join(traceback.format_exception(kind, value, tb)))
    window = MainWindow(worker=True)
    window.driver.problem.connect(lambda text: errors.append(text))

    def memory_mb() -> float:
        """The window's process and the training process together."""
        return rss_mb() + rss_mb(window.driver.pid)

    window.resize(1500, 920)
    window.show()
    rng = random.Random(seed)
    start = time.perf_counter()
    stats = {"stall": 0.0, "gap": 0.0, "frames": 0, "edits": 0, "rss_start": None,
             "rss_end": float("nan"), "last_probe": start, "last_frame": None, "cpu_stall": 0.0,
             "last_cpu": time.thread_time()}
    memory: list[float] = []   # once a minute
    slowest = ("", 0.0)        # the action that took longest, and how long
    counts: dict[str, int] = {}

    def probe() -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        stats["stall"] = max(stats["stall"], now - stats["last_probe"])
        stats["cpu_stall"] = max(stats["cpu_stall"], cpu - stats["last_cpu"])
        stats["last_cpu"] = cpu
        if int(now) != int(stats["last_probe"]):   # a stall of 10 s prints where it is stuck
            faulthandler.dump_traceback_later(10.0)
            if int(now - start) // 60 > len(memory) - 1:
                memory.append(memory_mb())
        stats["last_probe"] = now
        if stats["rss_start"] is None and now - start > min(WARM_UP, seconds / 3):
            stats["rss_start"] = memory_mb()
        if now - start > seconds:
            stats["rss_end"] = memory_mb()   # while the training process still runs
            app.quit()

    def frame(snapshot) -> None:
        stats["step"], stats["snapshot"] = snapshot.step, snapshot
        now = time.perf_counter()
        if stats["last_frame"] is not None and window.driver.running:
            stats["gap"] = max(stats["gap"], now - stats["last_frame"])
        stats["last_frame"] = now if window.driver.running else None
        stats["frames"] += 1

    def act() -> None:
        nonlocal slowest
        began = time.perf_counter()
        if window.banner.isVisible() and "restore" in window.banner.buttons:
            window.banner.buttons["restore"].click()     # as the banner says: go back,
            if "lower" in window.banner.buttons:         # then a lower learning rate
                window.banner.buttons["lower"].click()
            name = "restore"
        else:
            name, action = random_action(window, stats["snapshot"], rng)
            action()
        took = time.perf_counter() - began
        if took > slowest[1]:
            slowest = (name, took)
        counts[name] = counts.get(name, 0) + 1
        stats["edits"] += 1
        if not window.driver.running:
            stats["last_frame"] = None
            window.driver.play()

    window.driver.snapshotReady.connect(frame)
    probe_timer, edit_timer = QTimer(), QTimer()
    probe_timer.timeout.connect(probe)
    edit_timer.timeout.connect(act)
    probe_timer.start(10)
    edit_timer.start(1000)
    window.driver.set_speed("Max")
    window.driver.play()
    app.exec()
    faulthandler.cancel_dump_traceback_later()
    probe_timer.stop()
    edit_timer.stop()
    steps = stats.get("step", 0)
    rss_start, rss_end = stats["rss_start"] or float("nan"), stats["rss_end"]
    window.close()
    passed = (stats["stall"] < STALL_LIMIT and stats["gap"] < STALL_LIMIT and not errors
              and rss_end - rss_start < MEMORY_LIMIT_MB)
    print(f"soak: {seconds:g} s at speed Max, {stats['edits']} random actions, "
          f"{stats['frames']} frames, {steps:,} steps since the last Reset or Restore")
    print(f"  longest event-loop stall   {stats['stall'] * 1000:8.0f} ms  (limit "
          f"{STALL_LIMIT * 1000:.0f}; {stats['cpu_stall'] * 1000:.0f} ms of the GUI thread's "
          "own CPU time at most)")
    print(f"  longest gap between frames {stats['gap'] * 1000:8.0f} ms  (while training)")
    print(f"  memory after warm-up       {rss_start:8.1f} MB")
    print(f"  memory at the end          {rss_end:8.1f} MB  (limit +{MEMORY_LIMIT_MB:g})")
    print("  memory each minute (MB)    " + " ".join(f"{m:.0f}" for m in memory))
    print(f"  slowest action             {slowest[1] * 1000:8.0f} ms  ({slowest[0]})")
    print(f"  exceptions and restarts    {len(errors):8d}")
    print("  actions: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for error in errors[:3]:
        print(error, file=sys.stderr)
    print("PASS" if passed else "FAIL")
    return passed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sys.exit(0 if main(args.seconds, args.seed) else 1)
