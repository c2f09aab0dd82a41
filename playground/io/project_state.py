"""What of a running session a project file keeps so that training goes on exactly where it
stopped: the optimizer's memory (with each parameter's own step count and bias corrections),
the random generators, the position in the epoch and its shuffled order, the gradient
statistics, the checkpoint ring, the layer ids and the training record with its marks.

:func:`capture` gives it as JSON-safe values and arrays; :func:`array_shapes` says what shape
every fixed-size array must have in a session built from the file's spec and data (so a
loader checks declared sizes before reading any); :func:`check_state` checks the JSON part
and :func:`install` puts it all back. This module knows the trainer's bookkeeping; the file
format itself is :mod:`playground.io.project`.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import numpy as np

from playground.core.checkpoints import CAPACITY, Checkpoint, Divergence
from playground.core.history import MARK_CAPACITY, MARK_KINDS, History, Mark
from playground.core.optimizers import Optimizer
from playground.core.session import Session
from playground.core.trainer import Trainer
from playground.files.errors import LoadError
from playground.files.limits import MAX_LAYERS
from playground.files.safe_json import (
    check_int,
    check_list,
    check_number,
    check_object,
    check_text,
)

MAX_ROWS = 100_000
"""History rows a project may hold (the record thins itself to a few thousand)."""
HISTORY_FLOATS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy",
                  "learning_rate", "regularization")
RAGGED = ("grad_norms", "layer_ids")
"""History columns whose rows differ in length (one entry per layer, as it was then)."""
INTEGERS = ("history.epoch", "history.step", "history.layer_ids", "history.grad_norms_length",
            "history.layer_ids_length", "trainer.order")
"""The arrays of whole numbers; every other array holds floats."""
_BIG_INT = re.compile(r"[0-9]{1,40}")
_OPT_KEY = re.compile(r"opt:(sgd|momentum|nesterov|adagrad|rmsprop|adam):(v|m|cache|steps|lag)")


# ------------------------------------------------------------------ random generators
def _rng_state(rng: np.random.Generator) -> dict[str, Any]:
    """A PCG64 generator's state with its 128-bit numbers as decimal strings (JSON numbers
    that long are refused on reading)."""
    state = rng.bit_generator.state
    return {"state": str(state["state"]["state"]), "inc": str(state["state"]["inc"]),
            "has_uint32": int(state["has_uint32"]), "uinteger": int(state["uinteger"])}


def _set_rng(rng: np.random.Generator, saved: Any, where: str) -> None:
    saved = check_object(saved, where)
    numbers = []
    for key in ("state", "inc"):
        text = saved.get(key)
        if not isinstance(text, str) or not _BIG_INT.fullmatch(text) or int(text) >= 2**128:
            raise LoadError(f"{where}: '{key}' must be a 128-bit whole number written as text")
        numbers.append(int(text))
    has_uint32 = check_int(saved.get("has_uint32"), f"{where}: 'has_uint32'", 0, 1)
    uinteger = check_int(saved.get("uinteger"), f"{where}: 'uinteger'", 0, 2**32 - 1)
    try:
        rng.bit_generator.state = {"bit_generator": "PCG64",
                                   "state": {"state": numbers[0], "inc": numbers[1]},
                                   "has_uint32": has_uint32, "uinteger": uinteger}
    except (ValueError, TypeError) as exc:
        raise LoadError(f"{where} is not a valid generator state ({exc})") from None


def _ragged(rows: list[tuple], dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """Rows of different lengths as a padded 2-D array and the lengths."""
    lengths = np.array([len(row) for row in rows], dtype=np.int64)
    table = np.zeros((len(rows), int(lengths.max(initial=0))), dtype=dtype)
    for i, row in enumerate(rows):
        table[i, :len(row)] = row
    return table, lengths


# ------------------------------------------------------------------ capture
def capture(session: Session) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The session's running state: JSON-safe values, and arrays by member name."""
    trainer, net = session.trainer, session.net
    optimizer, grads = trainer.optimizer, trainer.grads
    history = trainer.history  # fills in a pending full-batch row first
    divergence = trainer.divergence
    structure = net.structure()
    checkpoints = [c for c in trainer.checkpoints.items if c.structure == structure]
    ordered = trainer._order is not None and trainer._pos < len(trainer.y)
    betas = sorted(optimizer._corrections) if optimizer.state else []
    state = {
        "step": trainer.step_count, "epoch": trainer.epoch, "position": int(trainer._pos),
        "batch": int(trainer._batch), "ordered": ordered, "offered_at": trainer._offered_at,
        "pending_train": trainer._pending_train,
        "grads": {"count": grads.count, "epochs": grads.epochs, "decay": grads.decay},
        "divergence": None if divergence is None else {
            "step": divergence.step, "epoch": divergence.epoch,
            "learning_rate": divergence.learning_rate, "what": divergence.what},
        "rng": _rng_state(trainer.rng), "net_rng": _rng_state(net.rng),
        "layer_ids": list(net.layer_ids), "last_layer_id": net._last_id,
        "optimizer": {"steps": optimizer.t, "state": sorted(optimizer.state),
                      "corrections": betas},
        "checkpoints": {"best": trainer.checkpoints.best if math.isfinite(
                            trainer.checkpoints.best) else None,
                        "items": [{"epoch": c.epoch, "step": c.step,
                                   "loss": c.loss if math.isfinite(c.loss) else None,
                                   "optimizer": sorted(k for k in c.arrays if k != "params")}
                                  for c in checkpoints]},
        "history": {"rows": len(history), "marks_made": history.marks_made,
                    "marks": [[m.epoch, m.kind, m.text] for m in history.marks]},
    }
    arrays: dict[str, np.ndarray] = {
        "trainer.grad_sum": grads.sum, "trainer.grad_mean": grads.mean,
        "trainer.last_good": trainer._last_good}
    arrays.update({f"optimizer.{k}": v for k, v in optimizer.state.items()})
    arrays.update({f"optimizer.correction{i}": optimizer._corrections[beta]
                   for i, beta in enumerate(betas)})
    state["optimizer"]["corrections"] = [repr(beta) for beta in betas]
    if ordered:
        arrays["trainer.order"] = trainer._order.astype(np.int64)
    for i, checkpoint in enumerate(checkpoints):
        arrays.update({f"checkpoint{i}.{k.replace(':', '.')}": v
                       for k, v in checkpoint.arrays.items()})
    arrays["history.epoch"] = np.asarray(history.epoch, dtype=np.int64)
    arrays["history.step"] = np.asarray(history.step, dtype=np.int64)
    for name in HISTORY_FLOATS:
        arrays[f"history.{name}"] = np.asarray(getattr(history, name), dtype=np.float64)
    for name, dtype in zip(RAGGED, (np.float64, np.int64), strict=True):
        table, lengths = _ragged(getattr(history, name), dtype)
        arrays[f"history.{name}"], arrays[f"history.{name}_length"] = table, lengths
    return state, {k: np.ascontiguousarray(v) for k, v in arrays.items()}


# ------------------------------------------------------------------ checking
def check_state(state: Any, where: str) -> dict[str, Any]:
    """The JSON part's fields checked for type and range."""
    state = check_object(state, where)
    for key, high in (("step", 2**62), ("epoch", 2**62), ("position", 2**40),
                      ("batch", 2**40), ("offered_at", 2**62), ("last_layer_id", 2**31)):
        check_int(state.get(key), f"{where}: '{key}'", 0, high)
    if state.get("pending_train") is not None:
        check_int(state["pending_train"], f"{where}: 'pending_train'", 0, MAX_ROWS)
    if not isinstance(state.get("ordered"), bool):
        raise LoadError(f"{where}: 'ordered' must be true or false")
    grads = check_object(state.get("grads"), f"{where}: 'grads'")
    check_int(grads.get("count"), f"{where}: the gradient statistics' count", 0, 2**62)
    check_int(grads.get("epochs"), f"{where}: the gradient statistics' epochs", 0, 2**62)
    check_number(grads.get("decay"), f"{where}: the gradient statistics' decay", 0.0, 1.0)
    ids = check_list(state.get("layer_ids"), f"{where}: 'layer_ids'", MAX_LAYERS + 1)
    for value in ids:
        check_int(value, f"{where}: a layer id", 0, 2**31)
    optimizer = check_object(state.get("optimizer"), f"{where}: 'optimizer'")
    check_int(optimizer.get("steps"), f"{where}: the optimizer's steps", 0, 2**62)
    names = check_list(optimizer.get("state"), f"{where}: the optimizer's arrays", 8)
    if not set(names) <= {"v", "m", "cache", "steps", "lag"} or len(set(names)) != len(names):
        raise LoadError(f"{where}: the optimizer's arrays must be among v, m, cache, steps "
                        "and lag, each once")
    for beta in check_list(optimizer.get("corrections"), f"{where}: the corrections", 2):
        if not isinstance(beta, str) or not re.fullmatch(r"0\.[0-9]{1,20}", beta):
            raise LoadError(f"{where}: a bias correction's beta must be written as 0.…")
    ring = check_object(state.get("checkpoints"), f"{where}: 'checkpoints'")
    if ring.get("best") is not None:
        check_number(ring["best"], f"{where}: the best checkpoint loss", 0.0)
    for item in check_list(ring.get("items"), f"{where}: the checkpoints", CAPACITY):
        item = check_object(item, f"{where}: a checkpoint")
        check_int(item.get("epoch"), f"{where}: a checkpoint's epoch", 0, 2**62)
        check_int(item.get("step"), f"{where}: a checkpoint's step", 0, 2**62)
        if item.get("loss") is not None:
            check_number(item["loss"], f"{where}: a checkpoint's loss")
        for key in check_list(item.get("optimizer"), f"{where}: a checkpoint's arrays", 8):
            if not isinstance(key, str) or not _OPT_KEY.fullmatch(key):
                raise LoadError(f"{where}: a checkpoint's optimizer array must be named "
                                "opt:<rule>:<array>")
    history = check_object(state.get("history"), f"{where}: 'history'")
    check_int(history.get("rows"), f"{where}: the history's rows", 0, MAX_ROWS)
    check_int(history.get("marks_made"), f"{where}: the marks made", 0, 2**62)
    for mark in check_list(history.get("marks"), f"{where}: the marks", MARK_CAPACITY):
        if not (isinstance(mark, list) and len(mark) == 3 and mark[1] in MARK_KINDS):
            raise LoadError(f"{where}: a mark must be [epoch, kind, text]")
        check_int(mark[0], f"{where}: a mark's epoch", 0, 2**62)
        check_text(mark[2], f"{where}: a mark's text", 200)
    divergence = state.get("divergence")
    if divergence is not None:
        divergence = check_object(divergence, f"{where}: 'divergence'")
        check_int(divergence.get("step"), f"{where}: the divergence's step", 0, 2**62)
        check_int(divergence.get("epoch"), f"{where}: the divergence's epoch", 0, 2**62)
        check_number(divergence.get("learning_rate"), f"{where}: the divergence's rate", 0.0)
        check_text(divergence.get("what"), f"{where}: what diverged", 200)
    return state


def array_shapes(state: dict[str, Any], session: Session) -> dict[str, tuple[int, ...]]:
    """Every fixed-size array the state needs, with its shape, for ``session`` (built from
    the file's spec and data). The ragged history columns are read with a cap instead."""
    trainer = session.trainer
    size = trainer.net.layout.size
    shapes: dict[str, tuple[int, ...]] = {
        f"trainer.{k}": (size,) for k in ("grad_sum", "grad_mean", "last_good")}
    optimizer = state["optimizer"]
    shapes.update({f"optimizer.{k}": (size,) for k in optimizer["state"]})
    shapes.update({f"optimizer.correction{i}": (size,)
                   for i in range(len(optimizer["corrections"]))})
    if state["ordered"]:
        shapes["trainer.order"] = (len(trainer.y),)
    for i, item in enumerate(state["checkpoints"]["items"]):
        shapes[f"checkpoint{i}.params"] = (size,)
        shapes.update({f"checkpoint{i}.{k.replace(':', '.')}": (size,)
                       for k in item["optimizer"]})
    rows = state["history"]["rows"]
    for name in ("epoch", "step", *HISTORY_FLOATS, *(f"{r}_length" for r in RAGGED)):
        shapes[f"history.{name}"] = (rows,)
    return shapes


# ------------------------------------------------------------------ installing
def install(session: Session, state: dict[str, Any], arrays: dict[str, np.ndarray],
            where: str) -> None:
    """Put the saved running state into ``session`` (built from the same spec and data)."""
    trainer, net = session.trainer, session.net
    n = len(trainer.y)
    if not 1 <= state["batch"] <= max(n, 1) or state["position"] > n + state["batch"]:
        raise LoadError(f"{where}: the position in the epoch does not fit {n:,} points")
    rows = state["history"]["rows"]
    if state["pending_train"] is not None and state["pending_train"] >= rows:
        raise LoadError(f"{where}: 'pending_train' points past the history")
    ids = state["layer_ids"]
    if len(ids) != len(net.layer_ids) or len(set(ids)) != len(ids):
        raise LoadError(f"{where}: 'layer_ids' must name each of the {len(net.layer_ids)} "
                        "layers once")
    structure = net.structure()
    _set_rng(trainer.rng, state["rng"], f"{where}: 'rng'")
    _set_rng(net.rng, state["net_rng"], f"{where}: 'net_rng'")
    net.set_structure(dataclasses.replace(structure, layer_ids=tuple(ids)), net.flat)
    net._last_id = max(state["last_layer_id"], *ids)
    order = arrays.get("trainer.order")
    if order is not None and not np.array_equal(np.sort(order), np.arange(n)):
        raise LoadError(f"{where}: the epoch's order is not an order of the {n:,} points")
    _install_optimizer(trainer.optimizer, state["optimizer"], arrays, net.layout.size, where)
    grads = trainer.grads.replaced(net.layout, arrays["trainer.grad_sum"],
                                   arrays["trainer.grad_mean"])
    grads.count, grads.epochs = state["grads"]["count"], state["grads"]["epochs"]
    grads.decay = float(state["grads"]["decay"])
    trainer.grads, trainer._ids = grads, tuple(net.layer_ids)
    trainer._last_good = arrays["trainer.last_good"].copy()
    trainer.step_count, trainer.epoch = state["step"], state["epoch"]
    trainer._batch, trainer._pos = state["batch"], state["position"]
    trainer._offered_at = state["offered_at"]
    trainer._order = order
    if order is not None:
        trainer._Xs, trainer._ts = trainer.X[order], trainer.t[order]
    elif trainer._pos < n:
        trainer._Xs, trainer._ts = trainer.X, trainer.t
    trainer._history = _history(arrays, state["history"], where)
    trainer._pending_train = state["pending_train"]
    _install_checkpoints(trainer, state["checkpoints"], arrays, where)
    divergence = state["divergence"]
    trainer.divergence = None if divergence is None else Divergence(
        divergence["step"], divergence["epoch"], float(divergence["learning_rate"]),
        divergence["what"])


def _install_optimizer(optimizer: Optimizer, saved: dict[str, Any], arrays: dict[str, np.ndarray],
                       size: int, where: str) -> None:
    names = saved["state"]
    betas = [float(b) for b in saved["corrections"]]
    if not names:
        optimizer.reset()
        return
    optimizer.set_state({k: arrays[f"optimizer.{k}"] for k in names}, size)
    if set(optimizer.state) != set(names):
        raise LoadError(f"{where}: the {optimizer.label} optimizer keeps "
                        f"{sorted(optimizer.state)}, not {sorted(names)}")
    optimizer.t = saved["steps"]
    if betas:
        expected = ({optimizer.beta1, optimizer.beta2} if optimizer.name == "adam"
                    else {optimizer.decay} if optimizer.name == "rmsprop" else set())
        if set(betas) != expected:
            raise LoadError(f"{where}: the optimizer's bias corrections do not fit its rule")
        optimizer._corrections = {beta: arrays[f"optimizer.correction{i}"].copy()
                                  for i, beta in enumerate(betas)}


def _install_checkpoints(trainer: Trainer, saved: dict[str, Any], arrays: dict[str, np.ndarray],
                         where: str) -> None:
    ring = trainer.checkpoints
    ring.clear(forget_best=True)
    structure = trainer.net.structure()
    for i, item in enumerate(saved["items"]):
        named = {key: arrays[f"checkpoint{i}.{key.replace(':', '.')}"]
                 for key in ("params", *item["optimizer"])}
        if not np.isfinite(named["params"]).all():
            raise LoadError(f"{where}: checkpoint {i}'s weights are not all finite")
        loss = math.inf if item["loss"] is None else float(item["loss"])
        ring.items.append(Checkpoint(item["epoch"], item["step"], loss, structure, named))
    ring.best = math.inf if saved["best"] is None else float(saved["best"])


def _history(arrays: dict[str, np.ndarray], saved: dict[str, Any], where: str) -> History:
    rows = saved["rows"]
    ragged = {}
    for name, kind in zip(RAGGED, (float, int), strict=True):
        table, lengths = arrays[f"history.{name}"], arrays[f"history.{name}_length"]
        if table.ndim != 2 or table.shape[0] != rows or (rows and (
                lengths.min() < 0 or lengths.max() > table.shape[1])):
            raise LoadError(f"{where}: the history's {name} do not fit their row lengths")
        ragged[name] = [tuple(kind(v) for v in table[i, :lengths[i]]) for i in range(rows)]
    history = History(epoch=[int(v) for v in arrays["history.epoch"]],
                      step=[int(v) for v in arrays["history.step"]], **ragged,
                      marks=[Mark(int(e), k, t) for e, k, t in saved["marks"]],
                      marks_made=saved["marks_made"])
    for name in HISTORY_FLOATS:
        setattr(history, name, [float(v) for v in arrays[f"history.{name}"]])
    return history
