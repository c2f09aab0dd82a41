"""A way out, through the File menu: pictures at a chosen width or as SVG, the network as a
NumPy script whose predict is the app's output, a PyTorch module, and weights saved from
one window and loaded into a fresh one with equal outputs."""

from __future__ import annotations

import importlib.util
import xml.dom.minidom

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from playground.app.files import dialogs
from playground.app.main_window import MainWindow
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.data import apply_features


@pytest.fixture
def answers(monkeypatch):
    """``answers(path, width)``: what the next file and size questions are answered."""
    def set_answers(path, width: int | None = None) -> None:
        monkeypatch.setattr(dialogs, "ask_save", lambda *_: str(path))
        monkeypatch.setattr(dialogs, "ask_width", lambda *_: width)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(path), ""))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_: (str(path), ""))
    return set_answers


def file_menu_action(window: MainWindow, text: str):
    """The File menu's (or its Export picture submenu's) action whose text starts so."""
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    actions = list(file_menu.actions())
    for action in list(actions):
        if action.menu() is not None:
            actions += action.menu().actions()
    return next(a for a in actions if a.text().replace("&", "").startswith(text))


@pytest.mark.parametrize("picture, text", [("boundary", "Decision boundary"),
                                           ("loss", "Loss curves"),
                                           ("gradients", "Gradient norms"),
                                           ("network", "Network")])
def test_pictures_as_png_at_the_chosen_width_and_as_svg(qtbot, trained_window, answers,
                                                        tmp_path, picture, text):
    win = trained_window
    png = tmp_path / f"{picture}.png"
    answers(png, 1000)
    file_menu_action(win, text).trigger()
    image = QImage(str(png))
    assert image.width() == 1000 and image.height() > 100
    assert len({image.pixel(x, y) for x in range(0, 1000, 7)
                for y in range(0, image.height(), 7)}) > 3   # a picture, not a blank
    svg = tmp_path / f"{picture}.svg"
    answers(svg)
    file_menu_action(win, text).trigger()
    document = xml.dom.minidom.parse(str(svg))
    assert document.documentElement.tagName == "svg"
    assert f"{text} saved" in win.statusBar().currentMessage()


def test_a_cancelled_size_saves_nothing(qtbot, trained_window, answers, tmp_path):
    answers(tmp_path / "b.png", None)
    file_menu_action(trained_window, "Decision boundary").trigger()
    assert not (tmp_path / "b.png").exists()


def test_the_exported_python_predicts_what_the_app_shows(qtbot, show_active, answers,
                                                         tmp_path):
    session = Session(DataSettings("xor", features=("x1", "x2", "x1*x2", "sin(x1)")))
    win = MainWindow(session)
    qtbot.addWidget(win)
    show_active(win)
    win.commands.perform(edits.set_activation(1, "relu", 3))
    win.commands.perform(edits.set_activation(2, "maxout", 0))
    session.trainer.run_epochs(5)
    win.driver.publish()
    path = tmp_path / "xor_net.py"
    answers(path)
    file_menu_action(win, "Export as Python").trigger()
    spec = importlib.util.spec_from_file_location("xor_net", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    X = np.random.default_rng(3).uniform(-6, 6, (1000, 2))
    app = session.net.forward(apply_features(X, session.data.features))
    np.testing.assert_allclose(module.predict(X), app, rtol=1e-12, atol=1e-14)
    # and what the boundary plot draws: the snapshot's grid
    snap = win.snapshot()
    x0, x1, y0, y1 = snap.grid.bounds
    r = snap.grid.output.shape[0]
    gx, gy = np.meshgrid(np.linspace(x0, x1, r), np.linspace(y0, y1, r))
    grid = module.predict(np.column_stack([gx.ravel(), gy.ravel()]))
    np.testing.assert_allclose(grid.reshape(snap.grid.output.shape), snap.grid.output,
                               rtol=1e-12, atol=1e-14)


def test_export_for_pytorch_writes_the_module_and_its_weights(qtbot, trained_window,
                                                              answers, tmp_path):
    answers(tmp_path / "net_torch.py")
    file_menu_action(trained_window, "Export for PyTorch").trigger()
    script = tmp_path / "net_torch.py"
    compile(script.read_text(), str(script), "exec")
    with np.load(tmp_path / "net_torch.npz", allow_pickle=False) as arrays:
        np.testing.assert_array_equal(arrays["W1"], trained_window.session.net.params["W1"])


def test_weights_saved_in_one_window_load_into_a_fresh_one_with_equal_outputs(
        qtbot, trained_window, show_active, answers, tmp_path):
    first = trained_window
    first.commands.perform(edits.set_activation(1, "gelu", 0))
    first.session.trainer.run_epochs(2)
    first.driver.publish()
    path = tmp_path / "mine.npz"
    answers(path)
    first.save_weights_action.trigger()
    fresh = MainWindow(Session(DataSettings("circle")))
    qtbot.addWidget(fresh)
    show_active(fresh)
    fresh.load_weights_action.trigger()
    X = np.random.default_rng(4).uniform(-6, 6, (300, 2))
    features = first.session.data.features
    np.testing.assert_array_equal(fresh.session.net.forward(apply_features(X, features)),
                                  first.session.net.forward(apply_features(X, features)))
    np.testing.assert_array_equal(fresh.snapshot().grid.output, first.snapshot().grid.output)
