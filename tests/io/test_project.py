"""Project files: everything round-trips, training goes on exactly as if the file had never
been written, plain Python reads it, and anything wrong or hostile is a LoadError that leaves
the session it was meant for untouched (random and mutated bytes included)."""

from __future__ import annotations

import io
import json
import math
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import edits
from playground.core.optimizers import Schedule
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.files.errors import LoadError
from playground.io.project import load_project, read_project, save_project
from playground.runner.service import Service

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def running(kind: str) -> Session:
    """Sessions caught mid-way through something."""
    if kind == "adam-dropout-maxout":
        s = Session(DataSettings("spiral", classes=3, noise=0.1, n=300))
        s.configure(dropout=0.2, l2=1e-3)
        s.perform(edits.set_activation(1, "maxout", 3))
        s.trainer.run(137)   # mid-epoch
    elif kind == "regression-momentum-schedule":
        s = Session(DataSettings("plane", n=400), optimizer="momentum", lr=0.02)
        s.configure(schedule=Schedule("step", 0.5, 3))
        s.trainer.run_epochs(4)
        s.trainer.run(3)
    elif kind == "full-batch":
        s = Session(DataSettings("circle", n=200), optimizer="rmsprop", batch_size=None)
        s.trainer.run(9)     # the last epoch's training loss is still pending
    elif kind == "own-points":
        s = Session(DataSettings("xor", n=200), optimizer="nesterov")
        s.edit_points("add", points=[[1.0, 1.0], [2.0, -3.0]], label=2)
        s.trainer.run(77)
    elif kind == "diverged":
        s = Session(DataSettings("plane", n=100), {"layers": [{"units": 8, "activation": "relu"}]},
                    optimizer="sgd", lr=1e3)
        s.trainer.run(50)
        assert s.trainer.divergence is not None
    else:
        raise ValueError(kind)
    return s


KINDS = ["adam-dropout-maxout", "regression-momentum-schedule", "full-batch", "own-points",
         "diverged"]


def state(session: Session) -> dict:
    t = session.trainer
    h = t.history
    return {"data": session.data, "settings": session.settings, "structure": t.net.structure(),
            "flat": t.net.flat.tobytes(), "step": t.step_count, "epoch": t.epoch,
            "history": json.dumps([h.epoch, h.step, h.train_loss, h.test_loss,
                                   h.train_accuracy, h.test_accuracy, h.grad_norms],
                                  default=str),
            "optimizer": {k: v.tobytes() for k, v in t.optimizer.state.items()},
            "divergence": t.divergence}


@pytest.mark.parametrize("kind", KINDS)
def test_a_project_reopens_identical_and_goes_on_identically(tmp_path, kind):
    original = running(kind)
    path = save_project(original, tmp_path / "run.nplay", view={"edges": "gradient"})
    opened = read_project(path)
    copy = opened.session
    assert state(copy) == state(original)
    assert opened.view == {"edges": "gradient"}
    if original.points is not None:
        assert copy.points.keys.tolist() == original.points.keys.tolist()
    for session in (original, copy):
        session.trainer.resume()
        session.trainer.run(250)
    assert state(copy) == state(original)


def test_plain_python_reads_a_project(tmp_path):
    session = running("own-points")
    path = save_project(session, tmp_path / "mine.nplay")
    arrays = np.load(path, allow_pickle=False)
    np.testing.assert_array_equal(arrays["W1"], session.net.params["W1"])
    np.testing.assert_array_equal(arrays["points.X"], session.points.X)
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(archive.read("project.json"))
    assert meta["format"] == "neural-playground-project" and meta["version"] == 1
    assert meta["network"]["layers"][0]["units"] == 12
    assert meta["data"]["custom"]["count"] == len(session.points)


def test_load_project_gives_a_session(tmp_path):
    path = save_project(running("full-batch"), tmp_path / "a.nplay")
    assert isinstance(load_project(path), Session)


# ---------------------------------------------------------------- refusals
def rewrite(path, tmp_path, meta=None, drop=(), replace=None):
    """A copy of the project with its JSON changed by ``meta(dict)`` and members dropped or
    replaced."""
    out = tmp_path / "edited.nplay"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name in drop:
                continue
            data = source.read(name)
            if name == "project.json" and meta is not None:
                document = json.loads(data)
                meta(document)
                data = json.dumps(document).encode()
            if replace and name in replace:
                data = replace[name]
            target.writestr(name, data)
    return out


def npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _set(path_keys, value):
    def change(document):
        node = document
        for key in path_keys[:-1]:
            node = node[key]
        node[path_keys[-1]] = value
    return change


CASES = [
    (dict(meta=_set(["version"], 2)), "update Neural Playground"),
    (dict(meta=_set(["version"], True)), "format version"),
    (dict(meta=_set(["format"], "something-else")), "not a Neural Playground project"),
    (dict(meta=_set(["network", "layers", 0, "units"], 13)), "13 units"),
    (dict(meta=_set(["network", "layers", 0, "activation"], "swoosh")), "activation"),
    (dict(meta=_set(["network", "inputs"], 10**30)), "31 digits"),
    (dict(meta=_set(["data", "dataset"], "moon")), "unknown dataset"),
    (dict(meta=_set(["data", "features"], ["x1", "x1"])), "features"),
    (dict(meta=_set(["data", "train_ratio"], 5)), "train_ratio"),
    (dict(meta=_set(["training", "lr"], -1)), "'lr'"),
    (dict(meta=_set(["training", "optimizer"], "lbfgs")), "unknown optimizer"),
    (dict(meta=_set(["state", "rng", "state"], "-5")), "128-bit"),
    (dict(meta=_set(["state", "position"], 10**9)), "position"),
    (dict(meta=_set(["state", "history", "rows"], 10**6)), "history"),
    (dict(meta=_set(["network", "loss"], "bce")), "does not fit"),
    (dict(drop=("W1.npy",)), "missing array 'W1'"),
    (dict(drop=("project.json",)), "no 'project.json'"),
    (dict(replace={"W1.npy": npy(np.full((2, 12), np.nan))}), "NaN"),
    (dict(replace={"b1.npy": npy(np.zeros(13))}), "shape"),
    (dict(replace={"W1.npy": npy(np.array(["text"]))}), "W1"),
]


@pytest.mark.parametrize("change, says", CASES, ids=[says for _, says in CASES])
def test_a_bad_project_says_what_and_changes_nothing(tmp_path, change, says):
    path = save_project(running("adam-dropout-maxout"), tmp_path / "good.nplay")
    bad = rewrite(path, tmp_path, **change)
    target = running("regression-momentum-schedule")
    before = state(target)
    with pytest.raises(LoadError, match=says):
        Service(target).open_project(str(bad))
    assert state(target) == before


def test_nan_in_the_optimizers_memory_is_refused_by_name(tmp_path):
    """A NaN there would turn the first step's weights into NaN: a damaged file, refused,
    not a divergence on the first Play. (Inf may be real: Adam's v can overflow.)"""
    path = save_project(running("adam-dropout-maxout"), tmp_path / "good.nplay")
    with zipfile.ZipFile(path) as archive:
        memory = {name: np.load(io.BytesIO(archive.read(name))) for name in archive.namelist()
                  if name.startswith("optimizer.") or ".opt." in name}
    damaged = [name for name, array in memory.items() if array.dtype.kind == "f"]
    assert "optimizer.m.npy" in damaged and any(".opt." in name for name in damaged)
    target = running("regression-momentum-schedule")
    before = state(target)
    for name in damaged:
        array = memory[name].copy()
        array.flat[0] = np.nan
        bad = rewrite(path, tmp_path, replace={name: npy(array)})
        with pytest.raises(LoadError, match=rf"edited\.nplay: '{name[:-4]}'.*NaN"):
            Service(target).open_project(str(bad))
        assert state(target) == before
    overflowed = memory["optimizer.v.npy"].copy()
    overflowed.flat[0] = np.inf
    assert load_project(rewrite(path, tmp_path, replace={"optimizer.v.npy": npy(overflowed)}))


@pytest.mark.parametrize("data", [b"", b"hello", b"PK\x03\x04broken", npy(np.zeros(3))],
                         ids=["empty", "text", "truncated-zip", "one-array"])
def test_files_that_are_not_projects(tmp_path, data):
    path = tmp_path / "x.nplay"
    path.write_bytes(data)
    with pytest.raises(LoadError, match=r"x\.nplay"):
        load_project(path)


# ---------------------------------------------------------------- hypothesis
GOOD: dict[str, bytes] = {}


def good_bytes(tmp_path_factory) -> bytes:
    if "bytes" not in GOOD:
        folder = tmp_path_factory.mktemp("good")
        GOOD["bytes"] = save_project(running("own-points"), folder / "g.nplay").read_bytes()
    return GOOD["bytes"]


def _open_or_refuse(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "f.nplay"
    path.write_bytes(data)
    target = Session(DataSettings("gauss", n=60))
    target.trainer.run(7)
    before = state(target)
    try:
        Service(target).open_project(str(path))
    except LoadError:
        assert state(target) == before
        return
    assert math.isfinite(float(target.net.flat.sum()))
    target.trainer.run(3)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(tmp_path_factory, data):
    _open_or_refuse(tmp_path_factory, data)


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1,
                      max_size=8),
       cut=st.one_of(st.none(), st.integers(0, 10**9)))
def test_mutated_bytes(tmp_path_factory, flips, cut):
    data = bytearray(good_bytes(tmp_path_factory))
    for at, value in flips:
        data[at % len(data)] = value
    if cut is not None:
        data = data[:cut % len(data)]
    _open_or_refuse(tmp_path_factory, bytes(data))


JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**25, 10**25),
                        st.floats(allow_nan=False), st.text(max_size=20),
                        st.lists(st.integers(-3, 70), max_size=4),
                        st.dictionaries(st.text(max_size=6), st.integers(), max_size=3))


def _has(node, key) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and key < len(node)


@FUZZ
@given(path=st.lists(st.sampled_from(["network", "data", "training", "state", "points",
                                      "layers", 0, "units", "activation", "custom", "rng",
                                      "state", "count", "classes", "bounds", "schedule",
                                      "kind", "rows", "position", "optimizer", "marks", "items",
                                      "view", "seed", "n", "features"]),
                     min_size=1, max_size=4),
       value=JSON_VALUES)
def test_mutated_json(tmp_path_factory, path, value):
    with zipfile.ZipFile(io.BytesIO(good_bytes(tmp_path_factory))) as source:
        members = {name: source.read(name) for name in source.namelist()}
    document = json.loads(members["project.json"])
    node = document
    for key in path[:-1]:
        if _has(node, key):
            node = node[key]
    if _has(node, path[-1]) or (isinstance(node, dict) and isinstance(path[-1], str)):
        node[path[-1]] = value
    members["project.json"] = json.dumps(document).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    _open_or_refuse(tmp_path_factory, buffer.getvalue())
