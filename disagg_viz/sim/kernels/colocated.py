"""Colocated serving (prefill-first or chunked prefill) as a Numba kernel.

Rules: ``sim.reference.colocated`` and docs/engine.md.

The event loop is one function body: an event (an iteration ends, or a request arrives) leaves
at most one instance free, and the code that starts that instance's next iteration sits once at
the bottom of the loop. Admission and the decode step are the helpers shared with the
disaggregated kernel (kernels/common.py), inlined (see docs/engine.md, "Speed").
"""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim.kernels.common import (
    B_COLS, B_CTX, B_REQ, B_TOKENS, JIT, admit, batch_work, decode_step, grow_log, iteration_cost, log_add, logged,
    q_push,
)
from disagg_viz.sim.kernels.instance_faults import cache_clear, finish, next_fault, remember, reroute
from disagg_viz.sim.kernels.prefix_cache import cache_touch, cache_trim, new_caches, route, route_by_load
from disagg_viz.sim.instance_faults import W_COLS, W_GAP
from disagg_viz.sim.run_control import CTL_ARRIVED, CTL_CANCEL, CTL_EVERY, CTL_LOG_ROWS
from disagg_viz.sim.layout import (
    BLOCK_TOKENS, IF_EXTRA_PREFILL, IF_INST, IF_REQUEUED, IF_TIME, IF_UP, L_COLS, PL_CACHE_SLOTS, PL_CHUNK, PL_INSTANCES,
    PL_KV_CAP, PL_MAX_BATCH, PL_MAX_PREFILL, PL_OVERLAP_MILLI, PL_ROUTING, POOL_PREFILL, ROUTE_PREFIX, R_CACHED,
    R_DECODE_INST, R_FINISH, R_FIRST_TOKEN, R_FLOAT_COLS, R_INT_COLS, R_MAX_GAP, R_PREFILL_END, R_PREFILL_INST,
    R_REJECT, REJECT_KV, REJECT_WEIGHTS, SH_COLS,
)

# Instance state columns (int64).
S_QUEUE = 0      # head, tail, length of the waiting queue (3 columns)
S_RUN = 3        # running decodes
S_PREF = 4       # chunked: admitted, prompt not yet fully prefilled
S_BATCH = 5      # entries in the current iteration's prefill batch
S_USED = 6       # KV tokens reserved
S_ASSIGNED = 7   # requests routed here, not finished (routing load)
S_BUSY = 8
S_DECODING = 9   # current iteration includes the running decodes
S_CTX = 10       # total context (prompt + emitted tokens) of the running decodes
S_PENDING = 11   # prompt tokens routed here and still to prefill (prefix-aware routing)
S_DOWN = 12      # 1: lost ([[faults]] kind "instance-lost"; sim/instance_faults.py)
S_COLS = 13

# The running decodes sit in seats: seat_r (request), seat_left (tokens still to emit),
# seat_last (time of its last token), seat_gap (largest gap between two of its tokens), each
# (instance, seat). A decode step first updates every seat in one branch-free pass that the
# compiler vectorizes; only when a sequence finished does a second pass close the gaps.

# Loop counters kept between calls of _run.
CUR_ARRIVED = 0  # requests that have arrived
CUR_LOG = 1      # iterations logged
CUR_STEPS = 2    # decode token-steps
CUR_ROUTED = 3   # requests routed (round-robin's turn)
CUR_FAULT = 4    # lost-instance events done (rows of ``faults``)
CUR_SIZE = 5


@njit(**JIT)
def simulate_colocated(arrival, prompt, output, costs, pools, control, prefix, faults):
    """``costs``, ``pools``: one row (sim/layout.py PL_*, sim/cost_model.py CM_*); ``prefix``:
    (first block, blocks, block ids) of each request's prefix (traces.prefix.Prefix); ``faults``:
    lost instances (IF_* rows, their cost columns written here). Returns (per-request floats,
    per-request ints, iteration log, shipment log (no rows), decode token-steps); partial results
    if ``control[CTL_CANCEL]`` was set (see sim/run_control.py)."""
    n = arrival.shape[0]
    prompt = prompt.copy()               # a lost instance's requests grow their prompts (sim/instance_faults.py)
    output = output.copy()
    was = np.full((n, W_COLS), np.nan)
    was[:, W_GAP] = 0.0
    n_inst = pools[POOL_PREFILL, PL_INSTANCES]
    max_batch = pools[POOL_PREFILL, PL_MAX_BATCH]
    f = np.full((n, R_FLOAT_COLS), np.nan)
    ii = np.full((n, R_INT_COLS), -1, dtype=np.int64)
    ii[:, R_REJECT] = 0
    done = np.zeros(n, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    st = np.zeros((n_inst, S_COLS), dtype=np.int64)
    end = np.full(n_inst, np.inf)
    seats = (np.zeros((n_inst, max_batch), dtype=np.int64), np.zeros((n_inst, max_batch), dtype=np.int64),
             np.zeros((n_inst, max_batch)), np.zeros((n_inst, max_batch)))
    pref = np.zeros((n_inst, max_batch), dtype=np.int64)
    batch = np.zeros((n_inst, max_batch, B_COLS), dtype=np.int64)
    log = np.empty((max(1024, n, control[CTL_LOG_ROWS]), L_COLS))
    cur = np.zeros(CUR_SIZE, dtype=np.int64)
    cached = np.zeros(n, dtype=np.int64)
    cache = new_caches(n_inst, pools[POOL_PREFILL, PL_CACHE_SLOTS])
    b_start, b_count, blocks = prefix
    while not _run((arrival, prompt, output, cached, b_start, b_count, blocks), costs[POOL_PREFILL],
                   pools[POOL_PREFILL], (f, ii), (done, nxt), (st, end, pref, batch), cache, seats, log,
                   cur, control[CTL_EVERY], (faults, was)):
        control[CTL_ARRIVED] = cur[CUR_ARRIVED]
        if control[CTL_CANCEL] != 0:
            break                        # the caller gives up on this run
        if cur[CUR_LOG] + 4 >= log.shape[0]:
            log = grow_log(log, cur[CUR_LOG])
    control[CTL_ARRIVED] = cur[CUR_ARRIVED]
    ii[:, R_CACHED] = cached
    if faults.shape[0] > 0:
        finish(f, was)
    return f, ii, logged(log, cur[CUR_LOG]), np.full((0, SH_COLS), np.nan), cur[CUR_STEPS]


@njit(**JIT)
def _run(req, cm, pool, out, queues, inst, cache, seats, log, cur, every, lost):
    """Advance the simulation until it ends (True), the log is nearly full or ``every`` events have
    passed (False: grow the log if needed and call again). The log is never reassigned in here, so
    the loop does no reference counting. ``req``: (arrival, prompt, output, cached tokens, first
    block, blocks, block ids); ``out``: (per-request
    floats, ints); ``queues``: (prompt tokens prefilled, next in queue) per request; ``inst``:
    (state, iteration end, prefilling, batch) per instance; ``cache``: their prefix caches
    (kernels/prefix_cache.py); ``seats``: (request, tokens left, last
    token, largest gap) per instance and seat; ``lost``: (lost-instance events, what each
    request's earlier lives showed)."""
    arrival, prompt, output, cached, b_start, b_count, blocks = req
    f, ii = out
    done, nxt = queues
    st, end, pref, batch = inst
    seat_r, seat_left, seat_last, seat_gap = seats
    faults, was = lost
    cap = pool[PL_KV_CAP]
    max_batch = pool[PL_MAX_BATCH]
    max_prefill = pool[PL_MAX_PREFILL]
    chunk_tokens = pool[PL_CHUNK]
    chunked = chunk_tokens > 0
    routing = pool[PL_ROUTING]
    overlap_milli = pool[PL_OVERLAP_MILLI]
    caching = cache[0].shape[1] > 0
    n = arrival.shape[0]
    n_inst = st.shape[0]
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
        best = -1
        tb = np.inf
        for i in range(n_inst):
            if st[i, S_BUSY] == 1 and (best == -1 or end[i] < tb):
                best = i
                tb = end[i]
        t_arr = arrival[na] if na < n else np.inf
        if best == -1 and na >= n:
            cur[CUR_ARRIVED] = na
            cur[CUR_LOG] = nlog
            cur[CUR_STEPS] = steps
            return True
        t_f = next_fault(faults, cur[CUR_FAULT])
        i0 = -1          # instances i0..i1-1 to start (after a lost instance: every idle one)
        i1 = 0
        every_idle = False
        if t_f <= tb and t_f <= t_arr and t_f < np.inf:
            # Stations lost (or back) at t: sim/instance_faults.py. Before any other event at t, and
            # every one of them before anything starts again (a station lost at t takes no request).
            t = t_f
            while next_fault(faults, cur[CUR_FAULT]) == t:
                row = cur[CUR_FAULT]
                cur[CUR_FAULT] += 1
                x = int(faults[row, IF_INST])
                if faults[row, IF_UP] != 0.0:
                    st[x, S_DOWN] = 0
                    continue
                for k in range(row, faults.shape[0]):     # the stations lost at t are gone before any is rerouted
                    if faults[k, IF_TIME] != t:
                        break
                    if faults[k, IF_UP] == 0.0:
                        st[int(faults[k, IF_INST]), S_DOWN] = 1
                # Waiting, prefilling (its prefill so far thrown away), running (prefilled again with
                # what it emitted): every one is routed again.
                for stage in range(3):
                    count = st[x, S_QUEUE + 2] if stage == 0 else (st[x, S_PREF] if chunked else st[x, S_BATCH]) \
                        if stage == 1 else st[x, S_RUN]
                    for q in range(count):
                        g = 0
                        if stage == 0:
                            r = st[x, S_QUEUE]
                            st[x, S_QUEUE] = nxt[r]
                        elif stage == 1:
                            r = pref[x, q] if chunked else batch[x, q, B_REQ]
                            faults[row, IF_EXTRA_PREFILL] += done[r] - cached[r]
                        else:
                            r = seat_r[x, q]
                            g = output[r] - seat_left[x, q]
                            remember(f, was, r, g, seat_last[x, q], seat_gap[x, q])
                            faults[row, IF_EXTRA_PREFILL] += prompt[r] + g
                        faults[row, IF_REQUEUED] += 1
                        done[r] = 0
                        i = reroute(st, n_inst, S_QUEUE, S_ASSIGNED, S_PENDING, S_USED, S_DOWN, routing, overlap_milli,
                                    cur, CUR_ROUTED, cache, blocks, b_start, b_count, prompt, output, cached, nxt, r, g,
                                    True, f, was)
                        done[r] = cached[r]
                        ii[r, R_PREFILL_INST] = i
                        ii[r, R_DECODE_INST] = i
                for q in range(st[x, S_BATCH]):           # this iteration's prefill tokens, lost too
                    faults[row, IF_EXTRA_PREFILL] += batch[x, q, B_TOKENS]
                st[x, S_QUEUE + 2] = 0
                for c in range(S_RUN, S_DOWN):
                    st[x, c] = 0
                end[x] = np.inf
                if caching:
                    cache_clear(cache, x)
                every_idle = True
            if not every_idle:
                continue                              # only stations back (empty): nothing to start
            i0, i1 = 0, n_inst
        elif best != -1 and tb <= t_arr:
            # Instance i's iteration ends at t: its decodes emit a token, its prefills advance.
            i = best
            t = tb
            if st[i, S_DECODING] == 1:
                emitted, _ = decode_step(st, i, S_RUN, S_USED, S_ASSIGNED, S_CTX, seat_r, seat_left, seat_last,
                                         seat_gap, st[i, S_RUN], t, prompt, output, f)
                steps += emitted
            for q in range(st[i, S_BATCH]):
                r = batch[i, q, B_REQ]
                done[r] += batch[i, q, B_TOKENS]
                if done[r] == prompt[r]:
                    f[r, R_PREFILL_END] = t
                    st[i, S_PENDING] -= prompt[r] - cached[r]
                    if caching:
                        # Its blocks join the cache, which keeps to the KV room left free.
                        cache_touch(cache, i, blocks, b_start[r], b_count[r])
                        cache_trim(cache, i, (cap - st[i, S_USED]) // BLOCK_TOKENS)
                    if chunked:
                        k = 0
                        while pref[i, k] != r:
                            k += 1
                        for k2 in range(k, st[i, S_PREF] - 1):
                            pref[i, k2] = pref[i, k2 + 1]
                        st[i, S_PREF] -= 1
                    f[r, R_FIRST_TOKEN] = t
                    f[r, R_MAX_GAP] = 0.0
                    if output[r] == 1:
                        f[r, R_FINISH] = t
                        st[i, S_USED] -= prompt[r] + output[r]
                        st[i, S_ASSIGNED] -= 1
                    else:
                        k = st[i, S_RUN]
                        seat_r[i, k] = r
                        seat_left[i, k] = output[r] - 1
                        seat_last[i, k] = t
                        seat_gap[i, k] = 0.0
                        st[i, S_RUN] += 1
                        st[i, S_CTX] += prompt[r] + 1
            st[i, S_BATCH] = 0
        else:
            # Request r arrives: reject it, or route it to the least-loaded instance's queue.
            r = na
            na += 1
            if cap <= 0:
                ii[r, R_REJECT] = REJECT_WEIGHTS
                continue
            if prompt[r] + output[r] > cap:
                ii[r, R_REJECT] = REJECT_KV
                continue
            if caching or routing == ROUTE_PREFIX:
                i, m = route(st, n_inst, S_ASSIGNED, S_PENDING, S_USED, S_DOWN, routing, overlap_milli,
                             cur[CUR_ROUTED], cache, blocks, b_start[r], b_count[r], prompt[r] + output[r], prompt[r])
            else:
                i, m = route_by_load(st, n_inst, S_ASSIGNED, S_DOWN, routing, cur[CUR_ROUTED]), 0
            cur[CUR_ROUTED] += 1
            if m > 0:
                # A prefix hit: its blocks are used now (they stay cached); their prefill is skipped.
                cached[r] = min(m * BLOCK_TOKENS, prompt[r] - 1)
                done[r] = cached[r]
                cache_touch(cache, i, blocks, b_start[r], m)
            st[i, S_PENDING] += prompt[r] - cached[r]
            st[i, S_ASSIGNED] += 1
            ii[r, R_PREFILL_INST] = i
            ii[r, R_DECODE_INST] = i
            q_push(st, i, S_QUEUE, nxt, r)
            if st[i, S_BUSY] == 1:
                continue
            t = t_arr
        if i0 < 0:
            i0, i1 = i, i + 1
        for i in range(i0, i1):
            # Instance i is free at t: choose and cost its next iteration (after a lost instance:
            # every idle one that is not lost).
            if every_idle and (st[i, S_BUSY] == 1 or st[i, S_DOWN] == 1):
                continue
            nb = 0
            d = st[i, S_RUN] if chunked else 0
            if chunked:
                # Running decodes first, then the prompts already started, then new admissions.
                budget = chunk_tokens - d
                if budget < 0:
                    budget = 0
                for q in range(st[i, S_PREF]):
                    if budget == 0:
                        break
                    r = pref[i, q]
                    nn = min(prompt[r] - done[r], budget)
                    batch[i, nb, B_REQ] = r
                    batch[i, nb, B_TOKENS] = nn
                    batch[i, nb, B_CTX] = done[r]
                    nb += 1
                    budget -= nn
                nb0 = nb
                nb, _ = admit(st, i, S_QUEUE, S_USED, nxt, prompt, output, cached, f, batch, nb, t, cap, True, st[i, S_RUN],
                              max_batch, budget, True)
                for q in range(nb0, nb):
                    pref[i, st[i, S_PREF]] = batch[i, q, B_REQ]
                    st[i, S_PREF] += 1
            else:
                nb, _ = admit(st, i, S_QUEUE, S_USED, nxt, prompt, output, cached, f, batch, 0, t, cap, True, st[i, S_RUN],
                              max_batch, max_prefill, False)
                if nb == 0 and st[i, S_RUN] > 0:
                    d = st[i, S_RUN]
            st[i, S_BATCH] = nb
            if d == 0 and nb == 0:
                st[i, S_BUSY] = 0
                end[i] = np.inf
                continue
            ctx = st[i, S_CTX] if d > 0 else 0
            p, pairs, pctx = batch_work(batch, i, nb)
            dur, flops, nbytes = iteration_cost(cm, p, pairs, pctx, d, ctx, d + nb)
            log_add(log, nlog, i, t, dur, flops, nbytes, cm, p, d, nb)
            nlog += 1
            st[i, S_BUSY] = 1
            st[i, S_DECODING] = 1 if d > 0 else 0
            end[i] = t + dur
