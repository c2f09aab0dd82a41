"""Pacing: a speed in epochs per second becomes steps now, capped so a stall is not paid back
in a burst."""

from playground.runner.pacing import SPEEDS, Pacer


def test_max_has_no_limit():
    pacer = Pacer(SPEEDS["Max"])
    pacer.restart(0.0)
    assert pacer.allowance(1.0, 25) is None and pacer.wait(25) == 0.0


def test_normal_owes_thirty_epochs_a_second():
    pacer = Pacer(SPEEDS["Normal"])
    pacer.restart(0.0)
    assert pacer.allowance(0.1, 25) == 75  # 3 epochs of 25 steps
    pacer.spent(75, 25)
    assert pacer.allowance(0.1, 25) == 0
    assert 0 < pacer.wait(25) <= 1 / (30 * 25) + 1e-9


def test_a_stall_is_not_paid_back_in_a_burst():
    pacer = Pacer(SPEEDS["Slow"])
    pacer.restart(0.0)
    assert pacer.allowance(60.0, 10) == int((2 + 0.5) * 10)
