"""Lost instances of a disaggregated system, in its kernel (rules: sim/instance_faults.py;
the reference's twin: sim/reference/disaggregated.py ``lose_prefill``, ``lose_decode``). Inlined
into the kernel's fault event, never into its per-token loops."""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim.events import PORT_FREE, PORT_RESERVED
from disagg_viz.sim.kernels.common import B_REQ, B_TOKENS, INLINE, q_pop, q_push
from disagg_viz.sim.kernels.in_flight import next_landing
from disagg_viz.sim.kernels.instance_faults import cache_clear, q_remove, remember, reroute
from disagg_viz.sim.kernels.split_state import (
    D_ASSIGNED, D_BUSY, D_CTX, D_DOOR, D_DOWN, D_FLIGHT, D_JOIN, D_NEW, D_PORT_BUSY, D_RUN, D_USED, P_ASSIGNED,
    P_BATCH, P_BUSY, P_DOWN, P_OUT, P_PENDING, P_PORT, P_PORT_REQ, P_QUEUE, P_USED,
)
from disagg_viz.sim.layout import (
    IF_EXTRA_PREFILL, IF_INST, IF_REQUEUED, IF_RESHIPPED, IF_TIME, IF_UP, R_DECODE_INST, R_FIRST_TOKEN, R_KV_HEAD,
    R_MAX_GAP, R_PREFILL_INST, R_REJECT, REJECT_LOST, SH_BYTES,
)


@njit(**INLINE)
def lose_prefill(x, row, req, out, nxt, pre, cache, dec, cur, cur_routed, lost, routing, overlap_milli, first_prefill,
                 caching, cap_p):
    """Prefill instance x is lost (fault row ``row``): its queue, its batch and the trays whose KV
    it held are routed again (the trays prefilled again)."""
    arrival, prompt, output, cached, b_start, b_count, blocks = req
    f, ii, ship, _moves = out
    ps, p_end, port_end, batch, _pt, _acc = pre
    ds, d_end, d_land = dec
    faults, was = lost
    n_p = ps.shape[0]
    i = x
    ps[i, P_DOWN] = 1
    while ps[i, P_QUEUE + 2] > 0:        # waiting: routed again
        r = q_pop(ps, i, P_QUEUE, nxt)
        faults[row, IF_REQUEUED] += 1
        ii[r, R_PREFILL_INST] = reroute(ps, n_p, P_QUEUE, P_ASSIGNED, P_PENDING, P_USED, P_DOWN, routing,
                                        overlap_milli, cur, cur_routed, cache, blocks, b_start, b_count,
                                        prompt, output, cached, nxt, r, 0, False, f, was)
    for q in range(ps[i, P_BATCH]):       # a prefill in progress: thrown away
        r = batch[i, q, B_REQ]
        ps[i, P_USED] -= prompt[r]
        faults[row, IF_REQUEUED] += 1
        faults[row, IF_EXTRA_PREFILL] += batch[i, q, B_TOKENS]
        ii[r, R_PREFILL_INST] = reroute(ps, n_p, P_QUEUE, P_ASSIGNED, P_PENDING, P_USED, P_DOWN, routing,
                                        overlap_milli, cur, cur_routed, cache, blocks, b_start, b_count,
                                        prompt, output, cached, nxt, r, 0, False, f, was)
    # Prefilled trays whose KV is on it: waiting for its port, reserved at a door, on the wire.
    g = 1 if first_prefill else 0
    while True:
        if ps[i, P_OUT + 2] > 0:
            r = q_pop(ps, i, P_OUT, nxt)
        elif ps[i, P_PORT] != PORT_FREE:
            r = ps[i, P_PORT_REQ]
            j = ii[r, R_DECODE_INST] - n_p
            ds[j, D_USED] -= prompt[r] + output[r]
            ds[j, D_ASSIGNED] -= 1
            if ps[i, P_PORT] == PORT_RESERVED:
                q_remove(ds, j, D_DOOR, nxt, r)
            else:
                q_remove(ds, j, D_FLIGHT, nxt, r)
                ds[j, D_PORT_BUSY] = 0
                faults[row, IF_RESHIPPED] += ship[r, SH_BYTES]
                next_landing(ds, j, nxt, f, d_land)
            ps[i, P_PORT] = PORT_FREE
            ps[i, P_PORT_REQ] = -1
            port_end[i] = np.inf
        else:
            break
        ps[i, P_USED] -= prompt[r]
        if prompt[r] + g > cap_p:
            ii[r, R_REJECT] = REJECT_LOST     # its prompt and first token no longer fit a prefill instance
            continue
        remember(f, was, r, g, f[r, R_FIRST_TOKEN], 0.0)
        f[r, R_KV_HEAD] = np.nan
        faults[row, IF_REQUEUED] += 1
        faults[row, IF_EXTRA_PREFILL] += prompt[r] - cached[r]
        ii[r, R_PREFILL_INST] = reroute(ps, n_p, P_QUEUE, P_ASSIGNED, P_PENDING, P_USED, P_DOWN, routing,
                                        overlap_milli, cur, cur_routed, cache, blocks, b_start, b_count,
                                        prompt, output, cached, nxt, r, g, False, f, was)
    ps[i, P_BATCH] = 0
    ps[i, P_BUSY] = 0
    ps[i, P_ASSIGNED] = 0
    ps[i, P_PENDING] = 0
    p_end[i] = np.inf
    if caching:
        cache_clear(cache, i)
    _ = (arrival.shape, prompt.shape, output.shape, cached.shape, b_start.shape, b_count.shape, blocks.shape,
         f.shape, ii.shape, ship.shape, ps.shape, p_end.shape, port_end.shape, batch.shape, ds.shape, d_end.shape,
         d_land.shape, faults.shape, was.shape, nxt.shape, cur.shape)
    return 0


@njit(**INLINE)
def lose_decode(x, row, req, out, nxt, pre, cache, dec, seats, cur, cur_routed, lost, routing, overlap_milli,
                first_prefill, cap_p):
    """Decode instance x (its index in the pool) is lost: its running sequences and landed trays
    are prefilled again with what they emitted; trays at its door or on the wire go back to their
    sender's port."""
    arrival, prompt, output, cached, b_start, b_count, blocks = req
    f, ii, ship, _moves = out
    ps, p_end, port_end, batch, _pt, _acc = pre
    ds, d_end, d_land = dec
    seat_r, seat_left, seat_last, seat_gap = seats
    faults, was = lost
    n_p = ps.shape[0]
    j = x
    ds[j, D_DOWN] = 1
    k = 0
    while k < ds[j, D_RUN] or ds[j, D_JOIN + 2] > 0:
        running = k < ds[j, D_RUN]
        if running:                      # running: prefilled again with what they emitted
            r = seat_r[j, k]
            g = output[r] - seat_left[j, k]
            last, gap = seat_last[j, k], seat_gap[j, k]
            k += 1
        else:                            # landed, waiting for a seat: the same
            r = q_pop(ds, j, D_JOIN, nxt)
            g = 1 if first_prefill else 0
            last, gap = f[r, R_FIRST_TOKEN], 0.0
        if prompt[r] + g > cap_p:
            ii[r, R_REJECT] = REJECT_LOST     # what it emitted makes its prompt too long to prefill again
            if running:
                f[r, R_MAX_GAP] = gap         # its largest gap so far (as the reference keeps it)
            continue
        remember(f, was, r, g, last, gap)
        f[r, R_KV_HEAD] = np.nan
        faults[row, IF_REQUEUED] += 1
        faults[row, IF_EXTRA_PREFILL] += prompt[r] + g
        faults[row, IF_RESHIPPED] += ship[r, SH_BYTES]
        ii[r, R_PREFILL_INST] = reroute(ps, n_p, P_QUEUE, P_ASSIGNED, P_PENDING, P_USED, P_DOWN, routing,
                                        overlap_milli, cur, cur_routed, cache, blocks, b_start, b_count,
                                        prompt, output, cached, nxt, r, g, False, f, was)
    for stage in range(2):                # at its door, on the wire: back to their sender's port
        col = D_DOOR if stage == 0 else D_FLIGHT
        while ds[j, col + 2] > 0:
            r = q_pop(ds, j, col, nxt)
            i = ii[r, R_PREFILL_INST]
            if ps[i, P_PORT] != PORT_FREE and ps[i, P_PORT_REQ] == r:
                ps[i, P_PORT] = PORT_FREE
                ps[i, P_PORT_REQ] = -1
                port_end[i] = np.inf
            if stage == 1:
                faults[row, IF_RESHIPPED] += ship[r, SH_BYTES]
            faults[row, IF_REQUEUED] += 1
            if ps[i, P_DOWN] == 0:
                q_push(ps, i, P_OUT, nxt, r)
            else:                         # its sender is lost too: its KV is gone
                ps[i, P_USED] -= prompt[r]
                if prompt[r] + g > cap_p:
                    ii[r, R_REJECT] = REJECT_LOST
                    continue
                remember(f, was, r, g, f[r, R_FIRST_TOKEN], 0.0)
                f[r, R_KV_HEAD] = np.nan
                faults[row, IF_EXTRA_PREFILL] += prompt[r] + g
                ii[r, R_PREFILL_INST] = reroute(ps, n_p, P_QUEUE, P_ASSIGNED, P_PENDING, P_USED, P_DOWN,
                                                routing, overlap_milli, cur, cur_routed, cache, blocks,
                                                b_start, b_count, prompt, output, cached, nxt, r, g, False, f, was)
    ds[j, D_RUN] = 0
    ds[j, D_USED] = 0
    ds[j, D_ASSIGNED] = 0
    ds[j, D_BUSY] = 0
    ds[j, D_CTX] = 0
    ds[j, D_NEW] = 0
    ds[j, D_PORT_BUSY] = 0
    d_end[j] = np.inf
    d_land[j] = np.inf
    _ = (arrival.shape, prompt.shape, output.shape, cached.shape, b_start.shape, b_count.shape, blocks.shape,
         f.shape, ii.shape, ship.shape, ps.shape, p_end.shape, port_end.shape, batch.shape, ds.shape, d_end.shape,
         d_land.shape, faults.shape, was.shape, nxt.shape, cur.shape, seat_r.shape, seat_left.shape,
         seat_last.shape, seat_gap.shape)
    return 0


@njit(**INLINE)
def fault_event(row, req, out, nxt, pre, cache, dec, seats, cur, cur_routed, lost, routing, overlap_milli,
                first_prefill, caching, cap_p):
    """Fault row ``row`` happens: a station is lost or back (a global instance id: prefill
    stations first); every station lost at the same moment is marked lost first, so none of them
    takes the work a loss sends elsewhere (the kernel runs every fault of a moment before anything
    starts again). Returns (restart every idle prefill instance, senders l0..l1-1 to try, try
    every receiver)."""
    ps = pre[0]
    ds = dec[0]
    faults = lost[0]
    n_p = ps.shape[0]
    x = int(faults[row, IF_INST])
    if faults[row, IF_UP] != 0.0:
        if x < n_p:
            ps[x, P_DOWN] = 0
            return False, 0, 0, False
        ds[x - n_p, D_DOWN] = 0               # trays waiting for KV room may go there now
        return False, 0, n_p, True
    t = faults[row, IF_TIME]
    for k in range(row, faults.shape[0]):     # the stations lost at t are gone before any work is rerouted
        if faults[k, IF_TIME] != t:
            break
        if faults[k, IF_UP] == 0.0:
            y = int(faults[k, IF_INST])
            if y < n_p:
                ps[y, P_DOWN] = 1
            else:
                ds[y - n_p, D_DOWN] = 1
    if x < n_p:
        lose_prefill(x, row, req, out, nxt, pre, cache, dec, cur, cur_routed, lost, routing, overlap_milli,
                     first_prefill, caching, cap_p)
    else:
        lose_decode(x - n_p, row, req, out, nxt, pre, cache, dec, seats, cur, cur_routed, lost, routing,
                    overlap_milli, first_prefill, cap_p)
    return True, 0, n_p, True
