"""Prefix caches and routing, compiled (issue 21): shared by both kernels, inlined into their loops.

An instance's cache holds at most ``slots`` blocks in an exact LRU order, found in constant time:
- ``c[C_ID][i, s]``: the block id in slot s (-1: free); ``c[C_FREE][i, :]`` a stack of free slots;
- ``c[C_PREV]``, ``c[C_NEXT]``: a doubly-linked list of the held slots from the least recently used
  (``meta[i, M_HEAD]``) to the most (``meta[i, M_TAIL]``);
- ``c[C_TAB][i, :]``: an open-addressing hash table (linear probing, deletion by backward shift)
  of held slots by block id, twice the slots or more, a power of two.
The reference engine keeps the same cache as a dict of last-use stamps (sim/reference/
prefix_cache.py): "least recently used" names the same block in both. Rules: docs/engine.md,
"Prefix caches and routing".
"""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim.kernels.common import INLINE
from disagg_viz.sim.layout import BLOCK_TOKENS, ROUTE_PREFIX, ROUTE_ROUND_ROBIN

C_ID = 0
C_PREV = 1
C_NEXT = 2
C_TAB = 3
C_FREE = 4
C_META = 5
M_HEAD = 0
M_TAIL = 1
M_HELD = 2
M_FREE = 3
M_COLS = 4


@njit(**INLINE)
def new_caches(n_inst, slots):
    """Empty caches of ``slots`` blocks for n_inst instances (a tuple of six int64 arrays)."""
    t = 0
    if slots > 0:
        t = 2
        while t < 2 * slots:
            t *= 2
    ids = np.full((n_inst, slots), -1, dtype=np.int64)
    prev = np.full((n_inst, slots), -1, dtype=np.int64)
    nxt = np.full((n_inst, slots), -1, dtype=np.int64)
    tab = np.full((n_inst, t), -1, dtype=np.int64)
    free = np.zeros((n_inst, slots), dtype=np.int64)
    meta = np.zeros((n_inst, M_COLS), dtype=np.int64)
    for i in range(n_inst):
        for s in range(slots):
            free[i, s] = slots - 1 - s
        meta[i, M_HEAD] = -1
        meta[i, M_TAIL] = -1
        meta[i, M_FREE] = slots
    return ids, prev, nxt, tab, free, meta


@njit(**INLINE)
def _home(b, mask):
    return (b * 2654435761) & mask


@njit(**INLINE)
def _find(ids, tab, i, b):
    """The slot holding block b on instance i, or -1."""
    mask = tab.shape[1] - 1
    j = _home(b, mask)
    found = -1
    while tab[i, j] != -1:
        s = tab[i, j]
        if ids[i, s] == b:
            found = s
            break
        j = (j + 1) & mask
    _ = (ids.shape, tab.shape)       # one exit, arrays released there (see common.decode_step)
    return found


@njit(**INLINE)
def _unlink(prev, nxt, meta, i, s):
    p = prev[i, s]
    q = nxt[i, s]
    if p >= 0:
        nxt[i, p] = q
    else:
        meta[i, M_HEAD] = q
    if q >= 0:
        prev[i, q] = p
    else:
        meta[i, M_TAIL] = p
    prev[i, s] = -1
    nxt[i, s] = -1
    _ = (prev.shape, nxt.shape, meta.shape)


@njit(**INLINE)
def _push_tail(prev, nxt, meta, i, s):
    t = meta[i, M_TAIL]
    prev[i, s] = t
    nxt[i, s] = -1
    if t >= 0:
        nxt[i, t] = s
    else:
        meta[i, M_HEAD] = s
    meta[i, M_TAIL] = s
    _ = (prev.shape, nxt.shape, meta.shape)


@njit(**INLINE)
def _evict_lru(ids, prev, nxt, tab, free, meta, i):
    """The least recently used block of instance i leaves its slot (and the hash table)."""
    s = meta[i, M_HEAD]
    _unlink(prev, nxt, meta, i, s)
    mask = tab.shape[1] - 1
    j = _home(ids[i, s], mask)
    while tab[i, j] != s:
        j = (j + 1) & mask
    tab[i, j] = -1
    k = j
    while True:                      # backward shift: later entries of the run move up
        k = (k + 1) & mask
        e = tab[i, k]
        if e == -1:
            break
        h = _home(ids[i, e], mask)
        if (j < k and (h <= j or h > k)) or (j > k and h <= j and h > k):
            tab[i, j] = e
            tab[i, k] = -1
            j = k
    ids[i, s] = -1
    free[i, meta[i, M_FREE]] = s
    meta[i, M_FREE] += 1
    meta[i, M_HELD] -= 1
    _ = (ids.shape, prev.shape, nxt.shape, tab.shape, free.shape, meta.shape)


@njit(**INLINE)
def cache_match(c, i, blocks, b0, nblk):
    """How many of a request's blocks (``blocks[b0:b0 + nblk]``), from its first on, instance i holds."""
    ids = c[C_ID]
    tab = c[C_TAB]
    m = 0
    while m < nblk and _find(ids, tab, i, blocks[b0 + m]) >= 0:
        m += 1
    _ = (ids.shape, tab.shape, blocks.shape)          # see common.decode_step
    return m


@njit(**INLINE)
def cache_touch(c, i, blocks, b0, nblk):
    """Blocks ``blocks[b0:b0 + nblk]`` become instance i's most recently used, in order: a held
    block moves to the end of the order, a new one takes a free slot, else the least recently
    used block's."""
    ids, prev, nxt, tab, free, meta = c
    mask = tab.shape[1] - 1
    for k in range(nblk):
        b = blocks[b0 + k]
        s = _find(ids, tab, i, b)
        if s >= 0:
            _unlink(prev, nxt, meta, i, s)
        else:
            if meta[i, M_FREE] == 0:
                _evict_lru(ids, prev, nxt, tab, free, meta, i)
            meta[i, M_FREE] -= 1
            s = free[i, meta[i, M_FREE]]
            ids[i, s] = b
            j = _home(b, mask)
            while tab[i, j] != -1:
                j = (j + 1) & mask
            tab[i, j] = s
            meta[i, M_HELD] += 1
        _push_tail(prev, nxt, meta, i, s)
    _ = (ids.shape, prev.shape, nxt.shape, tab.shape, free.shape, meta.shape, blocks.shape)
    return 0


@njit(**INLINE)
def cache_trim(c, i, room):
    """Instance i's cache keeps at most ``room`` blocks: the least recently used others go."""
    ids, prev, nxt, tab, free, meta = c
    while meta[i, M_HELD] > room:
        _evict_lru(ids, prev, nxt, tab, free, meta, i)
    held = meta[i, M_HELD]
    _ = (ids.shape, prev.shape, nxt.shape, tab.shape, free.shape, meta.shape)
    return held


@njit(**INLINE)
def route(st, n_inst, assigned, pending, used, down, routing, overlap_milli, rr, c, blocks, b0, nblk, need, prompt_r):
    """The instance an arrival goes to, and the prefix blocks it finds there: least-loaded (fewest
    ``assigned``), round-robin (``rr``: the requests routed so far; a lost instance's turn goes to
    the next) or prefix-aware (Dynamo's KV router: the lowest weight x tokens to prefill there,
    queued ones included, + 1000 x KV tokens in use with this request's; ties to the lowest
    index). Instances with ``st[j, down]`` set (lost: sim/instance_faults.py) are skipped."""
    caching = c[C_ID].shape[1] > 0
    best = -1
    best_m = 0
    if routing == ROUTE_PREFIX:
        best_cost = 0
        for j in range(n_inst):
            if st[j, down] != 0:
                continue
            m = cache_match(c, j, blocks, b0, nblk) if caching else 0
            hit = min(m * BLOCK_TOKENS, prompt_r - 1)
            cost = overlap_milli * (st[j, pending] + prompt_r - hit) + 1000 * (st[j, used] + need)
            if best < 0 or cost < best_cost:
                best, best_cost, best_m = j, cost, m
    else:
        best = route_by_load(st, n_inst, assigned, down, routing, rr)
        if caching and nblk > 0:
            best_m = cache_match(c, best, blocks, b0, nblk)
    _ = (st.shape, blocks.shape)
    return best, best_m


@njit(**INLINE)
def route_by_load(st, n_inst, assigned, down, routing, rr):
    """``route``'s choice without prefix-aware routing: round-robin (a lost instance's turn goes
    to the next) or least-loaded, skipping instances with ``st[j, down]`` set. The kernels call it
    for themselves when no cache is kept: ``route`` holds the caches' six arrays, which costs 16
    atomic reference counts an arrival (docs/engine.md, "Speed")."""
    best = -1
    if routing == ROUTE_ROUND_ROBIN:
        best = rr % n_inst
        while st[best, down] != 0:
            best = (best + 1) % n_inst
    else:
        for j in range(n_inst):
            if st[j, down] == 0 and (best < 0 or st[j, assigned] < st[best, assigned]):
                best = j
    _ = st.shape
    return best
