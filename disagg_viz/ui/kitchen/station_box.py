"""One station of the presenting (compact) kitchen, in its box: the outline (dashed in orange
when plating is paused, a dash-dot ring inside when its KV port is broken, hatched while the
planner moves it), a bar of its work, its words, its NVLink domain's tag, and under them a
picture (the prompt being prepped, the seats filling). A lost station is drawn struck through
(lost_station.py). ``kp``: the CompactPainter; ``px``: the text size asked for (its floor decides)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QPen

from disagg_viz.playback.snapshot import Station
from disagg_viz.ui.kitchen.colors import qcolor as _c
from disagg_viz.ui.kitchen.lost_station import draw_lost_compact
from disagg_viz.ui.kitchen.moving_station import arrow_room
from disagg_viz.ui.kitchen.station_outline import draw_outline


def draw_station(kp, p, st: Station, box: QRectF, tag: str, px: float) -> None:
    pr = kp.profile
    if st.lost_since is not None:
        draw_lost_compact(kp, p, st, box, px)
        return
    stalled = draw_outline(kp, p, st, box, 5, 1.0, 3.0)
    # a bar under the words: hatched prep work, or the share of seats in use
    bar = QRectF(box.left() + 2, box.bottom() - 6, box.width() - 4, 4)
    p.setPen(Qt.NoPen)
    if st.prefill_tokens:
        p.setBrush(QBrush(_c(pr.prep), Qt.BDiagPattern))
        p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * min(st.compute_util * 1.5, 1.0), bar.height()))
    elif st.seats:
        p.setBrush(QBrush(_c(pr.plate)))
        p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * min(st.bw_util * 1.5, 1.0), bar.height()))
    width = box.width() - 14
    if st.moving:                # the words stop short of the arrow (it covered "→ Prep" at 1280x800)
        width -= arrow_room(kp) + 4
    lh = kp.line_h()
    rows = max(int((box.height() - 8) // lh), 1)
    lines = kp._station_lines(st, width, rows, stalled)
    tag_line = None              # its NVLink domain: right-aligned on the first line, or under the words
    tw = 0.0
    if tag:
        f = QFont(p.font())
        f.setPixelSize(int(kp.min_px))
        fm = QFontMetricsF(f)
        tw = min(fm.horizontalAdvance(tag) + 4, width)
        if lines and (fm.horizontalAdvance(lines[0]) + tw + 8 > width or tw > width * 0.4):
            if len(lines) + 1 <= rows:
                tag_line = len(lines)          # a line of its own under the words (before the picture)
            else:                              # beside narrower words, cut if it must be
                tw = min(tw, width * 0.4)
                lines = kp._station_lines(st, width - tw - 8, rows, stalled)
        tag_box = QRectF(box.left() + 8 + width - tw, box.top() + (tag_line or 0) * lh, tw, lh + 2)
        kp._text(p, tag_box, tag, px, pr.muted, align=Qt.AlignRight | Qt.AlignVCenter)
    for k, line in enumerate(lines):
        w = width if (not tag or tag_line is not None or k > 0) else width - tw - 8
        words = QRectF(box.left() + 8, box.top() + k * lh, w, lh + 2)
        kp._text(p, words, line, px, pr.stall if stalled else None, bold=stalled)
    below = box.top() + (max(len(lines), (tag_line or 0) + 1)) * lh + 2
    room = QRectF(box.left() + 8, below, box.width() - 16, box.bottom() - 8 - below)
    if room.height() >= 14:
        draw_picture(kp, p, st, room)
    kp.regions.append((box, kp.vocab.tip("station", station=st)))


def draw_picture(kp, p, st: Station, room: QRectF) -> None:
    """What words cannot show at a glance: a hatched bar for the prompt being prepped, and
    the seats as circles filling with their tokens (hollow while plating is paused)."""
    pr = kp.profile
    x = room.left()
    scale = max(kp.min_px / 18.0, 1.0)           # a bigger type on a big screen (past 18 px): a bigger picture
    if st.prefill_tokens:
        w = min(room.width() * 0.35, 40 * scale + room.width() * 0.25 * min(st.prefill_tokens / 16384, 1.0))
        bar = QRectF(x, room.top() + 2, w, min(room.height() - 4, 26 * scale))
        p.setPen(QPen(_c(pr.station_edge), 1))
        p.setBrush(QBrush(_c(pr.prep), Qt.BDiagPattern))
        p.drawRect(bar)
        x = bar.right() + 10
    d = min(room.height() - 4, 26.0 * scale)
    if d < 12 or not st.seats:                  # smaller pies read as dots
        return
    per_row = max(int((room.right() - x) // (d + 4)), 1)
    rows = max(int((room.height() + 2) // (d + 4)), 1)
    for k, seat in enumerate(st.seats[:per_row * rows]):
        c = QRectF(x + (k % per_row) * (d + 4), room.top() + 2 + (k // per_row) * (d + 4), d, d)
        p.setPen(QPen(_c(pr.station_edge), 1))
        p.setBrush(Qt.NoBrush if kp._stalled(st) else QBrush(_c(pr.plate, 60)))
        p.drawEllipse(c)
        p.setPen(Qt.NoPen)
        p.setBrush(QBrush(_c(pr.muted if kp._stalled(st) else pr.plate)))
        p.drawPie(c, 90 * 16, -int(360 * 16 * min(seat.emitted / max(seat.output, 1), 1.0)))
