"""Disaggregated serving (prefill pool -> KV shipment over a link -> decode pool) as a Numba kernel.

Rules: ``reference_engine.simulate_disaggregated_reference`` and docs/engine.md.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim.cost_model import CM_KV_PER_TOKEN, CM_LAYERS
from disagg_viz.sim.kernels.common import INLINE, JIT, decode_step, grow_log, iteration_cost, log_add, q_pop, q_push, seat
from disagg_viz.sim.layout import (
    L_COLS, R_DECODE_INST, R_FLOAT_COLS, R_INT_COLS, R_PREFILL_END, R_PREFILL_INST, R_PREFILL_START,
    R_REJECT, R_TRANSFER_END, R_TRANSFER_START, REJECT_KV, REJECT_WEIGHTS,
)

# Prefill instance state (int64): waiting queue, link queue, batch, memory, link.
P_QUEUE = 0      # 3 columns
P_LINK_Q = 3     # 3 columns: KV shipments waiting for this instance's link
P_BATCH = 6
P_USED = 7
P_ASSIGNED = 8
P_BUSY = 9
P_LINK_BUSY = 10
P_LINK_REQ = 11
P_COLS = 12
# Decode instance state (int64).
D_JOIN = 0       # 3 columns: KV arrived, waiting for a batch seat
D_RUN = 3
D_USED = 4
D_ASSIGNED = 5
D_BUSY = 6
D_CTX = 7        # total context of the running decodes
D_COLS = 8


@njit(**INLINE)
def _try_link(l, t, ps, ds, link_end, nxt, f, ii, prompt, output, cap_d, n_p, link_bw, link_lat, layerwise, kvpt, layers):
    """Start the next KV shipment on link l if the link is free and a decode instance has room."""
    if ps[l, P_LINK_BUSY] == 1 or ps[l, P_LINK_Q + 2] == 0:
        return
    r = ps[l, P_LINK_Q]
    need = prompt[r] + output[r]
    best = -1
    for j in range(ds.shape[0]):
        if ds[j, D_USED] + need <= cap_d and (best == -1 or ds[j, D_ASSIGNED] < ds[best, D_ASSIGNED]):
            best = j
    if best == -1:
        return
    q_pop(ps, l, P_LINK_Q, nxt)
    ds[best, D_USED] += need
    ds[best, D_ASSIGNED] += 1
    ii[r, R_DECODE_INST] = n_p + best
    f[r, R_TRANSFER_START] = t
    nbytes = prompt[r] * kvpt
    e = t + link_lat + nbytes / link_bw
    if layerwise:
        tail = f[r, R_PREFILL_END] + link_lat + nbytes / (link_bw * layers)
        if tail > e:
            e = tail
    ps[l, P_LINK_BUSY] = 1
    ps[l, P_LINK_REQ] = r
    link_end[l] = e


@njit(**INLINE)
def _start_prefill(i, t, ps, ds, p_end, link_end, b_r, nxt, f, ii, prompt, output, cm, cap_p, cap_d, n_p,
                   link_bw, link_lat, layerwise, max_prefill, max_batch, log, nlog):
    nb = 0
    tok = 0
    while ps[i, P_QUEUE + 2] > 0:
        r = ps[i, P_QUEUE]
        if ps[i, P_USED] + prompt[r] > cap_p or nb >= max_batch:
            break
        if nb > 0 and tok + prompt[r] > max_prefill:
            break
        q_pop(ps, i, P_QUEUE, nxt)
        ps[i, P_USED] += prompt[r]
        tok += prompt[r]
        f[r, R_PREFILL_START] = t
        b_r[i, nb] = r
        nb += 1
    ps[i, P_BATCH] = nb
    if nb == 0:
        ps[i, P_BUSY] = 0
        p_end[i] = np.inf
        return nlog
    pairs = 0
    for q in range(nb):
        nn = prompt[b_r[i, q]]
        pairs += nn * (nn + 1) // 2
    dur, flops, nbytes = iteration_cost(cm, tok, pairs, 0, 0, 0, nb)
    log_add(log, nlog, i, t, dur, flops, nbytes, cm, tok, 0, nb)
    ps[i, P_BUSY] = 1
    p_end[i] = t + dur
    if layerwise:
        for q in range(nb):
            r = b_r[i, q]
            f[r, R_PREFILL_END] = p_end[i]
            q_push(ps, i, P_LINK_Q, nxt, r)
        _try_link(i, t, ps, ds, link_end, nxt, f, ii, prompt, output, cap_d, n_p, link_bw, link_lat, layerwise,
                  cm[CM_KV_PER_TOKEN], cm[CM_LAYERS])
    return nlog + 1


@njit(**INLINE)
def _start_decode(j, t, ds, d_end, s_r, s_last, s_gap, s_left, nxt, prompt, output, cm, n_p, max_batch, log, nlog):
    while ds[j, D_JOIN + 2] > 0 and ds[j, D_RUN] < max_batch:
        r = q_pop(ds, j, D_JOIN, nxt)
        seat(s_r, s_last, s_gap, s_left, j, ds[j, D_RUN], r, -1.0, output[r])
        ds[j, D_RUN] += 1
        ds[j, D_CTX] += prompt[r]
    b = ds[j, D_RUN]
    if b == 0:
        ds[j, D_BUSY] = 0
        d_end[j] = np.inf
        return nlog
    dur, flops, nbytes = iteration_cost(cm, 0, 0, 0, b, ds[j, D_CTX], b)
    log_add(log, nlog, n_p + j, t, dur, flops, nbytes, cm, 0, b, 0)
    ds[j, D_BUSY] = 1
    d_end[j] = t + dur
    return nlog + 1


@njit(**JIT)
def simulate_disaggregated(arrival, prompt, output, cm_p, cm_d, n_p, n_d, cap_p, cap_d,
                           link_bw, link_lat, layerwise, max_prefill, max_batch):
    """Returns (per-request floats, per-request ints, iteration log, decode token-steps)."""
    n = arrival.shape[0]
    f = np.full((n, R_FLOAT_COLS), np.nan)
    ii = np.full((n, R_INT_COLS), -1, dtype=np.int64)
    ii[:, R_REJECT] = 0
    nxt = np.full(n, -1, dtype=np.int64)
    ps = np.zeros((n_p, P_COLS), dtype=np.int64)
    ps[:, P_LINK_REQ] = -1
    ds = np.zeros((n_d, D_COLS), dtype=np.int64)
    p_end = np.full(n_p, np.inf)
    link_end = np.full(n_p, np.inf)
    d_end = np.full(n_d, np.inf)
    b_r = np.zeros((n_p, max_batch), dtype=np.int64)
    s_r = np.zeros((n_d, max_batch), dtype=np.int64)
    s_last = np.zeros((n_d, max_batch))
    s_gap = np.zeros((n_d, max_batch))
    s_left = np.zeros((n_d, max_batch), dtype=np.int64)
    fin = np.zeros(max_batch, dtype=np.int64)
    log = np.empty((max(1024, n), L_COLS))
    nlog = 0
    steps = 0
    kvpt = cm_p[CM_KV_PER_TOKEN]
    layers = cm_p[CM_LAYERS]
    na = 0
    while True:
        if nlog + 4 >= log.shape[0]:
            log = grow_log(log, nlog)
        kind = -1
        who = -1
        tb = np.inf
        for i in range(n_p):
            if ps[i, P_BUSY] == 1 and p_end[i] < tb:
                kind, who, tb = 0, i, p_end[i]
        for i in range(n_p):
            if ps[i, P_LINK_BUSY] == 1 and link_end[i] < tb:
                kind, who, tb = 1, i, link_end[i]
        for j in range(n_d):
            if ds[j, D_BUSY] == 1 and d_end[j] < tb:
                kind, who, tb = 2, j, d_end[j]
        t_arr = arrival[na] if na < n else np.inf
        if kind < 0 and na >= n:
            break
        if kind >= 0 and tb <= t_arr:
            if kind == 0:
                for q in range(ps[who, P_BATCH]):
                    r = b_r[who, q]
                    f[r, R_PREFILL_END] = tb
                    ps[who, P_ASSIGNED] -= 1
                    if not layerwise:
                        q_push(ps, who, P_LINK_Q, nxt, r)
                ps[who, P_BATCH] = 0
                _try_link(who, tb, ps, ds, link_end, nxt, f, ii, prompt, output, cap_d, n_p, link_bw, link_lat,
                          layerwise, kvpt, layers)
                nlog = _start_prefill(who, tb, ps, ds, p_end, link_end, b_r, nxt, f, ii, prompt, output, cm_p,
                                           cap_p, cap_d, n_p, link_bw, link_lat, layerwise, max_prefill, max_batch,
                                           log, nlog)
            elif kind == 1:
                r = ps[who, P_LINK_REQ]
                f[r, R_TRANSFER_END] = tb
                ps[who, P_USED] -= prompt[r]
                ps[who, P_LINK_BUSY] = 0
                link_end[who] = np.inf
                ps[who, P_LINK_REQ] = -1
                j = ii[r, R_DECODE_INST] - n_p
                q_push(ds, j, D_JOIN, nxt, r)
                if ds[j, D_BUSY] == 0:
                    nlog = _start_decode(j, tb, ds, d_end, s_r, s_last, s_gap, s_left, nxt, prompt, output,
                                              cm_d, n_p, max_batch, log, nlog)
                _try_link(who, tb, ps, ds, link_end, nxt, f, ii, prompt, output, cap_d, n_p, link_bw, link_lat,
                          layerwise, kvpt, layers)
                if ps[who, P_BUSY] == 0:
                    nlog = _start_prefill(who, tb, ps, ds, p_end, link_end, b_r, nxt, f, ii, prompt, output,
                                               cm_p, cap_p, cap_d, n_p, link_bw, link_lat, layerwise, max_prefill,
                                               max_batch, log, nlog)
            else:
                nrun = ds[who, D_RUN]
                keep, nf, gone = decode_step(s_r, s_last, s_gap, s_left, who, nrun, tb, f, prompt,
                                             output, fin)
                steps += nrun
                ds[who, D_RUN] = keep
                ds[who, D_CTX] += keep - gone
                for q in range(nf):
                    r = fin[q]
                    ds[who, D_USED] -= prompt[r] + output[r]
                    ds[who, D_ASSIGNED] -= 1
                if nf > 0:
                    for l in range(n_p):
                        _try_link(l, tb, ps, ds, link_end, nxt, f, ii, prompt, output, cap_d, n_p, link_bw,
                                  link_lat, layerwise, kvpt, layers)
                nlog = _start_decode(who, tb, ds, d_end, s_r, s_last, s_gap, s_left, nxt, prompt, output,
                                          cm_d, n_p, max_batch, log, nlog)
            continue
        r = na
        na += 1
        if cap_p <= 0 or cap_d <= 0:
            ii[r, R_REJECT] = REJECT_WEIGHTS
            continue
        if prompt[r] > cap_p or prompt[r] + output[r] > cap_d:
            ii[r, R_REJECT] = REJECT_KV
            continue
        dest = 0
        for i in range(1, n_p):
            if ps[i, P_ASSIGNED] < ps[dest, P_ASSIGNED]:
                dest = i
        ps[dest, P_ASSIGNED] += 1
        ii[r, R_PREFILL_INST] = dest
        q_push(ps, dest, P_QUEUE, nxt, r)
        if ps[dest, P_BUSY] == 0:
            nlog = _start_prefill(dest, t_arr, ps, ds, p_end, link_end, b_r, nxt, f, ii, prompt, output, cm_p,
                                       cap_p, cap_d, n_p, link_bw, link_lat, layerwise, max_prefill, max_batch,
                                       log, nlog)
    return f, ii, log[:nlog].copy(), steps
