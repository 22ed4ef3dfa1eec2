"""A palette's hex colour as a QColor, with an alpha: shared by the kitchen painters."""
from __future__ import annotations

from PySide6.QtGui import QColor


def qcolor(hex_: str, alpha: int = 255) -> QColor:
    c = QColor(hex_)
    c.setAlpha(alpha)
    return c
