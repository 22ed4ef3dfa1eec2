"""Small compiled helpers shared by the kernels: the cost model, FIFO queues and the iteration
log. They are straight-line code, inlined, so they cost no reference counting (docs/engine.md,
"Speed"); anything with a loop lives in the kernel's own loop body."""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim import cost_model as _cm
from disagg_viz.sim.layout import (
    L_BW_UTIL, L_COLS, L_COMPUTE_UTIL, L_DECODE_SEQS, L_END, L_INSTANCE, L_PREFILL_SEQS,
    L_PREFILL_TOKENS, L_START,
)

JIT = dict(cache=True, nogil=True, error_model="numpy")
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
    """A copy of the first n rows of the log with room for as many again (called between runs of
    a kernel's loop, never inside it)."""
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
