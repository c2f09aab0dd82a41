"""The networks the GUI benchmark trains, and TF Playground's figures to compare with."""

from __future__ import annotations

from dataclasses import dataclass

from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.data import FEATURES

TF_EPOCHS_PER_SECOND = {"default": 42.0, "deep": 10.0}
"""TF Playground's epochs per second on this kind of machine (one epoch per frame)."""


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    data: DataSettings
    layers: list[int]

    def session(self) -> Session:
        spec = {"layers": [{"units": u, "activation": "tanh"} for u in self.layers],
                "loss": "softmax", "seed": 0}
        return Session(self.data, spec, optimizer="sgd", lr=0.03, batch_size=10)


CASES = {case.key: case for case in (
    Case("default", "TF default: spiral, 250 training points, batch 10, 4-2 tanh",
         DataSettings("spiral", n=500, train_ratio=0.5), [4, 2]),
    Case("deep", "6 hidden layers of 8, all 7 features, batch 10",
         DataSettings("spiral", n=500, train_ratio=0.5, features=FEATURES), [8] * 6),
    Case("wide", "2-32×6-3 (~5,000 edges), spiral, 3 classes, batch 10",
         DataSettings("spiral", n=500, classes=3), [32] * 6),
)}
