"""Shared test set-up: headless Qt, and no Qt test may leave a thread or timer running."""

import gc
import os
import threading

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def _running_qt_objects() -> list[str]:
    from PySide6.QtCore import QThread, QTimer

    found = []
    gc.collect()
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QTimer) and obj.isActive():
                owners = []
                parent = obj.parent()
                while parent is not None:
                    owners.append(type(parent).__name__)
                    parent = parent.parent()
                found.append(f"active QTimer {obj.objectName() or ''} in {' < '.join(owners)} "
                             f"(interval {obj.interval()} ms, {obj.remainingTime()} ms left)")
            elif isinstance(obj, QThread) and obj.isRunning():
                found.append(f"running QThread {obj!r}")
        except RuntimeError:
            continue  # the C++ object is already gone
    return found


@pytest.fixture(autouse=True)
def _no_dangling_threads_or_timers(request):
    """Fail a Qt test that leaves a timer or thread running after its widgets closed
    (napari's ``_dangling_qthreads`` idea)."""
    threads_before = set(threading.enumerate())
    yield
    if "qtbot" not in request.fixturenames:
        return
    leftovers = _running_qt_objects()
    leftovers += [f"thread {t.name}" for t in set(threading.enumerate()) - threads_before
                  if t.is_alive()]
    if leftovers:
        pytest.fail("left running after the test: " + "; ".join(leftovers), pytrace=False)
