"""Project files (``.nplay``): everything a playground is, in one file, so an experiment lasts.

A project is a zip of ``project.json`` and NumPy ``.npy`` arrays, readable without the app:

- ``project.json``: format and version, the network spec (layers, every neuron's activation,
  dropout, output activation, loss, regularisation, initialiser), the data settings (the
  generator's, or a description of the user's own points), the training settings, the view
  options, and the running state (:mod:`project_state`: counters, random generators, the
  position in the epoch);
- ``W1.npy``, ``b1.npy``, … the weights as in a weights file (W is fan_in × fan_out);
- ``optimizer.*``, ``trainer.*``, ``history.*`` the optimizer's memory, the gradient
  statistics, the current epoch's order and the loss history;
- ``points.X``, ``points.y``, ``points.keys`` the user's own points, if any.

``numpy.load(path, allow_pickle=False)`` reads every array by name; ``zipfile`` reads the
JSON. Loading reads through :class:`~playground.files.safe_zip.SafeZip`: the JSON first,
checked field by field; then a session is built from it and every array's declared size is
compared with the shape that session needs before any array is read. Anything wrong is a
:class:`LoadError` naming the file and the field; a file that fails builds nothing.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from math import prod
from pathlib import Path
from typing import Any

import numpy as np

from playground import __version__
from playground.core.optimizers import OPTIMIZERS, SCHEDULES, Schedule
from playground.core.session import Session
from playground.core.settings import CUSTOM, CustomData, DataSettings, check_training
from playground.data import DATASETS, FEATURES
from playground.data.user_points import UserPoints
from playground.files.atomic import atomic_write
from playground.files.errors import LoadError
from playground.files.limits import MAX_CLASSES, MAX_LAYERS, MAX_PARAMETERS, MAX_POINTS
from playground.files.safe_json import (
    check_int,
    check_list,
    check_number,
    check_object,
    check_text,
)
from playground.files.safe_zip import SafeZip, ZipLimits
from playground.io import project_state
from playground.io.spec_check import check_spec

FORMAT = "neural-playground-project"
VERSION = 1
WHAT = "Neural Playground project"
META = "project.json"
MAX_META_BYTES = 8 << 20
_FLAT = MAX_PARAMETERS * 8
_POINTS = MAX_POINTS * 8 * 8
_HISTORY = project_state.MAX_ROWS * 8 * (MAX_LAYERS + 1)
LIMITS = ZipLimits(max_file_bytes=2 << 30, max_members=400,
                   max_member_bytes=max(_FLAT, _POINTS, _HISTORY),
                   max_total_bytes=8 * _FLAT + 2 * _POINTS + _HISTORY + MAX_META_BYTES)
VIEW_KEYS = {"edges": str, "show_test": bool, "discretize": bool, "log_loss": bool}


@dataclass
class ProjectFile:
    """What a project file holds: a session ready to train on, its view options and the rest
    of its JSON."""

    session: Session
    view: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ saving
def _data(data: DataSettings) -> dict[str, Any]:
    custom = data.custom
    return {"dataset": data.dataset, "n": data.n, "noise": data.noise, "classes": data.classes,
            "seed": data.seed, "train_ratio": data.train_ratio, "features": list(data.features),
            "custom": None if custom is None else {
                "title": custom.title, "regression": custom.regression,
                "classes": custom.classes, "class_names": list(custom.class_names),
                "bounds": list(custom.bounds), "count": custom.count}}


def save_project(session: Session, path: str | os.PathLike, *,
                 view: dict[str, Any] | None = None) -> Path:
    """Write everything ``session`` is to ``path`` atomically (the undo history excepted)."""
    settings, net = session.settings, session.net
    state, arrays = project_state.capture(session)
    arrays.update({k: np.asarray(v) for k, v in net.params.items()})
    points = session.points
    if points is not None:
        arrays.update({"points.X": points.X, "points.y": points.y, "points.keys": points.keys})
    schedule = settings.schedule
    meta = {"format": FORMAT, "version": VERSION, "app_version": __version__,
            "network": net.to_spec(), "data": _data(session.data),
            "training": {"lr": settings.lr, "optimizer": settings.optimizer,
                         "batch_size": settings.batch_size,
                         "schedule": {"kind": schedule.kind, "factor": schedule.factor,
                                      "every": schedule.every}},
            "points": None if points is None else {"made": points.made},
            "state": state, "view": dict(view or {})}
    text = json.dumps(meta, allow_nan=False)

    def write(handle) -> None:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(META, text)
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.ascontiguousarray(array),
                                          allow_pickle=False)
                archive.writestr(f"{name}.npy", buffer.getvalue())

    return atomic_write(path, write)


# ------------------------------------------------------------------ loading
def load_project(path: str | os.PathLike) -> Session:
    """The session stored in ``path``; :class:`LoadError` if anything in it is wrong."""
    return read_project(path).session


def read_project(path: str | os.PathLike) -> ProjectFile:
    """The project in ``path``: a new session, its view options and its JSON."""
    with SafeZip(path, LIMITS, WHAT) as archive:
        name = archive.name
        if META not in archive.names:
            raise LoadError(f"{name} has no '{META}', so it is not a {WHAT}")
        meta = _check_meta(name, archive.read_json(META, MAX_META_BYTES, max_depth=16))
        checked = check_spec(meta["network"], f"{name}: the network")
        data = _data_settings(name, meta["data"])
        training = _training(name, meta["training"])
        state = project_state.check_state(meta["state"], f"{name}: 'state'")
        custom = meta["data"]["custom"]
        shapes = {f"points.{k}": (data.custom.count, *extra) for k, extra in
                  (("X", (2,)), ("y", ()), ("keys", ()))} if custom else {}
        for key, shape in shapes.items():
            archive.check_size(f"{key}.npy", archive.npy_bytes(prod(shape)))
        points = _points(name, archive, shapes, data, meta.get("points")) if custom else None
        session = _session(name, data, checked.spec, training, points)
        shapes = dict(project_state.array_shapes(state, session))
        shapes.update(checked.shapes())
        for key, shape in shapes.items():
            if f"{key}.npy" not in archive.names:
                raise LoadError(f"{name}: missing array '{key}' (it needs shape {shape})")
            archive.check_size(f"{key}.npy", archive.npy_bytes(prod(shape)))
        arrays = {key: archive.read_npy(f"{key}.npy", shape) for key, shape in shapes.items()}
        rows = state["history"]["rows"]
        for column in project_state.RAGGED:
            arrays[f"history.{column}"] = archive.read_npy(
                f"history.{column}.npy", max_elements=max(1, rows) * (MAX_LAYERS + 1))
    for key, value in arrays.items():
        integers = key in project_state.INTEGERS
        if integers and value.dtype.kind == "f" and not np.array_equal(value, np.round(value)):
            raise LoadError(f"{name}: '{key}' must hold whole numbers")
        arrays[key] = value.astype(np.int64 if integers else np.float64)
    for key in (*checked.shapes(), "trainer.last_good"):
        if not np.isfinite(arrays[key]).all():
            raise LoadError(f"{name}: '{key}' contains NaN or infinite values")
    for key in arrays:  # a step through NaN memory makes NaN weights; a divergence clears it
        if (key.startswith("optimizer.") or ".opt." in key) and np.isnan(arrays[key]).any():
            raise LoadError(f"{name}: '{key}' (the optimizer's memory) contains NaN values")
    for key in checked.shapes():
        session.net.params[key] = arrays[key]
    project_state.install(session, state, arrays, f"{name}: 'state'")
    return ProjectFile(session, _view(meta.get("view")), meta)


def _check_meta(name: str, meta: Any) -> dict[str, Any]:
    meta = check_object(meta, f"{name}: '{META}'")
    if meta.get("format") != FORMAT:
        raise LoadError(f"{name} is not a {WHAT}")
    version = meta.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise LoadError(f"{name} is a project of format {version}; this app reads up to "
                        f"{VERSION} — update Neural Playground to open it")
    check_int(version, f"{name}: the format version", 1, VERSION)
    for key in ("network", "data", "training", "state"):
        if key not in meta:
            raise LoadError(f"{name}: '{META}' has no '{key}'")
    return meta


def _data_settings(name: str, data: Any) -> DataSettings:
    where = f"{name}: 'data'"
    data = check_object(data, where)
    dataset = check_text(data.get("dataset"), f"{where}: 'dataset'", 40)
    if dataset not in (*DATASETS, CUSTOM):
        raise LoadError(f"{where}: unknown dataset {dataset!r}")
    features = check_list(data.get("features"), f"{where}: 'features'", len(FEATURES))
    if not features or any(f not in FEATURES for f in features) or len(set(features)) != len(
            features):
        raise LoadError(f"{where}: 'features' must name known input features, each once")
    fields: dict[str, Any] = {
        "dataset": dataset, "features": tuple(features),
        "noise": check_number(data.get("noise"), f"{where}: 'noise'", 0.0, 10.0),
        "seed": check_int(data.get("seed"), f"{where}: 'seed'", 0, 2**63 - 1),
        "train_ratio": check_number(data.get("train_ratio"), f"{where}: 'train_ratio'", 0.1,
                                    0.9)}
    if data.get("n") is not None:
        fields["n"] = check_int(data["n"], f"{where}: 'n'", 1, MAX_POINTS)
    if data.get("classes") is not None:
        fields["classes"] = check_int(data["classes"], f"{where}: 'classes'", 2, MAX_CLASSES)
    custom = data.get("custom")
    if custom is not None:
        fields["custom"] = _custom(f"{where}: 'custom'", custom)
    elif dataset == CUSTOM:
        raise LoadError(f"{where}: the dataset is the user's own points, but none are described")
    return DataSettings(**fields)


def _custom(where: str, custom: Any) -> CustomData:
    custom = check_object(custom, where)
    regression = custom.get("regression")
    if not isinstance(regression, bool):
        raise LoadError(f"{where}: 'regression' must be true or false")
    names = check_list(custom.get("class_names"), f"{where}: 'class_names'", MAX_CLASSES)
    bounds = check_list(custom.get("bounds"), f"{where}: 'bounds'", 4)
    if len(bounds) != 4:
        raise LoadError(f"{where}: 'bounds' must be four numbers")
    return CustomData(
        check_text(custom.get("title"), f"{where}: 'title'", 100), regression,
        check_int(custom.get("classes"), f"{where}: 'classes'", 1, MAX_CLASSES),
        tuple(check_text(n, f"{where}: a class name", 100) for n in names),
        tuple(check_number(b, f"{where}: 'bounds'", -1e6, 1e6) for b in bounds),
        check_int(custom.get("count"), f"{where}: 'count'", 0, MAX_POINTS))


def _training(name: str, training: Any) -> dict[str, Any]:
    where = f"{name}: 'training'"
    training = check_object(training, where)
    optimizer = check_text(training.get("optimizer"), f"{where}: 'optimizer'", 20)
    if optimizer not in OPTIMIZERS:
        raise LoadError(f"{where}: unknown optimizer {optimizer!r}")
    batch = training.get("batch_size")
    schedule = check_object(training.get("schedule"), f"{where}: 'schedule'")
    kind = check_text(schedule.get("kind"), f"{where}: the schedule", 20)
    if kind not in SCHEDULES:
        raise LoadError(f"{where}: unknown schedule {kind!r}")
    try:
        return check_training({
            "lr": check_number(training.get("lr"), f"{where}: 'lr'", 0.0, 1e6),
            "optimizer": optimizer,
            "batch_size": None if batch is None else check_int(batch, f"{where}: 'batch_size'",
                                                               1, MAX_POINTS),
            "schedule": Schedule(kind, check_number(schedule.get("factor"),
                                                    f"{where}: the schedule's factor", 0, 1),
                                 check_int(schedule.get("every"),
                                           f"{where}: the schedule's period", 1, 10**9))})
    except LoadError:
        raise
    except ValueError as exc:
        raise LoadError(f"{where}: {exc}") from None


def _points(name: str, archive: SafeZip, shapes: dict[str, tuple[int, ...]],
            data: DataSettings, saved: Any) -> UserPoints:
    custom = data.custom
    saved = check_object(saved, f"{name}: 'points'")
    made = check_int(saved.get("made"), f"{name}: 'points': 'made'", 0, 2**62)
    arrays = {k: archive.read_npy(f"{k}.npy", shape) for k, shape in shapes.items()}
    y = arrays["points.y"].astype(np.float64 if custom.regression else np.int64)
    if not custom.regression and not np.array_equal(y, arrays["points.y"]):
        raise LoadError(f"{name}: 'points.y' must hold whole class numbers")
    points = UserPoints(arrays["points.X"].astype(np.float64), y,
                        arrays["points.keys"].astype(np.float64), custom.regression,
                        custom.classes, custom.class_names, custom.title, custom.bounds, made)
    try:
        points.check()
    except ValueError as exc:
        raise LoadError(f"{name}: the points: {exc}") from None
    return points


def _session(name: str, data: DataSettings, spec: dict[str, Any], training: dict[str, Any],
             points: UserPoints | None) -> Session:
    """A session of the file's data and network, as the file describes them exactly."""
    try:
        session = Session(data, spec, optimizer=training["optimizer"], lr=training["lr"],
                          batch_size=training["batch_size"], points=points)
        session.configure(schedule=training["schedule"])
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError) as exc:
        raise LoadError(f"{name} cannot be set up: {exc}") from None
    net = session.net
    if net.outputs != spec["outputs"] or net.loss.name != spec.get("loss", "softmax"):
        raise LoadError(f"{name}: a {spec.get('loss', 'softmax')} network of {spec['outputs']} "
                        f"output{'s' * (spec['outputs'] != 1)} does not fit its own data "
                        f"({data.info.title})")
    if points is not None and session.data.custom != data.custom:
        raise LoadError(f"{name}: the points do not match their description")
    return session


def _view(view: Any) -> dict[str, Any]:
    """The view options the file names, those of the right type only (they are harmless)."""
    if not isinstance(view, dict):
        return {}
    return {k: v for k, v in view.items() if k in VIEW_KEYS and isinstance(v, VIEW_KEYS[k])}
