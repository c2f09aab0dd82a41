"""The network as code: the NumPy script's predict is the app's forward pass on any points,
for every loss, per-neuron activations, maxout and features; the PyTorch script compiles
whatever the names, and where torch is installed gives the same outputs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest

from playground.core.network import Network
from playground.data import apply_features
from playground.io.export_python import python_script, save_python
from playground.io.export_torch import save_torch, torch_script

FEATURES = ["x1", "x2", "x1^2", "x1*x2", "sin(x2)"]
MIXED = [{"units": 7, "activation": ["relu", "maxout", "tanh", "gelu", "elu", "softplus",
                                     "leaky_relu"], "dropout": 0.1},
         {"units": 4, "activation": ["swish", "sigmoid", "linear", "maxout"]}]
CASES = [("softmax", 3, "linear"), ("bce", 1, "linear"), ("mse", 1, "tanh"),
         ("hinge", 4, "linear"), ("mse", 3, "linear")]


def network(loss: str, outputs: int, output_activation: str) -> Network:
    net = Network.from_spec({"inputs": len(FEATURES), "layers": MIXED, "outputs": outputs,
                             "loss": loss, "output_activation": output_activation, "seed": 5})
    rng = np.random.default_rng(2)
    net.flat[:] = rng.normal(0, 0.8, net.flat.shape)   # trained-looking, not initial
    return net


def load_module(path):
    spec = importlib.util.spec_from_file_location(f"exported_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("loss, outputs, output_activation", CASES, ids=str)
def test_the_numpy_script_predicts_what_the_app_computes(tmp_path, loss, outputs,
                                                         output_activation):
    net = network(loss, outputs, output_activation)
    path = save_python(tmp_path / "net.py", net, FEATURES, None)
    module = load_module(path)
    X = np.random.default_rng(0).uniform(-6, 6, (500, 2))
    expected = net.forward(apply_features(X, FEATURES))
    np.testing.assert_allclose(module.predict(X), expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(module.predict_class(X),
                                  net.predict(apply_features(X, FEATURES)))


def test_the_numpy_script_runs_on_its_own(tmp_path):
    path = save_python(tmp_path / "net.py", network("softmax", 3, "linear"), FEATURES,
                       ['a "quoted" class', "back\\slash", "third"])
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                            timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "outputs:" in result.stdout
    assert load_module(path).CLASSES == ['a "quoted" class', "back\\slash", "third"]


def test_a_network_too_large_for_a_script_is_refused():
    net = Network.from_spec({"inputs": 2, "layers": [1100, 1000], "outputs": 2})
    with pytest.raises(ValueError, match="too large"):
        python_script(net, ["x1", "x2"])


@pytest.mark.parametrize("loss, outputs, output_activation", CASES, ids=str)
def test_the_torch_script_compiles_and_names_its_weights(tmp_path, loss, outputs,
                                                         output_activation):
    net = network(loss, outputs, output_activation)
    script, weights = save_torch(tmp_path / "it's \"odd\".py", net, FEATURES,
                                 None if loss == "mse" else [f"c{k}" for k in range(
                                     max(2, outputs))])
    assert weights == tmp_path / "it's \"odd\".npz" and weights.exists()
    compile(script.read_text(), str(script), "exec")
    with np.load(weights, allow_pickle=False) as arrays:
        assert set(net.params) <= set(arrays.files)


TORCH_CHECK = """
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
model = module.load_npz(module.PlaygroundNet(), module.WEIGHTS)
print(json.dumps(model.predict(np.load(sys.argv[2])).numpy().tolist()))
"""


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="PyTorch not installed")
@pytest.mark.parametrize("loss, outputs, output_activation", CASES, ids=str)
def test_the_torch_module_gives_the_apps_outputs(tmp_path, loss, outputs, output_activation):
    net = network(loss, outputs, output_activation)
    script, _ = save_torch(tmp_path / "net_torch.py", net, FEATURES)
    X = np.random.default_rng(1).uniform(-6, 6, (200, 2))
    np.save(tmp_path / "X.npy", X)
    result = subprocess.run([sys.executable, "-c", TORCH_CHECK, str(script),
                             str(tmp_path / "X.npy")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    np.testing.assert_allclose(json.loads(result.stdout), net.forward(
        apply_features(X, FEATURES)), rtol=1e-10, atol=1e-12)


def test_torch_script_text_holds_the_structure():
    net = network("softmax", 3, "linear")
    text = torch_script(net, FEATURES, ["a", "b", "c"], "w.npz")
    assert "HIDDEN = [(['relu', 'maxout'" in text and "OUTPUTS = 3" in text
    assert "WEIGHTS = Path(__file__).with_name('w.npz')" in text
