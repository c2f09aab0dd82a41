"""Editing a network keeps every weight it can, and the optimizer's memory follows the edit."""

import numpy as np
import pytest

from playground.core import surgery
from playground.core.network import Network
from playground.core.optimizers import Optimizer


def make(layers=(4, 3), activation="tanh", **extra):
    spec = {"inputs": 2, "layers": [{"units": u, "activation": activation} for u in layers],
            "outputs": 3, "seed": 5, **extra}
    return Network.from_spec(spec)


@pytest.fixture
def X():
    return np.random.default_rng(0).normal(size=(30, 2))


def snapshot(net):
    return {k: v.copy() for k, v in net.params.items()}


def test_add_neuron_keeps_every_weight_bit_for_bit_and_the_function(X):
    net = make()
    before, out = snapshot(net), net.forward(X)
    surgery.add_neuron(net, 1, position=2)
    p = net.params
    assert p["W1"].shape == (2, 5) and p["W2"].shape == (5, 3)
    np.testing.assert_array_equal(np.delete(p["W1"], 2, axis=1), before["W1"])
    np.testing.assert_array_equal(np.delete(p["b1"], 2), before["b1"])
    np.testing.assert_array_equal(np.delete(p["W2"], 2, axis=0), before["W2"])
    for key in ("b2", "W3", "b3"):
        np.testing.assert_array_equal(p[key], before[key])
    assert p["W1"][:, 2].any(), "the new neuron gets fresh random incoming weights"
    assert not p["W2"][2].any(), "and zero outgoing weights"
    np.testing.assert_allclose(net.forward(X), out)


def test_remove_neuron_drops_its_row_and_column():
    net = make()
    before = snapshot(net)
    surgery.remove_neuron(net, 2, 0)
    np.testing.assert_array_equal(net.params["W2"], before["W2"][:, 1:])
    np.testing.assert_array_equal(net.params["b2"], before["b2"][1:])
    np.testing.assert_array_equal(net.params["W3"], before["W3"][1:])
    np.testing.assert_array_equal(net.params["W1"], before["W1"])
    assert net.sizes == [2, 4, 2, 3]


def test_cannot_remove_the_last_neuron_of_a_layer():
    net = make(layers=(1,))
    with pytest.raises(ValueError, match="remove the layer instead"):
        surgery.remove_neuron(net, 1, 0)


def test_insert_layer_keeps_all_weights_and_starts_as_a_pass_through(X):
    net = make(layers=(4, 3), activation="relu")
    before, out = snapshot(net), net.forward(X)
    surgery.insert_layer(net, 2, activation="relu")
    assert net.sizes == [2, 4, 4, 3, 3]
    np.testing.assert_array_equal(net.params["W1"], before["W1"])
    np.testing.assert_array_equal(net.params["W2"], np.eye(4))
    np.testing.assert_array_equal(net.params["W3"], before["W2"])
    np.testing.assert_array_equal(net.params["W4"], before["W3"])
    np.testing.assert_allclose(net.forward(X), out)


def test_insert_wider_layer_and_remove_layer():
    net = make(layers=(4, 3))
    before = snapshot(net)
    surgery.insert_layer(net, 3, units=5, activation="linear")
    assert net.sizes == [2, 4, 3, 5, 3]
    np.testing.assert_array_equal(net.params["W4"][:3], before["W3"])
    assert not net.params["W4"][3:].any()
    surgery.remove_layer(net, 3)
    assert net.sizes == [2, 4, 3, 3]
    np.testing.assert_array_equal(net.params["W3"], before["W3"])
    surgery.remove_layer(net, 1)
    assert net.sizes == [2, 3, 3]
    np.testing.assert_array_equal(net.params["W2"], before["W3"])
    np.testing.assert_array_equal(net.params["W1"], before["W2"][:2])


def test_set_activation_per_neuron_keeps_weights(X):
    net = make()
    before = snapshot(net)
    surgery.set_activation(net, 1, "relu", neuron=1)
    assert net.hidden[0].activations == ["tanh", "relu", "tanh", "tanh"]
    assert net.to_spec()["layers"][0]["activation"] == ["tanh", "relu", "tanh", "tanh"]
    for key, value in before.items():
        np.testing.assert_array_equal(net.params[key], value)


def test_maxout_pieces_appear_and_vanish_with_the_activation():
    net = make()
    surgery.set_activation(net, 1, "maxout", neuron=2)
    assert net.params["W1_2"].shape == (2, 4)
    assert net.params["W1_2"][:, 2].any() and not net.params["W1_2"][:, [0, 1, 3]].any()
    piece = net.params["W1_2"][:, 2].copy()
    surgery.add_neuron(net, 1, 0, activation="maxout")
    np.testing.assert_array_equal(net.params["W1_2"][:, 3], piece)
    surgery.set_activation(net, 1, "tanh")
    assert "W1_2" not in net.params


def test_toggling_inputs_keeps_the_other_inputs_weights(X):
    net = make()
    before, out = snapshot(net), net.forward(X)
    surgery.set_inputs(net, [0, 1, -1])
    assert net.params["W1"].shape == (3, 4)
    np.testing.assert_array_equal(net.params["W1"][:2], before["W1"])
    assert not net.params["W1"][2].any()
    np.testing.assert_allclose(net.forward(np.column_stack([X, X[:, 0] ** 2])), out)
    surgery.set_inputs(net, [1, 2])
    np.testing.assert_array_equal(net.params["W1"][0], before["W1"][1])


def test_changing_the_number_of_outputs():
    net = make()
    before = snapshot(net)
    surgery.set_outputs(net, 5)
    np.testing.assert_array_equal(net.params["W3"][:, :3], before["W3"])
    assert net.params["W3"].shape == (3, 5)


def test_units_spin_box_grows_and_shrinks_at_the_end():
    net = make()
    before = snapshot(net)
    surgery.set_units(net, 1, 6)
    np.testing.assert_array_equal(net.params["W1"][:, :4], before["W1"])
    surgery.set_units(net, 1, 2)
    np.testing.assert_array_equal(net.params["W1"], before["W1"][:, :2])
    np.testing.assert_array_equal(net.params["W2"], before["W2"][:2])


def test_optimizer_state_follows_the_surgery():
    net = make()
    opt = Optimizer("adam")
    rng = np.random.default_rng(1)
    for _ in range(3):
        opt.step(net.flat, rng.normal(size=net.flat.shape), 0.01)
    old_m = {k: v.copy() for k, v in net.layout.views(opt.state["m"]).items()}
    old_layout = net.layout
    transplant = surgery.add_neuron(net, 2, 1)
    opt.remap(old_layout, transplant)
    m = net.layout.views(opt.state["m"])
    np.testing.assert_array_equal(np.delete(m["W2"], 1, axis=1), old_m["W2"])
    np.testing.assert_array_equal(np.delete(m["W3"], 1, axis=0), old_m["W3"])
    assert not m["W2"][:, 1].any() and not m["W3"][1].any()
    np.testing.assert_array_equal(m["W1"], old_m["W1"])
    assert opt.state["v"].shape == net.flat.shape


def test_surgery_gradients_still_check():
    from playground.core.gradcheck import check_network

    net = make()
    surgery.add_neuron(net, 1, 1, activation="maxout")
    surgery.insert_layer(net, 2, units=2, activation="elu")
    rng = np.random.default_rng(3)
    errors = check_network(net, rng.normal(size=(5, 2)), rng.integers(0, 3, 5))
    assert max(errors.values()) < 1e-6


@pytest.mark.parametrize(("inputs", "layers"), [(2, [1]), (3, [2, 12])])
def test_removing_a_first_layer_narrower_than_the_inputs_keeps_what_fits(inputs, layers):
    net = Network.from_spec({"inputs": inputs, "layers": layers, "outputs": 2, "seed": 1})
    before = snapshot(net)
    surgery.remove_layer(net, 1)
    assert net.sizes == [inputs, *layers[1:], 2]
    W1 = net.params["W1"]
    np.testing.assert_array_equal(W1[:layers[0]], before["W2"])
    assert not W1[layers[0]:].any(), "inputs the removed layer's width had no row for get zeros"
    np.testing.assert_array_equal(net.params["b1"], before["b2"])
    for k in range(2, len(layers) + 1):  # the layers after it are untouched
        np.testing.assert_array_equal(net.params[f"W{k}"], before[f"W{k + 1}"])
        np.testing.assert_array_equal(net.params[f"b{k}"], before[f"b{k + 1}"])
    X = np.random.default_rng(0).normal(size=(20, inputs))
    loss, grads = net.loss_and_grads(X, np.arange(20) % 2)
    assert np.isfinite(loss) and all(np.isfinite(g).all() for g in grads.values())
    assert net.forward(X).shape == (20, 2)


def _fail(*_args, **_kwargs):
    raise RuntimeError("forced failure")


@pytest.mark.parametrize("where", ["playground.core.params.Transplant.apply",
                                   "playground.core.network.Network.zero_unused_maxout",
                                   "playground.core.network.Network._plan"],
                         ids=["transplant", "after_random_draws", "install"])
@pytest.mark.parametrize("edit", [lambda net: surgery.add_neuron(net, 1, 1),
                                  lambda net: surgery.remove_layer(net, 1),
                                  lambda net: surgery.set_outputs(net, 5),
                                  lambda net: surgery.set_inputs(net, [0, -1, 1])],
                         ids=["add_neuron", "remove_layer", "set_outputs", "set_inputs"])
def test_a_failed_edit_leaves_the_network_exactly_as_it_was(monkeypatch, X, where, edit):
    net = make()
    structure, layout, flat = net.structure(), net.layout, net.flat
    before, out = snapshot(net), net.forward(X)
    rng_state = net.rng.bit_generator.state
    monkeypatch.setattr(where, _fail)
    with pytest.raises(RuntimeError, match="forced failure"):
        edit(net)
    monkeypatch.undo()
    assert net.structure() == structure and net.sizes == [2, 4, 3, 3]
    assert net.layout == layout and net.flat is flat
    assert list(net.params) == list(before)
    for key, value in before.items():
        np.testing.assert_array_equal(net.params[key], value)
    assert net.rng.bit_generator.state == rng_state
    np.testing.assert_array_equal(net.forward(X), out)
    surgery.add_neuron(net, 1)
    assert net.sizes == [2, 5, 3, 3]
