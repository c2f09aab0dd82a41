"""The training process on its own, driven through its pipe as the window drives it."""

import subprocess

import pytest

from playground.app.worker_driver import worker_command
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.runner.channel import Channel
from playground.runner.codec import decode, encode


@pytest.fixture
def worker():
    session = Session(DataSettings("circle"))
    process = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    channel = Channel(process.stdout, process.stdin)
    channel.send(encode({"snapshot": session.snapshot(None), "speed": None, "running": False}))
    yield channel
    if process.poll() is None:
        channel.send(encode({"op": "stop"}))
    assert process.wait(10) == 0


def _reply(channel, request):
    channel.send(encode(request))
    while True:
        message = decode(channel.recv())
        if message.get("id") == request.get("id"):
            return message


def test_calls_are_answered_in_order_with_a_snapshot(worker):
    reply = _reply(worker, {"op": "call", "id": 1, "name": "perform",
                            "kwargs": {"request": edits.add_neuron(1)}})
    assert reply["result"] == "Add neuron to layer 1"
    assert reply["snapshot"].sizes == (2, 13, 12, 2) and reply["snapshot"].undo
    reply = _reply(worker, {"op": "call", "id": 2, "name": "configure", "kwargs": {"lr": -1}})
    assert reply["error"][0] == "ValueError" and "learning rate" in reply["error"][1]
    reply = _reply(worker, {"op": "call", "id": 3, "name": "__init__", "kwargs": {}})
    assert reply["error"] == ["ValueError", "unknown action '__init__'"]


def test_training_runs_until_paused_and_snapshots_wait_to_be_asked_for(worker):
    first = decode(worker.recv())  # the window starts with one snapshot's credit
    assert not first["running"] and first["snapshot"].step == 0
    worker.send(encode({"op": "play"}))
    assert not worker.poll(0.3)  # nothing more until the window asks
    worker.send(encode({"op": "want"}))
    later = decode(worker.recv())
    assert later["running"] and later["snapshot"].step > 0
    assert later["snapshot"].X_train is None  # the window has the points already
    paused = _reply(worker, {"op": "pause", "id": 9})
    assert not paused["running"]
    again = _reply(worker, {"op": "pause", "id": 10})
    assert again["snapshot"].step == paused["snapshot"].step


def test_the_process_ends_when_the_window_goes_away():
    session = Session(DataSettings("circle"))
    process = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    channel = Channel(process.stdout, process.stdin)
    channel.send(encode({"snapshot": session.snapshot(None), "speed": None, "running": True}))
    decode(channel.recv())
    process.stdin.close()
    assert process.wait(10) == 0
