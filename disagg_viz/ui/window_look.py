"""The window's look follows the display model: colours and type size (style sheet, tooltips,
charts, the Explore map), the charts' scale, which panels show (veil, folds), a lesson's
highlights on charts and scoreboard, and the link chart hidden while the link is a mystery."""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QToolTip

from disagg_viz.playback.display_model import DisplayModel
from disagg_viz.ui.charts import ChartsPanel
from disagg_viz.ui.kitchen.stage import KitchenStage
from disagg_viz.ui.palette import PROFILES, Profile
from disagg_viz.ui.scoreboard import Scoreboard, kitchen_numbers, legend
from disagg_viz.ui.language import tr


class WindowLook:
    def __init__(self, display: DisplayModel, window: QMainWindow, stage: KitchenStage, charts: ChartsPanel,
                 scoreboard: Scoreboard, panels: dict, map_view, now: Callable[[], float]):
        """``panels``: the scoreboard's legend ("legend"), the veil label ("veil") and the
        scenario's title over the scoreboard ("title", optional);
        ``now``: the playback time (the charts redraw their cursor there)."""
        self.display, self.window, self.stage, self.charts = display, window, stage, charts
        self.scoreboard, self.legend, self.veil = scoreboard, panels["legend"], panels["veil"]
        self.title = panels.get("title")
        self.map_view, self.now = map_view, now
        size = QApplication.font().pointSizeF()
        self.base_point_size = size if size > 0 else 10.0
        display.subscribe(self._follow)
        self.restyle()

    @property
    def profile(self) -> Profile:
        return PROFILES[self.display.profile]

    def _follow(self, name: str, value) -> None:
        if name == "profile":
            self.restyle()
        elif name == "zoom":
            self.restyle()
            self.charts.set_scale(value)
            self.window.statusBar().showMessage(tr("Zoom {percent}").format(percent=f"{value:.0%}"), 2000)
        elif name in ("veiled", "charts_folded", "scoreboard_folded", "presenting"):
            self.show_panels()
        elif name == "highlights":
            self.show_highlights()
        elif name == "secret_link":
            self.charts.plots["link"][0].setVisible(not value)    # its GB/s would give the answer away

    def restyle(self) -> None:
        """Colours, type size (zoom) and focus outline for every widget, charts and the map."""
        p, zoom = self.profile, self.display.zoom
        size = f" font-size: {self.base_point_size * zoom:.1f}pt;" if zoom != 1.0 else ""
        self.window.setStyleSheet(
            f"QMainWindow, QDockWidget, QWidget {{ background: {p.background}; color: {p.text};{size} }}"
            f"QTableWidget {{ gridline-color: {p.grid}; }}"
            f"*:focus {{ outline: 2px solid {p.prep}; }}"
            f"QRadioButton::indicator {{ width: {12 * zoom:.0f}px; height: {12 * zoom:.0f}px;"
            f" border: 2px solid {p.muted}; border-radius: {6 * zoom:.0f}px; background: {p.panel}; }}"
            f"QRadioButton::indicator:checked {{ background: {p.prep}; border-color: {p.text}; }}")
        # Tooltips are top-level windows: the window's style sheet does not reach them, so
        # without this they draw dark text on the dark UI. (A palette, not an application style
        # sheet: that would put every widget under the slow style-sheet style.)
        tips = QPalette(QToolTip.palette())
        for group in (QPalette.Active, QPalette.Inactive, QPalette.Disabled):
            tips.setColor(group, QPalette.ToolTipBase, QColor(p.panel))
            tips.setColor(group, QPalette.ToolTipText, QColor(p.text))
            tips.setColor(group, QPalette.Window, QColor(p.panel))
            tips.setColor(group, QPalette.WindowText, QColor(p.text))
        QToolTip.setPalette(tips)
        self.charts.set_profile(p)
        self.charts.show_time(self.now())
        self.map_view.set_profile(p)
        self.show_highlights()

    def show_panels(self) -> None:
        """Charts and scoreboard unless a lesson veils the results or presenting folds them."""
        d = self.display
        self.scoreboard.setVisible(d.scoreboard_shown)
        if self.scoreboard.presenting != d.presenting:
            self.scoreboard.set_presenting(d.presenting)
        self.legend.setVisible(d.scoreboard_shown)
        # presenting, the scoreboard's rows get the room: its legend says only what the marks
        # mean, and the scenario's title (the lesson panel names the step) steps aside
        self.legend.setText(legend(self.scoreboard.summaries, short=d.presenting))
        if self.title is not None:
            self.title.setVisible(not d.presenting)
        self.charts.setVisible(d.charts_shown)
        self.veil.setVisible(d.veiled)

    def show_highlights(self) -> None:
        d, color = self.display, self.profile.highlight
        self.charts.set_highlight(d.highlighted("chart"), color)
        self.scoreboard.set_highlight([p for p in d.highlights if p.startswith("scoreboard.")], color)
        self.kitchen_metrics()

    def kitchen_metrics(self) -> None:
        """Each kitchen's own key numbers (shown while presenting)."""
        numbers = kitchen_numbers(self.scoreboard.summaries, self.scoreboard.highlighted)
        for view, row in zip(self.stage.kitchens, numbers):
            view.compact_painter.peer_metrics = [m for other in numbers for m in other]   # one served width for all
            view.set_metrics(row)
