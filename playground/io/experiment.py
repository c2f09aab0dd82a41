"""An experiment as one line of text, like TF Playground's URL: the data settings, the network
(layers, each neuron's activation, dropout, loss, initialiser, regularisation) and how it
trains, but not the weights. A teacher pastes it in a chat or on a slide; a student pastes it
into the app (Edit ▸ Paste experiment) and gets the same set-up with fresh weights.

    neural-playground:1?dataset=xor&noise=0&seed=0&train=0.5&features=x1,x2&layers=2:tanh
    &output=linear&loss=softmax&init=zeros&l1=0&l2=0&lr=0.1&optimizer=sgd&batch=10
    &schedule=constant&netseed=0

(one line; split here to fit). Layers are ``units:activation``, with ``+`` between the
activations of a layer whose neurons differ and ``@rate`` for its dropout
(``8:relu*2+tanh*6@0.2``). No quotes or spaces, so no chat program can curl them. Parsing
is strict: a version this app does not know, an unknown or repeated key, a value that is not
exactly a number or a known name, a size over :mod:`playground.files.limits` or a spec that
:func:`~playground.io.spec_check.check_spec` refuses is a :class:`LoadError`.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any

from playground.core.optimizers import Schedule, parse_schedule
from playground.core.point_edits import custom_data
from playground.core.session import Session
from playground.core.settings import CUSTOM, DataSettings
from playground.data import DATASETS, FEATURES
from playground.data.user_points import UserPoints
from playground.files.errors import LoadError
from playground.files.limits import MAX_POINTS
from playground.io.spec_check import check_spec

PREFIX = "neural-playground:"
VERSION = 1
MAX_CHARS = 65_536
WHAT = "the experiment"
_VALUE = re.compile(r"[A-Za-z0-9_.:+,@*^()\-]*")
_INT = re.compile(r"[0-9]{1,19}")
_FLOAT = re.compile(r"-?(?:[0-9]{1,20}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})(?:e[-+]?[0-9]{1,3})?")
KEYS = ("dataset", "n", "noise", "classes", "seed", "train", "features", "layers", "output",
        "loss", "init", "l1", "l2", "lr", "optimizer", "batch", "schedule", "netseed")
REQUIRED = ("dataset", "features", "layers", "loss", "lr", "optimizer", "batch")


@dataclass(frozen=True)
class Experiment:
    """A parsed experiment: keyword changes for data, a network spec, and training settings."""

    data: dict[str, Any]
    spec: dict[str, Any]
    training: dict[str, Any]


# ------------------------------------------------------------------ writing
def _number(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def experiment_text(session: Session) -> str:
    """The session's set-up as one line (the user's own points are not in it)."""
    data, settings, net = session.data, session.settings, session.net
    fields: list[tuple[str, str]] = [("dataset", data.dataset)]
    if data.dataset != CUSTOM:
        if data.n is not None:
            fields.append(("n", str(data.n)))
        fields.append(("noise", _number(data.noise)))
        if data.classes is not None and data.info.class_range is not None:
            fields.append(("classes", str(data.classes)))
        fields.append(("seed", str(data.seed)))
    fields += [("train", _number(data.train_ratio)), ("features", ",".join(data.features))]
    layers = []
    for hidden in net.hidden:
        names = hidden.activations
        text = f"{hidden.units}:" + (names[0] if len(set(names)) == 1 else
                                     "+".join(_runs(names)))
        layers.append(text + (f"@{_number(hidden.dropout)}" if hidden.dropout else ""))
    schedule = settings.schedule
    fields += [("layers", ",".join(layers)), ("output", net.output_activation),
               ("loss", net.loss.name), ("init", net.init), ("l1", _number(net.l1)),
               ("l2", _number(net.l2)), ("lr", _number(settings.lr)),
               ("optimizer", settings.optimizer),
               ("batch", "full" if settings.batch_size is None else str(settings.batch_size)),
               ("schedule", schedule.kind if schedule.kind == "constant" else
                f"{schedule.kind}:{_number(schedule.factor)}" +
                (f":{schedule.every}" if schedule.kind == "step" else "")),
               ("netseed", str(net.seed if isinstance(net.seed, int) else 0))]
    return f"{PREFIX}{VERSION}?" + "&".join(f"{k}={v}" for k, v in fields)


def _runs(names: list[str]) -> list[str]:
    """["tanh", "tanh", "relu"] as ["tanh*2", "relu"]."""
    runs: list[list] = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return [name if count == 1 else f"{name}*{count}" for name, count in runs]


# ------------------------------------------------------------------ reading
def _fields(text: str) -> dict[str, str]:
    if not isinstance(text, str):
        raise LoadError(f"{WHAT} must be text")
    text = text.strip()
    if len(text) > MAX_CHARS:
        raise LoadError(f"{WHAT} is {len(text):,} characters long; at most {MAX_CHARS:,}")
    if not text.startswith(PREFIX):
        raise LoadError(f"this is not a Neural Playground experiment (it should start with "
                        f"'{PREFIX}')")
    version, _, query = text[len(PREFIX):].partition("?")
    if not _INT.fullmatch(version):
        raise LoadError(f"{WHAT} has no version number after '{PREFIX}'")
    if int(version) > VERSION:
        raise LoadError(f"{WHAT} is version {int(version)}; this app reads up to {VERSION} — "
                        "update Neural Playground to open it")
    if int(version) < 1:
        raise LoadError(f"{WHAT} has an unknown version {version}")
    fields: dict[str, str] = {}
    for part in query.split("&"):
        key, sep, value = part.partition("=")
        if not sep or key not in KEYS:
            raise LoadError(f"{WHAT} has an unknown setting {part[:40]!r}")
        if key in fields:
            raise LoadError(f"{WHAT} sets {key!r} twice")
        if not _VALUE.fullmatch(value):
            raise LoadError(f"{WHAT}: {key!r} has a character that does not belong there")
        fields[key] = value
    missing = [k for k in REQUIRED if k not in fields]
    if missing:
        raise LoadError(f"{WHAT} does not say {missing[0]!r}")
    return fields


def _int(fields: dict[str, str], key: str, low: int, high: int) -> int:
    return _whole(fields[key], key, low, high)


def _whole(value: str, key: str, low: int, high: int) -> int:
    if not _INT.fullmatch(value) or not low <= int(value) <= high:
        raise LoadError(f"{WHAT}: {key!r} must be a whole number from {low:,} to {high:,}, "
                        f"not {value[:20]!r}")
    return int(value)


def _float(fields: dict[str, str], key: str, low: float, high: float) -> float:
    return _real(fields[key], key, low, high)


def _real(value: str, key: str, low: float, high: float) -> float:
    number = float(value) if _FLOAT.fullmatch(value) else math.nan
    if not (math.isfinite(number) and low <= number <= high):
        raise LoadError(f"{WHAT}: {key!r} must be a number from {low:g} to {high:g}, not "
                        f"{value[:20]!r}")
    return number


def _name(value: str, key: str, known: Any) -> str:
    if value not in known:
        raise LoadError(f"{WHAT}: unknown {key} {value[:40]!r}")
    return value


def _layers(text: str) -> list[dict[str, Any]]:
    layers = []
    for index, part in enumerate(text.split(",") if text else [], start=1):
        body, _, dropout = part.partition("@")
        units, sep, names = body.partition(":")
        if not sep or not _INT.fullmatch(units):
            raise LoadError(f"{WHAT}: layer {index} should read units:activation, not "
                            f"{part[:40]!r}")
        layer: dict[str, Any] = {"units": int(units), "activation": _activations(names, index)}
        if dropout:
            layer["dropout"] = _real(dropout, "dropout", 0.0, 0.99)
        layers.append(layer)
    return layers


def _activations(text: str, index: int) -> str | list[str]:
    """One name, or a per-neuron list written as runs ("tanh*2+relu")."""
    if "+" not in text and "*" not in text:
        return text
    names: list[str] = []
    for run in text.split("+"):
        name, star, count = run.partition("*")
        repeat = _whole(count, f"layer {index}'s activation count", 1, 4096) if star else 1
        names += [name] * repeat
        if len(names) > 4096:
            raise LoadError(f"{WHAT}: layer {index} lists too many activations")
    return names


def _schedule(text: str) -> Schedule:
    try:
        return parse_schedule(text)
    except ValueError as exc:
        raise LoadError(f"{WHAT}: {exc}") from None


def parse_experiment(text: str) -> Experiment:
    """The experiment in ``text``; :class:`LoadError` if anything in it is wrong."""
    fields = _fields(text)
    data: dict[str, Any] = {"dataset": _name(fields["dataset"], "dataset",
                                             (*DATASETS, CUSTOM))}
    features = tuple(fields["features"].split(","))
    for feature in features:
        _name(feature, "input feature", FEATURES)
    if len(set(features)) != len(features):
        raise LoadError(f"{WHAT} names an input feature twice")
    data["features"] = features
    if "n" in fields:
        data["n"] = _int(fields, "n", 1, MAX_POINTS)
    if "noise" in fields:
        data["noise"] = _float(fields, "noise", 0.0, 10.0)
    if "classes" in fields:
        data["classes"] = _int(fields, "classes", 2, 8)
    if "seed" in fields:
        data["seed"] = _int(fields, "seed", 0, 2**63 - 1)
    if "train" in fields:
        data["train_ratio"] = _float(fields, "train", 0.1, 0.9)
    spec: dict[str, Any] = {"inputs": len(features), "layers": _layers(fields["layers"]),
                            "outputs": 1, "loss": _name(fields["loss"], "loss",
                                                        ("softmax", "mse", "hinge", "bce"))}
    for key in ("l1", "l2"):
        if key in fields:
            spec[key] = _float(fields, key, 0.0, 1e6)
    if "init" in fields:
        spec["init"] = fields["init"]
    if "output" in fields:
        spec["output_activation"] = fields["output"]
    spec["seed"] = _int(fields, "netseed", 0, 2**63 - 1) if "netseed" in fields else 0
    check_spec(spec, f"{WHAT}'s network")
    batch = None if fields["batch"] == "full" else _int(fields, "batch", 1, MAX_POINTS)
    training = {"lr": _float(fields, "lr", 1e-12, 1e6),
                "optimizer": _name(fields["optimizer"], "optimizer",
                                   ("sgd", "momentum", "nesterov", "adagrad", "rmsprop",
                                    "adam")),
                "batch_size": batch,
                "schedule": _schedule(fields.get("schedule", "constant"))}
    return Experiment(data, spec, training)


def session_from_experiment(experiment: Experiment, current: Session) -> Session:
    """A new session set up as ``experiment`` says, with fresh weights; the user's own
    points come from ``current`` (an experiment never holds points). Any refusal is a
    :class:`LoadError`; ``current`` is never changed."""
    data = dict(experiment.data)
    points: UserPoints | None = current.points
    if data["dataset"] == CUSTOM and points is None:
        raise LoadError(f"{WHAT} trains on the author's own points, which are not in it: "
                        "draw or import points first, then paste it again")
    training = experiment.training
    try:
        settings = DataSettings(**data)
        refusal = _loss_refusal(settings, points, experiment.spec["loss"])
        if refusal:
            raise LoadError(f"{WHAT}: {refusal}")
        session = Session(settings, experiment.spec, optimizer=training["optimizer"],
                          lr=training["lr"], batch_size=training["batch_size"], points=points)
        session.configure(schedule=training["schedule"])
    except LoadError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError) as exc:
        raise LoadError(f"{WHAT} cannot be set up: {exc}") from None
    return session


def _loss_refusal(settings: DataSettings, points: UserPoints | None, loss: str) -> str | None:
    """Why the experiment's loss cannot train on its data, or None."""
    if settings.dataset == CUSTOM and points is not None:
        settings = dataclasses.replace(settings, custom=custom_data(points))
    if loss not in settings.allowed_losses():
        return (f"a {loss} network cannot train on the {settings.info.title!r} data")
    return None
