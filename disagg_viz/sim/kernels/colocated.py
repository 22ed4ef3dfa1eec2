"""Colocated serving (prefill-first or chunked prefill) as a Numba kernel.

Rules: ``reference_engine.simulate_colocated_reference`` and docs/engine.md.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim.kernels.common import INLINE, JIT, decode_step, grow_log, iteration_cost, log_add, q_pop, q_push, seat
from disagg_viz.sim.layout import (
    L_COLS, R_DECODE_INST, R_FINISH, R_FIRST_TOKEN, R_FLOAT_COLS, R_INT_COLS, R_MAX_GAP, R_PREFILL_END,
    R_PREFILL_INST, R_PREFILL_START, R_REJECT, REJECT_KV, REJECT_WEIGHTS,
)

# Instance state columns (int64).
S_QUEUE = 0      # head, tail, length of the waiting queue (3 columns)
S_RUN = 3        # running decodes
S_PREF = 4       # chunked: admitted, prompt not yet fully prefilled
S_BATCH = 5      # entries in the current iteration's prefill batch
S_USED = 6       # KV tokens reserved
S_ASSIGNED = 7   # requests routed here, not finished (routing load)
S_BUSY = 8
S_DECODING = 9   # current iteration includes the running decodes
S_CTX = 10       # total context (prompt + emitted tokens) of the running decodes
S_COLS = 11


@njit(**INLINE)
def _start(i, t, st, end, pref, b_r, b_n, b_c0, f, nxt, prompt, output, done,
           cm, cap, chunked, chunk_tokens, max_prefill, max_batch, log, nlog):
    """Choose and cost instance i's next iteration at time t. Returns the new log length."""
    st[i, S_BATCH] = 0
    nb = 0
    d = st[i, S_RUN] if chunked else 0
    if chunked:
        budget = chunk_tokens - d
        if budget < 0:
            budget = 0
        for q in range(st[i, S_PREF]):
            if budget == 0:
                break
            r = pref[i, q]
            nn = min(prompt[r] - done[r], budget)
            b_r[i, nb] = r
            b_n[i, nb] = nn
            b_c0[i, nb] = done[r]
            nb += 1
            budget -= nn
        while budget > 0 and st[i, S_QUEUE + 2] > 0:
            r = st[i, S_QUEUE]
            need = prompt[r] + output[r]
            if st[i, S_USED] + need > cap or st[i, S_RUN] + st[i, S_PREF] >= max_batch:
                break
            q_pop(st, i, S_QUEUE, nxt)
            pref[i, st[i, S_PREF]] = r
            st[i, S_PREF] += 1
            st[i, S_USED] += need
            f[r, R_PREFILL_START] = t
            nn = min(prompt[r], budget)
            b_r[i, nb] = r
            b_n[i, nb] = nn
            b_c0[i, nb] = 0
            nb += 1
            budget -= nn
    else:
        tok = 0
        while st[i, S_QUEUE + 2] > 0:
            r = st[i, S_QUEUE]
            need = prompt[r] + output[r]
            if st[i, S_USED] + need > cap or st[i, S_RUN] + nb >= max_batch:
                break
            if nb > 0 and tok + prompt[r] > max_prefill:
                break
            q_pop(st, i, S_QUEUE, nxt)
            st[i, S_USED] += need
            tok += prompt[r]
            f[r, R_PREFILL_START] = t
            b_r[i, nb] = r
            b_n[i, nb] = prompt[r]
            b_c0[i, nb] = 0
            nb += 1
        if nb == 0 and st[i, S_RUN] > 0:
            d = st[i, S_RUN]
    st[i, S_BATCH] = nb
    if d == 0 and nb == 0:
        st[i, S_BUSY] = 0
        end[i] = np.inf
        return nlog
    ctx = st[i, S_CTX] if d > 0 else 0
    p = 0
    pairs = 0
    pctx = 0
    for q in range(nb):
        nn = b_n[i, q]
        c0 = b_c0[i, q]
        p += nn
        pairs += nn * c0 + nn * (nn + 1) // 2
        pctx += c0
    dur, flops, nbytes = iteration_cost(cm, p, pairs, pctx, d, ctx, d + nb)
    log_add(log, nlog, i, t, dur, flops, nbytes, cm, p, d, nb)
    st[i, S_BUSY] = 1
    st[i, S_DECODING] = 1 if d > 0 else 0
    end[i] = t + dur
    return nlog + 1


@njit(**INLINE)
def _finish(i, t, st, s_r, s_last, s_gap, s_left, pref, b_r, b_n, f, prompt, output, done, chunked, fin):
    """Apply the effects of instance i's iteration ending at t. Returns decode tokens emitted."""
    steps = 0
    if st[i, S_DECODING] == 1:
        n = st[i, S_RUN]
        keep, nf, gone = decode_step(s_r, s_last, s_gap, s_left, i, n, t, f, prompt, output, fin)
        steps = n
        st[i, S_RUN] = keep
        st[i, S_CTX] += keep - gone
        for q in range(nf):
            r = fin[q]
            st[i, S_USED] -= prompt[r] + output[r]
            st[i, S_ASSIGNED] -= 1
    for q in range(st[i, S_BATCH]):
        r = b_r[i, q]
        done[r] += b_n[i, q]
        if done[r] == prompt[r]:
            f[r, R_PREFILL_END] = t
            if chunked:
                k = 0
                while pref[i, k] != r:
                    k += 1
                for k2 in range(k, st[i, S_PREF] - 1):
                    pref[i, k2] = pref[i, k2 + 1]
                st[i, S_PREF] -= 1
            f[r, R_FIRST_TOKEN] = t
            f[r, R_MAX_GAP] = 0.0
            if output[r] == 1:
                f[r, R_FINISH] = t
                st[i, S_USED] -= prompt[r] + output[r]
                st[i, S_ASSIGNED] -= 1
            else:
                seat(s_r, s_last, s_gap, s_left, i, st[i, S_RUN], r, t, output[r] - 1)
                st[i, S_RUN] += 1
                st[i, S_CTX] += prompt[r] + 1
    st[i, S_BATCH] = 0
    return steps


@njit(**JIT)
def simulate_colocated(arrival, prompt, output, cm, n_inst, cap, chunked, chunk_tokens, max_prefill, max_batch):
    """Returns (per-request floats, per-request ints, iteration log, decode token-steps)."""
    n = arrival.shape[0]
    f = np.full((n, R_FLOAT_COLS), np.nan)
    ii = np.full((n, R_INT_COLS), -1, dtype=np.int64)
    ii[:, R_REJECT] = 0
    done = np.zeros(n, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    st = np.zeros((n_inst, S_COLS), dtype=np.int64)
    end = np.full(n_inst, np.inf)
    s_r = np.zeros((n_inst, max_batch), dtype=np.int64)
    s_last = np.zeros((n_inst, max_batch))
    s_gap = np.zeros((n_inst, max_batch))
    s_left = np.zeros((n_inst, max_batch), dtype=np.int64)
    pref = np.zeros((n_inst, max_batch), dtype=np.int64)
    b_r = np.zeros((n_inst, max_batch), dtype=np.int64)
    b_n = np.zeros((n_inst, max_batch), dtype=np.int64)
    b_c0 = np.zeros((n_inst, max_batch), dtype=np.int64)
    fin = np.zeros(max_batch, dtype=np.int64)
    log = np.empty((max(1024, n), L_COLS))
    nlog = 0
    steps = 0
    na = 0
    while True:
        if nlog + 4 >= log.shape[0]:
            log = grow_log(log, nlog)
        best = -1
        tb = np.inf
        for i in range(n_inst):
            if st[i, S_BUSY] == 1 and (best == -1 or end[i] < tb):
                best = i
                tb = end[i]
        t_arr = arrival[na] if na < n else np.inf
        if best == -1 and na >= n:
            break
        if best != -1 and tb <= t_arr:
            steps += _finish(best, tb, st, s_r, s_last, s_gap, s_left, pref, b_r, b_n, f, prompt, output, done,
                             chunked, fin)
            nlog = _start(best, tb, st, end, pref, b_r, b_n, b_c0, f, nxt, prompt, output, done, cm, cap,
                               chunked, chunk_tokens, max_prefill, max_batch, log, nlog)
            continue
        r = na
        na += 1
        if cap <= 0:
            ii[r, R_REJECT] = REJECT_WEIGHTS
            continue
        if prompt[r] + output[r] > cap:
            ii[r, R_REJECT] = REJECT_KV
            continue
        dest = 0
        for i in range(1, n_inst):
            if st[i, S_ASSIGNED] < st[dest, S_ASSIGNED]:
                dest = i
        st[dest, S_ASSIGNED] += 1
        ii[r, R_PREFILL_INST] = dest
        ii[r, R_DECODE_INST] = dest
        q_push(st, dest, S_QUEUE, nxt, r)
        if st[dest, S_BUSY] == 0:
            nlog = _start(dest, t_arr, st, end, pref, b_r, b_n, b_c0, f, nxt, prompt, output, done, cm, cap,
                               chunked, chunk_tokens, max_prefill, max_batch, log, nlog)
    return f, ii, log[:nlog].copy(), steps
