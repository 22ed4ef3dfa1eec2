"""Disaggregated serving (prefill pool -> KV shipment between two ports -> decode pool) as a Numba kernel.

Rules: ``sim.reference.disaggregated`` and docs/engine.md.

The event loop is one function body. An event (a prefill batch ends, a sender's port has sent a
tray, a tray lands, a decode step ends, a request arrives) names what it freed: at most one
decode instance to restart, at most one prefill instance to restart, a range of senders to try
and whether to try the receivers. Those steps follow once, in that order, at the bottom of the
loop, exactly as in the reference engine.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim.cost_model import CM_KV_PER_TOKEN, CM_LAYERS
from disagg_viz.sim.events import (
    EV_DECODE, EV_LAND, EV_PLAN, EV_PORT, EV_PREFILL, EV_SWITCH, PH_DRAIN, PH_SWITCH, PORT_FREE,
    PORT_RESERVED, PORT_SHIPPING,
)
from disagg_viz.sim.kernels.common import (
    B_COLS, B_REQ, JIT, admit, batch_work, decode_step, grow_log, iteration_cost, log_add, logged, q_pop, q_push,
    shipment_rate,
)
from disagg_viz.sim.kernels.in_flight import pop_landing
from disagg_viz.sim.kernels.instance_faults import finish, next_fault
from disagg_viz.sim.kernels.planner import ROLE_DECODE, ROLE_PREFILL, drained, go_on_duty, plan_tick, route_on
from disagg_viz.sim.kernels.prefix_cache import cache_touch, cache_trim, new_caches, route, route_by_load
from disagg_viz.sim.kernels.split_faults import fault_event
from disagg_viz.sim.kernels.split_state import (
    CUR_ARRIVED, CUR_EVERY, CUR_FAULT, CUR_LOG, CUR_MOVES, CUR_MOVING, CUR_ROUTED, CUR_SIZE, CUR_STEPS, CUR_TICK,
    D_ASSIGNED, D_BUSY, D_COLS, D_CTX, D_DOOR, D_DOWN, D_FLIGHT, D_JOIN, D_NEW, D_OFF, D_PORT_BUSY, D_RUN, D_USED,
    P_ASSIGNED, P_BATCH, P_BUSY, P_COLS, P_DOWN, P_OFF, P_OUT, P_PENDING, P_PHASE, P_PORT, P_PORT_REQ, P_QUEUE,
    P_ROLE, P_USED, PT_COLS, PT_READY, PT_SWITCH_END, ACC_COLS,
)
from disagg_viz.sim.instance_faults import W_COLS, W_GAP
from disagg_viz.sim.run_control import CTL_ARRIVED, CTL_CANCEL, CTL_EVERY, CTL_LOG_ROWS
from disagg_viz.sim.layout import (
    BLOCK_TOKENS, PL_CACHE_SLOTS, PL_OVERLAP_MILLI, PL_ROUTING, ROUTE_PREFIX, R_CACHED, L_COLS, LK_LATENCY,
    LK_LAYERWISE, LK_PORT_BYTES_PER_S, PL_FIRST_TOKEN, PL_INSTANCES, PL_KV_CAP, PL_MAX_BATCH,
    PL_MAX_PREFILL, POOL_DECODE, POOL_PREFILL, R_DECODE_INST, R_FINISH, R_FIRST_TOKEN, R_FLOAT_COLS, R_INT_COLS,
    R_KV_HEAD, R_KV_ROOM, R_MAX_GAP, R_PREFILL_END, R_PREFILL_INST, R_REJECT, R_TRANSFER_END, R_TRANSFER_START,
    REJECT_KV, REJECT_WEIGHTS, SH_BYTES, SH_COLS, SH_PORTS_FREE, SH_QUEUED, SH_RECEIVER, SH_SENDER, SH_WIRE_END,
    SH_WIRE_START, MV_COLS, MV_DRAINED, PL_PLAN_INTERVAL_US, PL_PLAN_PREFILL, PL_PLAN_SAMPLES, PL_PLAN_SWITCH_US,
)

# State arrays' columns: kernels/split_state.py.


@njit(**JIT)
def simulate_disaggregated(arrival, prompt, output, costs, pools, link, control, prefix, faults):
    """``costs``, ``pools``: rows POOL_PREFILL and POOL_DECODE (sim/layout.py PL_*, sim/cost_model.py
    CM_*); ``link``: LK_*; ``prefix``: each request's prefix blocks (as simulate_colocated);
    ``faults``: lost instances (IF_* rows, their cost columns written here; never with a planner).
    Returns (per-request floats, per-request ints, iteration log, shipment log, decode token-steps,
    the planner's move log: MV_* rows); partial results if ``control[CTL_CANCEL]`` was set (see
    sim/run_control.py). With a planner (PL_PLAN_PREFILL > 0) both pools' rows count every
    instance of the system: instance k is prefill row k and decode row k, global id k, on duty in
    one pool at a time (docs/engine.md, "Dynamic pools")."""
    n = arrival.shape[0]
    prompt = prompt.copy()               # a lost instance's requests grow their prompts (sim/instance_faults.py)
    output = output.copy()
    was = np.full((n, W_COLS), np.nan)
    was[:, W_GAP] = 0.0
    n_p = pools[POOL_PREFILL, PL_INSTANCES]
    n_d = pools[POOL_DECODE, PL_INSTANCES]
    max_batch = pools[POOL_DECODE, PL_MAX_BATCH]
    f = np.full((n, R_FLOAT_COLS), np.nan)
    ii = np.full((n, R_INT_COLS), -1, dtype=np.int64)
    ii[:, R_REJECT] = 0
    ship = np.full((n, SH_COLS), np.nan)
    nxt = np.full(n, -1, dtype=np.int64)
    ps = np.zeros((n_p, P_COLS), dtype=np.int64)
    ps[:, P_PORT_REQ] = -1
    ps[:, P_ROLE] = ROLE_PREFILL
    ds = np.zeros((n_d, D_COLS), dtype=np.int64)
    plan_p = pools[POOL_PREFILL, PL_PLAN_PREFILL]
    plan_rows = 0
    if plan_p > 0:
        # Dynamic pools: the first plan_p instances start on prefill duty, the others on decode.
        for k in range(n_p):
            if k < plan_p:
                ds[k, D_OFF] = 1
            else:
                ps[k, P_OFF] = 1
                ps[k, P_ROLE] = ROLE_DECODE
        if n > 0:
            plan_rows = int(arrival[n - 1] * 1e6 / pools[POOL_PREFILL, PL_PLAN_INTERVAL_US]) + 2   # a move a decision at most
    pt = np.full((n_p, PT_COLS), np.inf)
    pt[:, PT_READY] = -np.inf
    moves = np.full((plan_rows, MV_COLS), np.nan)
    slots = pools[POOL_PREFILL, PL_CACHE_SLOTS]
    pre = (ps, np.full(n_p, np.inf), np.full(n_p, np.inf),
           np.zeros((n_p, pools[POOL_PREFILL, PL_MAX_BATCH], B_COLS), dtype=np.int64), pt, np.zeros(ACC_COLS))
    cache = new_caches(n_p, slots)
    cached = np.zeros(n, dtype=np.int64)
    b_start, b_count, blocks = prefix
    dec = (ds, np.full(n_d, np.inf), np.full(n_d, np.inf))
    seats = (np.zeros((n_d, max_batch), dtype=np.int64), np.zeros((n_d, max_batch), dtype=np.int64),
             np.zeros((n_d, max_batch)), np.zeros((n_d, max_batch)))
    log = np.empty((max(1024, n, control[CTL_LOG_ROWS]), L_COLS))
    cur = np.zeros(CUR_SIZE, dtype=np.int64)
    cur[CUR_EVERY] = control[CTL_EVERY]
    cur[CUR_TICK] = 1
    cur[CUR_MOVING] = -1
    while not _run((arrival, prompt, output, cached, b_start, b_count, blocks), costs, pools, link,
                   (f, ii, ship, moves), nxt, pre, cache, dec, seats, log, cur, (faults, was)):
        control[CTL_ARRIVED] = cur[CUR_ARRIVED]
        if control[CTL_CANCEL] != 0:
            break                        # the caller gives up on this run
        if cur[CUR_LOG] + 4 >= log.shape[0]:
            log = grow_log(log, cur[CUR_LOG])
    control[CTL_ARRIVED] = cur[CUR_ARRIVED]
    ii[:, R_CACHED] = cached
    if faults.shape[0] > 0:
        finish(f, was)
    return f, ii, logged(log, cur[CUR_LOG]), ship, cur[CUR_STEPS], moves[:cur[CUR_MOVES]].copy()


@njit(**JIT)
def _run(req, costs, pools, link, out, nxt, pre, cache, dec, seats, log, cur, lost):
    """Advance the simulation until it ends (True), the log is nearly full or ``every`` events have
    passed (False: grow the log if needed and call again). The log is never reassigned in here, so
    the loop does no reference counting. ``req``: (arrival, prompt, output, cached tokens, first
    block, blocks, block ids); ``out``: (per-request
    floats, ints, shipment log, move log); ``nxt``: next in queue per request; ``pre``: (state, batch end,
    port free, batch, planner times PT_*; the planner's sums ACC_*) per prefill instance; ``cache``: the prefill instances' prefix caches
    (kernels/prefix_cache.py); ``dec``: (state, step end, next landing) per decode
    instance; ``seats``: (request, tokens left, last token, largest gap) per decode instance and seat;
    ``lost``: (lost-instance events, what each request's earlier lives showed)."""
    arrival, prompt, output, cached, b_start, b_count, blocks = req
    f, ii, ship, moves = out
    ps, p_end, port_end, batch, pt, acc = pre
    every = cur[CUR_EVERY]
    ds, d_end, d_land = dec
    seat_r, seat_left, seat_last, seat_gap = seats
    faults, was = lost
    cm_p = costs[POOL_PREFILL]
    cm_d = costs[POOL_DECODE]
    cap_p = pools[POOL_PREFILL, PL_KV_CAP]
    cap_d = pools[POOL_DECODE, PL_KV_CAP]
    max_prefill = pools[POOL_PREFILL, PL_MAX_PREFILL]
    max_batch_p = pools[POOL_PREFILL, PL_MAX_BATCH]
    max_batch = pools[POOL_DECODE, PL_MAX_BATCH]
    first_prefill = pools[POOL_PREFILL, PL_FIRST_TOKEN] == 1
    link_bw = link[LK_PORT_BYTES_PER_S]
    link_lat = link[LK_LATENCY]
    layerwise = link[LK_LAYERWISE] != 0.0
    routing = pools[POOL_PREFILL, PL_ROUTING]
    overlap_milli = pools[POOL_PREFILL, PL_OVERLAP_MILLI]
    caching = cache[0].shape[1] > 0
    n = arrival.shape[0]
    n_p = ps.shape[0]
    n_d = ds.shape[0]
    # Dynamic pools: a planner moves instances between the pools (kernels/planner.py); decode row j
    # is global instance d_off + j (static pools: after the prefill pool; dynamic: instance j).
    planning = pools[POOL_PREFILL, PL_PLAN_PREFILL] > 0
    d_off = 0 if planning else n_p
    interval_us = pools[POOL_PREFILL, PL_PLAN_INTERVAL_US]
    samples = pools[POOL_PREFILL, PL_PLAN_SAMPLES]
    switch_s = pools[POOL_PREFILL, PL_PLAN_SWITCH_US] / 1e6
    kvpt = cm_p[CM_KV_PER_TOKEN]
    layers = cm_p[CM_LAYERS]
    na = cur[CUR_ARRIVED]
    nlog = cur[CUR_LOG]
    steps = cur[CUR_STEPS]
    events = 0
    while True:
        events += 1
        if nlog + 4 >= log.shape[0] or events > every:
            cur[CUR_ARRIVED] = na
            cur[CUR_LOG] = nlog
            cur[CUR_STEPS] = steps
            return False
        # The next event; ties go to the first found, in this order, then to the arrival.
        kind = -1
        who = -1
        tb = np.inf
        for i in range(n_p):
            if ps[i, P_BUSY] == 1 and p_end[i] < tb:
                kind, who, tb = EV_PREFILL, i, p_end[i]
        for i in range(n_p):
            if ps[i, P_PORT] == PORT_SHIPPING and port_end[i] < tb:
                kind, who, tb = EV_PORT, i, port_end[i]
        for j in range(n_d):
            if ds[j, D_FLIGHT + 2] > 0 and d_land[j] < tb:
                kind, who, tb = EV_LAND, j, d_land[j]
        for j in range(n_d):
            if ds[j, D_BUSY] == 1 and d_end[j] < tb:
                kind, who, tb = EV_DECODE, j, d_end[j]
        if planning:
            k = cur[CUR_MOVING]
            if k >= 0 and ps[k, P_PHASE] == PH_SWITCH and pt[k, PT_SWITCH_END] < tb:
                kind, who, tb = EV_SWITCH, k, pt[k, PT_SWITCH_END]
            if na < n:
                tk = cur[CUR_TICK] * interval_us / (samples * 1e6)
                if tk < tb:
                    kind, who, tb = EV_PLAN, -1, tk
        t_arr = arrival[na] if na < n else np.inf
        if kind < 0 and na >= n:
            cur[CUR_ARRIVED] = na
            cur[CUR_LOG] = nlog
            cur[CUR_STEPS] = steps
            return True
        sd = -1          # decode instance to restart
        sp = -1          # prefill instance to restart
        sp_all = False   # or every idle prefill instance (after a lost instance)
        l0 = 0           # senders l0..l1-1 to try
        l1 = 0
        recv = False     # try every receiver
        t_f = next_fault(faults, cur[CUR_FAULT])
        if t_f <= tb and t_f <= t_arr and t_f < np.inf:
            # Stations lost (or back) at t: sim/instance_faults.py. Before any other event at t, and
            # every one of them before anything starts again (a station lost at t takes no work).
            t = t_f
            while next_fault(faults, cur[CUR_FAULT]) == t:
                row = cur[CUR_FAULT]
                cur[CUR_FAULT] += 1
                a, _, b, c = fault_event(row, req, out, nxt, pre, cache, dec, seats, cur, CUR_ROUTED, lost, routing,
                                         overlap_milli, first_prefill, caching, cap_p)
                sp_all = sp_all or a
                l1 = max(l1, b)
                recv = recv or c
        elif kind >= 0 and tb <= t_arr:
            t = tb
            if kind == EV_PREFILL:
                # Prefill instance who finished its batch: its trays join its port's queue (the
                # prefill instance may send the first token, and with it a one-token answer).
                for q in range(ps[who, P_BATCH]):
                    r = batch[who, q, B_REQ]
                    f[r, R_PREFILL_END] = t
                    ps[who, P_ASSIGNED] -= 1
                    ps[who, P_PENDING] -= prompt[r] - cached[r]
                    if caching:
                        # Its blocks join the cache, which keeps to the KV room left free.
                        cache_touch(cache, who, blocks, b_start[r], b_count[r])
                        cache_trim(cache, who, (cap_p - ps[who, P_USED]) // BLOCK_TOKENS)
                    if first_prefill:
                        f[r, R_FIRST_TOKEN] = t
                        f[r, R_MAX_GAP] = 0.0
                        if output[r] == 1:
                            f[r, R_FINISH] = t
                            ps[who, P_USED] -= prompt[r]
                            continue
                    if not layerwise:
                        q_push(ps, who, P_OUT, nxt, r)
                        ship[r, SH_QUEUED] = t
                ps[who, P_BATCH] = 0
                sp = who
                l0, l1 = who, who + 1
            elif kind == EV_PORT:
                # Sender who has sent its tray's bytes: both ports are free.
                r = ps[who, P_PORT_REQ]
                ps[who, P_PORT] = PORT_FREE
                ps[who, P_PORT_REQ] = -1
                port_end[who] = np.inf
                ds[ii[r, R_DECODE_INST] - d_off, D_PORT_BUSY] = 0
                l0, l1 = who, who + 1
                recv = True
            elif kind == EV_LAND:
                # The earliest tray in flight to decode instance j lands: it waits for a seat.
                j = who
                r = pop_landing(ds, j, nxt, f, d_land)
                i = ii[r, R_PREFILL_INST]
                ps[i, P_USED] -= prompt[r]
                q_push(ds, j, D_JOIN, nxt, r)
                if ds[j, D_BUSY] == 0:
                    sd = j
                if ps[i, P_BUSY] == 0:
                    sp = i
            elif kind == EV_DECODE:
                # Every seated sequence of decode instance j emits one token at t.
                j = who
                emitted, nfin = decode_step(ds, j, D_RUN, D_USED, D_ASSIGNED, D_CTX, seat_r, seat_left, seat_last,
                                            seat_gap, ds[j, D_NEW], t, prompt, output, f)
                steps += emitted
                sd = j
                if nfin > 0:
                    l0, l1 = 0, n_p
            elif kind == EV_SWITCH:
                # Instance k has changed role: it goes on duty in its new pool (a new decode
                # instance may give room to every blocked sender).
                if go_on_duty(who, t, ps, ds, pt, moves, cur):
                    l0, l1 = 0, n_p
            else:
                # The planner samples its signals; every samples-th time it may start a move
                # (kernels/planner.py).
                cur[CUR_ARRIVED] = na
                decide = cur[CUR_TICK] % samples == 0
                cur[CUR_TICK] += 1
                plan_tick(t, decide, pools, ps, ds, pt, acc, moves, cur, f, ii, arrival, output, cap_d)
        else:
            # Request r arrives: reject it, or route it to the least-loaded prefill instance.
            t = t_arr
            r = na
            na += 1
            if cap_p <= 0 or cap_d <= 0:
                ii[r, R_REJECT] = REJECT_WEIGHTS
                continue
            if prompt[r] > cap_p or prompt[r] + output[r] > cap_d:
                ii[r, R_REJECT] = REJECT_KV
                continue
            if planning:
                i, m = route_on(ps, n_p, routing, overlap_milli, cur[CUR_ROUTED], cache, blocks, b_start[r],
                                b_count[r], prompt[r], prompt[r])
            elif caching or routing == ROUTE_PREFIX:
                i, m = route(ps, n_p, P_ASSIGNED, P_PENDING, P_USED, P_DOWN, routing, overlap_milli,
                             cur[CUR_ROUTED], cache, blocks, b_start[r], b_count[r], prompt[r], prompt[r])
            else:
                i, m = route_by_load(ps, n_p, P_ASSIGNED, P_DOWN, routing, cur[CUR_ROUTED]), 0
            cur[CUR_ROUTED] += 1
            if m > 0:
                # A prefix hit: its blocks are used now (they stay cached); their prefill is skipped.
                cached[r] = min(m * BLOCK_TOKENS, prompt[r] - 1)
                cache_touch(cache, i, blocks, b_start[r], m)
            ps[i, P_PENDING] += prompt[r] - cached[r]
            ps[i, P_ASSIGNED] += 1
            ii[r, R_PREFILL_INST] = i
            q_push(ps, i, P_QUEUE, nxt, r)
            if ps[i, P_BUSY] == 1:
                continue
            sp = i

        if sd >= 0:
            # Decode instance j seats landed trays while it has seats, then steps its batch.
            j = sd
            ds[j, D_NEW] = ds[j, D_RUN]
            while ds[j, D_JOIN + 2] > 0 and ds[j, D_RUN] < max_batch:
                r = q_pop(ds, j, D_JOIN, nxt)
                k = ds[j, D_RUN]
                seat_r[j, k] = r
                seat_gap[j, k] = 0.0
                if first_prefill:
                    seat_left[j, k] = output[r] - 1
                    seat_last[j, k] = f[r, R_FIRST_TOKEN]
                    ds[j, D_CTX] += prompt[r] + 1
                else:
                    seat_left[j, k] = output[r]
                    ds[j, D_CTX] += prompt[r]
                ds[j, D_RUN] += 1
            if first_prefill:
                ds[j, D_NEW] = ds[j, D_RUN]
            b = ds[j, D_RUN]
            if b == 0:
                ds[j, D_BUSY] = 0
                d_end[j] = np.inf
            else:
                dur, flops, nbytes = iteration_cost(cm_d, 0, 0, 0, b, ds[j, D_CTX], b)
                log_add(log, nlog, d_off + j, t, dur, flops, nbytes, cm_d, 0, b, 0)
                nlog += 1
                ds[j, D_BUSY] = 1
                d_end[j] = t + dur

        i0, i1 = (0, n_p) if sp_all else (sp, sp + 1)
        for i in range(max(i0, 0), i1):
            # Prefill instance i takes a batch from its queue while its KV memory allows.
            if sp_all and (ps[i, P_BUSY] == 1 or ps[i, P_DOWN] == 1):
                continue
            nb, tok = admit(ps, i, P_QUEUE, P_USED, nxt, prompt, output, cached, f, batch, 0, t, cap_p, False, 0,
                            max_batch_p, max_prefill, False)
            ps[i, P_BATCH] = nb
            if nb == 0:
                ps[i, P_BUSY] = 0
                p_end[i] = np.inf
            else:
                _, pairs, pctx = batch_work(batch, i, nb)
                dur, flops, nbytes = iteration_cost(cm_p, tok, pairs, pctx, 0, 0, nb)
                log_add(log, nlog, i, t, dur, flops, nbytes, cm_p, tok, 0, nb)
                nlog += 1
                ps[i, P_BUSY] = 1
                p_end[i] = t + dur
                if layerwise:
                    # Every tray of the batch streams its layers as they finish.
                    for q in range(nb):
                        r = batch[i, q, B_REQ]
                        f[r, R_PREFILL_END] = p_end[i]
                        if not (first_prefill and output[r] == 1):
                            q_push(ps, i, P_OUT, nxt, r)
                            ship[r, SH_QUEUED] = t
                    if l1 <= l0:
                        l0, l1 = i, i + 1
                    else:
                        l0, l1 = min(l0, i), max(l1, i + 1)

        for l in range(l0, l1):
            # A free sender reserves KV room for its head tray on the least-loaded decode
            # instance with room; the tray joins that instance's door.
            recv = True
            if ps[l, P_PORT] != PORT_FREE or ps[l, P_OUT + 2] == 0:
                continue
            r = ps[l, P_OUT]
            if np.isnan(f[r, R_KV_HEAD]):
                f[r, R_KV_HEAD] = t
            need = prompt[r] + output[r]
            best = -1
            for j in range(n_d):
                if ds[j, D_USED] + need <= cap_d and ds[j, D_OFF] == 0 and ds[j, D_DOWN] == 0 and (
                        best == -1 or ds[j, D_ASSIGNED] < ds[best, D_ASSIGNED]):
                    best = j
            if best == -1:
                continue
            q_pop(ps, l, P_OUT, nxt)
            ds[best, D_USED] += need
            ds[best, D_ASSIGNED] += 1
            ii[r, R_DECODE_INST] = d_off + best
            f[r, R_KV_ROOM] = t
            ps[l, P_PORT] = PORT_RESERVED
            ps[l, P_PORT_REQ] = r
            q_push(ds, best, D_DOOR, nxt, r)

        if recv:
            for j in range(n_d):
                # A free receiver starts the tray at its door: both ports are busy until its
                # bytes are out; it lands a latency later (layer-wise: no earlier than its last
                # layer's share after its prefill ends).
                if ds[j, D_PORT_BUSY] == 1 or ds[j, D_DOOR + 2] == 0:
                    continue
                r = q_pop(ds, j, D_DOOR, nxt)
                i = ii[r, R_PREFILL_INST]
                nbytes_kv = prompt[r] * kvpt
                bw = shipment_rate(link_bw, link, i, d_off + j, t)    # link faults (sim/link_faults.py)
                out_at = t + nbytes_kv / bw
                e = out_at
                if layerwise:
                    tail = f[r, R_PREFILL_END] + nbytes_kv / (bw * layers)
                    if tail > e:
                        e = tail
                f[r, R_TRANSFER_START] = t
                f[r, R_TRANSFER_END] = e + link_lat
                ship[r, SH_SENDER] = i
                ship[r, SH_RECEIVER] = d_off + j
                ship[r, SH_WIRE_START] = t
                ship[r, SH_PORTS_FREE] = out_at
                ship[r, SH_WIRE_END] = e + link_lat
                ship[r, SH_BYTES] = nbytes_kv
                ds[j, D_PORT_BUSY] = 1
                ps[i, P_PORT] = PORT_SHIPPING
                port_end[i] = out_at
                q_push(ds, j, D_FLIGHT, nxt, r)
                if e + link_lat < d_land[j]:
                    d_land[j] = e + link_lat

        if planning and cur[CUR_MOVING] >= 0:
            # The moving instance has drained: it changes role (its prefix cache goes: the memory
            # becomes another pool's) and is on duty in the other pool after the switch delay.
            k = cur[CUR_MOVING]
            if ps[k, P_PHASE] == PH_DRAIN and drained(ps, ds, k):
                ps[k, P_PHASE] = PH_SWITCH
                pt[k, PT_SWITCH_END] = t + switch_s
                moves[cur[CUR_MOVES] - 1, MV_DRAINED] = t
                if caching and ps[k, P_ROLE] == ROLE_PREFILL:
                    cache_trim(cache, k, 0)
