"""The Backprop tab as a lesson, driven with the keys and buttons a student uses: predict
first, step back, the lecture's code, += at a branch, formulas, the legend, fit to view,
Markdown notes and the help page."""

import re

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QToolButton

from playground.app.backprop.explainer import Explainer
from playground.app.backprop.gate_graph_view import MIN_SCALE
from playground.backprop.walkthrough import BACKWARD, DONE, FORWARD


@pytest.fixture
def explainer(qtbot, show_active):
    widget = Explainer()
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    return show_active(widget)


def keys(qtbot, widget, *sequence) -> None:
    """Keys as typed on the widget that has the focus."""
    for key in sequence:
        modifier = Qt.KeyboardModifier.NoModifier
        if isinstance(key, tuple):
            key, modifier = key
        target = QApplication.focusWidget() or widget
        qtbot.keyClick(target, key, modifier)


def button(widget, action) -> QToolButton:
    return next(b for b in widget.findChildren(QToolButton) if b.defaultAction() is action)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def answer(qtbot, explainer, text: str) -> None:
    box = explainer.predict.answer
    assert box.hasFocus()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def staged(qtbot, explainer) -> None:
    explainer.show_preset("staged")
    explainer.view.setFocus()


# ---------------------------------------------------------------- predict first
def test_predict_first_hides_each_number_until_it_is_typed(qtbot, explainer):
    click(qtbot, button(explainer, explainer.predict_action))
    assert explainer.predicting and explainer.predict.isVisible()
    assert not explainer.forward_action.isEnabled() and not explainer.play_action.isEnabled()
    assert explainer.predict.prompt.text() == "Forward: q = x + y = ?"
    assert explainer.view.shown_texts()["values"].count("?") == 1   # on q's wire
    assert explainer.code.current_lines() == ["q = x + y  # (1)"]   # the line being asked
    answer(qtbot, explainer, "7")                                    # wrong
    verdict = explainer.predict.verdict.text()
    assert verdict.startswith("✗ Not 7: the answer must be within ±0.03.")
    assert "add gate: x + y = −2 + 5" in verdict and "= 3" not in verdict
    assert explainer.walkthrough.forward_done == 0 and "?" in explainer.view.shown_texts()["values"]
    answer(qtbot, explainer, "3")                                    # right, second try
    assert explainer.predict.verdict.text().startswith("✓ Right: 3")
    assert explainer.walkthrough.forward_done == 1
    assert explainer.rule.text() == "add gate: x + y = −2 + 5 = 3"
    answer(qtbot, explainer, "-12")
    answer(qtbot, explainer, "1")                                    # ∂f/∂f
    assert explainer.walkthrough.phase == BACKWARD
    assert explainer.predict.prompt.text() == "Backward: the mul gate sends ∂f/∂q = ?"
    assert explainer.view.shown_texts()["grads"].count("?") == 1
    answer(qtbot, explainer, "-4")
    assert explainer.view.shown_texts()["grads"][2:4] == ["−4", "?"]  # one of the two shown
    assert explainer.predict.score.text() == "Score: 3 of 4 right at the first try"
    click(qtbot, explainer.predict.reveal_button)                    # Reveal one: ∂f/∂z = 3
    assert explainer.predict.verdict.text() == "Revealed: Backward: the mul gate sends ∂f/∂z = 3."
    assert explainer.walkthrough.backward_done == 2
    click(qtbot, explainer.predict.reveal_all_button)
    assert explainer.walkthrough.phase == DONE
    assert explainer.predict.score.text() == "Score: 3 of 7 right at the first try"
    assert explainer.check.row_texts("x")[2] == "−4"


def test_escape_gives_the_keys_back_and_turning_predict_off_steps_again(qtbot, explainer):
    explainer.predict_action.trigger()
    keys(qtbot, explainer, Qt.Key.Key_Escape)
    assert explainer.view.hasFocus()
    explainer.predict_action.trigger()
    assert not explainer.predict.isVisible()
    assert not any(t == "?" for t in explainer.view.shown_texts()["values"])
    keys(qtbot, explainer, Qt.Key.Key_F)
    assert explainer.walkthrough.forward_done == 1


def test_a_neuron_asks_everything_but_what_the_loss_sends(qtbot, trained_window):
    window = trained_window
    window.show_gate_graph(2, 0, 3)
    explainer = window.explainer
    explainer.predict_action.trigger()
    explainer.predict.reveal_all_button.click()
    assert explainer.walkthrough.phase == DONE
    gates = len(explainer.walkthrough.gates)
    inputs = sum(len(g.inputs) for g in explainer.walkthrough.gates)
    assert explainer.quiz.score == (0, gates + inputs)             # no question for the seed
    assert explainer.check.row_texts("w1")[-1].startswith("✓")


def test_a_new_graph_or_reset_starts_a_new_score(qtbot, explainer):
    explainer.predict_action.trigger()
    answer(qtbot, explainer, "3")
    assert explainer.quiz.score == (1, 1)
    click(qtbot, button(explainer, explainer.reset_action))
    assert explainer.quiz.score == (0, 0) and explainer.walkthrough.forward_done == 0
    explainer.show_preset("staged")
    assert explainer.predict.prompt.text() == "Forward: sigy = σ(y) = ?"


# -------------------------------------------------------------------- step back
def test_step_back_replays_without_reset(qtbot, explainer):
    staged(qtbot, explainer)
    walk = explainer.walkthrough
    keys(qtbot, explainer, *[Qt.Key.Key_F] * 3)
    keys(qtbot, explainer, (Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier))
    assert walk.forward_done == 2 and explainer.steps.count() == 2
    assert explainer.rule.text().startswith("add gate: x + sigy")
    keys(qtbot, explainer, *[Qt.Key.Key_F] * 6, *[Qt.Key.Key_B] * 8)   # all but σ(y)'s step
    assert walk.phase == BACKWARD
    x = next(leaf for leaf in walk.leaves if leaf.name == "x")
    assert explainer.view.total_text(x) == "dx = 1.55\n+= 0.512 → 2.06"   # its last branch
    assert explainer.check.row_texts("x")[2] == "2.06"
    keys(qtbot, explainer, (Qt.Key.Key_B, Qt.KeyboardModifier.ShiftModifier))
    assert explainer.view.total_text(x) == "dx = 1.58\n+= −0.0358 → 1.55"  # 0.512 taken back
    assert explainer.check.row_texts("x")[2] == ""
    assert explainer.steps.count() == 15
    keys(qtbot, explainer, Qt.Key.Key_B, Qt.Key.Key_B)
    assert explainer.view.total_text(x) == "∂f/∂x = 2.06" and walk.phase == DONE
    click(qtbot, button(explainer, explainer.back_action))
    assert len(walk.history) == 16 and explainer.steps.count() == 16 and walk.phase == BACKWARD
    for _ in range(16):
        click(qtbot, button(explainer, explainer.back_action))
    assert walk.history == [] and not explainer.back_action.isEnabled()


# ------------------------------------------------------------- the lecture's code
def test_the_staged_example_shows_the_lectures_code_and_follows_the_steps(qtbot, explainer):
    staged(qtbot, explainer)
    walk = explainer.walkthrough
    assert [g.label for g in walk.gates] == ["σ", "+", "σ", "+", "**2", "+", "1/x", "*"]
    code = explainer.code.toPlainText()
    for line in ("sigy = 1.0 / (1 + math.exp(-y))", "invden = 1.0 / den", "f = num * invden",
                 "dnum = invden", "dden = (-1.0 / (den**2)) * dinvden",
                 "dx += ((1 - sigx) * sigx) * dsigx", "dy += ((1 - sigy) * sigy) * dsigy"):
        assert line in code
    keys(qtbot, explainer, Qt.Key.Key_F)
    assert explainer.code.current_lines() == ["sigy = 1.0 / (1 + math.exp(-y))  # (1)"]
    keys(qtbot, explainer, *[Qt.Key.Key_F] * 7, Qt.Key.Key_B, Qt.Key.Key_B)
    assert explainer.code.current_lines() == ["# backprop (8): f = num * invden",
                                              "dnum = invden", "dinvden = num"]
    keys(qtbot, explainer, *[Qt.Key.Key_B] * 7)
    assert explainer.code.current_lines()[-1] == "dy += ((1 - sigy) * sigy) * dsigy"
    y = next(leaf for leaf in walk.leaves if leaf.name == "y")
    assert explainer.view.total_text(y) == "dy = 1.58\n+= 0.00905 → 1.59"   # the lecture's +=
    sigma_y = walk.gates[0]
    rule = explainer.rule.text().split("\n\n")[0]
    assert "σ(y)(1 − σ(y))" in rule and "σ(x)" not in rule
    assert "σ(y)" in explainer.view.node_item(sigma_y).toolTip()
    assert explainer.variable_box("x").value() == 3
    assert explainer.variables_area.names() == ["x", "y"]                # x first, as given


def test_a_value_used_twice_shows_its_running_sum_under_its_box(qtbot, explainer):
    explainer.show_preset("used-twice")
    explainer.view.setFocus()
    keys(qtbot, explainer, Qt.Key.Key_F, Qt.Key.Key_F, Qt.Key.Key_B, Qt.Key.Key_B)
    x = next(leaf for leaf in explainer.walkthrough.leaves if leaf.name == "x")
    assert explainer.view.total_text(x) == "dx = 1 so far"
    keys(qtbot, explainer, Qt.Key.Key_B)
    assert explainer.view.total_text(x) == "dx = 1\n+= −2 → −1"


# --------------------------------------------------------------------- formulas
def test_typing_a_formula_then_the_step_keys_steps_it(qtbot, explainer):
    edit = explainer.expression
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "x·y + z")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not edit.hasFocus()
    walk = explainer.walkthrough
    assert [leaf.name for leaf in walk.leaves] == ["x", "y", "z"]
    assert [g.op for g in walk.gates] == ["*", "+"]
    keys(qtbot, explainer, Qt.Key.Key_F, Qt.Key.Key_F, Qt.Key.Key_B)
    assert edit.text() == "x·y + z"                    # not "x·y + zffb"
    assert walk.phase == BACKWARD and walk.backward_done == 1
    box = explainer.variable_box("z")
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "2")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    keys(qtbot, explainer, Qt.Key.Key_F)
    walk = explainer.walkthrough                       # x, y kept from before: −2 · 5 + 2
    assert walk.forward_done == 1 and walk.output.data == -8


@pytest.mark.parametrize("text", ["x × y", "x*y"])
def test_times_signs_multiply(qtbot, explainer, text):
    assert explainer.show_expression(text, {"x": 2.0, "y": 5.0})
    assert explainer.walkthrough.output.data == 10


def test_a_variable_named_f_is_refused_with_a_clear_message(qtbot, explainer):
    before = explainer.walkthrough
    edit = explainer.expression
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "f * 2 + x")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert explainer.error.isVisible() and explainer.walkthrough is before
    assert "'f' is the output's name (∂f/∂f = 1), so it cannot be a variable" in \
        explainer.error.text()
    assert edit.hasFocus()                             # still there, to be corrected


def test_one_number_format_everywhere(qtbot, explainer):
    assert explainer.show_expression("x**1e9 * 0 + y * 1000 + 2.94423e-05 * y",
                                     {"x": 1.0, "y": -1.0})
    explainer.walkthrough.goto(explainer.walkthrough.total_steps)
    explainer.step_back()
    explainer.walkthrough.goto(explainer.walkthrough.total_steps)
    explainer._after_step()
    walk = explainer.walkthrough
    texts = explainer.view.shown_texts()
    shown = texts["values"] + texts["grads"] + [g.label for g in walk.gates]
    shown += explainer.check.row_texts("y") + [s.text for s in walk.history]
    shown += [explainer.view.total_text(leaf) for leaf in walk.leaves]
    shown = " ".join(shown)
    assert "**1e9" in shown and "−1000" in shown and "2.94e−5" in shown
    assert not re.search(r"e[+-]\d|e−0|\de\+", shown)


# -------------------------------------------------------- legend, labels, fit
def test_the_canvas_has_a_legend(explainer):
    legend = explainer.view.legend
    assert legend.isVisible()
    text = legend.text()
    assert "value" in text and "gradient" in text and "current gate" in text


def test_labels_are_readable_and_never_cut_or_on_a_gate(qtbot, explainer):
    explainer.show_preset("sigmoid-gates")
    explainer.walkthrough.goto(explainer.walkthrough.total_steps)
    explainer._after_step()
    view = explainer.view
    scale = view.transform().m11()
    assert scale >= MIN_SCALE
    label = view._wires[0][0].value
    pixels = label.font().pointSizeF() * scale * view.logicalDpiY() / 72
    window_text = explainer.font().pointSizeF() * explainer.logicalDpiY() / 72
    assert pixels >= window_text
    scene = view.sceneRect()
    for _node, text in view._sums:
        assert scene.contains(text.sceneBoundingRect()), text.text()
    gates = [view.node_item(g) for g in explainer.walkthrough.gates]
    for wire, *_ in view._wires:
        for item in (wire.value, wire.grad):
            assert not any(item.collidesWithItem(gate) for gate in gates), item.text()


def test_fit_to_view_shows_the_whole_graph(qtbot, explainer):
    explainer.resize(700, 600)
    explainer.show_preset("sigmoid-gates")
    view = explainer.view
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert not visible.contains(view.sceneRect())     # too wide to read whole: it scrolls
    view.setFocus()
    keys(qtbot, explainer, Qt.Key.Key_Z)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.adjusted(-1, -1, 1, 1).contains(QRectF(view.sceneRect()))


# ------------------------------------------------------------ notes and help
def test_copy_steps_as_markdown(qtbot, explainer):
    staged(qtbot, explainer)
    keys(qtbot, explainer, Qt.Key.Key_F)
    click(qtbot, button(explainer, explainer.copy_action))
    text = QGuiApplication.clipboard().text()
    assert text.startswith("## Staged computation\n")
    assert "17. *◀ backward* σ gate: local gradient σ(y)(1 − σ(y))" in text
    assert explainer.notice.text() == "Copied 17 steps as Markdown"
    assert explainer.walkthrough.forward_done == 1 and explainer.walkthrough.phase == FORWARD


def test_help_explains_the_tab(qtbot, trained_window):
    window = trained_window
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    entry = next(a for a in help_menu.actions() if a.text() == "The Backprop tab explained")
    entry.trigger()
    box = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.isVisible())
    assert box.windowTitle() == "The Backprop tab explained"
    assert "green" in box.text().lower() and "Shift+B" in box.text()
    box.close()


def test_the_explainer_takes_snapshots_like_any_view(qtbot, trained_window):
    window = trained_window
    window.show_gate_graph(1, 0, 2)
    window.driver.step_epoch()
    assert window.explainer._snapshot.epoch == 4
    assert window.explainer.use_current_weights()
    assert "at epoch 4" in window.explainer.neuron_title.text()
    assert window.explainer.point.index == 2
    assert not hasattr(window.explainer, "neuronUpdateRequested")


def test_tab_between_value_boxes_keeps_the_focus_where_it_goes(qtbot, explainer):
    assert explainer.show_expression("x + y", {"x": 1.0, "y": 2.0})
    x, y = explainer.variable_box("x"), explainer.variable_box("y")
    qtbot.waitUntil(y.isVisible)           # new boxes show on the next turn of the loop
    x.setFocus()
    qtbot.keyClick(x, Qt.Key.Key_Tab)
    assert y.hasFocus()


def test_after_enter_in_the_formula_box_space_reaches_the_window(qtbot, trained_window):
    window = trained_window
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    explainer = window.explainer
    edit = explainer.expression
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "x*y + z")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    focus = QApplication.focusWidget()
    qtbot.keyClick(focus, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.play_action.text() == "&Pause")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.play_action.text() == "&Play")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F)
    assert edit.text() == "x*y + z" and explainer.walkthrough.forward_done == 1
