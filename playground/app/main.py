"""GUI entry point: ``playground`` (the installed command) or ``python -m playground``."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Sequence

from playground.threads import limit_thread_pools


def main(argv: Sequence[str] | None = None) -> int:
    limit_thread_pools()
    multiprocessing.freeze_support()  # a frozen bundle starts its training process through here
    parser = argparse.ArgumentParser(prog="playground", description="Neural Playground")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--play", action="store_true", help="start training right away")
    parser.add_argument("--edges", choices=("weight", "gradient"), default="weight",
                        help="draw edges by weight (default) or by mean |gradient|")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the window, train for two seconds, exit 0 if all went well")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.app.main_window import MainWindow
    from playground.app.ui.theme import apply_theme
    from playground.malloc_tuning import keep_freed_memory

    keep_freed_memory()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Neural Playground")
    app.setOrganizationName("Neural Playground")
    apply_theme(app, args.theme)
    window = MainWindow(worker=True)
    window.set_edge_mode(args.edges)
    window.show()
    if args.play or args.smoke_test:
        window.driver.play()
    if args.smoke_test:
        start = time.perf_counter()

        def finish() -> None:
            steps = window.snapshot().step
            print(f"smoke test: {steps} steps in {time.perf_counter() - start:.1f} s")
            window.close()
            app.exit(0 if steps > 0 else 1)

        QTimer.singleShot(2000, finish)
    return app.exec()
