"""The dense network: its spec and API, parameter counts and gradients of every piece."""

import numpy as np
import pytest

from playground.core import activations, losses
from playground.core.gradcheck import check_network
from playground.core.initializers import INITS
from playground.core.network import Network

CONTRACT_SPEC = {"inputs": 2,
                 "layers": [{"units": 8, "activation": "tanh"},
                            {"units": 3, "activation": ["relu", "relu", "elu"]}],
                 "outputs": 3, "loss": "softmax", "seed": 0, "l2": 1e-3}


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    return rng.normal(size=(6, 3)), rng


def test_contract_param_shapes_and_round_trip():
    net = Network.from_spec(CONTRACT_SPEC)
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (2, 8), "b1": (8,), "W2": (8, 3), "b2": (3,), "W3": (3, 3), "b3": (3,)}
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    spec = net.to_spec()
    assert spec["layers"][1]["activation"] == ["relu", "relu", "elu"]
    again = Network.from_spec(spec)
    assert again.to_spec() == spec
    for key in net.params:
        np.testing.assert_array_equal(again.params[key], net.params[key])


def test_contract_forward_and_loss_shapes():
    net = Network.from_spec(CONTRACT_SPEC)
    X = np.random.default_rng(0).normal(size=(5, 2))
    probs = net.forward(X)
    assert probs.shape == (5, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    loss, grads = net.loss_and_grads(X, np.array([0, 1, 2, 1, 0]))
    assert np.isfinite(loss) and set(grads) == set(net.params)
    assert all(grads[k].shape == net.params[k].shape for k in grads)


@pytest.mark.parametrize(("sizes", "neurons", "parameters"),
                         [([3, 4, 2], 6, 26), ([3, 4, 4, 1], 9, 41)])
def test_lecture_parameter_counts(sizes, neurons, parameters):
    net = Network.from_spec({"inputs": sizes[0], "layers": sizes[1:-1], "outputs": sizes[-1],
                             "loss": "mse"})
    assert net.count_neurons() == neurons
    assert net.count_parameters() == parameters


def test_maxout_neurons_count_their_second_piece():
    net = Network.from_spec({"inputs": 3, "layers": [{"units": 4, "activation":
                             ["maxout", "tanh", "maxout", "relu"]}], "outputs": 2})
    assert net.count_parameters() == 26 + 2 * 4
    assert net.params["W1_2"].shape == (3, 4)
    assert not net.params["W1_2"][:, [1, 3]].any()


def test_params_assignment_copies_into_the_flat_buffer():
    net = Network.from_spec(CONTRACT_SPEC)
    net.params["W2"] = np.ones((8, 3))
    assert net.flat[net.layout.offsets["W2"][0]] == 1.0
    with pytest.raises(ValueError, match="shape"):
        net.params["W2"] = np.ones((3, 8))


def _move_off_kinks(net, rng):
    """Zero biases put a whole dead ReLU layer's successor exactly on a kink (z = 0), where a
    centred difference measures ½ and the analytic gradient says 0; shift them off it."""
    for key in net.params:
        if key.startswith("b"):
            net.params[key] = net.params[key] + rng.uniform(0.05, 0.2, net.params[key].shape)


@pytest.mark.parametrize("loss", losses.NAMES)
@pytest.mark.parametrize("activation", activations.NAMES)
@pytest.mark.parametrize("reg", [{}, {"l2": 0.1}, {"l1": 0.05}],
                         ids=["noreg", "l2", "l1"])
def test_gradients_match_centred_differences(activation, loss, reg, data):
    X, rng = data
    outputs = 1 if loss == "bce" else 3
    y = rng.integers(0, 2 if outputs == 1 else 3, len(X))
    net = Network.from_spec({"inputs": 3, "layers": [
        {"units": 4, "activation": activation},
        {"units": 3, "activation": ["relu", "tanh", activation]}],
        "outputs": outputs, "loss": loss, "seed": 3, **reg})
    _move_off_kinks(net, rng)
    errors = check_network(net, X, y)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("output_activation", ["tanh", "sigmoid", "linear"])
def test_mse_with_output_activation_and_real_targets(output_activation, data):
    X, rng = data
    net = Network.from_spec({"inputs": 3, "layers": [5], "outputs": 2, "loss": "mse",
                             "output_activation": output_activation, "seed": 1})
    errors = check_network(net, X, rng.normal(size=(len(X), 2)))
    assert max(errors.values()) < 1e-6, errors


def test_tf_playground_setting_regresses_onto_plus_minus_one():
    net = Network.from_spec({"inputs": 2, "layers": [4, 2], "outputs": 1, "loss": "mse",
                             "output_activation": "tanh", "init": "uniform"})
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    out = net.forward(X)[:, 0]
    loss, _ = net.loss_and_grads(X, np.array([1, 0]))
    assert loss == pytest.approx(0.5 * ((out[0] - 1) ** 2 + (out[1] + 1) ** 2) / 2)


def test_dropout_gradient_with_a_fixed_mask_and_off_at_evaluation(data):
    X, rng = data
    net = Network.from_spec({"inputs": 3, "layers": [{"units": 6, "activation": "relu",
                             "dropout": 0.5}], "outputs": 3, "seed": 2})
    y = rng.integers(0, 3, len(X))
    errors = check_network(net, X, y, dropout_seed=11)
    assert max(errors.values()) < 1e-6, errors
    assert net.loss_and_grads(X, y)[0] == net.loss_and_grads(X, y)[0]
    trained = [net.loss_and_grads(X, y, training=True)[0] for _ in range(3)]
    assert len(set(trained)) > 1


def test_inverted_dropout_keeps_the_expected_activation():
    net = Network.from_spec({"inputs": 2, "layers": [{"units": 200, "activation": "linear",
                             "dropout": 0.3}], "outputs": 1, "loss": "mse", "init": "uniform"})
    X = np.ones((400, 2))
    plain = net.forward_cache(X)[1][0][2].mean()
    _, cache = net.forward_cache(X, training=True, rng=np.random.default_rng(0))
    dropped = cache[1][0]
    assert dropped.mean() == pytest.approx(plain, rel=0.05)
    assert (dropped == 0).mean() == pytest.approx(0.3, abs=0.02)


@pytest.mark.parametrize("init", INITS)
def test_initialisers(init):
    net = Network.from_spec({"inputs": 2, "layers": [64, 64], "outputs": 2, "init": init,
                             "seed": 0})
    W2, b1 = net.params["W2"], net.params["b1"]
    if init == "zeros":
        assert not net.flat.any()
    elif init == "uniform":
        assert W2.min() >= -0.5 and W2.max() <= 0.5 and np.all(b1 == 0.1)
    elif init == "he":
        assert W2.std() == pytest.approx(np.sqrt(2 / 64), rel=0.1)
    elif init == "xavier":
        assert W2.std() == pytest.approx(np.sqrt(2 / 128), rel=0.1)
    else:
        assert W2.std() == pytest.approx(0.01, rel=0.1)


def test_zero_init_keeps_hidden_neurons_identical_after_training():
    """The symmetry problem: identical neurons get identical gradients forever."""
    net = Network.from_spec({"inputs": 2, "layers": [{"units": 4, "activation": "tanh"}],
                             "outputs": 2, "init": "zeros"})
    net.params["W2"] = np.full((4, 2), 0.1)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.integers(0, 2, 20)
    for _ in range(20):
        _, grads = net.loss_and_grads(X, y)
        for key in net.params:
            net.params[key] = net.params[key] - 0.5 * grads[key]
    W1 = net.params["W1"]
    assert np.allclose(W1, W1[:, :1])


def test_same_seed_same_weights_and_bad_specs():
    a, b = Network.from_spec(CONTRACT_SPEC), Network.from_spec(CONTRACT_SPEC)
    np.testing.assert_array_equal(a.flat, b.flat)
    with pytest.raises(ValueError, match="activation"):
        Network.from_spec({"inputs": 2, "layers": [{"units": 2, "activation": "nope"}],
                           "outputs": 2})
    with pytest.raises(ValueError, match="3 activations given for 2 units"):
        Network.from_spec({"inputs": 2, "layers": [{"units": 2, "activation": ["relu"] * 3}],
                           "outputs": 2})
    with pytest.raises(ValueError, match="exactly one output"):
        Network.from_spec({"inputs": 2, "layers": [], "outputs": 2, "loss": "bce"})
    with pytest.raises(ValueError, match="unknown spec keys: colour"):
        Network.from_spec({"inputs": 2, "outputs": 2, "colour": "red"})


def test_no_hidden_layer_is_a_linear_classifier():
    net = Network.from_spec({"inputs": 2, "layers": [], "outputs": 3})
    assert list(net.params) == ["W1", "b1"]
    assert net.count_parameters() == 9
