"""Weights as a plain ``.npz``: ``W1, b1, … WL, bL`` (W is fan_in × fan_out) plus ``meta``.

``meta`` is a 0-d string array holding JSON (format, version, network spec, input features,
class names, app version), so ``numpy.load(path, allow_pickle=False)`` reads the whole file
in any NumPy program. Loading reads the archive with :class:`~playground.files.safe_zip.SafeZip`:
``meta`` first, then every member's declared size against the shape the spec gives it, and
only then the arrays, each checked for shape, type and finite values. Any problem is a
:class:`~playground.files.errors.LoadError` naming the file and what is wrong; a file that fails
builds nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import prod
from pathlib import Path
from typing import Any

import numpy as np

from playground import __version__
from playground.core.network import Network
from playground.data.features import FEATURES
from playground.files.atomic import atomic_write
from playground.files.errors import LoadError
from playground.files.limits import MAX_CLASSES, MAX_LAYERS, MAX_PARAMETERS
from playground.files.safe_json import check_int, check_list, check_text, parse_json
from playground.files.safe_npy import MAX_HEADER
from playground.files.safe_zip import SafeZip, ZipLimits
from playground.io.spec_check import CheckedSpec, build_network, check_spec

FORMAT = "neural-playground-weights"
VERSION = 1
WHAT = "NumPy .npz weights file"
MAX_META_CHARS = 4 << 20
"""JSON characters in ``meta``: a per-neuron activation list of the largest network fits."""
_ARRAY_BYTES = MAX_PARAMETERS * 8 + 4 * (MAX_LAYERS + 1) * (MAX_HEADER + 12)
_META_BYTES = 4 * MAX_META_CHARS + MAX_HEADER + 12
LIMITS = ZipLimits(max_file_bytes=_ARRAY_BYTES + _META_BYTES + (1 << 20),
                   max_members=4 * (MAX_LAYERS + 1) + 1,
                   max_member_bytes=max(_META_BYTES, MAX_PARAMETERS * 8 + MAX_HEADER + 12),
                   max_total_bytes=_ARRAY_BYTES + _META_BYTES)


@dataclass
class WeightsFile:
    """What a weights file holds: the network with its weights, and the data it expects."""

    network: Network
    features: list[str] | None = None
    class_names: list[str] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def loss(self) -> str:
        return self.network.loss.name

    @property
    def outputs(self) -> int:
        return self.network.outputs

    @property
    def classes(self) -> int | None:
        """How many classes the network tells apart (2 for one BCE output), None for a
        regression network; what a session compares with its data before taking it."""
        if self.loss in ("softmax", "hinge"):
            return self.outputs
        if self.loss == "bce":
            return 2
        return len(self.class_names) if self.class_names else None


def save_weights(path: str | os.PathLike | Network, net: Network | str | os.PathLike, *,
                 features: Sequence[str] | None = None,
                 class_names: Sequence[str] | None = None) -> Path:
    """Write ``net``'s weights to ``path`` atomically. ``save_weights(net, path)`` works too."""
    if isinstance(path, Network):
        path, net = net, path
    meta = {"format": FORMAT, "version": VERSION, "spec": net.to_spec(),
            "features": list(features) if features is not None else None,
            "class_names": list(class_names) if class_names is not None else None,
            "app_version": __version__}
    arrays = {k: np.array(v) for k, v in net.params.items()}
    arrays["meta"] = np.array(json.dumps(meta))
    return atomic_write(path, lambda handle: np.savez(handle, **arrays))


def read_weights(path: str | os.PathLike) -> WeightsFile:
    """Load and validate a weights file; raises :class:`LoadError` naming the problem."""
    with SafeZip(path, LIMITS, WHAT) as archive:
        name = archive.name
        keys = _array_keys(archive)
        if "meta" not in keys:
            raise LoadError(f"{name} has no 'meta' entry, so it is not a Neural Playground "
                            "weights file")
        meta = _parse_meta(name, archive.read_npy_text("meta.npy", MAX_META_CHARS))
        where = f"{name}: the network spec in 'meta'"
        checked = check_spec(meta["spec"], where)
        features = _check_features(name, meta.get("features"), checked.sizes[0])
        class_names = _check_class_names(name, meta.get("class_names"), checked)
        arrays = _read_arrays(archive, keys, checked.shapes())
    net = build_network(checked, where)
    for key, value in arrays.items():
        net.params[key] = value
    return WeightsFile(net, features, class_names, meta)


def _array_keys(archive: SafeZip) -> set[str]:
    """The array names in the archive; a member that is not an ``.npy`` is refused."""
    for member in archive.names:
        if not member.endswith(".npy"):
            raise LoadError(f"{archive.name}: unexpected member '{member}' (a weights file "
                            "holds only .npy arrays)")
    return {member.removesuffix(".npy") for member in archive.names}


def _read_arrays(archive: SafeZip, keys: set[str], shapes: dict[str, tuple[int, ...]]
                 ) -> dict[str, np.ndarray]:
    """Every array the spec needs, as float64. All declared sizes are compared with the
    spec's shapes before the first array is decompressed."""
    name = archive.name
    for key, shape in shapes.items():
        if key not in keys:
            raise LoadError(f"{name}: missing array '{key}' (the spec needs shape {shape})")
    extra = sorted(keys - set(shapes) - {"meta"})
    if extra:
        raise LoadError(f"{name}: unexpected array '{extra[0]}' (not in the spec)")
    for key, shape in shapes.items():
        archive.check_size(f"{key}.npy", archive.npy_bytes(prod(shape)))
    arrays = {}
    for key, shape in shapes.items():
        value = archive.read_npy(f"{key}.npy", shape).astype(np.float64)
        if not np.isfinite(value).all():
            raise LoadError(f"{name}: '{key}' contains NaN or infinite values")
        arrays[key] = value
    return arrays


def _parse_meta(name: str, text: str) -> dict[str, Any]:
    meta = parse_json(text, f"{name}: 'meta'", max_depth=16)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise LoadError(f"{name}: 'meta' does not describe a {FORMAT} file")
    if "version" not in meta:
        raise LoadError(f"{name}: 'meta' has no format version")
    version = meta["version"]
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise LoadError(f"{name} has format version {version}; this app reads up to "
                        f"{VERSION} — update Neural Playground to open it")
    check_int(version, f"{name}: the format version in 'meta'", 1, VERSION)
    if "spec" not in meta:
        raise LoadError(f"{name}: 'meta' has no network spec")
    if meta.get("app_version") is not None:
        check_text(meta["app_version"], f"{name}: 'app_version' in 'meta'", 40)
    return meta


def _check_features(name: str, features: Any, inputs: int) -> list[str] | None:
    """The input features named in ``meta`` (None if it names none), checked against the
    features the app can compute and the network's inputs, so a session never receives one
    it cannot use."""
    if features is None:
        return None
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise LoadError(f"{name}: 'features' in 'meta' must be a list of feature names "
                        f"such as [\"x1\", \"x2\"], not {str(features)[:60]!r}")
    for feature in features:
        if feature not in FEATURES:
            raise LoadError(f"{name}: unknown input feature {feature[:40]!r} in 'meta'; known "
                            f"features: {', '.join(FEATURES)}")
        if features.count(feature) > 1:
            raise LoadError(f"{name}: input feature {feature!r} is named twice in 'meta'")
    if len(features) != inputs:
        raise LoadError(f"{name}: 'meta' names {len(features)} input features but the network "
                        f"takes {inputs} inputs")
    return features


def _check_class_names(name: str, names: Any, checked: CheckedSpec) -> list[str] | None:
    """Class names in ``meta`` (None for regression), as many as the network's loss and
    outputs imply: one per output, or two for a single BCE or MSE output."""
    if names is None:
        return None
    where = f"{name}: 'class_names' in 'meta'"
    names = check_list(names, where, MAX_CLASSES)
    for class_name in names:
        check_text(class_name, f"{where}: each name", 100)
    if len(set(names)) != len(names):
        raise LoadError(f"{where} names a class twice")
    if len(names) < 2:
        raise LoadError(f"{where} must name at least two classes")
    outputs, loss = checked.sizes[-1], checked.loss
    needed = 2 if outputs == 1 and loss in ("bce", "mse") else outputs
    if len(names) != needed:
        raise LoadError(f"{where} lists {len(names)} classes, but a {loss} network with "
                        f"{outputs} output{'s' * (outputs > 1)} tells {needed} apart")
    return names


def load_weights(path: str | os.PathLike, net: Network | None = None) -> Network:
    """The network stored in ``path``.

    With ``net``, the file's weights are copied into it instead — only if the file's
    architecture matches, otherwise nothing changes and :class:`LoadError` says why.
    """
    loaded = read_weights(path).network
    if net is None:
        return loaded
    if dict(loaded.layout.shapes) != dict(net.layout.shapes):
        mine = "-".join(map(str, net.sizes))
        theirs = "-".join(map(str, loaded.sizes))
        raise LoadError(f"{Path(path).name} holds a {theirs} network; this one is {mine}")
    if [layer.activations for layer in loaded.layers] != [layer.activations
                                                           for layer in net.layers]:
        raise LoadError(f"{Path(path).name} was trained with other activations than this "
                        "network uses")
    for key, value in loaded.params.items():
        net.params[key] = value
    return net
