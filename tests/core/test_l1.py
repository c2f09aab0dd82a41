"""L1 that zeroes: a weight whose step would cross zero lands on exactly 0 (TF Playground)."""

import numpy as np
import pytest

from playground.core import regularization
from playground.core.network import Network
from playground.core.session import Session
from playground.core.settings import DataSettings

ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_l1_on_the_spiral_with_seven_features_gives_exact_zeros(optimizer):
    session = Session(DataSettings("spiral", features=ALL_FEATURES), optimizer=optimizer,
                      lr=0.03 if optimizer == "sgd" else 0.01)
    session.configure(l1=0.01)
    session.trainer.run_epochs(100)
    snap = session.snapshot(resolution=None)
    weights = np.concatenate([w.ravel() for k, w in snap.params.items() if k[0] == "W"])
    zeros = int(np.count_nonzero(weights == 0.0))
    assert zeros > 0.2 * weights.size
    assert snap.zero_weights == zeros
    session.configure(l1=0.0)   # without L1 they are free to come back
    session.trainer.run_epochs(5)
    assert session.snapshot(resolution=None).zero_weights < zeros


def test_a_zero_weight_stays_while_the_data_pull_is_weaker_than_lambda():
    net = Network.from_spec({"inputs": 2, "layers": [3], "outputs": 2, "l1": 0.5, "seed": 0})
    net.params["W1"][0, 0] = 0.0
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    y = np.array([0, 1])
    _, grads = net.loss_and_grads(X, y)
    data_net = Network.from_spec({"inputs": 2, "layers": [3], "outputs": 2, "seed": 0})
    data_net.flat[...] = net.flat
    _, data_grads = data_net.loss_and_grads(X, y)
    pull = data_grads["W1"][0, 0]
    assert abs(pull) < 0.5
    assert grads["W1"][0, 0] == 0.0   # the subgradient that cancels the pull
    net.l1 = abs(pull) / 2            # a weaker λ: the data win, by |pull| − λ
    _, grads = net.loss_and_grads(X, y)
    assert grads["W1"][0, 0] == pytest.approx(np.sign(pull) * (abs(pull) - net.l1))


def test_a_crossing_weight_lands_on_zero_and_a_held_one_stays():
    before = np.array([0.001, 0.5, 0.0, 0.0])
    w = np.array([-0.002, 0.4, 0.01, 0.01])   # crossed, moved, held at 0 by L1, pulled off 0
    regularization.land_zeros(w, before, np.array([1.0, 1.0, 0.0, -0.3]))
    assert list(w) == [0.0, 0.4, 0.0, 0.01]
