"""Prefix caches and routing in the reference engine (issue 21; the kernels' twin is
sim/kernels/prefix_cache.py, the rules are in docs/engine.md, "Prefix caches and routing").

A cache holds at most ``slots`` blocks, each with the stamp of its last use (the instance's own
counter: every stamp distinct). A block used again gets a new stamp; a new block takes a free
slot, else replaces the least recently used block; after a request's blocks join, the cache keeps
to the KV room its instance leaves free (least recently used blocks go first)."""

from __future__ import annotations

from disagg_viz.sim.layout import BLOCK_TOKENS, ROUTE_PREFIX, ROUTE_ROUND_ROBIN


class PrefixCache:
    def __init__(self, slots: int):
        self.slots = slots
        self.stamp: dict[int, int] = {}     # block id -> last use
        self.clock = 0

    def match(self, blocks) -> int:
        """How many of the blocks, from the first on, the cache holds."""
        m = 0
        for b in blocks:
            if b not in self.stamp:
                break
            m += 1
        return m

    def touch(self, blocks) -> None:
        """The blocks become the most recently used, in order."""
        for b in blocks:
            if b not in self.stamp and len(self.stamp) >= self.slots:
                del self.stamp[min(self.stamp, key=self.stamp.__getitem__)]
            self.clock += 1
            self.stamp[b] = self.clock

    def trim(self, room: int) -> None:
        while len(self.stamp) > room:
            del self.stamp[min(self.stamp, key=self.stamp.__getitem__)]


def hit_tokens(m: int, prompt: int) -> int:
    """Prompt tokens a hit of m blocks skips: the last prompt token is always computed."""
    return min(m * BLOCK_TOKENS, prompt - 1)


def route(insts, routing: int, overlap_milli: int, routed: int, blocks, need: int, prompt: int):
    """(instance, blocks found there) for an arrival: least-loaded, round-robin or prefix-aware
    (Dynamo's KV router: lowest overlap weight x tokens to prefill there, queued ones included,
    + 1000 x KV tokens in use with this request's; ties to the lowest index). Lost instances
    (``down``) are skipped; round-robin gives a lost one's turn to the next."""
    caching = insts[0].cache.slots > 0
    if routing == ROUTE_PREFIX:
        best, best_cost, best_m = None, 0, 0
        for inst in insts:
            if inst.down:
                continue
            m = inst.cache.match(blocks) if caching else 0
            cost = overlap_milli * (inst.pending + prompt - hit_tokens(m, prompt)) + 1000 * (inst.used + need)
            if best is None or cost < best_cost:
                best, best_cost, best_m = inst, cost, m
        return best, best_m
    if routing == ROUTE_ROUND_ROBIN:
        k = routed % len(insts)
        while insts[k].down:
            k = (k + 1) % len(insts)
        best = insts[k]
    else:
        best = min((x for x in insts if not x.down), key=lambda x: (x.assigned, x.idx))
    return best, (best.cache.match(blocks) if caching and len(blocks) else 0)
