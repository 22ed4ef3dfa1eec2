"""Stations sharing an NVLink domain (a node, an NVL72 rack), drawn the same way by both kitchen
painters: a tinted frame behind each run of them, and a tag naming the domain on the first."""
from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QPen

from disagg_viz.playback.snapshot import Station
from disagg_viz.ui.kitchen.colors import qcolor as _c
from disagg_viz.ui.language import tr


def draw_domain_frames(kp, p, stations: list[Station], boxes: list[QRectF], pad: float, radius: float) -> list[str]:
    """Frame each run of ``stations`` (drawn in ``boxes``) on the same NVLink domains, behind
    them; returns each station's tag ('node 2' on the first of its run, '' else). ``kp`` is the
    painter (its profile and hover ``regions``)."""
    pr = kp.profile
    tags = [""] * len(stations)
    k = 0
    while k < len(stations):
        span = stations[k].domain
        end = k + 1
        while end < len(stations) and span is not None and stations[end].domain == span:
            end += 1
        if span is not None:
            frame = boxes[k].united(boxes[end - 1]).adjusted(-pad, -pad / 2, pad, pad / 2)
            p.setPen(QPen(_c(pr.muted, 160), 1.0))
            p.setBrush(QBrush(_c(pr.muted, 70 if span.first % 2 == 0 else 35)))
            p.drawRoundedRect(frame, radius, radius)
            tags[k] = span.label()
            kp.regions.append((frame, tr("Stations in one frame share an NVLink domain ({label}): KV and expert "
                                         "traffic between them stays on NVLink; across frames it crosses the "
                                         "NICs.").format(label=span.label())))
        k = end
    return tags
