"""Paints a crossover map with QPainter: cells coloured by log2(ratio) on a diverging,
colour-blind-safe scale (blue: colocated wins, orange: disaggregated wins), the break-even
contour (ratio 1) as a thick outline, link presets marked on a link axis, axes and a legend.
Cells where neither system meets the SLO are hatched grey; meaning never rides on colour alone
(cells where disaggregation wins carry a dot)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen

from disagg_viz.explore.crossover import CrossoverMap
from disagg_viz.i18n import N_
from disagg_viz.presets import LINK_LABELS, LINKS
from disagg_viz.ui.palette import Profile
from disagg_viz.ui.language import tr

LINK_AXIS = "systems.*.link_gb_per_s"   # the axis key whose presets are marked and named

COLOCATED_WINS = QColor("#0072B2")
DISAGG_WINS = QColor("#E69F00")
NEUTRAL = QColor("#f7f7f7")
CLIP = 2.0                       # log2 ratio shown at full colour (4x)


def ratio_color(r: float) -> QColor:
    if not math.isfinite(r):
        if r > 0:
            return DISAGG_WINS
        return QColor("#888888") if math.isnan(r) else COLOCATED_WINS
    if r <= 0:
        return COLOCATED_WINS
    v = max(-1.0, min(1.0, math.log2(r) / CLIP))
    end = DISAGG_WINS if v > 0 else COLOCATED_WINS
    a = abs(v) ** 0.5
    return QColor(round(NEUTRAL.red() + (end.red() - NEUTRAL.red()) * a),
                  round(NEUTRAL.green() + (end.green() - NEUTRAL.green()) * a),
                  round(NEUTRAL.blue() + (end.blue() - NEUTRAL.blue()) * a))


class MapGeometry:
    """Where the cells are inside a rectangle (shared by painting and hit-testing)."""

    def __init__(self, cmap: CrossoverMap, rect: QRectF, bottom: float = 60.0, right: float = 24.0):
        """``bottom``: room under the plot for the axis labels, the axis title and the legend;
        ``right``: room for the link presets' names."""
        self.cmap = cmap
        self.plot = QRectF(rect.left() + 90, rect.top() + 40, rect.width() - 90 - right, rect.height() - 40 - bottom)
        self.nx, self.ny = len(cmap.x.values), len(cmap.y.values)
        self.cw = self.plot.width() / self.nx
        self.ch = self.plot.height() / self.ny

    def cell_rect(self, i: int, j: int) -> QRectF:
        """Row i (y, bottom to top), column j (x)."""
        return QRectF(self.plot.left() + j * self.cw, self.plot.bottom() - (i + 1) * self.ch, self.cw, self.ch)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        if not self.plot.contains(pos):
            return None
        j = int((pos.x() - self.plot.left()) // self.cw)
        i = int((self.plot.bottom() - pos.y()) // self.ch)
        if 0 <= i < self.ny and 0 <= j < self.nx:
            return i, j
        return None

    def axis_pos(self, axis, value: float, horizontal: bool) -> float | None:
        """Position of a value along an axis (cells are centred on their values)."""
        vals = np.asarray(axis.values)
        if len(vals) < 2:
            return None
        f = np.log(vals) if axis.log else vals
        v = math.log(value) if axis.log else value
        if not f[0] <= v <= f[-1]:
            return None
        k = (v - f[0]) / (f[-1] - f[0]) * (len(vals) - 1) + 0.5
        if horizontal:
            return self.plot.left() + k * self.cw
        return self.plot.bottom() - k * self.ch


def _fmt(v: float) -> str:
    if v >= 1000:
        return f"{v / 1000:.3g}k"
    return f"{v:.3g}"


# (a ratio whose colour the swatch shows, or None for the contour's thick line; label)
LEGEND = ((4.0, N_("disaggregated wins (dot)")), (0.25, N_("colocated wins")), (math.nan, N_("neither meets the SLO")),
          (None, N_("break-even")))


def legend_layout(rect: QRectF, metrics: QFontMetricsF, font_scale: float = 1.0):
    """(colour, swatch, label rect, label) of each legend item, side by side along the bottom of
    ``rect``, wrapping to another line when the next one would not fit."""
    box = 14.0 * font_scale
    line = max(box, metrics.height()) + 4
    left = rect.left() + 90
    placed, x, row = [], left, 0
    for ratio, label in LEGEND:
        label = tr(label)
        width = box + 6 + metrics.horizontalAdvance(label) + 18
        if x + width > rect.right() and x > left:
            x, row = left, row + 1
        placed.append((ratio, label, x, row, width))
        x += width
    top = rect.bottom() - 4 - (row + 1) * line
    return [(None if ratio is None else ratio_color(ratio), QRectF(x, top + r * line + (line - box) / 2, box, box),
             QRectF(x + box + 6, top + r * line, width - box - 24, line), label)
            for ratio, label, x, r, width in placed]


def _link_presets(p: QPainter, geo: MapGeometry, cmap: CrossoverMap, text: QColor, font_scale: float) -> None:
    """Dashed lines (and, on a vertical link axis, names) where the link presets fall."""
    for axis, horizontal in ((cmap.x, True), (cmap.y, False)):
        if axis.key != LINK_AXIS:
            continue
        line = QColor(text)
        line.setAlpha(150)
        for key, gbps in sorted(LINKS.items(), key=lambda kv: kv[1]):
            pos = geo.axis_pos(axis, gbps, horizontal)
            if pos is None:
                continue
            p.setPen(QPen(line, 1.2 * font_scale, Qt.DashLine))
            if horizontal:
                p.drawLine(QPointF(pos, geo.plot.top()), QPointF(pos, geo.plot.bottom()))
            else:
                p.drawLine(QPointF(geo.plot.left(), pos), QPointF(geo.plot.right(), pos))
                p.setPen(text)
                p.drawText(QRectF(geo.plot.right() + 4, pos - 8, 140, 16), Qt.AlignLeft | Qt.AlignVCenter,
                           LINK_LABELS[key])


def paint_map(p: QPainter, rect: QRectF, cmap: CrossoverMap, profile: Profile, font_scale: float = 1.0) -> MapGeometry:
    font = QFont(p.font())
    font.setPointSizeF(10 * font_scale)
    metrics = QFontMetricsF(font)
    legend = legend_layout(rect, metrics, font_scale)
    legend_top = min(label_rect.top() for _, _, label_rect, _ in legend)
    right = 24.0
    if cmap.y.key == LINK_AXIS:
        right = max(metrics.horizontalAdvance(LINK_LABELS[k]) for k in LINKS) + 14
    geo = MapGeometry(cmap, rect, bottom=rect.bottom() - legend_top + 46, right=right)
    ratio = cmap.ratio
    p.setRenderHint(QPainter.Antialiasing, False)
    p.fillRect(rect, QColor(profile.background))
    p.setFont(font)
    text = QColor(profile.text)
    for i in range(geo.ny):
        for j in range(geo.nx):
            r = geo.cell_rect(i, j)
            v = float(ratio[i, j])
            p.fillRect(r, ratio_color(v))
            if math.isnan(v):
                p.fillRect(r, QBrush(QColor("#444444"), Qt.BDiagPattern))
            elif v > 1:
                p.setPen(Qt.NoPen)
                p.setBrush(QColor(0, 0, 0, 150))
                d = max(min(r.width(), r.height()) * 0.07, 2.0)
                p.drawEllipse(QPointF(r.left() + d * 2.2, r.top() + d * 2.2), d, d)
    _link_presets(p, geo, cmap, text, font_scale)     # under the numbers, so they stay legible
    # The ratios, in a smaller type when the cells are narrow (down to 7 pt), else not at all.
    cell_font = QFont(font)
    wide = metrics.horizontalAdvance("0.00") + 6
    if geo.cw < wide:
        cell_font.setPointSizeF(max(font.pointSizeF() * geo.cw / wide, 7.0))
    p.setFont(cell_font)
    cell_metrics = QFontMetricsF(cell_font)
    if geo.cw >= cell_metrics.horizontalAdvance("0.00") + 4 and geo.ch >= cell_metrics.height() + 2:
        for i in range(geo.ny):
            for j in range(geo.nx):
                v = float(ratio[i, j])
                if math.isnan(v):
                    continue
                c = ratio_color(v)
                p.setPen(QColor("#111111") if c.lightnessF() > 0.45 else QColor("#ffffff"))
                p.drawText(geo.cell_rect(i, j), Qt.AlignCenter, "∞" if math.isinf(v) else f"{v:.2f}")
    p.setFont(font)
    # Break-even contour: edges between a winning and a losing cell.
    p.setRenderHint(QPainter.Antialiasing, True)
    p.setPen(QPen(text, 3.0 * font_scale))
    wins = np.nan_to_num(ratio, nan=0.0) > 1.0
    for i in range(geo.ny):
        for j in range(geo.nx):
            r = geo.cell_rect(i, j)
            if j + 1 < geo.nx and wins[i, j] != wins[i, j + 1]:
                p.drawLine(r.topRight(), r.bottomRight())
            if i + 1 < geo.ny and wins[i, j] != wins[i + 1, j]:
                p.drawLine(r.topLeft(), r.topRight())
    p.setPen(QPen(QColor(profile.muted), 1))
    p.setBrush(Qt.NoBrush)
    p.drawRect(geo.plot)
    # Axes: a few value labels each.
    p.setPen(text)
    for axis, horizontal, n in ((cmap.x, True, geo.nx), (cmap.y, False, geo.ny)):
        room = geo.plot.width() / 56.0 if horizontal else geo.plot.height() / 22.0   # labels that fit
        step = max(1, math.ceil(n / max(room, 1.0)))
        for k in range(0, n, step):
            label = _fmt(axis.values[k])
            if horizontal:
                c = geo.cell_rect(0, k).center().x()
                p.drawText(QRectF(c - 40, geo.plot.bottom() + 4, 80, 18), Qt.AlignHCenter | Qt.AlignTop, label)
            else:
                c = geo.cell_rect(k, 0).center().y()
                p.drawText(QRectF(rect.left() + 4, c - 9, 80, 18), Qt.AlignRight | Qt.AlignVCenter, label)
    bold = QFont(font)
    bold.setBold(True)
    p.setFont(bold)
    p.drawText(QRectF(geo.plot.left(), geo.plot.bottom() + 24, geo.plot.width(), 20), Qt.AlignHCenter, cmap.x.label)
    p.save()
    p.translate(rect.left() + 14, geo.plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-geo.plot.height() / 2, -12, geo.plot.height(), 20), Qt.AlignHCenter, cmap.y.label)
    p.restore()
    title = tr("Disaggregated / colocated {metric}").format(metric=cmap.metric)
    p.drawText(QRectF(rect.left(), rect.top() + 6, rect.width(), 24), Qt.AlignHCenter, title)
    p.setFont(font)
    for c, box, label_rect, label in legend:
        if c is None:
            p.setPen(QPen(text, 3.0 * font_scale))
            p.drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()))
        else:
            p.fillRect(box, c)
        p.setPen(text)
        p.drawText(label_rect, Qt.AlignLeft | Qt.AlignVCenter, label)
    return geo
