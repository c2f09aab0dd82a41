"""Gradient statistics for the picture: the running mean of |∂L/∂w| for every weight and bias
(the edges' gradient view), and each weight layer's gradient size (the gradient plot).

Per step the absolute gradient is summed; at an epoch's end the epoch's mean is folded into a
running mean (``decay`` of the old one kept). Both arrays are flat like the parameters, so an
edit moves them with the same :class:`~playground.core.params.Transplant`.
"""

from __future__ import annotations

import math

import numpy as np

from playground.core.params import Layout, Transplant, weight_key


class GradStats:
    def __init__(self, layout: Layout, decay: float = 0.5) -> None:
        self.decay = decay
        self.layout = layout
        self.sum = np.zeros(layout.size)
        self.mean = np.zeros(layout.size)
        self.count = 0
        self.epochs = 0
        self._tmp = np.zeros(layout.size)

    def add(self, grad: np.ndarray) -> None:
        """One step's gradient (``sum`` holds only what was added since ``count`` was 0)."""
        if self.count:
            np.abs(grad, out=self._tmp)
            self.sum += self._tmp
        else:
            np.abs(grad, out=self.sum)
        self.count += 1

    def end_epoch(self) -> None:
        """Fold the epoch's mean |∂L/∂w| into the running mean (the first epoch sets it)."""
        if not self.count:
            return
        d = self.decay if self.epochs else 0.0
        np.multiply(self.sum, (1.0 - d) / self.count, out=self._tmp)
        self.mean *= d
        self.mean += self._tmp
        self.count = 0
        self.epochs += 1

    def moved(self, transplant: Transplant) -> GradStats:
        """The statistics laid out for the network after an edit (new entries start at 0)."""
        return self.replaced(transplant.layout, transplant.apply(self.layout.views(self.sum)),
                             transplant.apply(self.layout.views(self.mean)))

    def replaced(self, layout: Layout, sums: np.ndarray, means: np.ndarray) -> GradStats:
        """The same count and decay over other arrays (undo, redo)."""
        stats = GradStats(layout, self.decay)
        stats.sum, stats.mean = np.array(sums, dtype=float), np.array(means, dtype=float)
        stats.count, stats.epochs = self.count, self.epochs
        return stats

    def layer_norms(self, last_grad: np.ndarray, layers: int) -> tuple[float, ...]:
        """Size of each layer's weight gradient, input side first: ‖mean |∂L/∂W|‖ over the
        steps since the last epoch ended (``last_grad``'s ‖∂L/∂W‖ before any step).

        Averaging over the epoch keeps a batch-of-10 curve readable; a vanishing gradient
        shows the same way."""
        source, scale = (self.sum, 1.0 / self.count) if self.count else (last_grad, 1.0)
        norms = []
        for k in range(1, layers + 1):
            start, end = self.layout.offsets[weight_key(k)]
            w = source[start:end]
            norms.append(scale * math.sqrt(float(np.dot(w, w))))
        return tuple(norms)

    def edge_means(self) -> dict[str, np.ndarray]:
        """Running mean of |∂L/∂w| per parameter (averaged per epoch, then smoothed)."""
        source = self.sum / self.count if not self.epochs and self.count else self.mean
        return {k: v.copy() for k, v in self.layout.views(source).items()}
