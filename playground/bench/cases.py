"""The networks the GUI benchmark trains, and TF Playground's figures to compare with."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.data import FEATURES, load_csv, make_dataset, save_csv
from playground.data.user_points import UserPoints

TF_EPOCHS_PER_SECOND = {"default": 42.0, "deep": 10.0}
"""TF Playground's epochs per second on this kind of machine (one epoch per frame)."""


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    data: DataSettings
    layers: list[int]
    csv_rows: int = 0
    """When set, the points are this many rows read from a CSV file (the user's own data)."""

    def session(self) -> Session:
        spec = {"layers": [{"units": u, "activation": "tanh"} for u in self.layers],
                "loss": "softmax", "seed": 0}
        points = csv_points(self.csv_rows) if self.csv_rows else None
        return Session(self.data, spec, optimizer="sgd", lr=0.03, batch_size=10,
                       points=points)


def csv_points(rows: int) -> UserPoints:
    """``rows`` spiral points written to a CSV file with text labels and read back."""
    X, y = make_dataset("spiral", n=rows, noise=0.1, seed=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "points.csv"
        save_csv(path, X, y, ["inner arm", "outer arm"])
        X, y, names = load_csv(path)
    return UserPoints.from_arrays(X, y, names, title=path.name)


CASES = {case.key: case for case in (
    Case("default", "TF default: spiral, 250 training points, batch 10, 4-2 tanh",
         DataSettings("spiral", n=500, train_ratio=0.5), [4, 2]),
    Case("deep", "6 hidden layers of 8, all 7 features, batch 10",
         DataSettings("spiral", n=500, train_ratio=0.5, features=FEATURES), [8] * 6),
    Case("wide", "2-32×6-3 (~5,000 edges), spiral, 3 classes, batch 10",
         DataSettings("spiral", n=500, classes=3), [32] * 6),
    Case("csv100k", "a 100,000-point CSV file (2,500 drawn), 4-2 tanh, batch 10",
         DataSettings("custom", train_ratio=0.5), [4, 2], csv_rows=100_000),
)}
