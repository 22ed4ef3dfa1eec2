"""A spec as the engines take it: plain arrays with the column layout of sim/layout.py (PL_*,
LK_*, the cost vectors' CM_*). Shared by the Numba and reference engines."""

from __future__ import annotations

import numpy as np

from disagg_viz.sim.cost_model import CM_SIZE
from disagg_viz.sim.layout import (
    BLOCK_TOKENS, FT_COLS, IF_COLS, IF_INST, IF_TIME, IF_UP, FT_FACTOR, FT_PORT, FT_TIME, LK_COLS, LK_DECODE_GPUS, LK_DOMAIN_GPUS, LK_FAULTS,
    LK_LATENCY, LK_LAYERWISE, LK_NVLINK_BYTES_PER_S, LK_PORT_BYTES_PER_S, LK_PREFILL_GPUS, LK_PREFILL_INSTANCES,
    PL_CACHE_SLOTS, PL_CHUNK, PL_COLS, PL_FIRST_TOKEN, PL_INSTANCES, PL_KV_CAP, PL_MAX_BATCH, PL_MAX_PREFILL,
    PL_OVERLAP_MILLI, PL_PLAN_DWELL_US, PL_PLAN_INTERVAL_US, PL_PLAN_MIN, PL_PLAN_KV_DOWN_MILLI, PL_PLAN_KV_UP_MILLI,
    PL_PLAN_PREFILL, PL_PLAN_QUEUE_DOWN_MILLI, PL_PLAN_QUEUE_UP_MILLI, PL_PLAN_SAMPLES, PL_PLAN_SWITCH_US, PL_PLAN_TPOT_US,
    PL_PLAN_TTFT_US, PL_ROUTING, POOL_DECODE, POOL_PREFILL, ROUTINGS,
)

MAX_CACHE_SLOTS = 4096      # blocks a prefix cache holds at most per instance (2 M tokens)
PLAN_SAMPLE_S = 1.0         # the planner samples its signals about this often (Dynamo's metric-pulling-interval)


def pool_row(instances: int, kv_cap: int, max_batch: int, max_prefill: int, chunk: int = 0,
             first_token: bool = False, routing: int = 0, cache_slots: int = 0, overlap_milli: int = 1000) -> np.ndarray:
    row = np.zeros(PL_COLS, dtype=np.int64)
    row[PL_ROUTING] = routing
    row[PL_CACHE_SLOTS] = cache_slots
    row[PL_OVERLAP_MILLI] = overlap_milli
    row[PL_INSTANCES] = instances
    row[PL_KV_CAP] = kv_cap
    row[PL_MAX_BATCH] = max_batch
    row[PL_MAX_PREFILL] = max_prefill
    row[PL_CHUNK] = chunk
    row[PL_FIRST_TOKEN] = 1 if first_token else 0
    return row


def link_row(port_bytes_per_s: float, latency_s: float, layerwise: bool, faults=(), domain=None) -> np.ndarray:
    """The link's row; ``faults``: (time s, global instance id of the port, share of the link's rate
    from then on), packed after it in time order (stable: at one time the later one wins)."""
    faults = sorted(faults, key=lambda x: x[0])
    row = np.zeros(LK_COLS + FT_COLS * len(faults))
    row[LK_FAULTS] = len(faults)
    if domain is not None:     # (NVLink bytes/s per shipment, domain GPUs, GPUs per prefill / decode instance, prefill instances)
        (row[LK_NVLINK_BYTES_PER_S], row[LK_DOMAIN_GPUS], row[LK_PREFILL_GPUS], row[LK_DECODE_GPUS],
         row[LK_PREFILL_INSTANCES]) = domain
    for k, (at, port, factor) in enumerate(faults):
        base = LK_COLS + FT_COLS * k
        row[base + FT_TIME], row[base + FT_PORT], row[base + FT_FACTOR] = at, port, factor
    row[LK_PORT_BYTES_PER_S] = port_bytes_per_s
    row[LK_LATENCY] = latency_s
    row[LK_LAYERWISE] = 1.0 if layerwise else 0.0
    return row


def instance_fault_rows(events=()) -> np.ndarray:
    """The lost instances' rows (sim/layout.py IF_*): ``events`` (time s, global instance id, 1
    back / 0 lost) in time order, at one time the stations coming back first (a station may be lost
    the moment another is back), else in the order given; the cost columns start at 0 for the
    engine to fill."""
    events = sorted(events, key=lambda x: (x[0], -x[2]))
    rows = np.zeros((len(events), IF_COLS))
    for k, (at, inst, up) in enumerate(events):
        rows[k, IF_TIME], rows[k, IF_INST], rows[k, IF_UP] = at, inst, up
    return rows


def costs_of(*cost_vectors) -> np.ndarray:
    out = np.empty((len(cost_vectors), CM_SIZE))
    for k, cm in enumerate(cost_vectors):
        out[k] = cm
    return out


def engine_input(spec):
    """(costs, pools, link) of a SystemSpec; link is None for a system without one."""
    first_prefill = spec.first_from_prefill
    pools = np.stack([pool_row(p.instances, p.kv_capacity_tokens, spec.max_batch, spec.max_prefill_tokens,
                               spec.chunk_tokens if spec.chunked else 0, first_prefill and k == 0)
                      for k, p in enumerate(spec.pools)])
    # The pool that takes arrivals (row 0) routes them and keeps the prefix caches: a table of
    # as many blocks as its KV capacity holds (the blocks its requests leave free are usable).
    pools[0] = prefix_columns(pools[0], spec)
    if spec.is_split and spec.dynamic is not None:
        pools = dynamic_pools(pools, spec.dynamic)
    costs = costs_of(*(p.cost for p in spec.pools))
    link = None
    if spec.has_link:
        link = link_row(spec.link.port_bytes_per_s, spec.link.latency_s, spec.link.layerwise, spec.link.faults,
                        spec.link.domain_row)
    return costs, pools, link


def prefix_columns(row: np.ndarray, spec) -> np.ndarray:
    """The routing and prefix-cache columns of the arrivals' pool row (sim/layout.py PL_ROUTING...)."""
    row = row.copy()
    row[PL_ROUTING] = ROUTINGS.index(spec.routing)
    cap = spec.pools[0].kv_capacity_tokens
    row[PL_CACHE_SLOTS] = min(max(cap, 0) // BLOCK_TOKENS, MAX_CACHE_SLOTS) if spec.prefix_cache else 0
    row[PL_OVERLAP_MILLI] = round(spec.overlap_score_weight * 1000)
    return row


def dynamic_pools(pools: np.ndarray, plan) -> np.ndarray:
    """The pools' rows of a split system with a planner (``plan``: sim/specs.py DynamicSpec):
    both rows count every instance of the system, the prefill row carries the planner's columns
    (sim/layout.py PL_PLAN_*: microseconds and thousandths, so both engines compare integers)."""
    pools = pools.copy()
    n_p = int(pools[POOL_PREFILL, PL_INSTANCES])
    total = n_p + int(pools[POOL_DECODE, PL_INSTANCES])
    pools[:, PL_INSTANCES] = total
    row = pools[POOL_PREFILL]
    row[PL_PLAN_PREFILL] = n_p
    row[PL_PLAN_INTERVAL_US] = round(plan.interval_s * 1e6)
    row[PL_PLAN_SWITCH_US] = round(plan.switch_s * 1e6)
    row[PL_PLAN_DWELL_US] = round(plan.dwell_s * 1e6)
    row[PL_PLAN_QUEUE_UP_MILLI] = round(plan.prefill_queue_up * 1000)
    row[PL_PLAN_QUEUE_DOWN_MILLI] = round(plan.prefill_queue_down * 1000)
    row[PL_PLAN_KV_UP_MILLI] = round(plan.decode_kv_up * 1000)
    row[PL_PLAN_KV_DOWN_MILLI] = round(plan.decode_kv_down * 1000)
    row[PL_PLAN_TTFT_US] = round(plan.ttft_s * 1e6)
    row[PL_PLAN_TPOT_US] = round(plan.tpot_s * 1e6)
    row[PL_PLAN_SAMPLES] = max(1, round(plan.interval_s / PLAN_SAMPLE_S))
    row[PL_PLAN_MIN] = plan.min_instances
    return pools
