"""Where one iteration's time goes, operator by operator (``disagg-viz estimate``).

``iteration_breakdown`` mirrors ``cost_model.iteration_cost`` term by term (that function is written
out flat so that Numba compiles it; tests/sim/test_cost_breakdown.py holds the two to the same sum).
"""

from __future__ import annotations

from disagg_viz.sim.cost_model import (
    ACTIVATION_BYTES_FACTOR, CM_ATTN_DECODE, CM_ATTN_EFF, CM_ATTN_PEAK, CM_ATTN_PREFILL, CM_BANDWIDTH_EFF,
    CM_COMPUTE_EFF, CM_DTYPE, CM_EXPERT_BYTES, CM_EXPERT_K, CM_EXPERT_PARAMS, CM_EXPERTS, CM_GEMM_SAT, CM_HBM,
    CM_HIDDEN, CM_ITER_OVERHEAD, CM_KV_PER_TOKEN, CM_KV_READ_EFF, CM_KV_SHARDS, CM_LAYER_OVERHEAD, CM_LAYERS,
    CM_PEAK_FLOPS, CM_SEQ_OVERHEAD, CM_SHARED_BYTES, CM_SHARED_PARAMS, CM_TOKEN_OVERHEAD, CM_TP, CM_WBYTES,
    allreduce_time, experts_touched_share,
)
from disagg_viz.sim.cost_model import (
    CM_ATTN_GROUPS, CM_EP, CM_EXPERT_IMBALANCE, CM_GPUS, CM_TBO, TBO_HIDDEN_SHARE, all_to_all_time,
)

# Operator keys, in the order an iteration runs them, with what a student reads for each.
OPERATORS = {
    "weight_gemms": "weight GEMMs (QKV/O projections, MLP, LM head)",
    "moe_experts": "MoE grouped GEMMs (routed experts)",
    "prefill_attention": "prefill attention (causal pairs)",
    "decode_attention": "decode attention (KV cache reads)",
    "allreduce": "TP all-reduce (2 per layer)",
    "all_to_all": "MoE all-to-all (dispatch + combine, exposed)",
    "overhead": "overheads (iteration, layers, tokens, sequences)",
}


def _roofline(flops: float, peak: float, nbytes: float, bandwidth: float) -> float:
    tc, tm = flops / peak, nbytes / bandwidth
    return tc if tc > tm else tm


def _gemm_eff(cm, rows: float) -> float:
    return cm[CM_COMPUTE_EFF] * rows / (rows + cm[CM_GEMM_SAT] * cm[CM_WBYTES] / 2.0)


def iteration_breakdown(cm, p, attn_pairs, p_ctx, b, ctx, nseq) -> dict[str, float]:
    """Seconds per operator of the iteration ``iteration_cost`` prices (same arguments); the values
    add up to its duration."""
    m = p + b
    layers, tp, gpus, groups = cm[CM_LAYERS], cm[CM_TP], cm[CM_GPUS], cm[CM_ATTN_GROUPS]
    mg = m / groups
    hbm = tp * cm[CM_HBM] * cm[CM_BANDWIDTH_EFF]
    kv_hbm = groups * cm[CM_KV_SHARDS] * cm[CM_HBM] * cm[CM_KV_READ_EFF]
    attn_peak = gpus * cm[CM_ATTN_PEAK] * cm[CM_ATTN_EFF]
    out = {op: 0.0 for op in OPERATORS if op != "all_to_all"}   # all_to_all only with expert parallelism
    if m > 0:
        act = ACTIVATION_BYTES_FACTOR * layers * cm[CM_HIDDEN] * cm[CM_DTYPE] * mg
        out["weight_gemms"] = _roofline(2.0 * cm[CM_SHARED_PARAMS] * mg, tp * cm[CM_PEAK_FLOPS] * _gemm_eff(cm, mg),
                                        cm[CM_SHARED_BYTES] + act, hbm)
    if cm[CM_EXPERTS] > 0 and m > 0:
        share = experts_touched_share(cm, m)
        rows = m * cm[CM_EXPERT_K] / (cm[CM_EXPERTS] * share)
        out["moe_experts"] = cm[CM_EXPERT_IMBALANCE] * _roofline(
            2.0 * cm[CM_EXPERT_PARAMS] * m, gpus * cm[CM_PEAK_FLOPS] * _gemm_eff(cm, rows),
            cm[CM_EXPERT_BYTES] * share, gpus * cm[CM_HBM] * cm[CM_BANDWIDTH_EFF])
    if p > 0:
        out["prefill_attention"] = _roofline(cm[CM_ATTN_PREFILL] * attn_pairs, attn_peak,
                                             cm[CM_KV_PER_TOKEN] * (p_ctx + p), kv_hbm)
    if b > 0:
        out["decode_attention"] = _roofline(cm[CM_ATTN_DECODE] * ctx, attn_peak, cm[CM_KV_PER_TOKEN] * (ctx + b), kv_hbm)
    out["allreduce"] = allreduce_time(cm, m)
    overhead = out.pop("overhead") + (cm[CM_ITER_OVERHEAD] + cm[CM_LAYER_OVERHEAD] * layers
                                      + cm[CM_TOKEN_OVERHEAD] * m + cm[CM_SEQ_OVERHEAD] * nseq)
    if cm[CM_EP] > 1.0:
        a2a = all_to_all_time(cm, m)
        if cm[CM_TBO] > 0.5:        # two-batch overlap: only what compute does not cover shows
            compute = sum(out.values())
            a2a = a2a - TBO_HIDDEN_SHARE * (compute if compute < a2a else a2a)
        out["all_to_all"] = a2a
    out["overhead"] = overhead
    return out


def chunked_step_breakdown(cm, chunk_tokens: int, batch: int, context: int) -> dict[str, float]:
    """``iteration_breakdown`` of ``cost_model.chunked_step_time``'s iteration (chunk_tokens may be 0:
    a decode-only step)."""
    p, b = int(chunk_tokens), int(batch)
    return iteration_breakdown(cm, p, p * (p + 1) // 2, 0, b, b * int(context), b + (1 if p else 0))


def prefill_breakdown(cm, prompt_tokens: int) -> dict[str, float]:
    """``iteration_breakdown`` of ``cost_model.prefill_time``'s iteration."""
    n = int(prompt_tokens)
    return iteration_breakdown(cm, n, n * (n + 1) // 2, 0, 0, 0, 1)
