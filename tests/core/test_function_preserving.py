"""Edits that add keep what a trained network computes, and training goes on from there.

The stated tolerance (README, "Editing the network"): outputs on the training points move by
at most 1e-9 when the new part has a linear region (linear, ReLU, leaky ReLU, ELU, maxout,
and any added neuron or widened layer), and class probabilities by at most 0.03 for a
tanh, sigmoid, softplus, swish or GELU layer (0.022 measured). Accuracy moves by at most a
point, right after the edit and after 100 Adam steps.

The network is trained full-batch: a minimum minibatch noise does not shake. From a trained
state, minibatch Adam at lr 0.01 wanders in and out of loss spikes even without an edit, and
any sample of it after 100 steps says more about that than about the edit.
"""

from __future__ import annotations

import numpy as np
import pytest

from playground.core import edits, surgery
from playground.core.activations import NAMES
from playground.core.session import Session

EXACT = {"linear", "relu", "leaky_relu", "elu", "maxout"}
EXACT_TOLERANCE = 1e-9
APPROXIMATE_TOLERANCE = 0.03


@pytest.fixture(scope="module")
def trained() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The default 12-12 tanh network after 3,000 full-batch Adam steps on the spiral: its
    weights and optimizer state (sessions are rebuilt from them, not copied)."""
    session = Session(batch_size=None)
    session.trainer.run_epochs(3000)
    state = session.trainer.optimizer.state
    assert accuracy(session) > 0.99
    return session.net.flat.copy(), {k: v.copy() for k, v in state.items()}


def restored(trained) -> Session:
    flat, state = trained
    session = Session(batch_size=None)
    session.net.flat[...] = flat
    session.trainer.optimizer.set_state(state, flat.size)
    return session


def accuracy(session: Session) -> float:
    trainer = session.trainer
    return float(np.mean(session.net.predict(trainer.X) == trainer.y))


def check(session: Session, edit, tolerance: float, control: Session | None = None) -> None:
    """The edit moves the outputs by at most ``tolerance`` and accuracy by at most a point,
    then and after 100 steps (compared with ``control`` trained on without the edit, if
    given: a network that was just changed on purpose is still settling)."""
    X = session.trainer.X
    before, accuracy_before = session.net.forward(X), accuracy(session)
    edit()
    assert np.abs(session.net.forward(X) - before).max() <= tolerance
    assert abs(accuracy(session) - accuracy_before) <= 0.01
    session.trainer.run(100)
    assert session.trainer.divergence is None
    if control is not None:
        control.trainer.run(100)
        accuracy_before = accuracy(control)
    assert abs(accuracy(session) - accuracy_before) <= 0.01


@pytest.mark.parametrize("column", [1, 2, 3])
@pytest.mark.parametrize("activation", NAMES)
def test_inserting_a_layer_keeps_the_trained_function(trained, activation, column):
    session = restored(trained)
    tolerance = EXACT_TOLERANCE if activation in EXACT else APPROXIMATE_TOLERANCE
    check(session, lambda: session.perform(edits.insert_layer(column, activation)), tolerance)
    assert session.net.sizes[column] == session.net.sizes[column - 1]


@pytest.mark.parametrize(("layer", "position"), [(1, 0), (1, 12), (2, 0), (2, 12)])
@pytest.mark.parametrize("activation", NAMES)
def test_adding_a_neuron_keeps_the_trained_function(trained, activation, layer, position):
    session = restored(trained)
    check(session, lambda: session.trainer.edit(
        lambda net: surgery.add_neuron(net, layer, position, activation)), EXACT_TOLERANCE)
    assert session.net.layer(layer).activations[position] == activation


@pytest.mark.parametrize("layer", [1, 2])
@pytest.mark.parametrize("activation", NAMES)
def test_widening_a_layer_keeps_the_trained_function(trained, activation, layer):
    """Widening copies the last neuron's activation: it is set first, in the control too."""
    session, control = restored(trained), restored(trained)
    for s in (session, control):
        s.perform(edits.set_activation(layer, activation, neuron=11))
    check(session, lambda: session.perform(edits.set_units(layer, 16)), EXACT_TOLERANCE,
          control)
    assert session.net.layer(layer).activations[12:] == [activation] * 4


def test_an_insert_without_probe_points_still_passes_inputs_in_its_activation_bounds():
    session = Session()
    session.trainer.run_epochs(20)
    X = session.trainer.X
    before = session.net.forward(X)
    surgery.insert_layer(session.net, 2, activation="relu")   # after tanh: inputs ≥ −1
    np.testing.assert_allclose(session.net.forward(X), before, atol=EXACT_TOLERANCE)


def test_a_narrower_layer_loses_what_it_cannot_carry_and_the_refit_keeps_the_rest():
    session = Session()
    session.trainer.run_epochs(50)
    X = session.trainer.X
    before = session.net.forward(X)
    session.perform(edits.insert_layer(2, "linear", units=6))
    change = np.abs(session.net.forward(X) - before).max()
    assert 1e-6 < change < 1.0


@pytest.mark.parametrize("optimizer", ["adam", "rmsprop", "adagrad", "sgd", "momentum"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "softplus"])
def test_one_step_after_an_insert_moves_no_weight_more_than_a_normal_step(optimizer,
                                                                         activation):
    """The same batch with and without the insert: the old weights move as they would have,
    the new layer and the one it feeds (whose inputs changed scale) ease in."""
    def trained_session() -> Session:
        session = Session(optimizer=optimizer)
        session.trainer.run_epochs(40)
        return session

    normal = trained_session()
    before = normal.net.flat.copy()
    normal.trainer.step()
    normal_step = np.abs(normal.net.flat - before).max()

    edited = trained_session()
    edited.perform(edits.insert_layer(2, activation))
    before = edited.net.flat.copy()
    edited.trainer.step()
    # the gradient through a tanh pass-through is within a few % of the identity's
    assert np.abs(edited.net.flat - before).max() <= normal_step * 1.05
