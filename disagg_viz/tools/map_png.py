"""Draw a crossover map to a PNG without a window (CLI ``sweep --png``)."""

from __future__ import annotations

import os
from pathlib import Path


def save_map_png(cmap, path: Path, size=(1100, 760), profile_name: str = "projector") -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from disagg_viz.atomic_file import atomic_write_bytes
    from disagg_viz.ui.explore.map_painter import paint_map
    from disagg_viz.ui.palette import PROFILES

    # A QApplication (not only a QGuiApplication), so widgets can still be made in this process.
    _app = QApplication.instance() or QApplication([])
    img = QImage(size[0], size[1], QImage.Format_ARGB32)
    p = QPainter(img)
    paint_map(p, QRectF(0, 0, size[0], size[1]), cmap, PROFILES[profile_name])
    p.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.WriteOnly)
    if not img.save(buf, "PNG"):
        raise OSError(f"could not encode the map as PNG for {path}")
    buf.close()
    atomic_write_bytes(path, bytes(data))
