"""``disagg-viz estimate`` and ``api.estimate``: the cost model's figures for one model on one
GPU kind, without a simulation. One TP-t prefill instance shipping to one TP-t decode instance
over a link, resolved as a spec like any scenario's system (so the link's striping and NIC share,
the KV placement and the engine profile are the ones the engines use)."""

from __future__ import annotations

from disagg_viz.scenario.model import DisaggregatedSystem, Scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.cost_breakdown import chunked_step_breakdown, prefill_breakdown
from disagg_viz.sim.cost_model import (
    CM_KV_PER_TOKEN, allreduce_time, chunked_step_time, decode_step_time, prefill_time, weight_bytes_read,
)
from disagg_viz.sim.specs import SystemSpec, scenario_specs


def estimate_spec(model: str, gpu: str, tp: int = 1, *, engine: str | None = None, weight_dtype: str | None = None,
                  kv_dtype: str | None = None, link: str = "ib-ndr", link_gb_per_s: float | None = None,
                  overrides: list[str] = ()) -> tuple[SystemSpec, Scenario]:
    """The spec (and scenario) of a 1P1D pair at TP ``tp``; bad values raise ScenarioError naming
    the key (``overrides``: ``model.*`` / ``hardware.*`` assignments)."""
    edits = [f"model.preset={model}", f"hardware.gpu={gpu}"]
    edits += [f"hardware.engine={engine}"] if engine else []
    edits += [f"model.{k}={v}" for k, v in (("weight_dtype", weight_dtype), ("kv_dtype", kv_dtype)) if v]
    edits += list(overrides)
    edits += ["systems.0.prefill_instances=1", "systems.0.decode_instances=1",
              f"systems.0.prefill_tp={tp}", f"systems.0.decode_tp={tp}"]
    edits += [f"systems.0.link_gb_per_s={link_gb_per_s}"] if link_gb_per_s is not None else [f"systems.0.link={link}"]
    sc = apply_overrides(Scenario(systems=[DisaggregatedSystem(name="x", link="ib-ndr")]), edits)
    return scenario_specs(sc)[0], sc


def figures(spec: SystemSpec, scenario: Scenario, prompt_tokens: int = 2048, batch: int = 1,
            context: int | None = None, chunk_tokens: int | None = None) -> dict:
    """Prefill, decode step (and a chunked step), KV bytes, the KV transfer, KV capacity, the
    all-reduce shares and the breakdown by operator (ms), as ``estimate --json`` prints them."""
    model, pool = spec.model, spec.prefill_pool
    cm = pool.cost
    context = prompt_tokens if context is None else context
    kvpt = cm[CM_KV_PER_TOKEN]
    kv = kvpt * prompt_tokens
    prefill = prefill_time(cm, prompt_tokens)
    decode = decode_step_time(cm, batch, context)
    out = {
        "model": scenario.model.preset, "gpu": pool.gpu, "tp": pool.tp, "engine": scenario.hardware.engine,
        "weight_dtype": "fp8" if model["weight_bytes"] <= 1 else "bf16",
        "kv_dtype": "fp8" if model["kv_bytes"] <= 1 else "bf16",
        "active_params_billion": model["active_params_billion"],
        "weight_bytes_read_decode": weight_bytes_read(cm, batch),
        "prefill_ms": prefill * 1e3,
        "decode_step_ms": decode * 1e3,
        "kv_bytes_per_token": kvpt,
        "kv_bytes": kv,
        "transfer_ms": (spec.link.latency_s + kv / spec.link.port_bytes_per_s) * 1e3,
        "kv_capacity_tokens": pool.kv_capacity_tokens,
        # share of each iteration spent in TP all-reduce (0 at TP1)
        "prefill_allreduce_share": allreduce_time(cm, prompt_tokens) / prefill,
        "decode_allreduce_share": allreduce_time(cm, batch) / decode,
    }
    steps = {"prefill": prefill_breakdown(cm, prompt_tokens), "decode_step": chunked_step_breakdown(cm, 0, batch, context)}
    if chunk_tokens is not None:
        chunked = chunked_step_time(cm, chunk_tokens, batch, context)
        out["chunked_step_ms"] = chunked * 1e3
        out["chunked_allreduce_share"] = allreduce_time(cm, chunk_tokens + batch) / chunked
        steps["chunked_step"] = chunked_step_breakdown(cm, chunk_tokens, batch, context)
    out["operators"] = {step: {op: t * 1e3 for op, t in parts.items()} for step, parts in steps.items()}
    return out
