"""GUI entry point (placeholder until the main window lands)."""

from __future__ import annotations

import sys


def main() -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv)
    label = QLabel("Neural Playground")
    label.setWindowTitle("Neural Playground")
    label.resize(800, 600)
    label.show()
    return app.exec()
