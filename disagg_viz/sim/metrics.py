"""Per-system summary numbers (the CLI's JSON, the scoreboard)."""

from __future__ import annotations

import numpy as np

from disagg_viz.sim.layout import (
    L_BW_UTIL, L_COMPUTE_UTIL, L_END, L_INSTANCE, L_START, R_PREFILL_END, R_TRANSFER_END, MOVE_REASONS, MV_DECIDED,
    MV_DRAINED, MV_FROM, MV_INSTANCE, MV_KV, MV_QUEUE, MV_READY, MV_TO, MV_TPOT, MV_TTFT, MV_WHY,
)
from disagg_viz.sim.fault_cost import fault_cost, has_faults
from disagg_viz.sim.overload import overload
from disagg_viz.sim.per_node import per_node
from disagg_viz.sim.result import ROLE_DECODE, ROLE_PREFILL, ScenarioResult, SystemResult

STAT_KEYS = ("mean", "p50", "p90", "p99", "max")


def stats(values: np.ndarray, scale: float = 1.0) -> dict[str, float | None]:
    v = values[~np.isnan(values)] * scale
    if v.size == 0:
        return {k: None for k in STAT_KEYS}
    p50, p90, p99 = np.percentile(v, [50, 90, 99])
    return {"mean": float(v.mean()), "p50": float(p50), "p90": float(p90), "p99": float(p99), "max": float(v.max())}


def gpu_utilization(res: SystemResult) -> tuple[float, float]:
    """Time-averaged compute and bandwidth utilization over all GPUs and the makespan."""
    span = res.end_time - (res.arrival.min() if res.n else 0.0)
    if span <= 0 or len(res.log) == 0:
        return 0.0, 0.0
    dur = res.log[:, L_END] - res.log[:, L_START]
    tp = res.tp[res.log[:, L_INSTANCE].astype(np.int64)]
    denom = res.gpus * span
    return (float(np.sum(res.log[:, L_COMPUTE_UTIL] * dur * tp) / denom),
            float(np.sum(res.log[:, L_BW_UTIL] * dur * tp) / denom))


def _pool_gpus(res: SystemResult) -> dict:
    """Which GPU each pool runs on: {"gpu": id} colocated, {"prefill_gpu", "decode_gpu"} disaggregated."""
    spec = res.spec
    if spec.is_split:
        return {"prefill_gpu": spec.prefill_pool.gpu, "decode_gpu": spec.decode_pool.gpu}
    return {"gpu": spec.pools[0].gpu}


def per_node_figures(res: SystemResult) -> dict:
    """What operators publish: prompt tokens prefilled per second per node of the prefill pool and
    output tokens per second per node of the decode pool (colocated: both over all its GPUs), over
    the makespan; a node is 8 GPUs or the NVLink domain (sim/per_node.py)."""
    span = res.makespan
    prefilled = float(res.prompt[~np.isnan(res.req_f[:, R_PREFILL_END])].sum())
    produced = float(res.output[res.served].sum())
    p, d = res.spec.prefill_pool, res.spec.decode_pool
    return {"input_tokens_per_s_per_node": per_node(prefilled, span, p.gpus, p.hardware),
            "output_tokens_per_s_per_node": per_node(produced, span, d.gpus, d.hardware)}


def summarize(res: SystemResult, slo_ttft_s: float, slo_tpot_s: float) -> dict:
    served = res.served
    makespan = res.makespan
    cu, bu = gpu_utilization(res)
    shipped = ~np.isnan(res.req_f[:, R_TRANSFER_END])
    tokens = int(res.output[served].sum())
    ov = overload(res)
    return {
        "name": res.name,
        "kind": res.kind,
        "gpus": res.gpus,
        "requests": res.n,
        "completed": int(served.sum()),
        "rejected": int(res.rejected.sum()),
        "ttft_ms": stats(res.ttft, 1e3),
        "tpot_ms": stats(res.tpot, 1e3),
        "e2e_ms": stats(res.e2e, 1e3),
        "stall_ms": stats(res.stall, 1e3),
        # Where a tray's time goes (disaggregated): waiting for decode KV room, waiting for a
        # link, on the wire; and the delay after the prefill that the request felt.
        "kv_wait_ms": stats(res.kv_wait, 1e3),
        "kv_queue_ms": stats(res.kv_queue, 1e3),
        "kv_wire_ms": stats(res.kv_wire, 1e3),
        "kv_exposed_ms": stats(res.transfer_exposed, 1e3),
        "kv_bytes_shipped": float(res.kv_bytes[shipped].sum()),
        "throughput_tokens_per_s": tokens / makespan if makespan > 0 else 0.0,
        "slo_attainment": float(res.meets_slo(slo_ttft_s, slo_tpot_s).sum() / max(res.n, 1)),
        "makespan_s": makespan,
        "gpu_compute_utilization": cu,
        "gpu_bandwidth_utilization": bu,
        "first_token": res.first_token,
        **_pool_gpus(res),
        # Cost and power: all the system's GPUs at their example prices and board power.
        "dollars_per_hour": res.dollars_per_hour,
        "power_kw": res.power_kw,
        "throughput_per_dollar_hour": (tokens / makespan / res.dollars_per_hour
                                       if makespan > 0 and res.dollars_per_hour > 0 else None),
        "throughput_per_kw": tokens / makespan / res.power_kw if makespan > 0 and res.power_kw > 0 else None,
        **per_node_figures(res),
        **({"fault_cost": fault_cost(res)} if has_faults(res) else {}),
        "overloaded": ov.overloaded,
        "overload_reason": ov.reason,
        **_prefix_cache(res),
        **_dynamic_pools(res),
    }


def _dynamic_pools(res: SystemResult) -> dict:
    """A planner's moves (dynamic pools; docs/engine.md): when each was decided, when the instance
    had drained and when it was on duty in its new pool (None: not by the run's end), which instance
    (global id), from which pool to which, why, and the signals the planner saw."""
    if not res.dynamic:
        return {}
    pool = {ROLE_PREFILL: "prefill", ROLE_DECODE: "decode"}

    def opt(x, scale=1.0):
        return None if np.isnan(x) else float(x) * scale

    moves = [{"time_s": float(mv[MV_DECIDED]), "drained_s": opt(mv[MV_DRAINED]), "ready_s": opt(mv[MV_READY]),
              "instance": int(mv[MV_INSTANCE]), "from": pool[int(mv[MV_FROM])], "to": pool[int(mv[MV_TO])],
              "why": MOVE_REASONS[int(mv[MV_WHY])], "prefill_queue_per_instance": float(mv[MV_QUEUE]),
              "decode_kv_use": float(mv[MV_KV]), "ttft_ms": opt(mv[MV_TTFT], 1e3), "tpot_ms": opt(mv[MV_TPOT], 1e3)}
             for mv in res.moves]
    roles, _ = res.roles_at(np.inf)
    return {"dynamic_pools": {"moves": moves, "prefill_instances_at_end": int(np.sum(roles == ROLE_PREFILL)),
                              "decode_instances_at_end": int(np.sum(roles == ROLE_DECODE))}}


def _prefix_cache(res: SystemResult) -> dict:
    """Routing, and the prefix caches' hit rates (share of routed prompt tokens whose prefill a
    cached block skipped): for a system that keeps prefix caches or routes otherwise than by load
    (files without either give the JSON they gave before)."""
    spec = res.spec
    out = {}
    if spec.routing != "least-loaded" or spec.prefix_cache:
        out["routing"] = spec.routing
    if spec.prefix_cache:
        system, by_instance = res.prefix_hit_rates()
        out["prefix_hit_rate"] = system
        out["prefix_hit_rate_by_instance"] = by_instance
        out["prefix_cached_tokens"] = int(res.cached_tokens.sum())
    return out


def summarize_scenario(result: ScenarioResult) -> dict:
    return {"title": result.title,
            "systems": [summarize(s, result.slo_ttft_s, result.slo_tpot_s) for s in result.systems]}
