"""A lost station ([[faults]] kind "instance-lost"), in either kitchen painter: greyed, struck
through and labelled with when it went (a shape and words, not only a colour)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPen

from disagg_viz.playback.snapshot import Station
from disagg_viz.ui.kitchen.colors import qcolor as _c
from disagg_viz.ui.language import number, tr


def _struck(kp, p, box: QRectF, edge: float, radius: float) -> None:
    pr = kp.profile
    kp.station_boxes.append((box, False))
    p.setPen(QPen(_c(pr.muted), edge, Qt.DotLine))
    p.setBrush(QBrush(_c(pr.panel)))
    p.drawRoundedRect(box, radius, radius)
    p.setPen(QPen(_c(pr.stall), 3.0))
    p.drawLine(box.bottomLeft() + QPointF(6, -radius / 2 - 1), box.topRight() + QPointF(-6, radius / 2 + 1))
    kp.regions.append((box, tr("This station is lost (a [[faults]] entry): its waiting and running requests "
                               "were routed again and their KV rebuilt by a new prefill.")))


def draw_lost(kp, p, st: Station, box: QRectF) -> None:
    """The detailed kitchen's lost station: its name, and what happened to its requests."""
    pr = kp.profile
    _struck(kp, p, box, 1.5, 6)
    kp._text(p, QRectF(box.left() + 8, box.top() + 2, box.width() - 16, 16), kp.vocab.station_name(st), 10.0,
             pr.muted, bold=True)
    label = tr("✕ LOST at {t} s: its requests went back to the queue").format(t=number(st.lost_since, 1))
    kp._fitted_text(p, QRectF(box.left() + 10, box.center().y() - 10, box.width() - 20, 20), label, 11.0, 8.0,
                    pr.stall, True)


def draw_lost_compact(kp, p, st: Station, box: QRectF, px: float) -> None:
    """The presenting kitchen's lost station: its name and '✕ LOST', then since when (one line
    when the box has room for one); a narrow box shortens the name to its number ("#1: ✕ LOST",
    was "Prep 1: ✕ LO…" at 1024x768)."""
    _struck(kp, p, box, 1.0, 5)
    lost, since = tr("✕ LOST"), tr("since {t} s").format(t=number(st.lost_since, 1))
    width = box.width() - 16
    one = box.height() < 2 * kp.line_h() + 4
    for name in (f"{kp.vocab.word(st.role)} {st.number}: ", f"#{st.number}: ", ""):
        lines = [name + lost + " " + since] if one else [name + lost, since]
        if kp._advance(lines[0], True) <= width:
            break
    for k, line in enumerate(lines):
        kp._text(p, QRectF(box.left() + 8, box.top() + 1 + k * kp.line_h(), width, kp.line_h()),
                 line, px, kp.profile.stall, bold=k == 0)
