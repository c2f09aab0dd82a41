"""Command line: ``python -m playground`` opens the app; ``train`` and ``bench`` run headless.

    python -m playground train --dataset spiral --classes 3 --n 300 --layers 100 \\
        --activation relu --lr 1 --l2 1e-3 --batch full --steps 10000 --train-ratio 1

Every size is checked against the caps of :mod:`playground.files.limits` before anything is
allocated, and every bad argument gets one line (and a pointer to ``--help``), exit status 2.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from playground.core import activations, losses
from playground.core.initializers import INITS
from playground.core.network import Network
from playground.core.optimizers import OPTIMIZERS, SCHEDULES, Optimizer, Schedule, parse_schedule
from playground.core.trainer import Trainer
from playground.data import DATASETS, FEATURES, dataset_info, make_dataset, train_test_split
from playground.files.atomic import writable_target
from playground.files.limits import (
    MAX_LAYERS,
    MAX_PARAMETERS,
    MAX_POINTS,
    MAX_UNITS,
    parameter_count,
)
from playground.malloc_tuning import keep_freed_memory

MAX_STEPS = 10**9
MAX_SEED = 2**63 - 1


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error: the problem and where help is, not the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n(see '{self.prog} --help')\n")


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # also a number of more than 4,300 digits
        raise argparse.ArgumentTypeError(f"expected a whole number, not {_quoted(text)}") from None


def _bounded_int(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = _whole(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}{unit}, not "
                                             f"{_quoted(text)}")
        return value

    return parse


def _int_list(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()] if text.strip() else []
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 8,8 — got {_quoted(text)}"
                                         ) from None
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError("every layer needs at least one unit")
    if any(v > MAX_UNITS for v in values):
        raise argparse.ArgumentTypeError(f"at most {MAX_UNITS:,} units per layer")
    if len(values) > MAX_LAYERS:
        raise argparse.ArgumentTypeError(f"at most {MAX_LAYERS} hidden layers")
    return values


def _features(text: str) -> list[str]:
    names = [f.strip() for f in text.split(",") if f.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"name at least one of {', '.join(FEATURES)}")
    for name in names:
        if name not in FEATURES:
            raise argparse.ArgumentTypeError(f"unknown feature {_quoted(name)}; choose from "
                                             f"{', '.join(FEATURES)}")
        if names.count(name) > 1:
            raise argparse.ArgumentTypeError(f"{name!r} is named twice")
    return names


def _file_name(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("give a file name, e.g. --export net.npz")
    return text


def _batch(text: str) -> int | None:
    if text.lower() in ("full", "all", "0"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"batch: a number or 'full', not {_quoted(text)}"
                                         ) from None
    if value < 1:
        raise argparse.ArgumentTypeError("batch must be at least 1")
    if value > MAX_POINTS:
        raise argparse.ArgumentTypeError(f"batch: at most {MAX_POINTS:,} (or 'full')")
    return value


def _positive_int(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    if value > MAX_STEPS:
        raise argparse.ArgumentTypeError(f"at most {MAX_STEPS:,}")
    return value


def _ranged_float(low: float, high: float) -> Callable[[str], float]:
    """A finite number in [low, high] (``high`` may be infinite: no upper bound)."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, not {_quoted(text)}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"expected a finite number, not {_quoted(text)}")
        if not low <= value <= high:
            bound = f"at least {low:g}" if high == math.inf else f"between {low:g} and {high:g}"
            raise argparse.ArgumentTypeError(f"must be {bound}")
        return value

    return parse


def _schedule(text: str) -> Schedule:
    try:
        return parse_schedule(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="playground", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("gui", add_help=False,  # "gui --help" shows the window's own options
                   help="open the app (the default; --theme dark, --play, --smoke-test)")

    train = sub.add_parser("train", help="train a network headless and report its metrics")
    train.set_defaults(command_parser=train)
    data = train.add_argument_group("data")
    data.add_argument("--dataset", default="spiral", choices=sorted(DATASETS))
    data.add_argument("--n", type=_bounded_int(2, MAX_POINTS, " points"),
                      help=f"number of points, up to {MAX_POINTS:,} (default: the dataset's)")
    data.add_argument("--noise", type=_ranged_float(0.0, math.inf),
                      help="noise level (default: the dataset's)")
    data.add_argument("--classes", type=_bounded_int(1, 64),
                      help="number of classes, where it applies")
    data.add_argument("--train-ratio", type=_ranged_float(0.1, 1.0), default=0.5,
                      help="share of points used for training; 1 trains on all (default 0.5)")
    data.add_argument("--features", type=_features, default=["x1", "x2"],
                      help=f"comma-separated input features from {', '.join(FEATURES)}")
    net = train.add_argument_group("network")
    net.add_argument("--layers", type=_int_list, default=[4, 2],
                     help=f"hidden layer sizes, e.g. 8,8 (empty for none; default 4,2; at most "
                     f"{MAX_LAYERS} layers of {MAX_UNITS:,} units, {MAX_PARAMETERS:,} "
                     "parameters in all)")
    net.add_argument("--activation", default="tanh",
                     help="one activation, or one per hidden layer (relu,tanh); choices: "
                     + ", ".join(activations.NAMES))
    net.add_argument("--loss", default="softmax", choices=losses.NAMES)
    net.add_argument("--output-activation", default="linear",
                     help="output layer activation (tanh with mse is TF Playground's setting)")
    net.add_argument("--init", default="xavier", choices=INITS)
    net.add_argument("--l1", type=_ranged_float(0.0, math.inf), default=0.0)
    net.add_argument("--l2", type=_ranged_float(0.0, math.inf), default=0.0)
    net.add_argument("--dropout", type=_ranged_float(0.0, 0.99), default=0.0,
                     help="dropout rate of hidden layers")
    opt = train.add_argument_group("training")
    opt.add_argument("--optimizer", default="sgd", choices=OPTIMIZERS)
    opt.add_argument("--lr", type=_ranged_float(0.0, math.inf), default=0.03,
                     help="learning rate (default 0.03)")
    opt.add_argument("--schedule", type=_schedule, default=Schedule(),
                     help=f"one of {', '.join(SCHEDULES)}: constant, step:0.5:100, "
                     "exponential:0.99")
    opt.add_argument("--batch", type=_batch, default=10, help="batch size or 'full' (default 10)")
    length = opt.add_mutually_exclusive_group()
    length.add_argument("--steps", type=_positive_int, help="number of minibatch steps")
    length.add_argument("--epochs", type=_positive_int, help="number of epochs (default 100)")
    opt.add_argument("--seed", type=_bounded_int(0, MAX_SEED), default=0)
    train.add_argument("--export", metavar="FILE.npz", type=_file_name,
                       help="save the trained weights")
    train.add_argument("--quiet", action="store_true", help="print only the final metrics")

    bench = sub.add_parser("bench", help="benchmark the core, file loading and the window")
    bench.set_defaults(command_parser=bench)
    bench.add_argument("--seconds", type=_ranged_float(0.05, 600.0), default=1.0,
                       help="time per core measurement (default 1)")
    bench.add_argument("--gui-seconds", type=_ranged_float(0.5, 3600.0), default=10.0,
                       help="training time per network in the window (default 10)")
    bench.add_argument("--part", choices=("all", "core", "files", "gui"), default="all")
    return parser


def _outputs(loss: str, y, classes: int) -> int:
    if loss == "bce":
        return 1
    if loss == "mse":
        return 1 if (classes <= 2 or y.dtype.kind == "f") else classes
    return classes


def _check_export(path: str) -> None:
    """Say before training what would stop the weights from being saved."""
    if not Path(path).parent.is_dir():
        raise ValueError(f"--export: there is no folder {Path(path).parent}")
    try:
        writable_target(path)
    except OSError as exc:
        raise ValueError(f"--export: cannot save to {path}: {exc.strerror or exc}") from None


def _check_size(features: list[str], layers: list[int], activations: list[str],
                outputs: int) -> None:
    """Refuse a network over the parameter cap before any array is allocated."""
    maxout = [(activations[i] if len(activations) > 1 else activations[0]) == "maxout"
              for i in range(len(layers))]
    count = parameter_count([len(features), *layers, outputs], maxout)
    if count > MAX_PARAMETERS:
        raise ValueError(f"--layers: that network would have {count:,} parameters; at most "
                         f"{MAX_PARAMETERS:,} are allowed")


def train_command(args: argparse.Namespace) -> int:
    if args.export:
        _check_export(args.export)
    info = dataset_info(args.dataset)
    X, y = make_dataset(args.dataset, n=args.n, noise=args.noise, seed=args.seed,
                        classes=args.classes)
    if args.train_ratio >= 1.0:
        X_train, y_train, X_test, y_test = X, y, None, None
    else:
        X_train, y_train, X_test, y_test = train_test_split(X, y, args.train_ratio, args.seed)
    features = args.features
    regression = info.task == "regression"
    if regression and args.loss != "mse":
        print(f"{args.dataset} is a regression dataset; using --loss mse", file=sys.stderr)
        args.loss = "mse"
    classes = 1 if regression else int(y.max()) + 1
    if args.loss == "bce" and classes != 2:
        raise ValueError(f"--loss bce needs two classes; {args.dataset} has {classes}")
    names = [a.strip() for a in args.activation.split(",")]
    if len(names) not in (1, len(args.layers)) and args.layers:
        raise ValueError(f"--activation: give one name or {len(args.layers)} (one per layer)")
    _check_size(features, args.layers, [n.lower() for n in names],
                _outputs(args.loss, y, classes))
    layers = [{"units": u, "activation": names[i] if len(names) > 1 else names[0],
               "dropout": args.dropout} for i, u in enumerate(args.layers)]
    spec = {"inputs": len(features), "layers": layers,
            "outputs": _outputs(args.loss, y, classes), "loss": args.loss, "seed": args.seed,
            "l1": args.l1, "l2": args.l2, "init": args.init,
            "output_activation": args.output_activation}
    net = Network.from_spec(spec)
    trainer = Trainer(net, X_train, y_train, X_test, y_test, features=features,
                      optimizer=Optimizer(args.optimizer), lr=args.lr, batch_size=args.batch,
                      schedule=args.schedule, seed=args.seed)
    if args.steps is not None:
        total, unit, done = args.steps, "steps", lambda: trainer.step_count
    else:
        total = 100 if args.epochs is None else args.epochs
        unit, done = "epochs", lambda: trainer.epoch
    if not args.quiet:
        print(f"{net}; {len(y_train)} training points, batch "
              f"{trainer.effective_batch}, {trainer.optimizer.label} lr {args.lr:g}")
    start = last = time.perf_counter()
    while done() < total and trainer.divergence is None:
        trainer.run(min(total - done(), 100) if unit == "steps" else trainer.steps_per_epoch)
        if not args.quiet and time.perf_counter() - last > 1.0:
            last = time.perf_counter()
            print(f"  {done():>8,} / {total:,} {unit}  {_metrics_line(trainer)}", flush=True)
    elapsed = time.perf_counter() - start
    if trainer.divergence is not None:
        print(f"training stopped: {trainer.divergence.message}", file=sys.stderr)
    print(f"{trainer.step_count:,} steps, {trainer.epoch:,} epochs in {elapsed:.1f} s "
          f"({trainer.step_count / max(elapsed, 1e-9):,.0f} steps/s)")
    print(_final_report(trainer))
    if args.export:
        from playground.io.weights import save_weights

        class_names = None if regression else [f"class {k}" for k in range(classes)]
        try:
            path = save_weights(args.export, net, features=features, class_names=class_names)
        except OSError as exc:
            print(f"playground train: could not save weights to {args.export}: "
                  f"{exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"weights saved to {path}")
    return 1 if trainer.divergence is not None else 0


def _metrics_line(trainer: Trainer) -> str:
    h = trainer.history
    if not len(h):
        return ""
    text = f"train loss {h.train_loss[-1]:.4f}"
    if not math.isnan(h.train_accuracy[-1]):
        text += f" acc {100 * h.train_accuracy[-1]:.1f}%"
    if not math.isnan(h.test_loss[-1]):
        text += f"  test loss {h.test_loss[-1]:.4f}"
        if not math.isnan(h.test_accuracy[-1]):
            text += f" acc {100 * h.test_accuracy[-1]:.1f}%"
    return text


def _final_report(trainer: Trainer) -> str:
    train = trainer.evaluate(trainer.X, trainer.y, trainer.t)
    lines = [f"train loss {train.loss:.4f}" + (f", accuracy {100 * train.accuracy:.1f}%"
                                                if train.accuracy is not None else "")]
    if trainer.X_test is not None:
        test = trainer.evaluate(trainer.X_test, trainer.y_test, trainer.t_test)
        lines.append(f"test loss {test.loss:.4f}" + (f", accuracy {100 * test.accuracy:.1f}%"
                                                      if test.accuracy is not None else ""))
    return "\n".join(lines)


COMMANDS = ("gui", "train", "bench")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "gui")  # "playground --theme dark" opens the window
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command not in (None, "gui") and rest:
        args.command_parser.error(f"unrecognized arguments: {' '.join(rest)}")
    keep_freed_memory()
    if args.command == "train":
        try:
            return train_command(args)
        except ValueError as exc:
            print(f"playground train: {exc}", file=sys.stderr)
            return 2
    if args.command == "bench":
        from playground.bench import core, gui, loading

        if args.part in ("all", "core"):
            core.main(args.seconds)
        if args.part in ("all", "files"):
            print()
            loading.main()
        if args.part in ("all", "gui"):
            print()
            gui.main(args.gui_seconds)
        return 0
    from playground.app.main import main as gui_main

    return gui_main(rest)
