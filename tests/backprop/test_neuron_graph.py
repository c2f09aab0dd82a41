"""A neuron's gate graph agrees with the network it came from, to the last digits."""

import numpy as np
import pytest

from playground.backprop.graph import Value
from playground.backprop.neuron_graph import activation_gate, neuron_graph
from playground.backprop.walkthrough import Walkthrough
from playground.core import activations
from playground.core.network import Network
from playground.data import make_dataset

X, Y = make_dataset("spiral", n=60, noise=0.1, classes=3, seed=0)


def network(activation, loss="softmax", outputs=3) -> Network:
    net = Network.from_spec({"inputs": 2, "layers": [{"units": 5, "activation": activation},
                                                     {"units": 4, "activation": activation}],
                             "outputs": outputs, "loss": loss, "seed": 3})
    rng = np.random.default_rng(1)
    net.flat[:] += 0.3 * rng.standard_normal(net.flat.size)  # biases off zero too
    return net


def stepped(graph) -> dict[str, float]:
    walk = Walkthrough(graph.output, graph.seed, "L")
    walk.run_backward()
    return {name: leaf.grad for name, leaf in graph.inputs.items()}


@pytest.mark.parametrize("activation", [a for a in activations.NAMES])
@pytest.mark.parametrize("loss", ["softmax", "hinge", "mse"])
def test_every_neuron_matches_the_networks_gradient_for_the_point(activation, loss):
    net = network(activation, loss)
    for layer in (1, 2, 3):
        for index in range(net.sizes[layer]):
            graph = neuron_graph(net, layer, index, X[7], Y[7])
            grads = stepped(graph)
            assert grads.keys() == graph.network_grads.keys()
            for name, grad in grads.items():
                assert grad == pytest.approx(graph.network_grads[name], abs=1e-9), name


def test_the_graph_output_is_the_neurons_activation_and_the_seed_its_upstream():
    net = network("tanh")
    graph = neuron_graph(net, 2, 1, X[3], Y[3])
    hidden = net.layer_outputs(X[3:4])[1]
    assert graph.output.data == pytest.approx(hidden[0, 1], abs=1e-12)
    assert graph.loss == pytest.approx(net.data_loss(X[3:4], Y[3:4]), abs=1e-12)
    # the seed is ∂L/∂a: through tanh it becomes the network's ∂L/∂b = ∂L/∂a · (1 − a²)
    _, grads = net.loss_and_grads(X[3:4], Y[3:4])
    assert graph.seed * (1 - hidden[0, 1] ** 2) == pytest.approx(grads["b2"][1], abs=1e-14)


def test_weight_gradients_are_the_points_share_of_the_network_gradient():
    net = network("relu")
    graph = neuron_graph(net, 1, 2, X[5], Y[5])
    _, grads = net.loss_and_grads(X[5:6], Y[5:6])
    assert graph.network_grads["w1"] == grads["W1"][0, 2]
    assert graph.network_grads["w2"] == grads["W1"][1, 2]
    assert graph.network_grads["b"] == grads["b1"][2]


@pytest.mark.parametrize("activation", ["swish", "maxout", "linear", "sigmoid"])
def test_centred_differences_agree_with_the_stepped_gradients(activation):
    net = network(activation)
    graph = neuron_graph(net, 2, 0, X[11], Y[11])
    grads = stepped(graph)
    numeric = graph.numeric_grads()
    assert numeric.keys() == grads.keys()
    for name, grad in grads.items():
        assert grad == pytest.approx(numeric[name], rel=1e-6, abs=1e-10)


def test_names_shape_and_title():
    net = network("maxout")
    graph = neuron_graph(net, 2, 3, X[0], Y[0], input_names=["h1", "h2", "h3", "h4", "h5"])
    assert list(graph.inputs) == ["h1", "h2", "h3", "h4", "h5", "w1", "w2", "w3", "w4", "w5",
                                  "b", "w′1", "w′2", "w′3", "w′4", "w′5", "b′"]
    assert graph.output.op == "max"
    assert graph.title == "Layer 2, neuron 4 (maxout)"
    first = neuron_graph(net, 1, 0, X[0], Y[0])
    assert list(first.inputs)[:2] == ["x1", "x2"]
    output = neuron_graph(network("tanh"), 3, 0, X[0], Y[0])
    assert output.title == "Output neuron 1 (linear)"
    assert output.output.op == "+"  # a linear neuron ends at its bias


def test_binary_outputs_and_regression_work():
    bce = Network.from_spec({"inputs": 2, "layers": [3], "outputs": 1, "loss": "bce", "seed": 0})
    y2 = (Y[:10] > 0).astype(int)
    graph = neuron_graph(bce, 2, 0, X[4], y2[4])
    grads = stepped(graph)
    assert all(grads[k] == pytest.approx(v, abs=1e-12) for k, v in graph.network_grads.items())
    mse = Network.from_spec({"inputs": 2, "layers": [3], "outputs": 1, "loss": "mse",
                             "output_activation": "tanh", "seed": 0})
    graph = neuron_graph(mse, 2, 0, X[4], 0.7)
    assert graph.output.op == "tanh"
    grads = stepped(graph)
    assert all(grads[k] == pytest.approx(v, abs=1e-12) for k, v in graph.network_grads.items())


def test_bad_addresses_are_refused():
    net = network("tanh")
    with pytest.raises(IndexError, match="no layer 4"):
        neuron_graph(net, 4, 0, X[0], Y[0])
    with pytest.raises(IndexError, match="no neuron 6"):
        neuron_graph(net, 1, 5, X[0], Y[0])
    with pytest.raises(ValueError, match="3 input names for 2 inputs"):
        neuron_graph(net, 1, 0, X[0], Y[0], input_names=["a", "b", "c"])


@pytest.mark.parametrize("name", [a for a in activations.NAMES if a != "maxout"])
def test_activation_gates_use_the_networks_own_functions(name):
    act = activations.get(name)
    for z in (-1.3, 0.4, 2.0):
        gate = activation_gate(Value(z), name)
        a = act.f(np.array([z]))
        assert gate.data == pytest.approx(a[0], abs=1e-15)
        local = gate.local_grads[0] if gate.inputs else 1.0
        assert local == pytest.approx(float(act.df(np.array([z]), a)[0]), abs=1e-15)
