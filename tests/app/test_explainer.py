"""The Backprop tab driven as a student drives it: pick an example, step with the keys or the
buttons, type a formula, open a neuron from the network; then read what the tab shows."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QMenu, QToolButton

from playground.app.backprop.explainer import Explainer
from playground.app.backprop.gate_graph_view import GREEN
from playground.backprop.number_format import fmt
from playground.backprop.walkthrough import BACKWARD, DONE, FORWARD
from playground.core import edits


@pytest.fixture
def explainer(qtbot, show_active):
    widget = Explainer()
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    return show_active(widget)


@pytest.fixture
def window(trained_window):
    return trained_window


def press(qtbot, widget, key, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(widget.view, key)


def finish(qtbot, widget) -> None:
    """Both passes, with the keys."""
    widget.view.setFocus()
    gates = len(widget.walkthrough.gates)
    press(qtbot, widget, Qt.Key.Key_F, gates)
    press(qtbot, widget, Qt.Key.Key_B, gates + 1)
    assert widget.walkthrough.phase == DONE


def button(widget, action) -> QToolButton:
    return next(b for b in widget.findChildren(QToolButton) if b.defaultAction() is action)


def choose_example(qtbot, widget, title: str) -> None:
    """Pick an entry of the example box with the keyboard, as a user would."""
    box = widget.example
    box.setFocus()
    target = box.findText(title)
    key = Qt.Key.Key_Down if target > box.currentIndex() else Qt.Key.Key_Up
    while box.currentIndex() != target:
        qtbot.keyClick(box, key)


def test_the_tab_opens_on_the_lectures_first_example_and_gives_nothing_away(explainer):
    assert explainer.example.currentText() == "(x + y)·z"
    assert explainer.expression.text() == "q = x + y; f = q * z"   # the lecture's own code
    assert explainer.walkthrough.phase == FORWARD
    texts = explainer.view.shown_texts()
    assert set(filter(None, texts["values"])) == {"−2", "−4", "5"}  # only the inputs so far
    assert not any(texts["grads"])
    assert explainer.rule.text().startswith("The lecture's first circuit")
    assert "−12" not in explainer.rule.text() and "−4 to both" not in explainer.rule.text()
    for name in "xyz":
        assert explainer.check.row_texts(name)[2:] == ["", "", ""]
    assert explainer.progress.text() == "forward 0/2 · backward 0/2"
    assert not explainer.backward_action.isEnabled()
    assert explainer.code.current_lines() == []


def test_stepping_add_mul_with_the_keys_shows_the_lectures_numbers(qtbot, explainer):
    press(qtbot, explainer, Qt.Key.Key_F)
    assert explainer.rule.text() == "add gate: x + y = −2 + 5 = 3"
    assert "3" in explainer.view.shown_texts()["values"]
    press(qtbot, explainer, Qt.Key.Key_F)
    assert explainer.rule.text() == "mul gate: q·z = 3 · (−4) = −12"
    assert explainer.view.shown_texts()["values"][-1] == "−12"  # on the wire out to f
    assert not explainer.forward_action.isEnabled() and explainer.backward_action.isEnabled()
    press(qtbot, explainer, Qt.Key.Key_B)
    assert explainer.view.shown_texts()["grads"][-1] == "1"
    press(qtbot, explainer, Qt.Key.Key_B)
    assert explainer.rule.text() == (
        "mul gate swaps its inputs: ∂f/∂q = z · upstream = −4 · 1 = −4; "
        "∂f/∂z = q · upstream = 3 · 1 = 3.")
    press(qtbot, explainer, Qt.Key.Key_B)
    assert explainer.rule.text().startswith("add gate distributes")
    walk = explainer.walkthrough
    x, y, z = (next(leaf for leaf in walk.leaves if leaf.name == n) for n in "xyz")
    assert explainer.view.total_text(x) == "∂f/∂x = −4"
    assert explainer.view.total_text(y) == "∂f/∂y = −4"
    assert explainer.view.total_text(z) == "∂f/∂z = 3"
    assert walk.phase == DONE and not explainer.backward_action.isEnabled()
    assert explainer.steps.count() == 5
    assert explainer.progress.text() == "forward 2/2 · backward 2/2"
    assert "Both passes done. f = −12." in explainer.rule.text()  # the summary comes last


def test_the_gate_being_processed_is_ringed(qtbot, explainer):
    press(qtbot, explainer, Qt.Key.Key_F)
    gate = explainer.walkthrough.current
    ringed = explainer.view.node_item(gate).pen().widthF()
    other = explainer.view.node_item(explainer.walkthrough.output).pen().widthF()
    assert ringed > other


def test_buttons_and_reset(qtbot, explainer):
    qtbot.mouseClick(button(explainer, explainer.forward_action), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(explainer, explainer.forward_action), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(explainer, explainer.backward_action), Qt.MouseButton.LeftButton)
    assert explainer.walkthrough.phase == BACKWARD
    qtbot.mouseClick(button(explainer, explainer.reset_action), Qt.MouseButton.LeftButton)
    assert explainer.walkthrough.phase == FORWARD and explainer.steps.count() == 0
    assert not any(explainer.view.shown_texts()["grads"])


def test_play_runs_both_passes_and_stops(qtbot, explainer):
    explainer.speed.setCurrentText("fast")
    qtbot.keyClick(explainer.view, Qt.Key.Key_P)
    assert explainer.play_action.text() == "Pause"
    qtbot.waitUntil(lambda: explainer.walkthrough.phase == DONE, timeout=5000)
    assert explainer.play_action.text() == "Play"
    assert explainer.check.row_texts("x")[2] == "−4"


def test_leaving_the_tab_pauses_play(qtbot, explainer):
    qtbot.keyClick(explainer.view, Qt.Key.Key_P)
    explainer.hide()
    assert explainer.play_action.text() == "Play"


@pytest.mark.parametrize("title, numbers", [
    ("Sigmoid neuron, gate by gate", {"x0": "0.393", "x1": "−0.59", "w0": "−0.197",
                                      "w1": "−0.393", "w2": "0.197"}),
    ("Sigmoid neuron, one σ gate", {"x0": "0.393", "x1": "−0.59", "w2": "0.197"}),
    ("Add, mul and max gates", {"x": "−8", "y": "6", "z": "2", "w": "0"}),
    ("A value used twice", {"x": "−1", "y": "3"}),
])
def test_every_preset_ends_with_the_lectures_gradients(qtbot, explainer, title, numbers):
    choose_example(qtbot, explainer, title)
    assert explainer.example.currentText() == title
    explainer.view.setFocus()
    steps = 2 * len(explainer.walkthrough.gates) + 1
    press(qtbot, explainer, Qt.Key.Key_F, len(explainer.walkthrough.gates))
    press(qtbot, explainer, Qt.Key.Key_B, steps)
    for leaf in explainer.walkthrough.leaves:
        if leaf.name in numbers:
            assert explainer.view.total_text(leaf).split()[-1] == numbers[leaf.name]


def test_the_numeric_check_fills_in_as_backward_reaches_each_input(qtbot, explainer):
    choose_example(qtbot, explainer, "Staged computation")
    explainer.view.setFocus()
    walk = explainer.walkthrough
    press(qtbot, explainer, Qt.Key.Key_F, len(walk.gates))
    assert explainer.check.row_texts("x") == ["x", "3", "", "", ""]   # nothing before backward
    press(qtbot, explainer, Qt.Key.Key_B, len(walk.gates))           # all but σ(y)'s step
    assert explainer.check.row_texts("x") == ["x", "3", "2.06", "2.06", "✓ 2e−11"]
    assert explainer.check.row_texts("y") == ["y", "−4", "", "", ""]  # y still collecting
    press(qtbot, explainer, Qt.Key.Key_B)
    cells = explainer.check.row_texts("y")
    assert cells[:4] == ["y", "−4", "1.59", "1.59"] and cells[4].startswith("✓")
    backprop, numeric = (explainer.check.item(1, c).toolTip() for c in (2, 3))
    assert float(backprop) == pytest.approx(float(numeric), rel=1e-8)   # every digit on hover
    assert float(backprop) == pytest.approx(1.59223, abs=1e-5)
    assert "x feeds three gates" in explainer.steps.item(explainer.steps.count() - 2).text()


def test_typing_an_expression_draws_it_and_asks_for_its_values(qtbot, explainer):
    choose_example(qtbot, explainer, "Your own expression…")
    edit = explainer.expression
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "x * y + x")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert [leaf.name for leaf in explainer.walkthrough.leaves] == ["x", "y"]
    for name, value in (("x", "3"), ("y", "-2")):
        box = explainer.variable_box(name)
        box.setFocus()
        box.lineEdit().selectAll()
        qtbot.keyClicks(box, value)
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert explainer.walkthrough.output.data == -3.0
    assert explainer.expression.text() == "x * y + x"
    explainer.view.setFocus()
    press(qtbot, explainer, Qt.Key.Key_F, 2)
    press(qtbot, explainer, Qt.Key.Key_B, 3)
    assert explainer.check.row_texts("x")[2] == "−1"
    assert explainer.rule.text().endswith(
        "x feeds two gates, so its gradients add up: dx = 1, += −2 → −1.")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "x * q")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert explainer.variable_box("x").value() == 3.0  # kept from before
    assert explainer.variable_box("q").value() == 1.0  # a new variable starts at 1


@pytest.mark.parametrize("text, points_at", [
    ("__import__('os').system('ls')", "attribute access"),
    ("open('/etc/passwd')", "unknown function 'open'"),
    ("x.real + 1", "attribute access"),
    ("x[0]", "subscript"),
    ("(lambda: 1)()", "lambda"),
    ("'a' + x", "string"),
    ("x +", "syntax error"),
    ("x" + " + x" * 200, "too long"),
])
def test_refused_expressions_say_why_and_keep_the_graph(qtbot, explainer, text, points_at):
    before = explainer.walkthrough
    edit = explainer.expression
    edit.setFocus()
    edit.selectAll()
    edit.insert(text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert explainer.error.isVisible()
    assert points_at in explainer.error.text()
    assert explainer.walkthrough is before
    explainer.show_preset("add-mul")
    assert not explainer.error.isVisible()


def test_a_gate_that_cannot_be_computed_is_refused_with_its_reason(qtbot, explainer):
    assert not explainer.show_expression("log(x - 2)", {"x": 1.0})
    assert "log(−1" in explainer.error.text()


def menu_action(menu: QMenu, text: str):
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def test_show_as_gate_graph_opens_the_neuron_and_matches_the_network(qtbot, window):
    view = window.network_view
    menu = window.editor.menus.menu_at(view.node_center(2, 3))
    action = menu_action(menu, "Show as gate graph")
    assert action.isVisible()
    action.trigger()
    assert window.tabs.currentWidget() is window.backprop
    explainer = window.explainer
    assert explainer.isVisible()
    assert "Layer 2, neuron 4 (tanh)" in explainer.neuron_title.text()
    assert explainer.view._output_name.text() == "a → L"  # the wire out is the neuron's a
    assert explainer.example.currentIndex() == -1
    picker = explainer.point
    assert picker.spin.maximum() == len(window.session.trainer.y)  # a number, not a list
    picker.spin.setFocus()
    for _ in range(4):
        qtbot.keyClick(picker.spin, Qt.Key.Key_Up)
    assert picker.index == 4 and picker.spin.text() == f"#5 of {picker.spin.maximum()}"
    x1, x2 = window.session.trainer.X[4]
    label = "class 1" if window.session.trainer.y[4] else "class 0"
    assert picker.where.text() == f"({fmt(x1)}, {fmt(x2)}), {label}"
    assert picker.slider.value() == 5
    explainer.view.setFocus()
    walk = explainer.walkthrough
    press(qtbot, explainer, Qt.Key.Key_F, len(walk.gates))
    press(qtbot, explainer, Qt.Key.Key_B, len(walk.gates) + 1)
    assert walk.phase == DONE

    trainer, net = window.session.trainer, window.session.net
    X, y = trainer.X[4:5], trainer.y[4:5]
    assert walk.output.data == pytest.approx(net.layer_outputs(X)[1][0, 3], abs=1e-12)
    _, grads = net.loss_and_grads(X, y)
    leaves = {leaf.name: leaf.grad for leaf in walk.leaves}
    np.testing.assert_allclose([leaves[f"w{i + 1}"] for i in range(12)], grads["W2"][:, 3],
                               atol=1e-9)
    assert leaves["b"] == pytest.approx(grads["b2"][3], abs=1e-9)
    cells = explainer.check.row_texts("w1")
    assert cells[-1].startswith("✓") and cells[2] == cells[4]  # backprop beside network


def test_the_inspector_button_opens_an_output_neuron(qtbot, window):
    from playground.app.ui.selection import Selection

    window.editor.select(Selection(3, 1))
    qtbot.mouseClick(window.inspector.graph_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.backprop
    graph = window.explainer.neuron_graph
    assert graph.title == "Output neuron 2 (linear)"
    assert "∂L/∂output" in window.explainer.rule.text()


def test_the_vector_view_tab_follows_the_network(qtbot, window):
    window.tabs.setCurrentWidget(window.backprop)
    window.backprop.setCurrentWidget(window.vector_view)
    window.driver.step_epoch()
    assert window.vector_view.layer_view.result is not None
    assert window.vector_view.layer_view.result.W.shape == (2, 12)


def test_a_dark_palette_redraws_the_graph_in_it(qtbot, explainer):
    press(qtbot, explainer, Qt.Key.Key_F)
    dark = QPalette(explainer.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1f1f22"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
    explainer.setPalette(dark)
    view = explainer.view
    assert view.backgroundBrush().color() == QColor("#1f1f22")
    wire = next(w for w, *_ in view._wires if w.value.text())
    assert wire.value.brush().color() == QColor(GREEN[True])
    assert not view.viewport().grab().isNull()


def test_use_current_weights_follows_training_and_removed_neurons(qtbot, window):
    window.show_gate_graph(1, 2)
    explainer = window.explainer
    before = explainer.neuron_graph.values["w1"]
    assert "at epoch 3" in explainer.neuron_title.text()
    window.driver.step_epoch()
    qtbot.mouseClick(explainer.update_button, Qt.MouseButton.LeftButton)
    assert "at epoch 4" in explainer.neuron_title.text()
    assert explainer.neuron_graph.values["w1"] != before
    assert explainer.neuron_graph.values["w1"] == window.session.net.params["W1"][0, 2]
    shown = explainer.walkthrough
    window.session.perform(edits.remove_neuron(1, 2))
    window.driver.publish()
    qtbot.mouseClick(explainer.update_button, Qt.MouseButton.LeftButton)
    assert "changed shape" in explainer.error.text() and explainer.error.isVisible()
    assert explainer.walkthrough is shown  # not silently another neuron in its place
    window.show_gate_graph(1, 40)
    assert "no longer" in window.statusBar().currentMessage()


def test_alt_k_and_alt_w_switch_tabs(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is window.backprop
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentIndex() == 0


def test_many_variables_scroll_and_any_number_can_be_typed(qtbot, explainer):
    text = " + ".join(f"v{k}" for k in range(40))
    assert explainer.show_expression(text)
    assert explainer.minimumSizeHint().width() < 1200  # the row scrolls instead
    for typed, value in (("1e-05", 1e-5), ("2.5e9", 2.5e9), ("-0,25", -0.25)):
        box = explainer.variable_box("v3")  # a new graph makes new boxes
        box.setFocus()
        box.lineEdit().selectAll()
        qtbot.keyClicks(box, typed)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        assert explainer.variable_box("v3").value() == pytest.approx(value)
        leaf = next(leaf for leaf in explainer.walkthrough.leaves if leaf.name == "v3")
        assert leaf.data == pytest.approx(value)


def test_a_step_outside_the_domain_says_there_is_no_numeric_estimate(qtbot, explainer):
    assert explainer.show_expression("log(x - 0.99999)", {"x": 1.0})
    finish(qtbot, explainer)
    cells = explainer.check.row_texts("x")
    assert cells[3] == "n/a" and cells[-1] == "n/a"


def test_a_kink_is_named_not_failed(qtbot, explainer):
    assert explainer.show_expression("relu(x) * y", {"x": 0.0, "y": 2.0})
    finish(qtbot, explainer)
    assert explainer.check.row_texts("x")[-1] == "kink"


def test_a_deep_formula_draws(qtbot, explainer):
    assert explainer.show_expression("-" * 90 + "x", {"x": 2.0})
    assert len(explainer.walkthrough.gates) == 90
    finish(qtbot, explainer)
    assert explainer.check.row_texts("x")[2] == "1"


def test_the_explainer_benchmark_runs(qtbot):
    from playground.bench.gui import explainer_ms

    opened, slowest = explainer_ms(units=4, activation="tanh")
    assert opened > 0 and slowest > 0
