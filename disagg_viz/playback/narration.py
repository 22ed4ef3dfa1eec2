"""One plain-words caption of what is happening in a kitchen at time t (Qt-free), in kitchen or
serving terms. The most important thing wins: a stall, then trays queueing on the pass, then
orders piling up, then memory running out, else what the stations are busy with."""

from __future__ import annotations

import numpy as np

from disagg_viz.i18n import _, _n, num
from disagg_viz.playback.snapshot import KitchenSnapshot, SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.sim.layout import IF_INST, IF_REQUEUED, IF_TIME, IF_UP, R_KV_HEAD, R_KV_ROOM
from disagg_viz.sim.result import ROLE_DECODE, ROLE_PREFILL

RATE_WINDOW_S = 2.0
LOSS_NEWS_S = 10.0       # a station lost this recently is the caption's news (after a stall)


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
            what = (_("{name} is prepping {per} orders ({tokens} tokens)") if kitchen
                    else _("{name} is prefilling {per} prompts ({tokens} tokens)"))
        elif kitchen:
            what = _("{name} is prepping an {tokens}-token order") if _article(tokens) == "an" else \
                _("{name} is prepping a {tokens}-token order")
        else:
            what = _("{name} is prefilling an {tokens}-token prompt") if _article(tokens) == "an" else \
                _("{name} is prefilling a {tokens}-token prompt")
        what = what.format(name=name, per=per, tokens=num(tokens))
        return (_("Plating paused {ms} ms for {seats}: {what}.") if kitchen
                else _("Decodes stalled {ms} ms for {seats}: {what}.")).format(
                    ms=num(st.paused_s * 1e3), seats=vocab.count(len(st.seats), "seats"), what=what)
    news = _lost_news(res, snap, vocab, kitchen)
    if news:
        return news
    queued = [tr for tr in snap.trays if tr.progress < 0]
    if res.has_link and len(queued) >= 2:
        f, t = res.req_f, snap.t
        if np.any((f[:, R_KV_HEAD] <= t) & ~(f[:, R_KV_ROOM] <= t)):
            return _overloaded(builder, kitchen,
                               (_("Trays wait for counter space on the plating line ({n} waiting): "
                                  "the decode pool's KV memory is full.") if kitchen else
                                _("KV transfers wait for decode KV memory ({n} waiting): the decode "
                                  "pool is full, not the link.")).format(n=num(len(queued))))
        # Both ends are ports: at most min(senders, receivers) shipments move at once.
        move = "?" if secret_link else num(res.link.max_bytes_per_s / 1e9, ",.3g")
        make = builder.tray_rate(snap.t, RATE_WINDOW_S) / 1e9
        if kitchen:
            return _overloaded(builder, kitchen, _("Trays are queueing ({n} waiting): the pass moves "
                               "{move} GB/s, the prep kitchen makes {make} GB/s of trays.").format(
                                   n=num(len(queued)), move=move, make=num(make, ",.3g")))
        return _overloaded(builder, kitchen, _("KV transfers are queueing ({n} waiting): the links move "
                           "{move} GB/s, prefill produces {make} GB/s of KV cache.").format(
                               n=num(len(queued)), move=move, make=num(make, ",.3g")))
    waiting = sum(len(s.queue) for s in snap.stations)
    preppers = [s for s in snap.stations if s.role != ROLE_DECODE]
    if waiting >= 2 * max(len(preppers), 1):
        return _overloaded(builder, kitchen,
                           (_("{n} orders waiting on the rail: prep can't keep up, so time to first token grows.")
                            if kitchen else _("{n} requests queued for prefill: prefill is the bottleneck, "
                                              "TTFT grows.")).format(n=num(waiting)))
    full = [s for s in snap.stations if s.role != ROLE_PREFILL and s.kv_used >= 0.9]
    if full:
        st = full[0]
        name = f"{vocab.word(st.role).lower()} {st.number}"
        return (_("Counter space is nearly full on {name} ({used}): new orders wait for room.")
                if kitchen else _("KV memory is nearly full on {name} ({used}): admissions wait.")).format(
                    name=name, used=num(st.kv_used, ".0%"))
    prepping = sum(s.prefill_requests for s in snap.stations)
    seats = sum(len(s.seats) for s in snap.stations)
    if prepping == 0 and seats == 0:
        return _("Quiet: the kitchen waits for orders.") if kitchen else _("Idle: no requests in flight.")
    moving = len(snap.trays) - len(queued)
    parts = []
    if prepping:
        parts.append((_n("prepping {n} order", "prepping {n} orders", prepping) if kitchen
                      else _n("prefilling {n} request", "prefilling {n} requests", prepping)).format(n=prepping))
    if moving:
        parts.append((_n("{n} tray on the pass", "{n} trays on the pass", moving) if kitchen
                      else _n("{n} KV transfer in flight", "{n} KV transfers in flight", moving)).format(n=moving))
    if seats:
        parts.append((_("plating for {seats}") if kitchen else _("decoding {seats}")).format(
            seats=vocab.count(seats, "seats")))
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + _("; no one is waiting.")


def _overloaded(builder, kitchen: bool, text: str) -> str:
    """A queueing caption, with the warning that the queue grows for the whole run if it does."""
    if not builder.overload.overloaded:
        return text
    return _("Overloaded, the queue grows all run. ") + text


def _lost_news(res, snap: KitchenSnapshot, vocab: Vocabulary, kitchen: bool) -> str:
    """The station lost most recently, within LOSS_NEWS_S: what happened to its requests (the
    engine's count of the ones it routed again)."""
    lost = [s for s in snap.stations if s.lost_since is not None and snap.t - s.lost_since < LOSS_NEWS_S]
    if not lost or res.lost is None:
        return ""
    st = max(lost, key=lambda s: s.lost_since)
    rows = res.lost[(res.lost[:, IF_INST] == st.index) & (res.lost[:, IF_UP] == 0.0)
                    & (res.lost[:, IF_TIME] == st.lost_since)]
    n = int(rows[0, IF_REQUEUED]) if len(rows) else 0
    name = f"{vocab.word(st.role)} {st.number}"
    if kitchen:
        return _n("{name} was lost at {t} s: {n} order went back to be prepped again.",
                  "{name} was lost at {t} s: {n} orders went back to be prepped again.", n).format(
                      name=name, t=num(st.lost_since, ",.1f"), n=n)
    return _n("{name} was lost at {t} s: {n} request was routed again and its KV rebuilt.",
              "{name} was lost at {t} s: {n} requests were routed again and their KV rebuilt.", n).format(
                  name=name, t=num(st.lost_since, ",.1f"), n=n)
