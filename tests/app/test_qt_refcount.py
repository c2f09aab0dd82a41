"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void Qt call, and the
interpreter aborts (``none_dealloc``) once the count runs out. pyproject pins PySide6 below
6.12 there; this test catches a build with the bug whatever the pin says."""

import sys

from PySide6.QtWidgets import QWidget


def test_void_qt_calls_do_not_leak_references_to_none(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(1000):
        widget.setWindowTitle("x")
    assert abs(sys.getrefcount(None) - before) < 100
