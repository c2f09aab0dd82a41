"""Render the app icon (playground/app/resources/neural-playground.svg) for the installers.

    .venv/bin/python packaging/make_icons.py

writes, under assets/icons/:
  hicolor/NxN/apps/neural-playground.png   the freedesktop sizes the .deb installs
  neural-playground.ico                    Windows: 16-256 px in one file (bundle, installer)
  neural-playground.icns                   macOS: 16-1024 px in one file (.app)
Qt draws every size from the SVG; the .ico and .icns containers are written here (a few
lines each), so no image tool is needed. Run it again after changing the SVG; commit the output.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "playground" / "app" / "resources" / "neural-playground.svg"
OUT = ROOT / "assets" / "icons"
NAME = "neural-playground"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's icon types: each is a PNG of the given pixel size.
ICNS_TYPES = {b"icp4": 16, b"icp5": 32, b"ic11": 32, b"icp6": 64, b"ic12": 64, b"ic07": 128,
              b"ic08": 256, b"ic13": 256, b"ic09": 512, b"ic14": 512, b"ic10": 1024}


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """An icon bitmap as Windows stores it: BGRA rows bottom-up, then an all-clear AND mask."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # B, G, R, A in memory
    size = image.width()
    rows = [bytes(image.constScanLine(y))[: 4 * size] for y in range(size)]
    mask = bytes(((size + 31) // 32) * 4 * size)
    header = struct.pack("<IiiHHIIiiII", 40, size, 2 * size, 1, 32, 0,
                         4 * size * size + len(mask), 0, 0, 0, 0)
    return header + b"".join(reversed(rows)) + mask


def ico_bytes(images: dict[int, QImage]) -> bytes:
    """A multi-size .ico: bitmaps up to 48 px (read everywhere), PNG above (Vista on)."""
    blobs = [(size, dib_bytes(images[size]) if size <= 48 else png_bytes(images[size]))
             for size in ICO_SIZES]
    offset = 6 + 16 * len(blobs)
    directory, data = [], []
    for size, blob in blobs:
        side = 0 if size >= 256 else size
        directory.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset))
        data.append(blob)
        offset += len(blob)
    return struct.pack("<HHH", 0, 1, len(blobs)) + b"".join(directory) + b"".join(data)


def icns_bytes(images: dict[int, QImage]) -> bytes:
    chunks = b"".join(kind + struct.pack(">I", 8 + len(png)) + png
                      for kind, png in ((k, png_bytes(images[s])) for k, s in ICNS_TYPES.items()))
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *ICNS_TYPES.values()})
    images = {size: render(renderer, size) for size in sizes}
    for size in HICOLOR_SIZES:
        path = OUT / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes(images[size]))
    (OUT / f"{NAME}.ico").write_bytes(ico_bytes(images))
    (OUT / f"{NAME}.icns").write_bytes(icns_bytes(images))
    print(f"wrote {len(HICOLOR_SIZES)} PNGs, {NAME}.ico and {NAME}.icns to {OUT}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
