"""Random sequences of everything a user can do to a session, checked after every step.

Settings (every data and training setting, valid or not), edits, undo and redo, reset,
restore, saving and loading weights, and training steps in any order: after each, a refused
change changed nothing, the shapes agree with the settings, snapshots work and training
still steps; no exception escapes but the documented refusals. The normal run tries a
hundred sequences (a few seconds); ``HYPOTHESIS_PROFILE=thorough`` tries 2,000 (about 2 min).
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from playground.core import edits
from playground.core.activations import NAMES as ACTIVATIONS
from playground.core.initializers import INITS
from playground.core.losses import NAMES as LOSSES
from playground.core.optimizers import OPTIMIZERS, Schedule
from playground.core.refusals import REFUSALS
from playground.core.session import Session, outputs_for
from playground.core.settings import DataSettings
from playground.data import DATASETS, FEATURES
from playground.runner.service import Service

settings.register_profile("default", max_examples=100, stateful_step_count=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, stateful_step_count=40,
                          deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SETTINGS = {
    "dataset": st.sampled_from([*DATASETS, "nope"]),
    "classes": st.one_of(st.none(), st.integers(0, 9)),
    "noise": st.floats(-0.1, 0.6),
    "n": st.one_of(st.none(), st.integers(-5, 200)),
    "seed": st.integers(0, 5),
    "train_ratio": st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0, 1.5]),
    "features": st.lists(st.sampled_from([*FEATURES, "x3"]), max_size=4).map(tuple),
    "lr": st.sampled_from([-1.0, 1e-4, 0.01, 0.3, 3.0, 1e9]),
    "optimizer": st.sampled_from([*OPTIMIZERS, "adamw"]),
    "batch_size": st.one_of(st.none(), st.integers(0, 40)),
    "loss": st.sampled_from([*LOSSES, "l9"]),
    "l1": st.sampled_from([0.0, 0.001, 0.1, -1.0]),
    "l2": st.sampled_from([0.0, 0.001, 0.1]),
    "init": st.sampled_from([*INITS, "magic"]),
    "dropout": st.sampled_from([0.0, 0.2, 0.5, 1.5]),
    "schedule": st.sampled_from([Schedule(), Schedule("step", 0.5, 3),
                                 Schedule("exponential", 0.9)]),
}

REQUESTS = st.one_of(
    st.builds(edits.add_neuron, st.integers(0, 4), st.one_of(st.none(), st.integers(-1, 13))),
    st.builds(edits.remove_neuron, st.integers(0, 4), st.integers(-1, 13)),
    st.builds(edits.insert_layer, st.integers(0, 5), st.sampled_from(ACTIVATIONS),
              st.one_of(st.none(), st.integers(0, 70))),
    st.builds(edits.remove_layer, st.integers(0, 4)),
    st.builds(edits.set_units, st.integers(0, 4), st.integers(-1, 70)),
    st.builds(edits.set_activation, st.integers(0, 4), st.sampled_from(ACTIVATIONS),
              st.one_of(st.none(), st.integers(-1, 13))),
    st.builds(edits.set_output_activation, st.sampled_from(["linear", "tanh", "sigmoid"])),
    st.builds(edits.set_weight, st.sampled_from(["W1", "b1", "W2", "W3", "b9", "W1_2"]),
              st.tuples(st.integers(0, 13), st.integers(0, 13)), st.floats(-5, 5)),
    st.builds(edits.set_weight, st.sampled_from(["b1", "b2"]), st.tuples(st.integers(-1, 13)),
              st.sampled_from([0.5, math.inf])),
)


def state(session: Session) -> tuple:
    """What a refused change must leave exactly as it was."""
    trainer = session.trainer
    return (session.data, session.shape, session.settings, trainer.net.flat.tobytes(),
            trainer.t.tobytes(), trainer.step_count, trainer.epoch, len(trainer.history),
            trainer.history.marks_made, len(trainer.checkpoints), session.data_version,
            tuple(trainer.net.layer_ids), session.history.undo_label,
            session.history.redo_label, trainer.divergence,
            tuple(sorted((k, v.tobytes()) for k, v in trainer.optimizer.state.items())))


class SessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.service = Service(Session(DataSettings("circle", n=120)))
        self.folder = tempfile.TemporaryDirectory()
        self.saved: str | None = None

    @property
    def session(self) -> Session:
        return self.service.session

    def attempt(self, name: str, **kwargs) -> None:
        """Call an action; a refusal must have changed nothing."""
        before = state(self.session)
        try:
            self.service.call(name, **kwargs)
        except REFUSALS:
            assert state(self.session) == before, f"refused {name} {kwargs} changed the session"

    @rule(data=st.data(), count=st.integers(1, 3))
    def configure(self, data, count):
        keys = data.draw(st.lists(st.sampled_from(sorted(SETTINGS)), min_size=1,
                                  max_size=count, unique=True))
        self.attempt("configure", **{k: data.draw(SETTINGS[k]) for k in keys})

    @rule(request=REQUESTS)
    def edit(self, request):
        self.attempt("perform", request=request)

    @rule(request=REQUESTS)
    def preview(self, request):
        self.attempt("preview", request=request)

    @rule()
    def undo(self):
        self.attempt("undo")

    @rule()
    def redo(self):
        self.attempt("redo")

    @rule(seed=st.one_of(st.none(), st.integers(0, 3)))
    def reset(self, seed):
        self.attempt("reset", seed=seed)

    @rule(data=st.data())
    def restore(self, data):
        epochs = [c.epoch for c in self.session.trainer.checkpoints.items]
        epoch = data.draw(st.one_of(st.none(), st.sampled_from([*epochs, 10_000])))
        self.attempt("restore", epoch=epoch)

    @rule(steps=st.integers(1, 40))
    def train(self, steps):
        self.session.trainer.run(steps)

    @rule()
    def step_epoch(self):
        self.attempt("step_epoch")

    @rule()
    def save(self):
        self.saved = str(Path(self.folder.name) / "net.npz")
        self.attempt("save_weights", path=self.saved)

    @precondition(lambda self: self.saved is not None)
    @rule()
    def load(self):
        self.attempt("load_weights", path=self.saved)

    @invariant()
    def consistent_and_still_training(self):
        session = self.session
        net, trainer, data = session.net, session.trainer, session.data
        assert net.inputs == len(data.features) == trainer.X.shape[1]
        assert net.outputs == outputs_for(net.loss.name, data)
        assert net.loss.name in data.allowed_losses()
        assert len(net.layer_ids) == net.depth == len(set(net.layer_ids))
        assert len(trainer.t) == len(trainer.y)
        for array in trainer.optimizer.state.values():
            assert array.shape == net.flat.shape
        snap = session.snapshot(resolution=6)
        assert all(np.isfinite(v).all() for v in snap.params.values())
        trainer.resume()
        trainer.run(1)
        assert np.isfinite(net.flat).all()

    def teardown(self):
        self.folder.cleanup()


TestSessionMachine = SessionMachine.TestCase
