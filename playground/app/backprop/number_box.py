"""A spin box for a variable's value that shows and takes any number as typed."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox

from playground.backprop.number_format import constant, parse_number

VALUE_LIMIT = 1e12


class NumberBox(QDoubleSpinBox):
    """Shows the value in the tab's number format (1e−5, 2.5e9) and takes what a student types
    (a decimal comma, a real minus sign) instead of rounding to a fixed count of decimals."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.setRange(-VALUE_LIMIT, VALUE_LIMIT)
        self.setDecimals(15)
        self.setSingleStep(0.5)
        self.setKeyboardTracking(False)
        self.setValue(value)

    def textFromValue(self, value: float) -> str:
        return constant(value)

    def valueFromText(self, text: str) -> float:
        return parse_number(text)

    def validate(self, text: str, pos: int) -> object:
        try:
            number = self.valueFromText(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        if abs(number) > VALUE_LIMIT:
            return QValidator.State.Invalid, text, pos
        return QValidator.State.Acceptable, text, pos
