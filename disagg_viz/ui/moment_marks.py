"""The time bar's marks: moments of the run (the longest stall, the tray-queue peak, a lesson
step's moment) drawn on the scrubber; a click on a mark jumps there, hovering names it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QToolTip
from disagg_viz.ui.language import tr

from disagg_viz.ui.plain_text import tooltip

HIT_PX = 7


class MarkedScrubber(QSlider):
    markClicked = Signal(float)

    def __init__(self, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self.marks: list[tuple[float, str]] = []     # (time s, label)
        self.end = 0.0
        self.color = QColor("#E69F00")
        self.setMouseTracking(True)
        self.setMinimumHeight(26)

    def set_marks(self, marks: list[tuple[float, str]], end: float) -> None:
        self.marks = sorted(marks)
        self.end = end
        self.update()

    def _x(self, t: float) -> float:
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        groove = self.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderGroove, self)
        handle = self.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        return groove.left() + handle.width() / 2 + span * (t / self.end if self.end > 0 else 0.0)

    def mark_at(self, x: float) -> tuple[float, str] | None:
        near = [(abs(self._x(t) - x), (t, label)) for t, label in self.marks]
        near = [n for n in near if n[0] <= HIT_PX]
        return min(near)[1] if near else None

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.marks or self.end <= 0:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(QPen(QColor("#000000"), 1))
        p.setBrush(self.color)
        for t, _ in self.marks:
            x = self._x(t)
            p.drawPolygon(QPolygonF([QPointF(x - 5, 1), QPointF(x + 5, 1), QPointF(x, 9)]))   # a shape, not only a colour
        p.end()

    def mousePressEvent(self, event) -> None:
        hit = self.mark_at(event.position().x())
        if hit is not None and event.button() == Qt.LeftButton:
            self.markClicked.emit(hit[0])
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        hit = self.mark_at(event.position().x())
        if hit is not None:
            QToolTip.showText(event.globalPosition().toPoint(),
                              tooltip(tr("{moment} at {t} s (click to jump)").format(moment=hit[1], t=f"{hit[0]:.1f}")),
                              self)
        super().mouseMoveEvent(event)
