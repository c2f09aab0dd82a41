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
