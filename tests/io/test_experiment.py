"""Experiment strings: a set-up survives the round trip exactly (fresh weights), anything
wrong is a LoadError naming it, and random or mutated text never escapes with another
exception or changes the session it is pasted into."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import edits
from playground.core.optimizers import Schedule
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.files.errors import LoadError
from playground.io.experiment import (
    experiment_text,
    parse_experiment,
    session_from_experiment,
)
from playground.runner.service import Service

FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def mixed_session() -> Session:
    session = Session(DataSettings("spiral", classes=4, noise=0.15, seed=7, train_ratio=0.7,
                                   features=("x1", "x2", "sin(x1)")),
                      optimizer="momentum", lr=0.05, batch_size=None)
    session.perform(edits.set_activation(1, "relu", 2))
    session.perform(edits.set_activation(2, "maxout", 0))
    session.perform(edits.insert_layer(2, "elu", 5))
    session.configure(l1=1e-4, l2=0.002, dropout=0.1, init="he",
                      schedule=Schedule("step", 0.5, 40))
    return session


def setup(session: Session) -> tuple:
    """The set-up an experiment carries (layer ids are the network's history, not its
    set-up)."""
    structure = dataclasses.replace(session.net.structure(), layer_ids=())
    return (session.data, session.settings, structure)


@pytest.mark.parametrize("make", [
    mixed_session,
    lambda: Session(DataSettings("plane", noise=0.2)),
    lambda: Session(DataSettings("xor"), {"layers": [{"units": 2, "activation": "tanh"}],
                                          "init": "zeros", "loss": "bce"}, optimizer="sgd",
                    lr=0.1),
    lambda: Session(DataSettings("circle"), {"layers": [], "loss": "hinge"}),
], ids=["mixed", "regression", "xor-zeros", "linear-hinge"])
def test_a_set_up_survives_the_round_trip(make):
    source = make()
    source.trainer.run(20)
    text = experiment_text(source)
    assert "\n" not in text and " " not in text and '"' not in text
    target = Session(DataSettings("gauss"))
    Service(target).paste_experiment(text)
    assert setup(target) == setup(source)
    assert experiment_text(target) == text
    assert target.trainer.step_count == 0   # fresh weights, nothing trained


def test_the_users_own_points_stay_where_they_are():
    source = Session(DataSettings("circle"))
    source.edit_points("add", points=[[1, 1]], label=1)
    text = experiment_text(source)
    assert "dataset=custom" in text and "1.0" not in text.split("layers")[0]
    with pytest.raises(LoadError, match="own points"):
        Service(Session(DataSettings("xor"))).paste_experiment(text)
    mine = Session(DataSettings("xor"))
    mine.edit_points("add", points=[[2, 2]], label=0)
    points = mine.points
    Service(mine).paste_experiment(text)
    assert mine.points is points and mine.data.dataset == "custom"


GOOD = experiment_text(mixed_session())


@pytest.mark.parametrize("text, says", [
    ("", "not a Neural Playground experiment"),
    ("https://playground.tensorflow.org/#dataset=xor", "not a Neural Playground experiment"),
    (GOOD.replace(":1?", ":2?"), "update Neural Playground"),
    (GOOD.replace(":1?", ":0?"), "unknown version"),
    (GOOD.replace(":1?", ":?"), "no version"),
    (GOOD + "&colour=red", "unknown setting"),
    (GOOD + "&lr=0.1", "twice"),
    (GOOD.replace("lr=0.05", "lr=1e999"), "'lr' must be a number"),
    (GOOD.replace("lr=0.05", "lr=nan"), "'lr' must be a number"),
    (GOOD.replace("lr=0.05", "lr=-1"), "'lr' must be a number"),
    (GOOD.replace("dataset=spiral", "dataset=moon"), "unknown dataset"),
    (GOOD.replace("features=x1,x2", "features=x1,x1"), "twice"),
    (GOOD.replace("features=x1,x2", "features=x3,x2"), "unknown input feature"),
    (GOOD.replace("relu", "swoosh", 1), "activation"),
    (GOOD.replace("optimizer=momentum", "optimizer=lbfgs"), "unknown optimizer"),
    (GOOD.replace("batch=full", "batch=0"), "'batch'"),
    (GOOD.replace("schedule=step:0.5:40", "schedule=step:2:40"), "schedule factor"),
    (GOOD.replace("classes=4", "classes=9"), "'classes'"),
    (GOOD.replace("loss=softmax", "loss=bce"), "cannot train"),
    (GOOD.replace("noise=0.15", "noise=3"), "cannot be set up"),
    (GOOD.replace("&loss=softmax", ""), "does not say 'loss'"),
    (GOOD.replace("layers=", "layers=" + "3:tanh," * 70), "at most"),
    (GOOD.replace("layers=", "layers=4096:tanh,4096:tanh,"), "parameters"),
    (GOOD.replace("layers=", "layers=tanh,"), "units:activation"),
    (GOOD.replace("train=0.7", "train=0.95"), "'train'"),
    (GOOD + "&x=\"quoted\"", "unknown setting"),
    (GOOD.replace("noise=0.15", "noise=0.1 5"), "character"),
    ("neural-playground:1?" + "a" * 70_000, "characters long"),
], ids=lambda v: v[:30] if isinstance(v, str) else v)
def test_anything_wrong_is_a_load_error_that_says_what(text, says):
    session = mixed_session()
    before = setup(session)
    flat = session.net.flat.copy()
    with pytest.raises(LoadError, match=says):
        Service(session).paste_experiment(text)
    assert setup(session) == before
    np.testing.assert_array_equal(session.net.flat, flat)


def _check_or_refused(text: str) -> None:
    session = Session(DataSettings("circle", n=60))
    before, flat = setup(session), session.net.flat.copy()
    try:
        Service(session).paste_experiment(text)
    except LoadError:
        assert setup(session) == before
        np.testing.assert_array_equal(session.net.flat, flat)
        return
    assert experiment_text(session).startswith("neural-playground:1?")


@FUZZ
@given(st.text(max_size=300))
def test_random_text_is_refused_or_set_up(text):
    _check_or_refused(text)


ALPHABET = "&=:,@*+?.-0123456789eE_abcdefghijklmnopqrstuvwxyz^()\"' \n%"


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace"]),
                          st.integers(0, len(GOOD) - 1), st.sampled_from(ALPHABET)),
                min_size=1, max_size=6))
def test_mutated_experiments_are_refused_or_set_up(mutations):
    text = GOOD
    for kind, at, char in mutations:
        at = min(at, len(text))
        if kind == "insert":
            text = text[:at] + char + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1:]
        else:
            text = text[:at] + char + text[at + 1:]
    _check_or_refused(text)


def test_parse_gives_plain_parts():
    experiment = parse_experiment(GOOD)
    assert experiment.data["classes"] == 4 and experiment.training["batch_size"] is None
    assert experiment.spec["layers"][0]["activation"][2] == "relu"
    session = session_from_experiment(experiment, Session())
    assert session.net.sizes[-1] == 4
