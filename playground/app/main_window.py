"""The main window: data on the left, the network in the middle, what it outputs on the right.

It owns one Session and one TrainingDriver, turns the panels' requests into the session's one
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

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground import __version__
from playground.app.backprop.explainer import Explainer
from playground.app.backprop.vector_view import VectorView
from playground.app.commands import REFUSALS, EditCommands
from playground.app.driver import SPEEDS, TrainingDriver
from playground.app.network.editor import NetworkEditor
from playground.app.network.palette import Palette
from playground.app.network.view import NetworkView
from playground.app.panels.architecture import ArchitecturePanel
from playground.app.panels.data import DataPanel
from playground.app.panels.hyperparameters import HyperPanel
from playground.app.panels.inspector import Inspector
from playground.app.panels.output import OutputPanel
from playground.app.ui.banner import Banner
from playground.app.ui.numbers import format_number
from playground.app.ui.theme import apply_theme, is_dark
from playground.app.ui.throttle import Throttle
from playground.core.session import Session
from playground.core.snapshot import Snapshot

WEIGHTS_FILTER = "Network weights (*.npz)"


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Neural Playground")
        self.session = session or Session()
        self.driver = TrainingDriver(self.session, self)
        self.commands = EditCommands(self.driver, self)
        self._last_snapshot: Snapshot | None = None

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
        self._build_actions()
        self._build_layout()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self._connect()

        self._fit_to_screen()
        self.driver.publish()

    # --------------------------------------------------------------- building
    def _build_view_bar(self) -> QWidget:
        """Above the network: the palette to drag from, and the edge mode toggle."""
        bar = QWidget()
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(QLabel("Drag into the network:"))
        layout.addWidget(self.palette)
        layout.addStretch(1)
        layout.addWidget(QLabel("Edges:"))
        for action in (self.weight_edges_action, self.gradient_edges_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            layout.addWidget(button)
        return bar

    def _build_layout(self) -> None:
        self._view_bar = self._build_view_bar()
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(4, 0, 4, 0)
        center_layout.setSpacing(4)
        center_layout.addWidget(self.hyper_panel)
        center_layout.addWidget(self.architecture)
        center_layout.addWidget(self._view_bar)
        center_layout.addWidget(self.network_view, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.data_panel)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        left_layout.addWidget(line)
        left_layout.addWidget(self.inspector, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.output_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        network_page = QWidget()
        page_layout = QVBoxLayout(network_page)
        page_layout.setContentsMargins(0, 4, 0, 0)
        page_layout.addWidget(self.splitter)
        self.backprop = QTabWidget()
        self.backprop.setDocumentMode(True)
        self.backprop.addTab(self.explainer, "Gate graph")
        self.backprop.addTab(self.vector_view, "Vector view: one layer")
        self.backprop.setTabToolTip(0, "One gate at a time: forward values, then gradients")
        self.backprop.setTabToolTip(1, "One dense layer on a batch: the shapes of X, W, S and "
                                       "of every gradient")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(network_page, "Net&work")  # Alt+W, Alt+K: letters no label uses
        self.tabs.addTab(self.backprop, "Bac&kprop")
        self.tabs.setTabToolTip(0, "Build the network, train it, watch it learn")
        self.tabs.setTabToolTip(1, "The lecture's computational graphs, stepped through gate "
                                   "by gate")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(body)

    def _action(self, text: str, slot: Callable, shortcut: str | QKeySequence | None = None,
                tip: str = "", icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString()})" if shortcut else tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.play_action = self._action("&Play", self.driver.toggle, "Space",
                                        "Start or pause training", sp.SP_MediaPlay)
        self.step_epoch_action = self._action("Step one &epoch", self.driver.step_epoch,
                                              "Ctrl+E", "Train exactly one epoch",
                                              sp.SP_MediaSeekForward)
        self.step_batch_action = self._action("Step one &batch", self.driver.step_batch,
                                              "Ctrl+B", "Train on one minibatch",
                                              sp.SP_MediaSkipForward)
        self.reset_action = self._action("&Reset weights", self._reset, "Ctrl+R",
                                         "New random weights; history cleared",
                                         sp.SP_BrowserReload)
        self.save_weights_action = self._action("&Save weights…", self._save_weights,
                                                QKeySequence.StandardKey.Save,
                                                "Save the network's weights as .npz")
        self.load_weights_action = self._action("&Load weights…", self._load_weights,
                                                QKeySequence.StandardKey.Open,
                                                "Load a network from a .npz weights file")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self.commands.undo_action
        self.redo_action = self.commands.redo_action
        edges = QActionGroup(self)
        self.weight_edges_action = self._action(
            "Edges show &weights", lambda: self.set_edge_mode("weight"), "Ctrl+1",
            "Edges by weight: colour = sign, width = |w|")
        self.gradient_edges_action = self._action(
            "Edges show &gradients", lambda: self.set_edge_mode("gradient"), "Ctrl+2",
            "Edges by gradient: colour and width = running mean |∂L/∂w|, log scale")
        for action, short in ((self.weight_edges_action, "Weights"),
                              (self.gradient_edges_action, "Gradients")):
            action.setCheckable(True)
            action.setIconText(short)
            edges.addAction(action)
        self.weight_edges_action.setChecked(True)
        self.add_layer_action = self._action(
            "Add &layer", lambda: self.editor.drops.add_part("layer"), None,
            "Insert a hidden layer after the selected one (or the last)")
        self.add_neuron_action = self._action(
            "Add &neuron", lambda: self.editor.drops.add_part("neuron"), None,
            "Add a neuron to the selected layer (or the last hidden one)")
        self.dark_action = QAction("&Dark theme", self, checkable=True)
        self.dark_action.setChecked(is_dark(QApplication.palette()))
        self.dark_action.toggled.connect(self._set_dark)
        self.speed_box = QComboBox()
        self.speed_box.addItems(list(SPEEDS))
        self.speed_box.setCurrentText("Normal")
        self.speed_box.setToolTip("Training speed: Slow 5, Normal 30, Fast 300 epochs per "
                                  "second; Max as fast as the machine allows")
        self.speed_box.currentTextChanged.connect(self.driver.set_speed)

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Training")
        bar.setObjectName("training_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.play_action, self.step_epoch_action, self.step_batch_action,
                       self.reset_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Speed "))
        bar.addWidget(self.speed_box)
        bar.addSeparator()
        self.epoch_label = QLabel()
        self.step_label = QLabel()
        for label in (self.epoch_label, self.step_label):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(10, 0, 10, 0)
            bar.addWidget(label)
        self._show_counters(0, 0)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file = menus.addMenu("&File")
        file.addActions([self.load_weights_action, self.save_weights_action])
        file.addSeparator()
        file.addAction(self.quit_action)
        edit = menus.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.add_layer_action, self.add_neuron_action,
                         self.editor.remove_action])
        view = menus.addMenu("&View")
        view.addActions([self.weight_edges_action, self.gradient_edges_action])
        view.addSeparator()
        view.addActions([self.output_panel.show_test_action, self.output_panel.discretize_action,
                         self.output_panel.log_loss_action])
        view.addSeparator()
        view.addAction(self.dark_action)
        train = menus.addMenu("&Train")
        train.addActions([self.play_action, self.step_epoch_action, self.step_batch_action,
                          self.reset_action])
        speed = train.addMenu("&Speed")
        group = QActionGroup(self)
        for name in SPEEDS:
            action = QAction(name, self, checkable=True)
            action.setChecked(name == self.speed_box.currentText())
            action.triggered.connect(lambda _=False, n=name: self.speed_box.setCurrentText(n))
            self.speed_box.currentTextChanged.connect(
                lambda text, a=action, n=name: a.setChecked(text == n))
            group.addAction(action)
            speed.addAction(action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self._action("&How to read the pictures", self._show_legend_help))
        help_menu.addAction(self._action("&About Neural Playground", self._show_about))

    def _build_status_bar(self) -> None:
        self.rate_label = QLabel("paused")
        self.statusBar().addPermanentWidget(self.rate_label)

    def _connect(self) -> None:
        d = self.driver
        d.snapshotReady.connect(self._show_snapshot)
        d.runningChanged.connect(self._running_changed)
        d.diverged.connect(self._diverged)
        d.rateChanged.connect(lambda rate: self.rate_label.setText(f"{rate:,.0f} steps/s"))
        self.data_panel.changed.connect(self.configure)
        self.data_panel.regenerateRequested.connect(self._regenerate)
        self.hyper_panel.changed.connect(self.configure)
        self.architecture.editRequested.connect(self.commands.perform)
        self.inspector.editRequested.connect(self.commands.perform)
        self.inspector.gateGraphRequested.connect(self.network_view.gateGraphRequested)
        self.inspector.remove_button.setDefaultAction(self.editor.remove_action)
        self.editor.selectionChanged.connect(self.inspector.set_selection)
        self.palette.partActivated.connect(self.editor.drops.add_part)
        for source in (self.editor.message, self.commands.failed):
            source.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.network_view.neuronHovered.connect(self.output_panel.show_neuron)
        self.network_view.gateGraphRequested.connect(self.show_gate_graph)
        self.explainer.neuronUpdateRequested.connect(
            lambda: self.explainer.update_neuron(self._last_snapshot))
        self.banner.actionTriggered.connect(self._banner_action)
        self.output_panel.loss_plot.restoreRequested.connect(self.restore)

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(1500, int(screen.width() * 0.95)), min(920, int(screen.height() * 0.92)))
        self.splitter.setSizes([270, 760, 470])

    # --------------------------------------------------------------- reacting
    def _show_snapshot(self, snap: Snapshot) -> None:
        self._last_snapshot = snap
        for view in (self.commands, self.data_panel, self.hyper_panel, self.architecture,
                     self.network_view, self.inspector, self.output_panel, self.vector_view):
            view.show_snapshot(snap)
        self._show_counters(snap.epoch, snap.step)

    def _show_counters(self, epoch: int, step: int) -> None:
        self.epoch_label.setText(f"Epoch <b>{epoch:,}</b>")
        self.step_label.setText(f"Step <b>{step:,}</b>")

    def _running_changed(self, running: bool) -> None:
        sp = QStyle.StandardPixmap
        self.play_action.setText("&Pause" if running else "&Play")
        self.play_action.setIcon(self.style().standardIcon(sp.SP_MediaPause if running
                                                           else sp.SP_MediaPlay))
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
        self.driver.reset()

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

    def _show_about(self) -> None:
        QMessageBox.about(
            self, "About Neural Playground",
            f"<p><b>Neural Playground {__version__}</b></p><p>Build a fully connected "
            "network, train it on 2D data and watch backpropagation work.</p>"
            "<p>After the CS231n lecture on backpropagation.</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.driver.stop()
        for throttle in self.findChildren(Throttle):
            throttle.cancel()
        super().closeEvent(event)
