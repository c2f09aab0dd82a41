"""Help ▸ The Backprop tab explained: a short page a student can read in a minute."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

TITLE = "The Backprop tab explained"
TEXT = """
<p><b>Gate graph</b> takes a computation apart as the lecture draws it: inputs on the left,
one circle per gate. <span style="color:#1a7f37"><b>Green</b></span> numbers above a wire are
values (the forward pass), <span style="color:#cf222e"><b>red</b></span> numbers below it are
gradients (the backward pass); the <b>ringed</b> gate is the one being processed.</p>
<p><b>F</b> computes the next gate, <b>B</b> applies the chain rule at the next gate going back
(local gradient × upstream gradient), <b>Shift+F</b> / <b>Shift+B</b> or ◀◀ take a step back,
<b>P</b> plays both passes, <b>R</b> starts over, <b>Z</b> fits the graph to the view. Where a
value feeds several gates its gradient adds up: the box under it shows each
<code>dx += …</code>. The lecture's Python runs beside the graph, the current lines
highlighted.</p>
<p><b>Predict first</b> hides each number until you type it: a right answer (within the shown
tolerance) takes the step, a wrong one gets the rule. The score counts first tries.</p>
<p>Type your own formula (<code>x*y + z</code>, or staged as the lecture does:
<code>q = x + y; f = q * z</code>); right-click a neuron in the Network tab for its own graph
at a training point. <b>Copy steps as Markdown</b> puts the whole walkthrough on the
clipboard.</p>
<p><b>Vector view</b> does the same with matrices: the lecture's ‖W·x‖² with its Jacobians, and
any layer of your network on a batch, written W·x as in the lecture or X·W as the app stores
it.</p>
"""


def show_tab_help(parent: QWidget) -> QMessageBox:
    """Open the page (not modal, so the tab stays usable beside it)."""
    box = QMessageBox(QMessageBox.Icon.Information, TITLE, "", QMessageBox.StandardButton.Close,
                      parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(TEXT)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setModal(False)
    box.show()
    return box
