"""One colour profile object for every painter and chart. Okabe-Ito colours (colour-blind safe);
each system also gets its own line style and marker, so nothing relies on colour alone."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
LINE_STYLES = [Qt.SolidLine, Qt.DashLine, Qt.DotLine, Qt.DashDotLine]
MARKERS = ["o", "t", "s", "d", "+", "x", "star", "p"]


@dataclass(frozen=True)
class Profile:
    name: str
    background: str
    panel: str
    text: str
    muted: str
    grid: str
    station: str
    station_edge: str
    prep: str        # prefill work
    plate: str       # decode work
    stall: str
    tray: str
    ok: str
    miss: str
    line_width: float
    highlight: str = "#F0E442"   # lesson steps point at things with this

    def system_color(self, k: int) -> str:
        return OKABE_ITO[k % len(OKABE_ITO)]


DARK = Profile("dark", background="#1e2127", panel="#2a2e36", text="#eceff4", muted="#9aa3b2", grid="#3b4252",
               station="#323844", station_edge="#6b7487", prep="#E69F00", plate="#56B4E9", stall="#D55E00",
               tray="#CC79A7", ok="#009E73", miss="#D55E00", line_width=2.0)
PROJECTOR = Profile("projector", background="#ffffff", panel="#f2f2f2", text="#111111", muted="#444444",
                    grid="#bbbbbb", station="#f7f7f7", station_edge="#222222", prep="#E69F00", plate="#0072B2",
                    stall="#D55E00", tray="#CC79A7", ok="#009E73", miss="#D55E00", line_width=3.5,
                    highlight="#000000")
PROFILES = {p.name: p for p in (DARK, PROJECTOR)}
