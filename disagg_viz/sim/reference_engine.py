"""The plain-Python reference engine: readable objects, the same semantics as the Numba kernels.

Tests run both engines on random scenarios and require identical arrays, so every rule here
(routing, admission, batching, tie-breaking between events at the same time) is the
specification the kernels follow. See docs/engine.md for the rules in prose.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from disagg_viz.sim.cost_model import CM_HBM, CM_KV_PER_TOKEN, CM_LAYERS, CM_PEAK_FLOPS, CM_TP, iteration_cost
from disagg_viz.sim.layout import (
    L_COLS, R_DECODE_INST, R_FINISH, R_FIRST_TOKEN, R_FLOAT_COLS, R_INT_COLS, R_MAX_GAP,
    R_KV_HEAD, R_KV_ROOM, R_PREFILL_END, R_PREFILL_INST, R_PREFILL_START, R_REJECT, R_TRANSFER_END,
    R_TRANSFER_START, REJECT_KV, REJECT_WEIGHTS,
)
from disagg_viz.sim.events import (
    EV_DECODE, EV_LAND, EV_PORT, EV_PREFILL, PORT_FREE, PORT_RESERVED, PORT_SHIPPING,
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
        self.join: deque[int] = deque()          # disaggregated decode instance: KV landed
        self.assigned = 0   # requests routed here and not yet handed on or finished (its load)
        self.decoding = False


def _stopped(control, arrived: int) -> bool:
    """The kernels' control array (sim/run_control.py): report progress, say whether to stop."""
    if control is None:
        return False
    control[1] = arrived
    return bool(control[0])


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


def simulate_colocated_reference(arrival, prompt, output, cm, n_inst, cap, chunked, chunk_tokens, max_prefill, max_batch,
                                 control=None):
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
        if _stopped(control, nxt):
            break
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


class _Sender:
    """A prefill instance's outbound port (one per instance: its GPUs' links striped together)."""

    def __init__(self):
        self.out: deque[int] = deque()   # trays ready to ship, FIFO
        self.state = PORT_FREE
        self.req = -1                    # the tray it is reserved for or shipping
        self.end = math.inf              # when the shipping tray's bytes are out


class _Receiver:
    """A decode instance's inbound port and the trays headed its way."""

    def __init__(self):
        self.door: deque[int] = deque()  # KV room reserved here, waiting for this port, FIFO
        self.busy = False
        self.flight: list[int] = []      # on the wire or waiting for their last layers, in start order
        self.land = math.inf             # earliest landing among them


class _DecodeInstance(_Instance):
    def __init__(self, idx: int):
        super().__init__(idx)
        self.port = _Receiver()


class _PrefillInstance(_Instance):
    def __init__(self, idx: int):
        super().__init__(idx)
        self.port = _Sender()


def simulate_disaggregated_reference(arrival, prompt, output, cm_p, cm_d, n_p, n_d, cap_p, cap_d,
                                     link_bw, link_lat, layerwise, max_prefill, max_batch, first_prefill,
                                     control=None):
    """``link_bw``: bytes/s of one shipment (both ends' links striped); ``first_prefill``: the
    prefill instance sends the first token when its prefill ends (else the decode instance does)."""
    req = _Requests(arrival, prompt, output)
    log = _Log()
    pre = [_PrefillInstance(i) for i in range(n_p)]
    dec = [_DecodeInstance(n_p + j) for j in range(n_d)]
    layers = cm_p[CM_LAYERS]
    kvpt = cm_p[CM_KV_PER_TOKEN]

    def ships(r: int) -> bool:
        return not (first_prefill and req.output[r] == 1)

    def start_prefill(inst: _PrefillInstance, t: float) -> bool:
        """Takes a batch; True when layer-wise trays joined its port's queue."""
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
            return False
        p, (dur, flops, nbytes) = _prefill_cost(cm_p, inst.batch, 0, 0, len(inst.batch))
        log.add(inst.idx, t, dur, flops, nbytes, cm_p, p, 0, len(inst.batch))
        inst.busy = True
        inst.end = t + dur
        if layerwise:
            for r, _, _ in inst.batch:
                req.f[r, R_PREFILL_END] = inst.end
                if ships(r):
                    inst.port.out.append(r)
        return layerwise

    def prefill_done(inst: _PrefillInstance, t: float) -> None:
        for r, _, _ in inst.batch:
            req.f[r, R_PREFILL_END] = t
            inst.assigned -= 1
            if first_prefill and req.emit(r, t):
                inst.used -= req.prompt[r]      # a one-token answer: nothing to ship
            elif not layerwise:
                inst.port.out.append(r)
        inst.batch = []

    def try_send(inst: _PrefillInstance, t: float) -> None:
        """A free sender reserves KV room on the least-loaded decode instance with room for the
        tray at the head of its queue, and the tray joins that instance's door."""
        port = inst.port
        if port.state != PORT_FREE or not port.out:
            return
        r = port.out[0]
        if math.isnan(req.f[r, R_KV_HEAD]):
            req.f[r, R_KV_HEAD] = t
        need = req.prompt[r] + req.output[r]
        best = None
        for d in dec:
            if d.used + need <= cap_d and (best is None or d.assigned < best.assigned):
                best = d
        if best is None:
            return
        port.out.popleft()
        best.used += need
        best.assigned += 1
        req.i[r, R_DECODE_INST] = best.idx
        req.f[r, R_KV_ROOM] = t
        port.state = PORT_RESERVED
        port.req = r
        best.port.door.append(r)

    def try_receive(inst: _DecodeInstance, t: float) -> None:
        """A free receiver starts the tray at its door: both ports busy until its bytes are out;
        it lands a latency later (layer-wise: no earlier than its last layer's share after its
        prefill ends)."""
        port = inst.port
        if port.busy or not port.door:
            return
        r = port.door.popleft()
        sender = pre[req.i[r, R_PREFILL_INST]].port
        nbytes = req.prompt[r] * kvpt
        out_at = t + nbytes / link_bw
        end = out_at
        if layerwise:
            tail = req.f[r, R_PREFILL_END] + nbytes / (link_bw * layers)
            if tail > end:
                end = tail
        req.f[r, R_TRANSFER_START] = t
        req.f[r, R_TRANSFER_END] = end + link_lat
        port.busy = True
        sender.state = PORT_SHIPPING
        sender.end = out_at
        port.flight.append(r)
        port.land = min(port.land, end + link_lat)

    def land(inst: _DecodeInstance, t: float) -> _PrefillInstance:
        port = inst.port
        k = min(range(len(port.flight)), key=lambda q: (req.f[port.flight[q], R_TRANSFER_END], q))
        r = port.flight.pop(k)
        port.land = min((req.f[x, R_TRANSFER_END] for x in port.flight), default=math.inf)
        src = pre[req.i[r, R_PREFILL_INST]]
        src.used -= req.prompt[r]
        inst.join.append(r)
        return src

    def start_decode(inst: _DecodeInstance, t: float) -> None:
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

    def finish_decode(inst: _DecodeInstance, t: float) -> bool:
        finished, n = _decode(req, inst, t)
        req.token_steps += n
        for r in finished:
            inst.used -= req.prompt[r] + req.output[r]
            inst.assigned -= 1
        return bool(finished)

    nxt = 0
    n = len(arrival)
    while True:
        # The next event; ties go to the first found, in this order, then to the arrival.
        kind, who, tbest = -1, None, math.inf
        for inst in pre:
            if inst.busy and inst.end < tbest:
                kind, who, tbest = EV_PREFILL, inst, inst.end
        for inst in pre:
            if inst.port.state == PORT_SHIPPING and inst.port.end < tbest:
                kind, who, tbest = EV_PORT, inst, inst.port.end
        for inst in dec:
            if inst.port.flight and inst.port.land < tbest:
                kind, who, tbest = EV_LAND, inst, inst.port.land
        for inst in dec:
            if inst.busy and inst.end < tbest:
                kind, who, tbest = EV_DECODE, inst, inst.end
        t_arr = arrival[nxt] if nxt < n else math.inf
        if _stopped(control, nxt):
            break
        if kind < 0 and nxt >= n:
            break
        restart_d = restart_p = None
        senders: list[_PrefillInstance] = []
        receivers = False
        if kind >= 0 and tbest <= t_arr:
            t = tbest
            if kind == EV_PREFILL:
                prefill_done(who, t)
                restart_p = who
                senders = [who]
            elif kind == EV_PORT:
                r = who.port.req
                who.port.state = PORT_FREE
                who.port.req = -1
                who.port.end = math.inf
                dec[req.i[r, R_DECODE_INST] - n_p].port.busy = False
                senders = [who]
                receivers = True
            elif kind == EV_LAND:
                src = land(who, t)
                if not who.busy:
                    restart_d = who
                if not src.busy:
                    restart_p = src
            else:
                if finish_decode(who, t):
                    senders = pre
                restart_d = who
        else:
            t = t_arr
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
            if dest.busy:
                continue
            restart_p = dest
        # What the event freed, always in this order: a decode instance, a prefill instance,
        # then senders (in index order), then every receiver.
        if restart_d is not None:
            start_decode(restart_d, t)
        if restart_p is not None and start_prefill(restart_p, t) and restart_p not in senders:
            senders = sorted(senders + [restart_p], key=lambda x: x.idx)
        for inst in senders:
            try_send(inst, t)
        if senders or receivers:
            for inst in dec:
                try_receive(inst, t)
    return req.f, req.i, log.array(), req.token_steps
