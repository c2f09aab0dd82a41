"""Where each parameter lives in one flat vector, and how surgery moves entries between layouts.

All of a network's parameters share one contiguous float64 buffer (weights first, then biases),
and ``params["W1"]`` is a view into it. Optimizers then update everything with a few ufunc calls
on the flat vector, and regularisation touches a single prefix slice.

A :class:`Transplant` records how every array of a new layout is filled from the old one (per
axis: which old index feeds each new index, or -1 for a fresh entry). The same transplant moves
the weights, the optimizer's moments and the gradient statistics, so they all follow an edit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from math import prod

import numpy as np


@dataclass(frozen=True)
class Layout:
    """Ordered (key, shape) pairs; weights (keys starting with "W") come first."""

    shapes: tuple[tuple[str, tuple[int, ...]], ...]
    offsets: dict[str, tuple[int, int]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        offsets, start = {}, 0
        for key, shape in self.shapes:
            offsets[key] = (start, start + prod(shape))
            start += prod(shape)
        object.__setattr__(self, "offsets", offsets)

    @classmethod
    def from_shapes(cls, shapes: Mapping[str, tuple[int, ...]]) -> Layout:
        weights = [(k, tuple(s)) for k, s in shapes.items() if k.startswith("W")]
        others = [(k, tuple(s)) for k, s in shapes.items() if not k.startswith("W")]
        return cls(tuple(weights + others))

    @property
    def size(self) -> int:
        return max((end for _, end in self.offsets.values()), default=0)

    @property
    def n_weights(self) -> int:
        """Length of the weight prefix (what L1/L2 regularise)."""
        return max((end for k, (_, end) in self.offsets.items() if k.startswith("W")), default=0)

    def shape(self, key: str) -> tuple[int, ...]:
        return dict(self.shapes)[key]

    def views(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        return {k: flat[a:b].reshape(s) for (k, s), (a, b) in
                zip(self.shapes, self.offsets.values(), strict=True)}


class ParamDict(Mapping):
    """Read like a dict of arrays; assigning ``d[key] = a`` copies into the flat buffer."""

    def __init__(self, views: Mapping[str, np.ndarray], order: list[str]) -> None:
        self._views = {k: views[k] for k in order}

    def __getitem__(self, key: str) -> np.ndarray:
        return self._views[key]

    def __setitem__(self, key: str, value: np.ndarray) -> None:
        view = self._views[key]
        value = np.asarray(value, dtype=float)
        if value.shape != view.shape:
            raise ValueError(f"{key} must have shape {view.shape}, got {value.shape}")
        view[...] = value

    def __iter__(self) -> Iterator[str]:
        return iter(self._views)

    def __len__(self) -> int:
        return len(self._views)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: array{v.shape}" for k, v in self._views.items()) + "}"


def weight_key(layer: int) -> str:
    """The weights into column ``layer`` (1 = first hidden layer; column 0 is the inputs)."""
    return f"W{layer}"


def bias_key(layer: int) -> str:
    """The biases of column ``layer``."""
    return f"b{layer}"


def param_keys(layer: int, maxout: bool = False) -> tuple[str, ...]:
    """Every parameter key of column ``layer``: W, b and, for a maxout layer, its second
    affine piece (W_2, b_2)."""
    keys = (weight_key(layer), bias_key(layer))
    return (*keys, f"{keys[0]}_2", f"{keys[1]}_2") if maxout else keys


def axis_map(new_len: int, old_len: int) -> np.ndarray:
    """Identity where both sizes have the index, -1 (fresh) beyond the old size."""
    src = np.arange(new_len)
    src[src >= old_len] = -1
    return src


@dataclass(frozen=True)
class Transplant:
    """``moves[new_key] = (old_key, per-axis source indices)``; keys without a move are fresh.
    ``restart`` names moved arrays whose optimizer history no longer fits (the layer after
    an inserted one: its inputs changed scale)."""

    layout: Layout
    moves: dict[str, tuple[str, tuple[np.ndarray, ...]]]
    restart: tuple[str, ...] = ()

    def apply(self, old: Mapping[str, np.ndarray], fill: float = 0.0,
              base: np.ndarray | None = None) -> np.ndarray:
        """A flat array in the new layout, entries moved from ``old`` (a dict of arrays); the
        rest is ``fill``, or taken from ``base`` (a flat array in the new layout)."""
        flat = np.full(self.layout.size, fill) if base is None else np.array(base, dtype=float)
        for key, view in self.layout.views(flat).items():
            if key not in self.moves:
                continue
            old_key, srcs = self.moves[key]
            keep = [s >= 0 for s in srcs]
            dst = np.ix_(*[np.flatnonzero(k) for k in keep])
            view[dst] = old[old_key][np.ix_(*[s[k] for s, k in zip(srcs, keep, strict=True)])]
        return flat

    @classmethod
    def identity(cls, layout: Layout) -> Transplant:
        return cls(layout, {key: (key, tuple(np.arange(n) for n in shape))
                            for key, shape in layout.shapes})

    def inverse(self, old_layout: Layout) -> Transplant:
        """The transplant back: each old entry from the new entry it went to, if any."""
        moves: dict[str, tuple[str, tuple[np.ndarray, ...]]] = {}
        for new_key, (old_key, srcs) in self.moves.items():
            back = []
            for src, size in zip(srcs, old_layout.shape(old_key), strict=True):
                inverse = np.full(size, -1)
                kept = np.flatnonzero(src >= 0)
                inverse[src[kept]] = kept
                back.append(inverse)
            moves[old_key] = (new_key, tuple(back))
        return Transplant(old_layout, moves)

    def restart_mask(self) -> np.ndarray:
        """True at the entries of the ``restart`` arrays."""
        mask = np.zeros(self.layout.size, dtype=bool)
        views = self.layout.views(mask)
        for key in self.restart:
            views[key][...] = True
        return mask

    def fresh_columns(self, key: str) -> np.ndarray:
        """Indices along the last axis of ``key`` that no old entry feeds."""
        if key not in self.moves:
            return np.arange(self.layout.shape(key)[-1])
        return np.flatnonzero(self.moves[key][1][-1] < 0)
