"""File ▸ Examples: every lesson opens from the menu with its note, and trains."""

from __future__ import annotations

import math

import pytest
from PySide6.QtWidgets import QToolButton

from playground.io.lessons import EXAMPLES, bundled_lessons, read_lesson

LESSONS = bundled_lessons()


def test_seven_lessons_are_bundled_and_every_file_reads():
    assert len(LESSONS) == 7
    assert len(list(EXAMPLES.glob("*.json"))) == len(LESSONS)
    titles = " ".join(lesson.title for _, lesson in LESSONS)
    for topic in ("XOR", "spiral", "sigmoid", "ReLU", "Overfitting", "L1", "Regression"):
        assert topic in titles


@pytest.mark.parametrize("index", range(len(LESSONS)), ids=[p.stem for p, _ in LESSONS])
def test_each_example_opens_from_the_menu_and_trains(qtbot, trained_window, index):
    win = trained_window
    lesson = LESSONS[index][1]
    action = win.example_actions[index]
    assert lesson.title in action.text()
    action.trigger()
    assert win.lesson_note.isVisible() and win.lesson_note.text() == lesson.note
    session = win.session
    assert session.trainer.step_count == 0 and session.data.dataset in lesson.experiment
    win.step_epoch_action.trigger()
    assert session.trainer.epoch == 1 and session.trainer.divergence is None
    assert math.isfinite(session.trainer.history.train_loss[-1])
    assert win.snapshot().epoch == 1


def test_the_note_closes_and_comes_back(qtbot, trained_window):
    win = trained_window
    win.example_actions[0].trigger()
    win.lesson_note.findChild(QToolButton).click()
    assert not win.lesson_note.isVisible()
    win.lesson_note_action.trigger()
    assert win.lesson_note.isVisible()


def test_a_lesson_file_that_lies_is_refused(tmp_path):
    from playground.files.errors import LoadError

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "neural-playground-lesson", "version": 1, "title": "x", '
                   '"note": "y", "experiment": "neural-playground:1?dataset=nowhere"}')
    with pytest.raises(LoadError, match=r"bad\.json"):
        read_lesson(bad)
    bad.write_text('{"format": "neural-playground-lesson", "version": 9}')
    with pytest.raises(LoadError, match="update"):
        read_lesson(bad)


def test_the_lessons_ship_in_the_wheel_and_the_bundle():
    import tomllib

    root = EXAMPLES.parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "assets/examples/*.json" in project["tool"]["setuptools"]["package-data"][
        "playground"]
    spec = (root / "packaging" / "neural-playground.spec").read_text(encoding="utf-8")
    assert '"playground" / "assets" / "examples"' in spec


def test_the_spiral_lessons_100_neurons_show_as_100_and_can_shrink(qtbot, trained_window):
    """The CS231n lesson's layer is wider than an edit may make one: its card says 100, not
    the spin box's usual maximum, and the arrows shrink it (then it may not grow back past
    64: Undo brings the 100 back)."""
    win = trained_window
    index = next(i for i, (path, _) in enumerate(LESSONS) if "spiral" in path.stem)
    win.example_actions[index].trigger()
    assert win.session.net.sizes == [2, 100, 3]
    units = win.architecture.cards[0].units
    assert units.value() == 100 and units.text() == "100 units"
    units.stepBy(-1)   # the down arrow
    qtbot.waitUntil(lambda: win.session.net.sizes == [2, 99, 3])
    assert units.maximum() == 99   # narrower now, and no wider again
    win.commands.undo_action.trigger()
    qtbot.waitUntil(lambda: win.architecture.cards[0].units.value() == 100)
    assert win.session.net.sizes == [2, 100, 3]


def test_the_xor_lesson_trains_as_its_note_says():
    """Zeros: the loss stays at ln 2. Xavier: two neurons cannot cut out four quadrants
    (the note must not promise they do); a third neuron gets there."""
    from playground.core import edits
    from playground.core.session import Session
    from playground.io.experiment import parse_experiment, session_from_experiment

    lesson = next(lesson for path, lesson in LESSONS if "xor" in path.stem)
    assert "0.693" in lesson.note and "third neuron" in lesson.note
    assert "separate the four quadrants" not in lesson.note
    session = session_from_experiment(parse_experiment(lesson.experiment), Session())
    session.trainer.run_epochs(50)
    assert session.trainer.history.train_loss[-1] == pytest.approx(math.log(2), abs=1e-3)
    session.configure(init="xavier")
    for seed in (1, 2, 5):
        session.reset(seed)
        session.trainer.run_epochs(300)
        two = session.trainer.history.train_accuracy[-1]
        session.perform(edits.add_neuron(1))
        session.trainer.run_epochs(300)
        assert two < 0.9 and session.trainer.history.train_accuracy[-1] > 0.95
        session.perform(edits.remove_neuron(1, 2))
