"""Edit ▸ Copy experiment / Paste experiment: a set-up as one line of text on the clipboard,
for a teacher to hand out in a chat or on a slide (see :mod:`playground.io.experiment`).

Pasting sets up the experiment with fresh weights, in the training process; text that is not
an experiment, or one that cannot be set up, says why and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from playground.core.refusals import REFUSALS


class ExperimentClipboard:
    """``call`` is the driver's ``call``; ``pause`` stops training first; ``say`` shows a
    line in the status bar."""

    def __init__(self, parent: QWidget, call: Callable[..., Any], pause: Callable[[], None],
                 say: Callable[[str], None]) -> None:
        self.parent = parent
        self.call = call
        self.pause = pause
        self.say = say

    def copy(self) -> str:
        text = self.call("copy_experiment")
        QApplication.clipboard().setText(text)
        self.say("Experiment copied: paste it in a chat or on a slide; Edit ▸ Paste "
                 "experiment sets it up (with fresh weights)")
        return text

    def paste(self, text: str | None = None) -> bool:
        """Set up the experiment in ``text`` (default: the clipboard's)."""
        text = QApplication.clipboard().text() if text is None else text
        self.pause()
        try:
            message = self.call("paste_experiment", text=text)
        except REFUSALS as exc:
            QMessageBox.warning(self.parent, "Could not paste the experiment", str(exc))
            return False
        self.say(message)
        return True
