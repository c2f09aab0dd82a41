"""GUI entry point: the `neural-playground` command (also `playground`, `python -m playground`)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from playground.threads import limit_thread_pools

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from playground.app.main_window import MainWindow


TRAINING_PROCESS = "--training-process"
"""The argument a frozen bundle is started with to run its training process (see
playground.app.worker_driver.worker_command)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neural-playground", description="Neural Playground")
    parser.add_argument("file", nargs="?",
                        help="a project (.nplay), a weights file (.npz) or points (.csv) to open")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--play", action="store_true", help="start training right away")
    parser.add_argument("--edges", choices=("weight", "gradient"), default="weight",
                        help="draw edges by weight (default) or by mean |gradient|")
    parser.add_argument("--smoke-test", action="store_true",
                        help="check this installation: open the window, train 200 steps on "
                             "circle, save and reload the weights, print SMOKE OK and exit 0 "
                             "(or why not, and exit 1)")
    parser.add_argument("--startup-time", action="store_true",
                        help="print the wall-clock time (Unix seconds) of the window's first "
                             "paint and quit; packaging/startup_time.py measures with it")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    limit_thread_pools()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [TRAINING_PROCESS]:  # the bundled app started as its own training process
        from playground.runner.worker import main as training_process

        return training_process()
    args = _parser().parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from playground.app.main_window import MainWindow
    from playground.app.ui.theme import apply_theme
    from playground.app.user_paths import data_dir, identify_application
    from playground.app.window_files import FileOpener, keep_work_safe
    from playground.malloc_tuning import keep_freed_memory

    keep_freed_memory()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    identify_application(app)
    apply_theme(app, args.theme)
    if args.smoke_test:
        return _smoke_test(app)
    window = MainWindow(worker=True)
    window.set_edge_mode(args.edges)
    if args.startup_time:
        _quit_after_first_paint(app, window)
    window.show()
    keep_work_safe(window, data_dir() / "recovery")
    app.installEventFilter(FileOpener(app, lambda path: open_path(window, path)))
    if args.file:
        open_path(window, args.file)
    if args.play:
        window.driver.play()
    return app.exec()


def open_path(window: MainWindow, path: str) -> None:
    """Open a file given on the command line or double-clicked in the file manager: a
    project, a weights file or a CSV file of points."""
    lower = path.lower()
    if lower.endswith(".nplay"):
        window.project_files.open(path)
    elif lower.endswith(".npz"):
        window.load_weights_file(path)
    elif lower.endswith((".csv", ".tsv", ".txt")):
        window.point_files.import_points(path)
    else:
        window.statusBar().showMessage(f"Cannot open {path}: Neural Playground opens projects "
                                       "(.nplay), weights (.npz) and points (.csv)", 10000)


def _smoke_test(app: QApplication) -> int:
    from playground.app.main_window import MainWindow
    from playground.app.smoke import SmokeTest, smoke_session

    window = MainWindow(smoke_session(), worker=True)
    smoke = SmokeTest(window)

    def report(ok: bool, message: str) -> None:
        print(message, file=sys.stdout if ok else sys.stderr, flush=True)
        window.close()
        app.exit(0 if ok else 1)

    smoke.finished.connect(report)
    window.show()
    smoke.start()
    return app.exec()


def _quit_after_first_paint(app: QApplication, window: MainWindow) -> None:
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(f"first paint at {time.time():.3f}", flush=True)
                window.removeEventFilter(self)
                app.exit(0)
            return False

    window.installEventFilter(FirstPaint(window))
