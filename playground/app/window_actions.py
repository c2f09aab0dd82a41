"""The window's actions, toolbar and menus.

Every command has one QAction (text, shortcut, tip) that the menus, the toolbar and the
view bar share, so a key, a menu item and a button always do the same thing. Shortcuts are
window-wide: :mod:`playground.app.ui.keys` lets them through whatever has focus, except
in a text field being edited. The slots are the window's own methods (this module is the
window's, split off to keep each file short).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMainWindow

from playground.app.about import show_about
from playground.app.ui.icons import themed_icon
from playground.app.ui.theme import is_dark
from playground.app.ui.widgets import SteadyLabel
from playground.runner.pacing import SPEEDS


def make_action(window: QMainWindow, text: str, slot: Callable,
                shortcut: str | QKeySequence | list | None = None, tip: str = "",
                icon: str | None = None) -> QAction:
    """An action of the window; ``icon`` names one of :data:`playground.app.ui.icons.ICONS`."""
    action = QAction(text, window)
    if isinstance(shortcut, list):
        action.setShortcuts([QKeySequence(key) for key in shortcut])
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
    if icon is not None:
        action.setProperty("themed_icon", icon)
        action.setIcon(themed_icon(icon))
    action.triggered.connect(slot)
    return action


def refresh_icons(window: QMainWindow) -> None:
    """Redraw the toolbar icons in the current palette's colours (after a theme change)."""
    for action in window.findChildren(QAction):
        name = action.property("themed_icon")
        if name:
            action.setIcon(themed_icon(name))


def build_actions(window: QMainWindow) -> None:
    w, driver = window, window.driver
    w.play_action = make_action(w, "&Play", driver.toggle, "Space", "Start or pause training",
                                "play")
    w.step_epoch_action = make_action(w, "Step one &epoch",
                                      lambda: w.train_action(driver.step_epoch), "Ctrl+E",
                                      "Train exactly one epoch", "step_epoch")
    w.step_batch_action = make_action(w, "Step one &batch",
                                      lambda: w.train_action(driver.step_batch), "Ctrl+B",
                                      "Train on one minibatch", "step_batch")
    w.reset_action = make_action(w, "&Reset weights", w._reset, "Ctrl+R",
                                 "New random weights; history cleared", "reset")
    w.save_weights_action = make_action(w, "Save &weights (.npz)…", w._save_weights, None,
                                        "Save the network's weights as .npz")
    w.load_weights_action = make_action(w, "&Load weights (.npz)…", w._load_weights, None,
                                        "Load a network from a .npz weights file")
    w.quit_action = make_action(w, "&Quit", w.close, QKeySequence.StandardKey.Quit)
    w.undo_action = w.commands.undo_action
    w.redo_action = w.commands.redo_action
    w.select_none_action = make_action(w, "Select &none", lambda: w.editor.select(None),
                                       "Escape", "Clear the selection in the network")
    w.editor.remove_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    _edge_actions(w)
    w.add_layer_action = make_action(
        w, "Add &layer", lambda: w.editor.drops.add_part("layer"), None,
        "Insert a hidden layer after the selected one (or the last)")
    w.add_neuron_action = make_action(
        w, "Add &neuron", lambda: w.editor.drops.add_part("neuron"), None,
        "Add a neuron to the selected layer (or the last hidden one)")
    _view_actions(w)
    w.speed_box = QComboBox()
    w.speed_box.addItems(list(SPEEDS))
    w.speed_box.setCurrentText("Normal")
    w.speed_box.setToolTip("Training speed: Slow 5, Normal 30, Fast 300 epochs per second; "
                           "Max as fast as the machine allows")
    w.speed_box.currentTextChanged.connect(driver.set_speed)


def _edge_actions(w: QMainWindow) -> None:
    edges = QActionGroup(w)
    w.weight_edges_action = make_action(
        w, "Edges show &weights", lambda: w.set_edge_mode("weight"), "Ctrl+1",
        "Edges by weight: colour = sign, width = |w|")
    w.gradient_edges_action = make_action(
        w, "Edges show &gradients", lambda: w.set_edge_mode("gradient"), "Ctrl+2",
        "Edges by gradient: colour and width = running mean |∂L/∂w|, log scale")
    for action, short in ((w.weight_edges_action, "Weights"),
                          (w.gradient_edges_action, "Gradients")):
        action.setCheckable(True)
        action.setIconText(short)
        edges.addAction(action)
    w.weight_edges_action.setChecked(True)


def _view_actions(w: QMainWindow) -> None:
    scale = w.scale
    w.zoom_in_action = make_action(w, "Zoom &in", scale.zoom_in, ["Ctrl+=", "Ctrl++"],
                                   "Larger text and controls everywhere")
    w.zoom_out_action = make_action(w, "Zoom &out", scale.zoom_out, ["Ctrl+-"],
                                    "Smaller text and controls everywhere")
    w.zoom_reset_action = make_action(w, "&Actual size", scale.reset_zoom, "Ctrl+0",
                                      "Text and controls at their normal size")
    w.presentation_action = make_action(
        w, "&Presentation", w.set_presentation, "F11",
        "Full screen, larger text and thicker lines for a projector")
    w.presentation_action.setCheckable(True)
    w.side_column_action = make_action(
        w, "&Data and inspector column", w.side_column_visible, "Ctrl+Shift+D",
        "Show or hide the column on the left")
    w.output_column_action = make_action(
        w, "&Output column", w.output_column_visible, "Ctrl+Shift+O",
        "Show or hide the boundary, the readout and the curves on the right")
    for action in (w.side_column_action, w.output_column_action):
        action.setCheckable(True)
        action.setChecked(True)
    w.reset_layout_action = make_action(w, "&Reset column widths", w.reset_layout, None,
                                        "Both side columns shown, at their first-start widths")
    w.dark_action = QAction("&Dark theme", w, checkable=True)
    w.dark_action.setChecked(is_dark(QApplication.palette()))
    w.dark_action.toggled.connect(w._set_dark)


def build_toolbar(window: QMainWindow) -> None:
    bar = window.addToolBar("Training")
    bar.setObjectName("training_toolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (window.play_action, window.step_epoch_action, window.step_batch_action,
                   window.reset_action):
        bar.addAction(action)
    bar.addSeparator()
    bar.addWidget(QLabel(" Speed "))
    bar.addWidget(window.speed_box)
    bar.addSeparator()
    window.epoch_label = SteadyLabel("Epoch <b>8,888</b>")
    window.step_label = SteadyLabel("Step <b>88,888</b>")
    for label in (window.epoch_label, window.step_label):
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setContentsMargins(10, 0, 10, 0)
        bar.addWidget(label)
    window.toolbar = bar


def build_menus(window: QMainWindow) -> None:
    w = window
    menus = w.menuBar()
    file = menus.addMenu("&File")
    file.addActions([w.new_project_action, w.open_project_action])
    w.recent_menu = file.addMenu("Open &Recent")
    w.recent_menu.aboutToShow.connect(lambda: w.project_files.fill_recent(w.recent_menu))
    file.addActions([w.save_project_action, w.save_project_as_action])
    file.addSeparator()
    file.addActions([w.load_weights_action, w.save_weights_action])
    file.addSeparator()
    file.addActions([w.import_points_action, w.export_points_action])
    file.addSeparator()
    w.examples_menu = file.addMenu("&Examples")
    w.example_actions = w.examples.fill_menu(w.examples_menu)
    file.addSeparator()
    pictures = file.addMenu("Export &picture")
    pictures.addActions(w.picture_actions)
    file.addActions([w.export_python_action, w.export_torch_action])
    file.addSeparator()
    file.addAction(w.quit_action)
    edit = menus.addMenu("&Edit")
    edit.addActions([w.undo_action, w.redo_action])
    edit.addSeparator()
    edit.addActions([w.copy_experiment_action, w.paste_experiment_action])
    edit.addSeparator()
    edit.addActions([w.add_layer_action, w.add_neuron_action, w.editor.remove_action,
                     w.select_none_action])
    view = menus.addMenu("&View")
    view.addActions([w.weight_edges_action, w.gradient_edges_action])
    view.addSeparator()
    view.addActions([w.output_panel.show_test_action, w.output_panel.discretize_action,
                     w.output_panel.log_loss_action])
    view.addSeparator()
    view.addActions([w.side_column_action, w.output_column_action, w.reset_layout_action])
    view.addSeparator()
    view.addActions([w.zoom_in_action, w.zoom_out_action, w.zoom_reset_action,
                     w.presentation_action])
    view.addSeparator()
    view.addAction(w.dark_action)
    train = menus.addMenu("&Train")
    train.addActions([w.play_action, w.step_epoch_action, w.step_batch_action, w.reset_action])
    speed = train.addMenu("&Speed")
    group = QActionGroup(w)
    for name in SPEEDS:
        action = QAction(name, w, checkable=True)
        action.setChecked(name == w.speed_box.currentText())
        action.triggered.connect(lambda _=False, n=name: w.speed_box.setCurrentText(n))
        w.speed_box.currentTextChanged.connect(
            lambda text, a=action, n=name: a.setChecked(text == n))
        group.addAction(action)
        speed.addAction(action)
    help_menu = menus.addMenu("&Help")
    help_menu.addAction(make_action(w, "&How to read the pictures", w._show_legend_help))
    help_menu.addAction(w.explainer.help_action)
    help_menu.addAction(w.lesson_note_action)
    help_menu.addAction(make_action(w, "&About Neural Playground", lambda: show_about(w)))
