"""How big anything read from a file or the command line may be.

One place for the caps, so a weights file, a project file, a CSV file and ``playground train``
agree on what the app can hold. They sit far above what teaching needs (the lecture's biggest
net is 2-100-3) and far below what would exhaust a laptop: the largest network the caps allow
needs 80 MB of parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_UNITS = 4096
"""Neurons in one layer, and inputs of a network."""
MAX_LAYERS = 64
"""Hidden layers of a network."""
MAX_PARAMETERS = 10_000_000
"""Numbers a network stores (a maxout layer's second piece counts in full)."""
MAX_POINTS = 1_000_000
"""Points in a dataset, generated or read from a CSV file."""
MAX_CLASSES = 8
"""Classes the app can colour and train on."""


def parameter_count(sizes: Sequence[int], maxout_layers: Sequence[bool] = ()) -> int:
    """Numbers stored for layer widths ``[inputs, hidden…, outputs]``, before allocating any.

    A layer marked in ``maxout_layers`` (hidden layers, in order) stores a second full-width
    affine piece. Python integers, so a huge width cannot overflow.
    """
    total = 0
    for k in range(len(sizes) - 1):
        pieces = 2 if k < len(maxout_layers) and maxout_layers[k] else 1
        total += pieces * (int(sizes[k]) + 1) * int(sizes[k + 1])
    return total
