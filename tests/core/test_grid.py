"""The display grid evaluated in slices is the same picture as one pass over it."""

import numpy as np
import pytest

from playground.core.grid import DisplayGrid, GridPass
from playground.core.network import Network

BOUNDS = (-6.0, 6.0, -5.0, 5.0)


@pytest.mark.parametrize("slice_points", [1, 7, 333, 10_000])
def test_a_grid_evaluated_in_slices_equals_the_whole_pass(slice_points):
    net = Network.from_spec({"inputs": 2, "layers": [8, 8], "outputs": 3, "seed": 3})
    whole = DisplayGrid().activations(net, None, BOUNDS, 40)
    grid_pass = GridPass(DisplayGrid(), net, None, BOUNDS, 40)
    while not grid_pass.finished:
        grid_pass.advance(slice_points)
    sliced = grid_pass.result()
    assert sliced.bounds == whole.bounds
    np.testing.assert_allclose(sliced.output, whole.output, rtol=0, atol=1e-13)
    for ours, theirs in zip(sliced.layers, whole.layers, strict=True):
        assert ours.shape == theirs.shape == (40, 40, 8)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-13)


def test_an_unfinished_pass_has_no_result():
    net = Network.from_spec({"inputs": 2, "layers": [4], "outputs": 2})
    grid_pass = GridPass(DisplayGrid(), net, None, BOUNDS, 10)
    grid_pass.advance(99)
    assert grid_pass.done == 99 and not grid_pass.finished
    with pytest.raises(ValueError, match="not reached every point"):
        grid_pass.result()
    grid_pass.advance(0)   # at least one point
    assert grid_pass.finished
