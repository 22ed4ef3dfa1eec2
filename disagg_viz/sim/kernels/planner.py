"""Dynamic pools, compiled (issue 21): the planner's tick, the drain test, routing among the
instances on prefill duty. Called by the disaggregated kernel at planner events only (a tick
every adjustment interval, a drain test after an event while one instance moves), never per
token. The reference engine's twin is sim/reference/planner.py; the rules are in docs/engine.md,
"Dynamic pools".
"""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim.events import PH_ACTIVE, PH_DRAIN
from disagg_viz.sim.kernels.common import INLINE, JIT
from disagg_viz.sim.kernels.prefix_cache import C_ID, cache_match, route
from disagg_viz.sim.kernels.split_state import (
    ACC_KV, ACC_QUEUE, CUR_ARRIVED, CUR_LO, CUR_MOVES, CUR_MOVING, CUR_SAMPLES, D_BUSY, D_OFF, D_USED, P_ASSIGNED,
    P_BUSY, P_OFF, P_PENDING, P_PHASE, P_QUEUE, P_ROLE, P_USED, PT_READY, PT_SWITCH_END,
)
from disagg_viz.sim.layout import (
    MV_DECIDED, MV_FROM, MV_INSTANCE, MV_KV, MV_QUEUE, MV_READY, MV_TO, MV_TPOT, MV_TTFT, MV_WHY,
    PL_PLAN_DWELL_US, PL_PLAN_INTERVAL_US, PL_PLAN_MIN, PL_PLAN_KV_DOWN_MILLI, PL_PLAN_KV_UP_MILLI, PL_PLAN_QUEUE_DOWN_MILLI,
    PL_PLAN_QUEUE_UP_MILLI, PL_PLAN_TPOT_US, PL_PLAN_TTFT_US, POOL_PREFILL, R_FINISH, R_FIRST_TOKEN, R_REJECT,
    ROUTE_ROUND_ROBIN, WHY_DECODE_KV, WHY_PREFILL_QUEUE, WHY_TPOT, WHY_TTFT,
)

ROLE_PREFILL = 1    # sim/specs.py ROLE_PREFILL, ROLE_DECODE
ROLE_DECODE = 2


@njit(**INLINE)
def route_on(ps, n_inst, routing, overlap_milli, rr, c, blocks, b0, nblk, need, prompt_r):
    """``prefix_cache.route`` over the instances on prefill duty (``P_OFF`` = 0) only; its
    round-robin takes the rr-th of them in index order, cyclically (``route`` gives a lost
    instance's turn to the next: the reference engine does each the same way)."""
    if routing != ROUTE_ROUND_ROBIN:
        return route(ps, n_inst, P_ASSIGNED, P_PENDING, P_USED, P_OFF, routing, overlap_milli, rr, c, blocks, b0,
                     nblk, need, prompt_r)
    on = 0
    for j in range(n_inst):
        if ps[j, P_OFF] == 0:
            on += 1
    k = rr % on
    best = -1
    for j in range(n_inst):
        if ps[j, P_OFF] == 0:
            if k == 0:
                best = j
                break
            k -= 1
    best_m = cache_match(c, best, blocks, b0, nblk) if c[C_ID].shape[1] > 0 and nblk > 0 else 0
    _ = (ps.shape, blocks.shape)
    return best, best_m


@njit(**JIT)
def drained(ps, ds, k):
    """Instance k, draining, holds no more work in the pool it leaves: a prefill instance has
    nothing queued or running and every tray it made has landed (its KV is free); a decode
    instance's sequences have all finished."""
    if ps[k, P_ROLE] == ROLE_PREFILL:
        return ps[k, P_BUSY] == 0 and ps[k, P_QUEUE + 2] == 0 and ps[k, P_USED] == 0
    return ds[k, D_USED] == 0 and ds[k, D_BUSY] == 0


@njit(**JIT)
def go_on_duty(k, t, ps, ds, pt, moves, cur):
    """Instance k has changed role at t: it goes on duty in its new pool. Returns True when it
    joins the decode pool (every blocked sender may find room there)."""
    ps[k, P_PHASE] = PH_ACTIVE
    pt[k, PT_SWITCH_END] = np.inf
    pt[k, PT_READY] = t
    moves[cur[CUR_MOVES] - 1, MV_READY] = t
    cur[CUR_MOVING] = -1
    if ps[k, P_ROLE] == ROLE_PREFILL:
        ps[k, P_ROLE] = ROLE_DECODE
        ds[k, D_OFF] = 0
        return True
    ps[k, P_ROLE] = ROLE_PREFILL
    ps[k, P_OFF] = 0
    return False


@njit(**JIT)
def plan_tick(t, decide, pools, ps, ds, pt, acc, moves, cur, f, ii, arrival, output, cap_d):
    """The planner's sample at t: the prefill queue per on-duty prefill instance and the decode
    pool's KV use join the interval's sums; at a deciding sample (``decide``: every
    PL_PLAN_SAMPLES-th) it compares their means and the interval's TTFT and TPOT with the
    thresholds and starts at most one move. While an instance moves it neither samples nor
    decides (Dynamo's planner blocks while it scales). Returns the instance that starts draining,
    or -1 (docs/engine.md, "Dynamic pools")."""
    row = pools[POOL_PREFILL]
    n_inst = ps.shape[0]
    if cap_d <= 0:
        return -1                 # the weights do not fit: every request is rejected, nothing to plan
    ttft_sum = 0.0
    ttft_n = 0
    tpot_sum = 0.0
    tpot_n = 0
    if decide:
        # TTFT of the first tokens and TPOT of the answers of the last interval (requests before
        # CUR_LO were all done by the last decision).
        since = t - row[PL_PLAN_INTERVAL_US] / 1e6
        na = cur[CUR_ARRIVED]
        lo = cur[CUR_LO]
        for r in range(lo, na):
            ft = f[r, R_FIRST_TOKEN]
            if ft > since:
                ttft_sum += ft - arrival[r]
                ttft_n += 1
            fin = f[r, R_FINISH]
            if fin > since and output[r] > 1:
                tpot_sum += (fin - ft) / (output[r] - 1)
                tpot_n += 1
        while lo < na and (ii[lo, R_REJECT] != 0 or f[lo, R_FINISH] <= t):
            lo += 1
        cur[CUR_LO] = lo
    if cur[CUR_MOVING] >= 0:
        cur[CUR_SAMPLES] = 0
        acc[ACC_QUEUE] = 0.0
        acc[ACC_KV] = 0.0
        return -1
    n_pa = 0
    n_da = 0
    waiting = 0
    kv = 0
    for k in range(n_inst):
        if ps[k, P_OFF] == 0:
            n_pa += 1
            waiting += ps[k, P_QUEUE + 2]
        if ds[k, D_OFF] == 0:
            n_da += 1
            kv += ds[k, D_USED]
    acc[ACC_QUEUE] += waiting / n_pa
    acc[ACC_KV] += kv / (cap_d * n_da)
    cur[CUR_SAMPLES] += 1
    if not decide:
        return -1
    q = acc[ACC_QUEUE] / cur[CUR_SAMPLES]
    u = acc[ACC_KV] / cur[CUR_SAMPLES]
    cur[CUR_SAMPLES] = 0
    acc[ACC_QUEUE] = 0.0
    acc[ACC_KV] = 0.0
    ttft_t = row[PL_PLAN_TTFT_US] / 1e6
    tpot_t = row[PL_PLAN_TPOT_US] / 1e6
    ttft_hi = ttft_t > 0 and ttft_n > 0 and ttft_sum > ttft_t * ttft_n
    tpot_hi = tpot_t > 0 and tpot_n > 0 and tpot_sum > tpot_t * tpot_n
    q_hi = q * 1000 > row[PL_PLAN_QUEUE_UP_MILLI]
    q_lo = q * 1000 < row[PL_PLAN_QUEUE_DOWN_MILLI]
    kv_hi = u * 1000 > row[PL_PLAN_KV_UP_MILLI]
    kv_lo = u * 1000 < row[PL_PLAN_KV_DOWN_MILLI]
    dwell = row[PL_PLAN_DWELL_US] / 1e6
    src = -1
    why = -1
    if (q_hi or ttft_hi) and kv_lo and not tpot_hi and n_da > row[PL_PLAN_MIN]:
        # Prefill is short and decode has room to spare: the decode instance holding the least KV
        # (the shortest drain) moves to prefill.
        for k in range(n_inst):
            if ds[k, D_OFF] == 0 and pt[k, PT_READY] + dwell <= t and (
                    src < 0 or ds[k, D_USED] < ds[src, D_USED]):
                src = k
        why = WHY_PREFILL_QUEUE if q_hi else WHY_TTFT
    elif (kv_hi or tpot_hi) and q_lo and n_pa > row[PL_PLAN_MIN]:
        # Decode is short and prefill's queue is short (its TTFT is not asked: it also holds the
        # wait for decode): the prefill instance holding the least KV (its trays not yet handed
        # off: the shortest drain) moves to decode.
        for k in range(n_inst):
            if ps[k, P_OFF] == 0 and pt[k, PT_READY] + dwell <= t and (
                    src < 0 or ps[k, P_USED] < ps[src, P_USED]):
                src = k
        why = WHY_DECODE_KV if kv_hi else WHY_TPOT
    if src < 0:
        return -1
    m = cur[CUR_MOVES]
    frm = ps[src, P_ROLE]
    moves[m, MV_INSTANCE] = src
    moves[m, MV_FROM] = frm
    moves[m, MV_TO] = ROLE_DECODE if frm == ROLE_PREFILL else ROLE_PREFILL
    moves[m, MV_DECIDED] = t
    moves[m, MV_WHY] = why
    moves[m, MV_QUEUE] = q
    moves[m, MV_KV] = u
    moves[m, MV_TTFT] = ttft_sum / ttft_n if ttft_n > 0 else np.nan
    moves[m, MV_TPOT] = tpot_sum / tpot_n if tpot_n > 0 else np.nan
    cur[CUR_MOVES] = m + 1
    cur[CUR_MOVING] = src
    ps[src, P_PHASE] = PH_DRAIN
    if frm == ROLE_PREFILL:
        ps[src, P_OFF] = 1
    else:
        ds[src, D_OFF] = 1
    return src
