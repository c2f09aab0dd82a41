"""Core benchmark: the Trainer against the shortest honest NumPy loop for the same network.

The minimal loop is what a student would write by hand (CS231n's case study), skipping all
work that changes nothing: shuffle each epoch (never a full batch: its order does not
matter), forward, loss, backward, SGD update, nothing else. The Trainer does that plus what
the app needs (per-epoch train/test metrics, per-edge |gradient| statistics, checkpoints,
divergence checks), each computed once; the ratio says what that bookkeeping costs. Target:
ratio ≥ 1.0 on each configuration (the Trainer's flat parameter buffer pays for it).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.core.network import Network
from playground.core.params import bias_key, weight_key
from playground.core.trainer import Trainer
from playground.data import make_dataset, train_test_split


@dataclass(frozen=True)
class Config:
    title: str
    dataset: str
    n: int
    classes: int | None
    layers: list[int]
    activation: str
    outputs: int
    loss: str
    lr: float
    batch: int | None
    train_ratio: float = 1.0
    l2: float = 0.0


CONFIGS = (
    Config("TF Playground default 2-4-2-1 tanh, batch 10", "spiral", 500, None, [4, 2], "tanh",
           1, "mse", 0.03, 10, train_ratio=0.5),
    Config("2-100-3 ReLU, full batch, 300 points", "cs231n-spiral", 300, 3, [100], "relu", 3,
           "softmax", 1.0, None, l2=1e-3),
    Config("2-8-8-8-8-8-8-3 tanh, batch 10", "cs231n-spiral", 300, 3, [8] * 6, "tanh", 3,
           "softmax", 0.1, 10),
)


def _data(cfg: Config) -> tuple[np.ndarray, ...]:
    X, y = make_dataset(cfg.dataset, n=cfg.n, seed=0, classes=cfg.classes)
    if cfg.train_ratio < 1.0:
        return train_test_split(X, y, cfg.train_ratio, seed=0)
    return X, y, None, None


def _network(cfg: Config) -> Network:
    return Network.from_spec({
        "inputs": 2, "layers": [{"units": u, "activation": cfg.activation} for u in cfg.layers],
        "outputs": cfg.outputs, "loss": cfg.loss, "l2": cfg.l2, "seed": 0,
        "output_activation": "tanh" if cfg.loss == "mse" else "linear",
        "init": "uniform" if cfg.loss == "mse" else "xavier"})


def minimal_loop(cfg: Config) -> Callable[[int], None]:
    """CS231n's case-study loop for the same network and data; returns run(steps).

    Like the lecture's code it computes the loss every step (a loop that never looks at its
    loss cannot notice divergence) but keeps no other statistics.
    """
    X, y, _, _ = _data(cfg)
    net = _network(cfg)
    Ws = [net.params[weight_key(k)].copy() for k in range(1, len(cfg.layers) + 2)]
    bs = [net.params[bias_key(k)].copy() for k in range(1, len(cfg.layers) + 2)]
    relu = cfg.activation == "relu"
    n = len(y)
    batch = cfg.batch or n
    rng = np.random.default_rng(0)
    targets = (2.0 * y - 1.0).reshape(-1, 1)
    state = {"pos": n, "Xs": X, "ys": y, "ts": targets, "loss": 0.0}

    def run(steps: int) -> None:
        for _ in range(steps):
            if state["pos"] >= n:
                if batch < n:
                    order = rng.permutation(n)
                    state.update(Xs=X[order], ys=y[order], ts=targets[order])
                state["pos"] = 0
            p = state["pos"]
            xb, yb = state["Xs"][p:p + batch], state["ys"][p:p + batch]
            state["pos"] = p + batch
            hidden = [xb]
            for W, b in zip(Ws[:-1], bs[:-1], strict=True):
                z = hidden[-1] @ W + b
                hidden.append(np.maximum(z, 0) if relu else np.tanh(z))
            scores = hidden[-1] @ Ws[-1] + bs[-1]
            m = len(yb)
            if cfg.loss == "mse":
                out = np.tanh(scores)
                diff = out - state["ts"][p:p + batch]
                data_loss = 0.5 * np.sum(diff * diff) / m
                dscores = diff / m * (1 - out * out)
            else:
                exp_scores = np.exp(scores - scores.max(axis=1, keepdims=True))
                probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
                rows = np.arange(m)
                data_loss = -np.sum(np.log(probs[rows, yb])) / m
                probs[rows, yb] -= 1
                dscores = probs / m
            reg_loss = sum(0.5 * cfg.l2 * np.sum(W * W) for W in Ws) if cfg.l2 else 0.0
            state["loss"] = data_loss + reg_loss
            dz = dscores
            for k in range(len(Ws) - 1, -1, -1):
                dW = hidden[k].T @ dz
                db = dz.sum(axis=0)
                if k:
                    da = dz @ Ws[k].T
                    dz = da * (hidden[k] > 0) if relu else da * (1 - hidden[k] * hidden[k])
                if cfg.l2:
                    dW += cfg.l2 * Ws[k]
                Ws[k] -= cfg.lr * dW
                bs[k] -= cfg.lr * db

    return run


def trainer_loop(cfg: Config) -> Callable[[int], None]:
    X, y, X_test, y_test = _data(cfg)
    trainer = Trainer(_network(cfg), X, y, X_test, y_test, lr=cfg.lr, batch_size=cfg.batch)
    return trainer.run


def steps_per_second(run: Callable[[int], None], seconds: float) -> float:
    run(20)
    steps, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        run(50)
        steps += 50
    return steps / elapsed


def grid_pass_ms(repeats: int = 200) -> float:
    """Median time of one 100×100 grid_activations pass on the TF Playground default net."""
    cfg = CONFIGS[0]
    X, y, X_test, y_test = _data(cfg)
    trainer = Trainer(_network(cfg), X, y, X_test, y_test, features=("x1", "x2"))
    bounds = (-6.0, 6.0, -6.0, 6.0)
    trainer.grid_activations(bounds, 100)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        trainer.grid_activations(bounds, 100)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main(seconds: float = 1.0, rounds: int = 3) -> list[tuple[str, float, float]]:
    """Print and return (title, trainer steps/s, minimal steps/s), best of interleaved rounds."""
    rows = []
    print(f"{'configuration':<48} {'Trainer':>10} {'minimal':>10} {'ratio':>6}  (target ≥ 1.0)")
    for cfg in CONFIGS:
        ours, theirs = trainer_loop(cfg), minimal_loop(cfg)
        best_ours = best_theirs = 0.0
        for _ in range(rounds):
            best_theirs = max(best_theirs, steps_per_second(theirs, seconds))
            best_ours = max(best_ours, steps_per_second(ours, seconds))
        rows.append((cfg.title, best_ours, best_theirs))
        print(f"{cfg.title:<48} {best_ours:>10,.0f} {best_theirs:>10,.0f} "
              f"{best_ours / best_theirs:>6.2f}", flush=True)
    ms = grid_pass_ms()
    print(f"grid_activations 100×100 on the default net: {ms:.2f} ms median (target < 2 ms)")
    return rows
