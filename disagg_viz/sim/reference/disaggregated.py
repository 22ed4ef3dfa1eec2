"""Disaggregated serving (prefill pool -> KV shipment between two ports -> decode pool): the
reference engine's event loop."""

from __future__ import annotations

import math

import numpy as np

from disagg_viz.sim.cost_model import CM_KV_PER_TOKEN, CM_LAYERS, iteration_cost
from disagg_viz.sim.events import (
    EV_DECODE, EV_LAND, EV_PLAN, EV_PORT, EV_PREFILL, EV_SWITCH, PORT_FREE, PORT_RESERVED, PORT_SHIPPING,
)
from disagg_viz.sim.link_faults import shipment_rate
from disagg_viz.sim.layout import (
    LK_LATENCY, LK_LAYERWISE, LK_PORT_BYTES_PER_S, PL_FIRST_TOKEN, PL_INSTANCES, PL_KV_CAP, PL_MAX_BATCH,
    PL_MAX_PREFILL, POOL_DECODE, POOL_PREFILL, R_DECODE_INST, R_KV_HEAD, R_KV_ROOM, R_PREFILL_END, R_PREFILL_INST,
    R_REJECT, R_TRANSFER_END, R_TRANSFER_START, REJECT_KV, REJECT_LOST, REJECT_WEIGHTS, SH_BYTES, SH_PORTS_FREE,
    SH_QUEUED, SH_RECEIVER, SH_SENDER, SH_WIRE_END, SH_WIRE_START,
)
from disagg_viz.sim.layout import MV_COLS, PL_CACHE_SLOTS, PL_OVERLAP_MILLI, PL_PLAN_PREFILL, PL_ROUTING
from disagg_viz.sim.reference.planner import Planner
from disagg_viz.sim.reference.prefix_cache import route
from disagg_viz.sim.reference.instance import admit, batch_cost, decode, running_ctx
from disagg_viz.sim.reference.link import DecodeInstance, PrefillInstance
from disagg_viz.sim.instance_faults import routed_again
from disagg_viz.sim.reference.lost import IF_EXTRA_PREFILL, IF_REQUEUED, IF_RESHIPPED, Lost, seat_life, shipped, \
    tray_life
from disagg_viz.sim.reference.requests import Log, Requests, stopped


def simulate_disaggregated_reference(arrival, prompt, output, costs, pools, link, control=None, prefix=None,
                                     faults=None):
    """``costs``, ``pools``: rows POOL_PREFILL and POOL_DECODE; ``link``: LK_* (sim/engine_input.py);
    ``faults``: lost instances (IF_* rows, costs written there; never with a planner). Returns what
    the kernel returns. With a planner (PL_PLAN_PREFILL > 0) both rows count every instance:
    instance k is ``pre[k]`` and ``dec[k]``, global id k (reference/planner.py)."""
    cm_p, cm_d = costs[POOL_PREFILL], costs[POOL_DECODE]
    n_p, n_d = int(pools[POOL_PREFILL, PL_INSTANCES]), int(pools[POOL_DECODE, PL_INSTANCES])
    cap_p, cap_d = int(pools[POOL_PREFILL, PL_KV_CAP]), int(pools[POOL_DECODE, PL_KV_CAP])
    max_prefill = int(pools[POOL_PREFILL, PL_MAX_PREFILL])
    max_batch_p, max_batch = int(pools[POOL_PREFILL, PL_MAX_BATCH]), int(pools[POOL_DECODE, PL_MAX_BATCH])
    first_prefill = bool(pools[POOL_PREFILL, PL_FIRST_TOKEN])
    link_bw, link_lat = link[LK_PORT_BYTES_PER_S], link[LK_LATENCY]
    layerwise = bool(link[LK_LAYERWISE])
    req = Requests(arrival, prompt, output, shipments=True, prefix=prefix)
    log = Log()
    pre = [PrefillInstance(i, int(pools[POOL_PREFILL, PL_CACHE_SLOTS])) for i in range(n_p)]
    routing, overlap_milli = int(pools[POOL_PREFILL, PL_ROUTING]), int(pools[POOL_PREFILL, PL_OVERLAP_MILLI])
    routed = 0
    planning = int(pools[POOL_PREFILL, PL_PLAN_PREFILL]) > 0
    d_off = 0 if planning else n_p     # decode instance j is global instance d_off + j
    dec = [DecodeInstance(d_off + j) for j in range(n_d)]
    planner = Planner(pools[POOL_PREFILL], pre, dec, cap_d) if planning else None
    layers = cm_p[CM_LAYERS]
    kvpt = cm_p[CM_KV_PER_TOKEN]
    lost = Lost(faults, len(arrival))

    def reroute(r: int, g: int) -> None:
        """Request r, which emitted g tokens in the life it lost, is routed again (sim/instance_faults.py)."""
        nonlocal routed
        routed_again(req.f, lost.was, r)
        req.prompt[r] += g
        req.output[r] -= g
        req.cached[r] = 0
        req.emitted[r] = 0
        dest, m = route(pre, routing, overlap_milli, routed, req.blocks[r], req.prompt[r], req.prompt[r])
        routed += 1
        req.routed(r, dest, m)
        dest.assigned += 1
        req.i[r, R_PREFILL_INST] = dest.idx
        dest.queue.append(r)

    def rebuild(r: int, row: int, g: int, last: float, gap: float, extra: int) -> None:
        """Request r's KV is gone: prefilled again (``extra`` tokens counted) and shipped again."""
        lost.remember(req, r, g, last, gap)
        lost.forget_kv_wait(req, r)
        lost.add(row, IF_REQUEUED, 1)
        lost.add(row, IF_EXTRA_PREFILL, extra)
        reroute(r, g)

    def too_long(r: int, g: int) -> bool:
        """Its prompt and the g tokens it emitted, to be prefilled again, no longer fit a prefill
        instance's KV memory: it is rejected (sim/instance_faults.py)."""
        if req.prompt[r] + g > cap_p:
            req.i[r, R_REJECT] = REJECT_LOST
            return True
        return False

    def lose_prefill(inst: PrefillInstance, row: int) -> None:
        inst.down = True
        for r in list(inst.queue):                    # waiting: routed again
            lost.add(row, IF_REQUEUED, 1)
            reroute(r, 0)
        inst.queue.clear()
        for r, n_tok, _ in inst.batch:                # a prefill in progress: thrown away
            inst.used -= req.prompt[r]
            lost.add(row, IF_REQUEUED, 1)
            lost.add(row, IF_EXTRA_PREFILL, n_tok)
            reroute(r, 0)
        port = inst.port
        while True:                                   # trays whose KV is on it
            if port.out:
                r = port.out.popleft()
            elif port.state != PORT_FREE:
                r = port.req
                d = dec[req.i[r, R_DECODE_INST] - n_p]
                d.used -= req.prompt[r] + req.output[r]
                d.assigned -= 1
                if port.state == PORT_RESERVED:
                    d.port.door.remove(r)
                else:
                    d.port.flight.remove(r)
                    d.port.busy = False
                    lost.add(row, IF_RESHIPPED, shipped(req, r))
                    d.port.land = min((req.f[x, R_TRANSFER_END] for x in d.port.flight), default=math.inf)
                port.state, port.req, port.end = PORT_FREE, -1, math.inf
            else:
                break
            inst.used -= req.prompt[r]
            g, last, gap = tray_life(req, r)
            if not too_long(r, g):
                rebuild(r, row, g, last, gap, req.prompt[r] - req.cached[r])
        inst.batch = []
        inst.busy = False
        inst.assigned = inst.pending = 0
        inst.end = math.inf
        inst.cache.stamp = {}

    def lose_decode(inst: DecodeInstance, row: int) -> None:
        inst.down = True
        for r in inst.running:                        # running: prefilled again with what they emitted
            g, last, gap = seat_life(req, r)
            if too_long(r, g):
                continue
            lost.add(row, IF_RESHIPPED, shipped(req, r))
            rebuild(r, row, g, last, gap, req.prompt[r] + g)
        for r in inst.join:                           # landed, waiting for a seat: the same
            g, last, gap = tray_life(req, r)
            if too_long(r, g):
                continue
            lost.add(row, IF_RESHIPPED, shipped(req, r))
            rebuild(r, row, g, last, gap, req.prompt[r] + g)
        for on_wire, trays in ((False, list(inst.port.door)), (True, list(inst.port.flight))):
            for r in trays:                           # back to their sender's port (their KV is there)
                src = pre[req.i[r, R_PREFILL_INST]]
                if src.port.state != PORT_FREE and src.port.req == r:
                    src.port.state, src.port.req, src.port.end = PORT_FREE, -1, math.inf
                if on_wire:
                    lost.add(row, IF_RESHIPPED, shipped(req, r))
                if not src.down:
                    lost.add(row, IF_REQUEUED, 1)
                    src.port.out.append(r)
                else:                                 # its sender is lost too: its KV is gone
                    src.used -= req.prompt[r]
                    g, last, gap = tray_life(req, r)
                    if not too_long(r, g):
                        rebuild(r, row, g, last, gap, req.prompt[r] + g)
        inst.running, inst.port.flight = [], []
        inst.join.clear()
        inst.port.door.clear()
        inst.port.busy = False
        inst.port.land = inst.end = math.inf
        inst.used = inst.assigned = 0
        inst.busy = False

    def ships(r: int) -> bool:
        return not (first_prefill and req.output[r] == 1)

    def start_prefill(inst: PrefillInstance, t: float) -> bool:
        """Takes a batch; True when layer-wise trays joined its port's queue."""
        inst.batch = []
        admit(req, inst, t, cap_p, False, 0, max_batch_p, max_prefill, False)
        if not inst.batch:
            inst.busy = False
            inst.end = math.inf
            return False
        p, (dur, flops, nbytes) = batch_cost(cm_p, inst.batch, 0, 0, len(inst.batch))
        log.add(inst.idx, t, dur, flops, nbytes, cm_p, p, 0, len(inst.batch))
        inst.busy = True
        inst.end = t + dur
        if layerwise:
            for r, _, _ in inst.batch:
                req.f[r, R_PREFILL_END] = inst.end
                if ships(r):
                    inst.port.out.append(r)
                    req.ship[r, SH_QUEUED] = t
        return layerwise

    def prefill_done(inst: PrefillInstance, t: float) -> None:
        for r, _, _ in inst.batch:
            req.f[r, R_PREFILL_END] = t
            inst.assigned -= 1
            req.prefilled(r, inst, cap_p)
            if first_prefill and req.emit(r, t):
                inst.used -= req.prompt[r]      # a one-token answer: nothing to ship
            elif not layerwise:
                inst.port.out.append(r)
                req.ship[r, SH_QUEUED] = t
        inst.batch = []

    def try_send(inst: PrefillInstance, t: float) -> None:
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
            if d.used + need <= cap_d and not d.off and not d.down and (best is None or d.assigned < best.assigned):
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

    def try_receive(inst: DecodeInstance, t: float) -> None:
        """A free receiver starts the tray at its door: both ports busy until its bytes are out;
        it lands a latency later (layer-wise: no earlier than its last layer's share after its
        prefill ends)."""
        port = inst.port
        if port.busy or not port.door:
            return
        r = port.door.popleft()
        sender = pre[req.i[r, R_PREFILL_INST]].port
        nbytes = req.prompt[r] * kvpt
        bw = shipment_rate(link_bw, link, req.i[r, R_PREFILL_INST], inst.idx, t)   # link faults
        out_at = t + nbytes / bw
        end = out_at
        if layerwise:
            tail = req.f[r, R_PREFILL_END] + nbytes / (bw * layers)
            if tail > end:
                end = tail
        req.f[r, R_TRANSFER_START] = t
        req.f[r, R_TRANSFER_END] = end + link_lat
        sh = req.ship[r]
        sh[SH_SENDER], sh[SH_RECEIVER] = req.i[r, R_PREFILL_INST], inst.idx
        sh[SH_WIRE_START], sh[SH_PORTS_FREE], sh[SH_WIRE_END], sh[SH_BYTES] = t, out_at, end + link_lat, nbytes
        port.busy = True
        sender.state = PORT_SHIPPING
        sender.end = out_at
        port.flight.append(r)
        port.land = min(port.land, end + link_lat)

    def land(inst: DecodeInstance, t: float) -> PrefillInstance:
        port = inst.port
        k = min(range(len(port.flight)), key=lambda q: (req.f[port.flight[q], R_TRANSFER_END], q))
        r = port.flight.pop(k)
        port.land = min((req.f[x, R_TRANSFER_END] for x in port.flight), default=math.inf)
        src = pre[req.i[r, R_PREFILL_INST]]
        src.used -= req.prompt[r]
        inst.join.append(r)
        return src

    def start_decode(inst: DecodeInstance, t: float) -> None:
        while inst.join and len(inst.running) < max_batch:
            inst.running.append(inst.join.popleft())
        if not inst.running:
            inst.busy = False
            inst.end = math.inf
            return
        b = len(inst.running)
        dur, flops, nbytes = iteration_cost(cm_d, 0, 0, 0, b, running_ctx(req, inst), b)
        log.add(inst.idx, t, dur, flops, nbytes, cm_d, 0, b, 0)
        inst.busy = True
        inst.end = t + dur

    def finish_decode(inst: DecodeInstance, t: float) -> bool:
        finished, n = decode(req, inst, t)
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
        if planner is not None:
            if planner.switching_until() < tbest:
                kind, who, tbest = EV_SWITCH, None, planner.switching_until()
            if nxt < n and planner.tick_time() < tbest:
                kind, who, tbest = EV_PLAN, None, planner.tick_time()
        t_arr = arrival[nxt] if nxt < n else math.inf
        if stopped(control, nxt):
            break
        if kind < 0 and nxt >= n:
            break
        restart_d = restart_p = None
        senders: list[PrefillInstance] = []
        receivers = False
        t_f = lost.next_time()
        if t_f <= tbest and t_f <= t_arr and t_f < math.inf:
            # A station is lost (or back): sim/instance_faults.py. Before any other event at t.
            # Every station lost (or back) at t, before anything starts again.
            t = t_f
            any_lost = False
            while lost.next_time() == t:
                row, x, up = lost.pop()
                inst = pre[x] if x < n_p else dec[x - n_p]
                inst.down = not up
                if not up:
                    for y in lost.lost_with(row):
                        (pre[y] if y < n_p else dec[y - n_p]).down = True
                    if x < n_p:
                        lose_prefill(inst, row)
                    else:
                        lose_decode(inst, row)
                    any_lost = True
                if not up or x >= n_p:
                    senders = pre
                    receivers = True
            if any_lost:
                for p in pre:
                    if not p.busy and not p.down:
                        start_prefill(p, t)
        elif kind >= 0 and tbest <= t_arr:
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
                dec[req.i[r, R_DECODE_INST] - d_off].port.busy = False
                senders = [who]
                receivers = True
            elif kind == EV_LAND:
                src = land(who, t)
                if not who.busy:
                    restart_d = who
                if not src.busy:
                    restart_p = src
            elif kind == EV_DECODE:
                if finish_decode(who, t):
                    senders = pre
                restart_d = who
            elif kind == EV_SWITCH:
                if planner.switch(t):
                    senders = pre        # a new decode instance: every blocked sender may find room
            else:
                planner.plan(t, req, nxt)
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
            dest, m = route(planner.on_prefill() if planner else pre, routing, overlap_milli, routed, req.blocks[r],
                            req.prompt[r], req.prompt[r])
            routed += 1
            req.routed(r, dest, m)
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
        if planner is not None:
            planner.check_drained(t)
    lost.finish(req)
    moves = planner.log() if planner else np.zeros((0, MV_COLS))
    return req.f, req.results(), log.array(), req.ship, req.token_steps, moves
