"""The network view, checked the way a student meets it: columns of neurons, one edge per
weight, a size label, hover feedback, and pictures that follow training."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QPalette

from playground.app.network.view import NetworkView, compute_layout
from playground.core import edits
from playground.core.session import Session
from playground.core.settings import DataSettings

BIG_SPEC = {"layers": [{"units": 32, "activation": "tanh"}] * 6, "seed": 0}


@pytest.fixture
def view(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def inside_viewport(view: NetworkView, layer: int, index: int) -> bool:
    node = view.node_item(layer, index)
    half = node.size / 2
    rect = QRect(view.mapFromScene(node.pos()) - QPoint(int(half), int(half)),
                 view.mapFromScene(node.pos()) + QPoint(int(half), int(half)))
    return view.viewport().rect().contains(rect)


def edge_styles(view: NetworkView, sizes) -> list[tuple[int, float]]:
    return [(view.edge_pen(layer, i, j).color().rgba(), view.edge_pen(layer, i, j).widthF())
            for layer in range(len(sizes) - 1)
            for i in range(sizes[layer]) for j in range(sizes[layer + 1])]


def test_default_network_shows_every_neuron_and_weight(view):
    snap = Session().snapshot()
    view.show_snapshot(snap)
    assert snap.sizes == (2, 12, 12, 2)
    assert len(view.column_sizes()) == 4
    assert [view.column_sizes()[layer] for layer in range(4)] == list(snap.sizes)
    assert view.edge_count() == 2 * 12 + 12 * 12 + 12 * 2
    assert view.size_label_text() == "26 neurons, 218 parameters"
    assert all(inside_viewport(view, layer, i)
               for layer, n in enumerate(snap.sizes) for i in range(n))
    # columns run left to right, so inputs are left of the outputs
    assert view.node_center(0, 0).x() < view.node_center(1, 0).x() < view.node_center(3, 0).x()
    assert [view.layer_caption(layer) for layer in range(4)] == [
        "features", "tanh", "tanh", "softmax"]
    assert not view.viewport().grab().isNull()


def test_lecture_size_label_for_a_3_4_2_network(view):
    session = Session(DataSettings(features=("x1", "x2", "x1^2")),
                      {"layers": [{"units": 4, "activation": "tanh"}]})
    snap = session.snapshot()
    view.show_snapshot(snap)
    assert snap.sizes == (3, 4, 2)
    assert view.size_label_text() == "6 neurons, 26 parameters"
    assert view.edge_count() == 3 * 4 + 4 * 2


def test_hovering_a_neuron_reports_it_and_leaving_reports_none(view, qtbot):
    view.show_snapshot(Session().snapshot())
    seen = []
    view.neuronHovered.connect(seen.append)
    target = view.mapFromScene(view.node_center(1, 2))
    with qtbot.waitSignal(view.neuronHovered, timeout=2000,
                          check_params_cb=lambda value: value == (1, 2)):
        qtbot.mouseMove(view.viewport(), target)
    assert view.node_item(1, 2).toolTip().startswith("Layer 1, neuron 3 · tanh · bias ")
    with qtbot.waitSignal(view.neuronHovered, timeout=2000,
                          check_params_cb=lambda value: value is None):
        qtbot.mouseMove(view.viewport(), QPoint(3, view.viewport().height() // 2))
    assert seen[0] == (1, 2)
    assert seen[-1] is None

    with qtbot.waitSignal(view.neuronHovered, timeout=2000,
                          check_params_cb=lambda value: value == (3, 1)):
        qtbot.mouseMove(view.viewport(), view.mapFromScene(view.node_center(3, 1)))
    assert view.node_item(3, 1).toolTip().startswith("Output 2 (class 1) · softmax · bias ")


def test_adding_a_neuron_rebuilds_with_one_more_node(view):
    session = Session()
    view.show_snapshot(session.snapshot())
    old = view.node_item(1, 0)
    session.perform(edits.add_neuron(1))
    view.show_snapshot(session.snapshot())
    assert view.column_sizes()[1] == 13
    assert view.edge_count() == 2 * 13 + 13 * 12 + 12 * 2
    assert view.size_label_text() == "27 neurons, 233 parameters"
    assert view.node_item(1, 0) is not old
    assert all(inside_viewport(view, 1, i) for i in range(13))


def test_training_recolours_the_same_items(qtbot, view):
    session = Session()
    snap = session.snapshot()
    view.show_snapshot(snap)
    nodes = [view.node_item(layer, i) for layer, n in enumerate(snap.sizes) for i in range(n)]
    edges = view.edge_item()
    pens = edge_styles(view, snap.sizes)
    picture = view.node_map(1, 0)
    items = len(view.scene().items())

    session.trainer.run_epochs(5)
    snap = session.snapshot()
    view.show_snapshot(snap)

    assert all(a is b for a, b in zip(nodes, [view.node_item(layer, i) for layer, n in
                                              enumerate(snap.sizes) for i in range(n)],
                                      strict=True))
    assert view.edge_item() is edges
    assert len(view.scene().items()) == items
    assert edge_styles(view, snap.sizes) != pens
    qtbot.waitUntil(lambda: view.node_map(1, 0) != picture)  # maps refresh at most at 20 Hz


def test_edges_are_drawn_in_a_handful_of_batches(view):
    session = Session()
    session.trainer.run_epochs(3)
    snap = session.snapshot()
    view.show_snapshot(snap)
    gaps = len(snap.sizes) - 1  # at most a drawLines call per pen and gap, not one per edge
    assert 0 < view.edge_item().group_count() <= 17 * gaps < view.edge_count()
    # sign picks the colour: a negative and a positive weight get different hues
    w = session.snapshot().params["W2"]
    neg = np.unravel_index(np.argmin(w), w.shape)
    pos = np.unravel_index(np.argmax(w), w.shape)
    neg_pen, pos_pen = view.edge_pen(1, *neg), view.edge_pen(1, *pos)
    assert neg_pen.color().red() > neg_pen.color().blue()  # orange
    assert pos_pen.color().blue() > pos_pen.color().red()  # blue


def test_wide_and_deep_network_renders_and_stays_readable(view):
    session = Session(DataSettings("spiral", classes=3), BIG_SPEC)
    snap = session.snapshot()
    view.show_snapshot(snap)
    assert snap.sizes == (2, 32, 32, 32, 32, 32, 32, 3)
    assert view.edge_count() == 2 * 32 + 5 * 32 * 32 + 32 * 3
    assert not view.viewport().grab().isNull()
    assert view.node_item(3, 0).size >= 10
    assert all(inside_viewport(view, layer, i)
               for layer, n in enumerate(snap.sizes) for i in range(n))
    gap = view.node_center(3, 1).y() - view.node_center(3, 0).y()
    assert gap > view.node_item(3, 0).size  # neighbours do not touch


def test_dense_networks_only_skip_painting_the_faintest_edges(view):
    session = Session(DataSettings("spiral", classes=3), BIG_SPEC)
    session.trainer.run_epochs(2)
    snap = session.snapshot()
    view.show_snapshot(snap)
    edges = view.edge_item()
    assert not edges.antialias  # too many long strokes to antialias within a frame
    assert edges.hidden_pens == {0, 1}  # the thinnest width bin, either sign
    styles = edge_styles(view, snap.sizes)
    assert len(styles) == view.edge_count()  # every weight still has its pen
    faint = {(pen.color().rgba(), pen.widthF()) for pen in edges.pens()[:2]}
    assert sum(style in faint for style in styles) < 0.5 * len(styles)


def test_eight_hidden_layers_of_32_fit(view):
    session = Session(None, {"layers": [{"units": 32, "activation": "relu"}] * 8, "seed": 0})
    snap = session.snapshot()
    view.show_snapshot(snap)
    assert len(view.column_sizes()) == 10
    assert all(inside_viewport(view, layer, i)
               for layer, n in enumerate(snap.sizes) for i in range(n))
    assert not view.viewport().grab().isNull()


def test_gradient_mode_has_its_own_legend(view):
    session = Session()
    view.show_snapshot(session.snapshot())
    assert view.edge_mode() == "weight"
    assert "weight:" in view.legend_text()
    assert "width ∝ |w|" in view.legend_text()
    assert "activation:" in view.legend_text()

    view.set_edge_mode("gradient")
    assert view.edge_mode() == "gradient"
    assert "gradient |∂L/∂w|" in view.legend_text()
    assert "weight:" not in view.legend_text()

    session.trainer.run_epochs(3)
    snap = session.snapshot()
    view.show_snapshot(snap)
    assert "(log)" in view.legend_text()
    styles = {style for style in edge_styles(view, snap.sizes)}
    assert len(styles) > 1  # gradients differ, and so do their edges
    assert not view.viewport().grab().isNull()
    with pytest.raises(ValueError, match="edge mode"):
        view.set_edge_mode("sideways")


def test_mixed_activations_are_labelled_and_explained_per_neuron(view):
    session = Session()
    session.perform(edits.set_activation(1, "relu", neuron=1))
    view.show_snapshot(session.snapshot())
    assert view.layer_caption(1) == "mixed"
    assert view.layer_caption(2) == "tanh"
    assert " · ReLU · " in view.node_item(1, 1).toolTip()
    assert " · tanh · " in view.node_item(1, 0).toolTip()


def test_text_follows_the_palette(view):
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1f1f22"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
    view.show_snapshot(Session().snapshot())
    view.setPalette(dark)
    assert view.backgroundBrush().color() == QColor("#1f1f22")
    assert view._edge_legend.text_color == QColor("#e8e8e8")
    assert view._titles[1][0].brush().color() == QColor("#e8e8e8")
    assert not view.viewport().grab().isNull()


def test_resizing_refits_the_network(view, qtbot):
    snap = Session().snapshot()
    view.show_snapshot(snap)
    big_side = view.node_item(1, 0).size
    view.resize(420, 300)
    qtbot.wait(10)
    assert all(inside_viewport(view, layer, i)
               for layer, n in enumerate(snap.sizes) for i in range(n))
    assert view.node_item(1, 0).size < big_side


def test_a_diverged_network_still_draws(view):
    snap = Session().snapshot()
    for array in (*snap.params.values(), *snap.grid.layers, snap.grid.output):
        array[...] = np.nan
    view.show_snapshot(snap)
    assert not view.viewport().grab().isNull()
    view.set_edge_mode("gradient")
    assert "none yet" in view.legend_text()
    assert not view.viewport().grab().isNull()


def test_a_snapshot_without_grid_still_draws(view):
    view.show_snapshot(Session().snapshot(resolution=None))
    assert view.edge_count() == 192
    assert view.node_map(1, 0) is not None
    assert not view.viewport().grab().isNull()


def test_layout_shrinks_nodes_with_the_tallest_layer():
    kwargs = dict(left=40, right=60, top=50, bottom=40)
    small = compute_layout((2, 4, 2), 900, 600, **kwargs)
    wide = compute_layout((2, 32, 32, 3), 900, 600, **kwargs)
    assert small.node == 40
    assert 10 <= wide.node <= 14
    assert wide.size_of(0) > wide.node  # few inputs keep readable maps


def gap_styles(view: NetworkView, sizes) -> list[list[tuple[int, float]]]:
    return [[(view.edge_pen(gap, i, j).color().rgba(), view.edge_pen(gap, i, j).widthF())
             for i in range(sizes[gap]) for j in range(sizes[gap + 1])]
            for gap in range(len(sizes) - 1)]


def test_a_wide_network_restyles_a_gap_per_frame_and_catches_up_when_frames_stop(qtbot, view):
    """~5,000 edges cost a frame ~3.5 ms to draw: while training, each snapshot restyles one
    gap's edges and the others are blitted from cache; when snapshots stop (a pause), every
    gap shows the last weights, as a view that sees only that snapshot draws them."""
    session = Session(DataSettings("spiral", classes=3), BIG_SPEC)
    view.show_snapshot(session.snapshot())
    before = gap_styles(view, session.snapshot().sizes)
    session.trainer.run_epochs(5)
    snap = session.snapshot()
    view.show_snapshot(snap)
    reference = NetworkView()
    qtbot.addWidget(reference)
    reference.resize(view.size())
    reference.show_snapshot(snap)
    expected = gap_styles(reference, snap.sizes)

    now = gap_styles(view, snap.sizes)
    assert sum(a != b for a, b in zip(now, before, strict=True)) == 1  # one gap per frame
    assert sum(a != b for a, b in zip(now, expected, strict=True)) >= 1  # others wait
    assert not view.edge_item().caught_up()
    qtbot.waitUntil(view.edge_item().caught_up)
    assert gap_styles(view, snap.sizes) == expected


def test_a_small_network_is_restyled_whole_every_frame(view):
    session = Session(None, {"layers": [{"units": 4, "activation": "tanh"}] * 2, "seed": 0})
    view.show_snapshot(session.snapshot())
    session.trainer.run_epochs(5)
    view.show_snapshot(session.snapshot())
    assert view.edge_item().caught_up()
