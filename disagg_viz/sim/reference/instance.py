"""An instance of the reference engine, and the rules every instance follows: the one admission
rule, the decode step and an iteration's cost (kernels/common.py mirrors them)."""

from __future__ import annotations

import math
from collections import deque

from disagg_viz.sim.cost_model import iteration_cost
from disagg_viz.sim.layout import R_PREFILL_START
from disagg_viz.sim.reference.requests import Requests


class Instance:
    def __init__(self, idx: int, cache_slots: int = 0):
        from disagg_viz.sim.reference.prefix_cache import PrefixCache
        self.idx = idx
        self.cache = PrefixCache(cache_slots)
        self.pending = 0    # prompt tokens routed here and still to prefill (prefix-aware routing)
        self.queue: deque[int] = deque()
        self.running: list[int] = []
        self.prefilling: list[int] = []     # chunked prefill: admitted, prompt not done yet
        self.batch: list[tuple[int, int, int]] = []  # (request, tokens this iteration, prior context)
        self.busy = False
        self.end = math.inf
        self.used = 0                        # KV tokens reserved
        self.join: deque[int] = deque()      # disaggregated decode instance: KV landed
        self.assigned = 0   # requests routed here and not yet handed on or finished (its load)
        self.decoding = False
        self.down = False   # lost ([[faults]] kind "instance-lost"): routing skips it
        self.off = False    # dynamic pools: on duty in the other pool, draining or changing role


def admit(req: Requests, inst: Instance, t: float, cap: int, reserve_output: bool, taken: int, max_batch: int,
          limit: int, chunked: bool) -> int:
    """The one admission rule: take requests from the head of the instance's waiting queue into
    its batch while their KV fits (prompt, plus output with ``reserve_output``), seats remain
    (``taken`` + batch < max_batch) and the tokens stay within ``limit``: prefill-first, whole
    prompts adding up to at most the limit (the first always goes); chunked, the budget's
    remaining tokens, the last prompt cut to fit. A request's cached prompt tokens (its prefix-cache
    hit) are context already there: only the rest is prefilled and counts. Returns the tokens taken."""
    tok = 0
    while inst.queue:
        r = inst.queue[0]
        need = req.prompt[r] + req.output[r] if reserve_output else req.prompt[r]
        if inst.used + need > cap or taken + len(inst.batch) >= max_batch:
            break
        todo = req.prompt[r] - req.cached[r]
        if chunked:
            if tok >= limit:
                break
            n = min(todo, limit - tok)
        else:
            if inst.batch and tok + todo > limit:
                break
            n = todo
        inst.queue.popleft()
        inst.used += need
        tok += n
        req.f[r, R_PREFILL_START] = t
        inst.batch.append((r, n, req.cached[r]))
    return tok


def decode(req: Requests, inst: Instance, t: float) -> tuple[list[int], int]:
    """The decode step: every running sequence emits one token; returns (finished, tokens emitted)."""
    finished = []
    keep = []
    for r in inst.running:
        if req.emit(r, t):
            finished.append(r)
        else:
            keep.append(r)
    n = len(inst.running)
    inst.running = keep
    return finished, n


def running_ctx(req: Requests, inst: Instance) -> int:
    return sum(req.prompt[r] + req.emitted[r] for r in inst.running)


def batch_cost(cm, chunks, b, ctx, nseq):
    """(prefill tokens, (duration, FLOPs, bytes)) of an iteration with these prefill chunks and
    b decodes of total context ctx."""
    p = sum(n for _, n, _ in chunks)
    pairs = sum(n * c0 + n * (n + 1) // 2 for _, n, c0 in chunks)
    p_ctx = sum(c0 for _, _, c0 in chunks)
    return p, iteration_cost(cm, p, pairs, p_ctx, b, ctx, nseq)
