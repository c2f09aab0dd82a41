"""What of a running session a project file keeps so that training goes on exactly where it
stopped: the optimizer's memory, the random generators, the position in the epoch and its
shuffled order, the gradient statistics, the divergence guard's copies and the loss history.

:func:`capture` gives it as JSON-safe values and flat arrays; :func:`array_shapes` says what
shape every array must have in a session built from the file's spec and data (so a loader
checks declared sizes before reading any); :func:`check_state` checks the JSON part and
:func:`install` puts it all back. This module knows the trainer's bookkeeping; the file
format itself is :mod:`playground.io.project`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from playground.core.session import Session
from playground.core.trainer import Divergence, History
from playground.files.errors import LoadError
from playground.files.safe_json import check_int, check_number, check_object, check_text

MAX_ROWS = 10_000_000
"""History rows a project may hold (an epoch a row)."""
HISTORY_FLOATS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy",
                  "learning_rate")
_BIG_INT = re.compile(r"[0-9]{1,40}")


# ------------------------------------------------------------------ random generators
def _rng_state(rng: np.random.Generator) -> dict[str, Any]:
    """A PCG64 generator's state with its 128-bit numbers as decimal strings (JSON numbers
    that long are refused on reading)."""
    state = rng.bit_generator.state
    return {"state": str(state["state"]["state"]), "inc": str(state["state"]["inc"]),
            "has_uint32": int(state["has_uint32"]), "uinteger": int(state["uinteger"])}


def _set_rng(rng: np.random.Generator, saved: dict[str, Any], where: str) -> None:
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


# ------------------------------------------------------------------ capture
def capture(session: Session) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The session's running state: JSON-safe values, and arrays by member name."""
    trainer, net = session.trainer, session.net
    optimizer = trainer.optimizer
    history = trainer.history  # fills in a pending full-batch row first
    divergence = trainer.divergence
    shuffled = trainer._pos < len(trainer.y) and trainer._batch < len(trainer.y)
    state = {
        "step": trainer.step_count, "epoch": trainer.epoch, "position": int(trainer._pos),
        "batch": int(trainer._batch), "shuffled": bool(shuffled),
        "pending_train": trainer._pending_train, "grad_count": int(trainer._abs_count),
        "grad_decay": float(trainer.grad_decay),
        "divergence": None if divergence is None else {
            "step": divergence.step, "epoch": divergence.epoch,
            "learning_rate": divergence.learning_rate, "what": divergence.what},
        "rng": _rng_state(trainer.rng), "net_rng": _rng_state(net.rng),
        "optimizer_steps": int(optimizer.t), "optimizer_state": sorted(optimizer.state),
        "history_rows": len(history),
    }
    arrays: dict[str, np.ndarray] = {
        "trainer.grad_sum": trainer._abs_sum, "trainer.grad_mean": trainer._abs_mean,
        "trainer.last_good": trainer._last_good, "trainer.checkpoint": trainer._checkpoint}
    arrays.update({f"optimizer.{k}": v for k, v in optimizer.state.items()})
    if shuffled:
        arrays["trainer.epoch_inputs"] = trainer._Xs
        arrays["trainer.epoch_targets"] = np.asarray(trainer._ts, dtype=np.float64)
    arrays["history.epoch"] = np.asarray(history.epoch, dtype=np.int64)
    arrays["history.step"] = np.asarray(history.step, dtype=np.int64)
    for name in HISTORY_FLOATS:
        arrays[f"history.{name}"] = np.asarray(getattr(history, name), dtype=np.float64)
    lengths = [len(row) for row in history.grad_norms]
    norms = np.full((len(lengths), max(lengths, default=0)), np.nan)
    for i, row in enumerate(history.grad_norms):
        norms[i, :len(row)] = row
    arrays["history.grad_norms"] = norms
    arrays["history.grad_norms_length"] = np.asarray(lengths, dtype=np.int64)
    return state, {k: np.ascontiguousarray(v) for k, v in arrays.items()}


# ------------------------------------------------------------------ checking
def check_state(state: Any, where: str) -> dict[str, Any]:
    """The JSON part's fields checked for type and range."""
    state = check_object(state, where)
    for key, high in (("step", 2**62), ("epoch", 2**62), ("position", 2**40),
                      ("batch", 2**40), ("grad_count", 2**62), ("optimizer_steps", 2**62),
                      ("history_rows", MAX_ROWS)):
        check_int(state.get(key), f"{where}: '{key}'", 0, high)
    if state.get("pending_train") is not None:
        check_int(state["pending_train"], f"{where}: 'pending_train'", 0, MAX_ROWS)
    if not isinstance(state.get("shuffled"), bool):
        raise LoadError(f"{where}: 'shuffled' must be true or false")
    check_number(state.get("grad_decay"), f"{where}: 'grad_decay'", 0.0, 1.0)
    names = state.get("optimizer_state")
    if not isinstance(names, list) or not set(names) <= {"v", "m", "cache"}:
        raise LoadError(f"{where}: 'optimizer_state' must list the optimizer's arrays")
    divergence = state.get("divergence")
    if divergence is not None:
        divergence = check_object(divergence, f"{where}: 'divergence'")
        check_int(divergence.get("step"), f"{where}: the divergence's step", 0, 2**62)
        check_int(divergence.get("epoch"), f"{where}: the divergence's epoch", 0, 2**62)
        check_number(divergence.get("learning_rate"), f"{where}: the divergence's rate", 0.0)
        check_text(divergence.get("what"), f"{where}: what diverged", 200)
    return state


def array_shapes(state: dict[str, Any], session: Session) -> dict[str, tuple[int, ...]]:
    """Every array the state needs, with its shape, for ``session`` (built from the file's
    spec and data)."""
    trainer = session.trainer
    size = trainer.net.layout.size
    shapes: dict[str, tuple[int, ...]] = {
        f"trainer.{k}": (size,) for k in ("grad_sum", "grad_mean", "last_good", "checkpoint")}
    shapes.update({f"optimizer.{k}": (size,) for k in state["optimizer_state"]})
    n = len(trainer.y)
    if state["shuffled"]:
        shapes["trainer.epoch_inputs"] = (n, trainer.X.shape[1])
        shapes["trainer.epoch_targets"] = tuple(np.shape(trainer.t))
    rows = state["history_rows"]
    for name in ("epoch", "step", *HISTORY_FLOATS, "grad_norms_length"):
        shapes[f"history.{name}"] = (rows,)
    return shapes


# ------------------------------------------------------------------ installing
def install(session: Session, state: dict[str, Any], arrays: dict[str, np.ndarray],
            where: str) -> None:
    """Put the saved running state into ``session`` (built from the same spec and data)."""
    trainer, net = session.trainer, session.net
    n = len(trainer.y)
    if state["batch"] > max(n, 1) or state["batch"] < 1 or state["position"] > n + state["batch"]:
        raise LoadError(f"{where}: the position in the epoch does not fit {n:,} points")
    if state["pending_train"] is not None and state["pending_train"] >= state["history_rows"]:
        raise LoadError(f"{where}: 'pending_train' points past the history")
    optimizer = trainer.optimizer
    expected = {"sgd": set(), "momentum": {"v"}, "nesterov": {"v"}, "adagrad": {"cache"},
                "rmsprop": {"cache"}, "adam": {"m", "v"}}[optimizer.name]
    names = set(state["optimizer_state"])
    if names and names != expected:
        raise LoadError(f"{where}: the {optimizer.label} optimizer keeps "
                        f"{sorted(expected) or 'nothing'}, not {sorted(names)}")
    _set_rng(trainer.rng, state["rng"], f"{where}: 'rng'")
    _set_rng(net.rng, state["net_rng"], f"{where}: 'net_rng'")
    optimizer.state = {k: arrays[f"optimizer.{k}"].copy() for k in names}
    optimizer.t = state["optimizer_steps"]
    optimizer._size = net.layout.size if names else -1
    trainer._abs_sum = arrays["trainer.grad_sum"].copy()
    trainer._abs_mean = arrays["trainer.grad_mean"].copy()
    trainer._last_good = arrays["trainer.last_good"].copy()
    trainer._checkpoint = arrays["trainer.checkpoint"].copy()
    trainer._abs_count = state["grad_count"]
    trainer.grad_decay = state["grad_decay"]
    trainer.step_count, trainer.epoch = state["step"], state["epoch"]
    trainer._batch, trainer._pos = state["batch"], state["position"]
    if state["shuffled"]:
        trainer._Xs = arrays["trainer.epoch_inputs"].copy()
        trainer._ts = arrays["trainer.epoch_targets"].astype(trainer.t.dtype)
    elif trainer._pos < n:
        trainer._Xs, trainer._ts = trainer.X, trainer.t
    trainer._history = _history(arrays, state["history_rows"], where)
    trainer._pending_train = state["pending_train"]
    divergence = state["divergence"]
    trainer.divergence = None if divergence is None else Divergence(
        divergence["step"], divergence["epoch"], float(divergence["learning_rate"]),
        divergence["what"])


def _history(arrays: dict[str, np.ndarray], rows: int, where: str) -> History:
    lengths = arrays["history.grad_norms_length"]
    norms = arrays["history.grad_norms"]
    if norms.ndim != 2 or norms.shape[0] != rows or (rows and (
            lengths.min() < 0 or lengths.max() > norms.shape[1])):
        raise LoadError(f"{where}: the gradient-norm history does not fit its row lengths")
    history = History(epoch=[int(v) for v in arrays["history.epoch"]],
                      step=[int(v) for v in arrays["history.step"]],
                      grad_norms=[tuple(float(v) for v in norms[i, :lengths[i]])
                                  for i in range(rows)])
    for name in HISTORY_FLOATS:
        setattr(history, name, [float(v) for v in arrays[f"history.{name}"]])
    return history
