"""Live charts (pyqtgraph): queues, GPU utilization per pool, KV link throughput, TTFT per request.
A vertical time cursor in each follows the animation."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPen, QColor
from PySide6.QtWidgets import QWidget, QGridLayout

from disagg_viz.playback.series import system_series
from disagg_viz.ui.palette import LINE_STYLES, MARKERS, Profile


class ChartsPanel(QWidget):
    def __init__(self, profile: Profile, parent=None):
        super().__init__(parent)
        self.profile = profile
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.plots = {}
        specs = [("queue", "Orders waiting for prep", "requests"),
                 ("util", "GPU use: compute (solid) vs bandwidth (dashed)", "%"),
                 ("link", "KV shipped over the link", "GB/s"),
                 ("ttft", "Time to first token per request", "ms")]
        for k, (key, title, unit) in enumerate(specs):
            w = pg.PlotWidget()
            w.setAccessibleName(f"{title} chart")
            w.setTitle(title)
            w.setLabel("left", unit)
            w.setLabel("bottom", "time", units="s")
            w.showGrid(x=True, y=True, alpha=0.25)
            w.addLegend(offset=(-5, 5), labelTextSize="8pt")
            cursor = pg.InfiniteLine(angle=90, movable=False)
            w.addItem(cursor, ignoreBounds=True)
            self.plots[key] = (w, cursor)
            lay.addWidget(w, k // 2, k % 2)
        self.slo_line = pg.InfiniteLine(angle=0, movable=False)
        self.plots["ttft"][0].addItem(self.slo_line, ignoreBounds=True)
        self.set_profile(profile)

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        for w, cursor in self.plots.values():
            w.setBackground(profile.background)
            for ax in ("left", "bottom"):
                w.getAxis(ax).setPen(profile.muted)
                w.getAxis(ax).setTextPen(profile.text)
            w.getPlotItem().titleLabel.setText(w.getPlotItem().titleLabel.text, color=profile.text)
            cursor.setPen(pg.mkPen(profile.text, width=profile.line_width))
        self.slo_line.setPen(pg.mkPen(profile.miss, width=profile.line_width, style=LINE_STYLES[1]))

    def _pen(self, k: int, style_index: int | None = None):
        return pg.mkPen(self.profile.system_color(k), width=self.profile.line_width,
                        style=LINE_STYLES[(k if style_index is None else style_index) % len(LINE_STYLES)])

    def set_result(self, result, names: list[str]) -> None:
        for w, _ in self.plots.values():
            for item in list(w.listDataItems()):
                w.removeItem(item)
            if w.plotItem.legend is not None:
                w.plotItem.legend.clear()
        end = result.end_time
        for k, (res, name) in enumerate(zip(result.systems, names)):
            s = system_series(res, end)
            self.plots["queue"][0].plot(s.t, s.waiting, pen=self._pen(k), name=name)
            for pool, (cu, bu) in s.utilization.items():
                self.plots["util"][0].plot(s.util_t, 100 * cu, pen=self._pen(k, 0), name=f"{name}: {pool}")
                self.plots["util"][0].plot(s.util_t, 100 * bu, pen=self._pen(k, 1))
            if s.link_gb_per_s is not None:
                self.plots["link"][0].plot(s.t, s.link_gb_per_s, pen=self._pen(k), name=name)
            ok = ~np.isnan(s.ttft_ms)
            self.plots["ttft"][0].plot(s.arrival[ok], s.ttft_ms[ok], pen=None, symbol=MARKERS[k % len(MARKERS)],
                                       symbolSize=5, symbolBrush=self.profile.system_color(k),
                                       symbolPen=None, name=name)
        self.slo_line.setValue(result.slo_ttft_s * 1e3)
        for w, _ in self.plots.values():
            w.setXRange(0, max(end, 1e-3), padding=0.01)

    def show_time(self, t: float) -> None:
        for _, cursor in self.plots.values():
            cursor.setValue(t)
