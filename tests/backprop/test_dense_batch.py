"""The vector view's numbers: shapes follow the lecture's rule, gradients match the network's."""

import numpy as np
import pytest

from playground.backprop.dense_batch import NUMERIC_CHECK_LIMIT, dense_batch
from playground.core.network import Network
from playground.data import make_dataset


def batch(n: int = 4, classes: int = 3, dataset: str = "spiral"):
    X, y = make_dataset(dataset, n=40, noise=0.1, classes=classes, seed=0)
    return X[:n], y[:n]


def net(layers, outputs: int = 3, loss: str = "softmax", inputs: int = 2) -> Network:
    return Network.from_spec({"inputs": inputs, "layers": layers, "outputs": outputs,
                              "loss": loss, "seed": 3})


def backward_record(network: Network, X, y):
    scores, cache = network.forward_cache(X)
    _, dscores = network.loss.value_and_grad(scores, y)
    grads = network.layout.views(np.zeros(network.layout.size))
    record = []
    network.backward(cache, dscores, grads, record=record)
    return record


def test_shapes_of_a_2_5_3_net_with_four_points():
    X, y = batch(4)
    first = dense_batch(net([{"units": 5, "activation": "tanh"}]), X, y, 1)
    shapes = {name: getattr(first, name).shape for name in
              ("X_in", "W", "b", "S", "dS", "dW", "db", "dX")}
    assert shapes == {"X_in": (4, 2), "W": (2, 5), "b": (5,), "S": (4, 5), "dS": (4, 5),
                      "dW": (2, 5), "db": (5,), "dX": (4, 2)}
    np.testing.assert_array_equal(first.X_in, X)
    out = dense_batch(net([{"units": 5, "activation": "tanh"}]), X, y, 2)
    assert (out.X_in.shape, out.W.shape, out.S.shape, out.dX.shape) == \
        ((4, 5), (5, 3), (4, 3), (4, 5))


def test_forward_is_x_times_w_plus_b_and_the_loss_is_the_networks():
    X, y = batch(6)
    network = net([{"units": 5, "activation": "relu"}])
    view = dense_batch(network, X, y, 2)
    np.testing.assert_allclose(view.S, view.X_in @ view.W + view.b, rtol=1e-12)
    np.testing.assert_allclose(view.S, network.forward_cache(X)[0], rtol=1e-12)
    assert view.loss == pytest.approx(network.data_loss(X, y), rel=1e-12)


@pytest.mark.parametrize("layer", [1, 2, 3])
def test_gradients_are_the_networks_own(layer):
    X, y = batch(5)
    network = net([{"units": 5, "activation": "tanh"}, {"units": 4, "activation": "relu"}])
    view = dense_batch(network, X, y, layer)
    _, grads = network.loss_and_grads(X, y)
    np.testing.assert_array_equal(view.dW, grads[f"W{layer}"])
    np.testing.assert_array_equal(view.net_dW, grads[f"W{layer}"])
    np.testing.assert_allclose(view.db, grads[f"b{layer}"], rtol=1e-12, atol=1e-15)
    assert view.matches_network
    np.testing.assert_allclose(view.dW, view.X_in.T @ view.dS)
    np.testing.assert_allclose(view.db, view.dS.sum(axis=0))


def test_dx_is_what_the_layer_below_receives():
    X, y = batch(4)
    network = net([{"units": 5, "activation": "tanh"}, {"units": 4, "activation": "sigmoid"}])
    record = backward_record(network, X, y)
    for layer in (2, 3):
        view = dense_batch(network, X, y, layer)
        np.testing.assert_allclose(view.dX, record[layer - 2].da, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(view.dS, record[layer - 1].dz)


def test_layer_two_of_a_deeper_net_reads_the_previous_layers_output():
    X, y = batch(4)
    network = net([{"units": 6, "activation": "tanh"}, {"units": 7, "activation": "elu"},
                   {"units": 3, "activation": "relu"}])
    view = dense_batch(network, X, y, 2)
    _, cache = network.forward_cache(X)
    np.testing.assert_array_equal(view.X_in, cache[0][2])
    assert (view.X_in.shape, view.W.shape, view.S.shape, view.dW.shape, view.dX.shape) == \
        ((4, 6), (6, 7), (4, 7), (6, 7), (4, 6))
    assert view.numeric_error < 1e-6


@pytest.mark.parametrize("layer", [1, 2])
def test_numeric_check_agrees(layer):
    X, y = batch(8)
    network = net([{"units": 5, "activation": "tanh"}])
    before = network.flat.copy()
    view = dense_batch(network, X, y, layer)
    assert view.numeric_error is not None and view.numeric_error < 1e-6
    np.testing.assert_array_equal(network.flat, before)  # weights restored


def test_numeric_check_is_skipped_for_a_big_layer():
    X, y = batch(3)
    network = net([{"units": 30, "activation": "tanh"}, {"units": 20, "activation": "tanh"}])
    assert NUMERIC_CHECK_LIMIT < 30 * 20
    assert dense_batch(network, X, y, 2).numeric_error is None
    assert dense_batch(network, X, y, 1).numeric_error is not None


def test_maxout_layer_shows_its_first_piece_and_says_so():
    X, y = batch(4)
    network = net([{"units": 4, "activation": ["maxout", "tanh", "maxout", "relu"]}])
    view = dense_batch(network, X, y, 1)
    assert view.maxout and "first affine piece" in view.note
    np.testing.assert_array_equal(view.W, network.params["W1"])
    _, grads = network.loss_and_grads(X, y)
    np.testing.assert_array_equal(view.dW, grads["W1"])
    assert view.numeric_error < 1e-6
    plain = dense_batch(network, X, y, 2)
    assert not plain.maxout and plain.note == ""


@pytest.mark.parametrize(("loss", "outputs", "classes", "dataset"),
                         [("mse", 1, 2, "circle"), ("mse", 3, 3, "spiral"),
                          ("hinge", 3, 3, "spiral"), ("bce", 1, 2, "xor"),
                          ("mse", 1, None, "plane")])
def test_every_loss_works(loss, outputs, classes, dataset):
    X, y = batch(6, classes, dataset)
    network = net([{"units": 5, "activation": "tanh"}], outputs, loss)
    for layer in (1, 2):
        view = dense_batch(network, X, y, layer)
        assert view.S.shape == (6, 5 if layer == 1 else outputs)
        assert view.matches_network
        assert np.isfinite(view.loss)
        assert view.numeric_error < 1e-6


def test_results_are_copies_and_bad_layers_are_refused():
    X, y = batch(4)
    network = net([{"units": 5, "activation": "tanh"}])
    view = dense_batch(network, X, y, 1)
    network.params["W1"][...] = 0.0
    assert view.W.any()
    for layer in (0, 3):
        with pytest.raises(ValueError, match="layers 1 to 2"):
            dense_batch(network, X, y, layer)


def test_the_jacobians_of_one_point_are_a_diagonal_and_w_transposed():
    from playground.core.session import Session

    snap = Session().snapshot(None)
    net = snap.network()
    X, y = snap.train_inputs()[:3], snap.y_train[:3]
    r = dense_batch(net, X, y, 1)
    jac = r.activation_jacobian(1)
    assert jac.shape == (12, 12)
    np.testing.assert_allclose(np.diag(jac), 1 - np.tanh(r.S[1]) ** 2)
    assert np.count_nonzero(jac - np.diag(np.diag(jac))) == 0
    np.testing.assert_array_equal(r.multiply_jacobian, r.W.T)
    # the chain rule through both Jacobians is the layer's dX for that point
    da = r.dS[1] / np.diag(jac)
    np.testing.assert_allclose(r.multiply_jacobian.T @ (jac @ da), r.dX[1], atol=1e-12)
