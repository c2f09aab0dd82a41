"""One thread per process for NumPy's linear algebra, set before NumPy loads.

The matrices here are small: a BLAS thread pool does not speed them up, it spins waiting for
work on cores the trainer and the window need (measured: beside one busy process, a 6 × 8
network drew at 9 fps with the pool and 26 without). The variables are inherited by the
training process. A value the user set is kept.
"""

from __future__ import annotations

import os
import sys

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def limit_thread_pools(threads: int = 1) -> bool:
    """Set the thread-pool variables; False if NumPy was already loaded (too late)."""
    for name in VARIABLES:
        os.environ.setdefault(name, str(threads))
    return "numpy" not in sys.modules


SWITCH_INTERVAL = 0.001
"""Seconds a thread holds the interpreter lock while another waits for it (Python's default
is 0.005)."""


def hand_over_promptly() -> None:
    """Let a pipe's reader thread in within a millisecond of its message arriving.

    The window and the training process each read their pipe in a thread, while the main
    thread computes with the interpreter lock held; at Python's default of 5 ms a snapshot or
    a request waited up to that long before anyone saw it. Measured beside a CPU-bound process
    on 2 cores (6 × 8 network): display ticks that found no new snapshot fell from 13 % to
    8 %, and the 5th-percentile frame rate rose from 29.7 to 35.8 fps. Threads that do not
    wait for the lock are not slowed.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)
