"""Compiled helpers shared by both kernels: the cost model, FIFO queues, the iteration log, the
one admission rule and the one decode step. All are inlined into the kernels' loop bodies
(docs/engine.md, "Speed")."""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim import cost_model as _cm
from disagg_viz.sim import link_faults as _lf
from disagg_viz.sim.layout import (
    L_BW_UTIL, L_COLS, L_COMPUTE_UTIL, L_DECODE_SEQS, L_END, L_INSTANCE, L_PREFILL_SEQS,
    L_PREFILL_TOKENS, L_START, R_FINISH, R_FIRST_TOKEN, R_MAX_GAP, R_PREFILL_START,
)

JIT = dict(cache=True, nogil=True, error_model="numpy")
INLINE = dict(cache=True, nogil=True, inline="always", error_model="numpy")

iteration_cost = njit(**INLINE)(_cm.iteration_cost)
shipment_rate = njit(**INLINE)(_lf.shipment_rate)

CM_TP = _cm.CM_TP
CM_GPUS = _cm.CM_GPUS
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
    _ = (st.shape, nxt.shape)                                                    # see decode_step


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
def logged(log, n):
    """The first n rows of the log as the run's result: the log itself when at least half of it is
    written (rows never written take no memory in a large allocation: sizing it from an estimate
    leaves a quarter or so), else a copy."""
    if 2 * n >= log.shape[0]:
        return log[:n]
    return log[:n].copy()


@njit(**INLINE)
def log_add(log, n, inst, start, dur, flops, nbytes, cm, ptok, dseq, pseq):
    """Write iteration n (the kernel keeps room: see grow_log)."""
    tp = cm[CM_GPUS]
    log[n, L_INSTANCE] = inst
    log[n, L_START] = start
    log[n, L_END] = start + dur
    log[n, L_PREFILL_TOKENS] = ptok
    log[n, L_DECODE_SEQS] = dseq
    log[n, L_COMPUTE_UTIL] = flops / (tp * cm[CM_PEAK_FLOPS] * dur)
    log[n, L_BW_UTIL] = nbytes / (tp * cm[CM_HBM] * dur)
    log[n, L_PREFILL_SEQS] = pseq


# A prefill batch lives in batch[i, q, B_*] (instance, entry): request, tokens this iteration,
# prior context (chunked prefill: tokens prefilled before this chunk).
B_REQ = 0
B_TOKENS = 1
B_CTX = 2
B_COLS = 3


@njit(**INLINE)
def admit(st, i, queue, used, nxt, prompt, output, cached, f, batch, nb, t, cap, reserve_output, taken, max_batch,
          limit, chunked):
    """The one admission rule: take requests from the head of instance i's waiting queue (FIFO
    state columns ``queue``) into its batch from entry nb on, while their KV fits (``used``
    column; prompt, plus output with ``reserve_output``), seats remain (``taken`` + batch <
    max_batch) and the tokens stay within ``limit``: prefill-first, whole prompts adding up to at
    most the limit (the first always goes); chunked, the budget's remaining tokens, the last
    prompt cut to fit. A request's ``cached`` prompt tokens (its prefix-cache hit) are context
    already there: only the rest is prefilled and counts. Returns (batch entries, tokens)."""
    tok = 0
    while st[i, queue + 2] > 0:
        r = st[i, queue]
        need = prompt[r] + output[r] if reserve_output else prompt[r]
        if st[i, used] + need > cap or taken + nb >= max_batch:
            break
        todo = prompt[r] - cached[r]
        if chunked:
            if tok >= limit:
                break
            nn = min(todo, limit - tok)
        else:
            if nb > 0 and tok + todo > limit:
                break
            nn = todo
        q_pop(st, i, queue, nxt)
        st[i, used] += need
        tok += nn
        f[r, R_PREFILL_START] = t
        batch[i, nb, B_REQ] = r
        batch[i, nb, B_TOKENS] = nn
        batch[i, nb, B_CTX] = cached[r]
        nb += 1
    _ = (st.shape, nxt.shape, prompt.shape, output.shape, cached.shape, f.shape, batch.shape)   # see decode_step
    return nb, tok


@njit(**INLINE)
def batch_work(batch, i, nb):
    """(prefill tokens, attention (query, key) pairs, prior context tokens) of instance i's batch."""
    p = 0
    pairs = 0
    pctx = 0
    for q in range(nb):
        nn = batch[i, q, B_TOKENS]
        c0 = batch[i, q, B_CTX]
        p += nn
        pairs += nn * c0 + nn * (nn + 1) // 2
        pctx += c0
    _ = batch.shape                                                              # see decode_step
    return p, pairs, pctx


@njit(**INLINE)
def decode_step(st, i, run, used, assigned, ctx, seat_r, seat_left, seat_last, seat_gap, new, t, prompt,
                output, f):
    """The one decode step: every seated sequence of instance i emits a token at t (seats from
    ``new`` on emit their first), in one branch-free pass; finished ones leave their seats (a
    second pass, only when one finished) and free their KV (``used``), routing load
    (``assigned``) and context (``ctx``). Returns (tokens emitted, sequences finished)."""
    nrun = st[i, run]
    nfin = 0
    for k in range(new):
        seat_gap[i, k] = max(seat_gap[i, k], t - seat_last[i, k])
        seat_last[i, k] = t
        seat_left[i, k] -= 1
        nfin += seat_left[i, k] == 0
    for k in range(new, nrun):
        f[seat_r[i, k], R_FIRST_TOKEN] = t
        seat_last[i, k] = t
        seat_left[i, k] -= 1
        nfin += seat_left[i, k] == 0
    if nfin > 0:
        keep = 0
        for k in range(nrun):
            r = seat_r[i, k]
            if seat_left[i, k] == 0:
                f[r, R_FINISH] = t
                f[r, R_MAX_GAP] = seat_gap[i, k]
                st[i, used] -= prompt[r] + output[r]
                st[i, assigned] -= 1
                st[i, ctx] -= prompt[r] + output[r] - 1
            else:
                seat_r[i, keep] = r
                seat_left[i, keep] = seat_left[i, k]
                seat_last[i, keep] = t
                seat_gap[i, keep] = seat_gap[i, k]
                keep += 1
        st[i, run] = keep
    st[i, ctx] += st[i, run]
    # Every array argument used here, at the end: Numba releases each once, where the reference
    # counting pass pairs the release with the acquisition and removes both (docs/engine.md, "Speed").
    _ = (st.shape, seat_r.shape, seat_left.shape, seat_last.shape, seat_gap.shape, prompt.shape, output.shape,
         f.shape)
    return nrun, nfin
