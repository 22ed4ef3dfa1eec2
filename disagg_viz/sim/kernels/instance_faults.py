"""Lost instances in the kernels (rules: sim/instance_faults.py): the compiled twins of its plain
functions and the queue moves a loss needs, inlined into the kernels' fault events (never into
their per-token loops)."""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim import instance_faults as _if
from disagg_viz.sim.kernels.common import INLINE, q_push
from disagg_viz.sim.kernels.prefix_cache import C_FREE, C_ID, C_META, C_NEXT, C_PREV, C_TAB, M_FREE, M_HEAD, \
    M_HELD, M_TAIL, cache_touch, route
from disagg_viz.sim.layout import BLOCK_TOKENS

remember = njit(**INLINE)(_if.remember)
routed_again = njit(**INLINE)(_if.routed_again)
finish = njit(**INLINE)(_if.finish)


@njit(**INLINE)
def q_remove(st, i, col, nxt, r):
    """Take request r out of the FIFO queue in columns ``col`` of row i, wherever it is."""
    prev = -1
    x = st[i, col]
    for _ in range(st[i, col + 2]):
        if x == r:
            break
        prev = x
        x = nxt[x]
    if prev < 0:
        st[i, col] = nxt[r]
    else:
        nxt[prev] = nxt[r]
    if st[i, col + 1] == r:
        st[i, col + 1] = prev
    st[i, col + 2] -= 1
    _ = (st.shape, nxt.shape)
    return 0


@njit(**INLINE)
def cache_clear(c, i):
    """Instance i's prefix cache is gone (its GPUs' memory with it)."""
    slots = c[C_ID].shape[1]
    for s in range(slots):
        c[C_ID][i, s] = -1
        c[C_PREV][i, s] = -1
        c[C_NEXT][i, s] = -1
        c[C_FREE][i, s] = slots - 1 - s
    for s in range(c[C_TAB].shape[1]):
        c[C_TAB][i, s] = -1
    c[C_META][i, M_HEAD] = -1
    c[C_META][i, M_TAIL] = -1
    c[C_META][i, M_HELD] = 0
    c[C_META][i, M_FREE] = slots
    return 0


@njit(**INLINE)
def reroute(st, n_inst, queue, assigned, pending, used, down, routing, overlap_milli, cur, cur_routed, cache, blocks,
            b_start, b_count, prompt, output, cached, nxt, r, g, whole, f, was):
    """Request r, which emitted g tokens in the life it lost, is routed again as an arrival (its
    prompt grows by those g tokens, its output shrinks by them); ``whole``: routing weighs the
    prompt and output (colocated) or the prompt (a prefill pool). Returns its new instance."""
    routed_again(f, was, r)
    prompt[r] += g
    output[r] -= g
    cached[r] = 0
    need = prompt[r] + output[r] if whole else prompt[r]
    i, m = route(st, n_inst, assigned, pending, used, down, routing, overlap_milli, cur[cur_routed], cache, blocks,
                 b_start[r], b_count[r], need, prompt[r])
    cur[cur_routed] += 1
    if m > 0:
        cached[r] = min(m * BLOCK_TOKENS, prompt[r] - 1)
        cache_touch(cache, i, blocks, b_start[r], m)
    st[i, pending] += prompt[r] - cached[r]
    st[i, assigned] += 1
    q_push(st, i, queue, nxt, r)
    _ = (st.shape, prompt.shape, output.shape, cached.shape, nxt.shape, blocks.shape, cur.shape, f.shape, was.shape)
    return i


@njit(**INLINE)
def next_fault(faults, k):
    """The time of fault row k (inf past the last)."""
    return faults[k, 0] if k < faults.shape[0] else np.inf
