"""The main window: data on the left, the network in the middle, what it outputs on the right.

It owns one driver (the session behind it trains in a process of its own, or in the window's
thread for tests), turns the panels' requests into the session's one
validated call for each kind of change (always through the driver, so they land between
training steps) and hands every snapshot to every view. Network edits from the editor, the
inspector and the architecture panel are requests the core keeps an undo history of; a change
that reshapes the network outside it (features, classes, loss, loading weights) clears it. A
second tab holds the backprop explainer, which a neuron's "Show as gate graph" opens on that
neuron. It draws nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QWidget

from playground.app.about import app_icon
from playground.app.backprop.explainer import Explainer
from playground.app.backprop.vector_view import VectorView
from playground.app.commands import EditCommands
from playground.app.driver import TrainingDriver
from playground.app.network.editor import NetworkEditor
from playground.app.network.palette import Palette
from playground.app.network.view import NetworkView
from playground.app.panels.architecture import ArchitecturePanel
from playground.app.panels.data import DataPanel
from playground.app.panels.hyperparameters import HyperPanel
from playground.app.panels.inspector import Inspector
from playground.app.panels.metric_plots import ThemedPlot
from playground.app.panels.output import OutputPanel
from playground.app.ui import window_state
from playground.app.ui.banner import Banner
from playground.app.ui.icons import themed_icon
from playground.app.ui.keys import WindowKeys
from playground.app.ui.numbers import format_number
from playground.app.ui.scale import UiScale
from playground.app.ui.theme import apply_theme
from playground.app.ui.throttle import Throttle
from playground.app.ui.widgets import SteadyLabel
from playground.app.window_actions import build_actions, build_menus, build_toolbar, refresh_icons
from playground.app.window_files import build_files
from playground.app.window_layout import build_body, crowded, default_column_widths
from playground.app.worker_driver import WorkerDriver
from playground.core.refusals import REFUSALS
from playground.core.session import Session
from playground.core.snapshot import Snapshot

WEIGHTS_FILTER = "Network weights (*.npz)"


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None, *, worker: bool = False) -> None:
        """``worker``: train in a process of the window's own (the app does); otherwise in
        the window's thread, where ``session`` stays reachable (tests use that)."""
        super().__init__()
        self.setWindowTitle("Neural Playground")
        self.setWindowIcon(app_icon())
        session = session or Session()
        self.session = None if worker else session
        self.driver = (WorkerDriver(session, self) if worker
                       else TrainingDriver(session, self))
        self.commands = EditCommands(self.driver, self)
        self._last_snapshot: Snapshot | None = None
        self._state_before_presenting = Qt.WindowState.WindowNoState
        self._side_hidden_for_room = False

        self.scale = UiScale(self)
        self.scale.apply()  # the remembered zoom, before any widget measures its text
        self.data_panel = DataPanel()
        self.hyper_panel = HyperPanel()
        self.architecture = ArchitecturePanel()
        self.network_view = NetworkView()
        self.editor = NetworkEditor(self.network_view, self.commands.perform)
        self.palette = Palette()
        self.inspector = Inspector()
        self.output_panel = OutputPanel()
        self.explainer = Explainer()
        self.vector_view = VectorView()
        self.banner = Banner()
        build_actions(self)
        build_body(self)
        build_files(self)
        build_toolbar(self)
        build_menus(self)
        self._show_counters(0, 0)
        self._build_status_bar()
        self._connect()
        self.keys = WindowKeys(self, owns=self._owns_field, home=lambda: self.network_view,
                               network_showing=self._network_showing)
        self._columns_restored = window_state.restore(self, self.splitter)
        self.columns_ready = False
        """True once the window is shown, inside the screen, its columns sized."""
        self.driver.publish()

    def _build_status_bar(self) -> None:
        self.rate_label = SteadyLabel("88,888 steps/s", "paused")
        self.statusBar().addPermanentWidget(self.rate_label)

    def _connect(self) -> None:
        d = self.driver
        d.snapshotReady.connect(self._show_snapshot)
        d.runningChanged.connect(self._running_changed)
        d.diverged.connect(self._diverged)
        d.rateChanged.connect(lambda rate: self.rate_label.setText(f"{rate:,.0f} steps/s"))
        d.problem.connect(self.banner.show_message)
        self.data_panel.changed.connect(self.configure)
        self.data_panel.regenerateRequested.connect(self._regenerate)
        self.hyper_panel.changed.connect(self.configure)
        self.architecture.editRequested.connect(self.commands.perform)
        self.inspector.editRequested.connect(self.commands.perform)
        self.inspector.gateGraphRequested.connect(self.network_view.gateGraphRequested)
        self.inspector.remove_button.setDefaultAction(self.editor.remove_action)
        self.editor.selectionChanged.connect(self.inspector.set_selection)
        self.editor.selectionChanged.connect(
            lambda selection: self.side.show_page(0 if selection is None else 1))
        self.palette.partActivated.connect(self.editor.drops.add_part)
        for source in (self.editor.message, self.commands.failed):
            source.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.network_view.neuronHovered.connect(self.output_panel.show_neuron)
        self.network_view.gateGraphRequested.connect(self.show_gate_graph)
        self.banner.actionTriggered.connect(self._banner_action)
        self.output_panel.loss_plot.restoreRequested.connect(self.restore)
        boundary = self.output_panel.boundary
        boundary.pointsEdited.connect(self.edit_points)
        boundary.pointActivated.connect(self.open_point)
        self.output_panel.draw_tools.clearRequested.connect(lambda: self.edit_points("clear", {}))
        self.scale.changed.connect(self._scale_changed)
        self._enable_zoom_actions()

    # --------------------------------------------------------------- reacting
    def snapshot(self) -> Snapshot | None:
        """The latest snapshot the views show."""
        return self._last_snapshot

    def _show_snapshot(self, snap: Snapshot) -> None:
        self._last_snapshot = snap
        for view in (self.commands, self.data_panel, self.hyper_panel, self.architecture,
                     self.network_view, self.inspector, self.output_panel, self.vector_view,
                     self.explainer):
            view.show_snapshot(snap)
        self._show_counters(snap.epoch, snap.step)

    def _show_counters(self, epoch: int, step: int) -> None:
        self.epoch_label.setText(f"Epoch <b>{epoch:,}</b>")
        self.step_label.setText(f"Step <b>{step:,}</b>")

    def _running_changed(self, running: bool) -> None:
        self.play_action.setText("&Pause" if running else "&Play")
        self.play_action.setProperty("themed_icon", "pause" if running else "play")
        self.play_action.setIcon(themed_icon("pause" if running else "play"))
        if running:
            self.banner.hide()
        else:
            self.rate_label.setText("paused")

    def _diverged(self, divergence) -> None:
        """Offer the way back: the newest checkpoint whose loss was sane, a lower rate, or
        new weights. The last finite weights stay on show until then."""
        snap = self._last_snapshot
        checkpoint = snap.checkpoints[-1] if snap is not None and snap.checkpoints else None
        actions = [("lower", "Learning rate ÷10", "Divide the learning rate by ten"),
                   ("reset", "Reset", "New random weights; history cleared")]
        text = (f"Training paused: {divergence.message}. The last finite weights are on "
                "show.")
        if checkpoint is not None:
            epoch, loss = checkpoint
            text += (f" Epoch {epoch:,} was the last with a sane loss "
                     f"({format_number(loss)}): restore it, lower the learning rate, then "
                     "press Play.")
            actions.insert(0, ("restore", f"Restore epoch {epoch:,}",
                               "Go back to those weights and their optimizer state"))
        self.banner.show_message(text, actions)

    def restore(self, epoch: int | None = None) -> bool:
        """Go back to a checkpoint's weights (the newest when None); says so in the banner."""
        try:
            epoch = self.driver.call("restore", epoch=epoch)
        except REFUSALS as exc:
            self.statusBar().showMessage(f"Not restored: {exc}", 6000)
            return False
        self.banner.show_message(
            f"The weights of epoch {epoch:,} are back. Lower the learning rate if it "
            "diverged, then press Play.",
            [("lower", "Learning rate ÷10", "Divide the learning rate by ten")])
        return True

    def _banner_action(self, key: str) -> None:
        if key == "restore":
            self.restore()
        elif key == "lower" and self._last_snapshot is not None:
            lr = self._last_snapshot.settings.lr / 10
            if self.configure({"lr": lr}):
                self.statusBar().showMessage(f"Learning rate {format_number(lr)}", 6000)
            if "restore" not in self.banner.buttons:
                self.banner.hide()
        elif key == "reset":
            self._reset()

    def configure(self, changes: dict) -> bool:
        """Change data or training settings; a refused change says why and changes nothing
        (the panels then show the settings the session kept). What had to follow (a loss
        these points cannot take) is said in the status bar."""
        try:
            notes = self.driver.call("configure", **changes)
        except REFUSALS as exc:
            self.statusBar().showMessage(f"Not changed: {exc}", 6000)
            self.driver.publish()
            return False
        if notes:
            text = "; ".join(notes)
            self.statusBar().showMessage(text[0].upper() + text[1:], 8000)
        return True

    def _regenerate(self) -> None:
        if self._last_snapshot is not None:
            self.configure({"seed": self._last_snapshot.data.seed + 1})

    def _reset(self) -> None:
        self.banner.hide()
        self.train_action(self.driver.reset)

    def train_action(self, act: Callable[[], object]) -> None:
        """Reset or a single step. If the training process has just died, the banner says
        so and the status bar asks to try again; nothing escapes into the event loop."""
        try:
            act()
        except REFUSALS as exc:
            self.statusBar().showMessage(f"Not done: {exc}", 6000)

    def edit_points(self, op: str, args: dict) -> bool:
        """Draw, erase or clear the user's own points (the session's ``edit_points``)."""
        try:
            self.driver.call("edit_points", op=op, **args)
        except REFUSALS as exc:
            self.statusBar().showMessage(f"Not changed: {exc}", 6000)
            return False
        return True

    def open_point(self, point: int) -> None:
        """Training point ``point`` in the Backprop tab: the selected neuron's gate graph
        there, or the first output's when no neuron is selected."""
        snap, selection = self._last_snapshot, self.editor.selection()
        if snap is None:
            return
        if selection is not None and selection.index is not None and selection.layer > 0:
            self.show_gate_graph(selection.layer, selection.index, point)
        else:
            self.show_gate_graph(len(snap.sizes) - 1, 0, point)

    def show_gate_graph(self, layer: int, index: int, point: int = 0) -> None:
        """Open the explainer on one neuron (layer 1-based, outputs last), as it is now."""
        snap = self._last_snapshot
        if snap is None:
            return
        if not (0 < layer < len(snap.sizes) and 0 <= index < snap.sizes[layer]):
            self.statusBar().showMessage("That neuron is no longer in the network", 6000)
            return
        self.tabs.setCurrentWidget(self.backprop)
        self.backprop.setCurrentWidget(self.explainer)
        self.explainer.show_neuron(snap, layer, index, point)

    def set_edge_mode(self, mode: str) -> None:
        """Edges by "weight" or by "gradient"; the menu and the toggle follow."""
        self.network_view.set_edge_mode(mode)
        action = self.gradient_edges_action if mode == "gradient" else self.weight_edges_action
        action.setChecked(True)

    def _set_dark(self, dark: bool) -> None:
        apply_theme(QApplication.instance(), "dark" if dark else "light")
        if self._last_snapshot is not None:
            self.driver.publish()

    # ------------------------------------------------------------ the window
    def set_presentation(self, on: bool) -> None:
        """Full screen with larger text and thicker lines (F11), or back as it was."""
        self.presentation_action.setChecked(on)
        if on and not self.isFullScreen():
            self._state_before_presenting = self.windowState()
            self.showFullScreen()
        elif not on and self.isFullScreen():
            self.setWindowState(self._state_before_presenting)
        self.scale.set_presenting(on)

    def side_column_visible(self, visible: bool, by_user: bool = True) -> None:
        if by_user:
            self._side_hidden_for_room = False
        self.side.setVisible(visible)
        self.side_column_action.setChecked(visible)

    def output_column_visible(self, visible: bool) -> None:
        self.output_column.setVisible(visible)
        self.output_column_action.setChecked(visible)

    def _scale_changed(self, _factor: float) -> None:
        self._enable_zoom_actions()
        for plot in self.findChildren(ThemedPlot):
            plot.apply_palette()  # line widths and title sizes follow the scale
        QTimer.singleShot(0, self, self._widen_columns)

    def _enable_zoom_actions(self) -> None:
        self.zoom_in_action.setEnabled(self.scale.can_zoom_in())
        self.zoom_out_action.setEnabled(self.scale.can_zoom_out())
        self.zoom_reset_action.setEnabled(self.scale.zoom != 1.0)

    def _widen_columns(self) -> None:
        """After a zoom: side columns at least as wide as their text now needs (a splitter
        enforces its columns' minimum widths only when it lays them out again). If the larger
        text leaves the network too little room, the data column makes room; it comes back
        when a smaller zoom leaves room for it."""
        room = window_state.available_area(self).width()
        if self.side.isVisible() and crowded(self, room):
            self._side_hidden_for_room = True
            self.side_column_visible(False, by_user=False)
            self.statusBar().showMessage("The data column is hidden to make room for the "
                                         "larger text: Ctrl+Shift+D shows it", 8000)
            self.splitter.setSizes(default_column_widths(self, self.splitter.width()))
        elif self._side_hidden_for_room and not crowded(self, room):
            self.side_column_visible(True)
            self.splitter.setSizes(default_column_widths(self, self.splitter.width()))
        else:
            self.splitter.setSizes(self.splitter.sizes())
        if not self.isFullScreen():
            window_state.fit_inside(self)

    def _owns_field(self, field: QWidget) -> bool:
        """The text fields whose Enter and Escape give the keys back to the network: those
        of the Network tab."""
        return self.network_page.isAncestorOf(field)

    def _network_showing(self) -> bool:
        return self.tabs.currentWidget() is self.network_page

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            refresh_icons(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window_state.after_show(self, self._size_columns)

    def _size_columns(self) -> None:
        """Once shown: on a first start, natural side columns and the rest to the network
        (a splitter only takes widths once it is laid out)."""
        if not self.columns_ready:
            self.columns_ready = True
            if not self._columns_restored:
                self.reset_layout()

    def reset_layout(self) -> None:
        """Both side columns shown, at the widths a first start gives them."""
        self.side_column_visible(True)
        self.output_column_visible(True)
        self.splitter.setSizes(default_column_widths(self, self.splitter.width()))

    # ------------------------------------------------------------------ files
    def _save_weights(self) -> None:
        start = str(Path(QSettings().value("last_dir", str(Path.home()))) / "network.npz")
        path, _ = QFileDialog.getSaveFileName(self, "Save weights", start, WEIGHTS_FILTER)
        if not path:
            return
        try:
            self.driver.call("save_weights", path=path)
        except OSError as exc:
            QMessageBox.warning(self, "Could not save weights", f"{path}: {exc.strerror}")
            return
        except REFUSALS as exc:  # the training process has just died: try again
            QMessageBox.warning(self, "Could not save weights", str(exc))
            return
        QSettings().setValue("last_dir", str(Path(path).parent))
        self.statusBar().showMessage(f"Weights saved to {path}", 5000)

    def _load_weights(self) -> None:
        start = str(QSettings().value("last_dir", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "Load weights", start, WEIGHTS_FILTER)
        if path:
            self.load_weights_file(path)

    def load_weights_file(self, path: str) -> bool:
        """Replace the network by the one in ``path``; on any problem, say so and keep ours
        (training as it was)."""
        running = self.driver.running
        self.driver.pause()
        try:
            message = self.driver.call("load_weights", path=path)
        except REFUSALS as exc:
            if running:
                self.driver.play()
            QMessageBox.warning(self, "Could not load weights", str(exc))
            return False
        self.statusBar().showMessage(message, 6000)
        return True

    # ------------------------------------------------------------------- help
    def _show_legend_help(self) -> None:
        QMessageBox.information(
            self, "How to read the pictures",
            "<p><b>Colours.</b> Orange is negative (and class 0), blue is positive (class 1), "
            "white is zero.</p><p><b>Edges</b> are weights: colour by sign, width by size. "
            "<i>View ▸ Edges show gradients</i> (Ctrl+2) draws the running mean |∂L/∂w| "
            "instead, purple to red on a log scale: pale early layers mean vanishing "
            "gradients.</p><p><b>A crossed-out neuron</b> is a dead ReLU: it outputs 0 for "
            "every training point, so it gets no gradient and never recovers.</p>"
            "<p><b>Small squares</b> show what each neuron outputs over the whole input "
            "plane; hover one to see it large.</p><p><b>The output plot</b> shows the "
            "decision boundary with the training points (filled) and test points "
            "(hollow).</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.project_files.maybe_save():
            event.ignore()
            return
        if self.recovery is not None:
            self.recovery.finish()
        if self.isFullScreen():
            self.set_presentation(False)
        window_state.save(self, self.splitter)
        self.driver.stop()
        for throttle in self.findChildren(Throttle):
            throttle.cancel()
        super().closeEvent(event)
