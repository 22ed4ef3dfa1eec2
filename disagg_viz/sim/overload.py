"""Is a system overloaded (its backlog grows for the whole run), and where does the backlog sit?

When the offered load exceeds what a system can serve, its latencies grow with the length of
the run and mean nothing on their own; the summary says so instead of reporting them as if they
did. Qt-free; reads only the result's per-request timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from disagg_viz.sim.layout import (
    R_FINISH, R_KV_HEAD, R_KV_ROOM, R_PREFILL_START, R_TRANSFER_END, R_TRANSFER_START,
)
from disagg_viz.sim.result import SystemResult

MIN_REQUESTS = 20        # too few requests to tell a trend
GROWTH = 1.5             # backlog at the last arrival vs half-way through the arrivals
MIN_GROWTH_SHARE = 0.1   # ... and it grew by at least this share of the accepted requests


@dataclass(frozen=True)
class Overload:
    overloaded: bool
    reason: str = ""
    offered_per_s: float = 0.0   # accepted requests per second of arrivals
    served_per_s: float = 0.0    # requests finished per second over the second half of the arrivals
    where: str = ""              # "prefill" | "kv room" | "link" | "decode" (the largest backlog)


def _in_system(res: SystemResult, t: float) -> int:
    ok = ~res.rejected
    return int(np.sum(ok & (res.arrival <= t)) - np.sum(ok & (res.req_f[:, R_FINISH] <= t)))


def overload(res: SystemResult) -> Overload:
    accepted = ~res.rejected
    n = int(accepted.sum())
    if n < MIN_REQUESTS:
        return Overload(False)
    arr = res.arrival[accepted]
    t0, t1 = float(arr[0]), float(arr[-1])
    if t1 <= t0:
        return Overload(False)
    mid = 0.5 * (t0 + t1)
    b_mid, b_end = _in_system(res, mid), _in_system(res, t1)
    fin = res.req_f[:, R_FINISH]
    offered = n / (t1 - t0)
    served = float(np.sum((fin > mid) & (fin <= t1))) / (t1 - mid)
    if not (b_end >= GROWTH * b_mid and b_end - b_mid >= MIN_GROWTH_SHARE * n):
        return Overload(False, offered_per_s=offered, served_per_s=served)
    where, count = _where(res, t1)
    reason = (f"offered {offered:.3g} req/s but serving {served:.3g} req/s: {b_end:,} requests in the system "
              f"at the last arrival ({b_mid:,} half-way), {count:,} of them {_WHERE_TEXT[where]}; "
              "latencies grow with the length of the run")
    return Overload(True, reason, offered, served, where)


_WHERE_TEXT = {
    "prefill": "waiting for prefill",
    "kv room": "prefilled and waiting for KV room on the decode pool",
    "link": "prefilled and waiting for a link",
    "decode": "decoding or waiting for a decode seat",
}


def _where(res: SystemResult, t: float) -> tuple[str, int]:
    f = res.req_f
    accepted = ~res.rejected
    arrived = accepted & (res.arrival <= t)
    done = f[:, R_FINISH] <= t
    waiting_prefill = int(np.sum(arrived & ~(f[:, R_PREFILL_START] <= t)))
    groups = {"prefill": waiting_prefill}
    if res.has_link:
        ready = res.kv_ready <= t
        shipping = ready & ~(f[:, R_TRANSFER_START] <= t)
        heads_waiting_room = np.any((f[:, R_KV_HEAD] <= t) & ~(f[:, R_KV_ROOM] <= t))
        groups["kv room" if heads_waiting_room else "link"] = int(np.sum(shipping))
        groups["decode"] = int(np.sum((f[:, R_TRANSFER_END] <= t) & ~done))
    else:
        groups["decode"] = int(np.sum((f[:, R_PREFILL_START] <= t) & ~done))
    where = max(groups, key=lambda k: groups[k])
    return where, groups[where]
