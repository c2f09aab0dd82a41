"""A session rebuilt from a snapshot: how a training process starts from the window's state,
and how it restarts from the last picture if it dies."""

from __future__ import annotations

import dataclasses
from typing import Any

from playground.core.session import Session
from playground.core.settings import CUSTOM
from playground.core.snapshot import Snapshot
from playground.data.user_points import UserPoints


def spec_of(snap: Snapshot) -> dict[str, Any]:
    """The network spec a snapshot shows (per-neuron activations and dropout included)."""
    structure, settings = snap.shape.structure, snap.settings
    layers = [{"units": len(names), "activation": list(names), "dropout": dropout}
              for names, dropout in structure.hidden]
    return {"inputs": structure.inputs, "layers": layers, "outputs": structure.outputs,
            "loss": settings.loss, "output_activation": structure.output_activation,
            "l1": settings.l1, "l2": settings.l2, "init": settings.init}


def points_of(snap: Snapshot) -> UserPoints | None:
    """The user's own points a snapshot shows (its training and test points, which keep
    their side), or None when it shows a generated dataset."""
    data, custom = snap.data, snap.data.custom
    if data.dataset != CUSTOM or custom is None:
        return None
    return UserPoints.from_split((snap.X_train, snap.y_train), (snap.X_test, snap.y_test),
                                 data.train_ratio, regression=custom.regression,
                                 classes=custom.classes, bounds=custom.bounds,
                                 class_names=custom.class_names, title=custom.title)


def session_from_snapshot(snap: Snapshot, seed: int = 0) -> Session:
    """A session training the snapshot's network on its points, with its settings and
    counters. Optimizer state, the undo history and past curves are not in a snapshot: they
    start afresh; so do the user's own points while a generated dataset is shown."""
    settings = snap.settings
    points = points_of(snap)
    data = snap.data if points is not None else dataclasses.replace(snap.data, custom=None)
    session = Session(data, spec_of(snap), optimizer=settings.optimizer, lr=settings.lr,
                      batch_size=settings.batch_size, seed=seed, points=points)
    trainer, net = session.trainer, session.net
    trainer.schedule = settings.schedule
    trainer.set_data(snap.X_train, snap.y_train, snap.X_test, snap.y_test, snap.features)
    for key, value in snap.params.items():
        net.params[key] = value
    net.layer_ids = list(snap.shape.structure.layer_ids)  # the plots follow layers by id
    trainer.step_count, trainer.epoch = snap.step, snap.epoch
    return session
