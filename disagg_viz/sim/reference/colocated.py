"""Colocated serving (prefill-first or chunked prefill): the reference engine's event loop."""

from __future__ import annotations

import math

from disagg_viz.sim.reference.prefix_cache import route
from disagg_viz.sim.layout import (
    PL_CACHE_SLOTS, PL_OVERLAP_MILLI, PL_ROUTING, PL_CHUNK, PL_INSTANCES, PL_KV_CAP, PL_MAX_BATCH, PL_MAX_PREFILL, POOL_PREFILL, R_DECODE_INST, R_PREFILL_END,
    R_PREFILL_INST, R_REJECT, REJECT_KV, REJECT_WEIGHTS,
)
from disagg_viz.sim.reference.instance import Instance, admit, batch_cost, decode, running_ctx
from disagg_viz.sim.instance_faults import routed_again
from disagg_viz.sim.reference.lost import IF_EXTRA_PREFILL, IF_REQUEUED, Lost, seat_life
from disagg_viz.sim.reference.requests import Log, Requests, stopped


def simulate_colocated_reference(arrival, prompt, output, costs, pools, control=None, prefix=None, faults=None):
    """``costs``, ``pools``: one row (sim/engine_input.py); ``prefix``: (first block, blocks, block
    ids) per request; ``faults``: lost instances (IF_* rows, costs written there). Returns what
    the kernel returns."""
    cm = costs[POOL_PREFILL]
    pool = pools[POOL_PREFILL]
    cap = int(pool[PL_KV_CAP])
    max_batch = int(pool[PL_MAX_BATCH])
    max_prefill = int(pool[PL_MAX_PREFILL])
    chunk_tokens = int(pool[PL_CHUNK])
    chunked = chunk_tokens > 0
    req = Requests(arrival, prompt, output, shipments=False, prefix=prefix)
    log = Log()
    insts = [Instance(i, int(pool[PL_CACHE_SLOTS])) for i in range(int(pool[PL_INSTANCES]))]
    routing, overlap_milli = int(pool[PL_ROUTING]), int(pool[PL_OVERLAP_MILLI])
    routed = 0
    lost = Lost(faults, len(arrival))

    def reroute(r: int, g: int) -> None:
        """Request r, which emitted g tokens in the life it lost, is routed again (sim/instance_faults.py)."""
        routed_again(req.f, lost.was, r)
        req.prompt[r] += g
        req.output[r] -= g
        req.cached[r] = 0
        req.done[r] = 0
        req.emitted[r] = 0
        send(r)

    def send(r: int) -> Instance:
        """Route request r by the system's rule (lost stations skipped) and queue it there."""
        nonlocal routed
        dest, m = route(insts, routing, overlap_milli, routed, req.blocks[r], req.prompt[r] + req.output[r],
                        req.prompt[r])
        routed += 1
        req.routed(r, dest, m)
        dest.assigned += 1
        req.i[r, R_PREFILL_INST] = dest.idx
        req.i[r, R_DECODE_INST] = dest.idx
        dest.queue.append(r)
        return dest

    def lose(inst: Instance, row: int) -> None:
        """Waiting, prefilling (its prefill so far thrown away), running (prefilled again with
        what it emitted): every one is routed again."""
        inst.down = True
        for r in list(inst.queue):
            lost.add(row, IF_REQUEUED, 1)
            reroute(r, 0)
        for r in list(inst.prefilling) if chunked else [r for r, _, _ in inst.batch]:
            lost.add(row, IF_EXTRA_PREFILL, req.done[r] - req.cached[r])
            lost.add(row, IF_REQUEUED, 1)
            reroute(r, 0)
        for r in list(inst.running):
            g, last, gap = seat_life(req, r)
            lost.remember(req, r, g, last, gap)
            lost.add(row, IF_EXTRA_PREFILL, req.prompt[r] + g)
            lost.add(row, IF_REQUEUED, 1)
            reroute(r, g)
        for _, n_tok, _ in inst.batch:
            lost.add(row, IF_EXTRA_PREFILL, n_tok)
        inst.queue.clear()
        inst.prefilling, inst.batch, inst.running = [], [], []
        inst.used = inst.assigned = inst.pending = 0
        inst.busy = inst.decoding = False
        inst.end = math.inf
        inst.cache.stamp = {}

    def start(inst: Instance, t: float) -> None:
        inst.batch = []
        d = len(inst.running) if chunked else 0
        if chunked:
            # Running decodes first, then the prompts already started, then new admissions.
            budget = max(chunk_tokens - d, 0)
            for r in inst.prefilling:
                if budget == 0:
                    break
                n = min(req.prompt[r] - req.done[r], budget)
                inst.batch.append((r, n, req.done[r]))
                budget -= n
            started = len(inst.batch)
            admit(req, inst, t, cap, True, len(inst.running), max_batch, budget, True)
            inst.prefilling.extend(r for r, _, _ in inst.batch[started:])
        else:
            admit(req, inst, t, cap, True, len(inst.running), max_batch, max_prefill, False)
            if not inst.batch and inst.running:
                d = len(inst.running)
        if d == 0 and not inst.batch:
            inst.busy = False
            inst.end = math.inf
            return
        ctx = running_ctx(req, inst) if d else 0
        p, (dur, flops, nbytes) = batch_cost(cm, inst.batch, d, ctx, d + len(inst.batch))
        log.add(inst.idx, t, dur, flops, nbytes, cm, p, d, len(inst.batch))
        inst.busy = True
        inst.end = t + dur
        inst.decoding = d > 0

    def finish(inst: Instance, t: float) -> None:
        if inst.decoding:
            finished, n = decode(req, inst, t)
            req.token_steps += n
            for r in finished:
                inst.used -= req.prompt[r] + req.output[r]
                inst.assigned -= 1
        for r, n, _ in inst.batch:
            req.done[r] += n
            if req.done[r] == req.prompt[r]:
                req.f[r, R_PREFILL_END] = t
                req.prefilled(r, inst, cap)
                if chunked:
                    inst.prefilling.remove(r)
                if req.emit(r, t):
                    inst.used -= req.prompt[r] + req.output[r]
                    inst.assigned -= 1
                else:
                    inst.running.append(r)
        inst.batch = []

    nxt = 0
    n = len(arrival)
    while True:
        best = None
        for inst in insts:
            if inst.busy and (best is None or inst.end < best.end):
                best = inst
        t_arr = arrival[nxt] if nxt < n else math.inf
        if stopped(control, nxt):
            break
        if best is None and nxt >= n:
            break
        t_f = lost.next_time()
        if t_f <= (best.end if best is not None else math.inf) and t_f <= t_arr and t_f < math.inf:
            # Every station lost (or back) at t_f, before anything starts again.
            any_lost = False
            while lost.next_time() == t_f:
                row, x, up = lost.pop()
                insts[x].down = not up
                if not up:
                    for y in lost.lost_with(row):
                        insts[y].down = True
                    lose(insts[x], row)
                    any_lost = True
            if any_lost:
                for inst in insts:
                    if not inst.busy and not inst.down:
                        start(inst, t_f)
            continue
        if best is not None and best.end <= t_arr:
            t = best.end
            finish(best, t)
            start(best, t)
            continue
        r = nxt
        nxt += 1
        if cap <= 0:
            req.i[r, R_REJECT] = REJECT_WEIGHTS
            continue
        if req.prompt[r] + req.output[r] > cap:
            req.i[r, R_REJECT] = REJECT_KV
            continue
        dest = send(r)
        if not dest.busy:
            start(dest, t_arr)
    lost.finish(req)
    return req.f, req.results(), log.array(), req.ship, req.token_steps
