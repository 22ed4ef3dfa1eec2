"""Live charts (pyqtgraph): queues, GPU utilization per pool, KV link throughput, TTFT and TPOT per
request against their SLO lines. A vertical time cursor in each follows the animation.

Axes are cached as pixmaps (they only change when the data does), so a frame of the animation
repaints little more than the moving cursor lines."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGraphicsItem, QGridLayout, QLabel, QWidget

from disagg_viz.playback.decimate import envelope
from disagg_viz.ui.palette import LINE_STYLES, MARKERS, Profile
from disagg_viz.ui.language import tr
from disagg_viz.ui.plain_text import escaped


LINK_LOG_RATIO = 10.0     # links this many times apart share the chart on a log scale
LINK_LOG_FLOOR = 0.01     # GB/s drawn for an idle link on a log scale


class ChartsPanel(QWidget):
    def __init__(self, profile: Profile, parent=None):
        super().__init__(parent)
        self.profile = profile
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # One legend for all four charts, above them: in-plot legends covered the data.
        self.legend = QLabel()
        self.legend.setAccessibleName(tr("chart legend"))
        self.legend.setWordWrap(True)
        lay.addWidget(self.legend, 0, 0, 1, 3)
        self.plots = {}
        # (key, title, unit, row, column, row span): utilization is tall, latency on the right
        specs = [("queue", tr("Orders waiting (queue)"), tr("requests"), 0, 0, 1),
                 ("link", tr("KV link throughput"), "GB/s", 1, 0, 1),
                 ("util", tr("GPU: compute ━ bandwidth ─"), "%", 0, 1, 2),
                 ("ttft", tr("TTFT per request"), "ms", 0, 2, 1),
                 ("tpot", tr("TPOT per request"), "ms", 1, 2, 1)]
        for key, title, unit, row, col, span in specs:
            w = pg.PlotWidget()
            w.setMinimumWidth(160)
            w.setAccessibleName(tr("{title} chart").format(title=title))
            w.setTitle(title)
            w.setLabel("left", unit)
            # the time axis is the same on every chart: its numbers suffice (the legend says "s")
            w.showGrid(x=True, y=True, alpha=0.25)
            w.setDownsampling(auto=True, mode="peak")     # lines: at most a few points per pixel
            w.setClipToView(True)
            for ax in ("left", "bottom"):
                w.getAxis(ax).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
                # major ticks only: a short chart on a laptop keeps a few readable labels
                w.getAxis(ax).setStyle(maxTickLevel=0)
                w.getAxis(ax).enableAutoSIPrefix(False)     # no "ks" or "kms": units are ours
            w.getAxis("left").setTickDensity(0.6)
            cursor = pg.InfiniteLine(angle=90, movable=False)
            w.addItem(cursor, ignoreBounds=True)
            self.plots[key] = (w, cursor)
            lay.addWidget(w, 1 + row, col, span, 1)
        self.prepared = None
        self._items: dict = {}
        self.scale = 1.0
        self.titles = {key: title for key, title, *_ in specs}
        self.names: list[str] = []
        self.no_link = pg.TextItem(tr("no KV link: every system here is colocated"), anchor=(0.5, 0.5))
        self.plots["link"][0].addItem(self.no_link, ignoreBounds=True)
        self.slo_lines = {}
        for key in ("ttft", "tpot"):
            self.slo_lines[key] = pg.InfiniteLine(angle=0, movable=False)
            self.plots[key][0].addItem(self.slo_lines[key], ignoreBounds=True)
        self.set_profile(profile)

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        for w, cursor in self.plots.values():
            w.setBackground(profile.background)
            for ax in ("left", "bottom"):
                w.getAxis(ax).setPen(profile.muted)
                w.getAxis(ax).setTextPen(profile.text)
            w.getPlotItem().titleLabel.setText(w.getPlotItem().titleLabel.text, color=profile.text)
            cursor.setPen(pg.mkPen(profile.text, width=profile.line_width * self.scale))
        for line in self.slo_lines.values():
            line.setPen(pg.mkPen(profile.miss, width=profile.line_width, style=LINE_STYLES[1]))
        if self.prepared is not None:
            self._items = {}
            self._plot()

    def set_scale(self, scale: float) -> None:
        """Fonts and lines for the back row (zoom and presentation)."""
        from PySide6.QtGui import QFont
        self.scale = scale
        font = QFont()
        font.setPointSizeF(9.0 * scale)
        for key, (w, _cursor) in self.plots.items():
            for ax in ("left", "bottom"):
                w.getAxis(ax).setStyle(tickFont=font)
                w.getAxis(ax).label.setFont(font)
            w.setTitle(self.titles[key], color=self.profile.text, size=f"{11 * scale:.0f}pt")
        self.set_profile(self.profile)

    def set_highlight(self, keys, color: str) -> None:
        """Frame the charts a lesson step points at."""
        for key, (w, _cursor) in self.plots.items():
            w.setStyleSheet(f"border: 4px solid {color};" if key in keys else "")

    def _pen(self, k: int):
        return pg.mkPen(self.profile.system_color(k), width=self.profile.line_width * self.scale,
                        style=LINE_STYLES[k % len(LINE_STYLES)])

    def set_prepared(self, prepared, names: list[str]) -> None:
        self.prepared, self.names = prepared, names
        self._plot()

    def link_log(self) -> bool:
        """A log scale for KV link throughput when the links differ tenfold or more: a saturated
        25 GbE link must not sit flat at zero beside NVLink's spikes."""
        caps = [r.link.port_bytes_per_s for r in self.prepared.result.systems if r.has_link]
        return len(caps) > 1 and max(caps) >= LINK_LOG_RATIO * min(caps)

    def columns(self) -> int:
        """Pixel columns of the widest screen: a chart never needs more points across."""
        screens = QGuiApplication.screens()
        return max([int(sc.size().width() * sc.devicePixelRatio()) for sc in screens] or [1920])

    def _curves(self):
        """(identity, chart, x, y, style) of every curve; identity says which item draws it."""
        log = self.link_log()
        for k, s in enumerate(self.prepared.series):
            color = self.profile.system_color(k)
            style = LINE_STYLES[k % len(LINE_STYLES)]
            marker = MARKERS[k % len(MARKERS)]
            yield (k, "queue"), "queue", s.t, s.waiting, dict(pen=self._pen(k))
            for pool, (cu, bu) in s.utilization.items():
                yield (k, pool, "c"), "util", s.util_t, 100 * cu, dict(pen=self._pen(k))
                thin = pg.mkPen(color, width=max(self.profile.line_width * self.scale / 2, 1.0), style=style)
                yield (k, pool, "b"), "util", s.util_t, 100 * bu, dict(pen=thin)
                yield (k, pool, "m"), "util", s.util_t[::8], 100 * bu[::8], dict(
                    pen=None, symbol=marker, symbolSize=6, symbolBrush=color, symbolPen=None)
            if s.link_rate_gb_per_s is not None:
                y = np.maximum(s.link_rate_gb_per_s, LINK_LOG_FLOOR) if log else s.link_rate_gb_per_s
                yield (k, "link"), "link", s.t, y, dict(pen=self._pen(k))
            for key, values in (("ttft", s.ttft_ms), ("tpot", s.tpot_ms)):
                ok = ~np.isnan(values)
                x, y = envelope(s.arrival[ok], values[ok], self.columns())      # never more points than pixels
                yield (k, key), key, x, y, dict(
                    pen=None, symbol=marker, symbolSize=5, symbolBrush=color, symbolPen=None)

    def _plot(self) -> None:
        """Same curves as before (a slider moved): new data into the existing items, which is
        much cheaper than building items; otherwise (systems or pools changed) rebuild."""
        result, names = self.prepared.result, self.names
        log = self.link_log()
        link_plot = self.plots["link"][0]
        if link_plot.getPlotItem().ctrl.logYCheck.isChecked() != log:   # before the data: a linear range
            link_plot.enableAutoRange(axis="y")                         # read as exponents overflows
            link_plot.setLogMode(x=False, y=log)
        link_plot.setLabel("left", tr("GB/s (log)") if log else "GB/s")
        curves = list(self._curves())
        ids = [c[0] for c in curves]
        if ids == list(self._items):
            for ident, _chart, x, y, style in curves:
                item = self._items[ident]
                item.setData(x, y)
                if style.get("pen") is not None:
                    item.setPen(style["pen"])
        else:
            for w, _ in self.plots.values():
                for item in list(w.listDataItems()):
                    w.removeItem(item)
            self._items = {ident: self.plots[chart][0].plot(x, y, **style) for ident, chart, x, y, style in curves}
        self._set_legend(names)
        end = result.end_time
        self.slo_lines["ttft"].setValue(result.slo_ttft_s * 1e3)
        self.slo_lines["tpot"].setValue(result.slo_tpot_s * 1e3)
        colocated_only = all(s.link_rate_gb_per_s is None for s in self.prepared.series)
        self.no_link.setVisible(colocated_only)
        self.no_link.setColor(self.profile.muted)
        self.no_link.setPos(end / 2, 0.5)
        for w, _ in self.plots.values():
            w.setXRange(0, max(end, 1e-3), padding=0.01)

    def _set_legend(self, names: list[str]) -> None:
        styles = [tr("solid line, ●"), tr("dashed line, ▲"), tr("dotted line, ■"), tr("dash-dot line, ◆")]
        parts = [f'<span style="color:{self.profile.system_color(k)}; font-weight:bold">━━ {escaped(name)}</span>'
                 f' <span style="color:{self.profile.muted}">({styles[k % len(styles)]})</span>'
                 for k, name in enumerate(names)]
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(parts) + f'&nbsp;&nbsp;&nbsp;<span style="color:'
                            f'{self.profile.miss}">╍╍ ' + tr("SLO") + f'</span>&nbsp;&nbsp;&nbsp;<span style="color:{self.profile.muted}">'
                            + tr("x: simulated time (s)") + '</span>')

    def show_time(self, t: float) -> None:
        for _, cursor in self.plots.values():
            cursor.setValue(t)
