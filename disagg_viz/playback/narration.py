"""One plain-words caption of what is happening in a kitchen at time t (Qt-free), in kitchen or
serving terms. The most important thing wins: a stall, then trays queueing on the pass, then
orders piling up, then memory running out, else what the stations are busy with."""

from __future__ import annotations

import numpy as np

from disagg_viz.playback.snapshot import KitchenSnapshot, SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.sim.layout import R_KV_HEAD, R_KV_ROOM
from disagg_viz.sim.result import ROLE_DECODE, ROLE_PREFILL

RATE_WINDOW_S = 2.0


def _article(n: int) -> str:
    """'an 8,000-token', 'an 11,000-token', 'a 6,000-token'."""
    head = f"{n:,}".split(",")[0]
    return "an" if head.startswith("8") or head in ("11", "18") else "a"


def narrate(builder: SnapshotBuilder, snap: KitchenSnapshot, vocab: Vocabulary, secret_link: bool = False) -> str:
    """``secret_link``: the link bandwidth is a lesson's mystery, so the caption must not tell it."""
    kitchen = vocab.mode == "kitchen"
    res = builder.res
    stalled = [s for s in snap.stations if s.stalled]
    if stalled:
        st = max(stalled, key=lambda s: s.paused_s)
        name = f"{vocab.word(st.role).lower()} {st.number}"
        per, tokens = st.prefill_requests, st.prefill_tokens
        if per > 1:                  # the station's own words say "12,539 tok (2 orders)": the same numbers
            what = (f"{name} is prepping {per} orders ({tokens:,} tokens)" if kitchen else
                    f"{name} is prefilling {per} prompts ({tokens:,} tokens)")
        else:
            what = (f"{name} is prepping {_article(tokens)} {tokens:,}-token order"
                    if kitchen else f"{name} is prefilling {_article(tokens)} {tokens:,}-token prompt")
        head = "Plating paused" if kitchen else "Decodes stalled"
        return f"{head} {st.paused_s * 1e3:,.0f} ms for {vocab.count(len(st.seats), 'seats')}: {what}."
    queued = [tr for tr in snap.trays if tr.progress < 0]
    if res.has_link and len(queued) >= 2:
        f, t = res.req_f, snap.t
        if np.any((f[:, R_KV_HEAD] <= t) & ~(f[:, R_KV_ROOM] <= t)):
            return _overloaded(builder, kitchen,
                               f"Trays wait for counter space on the plating line ({len(queued)} waiting): "
                               "the decode pool's KV memory is full." if kitchen else
                               f"KV transfers wait for decode KV memory ({len(queued)} waiting): the decode "
                               "pool is full, not the link.")
        # Both ends are ports: at most min(senders, receivers) shipments move at once.
        move = "?" if secret_link else f"{res.link.max_bytes_per_s / 1e9:,.3g}"
        make = builder.tray_rate(snap.t, RATE_WINDOW_S) / 1e9
        if kitchen:
            return _overloaded(builder, kitchen, f"Trays are queueing ({len(queued)} waiting): the pass moves "
                               f"{move} GB/s, the prep kitchen makes {make:,.3g} GB/s of trays.")
        return _overloaded(builder, kitchen, f"KV transfers are queueing ({len(queued)} waiting): the links move "
                           f"{move} GB/s, prefill produces {make:,.3g} GB/s of KV cache.")
    waiting = sum(len(s.queue) for s in snap.stations)
    preppers = [s for s in snap.stations if s.role != ROLE_DECODE]
    if waiting >= 2 * max(len(preppers), 1):
        return _overloaded(builder, kitchen,
                           f"{waiting} orders waiting on the rail: prep can't keep up, so time to first token grows."
                           if kitchen else f"{waiting} requests queued for prefill: prefill is the bottleneck, "
                           "TTFT grows.")
    full = [s for s in snap.stations if s.role != ROLE_PREFILL and s.kv_used >= 0.9]
    if full:
        st = full[0]
        name = f"{vocab.word(st.role).lower()} {st.number}"
        return (f"Counter space is nearly full on {name} ({st.kv_used:.0%}): new orders wait for room."
                if kitchen else f"KV memory is nearly full on {name} ({st.kv_used:.0%}): admissions wait.")
    prepping = sum(s.prefill_requests for s in snap.stations)
    seats = sum(len(s.seats) for s in snap.stations)
    if prepping == 0 and seats == 0:
        return "Quiet: the kitchen waits for orders." if kitchen else "Idle: no requests in flight."
    moving = len(snap.trays) - len(queued)
    parts = []
    if prepping:
        parts.append(f"prepping {prepping} order{'s' if prepping != 1 else ''}" if kitchen
                     else f"prefilling {prepping} request{'s' if prepping != 1 else ''}")
    if moving:
        parts.append(f"{moving} tray{'s' if moving != 1 else ''} on the pass" if kitchen
                     else f"{moving} KV transfer{'s' if moving != 1 else ''} in flight")
    if seats:
        parts.append(f"plating for {vocab.count(seats, 'seats')}" if kitchen else f"decoding {vocab.count(seats, 'seats')}")
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "; no one is waiting."


def _overloaded(builder, kitchen: bool, text: str) -> str:
    """A queueing caption, with the warning that the queue grows for the whole run if it does."""
    if not builder.overload.overloaded:
        return text
    return "Overloaded, the queue grows all run. " + text
