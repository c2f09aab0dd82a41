"""The user's own points in the core: a stable split, changes that keep the weights, one undo
history with network edits, refusals that change nothing, and an empty canvas that trains
nothing without breaking."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.data.user_points import UserPoints, split_keys


def state(session: Session) -> dict:
    t = session.trainer
    return {"data": session.data, "points": session.points, "flat": t.net.flat.copy(),
            "sizes": list(t.net.sizes), "X": t.X_raw.copy(), "version": session.data_version,
            "undo": session.history.undo_label}


def same(a: dict, b: dict) -> bool:
    return (a["data"] == b["data"] and a["points"] is b["points"] and a["sizes"] == b["sizes"]
            and np.array_equal(a["flat"], b["flat"]) and np.array_equal(a["X"], b["X"])
            and a["undo"] == b["undo"])


# --------------------------------------------------------------------- the points
def test_a_run_of_drawn_points_splits_in_the_chosen_share_and_keys_never_move():
    points = UserPoints.empty()
    for i in range(100):
        points = points.added([[i / 10, 0.0]], i % 2)
    train = points.split(0.7)[1]
    assert 68 <= len(train) <= 72
    keys = points.keys.copy()
    more = points.added([[0.0, 1.0]], 1).erased((0.0, 0.0), 0.05)
    np.testing.assert_array_equal(more.keys[:-1], keys[1:])
    assert points.cleared().added([[1.0, 1.0]], 0).split(0.5)[0].shape == (1, 2)


def test_split_points_keep_their_side():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10) % 2
    points = UserPoints.from_split((X[:6], y[:6]), (X[6:], y[6:]), 0.6, regression=False,
                                   classes=2, bounds=(-1, 1, -1, 1))
    X_train, _, X_test, _ = points.split(0.6)
    np.testing.assert_array_equal(X_train, X[:6])
    np.testing.assert_array_equal(X_test, X[6:])


def test_a_new_class_gets_a_name_beside_named_ones():
    points = UserPoints.from_arrays([[0, 0], [1, 1]], [0, 1], ["cat", "dog"])
    grown = points.added([[2, 2]], 3)
    assert grown.classes == 4 and grown.class_names == ("cat", "dog", "class 2", "class 3")


@pytest.mark.parametrize("bad", [
    dict(X=np.zeros((2, 3))), dict(y=np.array([0, 5])), dict(keys=np.array([0.1, 1.5])),
    dict(X=np.array([[0.0, np.nan], [0, 0]])), dict(bounds=(1.0, 1.0, 0.0, 1.0)),
    dict(class_names=("a", "a")), dict(classes=9)], ids=str)
def test_points_that_do_not_fit_together_are_refused(bad):
    good = UserPoints.from_arrays([[0, 0], [1, 1]], [0, 1])
    fields = {k: getattr(good, k) for k in good.__dataclass_fields__}
    with pytest.raises(ValueError):
        UserPoints(**{**fields, **bad}).check()


# ---------------------------------------------------------------- the session
def test_drawing_keeps_the_weights_and_a_new_class_adds_an_output():
    session = Session(DataSettings("circle"))
    session.trainer.run_epochs(2)
    W1 = session.net.params["W1"].copy()
    assert session.edit_points("add", points=[[1, 1]], label=2) == "Add a point of class 2"
    assert session.data.dataset == "custom" and session.data.class_count == 3
    assert session.net.sizes[-1] == 3
    np.testing.assert_array_equal(session.net.params["W1"], W1)
    assert len(session.points) == 501


def test_undo_goes_back_through_points_and_network_edits_alike():
    session = Session(DataSettings("xor"))
    generated = state(session)
    session.edit_points("add", points=[[1, 1]], label=1)
    drawn = state(session)
    session.perform(edits.add_neuron(1))
    session.edit_points("erase", centre=[1, 1], radius=0.01)
    assert session.history.undo_label == "Erase 1 point"
    session.undo()
    session.undo()
    assert same(state(session), drawn)
    session.undo()
    assert same(state(session), generated)
    assert session.data.dataset == "xor" and session.points is None
    session.redo()
    assert session.data.dataset == "custom" and len(session.points) == 501


def test_a_brush_stroke_undoes_as_one():
    session = Session(DataSettings("circle"))
    session.edit_points("add", points=[[0, 0]], label=0)
    count = len(session.points)
    for i in range(5):
        session.edit_points("add", points=[[i, 1], [i, 2]], label=1, stroke=7)
    assert len(session.points) == count + 10
    session.undo()
    assert len(session.points) == count


@pytest.mark.parametrize("op, args", [
    ("add", {"points": [[0, float("nan")]], "label": 0}),
    ("add", {"points": [[0, 0]], "label": 8}),
    ("add", {"points": [[0, 0]], "label": True}),
    ("add", {"points": [], "label": 0}),
    ("add", {"points": [[0, 0, 0]], "label": 0}),
    ("erase", {"centre": [0, 0], "radius": -1}),
    ("erase", {"centre": "middle", "radius": 1}),
    ("paint", {}),
    ("clear", {"everything": True}),
], ids=str)
def test_refused_changes_change_nothing(op, args):
    session = Session(DataSettings("circle"))
    session.edit_points("add", points=[[0, 0]], label=1)
    before = state(session)
    with pytest.raises(ValueError):
        session.edit_points(op, **args)
    assert same(state(session), before) and session.data_version == before["version"]


def test_going_to_a_dataset_keeps_the_points_to_come_back_to():
    session = Session(DataSettings("circle"))
    session.edit_points("add", points=[[0, 0]], label=1)
    points = session.points
    session.configure(dataset="spiral")
    assert session.data.custom.count == len(points)
    session.configure(dataset="custom")
    assert session.points is points and len(session.trainer.y) + len(session.trainer.y_test) \
        == len(points)
    with pytest.raises(ValueError, match="no points of your own"):
        Session(DataSettings("circle")).configure(dataset="custom")


def test_an_empty_canvas_trains_nothing_and_picks_up_the_first_point():
    session = Session(DataSettings("circle"))
    session.edit_points("clear")
    trainer = session.trainer
    assert trainer.run(10) == 0 and trainer.run_epochs(1) == 0 and trainer.run_for(0.01) == 0
    snap = session.snapshot(10)
    assert snap.X_train.shape == (0, 2) and snap.grid is not None
    session.edit_points("add", points=[[1, 1]], label=0)
    session.edit_points("add", points=[[-1, -1]], label=1)
    assert len(trainer.y) >= 1 and trainer.run(3) == 3


def test_regression_points_take_values():
    session = Session(DataSettings("plane"))
    session.edit_points("clear")
    session.edit_points("add", points=[[1, 1], [2, 2]], label=-0.25)
    assert session.points.regression and session.points.y.tolist() == [-0.25, -0.25]
    assert session.net.loss.name == "mse"


def test_split_keys_are_spread():
    keys = split_keys(0, 1000)
    assert np.histogram(keys, bins=10, range=(0, 1))[0].min() >= 95
