"""A station's box as both kitchen painters draw it: its body; a dashed edge in the stall colour
while its decodes are paused (not while the results are veiled: that would answer the question);
hatched with an arrow while a planner moves it (moving_station.py); a dash-dot outline inside the
edge while its KV port is broken ([[faults]]). Shapes, not only colours."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPen

from disagg_viz.playback.snapshot import Station
from disagg_viz.ui.kitchen.colors import qcolor as _c
from disagg_viz.ui.kitchen.moving_station import draw_moving


def draw_outline(kp, p, st: Station, box: QRectF, radius: float, edge: float, stall_edge: float) -> bool:
    """Draw ``st``'s box; returns whether it is drawn stalled. ``kp``: the painter (its profile,
    veil and ``station_boxes``, which a highlighted stall frames)."""
    pr = kp.profile
    stalled = bool(st.stalled) and not kp.veiled
    kp.station_boxes.append((box, stalled))
    pen = QPen(_c(pr.stall if stalled else pr.station_edge), stall_edge if stalled else edge)
    if stalled:
        pen.setStyle(Qt.DashLine)
    p.setPen(pen)
    p.setBrush(QBrush(_c(pr.station)))
    p.drawRoundedRect(box, radius, radius)
    if st.moving:                # dynamic pools: on its way to the other pool
        draw_moving(kp, p, st, box, radius - 1)
    if st.port_share < 1.0:      # its KV port is broken ([[faults]])
        p.setPen(QPen(_c(pr.stall), 2.5, Qt.DashDotLine))
        p.setBrush(Qt.NoBrush)
        p.drawRoundedRect(box.adjusted(3, 3, -3, -3), radius - 1, radius - 1)
    return stalled
