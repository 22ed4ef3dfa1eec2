"""A pool too big to list station by station in the presenting kitchen: one line per kind of
work ("16 prep stations", "12 prepping, 40 waiting", seats, pauses, lost ones) and a strip of one
tick per station (busy ones filled, hatched while prepping; bands per NVLink domain)."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPen

from disagg_viz.playback.snapshot import Station
from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL
from disagg_viz.ui.kitchen.colors import qcolor as _c
from disagg_viz.ui.language import number, tr


def draw_pool_summary(kp, p, stations: list[Station], rect: QRectF, px: float) -> None:
    """Summarize ``stations`` (one pool) in ``rect``; ``kp`` is the compact painter (its profile,
    vocabulary, veil, ``_text``, ``_stalled``, ``line_h`` and hover ``regions``)."""
    pr = kp.profile
    n = len(stations)
    role = stations[0].role
    prepping = sum(1 for s in stations if s.prefill_tokens)
    seats = sum(len(s.seats) for s in stations)
    stalled = sum(1 for s in stations if kp._stalled(s))
    waiting = sum(int(s.queue.size) for s in stations)
    word = kp.vocab.word(role).lower()
    lines = [tr("{n} {word} stations").format(n=n, word=word) if role != ROLE_COLOCATED else tr("{n} stations").format(n=n)]
    if role != ROLE_DECODE:
        busy_word = tr("{busy} prepping") if kp.vocab.mode == "kitchen" else tr("{busy} prefilling")
        lines.append(busy_word.format(busy=prepping)
                     + ("" if kp.veiled else tr(", {waiting} waiting").format(waiting=number(waiting))))
    if role != ROLE_PREFILL:
        lines.append(f"{kp.vocab.count(seats, 'seats')}" + (tr(", {n} paused").format(n=stalled) if stalled else ""))
    lost = sum(1 for s in stations if s.lost_since is not None)
    if lost:
        lines.append(tr("✕ {n} lost").format(n=lost))
    lines = _fitted(kp, lines, kp.vocab.word(role), n, rect.width() - 8,
                    int((rect.height() - 22) // kp.line_h()))
    y = rect.top()
    for k, line in enumerate(lines):
        kp._text(p, QRectF(rect.left() + 4, y, rect.width() - 8, kp.line_h()), line, px,
                   bold=k == 0)
        y += kp.line_h()
    tick_w = max(min((rect.width() - 8) / n, 24.0), 3.0)
    for k, s in enumerate(stations):            # one tick per station: busy ones filled
        r = QRectF(rect.left() + 4 + k * tick_w, y + 4, max(tick_w - 2, 1.0), 14)
        if s.domain is not None:                # on a band tinted per NVLink domain (node, rack)
            p.setPen(Qt.NoPen)
            p.setBrush(QBrush(_c(pr.muted, 90 if s.domain.first % 2 == 0 else 30)))
            p.drawRect(QRectF(r.left() - 1, r.top() - 3, tick_w, r.height() + 6))
        p.setPen(QPen(_c(pr.station_edge), 1))
        busy = s.prefill_tokens or s.seats
        p.setBrush(QBrush(_c(pr.prep if s.prefill_tokens else pr.plate), Qt.BDiagPattern if s.prefill_tokens
                          else Qt.SolidPattern) if busy else Qt.NoBrush)
        p.drawRect(r)
    kp.regions.append((rect, tr("{n} {word} stations: each tick is one (filled = busy).").format(n=n, word=word)))


def _fitted(kp, lines: list[str], word: str, n: int, width: float, room: int) -> list[str]:
    """The lines in a narrow column (lesson 8's 4P2D at 1024x768 read "4 prep stat…" and
    "0 prepping, …"): the title as "Prep ×4", then a line broken after its commas while there
    are lines to spare, each part whole."""
    if kp._advance(lines[0], True) > width:
        lines = [f"{word} ×{n}"] + lines[1:]
    out = []
    for k, line in enumerate(lines):
        parts = line.split(", ")
        spare = room - len(out) - (len(lines) - k)
        if k and len(parts) > 1 and kp._advance(line) > width and spare >= len(parts) - 1:
            out += [part + ("," if j < len(parts) - 1 else "") for j, part in enumerate(parts)]
        else:
            out.append(line)
    return out
