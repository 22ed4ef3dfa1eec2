"""Dynamic pools in the reference engine (issue 21): the planner that moves instances between the
prefill and the decode pool of a split system. The kernels' twin is sim/kernels/planner.py; the
rules are in docs/engine.md, "Dynamic pools".

Instance k of the system has a prefill object ``pre[k]`` and a decode object ``dec[k]`` (global
id k); it is on duty in one pool at a time (the other object is ``off``)."""

from __future__ import annotations

import math

import numpy as np

from disagg_viz.sim.events import PH_ACTIVE, PH_DRAIN, PH_SWITCH
from disagg_viz.sim.layout import (
    MV_COLS, MV_DECIDED, MV_DRAINED, MV_FROM, MV_INSTANCE, MV_KV, MV_QUEUE, MV_READY, MV_TO, MV_TPOT, MV_TTFT,
    MV_WHY, PL_PLAN_DWELL_US, PL_PLAN_INTERVAL_US, PL_PLAN_MIN, PL_PLAN_KV_DOWN_MILLI, PL_PLAN_KV_UP_MILLI, PL_PLAN_PREFILL,
    PL_PLAN_QUEUE_DOWN_MILLI, PL_PLAN_QUEUE_UP_MILLI, PL_PLAN_SAMPLES, PL_PLAN_SWITCH_US, PL_PLAN_TPOT_US, PL_PLAN_TTFT_US,
    R_FINISH, R_FIRST_TOKEN, R_REJECT, WHY_DECODE_KV, WHY_PREFILL_QUEUE, WHY_TPOT, WHY_TTFT,
)

ROLE_PREFILL = 1    # sim/specs.py ROLE_PREFILL, ROLE_DECODE
ROLE_DECODE = 2


class Planner:
    def __init__(self, row, pre, dec, cap_d: int):
        """``row``: the prefill pool's row (PL_PLAN_*); ``pre``, ``dec``: every instance's prefill
        and decode objects (the first PL_PLAN_PREFILL start on prefill duty)."""
        self.row = [int(x) for x in row]
        self.pre, self.dec, self.cap_d = pre, dec, cap_d
        n = len(pre)
        first = self.row[PL_PLAN_PREFILL]
        self.role = [ROLE_PREFILL if k < first else ROLE_DECODE for k in range(n)]
        self.phase = [PH_ACTIVE] * n
        self.ready = [-math.inf] * n        # on duty in its current pool since
        self.switch_end = [math.inf] * n
        for k in range(n):
            pre[k].off = k >= first
            dec[k].off = k < first
        self.tick = 1                       # the next tick's number
        self.moving = -1
        self.lo = 0                         # the first request not yet done
        self.samples, self.q_sum, self.kv_sum = 0, 0.0, 0.0   # the interval's samples and their sums
        self.moves: list[list[float]] = []

    def tick_time(self) -> float:
        """The next sample's time (PL_PLAN_SAMPLES samples an interval)."""
        return self.tick * self.row[PL_PLAN_INTERVAL_US] / (self.row[PL_PLAN_SAMPLES] * 1e6)

    def on_prefill(self):
        return [p for p in self.pre if not p.off]

    # --- the tick ------------------------------------------------------------------------------
    def plan(self, t: float, req, arrived: int) -> None:
        """Sample the signals; every PL_PLAN_SAMPLES-th sample, unless an instance is moving,
        compare the interval's means with the thresholds and start at most one move."""
        row = self.row
        decide = self.tick % row[PL_PLAN_SAMPLES] == 0
        self.tick += 1
        if self.cap_d <= 0:
            return                # the weights do not fit: every request is rejected, nothing to plan
        ttft_sum, ttft_n, tpot_sum, tpot_n = 0.0, 0, 0.0, 0
        if decide:
            since = t - row[PL_PLAN_INTERVAL_US] / 1e6
            for r in range(self.lo, arrived):
                ft = req.f[r, R_FIRST_TOKEN]
                if ft > since:
                    ttft_sum += ft - req.arrival[r]
                    ttft_n += 1
                fin = req.f[r, R_FINISH]
                if fin > since and req.output[r] > 1:
                    tpot_sum += (fin - ft) / (req.output[r] - 1)
                    tpot_n += 1
            while self.lo < arrived and (req.i[self.lo, R_REJECT] != 0 or req.f[self.lo, R_FINISH] <= t):
                self.lo += 1
        if self.moving >= 0:
            self.samples, self.q_sum, self.kv_sum = 0, 0.0, 0.0
            return
        on_p = [p for p in self.pre if not p.off]
        on_d = [d for d in self.dec if not d.off]
        n_pa, n_da, cap_d = len(on_p), len(on_d), self.cap_d
        self.q_sum += sum(len(p.queue) for p in on_p) / n_pa
        self.kv_sum += sum(d.used for d in on_d) / (cap_d * n_da)
        self.samples += 1
        if not decide:
            return
        q, u = self.q_sum / self.samples, self.kv_sum / self.samples
        self.samples, self.q_sum, self.kv_sum = 0, 0.0, 0.0
        ttft_t, tpot_t = row[PL_PLAN_TTFT_US] / 1e6, row[PL_PLAN_TPOT_US] / 1e6
        ttft_hi = ttft_t > 0 and ttft_n > 0 and ttft_sum > ttft_t * ttft_n
        tpot_hi = tpot_t > 0 and tpot_n > 0 and tpot_sum > tpot_t * tpot_n
        q_hi = q * 1000 > row[PL_PLAN_QUEUE_UP_MILLI]
        q_lo = q * 1000 < row[PL_PLAN_QUEUE_DOWN_MILLI]
        kv_hi = u * 1000 > row[PL_PLAN_KV_UP_MILLI]
        kv_lo = u * 1000 < row[PL_PLAN_KV_DOWN_MILLI]
        dwell = row[PL_PLAN_DWELL_US] / 1e6
        src = None
        if (q_hi or ttft_hi) and kv_lo and not tpot_hi and n_da > row[PL_PLAN_MIN]:
            ok = [d for d in on_d if self.ready[d.idx] + dwell <= t]
            src = min(ok, key=lambda d: (d.used, d.idx)).idx if ok else None
            why = WHY_PREFILL_QUEUE if q_hi else WHY_TTFT
        elif (kv_hi or tpot_hi) and q_lo and n_pa > row[PL_PLAN_MIN]:
            ok = [p for p in on_p if self.ready[p.idx] + dwell <= t]
            src = min(ok, key=lambda p: (p.used, p.idx)).idx if ok else None
            why = WHY_DECODE_KV if kv_hi else WHY_TPOT
        if src is None:
            return
        frm = self.role[src]
        mv = [math.nan] * MV_COLS
        mv[MV_INSTANCE], mv[MV_FROM], mv[MV_DECIDED], mv[MV_WHY] = src, frm, t, why
        mv[MV_TO] = ROLE_DECODE if frm == ROLE_PREFILL else ROLE_PREFILL
        mv[MV_QUEUE], mv[MV_KV] = q, u
        mv[MV_TTFT] = ttft_sum / ttft_n if ttft_n > 0 else math.nan
        mv[MV_TPOT] = tpot_sum / tpot_n if tpot_n > 0 else math.nan
        self.moves.append(mv)
        self.moving = src
        self.phase[src] = PH_DRAIN
        (self.pre if frm == ROLE_PREFILL else self.dec)[src].off = True

    # --- the move ------------------------------------------------------------------------------
    def switching_until(self) -> float:
        k = self.moving
        return self.switch_end[k] if k >= 0 and self.phase[k] == PH_SWITCH else math.inf

    def check_drained(self, t: float) -> None:
        """The moving instance has no more work in the pool it leaves: it changes role (a prefill
        instance's prefix cache goes) until the switch delay has passed."""
        k = self.moving
        if k < 0 or self.phase[k] != PH_DRAIN:
            return
        if self.role[k] == ROLE_PREFILL:
            p = self.pre[k]
            if p.busy or p.queue or p.used != 0:
                return
            p.cache.trim(0)
        else:
            d = self.dec[k]
            if d.used != 0 or d.busy:
                return
        self.phase[k] = PH_SWITCH
        self.switch_end[k] = t + self.row[PL_PLAN_SWITCH_US] / 1e6
        self.moves[-1][MV_DRAINED] = t

    def switch(self, t: float) -> bool:
        """The moving instance goes on duty in its new pool; True when that is the decode pool."""
        k = self.moving
        self.phase[k] = PH_ACTIVE
        self.switch_end[k] = math.inf
        self.ready[k] = t
        self.moves[-1][MV_READY] = t
        self.moving = -1
        if self.role[k] == ROLE_PREFILL:
            self.role[k] = ROLE_DECODE
            self.dec[k].off = False
            return True
        self.role[k] = ROLE_PREFILL
        self.pre[k].off = False
        return False

    def log(self) -> np.ndarray:
        return np.array(self.moves, dtype=np.float64).reshape(len(self.moves), MV_COLS)
