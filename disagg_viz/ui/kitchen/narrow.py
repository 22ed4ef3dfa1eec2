"""A kitchen narrower than its columns need (the compact painter below NARROW_W: three kitchens in
a 1280x800 window put two side by side): lines one under the other. The served count first; then,
when the height allows, one line per station ("Plating 2: 20 seats", "Plating 1: ✕ LOST since
30 s"), pool after pool with the pass between them; else one summary line per pool ("Station ×4:
1 prepping, 0 waiting, 20 seats")."""
from __future__ import annotations

from PySide6.QtCore import QRectF

from disagg_viz.playback.snapshot import KitchenSnapshot, Station
from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL
from disagg_viz.ui.kitchen.station_words import station_lines
from disagg_viz.ui.language import number, tr


def _pool_line(kp, role: int, pool: list[Station]) -> str:
    busy = sum(1 for s in pool if s.prefill_tokens)
    seats = sum(len(s.seats) for s in pool)
    waiting = sum(int(s.queue.size) for s in pool)
    paused = sum(1 for s in pool if kp._stalled(s))
    parts = []
    if role != ROLE_DECODE:
        busy_word = tr("{busy} prepping") if kp.vocab.mode == "kitchen" else tr("{busy} prefill")
        parts.append(busy_word.format(busy=busy)
                     + ("" if kp.veiled else tr(", {waiting} waiting").format(waiting=number(waiting))))
    if role != ROLE_PREFILL:
        parts.append(kp.vocab.count(seats, "seats"))
    if paused:
        parts.append(tr("❚❚ {n} paused").format(n=paused))
    lost = sum(1 for s in pool if s.lost_since is not None)
    if lost:                                   # first: the line may be cut at its end
        parts.insert(0, tr("✕ {n} lost").format(n=lost))
    return f"{kp.vocab.word(role)} ×{len(pool)}: " + ", ".join(parts)


def _station_line(kp, st: Station, width: float) -> str:
    if st.lost_since is not None:
        return f"{kp.vocab.word(st.role)} {st.number}: " + tr("✕ LOST") + " " + tr("since {t} s").format(
            t=number(st.lost_since, 1))
    if st.port_share >= 1.0:
        return station_lines(kp, st, width, 1, kp._stalled(st))[0]
    # its KV port is broken ([[faults]]): said at the end of its line, in words if they fit beside
    # the station's name, else as a sign
    name = f"{kp.vocab.word(st.role)} {st.number}:"
    for mark in (" · ⚠ " + tr("port broken: {share} of the link").format(share=f"{st.port_share:.0%}"), " ⚠"):
        line = station_lines(kp, st, width - kp._advance(mark), 1, kp._stalled(st))[0]
        if (line.startswith(name) and kp._advance(line + mark) <= width) or mark == " ⚠":
            return line + mark


def draw_narrow(kp, p, snap: KitchenSnapshot, body: QRectF, px: float) -> None:
    """Draw ``snap`` in ``body`` as lines; ``kp`` is the compact painter (its vocabulary, veil,
    profile, ``_text``, ``_stalled``, ``line_h`` and the ``_columns`` a highlight frames)."""
    pr = kp.profile
    stations = snap.stations
    pools = [(role, [s for s in stations if s.role == role]) for role in (ROLE_COLOCATED, ROLE_PREFILL, ROLE_DECODE)]
    pools = [(role, pool) for role, pool in pools if pool]
    split = any(role == ROLE_PREFILL for role, _ in pools)
    groups = 1 + len(pools) + (1 if split else 0)
    need = (1 + len(stations) + (1 if split else 0)) * kp.line_h()
    # between parts, room for a highlight's frame when the height allows
    gap = next((g for g in (0.3 * kp.line_h(), 0.2 * kp.line_h(), 0.0) if need + (groups - 1) * g <= body.height() + 2), None)
    one_each = gap is not None
    if gap is None:
        gap = 0.3 * kp.line_h()
    lines = []                                 # (text, colour, the part a highlight frames, its station)
    for role, pool in pools:
        key = "prep" if role != ROLE_DECODE else "plating"
        if one_each:
            for st in pool:
                marked = st.lost_since is not None or st.port_share < 1.0 or kp._stalled(st)
                lines.append((_station_line(kp, st, body.width() - 4), pr.stall if marked else None, key, st))
        else:
            paused = any(kp._stalled(s) for s in pool)
            lines.append((_pool_line(kp, role, pool), pr.stall if paused else None, key, None))
        if role == ROLE_PREFILL:
            moving = sum(1 for t in snap.trays if t.progress >= 0)
            waiting = sum(1 for t in snap.trays if t.progress < 0)
            queue = "" if kp.veiled else tr(", {waiting} waiting").format(waiting=number(waiting))
            lines.append((kp.vocab.word("pass").split(" (")[0] + ": " + tr("{moving} moving").format(moving=moving)
                          + queue, pr.stall if waiting and not kp.veiled else None, "pass", None))
    served = tr("verdicts hidden") if kp.veiled else tr("{n} served so far, {verdict}").format(   # veiled: counts differ
        n=number(snap.served_total), verdict=tr("✗ {n} missed").format(n=number(snap.missed_total)))
    lines.insert(0, (served, None, "served", None))
    y = body.top()
    for k, (text, color, key, st) in enumerate(lines):
        if k and key != lines[k - 1][2]:
            y += gap
        if y + kp.line_h() > body.bottom() + 2:
            break
        rect = QRectF(body.left() + 4, y, body.width() - 4, kp.line_h())     # inside a highlight's frame
        kp._columns[key] = kp._columns[key].united(rect) if key in kp._columns else rect
        kp._text(p, rect, text, px, color)
        if st is not None:
            kp.station_hits.append((rect, st))
        y += kp.line_h()
