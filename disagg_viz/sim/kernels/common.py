"""Small compiled helpers shared by the kernels: the cost model, FIFO queues, token emission,
and the growing iteration log."""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim import cost_model as _cm
from disagg_viz.sim.layout import (
    L_BW_UTIL, L_COLS, L_COMPUTE_UTIL, L_DECODE_SEQS, L_END, L_INSTANCE, L_PREFILL_SEQS,
    L_PREFILL_TOKENS, L_START, R_FINISH, R_FIRST_TOKEN, R_MAX_GAP,
)

JIT = dict(cache=True, nogil=True, error_model="numpy")
# Helpers are inlined into the kernels: a call that passes ~20 arrays costs more in reference
# counting than the work it does.
INLINE = dict(cache=True, nogil=True, inline="always", error_model="numpy")

iteration_cost = njit(**INLINE)(_cm.iteration_cost)

CM_TP = _cm.CM_TP
CM_PEAK_FLOPS = _cm.CM_PEAK_FLOPS
CM_HBM = _cm.CM_HBM


# A FIFO queue lives in three columns (head, tail, length) of an instance's int64 state row;
# requests are linked through ``nxt`` (a request sits in at most one queue at a time).
@njit(**INLINE)
def q_push(st, i, col, nxt, r):
    nxt[r] = -1
    if st[i, col + 2] == 0:
        st[i, col] = r
    else:
        nxt[st[i, col + 1]] = r
    st[i, col + 1] = r
    st[i, col + 2] += 1


@njit(**INLINE)
def q_pop(st, i, col, nxt):
    r = st[i, col]
    st[i, col] = nxt[r]
    st[i, col + 2] -= 1
    return r


@njit(**INLINE)
def grow_log(log, n):
    """A log with room for many more iterations (the kernels call this between events, so the
    helpers that append never return a new array: that would cost reference counting on every
    iteration)."""
    grown = np.empty((log.shape[0] * 2, L_COLS))
    grown[:n] = log[:n]
    return grown


@njit(**INLINE)
def log_add(log, n, inst, start, dur, flops, nbytes, cm, ptok, dseq, pseq):
    """Write iteration n (the kernel keeps room: see grow_log)."""
    tp = cm[CM_TP]
    log[n, L_INSTANCE] = inst
    log[n, L_START] = start
    log[n, L_END] = start + dur
    log[n, L_PREFILL_TOKENS] = ptok
    log[n, L_DECODE_SEQS] = dseq
    log[n, L_COMPUTE_UTIL] = flops / (tp * cm[CM_PEAK_FLOPS] * dur)
    log[n, L_BW_UTIL] = nbytes / (tp * cm[CM_HBM] * dur)
    log[n, L_PREFILL_SEQS] = pseq


@njit(**INLINE)
def seat(seat_r, seat_last, seat_gap, seat_left, i, k, r, last, left):
    """Put request r in seat k of instance i's batch (last < 0: it has not emitted a token yet)."""
    seat_r[i, k] = r
    seat_last[i, k] = last
    seat_gap[i, k] = 0.0
    seat_left[i, k] = left


@njit(**INLINE)
def decode_step(seat_r, seat_last, seat_gap, seat_left, i, n, t, f, prompt, output, fin):
    """Every sequence seated on instance i emits one token at t. The batch lives in per-seat
    arrays (request, last token time, largest gap, tokens left; one row per instance) so this,
    the hottest loop, streams through memory. Finished requests leave (order kept) and go to
    ``fin``. Returns (sequences still running, finished count, context removed by the finished)."""
    keep = 0
    nf = 0
    gone = 0
    for k in range(n):
        last = seat_last[i, k]
        gap = seat_gap[i, k]
        if last < 0.0:
            f[seat_r[i, k], R_FIRST_TOKEN] = t
        elif t - last > gap:
            gap = t - last
        left = seat_left[i, k] - 1
        if left == 0:
            r = seat_r[i, k]
            f[r, R_FINISH] = t
            f[r, R_MAX_GAP] = gap
            fin[nf] = r
            nf += 1
            gone += prompt[r] + output[r] - 1
        else:
            seat_r[i, keep] = seat_r[i, k]
            seat_last[i, keep] = t
            seat_gap[i, keep] = gap
            seat_left[i, keep] = left
            keep += 1
    return keep, nf, gone
