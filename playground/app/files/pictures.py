"""Pictures for slides and reports: a plot or the network view as PNG (at a chosen width) or
SVG, exactly as it is on screen.

A pyqtgraph plot goes through pyqtgraph's own exporters (the PNG exporter scales point sizes
and line widths with the picture, so a 3,000-pixel boundary is not a thumbnail blown up; the
SVG exporter flattens every transform, which SVG viewers disagree on); the network view
renders its scene through a ``QPainter``. Files are written atomically.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView

import pyqtgraph as pg  # isort: skip  (after PySide6 so pyqtgraph binds to it)
import pyqtgraph.exporters  # isort: skip  (registers pg.exporters)

from playground.files.atomic import atomic_write

MIN_WIDTH, MAX_WIDTH = 200, 8000
"""The widths a PNG may be asked for, in pixels."""


def source(view: QGraphicsView) -> QRectF:
    """What of ``view``'s scene the picture shows: a plot whole, else what is on screen."""
    if isinstance(view, pg.PlotWidget):
        return view.plotItem.sceneBoundingRect()
    return view.mapToScene(view.viewport().rect()).boundingRect()


def png_image(view: QGraphicsView, width: int) -> QImage:
    """The picture ``width`` pixels wide (the height keeps the shape on screen)."""
    width = int(min(max(width, MIN_WIDTH), MAX_WIDTH))
    if isinstance(view, pg.PlotWidget):
        exporter = pg.exporters.ImageExporter(view.plotItem)
        exporter.parameters()["width"] = width
        return exporter.export(toBytes=True)
    rect = source(view)
    height = max(1, round(width * rect.height() / max(1.0, rect.width())))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(view.backgroundBrush().color() if view.backgroundBrush().style()
               != Qt.BrushStyle.NoBrush else view.palette().base().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    view.scene().render(painter, QRectF(0, 0, width, height), rect)
    painter.end()
    return image


def svg_bytes(view: QGraphicsView, title: str) -> bytes:
    """The picture as an SVG drawing, at the size it has on screen."""
    if isinstance(view, pg.PlotWidget):
        with _closed_paths_spelled_out():
            text = pg.exporters.SVGExporter(view.plotItem).export(toBytes=True)
        return bytes(text)
    rect = source(view)
    size = QSize(max(1, round(rect.width())), max(1, round(rect.height())))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Made with Neural Playground")
    painter = QPainter(generator)
    target = QRectF(0, 0, size.width(), size.height())
    painter.fillRect(target, QColor(view.palette().base().color()))
    view.scene().render(painter, target, rect)
    painter.end()
    return bytes(buffer.data())


@contextlib.contextmanager
def _closed_paths_spelled_out() -> Iterator[None]:
    """pyqtgraph's SVG exporter flattens every transform (so any SVG viewer draws the plot as
    it is on screen) but cannot read the close-path command Qt 6 writes ("… Z"); while it
    runs, each close is written as a line back to the path's start instead."""
    module = sys.modules[pg.exporters.SVGExporter.__module__]
    correct = module.correctCoordinates

    def spelled_out(node, defs, item, options):
        for path in node.getElementsByTagName("path"):
            path.setAttribute("d", _without_close(path.getAttribute("d")))
        return correct(node, defs, item, options)

    module.correctCoordinates = spelled_out
    try:
        yield
    finally:
        module.correctCoordinates = correct


def _without_close(d: str) -> str:
    """``M0,0 L1,0 L1,1 Z`` as ``M0,0 L1,0 L1,1 L0,0``."""
    tokens, start = [], None
    for token in d.split():
        if token.upper() == "Z":
            if start is not None:
                tokens.append("L" + start)
            continue
        if token.startswith("M"):
            start = token[1:]
        tokens.append(token)
    return " ".join(tokens)


def save_picture(view: QGraphicsView, path: str | os.PathLike, width: int = 1600,
                 title: str = "Neural Playground") -> Path:
    """Write ``view`` to ``path``: SVG when the name ends in .svg, else PNG ``width`` wide."""
    if str(path).lower().endswith(".svg"):
        data = svg_bytes(view, title)
    else:
        array = QByteArray()
        buffer = QBuffer(array)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        png_image(view, width).save(buffer, "PNG")
        data = bytes(array)
    return atomic_write(path, lambda handle: handle.write(data))
