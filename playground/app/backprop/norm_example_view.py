"""The lecture's vectorised example, f(x, W) = ‖W·x‖², as matrices: the forward pass, the
gradients dW = 2q·xᵀ and dx = 2Wᵀ·q under their matrices, and the Jacobians behind them
(see :mod:`playground.backprop.vector_example`). Written as the lecture writes it (W·x, x a
column) or as the app computes a layer (x·W, x a row, W stored transposed)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from playground.app.backprop.layer_view import (
    LECTURE,
    matrix_card,
    matrix_parts,
    operator_label,
    shape,
)
from playground.backprop.number_format import fmt
from playground.backprop.vector_example import NormExample, norm_example

NAMES = ("W", "x", "q", "dW", "dx", "dq", "Js", "Jx", "JW")


class NormExampleView(QWidget):
    """The example's numbers are fixed (the lecture's); only the way of writing changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.example: NormExample = norm_example()
        self.form = LECTURE
        self.grids, self.titles, self.formulas = matrix_parts(NAMES, self.font())
        self.heading = QLabel()
        self.forward_heading = QLabel()
        self.backward_heading = QLabel()
        self.jacobian_heading = QLabel()
        self.result = QLabel()
        self.check = QLabel()
        self.explanation = QLabel()
        for label in (self.heading, self.forward_heading, self.backward_heading,
                      self.jacobian_heading, self.explanation):
            label.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.addWidget(self.forward_heading, 0, 0, 1, 7)
        self.grid.addWidget(self.backward_heading, 2, 0, 1, 7, Qt.AlignmentFlag.AlignBottom)
        self.grid.addWidget(self.jacobian_heading, 4, 0, 1, 7, Qt.AlignmentFlag.AlignBottom)
        for row in (2, 4):
            self.grid.setRowMinimumHeight(row, 36)
        self.grid.addWidget(operator_label("·"), 1, 1, Qt.AlignmentFlag.AlignVCenter)
        self.grid.addWidget(operator_label("="), 1, 3, Qt.AlignmentFlag.AlignVCenter)
        self.grid.addWidget(self.explanation, 6, 0, 1, 7)
        self.grid.setRowMinimumHeight(6, 48)
        self.grid.setColumnStretch(6, 1)
        self.grid.setRowStretch(7, 1)
        self._cards = {name: self._card(name) for name in NAMES}
        self._cards["q"].insertWidget(3, self.result)   # then s = q², f = Σ s
        self._place_cards()
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.check)
        layout.addSpacing(6)
        layout.addWidget(scroll, 1)
        self.set_form(LECTURE, force=True)

    def _card(self, name: str) -> QVBoxLayout:
        return matrix_card(self.titles[name], self.formulas[name], self.grids[name])

    def _place_cards(self) -> None:
        first, second = ("W", "x") if self.form == LECTURE else ("x", "W")
        for row, names in ((1, (first, second, "q")), (3, (f"d{first}", f"d{second}", "dq")),
                           (5, ("Js", "Jx", "JW"))):
            for col, name in zip((0, 2, 4), names, strict=True):
                card = self._cards[name]
                if card.parent() is not None:
                    self.grid.removeItem(card)
                self.grid.addLayout(card, row, col, Qt.AlignmentFlag.AlignTop)

    def set_form(self, form: str, force: bool = False) -> None:
        """The lecture's W·x (x a column) or the app's x·W (x a row, W transposed)."""
        if form == self.form and not force:
            return
        self.form = form
        self._place_cards()
        self._show()

    def _matrices(self) -> dict[str, np.ndarray]:
        e = self.example
        column = self.form == LECTURE
        vec = (lambda v: v.reshape(-1, 1)) if column else (lambda v: v.reshape(1, -1))
        return {"W": e.W if column else e.W.T, "x": vec(e.x), "q": vec(e.q),
                "dW": e.dW if column else e.dW.T, "dx": vec(e.dx), "dq": vec(e.dq),
                "Js": e.jacobian_square, "Jx": e.jacobian_x, "JW": e.jacobian_W}

    def _show(self) -> None:
        e = self.example
        lecture = self.form == LECTURE
        n, d = e.W.shape
        for name, values in self._matrices().items():
            self.grids[name].set_values(values)
            self.titles[name].setText(f"{name} {shape(*values.shape)}")
        self.titles["Js"].setText(f"∂s/∂q {shape(n, n)}")
        self.titles["Jx"].setText(f"∂q/∂x {shape(n, d)}")
        self.titles["JW"].setText(f"∂q/∂W {shape(n, n * d)}")
        f = self.formulas
        where = "a column" if lecture else "a row"
        f["x"].setText(f"the input, {where}")
        f["W"].setText("the weights" if lecture else "Wᵀ: stored (fan_in, fan_out), as the app "
                                                     "stores a layer's W")
        f["q"].setText("W·x" if lecture else "x·W")
        f["dq"].setText("∂f/∂q = 2q")
        f["dW"].setText("2q·xᵀ: like W, n × d" if lecture else "xᵀ·2q: like W, d × n")
        f["dx"].setText("2Wᵀ·q: like x" if lecture else "2q·Wᵀ: like x")
        f["Js"].setText("s = q² works elementwise: a diagonal")
        f["Jx"].setText("the multiply's Jacobian: W itself" if lecture else
                        "the multiply's Jacobian: Wᵀ of the stored W")
        f["JW"].setText("q_i touches row i of W only: mostly zeros, never built")
        self.heading.setText(
            "<b>The lecture's vector example</b>  f(x, W) = ‖W·x‖² = Σᵢ (W·x)ᵢ², staged as "
            "q = W·x (a matrix multiply), s = q² (elementwise), f = Σ s."
            + ("" if lecture else "  Written here as the app computes a layer: x·W, with the "
               "stored W the lecture's Wᵀ."))
        forward = "q = W·x" if lecture else "q = x·W"
        self.forward_heading.setText(f"<b>Forward</b>  {forward}: "
                                     + (f"{shape(n, d)}·{shape(d, 1)} → {shape(n, 1)}" if lecture
                                        else f"{shape(1, d)}·{shape(d, n)} → {shape(1, n)}"))
        squares = " + ".join(f"{fmt(v)}²" for v in e.q)
        self.result.setText(f"s = q², f = Σ s = {squares} = <b>{fmt(e.f)}</b>")
        self.backward_heading.setText(
            "<b>Backward</b>  ∂f/∂q = 2q, then through the multiply: each gradient has its "
            "matrix's shape")
        self.jacobian_heading.setText(
            "<b>Jacobians</b>  the chain rule multiplies them, transposed, from f back: "
            "dx = (∂q/∂x)ᵀ·(∂s/∂q)ᵀ·1")
        self.check.setText(f"✓ dW and dx agree with centred differences of f (relative error "
                           f"{fmt(e.numeric_error, 2)})" if e.numeric_error < 1e-6 else
                           f"✗ relative error {fmt(e.numeric_error, 2)} against centred "
                           "differences")
        q = ", ".join(fmt(v) for v in e.q)
        dq = ", ".join(fmt(v) for v in e.dq)
        self.explanation.setText(
            f"q = ({q}), so ∂f/∂q = 2q = ({dq}). W_ij only reaches f through q_i = Σⱼ W_ij·x_j, "
            "so ∂f/∂W_ij = 2q_i·x_j: dW = 2q·xᵀ, an outer product, never the big Jacobian "
            "∂q/∂W. And ∂f/∂x = Wᵀ·2q: the multiply's Jacobian W, transposed on the way back. "
            "The elementwise square's Jacobian is diagonal, so multiplying by it is just "
            "multiplying entry by entry.")
