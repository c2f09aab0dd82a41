"""The window on the screens classrooms have: it opens inside the screen, remembers what the
user made of it, and at 1024 × 700 and 1280 × 720 every control of the Network tab shows
whole; selecting, a banner or another dataset moves nothing."""

from __future__ import annotations

import pytest
from layout_check import controls, layout_problems, shown_rect
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QWidget

from playground.app.main_window import MainWindow
from playground.app.ui import window_state
from playground.app.ui.selection import Selection
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings
from playground.data import DATASETS

SCREENS = [(1024, 700), (1280, 720)]


@pytest.fixture
def screen(monkeypatch):
    """``screen(w, h)``: pretend the available screen area is w × h at the origin."""
    def use(width: int, height: int) -> QRect:
        area = QRect(0, 0, width, height)
        monkeypatch.setattr(window_state, "available_area", lambda _window: area)
        return area
    return use


@pytest.fixture
def open_window(qtbot, show_active):
    """``open_window(dataset="spiral")``: a new window, shown, its columns sized."""
    def make(dataset: str = "spiral") -> MainWindow:
        win = MainWindow(Session(DataSettings(dataset=dataset)))
        qtbot.addWidget(win)
        show_active(win)
        qtbot.waitUntil(lambda: win.columns_ready)
        return win
    return make


@pytest.fixture
def sized_window(qtbot, open_window):
    """``sized_window(w, h)``: a window w × h inside, columns as a first start makes them."""
    def make(width: int, height: int, dataset: str = "spiral") -> MainWindow:
        win = open_window(dataset)
        win.resize(width, height)
        qtbot.waitUntil(lambda: win.size() == QSize(width, height))
        win.reset_layout()
        QApplication.processEvents()
        return win
    return make


def shows_whole(root: QWidget, window: QWidget) -> None:
    """Fails naming every control under ``root`` that is cut, squeezed or elided."""
    assert layout_problems(root, window) == []


def inside(rect: QRect, area: QRect) -> bool:
    return area.contains(rect)


# --------------------------------------------------------------- any screen
@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_start_fills_the_screen_and_no_more(qtbot, screen, open_window, size):
    area = screen(*size)
    win = open_window()
    assert inside(win.frameGeometry(), area)
    assert win.frameGeometry().size() == area.size()
    left, center, right = win.splitter.sizes()
    assert min(left, center, right) > 0
    assert center > left and center > right  # the network gets the room


def test_size_and_column_widths_are_remembered(qtbot, screen, open_window):
    screen(1280, 720)
    win = open_window()
    # Qt fits a restored width to the real (offscreen, 800 px) screen, so only the height is
    # free to change here: the narrowest the window goes is wider than that screen.
    size = QSize(win.minimumSizeHint().width(), 650)
    win.resize(size)
    qtbot.waitUntil(lambda: win.size() == size)
    sizes = win.splitter.sizes()
    sizes = [sizes[0] + 30, sizes[1] - 50, sizes[2] + 20]
    win.splitter.setSizes(sizes)
    sizes = win.splitter.sizes()
    win.close()
    again = open_window()
    assert again.size() == size
    assert again.splitter.sizes() == sizes


def test_a_size_saved_on_a_bigger_screen_is_fitted_to_this_one(qtbot, screen, open_window):
    screen(1600, 1000)
    win = open_window()
    assert win.width() > 1500
    win.close()
    area = screen(1024, 700)
    again = open_window()
    assert inside(again.frameGeometry(), area)


# ------------------------------------------------------- everything visible
@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_network_control_shows_whole(sized_window, size):
    win = sized_window(*size)
    assert layout_problems(win.network_page, win) == []
    seen = set(controls(win.network_page))
    must = [*win.data_panel.gallery.buttons.values(), *win.data_panel.feature_buttons.values(),
            win.data_panel.noise_slider, win.data_panel.ratio_slider, win.data_panel.classes_spin,
            win.data_panel.n_spin, win.data_panel.seed_spin, win.data_panel.regenerate_button,
            win.hyper_panel.lr, win.hyper_panel.optimizer, win.hyper_panel.batch,
            win.hyper_panel.loss, win.hyper_panel.reg, win.hyper_panel.reg_rate,
            win.hyper_panel.init, win.hyper_panel.dropout, win.hyper_panel.schedule,
            *[w for card in win.architecture.cards for w in (card.units, card.activation,
                                                             card.remove)],
            win.architecture.add_button, win.architecture.output, win.architecture.output_units,
            *win.palette.buttons.values(), *win.output_panel.checkboxes,
            *[stat.value for stat in win.output_panel.readout.stats.values()]]
    missing = [w for w in must if w not in seen]
    assert missing == []
    for area in (win.side.page_area(0), win.output_column):  # nothing behind a scroll bar
        assert not area.verticalScrollBar().isVisible()
    assert not win.architecture._scroll.horizontalScrollBar().isVisible()
    assert shown_rect(win.network_view, win).height() > 200  # the network keeps the room


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_inspector_shows_whole_for_a_neuron_and_a_layer(qtbot, sized_window, size):
    win = sized_window(*size)
    for selection in (Selection(1, 3), Selection(2, None), Selection(3, 0)):
        win.editor.select(selection)
        qtbot.waitUntil(lambda: win.inspector.title.isVisible())
        qtbot.waitUntil(lambda: shows_whole(win.network_page, win))


def test_a_long_initialiser_name_fits_its_box(qtbot, sized_window):
    win = sized_window(1024, 700)
    box = win.hyper_panel.init
    for index in range(box.count()):
        box.setCurrentIndex(index)
        assert layout_problems(win.hyper_panel, win) == []
    assert "TF Playground" in box.itemText(box.findData("uniform"))  # the list says it all


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)], ids=["1024x700", "1600x1000"])
def test_six_layer_cards_keep_the_output_card_in_view(qtbot, sized_window, size):
    win = sized_window(*size)
    for _ in range(4):
        win.commands.perform(edits.insert_layer(1, "tanh"))
    qtbot.waitUntil(lambda: len(win.architecture.cards) == 6)
    QApplication.processEvents()
    for widget in (win.architecture.output_card, win.architecture.output,
                   win.architecture.add_button):
        assert widget.isVisible()
        assert shown_rect(widget, win) == QRect(widget.mapTo(win, QPoint(0, 0)), widget.size())


# ------------------------------------------------------------ steady layout
def geometry_of(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)], ids=["tabs", "stacked"])
def test_selecting_moves_neither_the_columns_nor_the_network(qtbot, sized_window, size):
    win = sized_window(*size)
    sizes, view = win.splitter.sizes(), geometry_of(win.network_view, win)
    for selection in (Selection(1, 0), Selection(2, 5), Selection(3, 1), Selection(0, 1),
                      Selection(1, None), None):
        win.editor.select(selection)
        QApplication.processEvents()
        assert win.splitter.sizes() == sizes
        assert geometry_of(win.network_view, win) == view
    assert win.side.is_tabbed() == (size == (1024, 700))


def test_a_selection_turns_the_short_column_to_the_inspector(qtbot, sized_window):
    win = sized_window(1024, 700)
    assert win.side.is_tabbed() and win.data_panel.isVisible()
    win.editor.select(Selection(1, 2))
    qtbot.waitUntil(lambda: win.inspector.isVisible())
    assert not win.data_panel.isVisible()
    win.editor.select(None)
    qtbot.waitUntil(lambda: win.data_panel.isVisible())


def test_the_banner_floats_over_the_window(qtbot, sized_window):
    win = sized_window(1024, 700)
    before = {w: geometry_of(w, win) for w in (win.tabs, win.network_view, win.hyper_panel)}
    win.banner.show_message("Training paused: the loss became NaN at epoch 212 with learning "
                            "rate 3 (mean squared error, SGD). The last finite weights are "
                            "kept.", [("lower", "Lower learning rate ÷10", "")])
    qtbot.waitUntil(win.banner.isVisible)
    qtbot.waitUntil(lambda: shows_whole(win.banner, win))  # two lines, none cut
    assert win.banner.label.heightForWidth(win.banner.label.width()) > 20
    assert {w: geometry_of(w, win) for w in before} == before
    assert win.rect().contains(geometry_of(win.banner, win))


def test_cards_and_rows_keep_their_height_across_datasets(qtbot, sized_window):
    win = sized_window(1024, 700)
    heights = None
    for name in DATASETS:
        win.configure({"dataset": name})
        QApplication.processEvents()
        now = (win.architecture.height(), win.hyper_panel.height(), win.view_bar.height(),
               geometry_of(win.network_view, win))
        heights = heights or now
        assert now == heights, name


def test_side_columns_hide_and_come_back(qtbot, sized_window):
    win = sized_window(1024, 700)
    view = win.network_view.width()
    win.side_column_action.trigger()
    win.output_column_action.trigger()
    qtbot.waitUntil(lambda: win.network_view.width() > view + 400)
    assert not win.side.isVisible() and not win.output_column.isVisible()
    win.reset_layout()
    qtbot.waitUntil(lambda: win.side.isVisible() and win.output_column.isVisible())
    assert win.side_column_action.isChecked() and win.output_column_action.isChecked()


def test_added_layer_cards_use_the_room_there_is(qtbot, sized_window):
    win = sized_window(1600, 1000)
    for _ in range(2):
        win.commands.perform(edits.insert_layer(1, "tanh"))
    qtbot.waitUntil(lambda: len(win.architecture.cards) == 4)

    def all_cards_whole() -> None:
        for card in win.architecture.cards:
            assert card.isVisible() and shown_rect(card, win) == geometry_of(card, win)
        assert not win.architecture._scroll.horizontalScrollBar().isVisible()
    qtbot.waitUntil(all_cards_whole)


def test_no_tab_makes_the_window_wider_than_a_small_laptop(qtbot, open_window):
    """Every page of the window (the Backprop tab's included) fits 1024 px wide, so the
    window never has to open wider than a small laptop's screen."""
    win = open_window()
    assert win.minimumSizeHint().width() <= 1024
    backprop = win.tabs.widget(1)
    assert backprop.minimumSizeHint().width() <= win.tabs.widget(0).minimumSizeHint().width()
    assert win.minimumSizeHint().height() <= 700


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_neurons_map_title_fits_the_boundary_plot_and_moves_nothing(qtbot, sized_window,
                                                                      size):
    """Selecting a neuron titles the boundary plot with its name: at 1024 × 700 the title
    read "Layer 2, neuron 5 (tan" and pushed the data area off the plot's right edge."""
    win = sized_window(*size)
    boundary = win.output_panel.boundary
    plot = boundary.plot
    view = plot.plotItem.getViewBox()
    square = view.sceneBoundingRect()
    for layer, index in ((2, 4), (3, 0), (0, 1), (None, None)):
        win.output_panel.show_neuron(layer, index)
        QApplication.processEvents()
        label = plot.plotItem.titleLabel
        shown = label.item.toPlainText()
        assert shown == boundary.title, f"elided: {shown!r}"
        text = label.mapRectToScene(label.item.mapRectToParent(label.item.boundingRect()))
        assert text.left() >= 0 and text.right() <= plot.width(), (shown, text, plot.width())
        data = view.sceneBoundingRect()
        assert data.right() <= plot.width() and data.left() >= 0
        assert abs(data.width() - square.width()) <= 2   # the map keeps its size
    loss = win.output_panel.loss_plot   # a plot without a title keeps its legend's row
    assert loss.legend.sceneBoundingRect().bottom() <= (
        loss.plotItem.getViewBox().sceneBoundingRect().top() + 1)
