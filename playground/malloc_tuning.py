"""Keep freed NumPy buffers in the process instead of handing them back to the OS every step.

glibc returns blocks above its mmap threshold to the kernel when they are freed and trims the
top of the heap once enough is free; a training step frees all its temporaries at the end, so
the next step page-faults the same memory back in. Measured here, that doubled the cost of a
full-batch step on 300 points × 100 units. Raising both thresholds keeps that memory mapped.
Called by the entry points (CLI, GUI), never on import.
"""

from __future__ import annotations

import ctypes
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory(mmap_threshold: int = 32 << 20, trim_threshold: int = 128 << 20) -> bool:
    """Tune glibc's malloc (Linux only); returns whether it applied."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(
            libc.mallopt(_M_TRIM_THRESHOLD, trim_threshold))
    except (OSError, AttributeError):
        return False
