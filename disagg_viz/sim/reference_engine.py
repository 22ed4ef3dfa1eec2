"""The plain-Python reference engine: readable objects, the same semantics as the Numba kernels.

Tests run both engines on random scenarios and require identical arrays, so every rule here
(routing, admission, batching, tie-breaking between events at the same time) is the
specification the kernels follow. See docs/engine.md for the rules in prose.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from disagg_viz.sim.cost_model import CM_HBM, CM_PEAK_FLOPS, CM_TP, iteration_cost
from disagg_viz.sim.layout import (
    L_COLS, R_DECODE_INST, R_FINISH, R_FIRST_TOKEN, R_FLOAT_COLS, R_INT_COLS, R_MAX_GAP,
    R_PREFILL_END, R_PREFILL_INST, R_PREFILL_START, R_REJECT, R_TRANSFER_END, R_TRANSFER_START,
    REJECT_KV, REJECT_WEIGHTS,
)


class _Requests:
    """Per-request state and result arrays."""

    def __init__(self, arrival, prompt, output):
        self.arrival = arrival
        self.prompt = [int(x) for x in prompt]
        self.output = [int(x) for x in output]
        n = len(arrival)
        self.f = np.full((n, R_FLOAT_COLS), np.nan)
        self.i = np.full((n, R_INT_COLS), -1, dtype=np.int64)
        self.i[:, R_REJECT] = 0
        self.emitted = [0] * n
        self.last = [0.0] * n
        self.done = [0] * n      # prompt tokens prefilled so far
        self.token_steps = 0

    def emit(self, r: int, t: float) -> bool:
        """One token for request r at time t; True when it was the last one."""
        if self.emitted[r] == 0:
            self.f[r, R_FIRST_TOKEN] = t
            self.f[r, R_MAX_GAP] = 0.0
        else:
            gap = t - self.last[r]
            if gap > self.f[r, R_MAX_GAP]:
                self.f[r, R_MAX_GAP] = gap
        self.last[r] = t
        self.emitted[r] += 1
        if self.emitted[r] == self.output[r]:
            self.f[r, R_FINISH] = t
            return True
        return False


class _Log:
    def __init__(self):
        self.rows: list[list[float]] = []

    def add(self, inst, start, dur, flops, nbytes, cm, ptok, dseq, pseq):
        tp = cm[CM_TP]
        cu = flops / (tp * cm[CM_PEAK_FLOPS] * dur)
        bu = nbytes / (tp * cm[CM_HBM] * dur)
        self.rows.append([inst, start, start + dur, ptok, dseq, cu, bu, pseq])

    def array(self) -> np.ndarray:
        if not self.rows:
            return np.zeros((0, L_COLS))
        return np.array(self.rows, dtype=np.float64)


class _Instance:
    def __init__(self, idx: int):
        self.idx = idx
        self.queue: deque[int] = deque()
        self.running: list[int] = []
        self.prefilling: list[int] = []     # chunked prefill: admitted, prompt not done yet
        self.batch: list[tuple[int, int, int]] = []  # (request, chunk tokens, prior context)
        self.busy = False
        self.end = math.inf
        self.used = 0                        # KV tokens reserved
        self.link_queue: deque[int] = deque()    # disaggregated prefill instance: its outbound link
        self.join: deque[int] = deque()          # disaggregated decode instance: KV arrived
        self.link_busy = False
        self.link_end = math.inf
        self.link_req = -1
        self.assigned = 0   # requests routed here and not yet handed on or finished (its load)
        self.decoding = False


def _prefill_cost(cm, chunks, b, ctx, nseq):
    p = sum(n for _, n, _ in chunks)
    pairs = sum(n * c0 + n * (n + 1) // 2 for _, n, c0 in chunks)
    p_ctx = sum(c0 for _, _, c0 in chunks)
    return p, iteration_cost(cm, p, pairs, p_ctx, b, ctx, nseq)


def _decode(req: _Requests, inst: _Instance, t: float) -> tuple[list[int], int]:
    """Every running sequence emits one token; returns (finished, tokens emitted)."""
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


def _running_ctx(req: _Requests, inst: _Instance) -> int:
    return sum(req.prompt[r] + req.emitted[r] for r in inst.running)


def simulate_colocated_reference(arrival, prompt, output, cm, n_inst, cap, chunked, chunk_tokens, max_prefill, max_batch):
    req = _Requests(arrival, prompt, output)
    log = _Log()
    insts = [_Instance(i) for i in range(n_inst)]

    def start(inst: _Instance, t: float) -> None:
        inst.batch = []
        d = len(inst.running) if chunked else 0
        if chunked:
            budget = max(chunk_tokens - d, 0)
            for r in inst.prefilling:
                if budget == 0:
                    break
                n = min(req.prompt[r] - req.done[r], budget)
                inst.batch.append((r, n, req.done[r]))
                budget -= n
            while budget > 0 and inst.queue:
                r = inst.queue[0]
                need = req.prompt[r] + req.output[r]
                if inst.used + need > cap or len(inst.running) + len(inst.prefilling) >= max_batch:
                    break
                inst.queue.popleft()
                inst.prefilling.append(r)
                inst.used += need
                req.f[r, R_PREFILL_START] = t
                n = min(req.prompt[r], budget)
                inst.batch.append((r, n, 0))
                budget -= n
        else:
            tok = 0
            while inst.queue:
                r = inst.queue[0]
                need = req.prompt[r] + req.output[r]
                if inst.used + need > cap or len(inst.running) + len(inst.batch) >= max_batch:
                    break
                if inst.batch and tok + req.prompt[r] > max_prefill:
                    break
                inst.queue.popleft()
                inst.used += need
                tok += req.prompt[r]
                req.f[r, R_PREFILL_START] = t
                inst.batch.append((r, req.prompt[r], 0))
            if not inst.batch and inst.running:
                d = len(inst.running)
        if d == 0 and not inst.batch:
            inst.busy = False
            inst.end = math.inf
            return
        ctx = _running_ctx(req, inst) if d else 0
        p, (dur, flops, nbytes) = _prefill_cost(cm, inst.batch, d, ctx, d + len(inst.batch))
        log.add(inst.idx, t, dur, flops, nbytes, cm, p, d, len(inst.batch))
        inst.busy = True
        inst.end = t + dur
        inst.decoding = d > 0

    def finish(inst: _Instance, t: float) -> None:
        if inst.decoding:
            finished, n = _decode(req, inst, t)
            req.token_steps += n
            for r in finished:
                inst.used -= req.prompt[r] + req.output[r]
                inst.assigned -= 1
        for r, n, _ in inst.batch:
            req.done[r] += n
            if req.done[r] == req.prompt[r]:
                req.f[r, R_PREFILL_END] = t
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
        if best is None and nxt >= n:
            break
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
        dest = min(insts, key=lambda x: (x.assigned, x.idx))
        dest.assigned += 1
        req.i[r, R_PREFILL_INST] = dest.idx
        req.i[r, R_DECODE_INST] = dest.idx
        dest.queue.append(r)
        if not dest.busy:
            start(dest, t_arr)
    return req.f, req.i, log.array(), req.token_steps


def simulate_disaggregated_reference(arrival, prompt, output, cm_p, cm_d, n_p, n_d, cap_p, cap_d,
                                     link_bw, link_lat, layerwise, max_prefill, max_batch):
    req = _Requests(arrival, prompt, output)
    log = _Log()
    pre = [_Instance(i) for i in range(n_p)]
    dec = [_Instance(n_p + j) for j in range(n_d)]
    layers = cm_p[1]
    kvpt = cm_p[3]

    def start_prefill(inst: _Instance, t: float) -> None:
        inst.batch = []
        tok = 0
        while inst.queue:
            r = inst.queue[0]
            if inst.used + req.prompt[r] > cap_p or len(inst.batch) >= max_batch:
                break
            if inst.batch and tok + req.prompt[r] > max_prefill:
                break
            inst.queue.popleft()
            inst.used += req.prompt[r]
            tok += req.prompt[r]
            req.f[r, R_PREFILL_START] = t
            inst.batch.append((r, req.prompt[r], 0))
        if not inst.batch:
            inst.busy = False
            inst.end = math.inf
            return
        p, (dur, flops, nbytes) = _prefill_cost(cm_p, inst.batch, 0, 0, len(inst.batch))
        log.add(inst.idx, t, dur, flops, nbytes, cm_p, p, 0, len(inst.batch))
        inst.busy = True
        inst.end = t + dur
        if layerwise:
            for r, _, _ in inst.batch:
                req.f[r, R_PREFILL_END] = inst.end
                inst.link_queue.append(r)
            try_link(inst, t)

    def try_link(inst: _Instance, t: float) -> None:
        if inst.link_busy or not inst.link_queue:
            return
        r = inst.link_queue[0]
        need = req.prompt[r] + req.output[r]
        best = None
        for d in dec:
            if d.used + need <= cap_d and (best is None or d.assigned < best.assigned):
                best = d
        if best is None:
            return
        inst.link_queue.popleft()
        best.used += need
        best.assigned += 1
        req.i[r, R_DECODE_INST] = best.idx
        req.f[r, R_TRANSFER_START] = t
        nbytes = req.prompt[r] * kvpt
        end = t + link_lat + nbytes / link_bw
        if layerwise:
            tail = req.f[r, R_PREFILL_END] + link_lat + nbytes / (link_bw * layers)
            if tail > end:
                end = tail
        inst.link_busy = True
        inst.link_end = end
        inst.link_req = r

    def link_done(inst: _Instance, t: float) -> None:
        r = inst.link_req
        req.f[r, R_TRANSFER_END] = t
        inst.used -= req.prompt[r]
        inst.link_busy = False
        inst.link_end = math.inf
        inst.link_req = -1
        d = dec[req.i[r, R_DECODE_INST] - n_p]
        d.join.append(r)
        if not d.busy:
            start_decode(d, t)
        try_link(inst, t)
        if not inst.busy:
            start_prefill(inst, t)

    def start_decode(inst: _Instance, t: float) -> None:
        while inst.join and len(inst.running) < max_batch:
            inst.running.append(inst.join.popleft())
        if not inst.running:
            inst.busy = False
            inst.end = math.inf
            return
        b = len(inst.running)
        dur, flops, nbytes = iteration_cost(cm_d, 0, 0, 0, b, _running_ctx(req, inst), b)
        log.add(inst.idx, t, dur, flops, nbytes, cm_d, 0, b, 0)
        inst.busy = True
        inst.end = t + dur

    def finish_decode(inst: _Instance, t: float) -> None:
        finished, n = _decode(req, inst, t)
        req.token_steps += n
        for r in finished:
            inst.used -= req.prompt[r] + req.output[r]
            inst.assigned -= 1
        if finished:
            for p in pre:
                try_link(p, t)

    nxt = 0
    n = len(arrival)
    while True:
        kind, who, tbest = -1, None, math.inf
        for inst in pre:
            if inst.busy and inst.end < tbest:
                kind, who, tbest = 0, inst, inst.end
        for inst in pre:
            if inst.link_busy and inst.link_end < tbest:
                kind, who, tbest = 1, inst, inst.link_end
        for inst in dec:
            if inst.busy and inst.end < tbest:
                kind, who, tbest = 2, inst, inst.end
        t_arr = arrival[nxt] if nxt < n else math.inf
        if kind < 0 and nxt >= n:
            break
        if kind >= 0 and tbest <= t_arr:
            if kind == 0:
                for r, _, _ in who.batch:
                    req.f[r, R_PREFILL_END] = tbest
                    who.assigned -= 1
                    if not layerwise:
                        who.link_queue.append(r)
                who.batch = []
                try_link(who, tbest)
                start_prefill(who, tbest)
            elif kind == 1:
                link_done(who, tbest)
            else:
                finish_decode(who, tbest)
                start_decode(who, tbest)
            continue
        r = nxt
        nxt += 1
        if cap_p <= 0 or cap_d <= 0:
            req.i[r, R_REJECT] = REJECT_WEIGHTS
            continue
        if req.prompt[r] > cap_p or req.prompt[r] + req.output[r] > cap_d:
            req.i[r, R_REJECT] = REJECT_KV
            continue
        dest = min(pre, key=lambda x: (x.assigned, x.idx))
        dest.assigned += 1
        req.i[r, R_PREFILL_INST] = dest.idx
        dest.queue.append(r)
        if not dest.busy:
            start_prefill(dest, t_arr)
    return req.f, req.i, log.array(), req.token_steps
