"""The crossover map as a widget: hover a cell for its numbers, click it to load that point."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from disagg_viz.ui.explore.map_painter import MapGeometry, paint_map
from disagg_viz.ui.palette import Profile
from disagg_viz.ui.language import tr
from disagg_viz.ui.plain_text import escaped


class CrossoverMapView(QWidget):
    cellClicked = Signal(int, int)            # row (y index), column (x index)

    def __init__(self, profile: Profile, parent=None):
        super().__init__(parent)
        self.profile = profile
        self.cmap = None
        self.geo: MapGeometry | None = None
        self.font_scale = 1.0
        self.setMouseTracking(True)
        self.setMinimumSize(360, 280)
        self.setAccessibleName(tr("crossover map"))
        self.setFocusPolicy(Qt.StrongFocus)

    def set_map(self, cmap) -> None:
        self.cmap = cmap
        self.update()

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        rect = QRectF(self.rect())
        if self.cmap is None:
            p.fillRect(rect, Qt.GlobalColor.transparent)
            p.setPen(self.palette().text().color())
            p.drawText(rect, Qt.AlignCenter | Qt.TextWordWrap,
                       tr("Choose two axes and press Compute map.\nEach cell: goodput per GPU of the disaggregated "
                       "system divided by the colocated one's. Above 1, disaggregation pays off."))
            self.geo = None
        else:
            self.geo = paint_map(p, rect, self.cmap, self.profile, self.font_scale)
        p.end()

    def describe(self, i: int, j: int) -> str:
        c = self.cmap.cell(i, j)
        unit = tr("req/s per GPU") if self.cmap.metric.startswith("goodput") else tr("attainment")
        ratio = c["ratio"]
        verdict = (tr("neither system meets the SLO here") if ratio != ratio else
                   tr("disaggregation pays off") if ratio > 1 else tr("colocation is better"))
        return (f"<b>{self.cmap.x.label}: {c['x']:.4g}<br>{self.cmap.y.label}: {c['y']:.4g}</b><br>"
                + tr("ratio {ratio}: {verdict}").format(ratio=f"{ratio:.3g}", verdict=verdict) + "<br>"
                f"{escaped(c['disaggregated_system'])}: {c['disaggregated']:.3g} {unit}<br>"
                f"{escaped(c['colocated_system'])}: {c['colocated']:.3g} {unit}<br><i>" + tr("click to load this point") + "</i>")

    def mouseMoveEvent(self, event) -> None:
        if self.geo is None:
            return
        hit = self.geo.cell_at(QPointF(event.position()))
        if hit is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), self.describe(*hit), self)

    def mousePressEvent(self, event) -> None:
        if self.geo is None or event.button() != Qt.LeftButton:
            return
        hit = self.geo.cell_at(QPointF(event.position()))
        if hit is not None:
            self.cellClicked.emit(*hit)
