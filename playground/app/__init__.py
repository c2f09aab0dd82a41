"""Everything Qt: the window, its panels and the driver that paces training.

pyqtgraph picks PyQt6 over PySide6 when both are installed; the app is PySide6 only.
"""

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
