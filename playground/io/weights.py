"""Weights as a plain ``.npz``: ``W1, b1, … WL, bL`` (W is fan_in × fan_out) plus ``meta``.

``meta`` is a 0-d string array holding JSON (format, version, network spec, input features,
class names, app version), so ``numpy.load(path, allow_pickle=False)`` reads the whole file
in any NumPy program. Loading checks every key and shape against the spec in ``meta`` and
names the first thing that is wrong; a file that fails builds nothing.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from playground import __version__
from playground.core.network import Network, spec_sizes
from playground.data import FEATURES
from playground.io.atomic import atomic_write

FORMAT = "neural-playground-weights"
VERSION = 1
NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members, an empty zip


class WeightsError(ValueError):
    """A weights file that cannot be loaded; the message says what is wrong."""


@dataclass
class WeightsFile:
    """What a weights file holds: the network with its weights, and the data it expects."""

    network: Network
    features: list[str] | None = None
    class_names: list[str] | None = None
    meta: dict[str, Any] = field(default_factory=dict)


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
    """Load and validate a weights file; raises :class:`WeightsError` naming the problem."""
    name = Path(path).name
    arrays = _read_arrays(path, name)
    if "meta" not in arrays:
        raise WeightsError(f"{name} has no 'meta' entry, so it is not a Neural Playground "
                           "weights file")
    meta = _parse_meta(name, arrays.pop("meta"))
    _check_sizes(name, meta["spec"], arrays)
    try:
        net = Network.from_spec(meta["spec"])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise WeightsError(f"{name}: the network spec in 'meta' is invalid: {exc}") from None
    expected = dict(net.layout.shapes)
    for key, shape in expected.items():
        if key not in arrays:
            raise WeightsError(f"{name}: missing array '{key}' (the spec needs shape {shape})")
        value = arrays[key]
        if value.dtype.kind not in "fiu":
            raise WeightsError(f"{name}: '{key}' holds {value.dtype} values, not numbers")
        if value.shape != shape:
            raise WeightsError(f"{name}: '{key}' has shape {value.shape} but the spec needs "
                               f"{shape}")
        if not np.isfinite(value).all():
            raise WeightsError(f"{name}: '{key}' contains NaN or infinite values")
    extra = sorted(set(arrays) - set(expected))
    if extra:
        raise WeightsError(f"{name}: unexpected array '{extra[0]}' (not in the spec)")
    features = _check_features(name, meta.get("features"))
    for key in expected:
        net.params[key] = arrays[key]
    return WeightsFile(net, features, meta.get("class_names"), meta)


def _read_arrays(path: str | os.PathLike, name: str) -> dict[str, np.ndarray]:
    """Every array of a zip of plain ``.npy`` members; anything else is refused.

    The first bytes are checked before NumPy reads the file: for a file that is neither a zip
    nor an ``.npy`` NumPy's message suggests ``allow_pickle=``, advice never to give a user.
    """
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(NPY_MAGIC))
        if magic.startswith(NPY_MAGIC):
            raise WeightsError(f"{name} holds a single array, not an .npz of named weights")
        if not magic.startswith(ZIP_MAGIC):
            raise WeightsError(f"{name} is not a NumPy .npz weights file")
        with np.load(path, allow_pickle=False) as npz:
            return {key: _member(name, npz, key) for key in npz.files}
    except FileNotFoundError:
        raise WeightsError(f"{name}: no such file") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        if isinstance(exc, WeightsError):
            raise
        raise WeightsError(f"{name} is not a NumPy .npz weights file ({exc})") from None


def _member(name: str, npz: np.lib.npyio.NpzFile, key: str) -> np.ndarray:
    try:
        value = npz[key]
    except ValueError:  # object arrays (pickles) or a damaged header
        raise WeightsError(f"{name}: '{key}' cannot be read as a plain array of numbers (it "
                           "holds Python objects, which are never loaded, or is damaged)") from None
    if not isinstance(value, np.ndarray):
        raise WeightsError(f"{name}: '{key}' is not a NumPy array")
    return value


def _check_features(name: str, features: Any) -> list[str] | None:
    """The input features named in ``meta`` (None if it names none), checked against the
    features the app can compute, so a session never receives one it cannot."""
    if features is None:
        return None
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise WeightsError(f"{name}: 'features' in 'meta' must be a list of feature names "
                           f"such as [\"x1\", \"x2\"], not {features!r}")
    for feature in features:
        if feature not in FEATURES:
            raise WeightsError(f"{name}: unknown input feature {feature!r} in 'meta'; known "
                               f"features: {', '.join(FEATURES)}")
        if features.count(feature) > 1:
            raise WeightsError(f"{name}: input feature {feature!r} is named twice in 'meta'")
    return features


def _check_sizes(name: str, spec: Any, arrays: dict[str, np.ndarray]) -> None:
    """Compare the spec's layer widths with the stored arrays before building the network,
    so a corrupt spec cannot make us allocate a huge one."""
    try:
        sizes = spec_sizes(spec)
    except (ValueError, AttributeError) as exc:
        raise WeightsError(f"{name}: the network spec in 'meta' is invalid: {exc}") from None
    for k in range(1, len(sizes)):
        key, shape = f"W{k}", (sizes[k - 1], sizes[k])
        if key not in arrays:
            raise WeightsError(f"{name}: missing array '{key}' (the spec needs shape {shape})")
        if arrays[key].shape != shape:
            raise WeightsError(f"{name}: '{key}' has shape {arrays[key].shape} but the spec "
                               f"needs {shape}")


def _parse_meta(name: str, raw: np.ndarray) -> dict[str, Any]:
    if raw.shape != () or raw.dtype.kind not in "US":
        raise WeightsError(f"{name}: 'meta' must be a single JSON string")
    try:
        meta = json.loads(str(raw))
    except json.JSONDecodeError as exc:
        raise WeightsError(f"{name}: 'meta' is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise WeightsError(f"{name}: 'meta' does not describe a {FORMAT} file")
    version = meta.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise WeightsError(f"{name} has format version {version!r}; this app reads up to "
                           f"{VERSION} — update Neural Playground to open it")
    if "spec" not in meta:
        raise WeightsError(f"{name}: 'meta' has no network spec")
    return meta


def load_weights(path: str | os.PathLike, net: Network | None = None) -> Network:
    """The network stored in ``path``.

    With ``net``, the file's weights are copied into it instead — only if the file's
    architecture matches, otherwise nothing changes and :class:`WeightsError` says why.
    """
    loaded = read_weights(path).network
    if net is None:
        return loaded
    if dict(loaded.layout.shapes) != dict(net.layout.shapes):
        mine = "-".join(map(str, net.sizes))
        theirs = "-".join(map(str, loaded.sizes))
        raise WeightsError(f"{Path(path).name} holds a {theirs} network; this one is {mine}")
    if [layer.activations for layer in loaded.layers] != [layer.activations
                                                           for layer in net.layers]:
        raise WeightsError(f"{Path(path).name} was trained with other activations than this "
                           "network uses")
    for key, value in loaded.params.items():
        net.params[key] = value
    return net
