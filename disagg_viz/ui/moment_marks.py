"""The time bar's marks: moments of the run (the longest stall, the tray-queue peak, a lesson
step's moment) drawn on the scrubber; a click on a mark jumps there, hovering names it. Behind
them, the run's arrival rate is shaded (playback/arrival_rate.py), so a day's swing or a burst
can be seen and scrubbed to."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
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
        self.rate_edges: list[float] = []           # bin edges (s) of the arrival rate
        self.rates: list[float] = []                # requests/s per bin
        self.rate_color = QColor(86, 180, 233, 90)  # light blue, translucent (under the handle)
        self.setMouseTracking(True)
        self.setMinimumHeight(26)

    def set_marks(self, marks: list[tuple[float, str]], end: float) -> None:
        self.marks = sorted(marks)
        self.end = end
        self.update()

    def set_rate(self, edges, rates) -> None:
        """The arrival rate to shade behind the scrubber (``edges``: len(rates) + 1 times)."""
        self.rate_edges, self.rates = [float(e) for e in edges], [float(r) for r in rates]
        self.update()

    def rate_polygon(self) -> QPolygonF:
        """The shaded rate as a step outline along the bottom of the bar (tallest bin: full height)."""
        poly = QPolygonF()
        top = max(self.rates, default=0.0)
        if top <= 0 or self.end <= 0:
            return poly
        base, height = self.height() - 2.0, self.height() - 12.0
        poly.append(QPointF(self._x(self.rate_edges[0]), base))
        for k, r in enumerate(self.rates):
            y = base - height * r / top
            poly.append(QPointF(self._x(self.rate_edges[k]), y))
            poly.append(QPointF(self._x(self.rate_edges[k + 1]), y))
        poly.append(QPointF(self._x(self.rate_edges[-1]), base))
        return poly

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
        poly = self.rate_polygon()
        if not poly.isEmpty():
            shade = QPainter(self)
            path = QPainterPath()
            path.addPolygon(poly)
            shade.fillPath(path, self.rate_color)
            shade.end()
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
