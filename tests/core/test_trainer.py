"""Trainer: epochs and shuffling, metrics, statistics, divergence, edits, the display grid."""

import math

import numpy as np
import pytest

from playground.core import edits, surgery
from playground.core.network import Network
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.core.trainer import Trainer
from playground.data import make_dataset, train_test_split


def circle_trainer(features=("x1", "x2"), **kwargs):
    X, y = make_dataset("circle", n=200, seed=1)
    Xtr, ytr, Xte, yte = train_test_split(X, y, 0.5, seed=1)
    net = Network.from_spec({"inputs": len(features), "layers": [4, 2], "outputs": 2,
                             "seed": 0})
    options = {"lr": 0.1, "batch_size": 10, "optimizer": "adam", **kwargs}
    return Trainer(net, Xtr, ytr, Xte, yte, features=features, **options)


def test_an_epoch_is_every_training_point_once_in_a_fresh_order():
    trainer = circle_trainer()
    seen = []
    original = trainer.net.loss_into

    def spy(X, y, *args, **kwargs):
        seen.append(X.copy())
        return original(X, y, *args, **kwargs)

    trainer.net.loss_into = spy
    trainer.run_epochs(2)
    assert trainer.steps_per_epoch == 10 and trainer.step_count == 20
    first, second = np.vstack(seen[:10]), np.vstack(seen[10:])
    key = np.lexsort(trainer.X.T)
    np.testing.assert_array_equal(first[np.lexsort(first.T)], trainer.X[key])
    np.testing.assert_array_equal(second[np.lexsort(second.T)], trainer.X[key])
    assert not np.array_equal(first, second), "reshuffled between epochs"


def test_last_partial_batch_is_used():
    trainer = circle_trainer(batch_size=30)
    assert trainer.steps_per_epoch == 4
    trainer.run(4)
    assert trainer.epoch == 1


def test_history_records_train_and_test_metrics_per_epoch_and_loss_falls():
    trainer = circle_trainer(features=("x1", "x2", "x1^2", "x2^2"))
    trainer.run_epochs(30)
    h = trainer.history
    assert len(h) == 30 and h.epoch[-1] == 30 and h.step[-1] == 300
    assert h.train_loss[-1] < 0.5 * h.train_loss[0]
    assert h.train_accuracy[-1] > 0.9 and h.test_accuracy[-1] > 0.85
    direct = trainer.evaluate(trainer.X, trainer.y)
    assert direct.loss == pytest.approx(h.train_loss[-1])
    assert len(h.grad_norms[-1]) == 3


def test_full_batch_history_equals_a_direct_evaluation_at_each_epoch_end():
    X, y = make_dataset("spiral", n=90, classes=3, seed=0)
    net = Network.from_spec({"inputs": 2, "layers": [20], "outputs": 3, "seed": 0,
                             "l2": 1e-3})
    trainer = Trainer(net, X, y, lr=0.5, batch_size=None)
    expected = []
    for _ in range(5):
        trainer.step()
        expected.append(trainer.evaluate(X, y))
    h = trainer.history
    assert h.train_loss == pytest.approx([m.loss for m in expected])
    assert h.train_accuracy == pytest.approx([m.accuracy for m in expected])


def test_same_seed_same_run():
    a, b = circle_trainer(), circle_trainer()
    a.run(57)
    b.run(57)
    np.testing.assert_array_equal(a.net.flat, b.net.flat)
    assert a.history.train_loss == b.history.train_loss


def test_changing_settings_mid_run_keeps_the_weights():
    trainer = circle_trainer()
    trainer.run(15)
    weights = trainer.net.flat.copy()
    trainer.lr = 0.001
    trainer.batch_size = 5
    trainer.set_optimizer("momentum")
    trainer.net.l2 = 0.01
    np.testing.assert_array_equal(trainer.net.flat, weights)
    trainer.run(5)
    assert trainer.step_count == 20 and trainer.divergence is None


def test_edits_between_steps_keep_training_going():
    trainer = circle_trainer()
    trainer.run_epochs(3)
    trainer.edit(lambda net: surgery.add_neuron(net, 1))
    trainer.edit(lambda net: surgery.insert_layer(net, 2, activation="relu"))
    trainer.edit(lambda net: surgery.remove_neuron(net, 1, 0))
    assert trainer.optimizer.state["m"].shape == trainer.net.flat.shape
    assert trainer.grads.edge_means()["W1"].shape == trainer.net.params["W1"].shape
    trainer.run_epochs(2)
    assert trainer.epoch == 5 and trainer.divergence is None


def test_feature_toggle_keeps_the_other_weights():
    trainer = circle_trainer()
    trainer.run(20)
    W1 = trainer.net.params["W1"].copy()
    trainer.set_features(("x1", "x1^2", "x2"))
    assert trainer.X.shape[1] == 3
    np.testing.assert_array_equal(trainer.net.params["W1"][[0, 2]], W1)
    assert not trainer.net.params["W1"][1].any()
    trainer.run(20)


def test_edge_gradient_means_and_layer_norms():
    trainer = circle_trainer()
    trainer.run(5)
    early = trainer.grads.edge_means()
    assert early["W2"].shape == (4, 2) and (early["W2"] >= 0).all() and early["W2"].any()
    trainer.run_epochs(3)
    means = trainer.grads.edge_means()
    assert set(means) == set(trainer.net.params)
    assert all(n > 0 for n in trainer.history.grad_norms[-1])


def test_vanishing_gradients_in_a_deep_sigmoid_net():
    X, y = make_dataset("circle", n=100, seed=0)
    net = Network.from_spec({"inputs": 2, "layers": [{"units": 8, "activation": "sigmoid"}] * 6,
                             "outputs": 2, "seed": 0})
    trainer = Trainer(net, X, y, lr=0.1, batch_size=None)
    trainer.step()
    norms = trainer.history.grad_norms[-1]
    assert norms[0] < norms[-1] / 100


def test_divergence_stops_training_and_keeps_finite_weights():
    trainer = circle_trainer(lr=1e6, optimizer="sgd")
    trainer.net.set_output_activation("linear")
    trainer.net.set_loss("mse")
    trainer.prepare_targets()
    trainer.run(5000)
    d = trainer.divergence
    assert d is not None
    assert np.isfinite(trainer.net.flat).all()
    assert d.learning_rate == 1e6 and d.step == trainer.step_count
    assert "learning rate 1e+06" in d.message and f"epoch {d.epoch}" in d.message
    steps = trainer.step_count
    assert math.isnan(trainer.step()) and trainer.step_count == steps
    trainer.reset()
    trainer.lr = 0.01
    assert trainer.divergence is None
    trainer.run(3)
    assert trainer.step_count == 3


@pytest.mark.parametrize(("optimizer", "lr", "batch"), [
    ("sgd", 10, 10), ("sgd", 1e6, None), ("momentum", 10, 10), ("nesterov", 1e6, None),
    ("momentum", 1e6, None)])
def test_after_divergence_a_lower_learning_rate_trains_on_with_finite_loss(optimizer, lr, batch):
    session = Session(DataSettings("circle"), optimizer=optimizer, lr=lr, batch_size=batch)
    session.configure(loss="mse")
    trainer = session.trainer
    trainer.run(20000)
    assert trainer.divergence is not None
    assert np.isfinite(trainer.net.flat).all()
    assert math.isfinite(trainer.evaluate(trainer.X, trainer.y, trainer.t).loss)
    epochs = len(trainer.history)
    trainer.lr = 1e-4
    trainer.resume()
    assert trainer.run(100) == 100 and trainer.divergence is None
    assert np.isfinite(trainer.history.train_loss[epochs:]).all()
    assert math.isfinite(trainer.evaluate(trainer.X, trainer.y, trainer.t).loss)


def test_divergence_keeps_the_weights_before_the_update_that_broke_them():
    trainer = circle_trainer(lr=1e6, optimizer="sgd", batch_size=None)
    trainer.net.set_loss("mse")
    trainer.prepare_targets()
    seen = []
    while trainer.divergence is None:
        seen.append(trainer.net.flat.copy())
        trainer.step()
    # the loss of seen[-1] was not finite; seen[-2] is what the update that made it started from
    np.testing.assert_array_equal(trainer.net.flat, seen[-2])


def test_reset_gives_new_weights_and_clears_history():
    trainer = circle_trainer()
    trainer.run_epochs(2)
    old = trainer.net.flat.copy()
    trainer.reset()
    assert not np.array_equal(old, trainer.net.flat)
    assert trainer.epoch == 0 and trainer.step_count == 0 and len(trainer.history) == 0
    trainer.reset(seed=3)
    first = trainer.net.flat.copy()
    trainer.reset(seed=3)
    np.testing.assert_array_equal(first, trainer.net.flat)


def test_grid_activations_gives_the_boundary_and_every_neuron_in_one_pass():
    trainer = circle_trainer(features=("x1", "x2", "x1*x2"))
    grid = trainer.grid_activations((-6, 6, -5, 5), 20)
    assert grid.inputs.shape == (20, 20, 3)
    assert [a.shape for a in grid.layers] == [(20, 20, 4), (20, 20, 2)]
    assert grid.output.shape == (20, 20, 2)
    assert grid.inputs[0, 0, :2] == pytest.approx([-6, -5])
    assert grid.inputs[0, -1, :2] == pytest.approx([6, -5]), "columns run along x"
    assert grid.inputs[-1, 0, :2] == pytest.approx([-6, 5]), "rows run along y"
    point = np.array([[grid.inputs[3, 7, 0], grid.inputs[3, 7, 1]]])
    expected = trainer.net.forward(np.column_stack([point, point[:, :1] * point[:, 1:]]))
    np.testing.assert_allclose(grid.output[3, 7], expected[0])


def test_run_for_respects_its_time_budget():
    trainer = circle_trainer()
    steps = trainer.run_for(0.05)
    assert steps > 0 and trainer.step_count == steps


def test_cs231n_spiral_two_layer_relu_net_reaches_97_percent():
    X, y = make_dataset("spiral", n=300, noise=0.2, classes=3, seed=0)
    net = Network.from_spec({"inputs": 2, "layers": [{"units": 100, "activation": "relu"}],
                             "outputs": 3, "loss": "softmax", "seed": 0, "l2": 1e-3})
    trainer = Trainer(net, X, y, optimizer="sgd", lr=1.0, batch_size=None)
    trainer.run(10_000)
    assert trainer.history.train_accuracy[-1] >= 0.97


def test_linear_softmax_classifier_stalls_on_the_spiral():
    X, y = make_dataset("spiral", n=300, noise=0.2, classes=3, seed=0)
    net = Network.from_spec({"inputs": 2, "layers": [], "outputs": 3, "seed": 0, "l2": 1e-3})
    trainer = Trainer(net, X, y, optimizer="sgd", lr=1.0, batch_size=None)
    trainer.run(1000)
    assert 0.45 <= trainer.history.train_accuracy[-1] <= 0.56


def test_a_second_maxout_piece_no_neuron_uses_stays_at_zero_under_adam():
    """Its moments from when the neuron was maxout would move it; they start over instead."""
    session = Session(DataSettings("circle"), optimizer="adam")
    session.perform(edits.set_activation(1, "maxout"))
    session.trainer.run_epochs(5)
    session.perform(edits.set_activation(1, "tanh", neuron=3))
    session.configure(l2=0.01)
    session.trainer.run_epochs(5)
    net = session.net
    assert not net.params["W1_2"][:, 3].any() and net.params["b1_2"][3] == 0.0
    assert net.params["W1_2"][:, 2].any()
    assert net.zero_weights() == 0   # the unused piece is not counted as an L1 zero either
