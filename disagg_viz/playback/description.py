"""A kitchen's state as text for screen readers and the kitchen's tooltip (Qt-free): per pool,
the stations lost or with a broken KV port, the orders waiting, the stations busy, the seats being
plated and those paused; the trays on the pass; served and missed. In the current vocabulary (kitchen or serving terms) and language."""

from __future__ import annotations

from disagg_viz.i18n import _, _n, num
from disagg_viz.playback.snapshot import KitchenSnapshot
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL


def describe(snap: KitchenSnapshot | None, vocab: Vocabulary, title: str, veiled: bool = False) -> str:
    """One sentence per part of the kitchen ``title`` at the snapshot's time. ``veiled``: a
    lesson hides the SLO verdicts until the guess, so the description does not tell them."""
    if snap is None:
        return _("{title}: no result yet.").format(title=title)
    lines = [_("{title} at {t} s.").format(title=title, t=num(snap.t, ".1f"))]
    for role in (ROLE_COLOCATED, ROLE_PREFILL, ROLE_DECODE):
        pool = [s for s in snap.stations if s.role == role]
        if not pool:
            continue
        busy = sum(1 for s in pool if s.prefill_tokens or s.seats)
        parts = [_n("{busy} of {n} station busy", "{busy} of {n} stations busy", len(pool)).format(
            busy=busy, n=len(pool))]
        if role != ROLE_DECODE:
            waiting = sum(int(s.queue.size) for s in pool)
            parts.append(_n("{n} waiting for {prep}", "{n} waiting for {prep}", waiting).format(
                n=waiting, prep=vocab.word(ROLE_PREFILL).lower()))
            parts.append(_("{tokens} prompt tokens being read").format(
                tokens=num(sum(s.prefill_tokens for s in pool))))
        if role != ROLE_PREFILL:
            parts.append(vocab.count(sum(len(s.seats) for s in pool), "seats"))
            paused = sum(1 for s in pool if s.stalled)
            if paused:
                parts.append(_n("{n} station paused by a prefill", "{n} stations paused by a prefill",
                                paused).format(n=paused))
        lost = sum(1 for s in pool if s.lost_since is not None)
        if lost:                              # [[faults]] kind "instance-lost"
            parts.insert(0, _n("{n} station lost", "{n} stations lost", lost).format(n=lost))
        broken = sum(1 for s in pool if s.port_share < 1.0)
        if broken:                            # [[faults]] kind "link"
            parts.append(_n("{n} KV port broken", "{n} KV ports broken", broken).format(n=broken))
        lines.append(f"{vocab.word(role)}: " + ", ".join(parts) + ".")
    if any(s.role == ROLE_PREFILL for s in snap.stations):
        moving = sum(1 for tr in snap.trays if tr.progress >= 0)
        waiting = sum(1 for tr in snap.trays if tr.progress < 0)
        lines.append(vocab.word("pass").split(" (")[0] + ": " + _("{moving} moving, {waiting} waiting.").format(
            moving=moving, waiting=waiting))
    served = _("{n} served").format(n=num(snap.served_total))
    if not veiled:
        served += ", " + _("{n} missed the SLO").format(n=num(snap.missed_total))
    lines.append(served + ".")
    return " ".join(lines)
