"""Every setting change the window offers is all or nothing, mid-epoch or not, and training
keeps stepping after it: loss × dataset × classes × features × output activation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.core import edits
from playground.core.losses import NAMES as LOSSES
from playground.core.session import Session, outputs_for
from playground.core.settings import DataSettings
from playground.data import DATASETS


def assert_consistent_and_training(session: Session) -> None:
    """Shapes agree with the settings, and a pass and a half of steps runs finite."""
    net, trainer, data = session.net, session.trainer, session.data
    assert net.inputs == len(data.features) == trainer.X.shape[1]
    assert net.outputs == outputs_for(net.loss.name, data)
    assert net.loss.name in data.allowed_losses()
    assert len(trainer.t) == len(trainer.y)
    steps = trainer.steps_per_epoch * 3 // 2 + 1
    assert trainer.run(steps) == steps
    assert trainer.divergence is None
    assert math.isfinite(trainer.evaluate(trainer.X, trainer.y, trainer.t).loss)
    session.snapshot(resolution=8)


def state(session: Session) -> tuple:
    trainer = session.trainer
    return (session.data, session.shape, session.settings, trainer.net.flat.copy().tobytes(),
            trainer.t.tobytes(), trainer.step_count, trainer.epoch, len(trainer.history),
            trainer.history.marks_made, len(trainer.checkpoints), session.data_version)


def mid_epoch(session: Session) -> Session:
    session.trainer.run(session.trainer.steps_per_epoch + 3)
    return session


@pytest.mark.parametrize("first", LOSSES)
@pytest.mark.parametrize("second", LOSSES)
def test_changing_the_loss_mid_epoch_keeps_training(first, second):
    """The issue's bug: the epoch's shuffled targets were the old loss's."""
    session = Session(DataSettings(dataset="circle"))
    session.configure(loss=first)
    session.trainer.run(3)
    session.configure(loss=second)
    assert_consistent_and_training(session)


def test_fewer_classes_with_mean_squared_error():
    session = Session(DataSettings(dataset="spiral", classes=8))
    session.configure(loss="mse")
    session.trainer.run(10)
    session.configure(classes=4)
    assert session.net.outputs == 4
    assert_consistent_and_training(session)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("loss", LOSSES)
def test_switching_dataset_from_every_loss_mid_epoch(dataset, loss):
    session = mid_epoch(Session(DataSettings(dataset="circle")))
    session.configure(loss=loss)
    session.perform(edits.set_output_activation("tanh"))
    session.trainer.run(3)
    notes = session.configure(dataset=dataset)
    switched = session.net.loss.name != loss
    assert switched == (loss not in session.data.allowed_losses() or bool(
        session.data.regression and loss != "mse"))
    assert bool(notes) >= switched
    if switched:
        assert any(session.net.loss.label in note for note in notes)
    assert_consistent_and_training(session)


@pytest.mark.parametrize("classes", [2, 3, 8])
@pytest.mark.parametrize("loss", LOSSES)
def test_every_class_count_with_every_loss(classes, loss):
    session = mid_epoch(Session(DataSettings(dataset="blobs", classes=3)))
    if loss in session.data.allowed_losses():
        session.configure(loss=loss)
    session.configure(classes=classes)
    assert_consistent_and_training(session)
    if loss == "bce" and classes != 2:
        assert session.net.loss.name == "softmax"


@pytest.mark.parametrize("features", [("x1",), ("x1^2", "x2^2"),
                                      ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)",
                                       "sin(x2)")], ids=len)
@pytest.mark.parametrize("loss", ["softmax", "mse", "bce"])
def test_features_with_each_loss_mid_epoch(features, loss):
    session = mid_epoch(Session(DataSettings(dataset="circle")))
    session.configure(loss=loss)
    session.trainer.run(2)
    session.configure(features=features)
    assert_consistent_and_training(session)


@pytest.mark.parametrize("change", [
    {"classes": 99}, {"features": ()}, {"features": ("x1", "x1")}, {"dataset": "nope"},
    {"n": -1}, {"noise": 5.0}, {"train_ratio": 0.0}, {"loss": "bce", "classes": 3},
    {"classes": 3, "lr": -1.0}, {"lr": 0.1, "dropout": 2.0}, {"seed": "x"},
    {"dataset": "plane", "loss": "softmax"}, {"batch_size": 0}, {"optimizer": "adamw"},
], ids=str)
def test_a_refused_change_changes_nothing(change):
    session = mid_epoch(Session(DataSettings(dataset="spiral", classes=3)))
    before = state(session)
    with pytest.raises(ValueError):
        session.configure(**change)
    assert state(session) == before
    assert_consistent_and_training(session)


def test_a_fixed_class_count_cannot_be_changed():
    session = Session(DataSettings(dataset="circle"))
    with pytest.raises(ValueError, match="always has 2 classes"):
        session.configure(classes=3)


def test_leaving_regression_for_classes_says_what_followed():
    session = Session(DataSettings(dataset="circle"))
    session.configure(loss="bce")
    notes = session.configure(dataset="plane")
    assert session.net.loss.name == "mse"
    assert notes == ["the loss is now mean squared error: binary cross-entropy needs "
                     "classes; regression data trains with mean squared error"]
    session.perform(edits.set_output_activation("tanh"))
    notes = session.configure(dataset="blobs")
    assert "the output activation is linear again" in notes
    assert session.net.output_activation == "linear"
    assert_consistent_and_training(session)


def test_preview_says_how_far_an_edit_moves_the_outputs_and_changes_nothing():
    session = Session(DataSettings(dataset="circle"))
    session.trainer.run_epochs(5)
    before = state(session)
    assert session.preview(edits.insert_layer(2, "relu")) < 1e-9
    assert session.preview(edits.insert_layer(2, "relu", units=3)) > 1e-3
    assert session.preview(edits.remove_layer(1)) > 1e-3
    assert state(session) == before
    with pytest.raises(ValueError):
        session.preview(edits.set_units(1, 999))
    np.testing.assert_array_equal(session.net.flat, np.frombuffer(before[3]))
