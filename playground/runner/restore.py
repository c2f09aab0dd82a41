"""A session rebuilt from a snapshot: how a training process starts from the window's state,
and how it restarts from the last picture if it dies."""

from __future__ import annotations

from typing import Any

from playground.core.session import Session
from playground.core.snapshot import Snapshot


def spec_of(snap: Snapshot) -> dict[str, Any]:
    """The network spec a snapshot shows (per-neuron activations and dropout included)."""
    structure, settings = snap.shape.structure, snap.settings
    layers = [{"units": len(names), "activation": list(names), "dropout": dropout}
              for names, dropout in structure.hidden]
    return {"inputs": structure.inputs, "layers": layers, "outputs": structure.outputs,
            "loss": settings.loss, "output_activation": structure.output_activation,
            "l1": settings.l1, "l2": settings.l2, "init": settings.init}


def session_from_snapshot(snap: Snapshot, seed: int = 0) -> Session:
    """A session training the snapshot's network on its points, with its settings and
    counters. Optimizer state, the undo history and past curves are not in a snapshot: they
    start afresh."""
    settings = snap.settings
    session = Session(snap.data, spec_of(snap), optimizer=settings.optimizer, lr=settings.lr,
                      batch_size=settings.batch_size, seed=seed)
    trainer, net = session.trainer, session.net
    trainer.schedule = settings.schedule
    trainer.set_data(snap.X_train, snap.y_train, snap.X_test, snap.y_test, snap.features)
    for key, value in snap.params.items():
        net.params[key] = value
    net.layer_ids = list(snap.shape.structure.layer_ids)  # the plots follow layers by id
    trainer.step_count, trainer.epoch = snap.step, snap.epoch
    return session
