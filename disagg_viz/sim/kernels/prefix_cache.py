"""Prefix caches and routing, compiled (issue 21): shared by both kernels, inlined into their loops.

An instance's cache is a fixed table of block slots (``slot_hash[i, s]``: a block id, -1 when
free; ``slot_stamp[i, s]``: when it was last used, from the instance's own counter, so every
stamp is distinct and "least recently used" names one block). The reference engine keeps the
same cache as a dict (sim/reference/prefix_cache.py); both follow docs/engine.md, "Prefix caches".
"""

from __future__ import annotations

from numba import njit

from disagg_viz.sim.kernels.common import INLINE
from disagg_viz.sim.layout import BLOCK_TOKENS, ROUTE_PREFIX, ROUTE_ROUND_ROBIN


@njit(**INLINE)
def cache_match(slot_hash, i, blocks, b0, nblk):
    """How many of a request's blocks (``blocks[b0:b0 + nblk]``), from its first on, instance i holds."""
    m = 0
    nslot = slot_hash.shape[1]
    while m < nblk:
        h = blocks[b0 + m]
        found = False
        for s in range(nslot):
            if slot_hash[i, s] == h:
                found = True
                break
        if not found:
            break
        m += 1
    _ = (slot_hash.shape, blocks.shape)            # see common.decode_step
    return m


@njit(**INLINE)
def cache_touch(slot_hash, slot_stamp, st, clock, i, blocks, b0, nblk):
    """Blocks ``blocks[b0:b0 + nblk]`` become instance i's most recently used, in order: a block
    it holds gets a new stamp, one it lacks takes a free slot, else the least recently used one's."""
    nslot = slot_hash.shape[1]
    for k in range(nblk):
        h = blocks[b0 + k]
        slot = -1
        free = -1
        lru = -1
        for s in range(nslot):
            v = slot_hash[i, s]
            if v == h:
                slot = s
                break
            if v < 0:
                if free < 0:
                    free = s
            elif lru < 0 or slot_stamp[i, s] < slot_stamp[i, lru]:
                lru = s
        if slot < 0:
            slot = free if free >= 0 else lru
            slot_hash[i, slot] = h
        st[i, clock] += 1
        slot_stamp[i, slot] = st[i, clock]
    _ = (slot_hash.shape, slot_stamp.shape, st.shape, blocks.shape)
    return 0


@njit(**INLINE)
def cache_trim(slot_hash, slot_stamp, i, room):
    """Instance i's cache keeps at most ``room`` blocks: the least recently used others go."""
    nslot = slot_hash.shape[1]
    held = 0
    for s in range(nslot):
        held += slot_hash[i, s] >= 0
    while held > room:
        lru = -1
        for s in range(nslot):
            if slot_hash[i, s] >= 0 and (lru < 0 or slot_stamp[i, s] < slot_stamp[i, lru]):
                lru = s
        slot_hash[i, lru] = -1
        held -= 1
    _ = (slot_hash.shape, slot_stamp.shape)
    return held


@njit(**INLINE)
def route(st, n_inst, assigned, pending, used, routing, overlap_milli, rr, slot_hash, blocks, b0, nblk, need,
          prompt_r):
    """The instance an arrival goes to, and the prefix blocks it finds there: least-loaded (fewest
    ``assigned``), round-robin (``rr``: the requests routed so far) or prefix-aware (Dynamo's KV
    router: the lowest weight x tokens to prefill there, queued ones included, + 1000 x KV tokens
    in use with this request's; ties to the lowest index)."""
    cached_slots = slot_hash.shape[1] > 0
    best = 0
    best_m = 0
    if routing == ROUTE_PREFIX:
        best_cost = 0
        for j in range(n_inst):
            m = cache_match(slot_hash, j, blocks, b0, nblk) if cached_slots else 0
            hit = min(m * BLOCK_TOKENS, prompt_r - 1)
            cost = overlap_milli * (st[j, pending] + prompt_r - hit) + 1000 * (st[j, used] + need)
            if j == 0 or cost < best_cost:
                best, best_cost, best_m = j, cost, m
    else:
        if routing == ROUTE_ROUND_ROBIN:
            best = rr % n_inst
        else:
            for j in range(1, n_inst):
                if st[j, assigned] < st[best, assigned]:
                    best = j
        if cached_slots and nblk > 0:
            best_m = cache_match(slot_hash, best, blocks, b0, nblk)
    _ = (st.shape, slot_hash.shape, blocks.shape)
    return best, best_m
