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

JIT = dict(cache=True, nogil=True)

iteration_cost = njit(**JIT)(_cm.iteration_cost)

CM_TP = _cm.CM_TP
CM_PEAK_FLOPS = _cm.CM_PEAK_FLOPS
CM_HBM = _cm.CM_HBM


# A FIFO queue lives in three columns (head, tail, length) of an instance's int64 state row;
# requests are linked through ``nxt`` (a request sits in at most one queue at a time).
@njit(**JIT)
def q_push(st, i, col, nxt, r):
    nxt[r] = -1
    if st[i, col + 2] == 0:
        st[i, col] = r
    else:
        nxt[st[i, col + 1]] = r
    st[i, col + 1] = r
    st[i, col + 2] += 1


@njit(**JIT)
def q_pop(st, i, col, nxt):
    r = st[i, col]
    st[i, col] = nxt[r]
    st[i, col + 2] -= 1
    return r


@njit(**JIT)
def emit(f, emitted, last, output, r, t):
    """One token for request r at time t; True when it was its last."""
    if emitted[r] == 0:
        f[r, R_FIRST_TOKEN] = t
        f[r, R_MAX_GAP] = 0.0
    else:
        gap = t - last[r]
        if gap > f[r, R_MAX_GAP]:
            f[r, R_MAX_GAP] = gap
    last[r] = t
    emitted[r] += 1
    if emitted[r] == output[r]:
        f[r, R_FINISH] = t
        return True
    return False


@njit(**JIT)
def log_add(log, n, inst, start, dur, flops, nbytes, cm, ptok, dseq, pseq):
    """Append one iteration; returns the (possibly grown) log."""
    if n >= log.shape[0]:
        grown = np.empty((log.shape[0] * 2, L_COLS))
        grown[:n] = log[:n]
        log = grown
    tp = cm[CM_TP]
    log[n, L_INSTANCE] = inst
    log[n, L_START] = start
    log[n, L_END] = start + dur
    log[n, L_PREFILL_TOKENS] = ptok
    log[n, L_DECODE_SEQS] = dseq
    log[n, L_COMPUTE_UTIL] = flops / (tp * cm[CM_PEAK_FLOPS] * dur)
    log[n, L_BW_UTIL] = nbytes / (tp * cm[CM_HBM] * dur)
    log[n, L_PREFILL_SEQS] = pseq
    return log


@njit(**JIT)
def decode_step(f, emitted, last, output, running, n_run, t, fin):
    """Every running sequence of one instance emits a token; finished ones leave the list
    (order kept) and go to ``fin``. Returns (running count, finished count)."""
    n = n_run
    keep = 0
    nf = 0
    for k in range(n):
        r = running[k]
        if emit(f, emitted, last, output, r, t):
            fin[nf] = r
            nf += 1
        else:
            running[keep] = r
            keep += 1
    return keep, nf


@njit(**JIT)
def running_ctx(running, n_run, prompt, emitted):
    c = 0
    for k in range(n_run):
        r = running[k]
        c += prompt[r] + emitted[r]
    return c
