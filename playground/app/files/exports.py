"""A way out of the app: pictures of the plots and the network (PNG at a chosen width, or
SVG), and the trained network as code (a NumPy script with the weights inside, or a PyTorch
module with the weights beside it).

Pictures are drawn here, from what is on screen; code is written by the training process
(the service's ``export_python`` and ``export_torch``), which holds the network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QGraphicsView, QMessageBox, QWidget

from playground.app.files import dialogs
from playground.app.files.pictures import MAX_WIDTH, MIN_WIDTH, save_picture
from playground.core.refusals import FILE_REFUSALS

PICTURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
PYTHON_FILTER = "Python script (*.py)"
DEFAULT_WIDTH = 1600


class Exports:
    """Picture and code exports for one window.

    ``views`` maps a picture's key to (its title, the view that shows it, a file name
    stem); ``call`` is the driver's ``call``; ``say`` shows a line in the status bar.
    """

    def __init__(self, parent: QWidget, call: Callable[..., Any], say: Callable[[str], None],
                 views: dict[str, tuple[str, QGraphicsView, str]]) -> None:
        self.parent = parent
        self.call = call
        self.say = say
        self.views = views
        self.width = DEFAULT_WIDTH

    def save_picture(self, key: str, path: str | None = None, width: int | None = None) -> bool:
        """Save picture ``key``; asks for the file and, for PNG, the width, unless given."""
        title, view, stem = self.views[key]
        path = path or dialogs.ask_save(self.parent, f"Save the {title.lower()} as a picture",
                                        f"{stem}.png", PICTURE_FILTER, ".png")
        if not path:
            return False
        if not path.lower().endswith(".svg") and width is None:
            width = dialogs.ask_width(self.parent, self.width, MIN_WIDTH, MAX_WIDTH)
            if width is None:
                return False
        if width is not None:
            self.width = width
        try:
            save_picture(view, path, self.width, title)
        except OSError as exc:
            QMessageBox.warning(self.parent, "Could not save the picture",
                                f"{Path(path).name}: {exc.strerror or exc}")
            return False
        dialogs.remember_folder(path)
        self.say(f"{title} saved to {path}")
        return True

    def export_python(self, path: str | None = None) -> bool:
        """One NumPy script whose ``predict(X)`` gives the app's outputs."""
        path = path or dialogs.ask_save(self.parent, "Export as Python", "network.py",
                                        PYTHON_FILTER, ".py")
        return bool(path) and self._export("export_python", path,
                                           "The network as a NumPy script: {0}")

    def export_torch(self, path: str | None = None) -> bool:
        """A PyTorch module script and the weights (.npz) it loads, side by side."""
        path = path or dialogs.ask_save(self.parent, "Export for PyTorch", "network_torch.py",
                                        PYTHON_FILTER, ".py")
        return bool(path) and self._export("export_torch", path,
                                           "A PyTorch module in {0} loading {1}")

    def _export(self, name: str, path: str, message: str) -> bool:
        try:
            with dialogs.busy():
                written = self.call(name, path=path)
        except FILE_REFUSALS as exc:
            QMessageBox.warning(self.parent, "Could not export the network", str(exc))
            return False
        dialogs.remember_folder(path)
        paths = written if isinstance(written, list) else [written]
        self.say(message.format(*paths))
        return True
