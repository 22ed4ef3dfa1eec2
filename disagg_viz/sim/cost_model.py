"""Roofline cost of one serving iteration (see docs/cost-model.md).

One iteration of an instance of ``tp`` GPUs that processes ``p`` prefill tokens and ``b``
decode sequences (total context ``ctx``) costs

    max(FLOPs / (tp x peak x eff_c(m)),
        (weights + activations + new KV) / (tp x HBM x eff_b) + KV reads / (tp x HBM x eff_kv))
      + TP all-reduce + iteration overhead + per-sequence overhead x sequences

with m = p + b the rows of every weight GEMM and eff_c(m) = compute_efficiency x m / (m + m_sat x bytes per
weight / 2):
a GEMM with few rows cannot fill the GPU, which is why a short prefill is flat and a long one
grows linearly. A TP all-reduce (two per layer) costs 2 (tp-1)/tp x (latency + message / bus
bandwidth): a decode step's few-KB message is latency-bound, a long prefill's is bandwidth-bound.

The GPU preset gives the physics (peak FLOP/s, HBM, memory, all-reduce fabric); the serving-engine
profile gives what the software reaches (efficiencies, overheads, the all-reduce's software cost).

The functions here are plain Python on float arrays and scalars so that the reference engine
calls them directly and the Numba engine compiles the very same code.
"""

from __future__ import annotations

import numpy as np

from disagg_viz.presets import kv_bytes_resolved, resolve_model

# Layout of the packed cost vector (float64) that the engines take.
CM_PARAMS = 0          # parameters active per token (count): FLOPs follow these
CM_LAYERS = 1
CM_HIDDEN = 2
CM_KV_PER_TOKEN = 3    # bytes per token, whole model
CM_WEIGHT_BYTES = 4    # all weights (bytes)
CM_TP = 5
CM_PEAK_FLOPS = 6      # per GPU, FLOP/s
CM_HBM = 7             # per GPU, bytes/s
CM_COMPUTE_EFF = 8
CM_BANDWIDTH_EFF = 9   # weights, activations and newly written KV
CM_GEMM_SAT = 10
CM_ALLREDUCE_BW = 11   # bus bandwidth, bytes/s
CM_ALLREDUCE_LAT = 12  # s per all-reduce call at TP2 (fabric + engine software)
CM_ITER_OVERHEAD = 13  # s
CM_SEQ_OVERHEAD = 14   # s
CM_DTYPE = 15          # bytes per activation element
CM_KV_READ_EFF = 16    # share of HBM bandwidth attention reaches reading the KV cache
CM_SHARED_BYTES = 17   # weight bytes every token reads (dense: all of them)
CM_EXPERT_BYTES = 18   # weight bytes of all routed experts together (dense: 0)
CM_EXPERTS = 19        # routed experts per layer (0: dense)
CM_EXPERT_K = 20       # experts each token is routed to
CM_WBYTES = 21         # bytes per weight (2 BF16, 1 FP8)
CM_SIZE = 22

ACTIVATION_BYTES_FACTOR = 8.0  # activation reads+writes per token per layer, in units of hidden x dtype


def pack_cost(model: dict, gpu: dict, tp: int) -> np.ndarray:
    """Pack a model and hardware (GPU preset + engine profile fields) and a TP degree. FP8 weights
    on a GPU with FP8 tensor cores run their GEMMs at the FP8 peak; elsewhere they only save bytes."""
    return pack_resolved(resolve_model(model), gpu, tp)


def pack_resolved(m: dict, gpu: dict, tp: int) -> np.ndarray:
    """``pack_cost`` of a model already resolved (``resolve_model``; sim/specs.py resolves once)."""
    cm = np.zeros(CM_SIZE)
    wb = m["weight_bytes"]
    cm[CM_PARAMS] = m["active_params_billion"] * 1e9
    cm[CM_LAYERS] = m["layers"]
    cm[CM_HIDDEN] = m["hidden_size"]
    cm[CM_KV_PER_TOKEN] = kv_bytes_resolved(m)
    cm[CM_WEIGHT_BYTES] = m["params_billion"] * 1e9 * wb
    cm[CM_SHARED_BYTES] = m["shared_params_billion"] * 1e9 * wb
    cm[CM_EXPERT_BYTES] = m["expert_params_billion"] * 1e9 * wb
    cm[CM_EXPERTS] = m["experts"]
    cm[CM_EXPERT_K] = m["experts_per_token"]
    cm[CM_WBYTES] = wb
    cm[CM_TP] = tp
    fp8 = wb <= 1.0 and gpu.get("peak_fp8_tflops", 0.0) > 0
    cm[CM_PEAK_FLOPS] = (gpu["peak_fp8_tflops"] if fp8 else gpu["peak_tflops"]) * 1e12
    cm[CM_HBM] = gpu["hbm_tb_per_s"] * 1e12
    cm[CM_COMPUTE_EFF] = gpu["compute_efficiency"]
    cm[CM_BANDWIDTH_EFF] = gpu["bandwidth_efficiency"]
    cm[CM_KV_READ_EFF] = gpu["kv_read_efficiency"]
    cm[CM_GEMM_SAT] = gpu["gemm_saturation_tokens"]
    cm[CM_ALLREDUCE_BW] = gpu["allreduce_gb_per_s"] * 1e9 * gpu["allreduce_efficiency"]
    cm[CM_ALLREDUCE_LAT] = (gpu["allreduce_latency_us"] + gpu["allreduce_software_us"]) * 1e-6
    cm[CM_ITER_OVERHEAD] = gpu["iteration_overhead_ms"] * 1e-3
    cm[CM_SEQ_OVERHEAD] = gpu["sequence_overhead_ms"] * 1e-3
    cm[CM_DTYPE] = 2.0            # activations and all-reduce messages stay BF16
    return cm


def weight_bytes_read(cm, m):
    """Weight bytes an iteration of ``m`` token rows streams: the shared weights, and of the routed
    experts the share a batch of m tokens touches, 1 - (1 - k/E)^m (the expected number of distinct
    experts hit, E(1 - (1 - k/E)^m), over E): a small decode batch reads few experts, a prefill all."""
    if cm[CM_EXPERTS] <= 0.0:
        return cm[CM_WEIGHT_BYTES]
    return cm[CM_SHARED_BYTES] + cm[CM_EXPERT_BYTES] * (1.0 - (1.0 - cm[CM_EXPERT_K] / cm[CM_EXPERTS]) ** m)


def kv_capacity_tokens(model: dict, gpu: dict, tp: int) -> int:
    """KV-cache tokens an instance of ``tp`` GPUs can hold after its weights (<= 0: weights don't fit)."""
    return kv_capacity_resolved(resolve_model(model), gpu, tp)


def kv_capacity_resolved(m: dict, gpu: dict, tp: int) -> int:
    """``kv_capacity_tokens`` of a model already resolved (``resolve_model``)."""
    usable = tp * gpu["memory_gb"] * 1e9 * gpu["memory_utilization"]
    free = usable - m["params_billion"] * 1e9 * m["weight_bytes"]
    if free <= 0:
        return 0
    return int(free // kv_bytes_resolved(m))


def allreduce_time(cm, m):
    """Both all-reduces of every layer for ``m`` token rows (0 at TP1); ``iteration_cost`` adds
    the same expression."""
    tp = cm[CM_TP]
    if tp <= 1.0:
        return 0.0
    msg = m * cm[CM_HIDDEN] * cm[CM_DTYPE]
    return 2.0 * cm[CM_LAYERS] * 2.0 * (tp - 1.0) / tp * (cm[CM_ALLREDUCE_LAT] + msg / cm[CM_ALLREDUCE_BW])


def iteration_cost(cm, p, attn_pairs, p_ctx, b, ctx, nseq):
    """Cost of one iteration.

    p: prefill tokens; attn_pairs: sum over prefill chunks of (query, key) pairs;
    p_ctx: KV tokens the prefill chunks read; b: decode sequences; ctx: their total context;
    nseq: sequences touched (for the per-sequence overhead).
    Returns (duration_s, flops, bytes) for the whole instance.
    """
    m = p + b
    layers = cm[CM_LAYERS]
    hidden = cm[CM_HIDDEN]
    tp = cm[CM_TP]
    flops = 2.0 * cm[CM_PARAMS] * m + 4.0 * layers * hidden * (attn_pairs + ctx)
    act = ACTIVATION_BYTES_FACTOR * layers * hidden * cm[CM_DTYPE] * m
    weights = cm[CM_WEIGHT_BYTES]
    if cm[CM_EXPERTS] > 0.0:      # written out, not a call (= weight_bytes_read)
        weights = cm[CM_SHARED_BYTES] + cm[CM_EXPERT_BYTES] * (1.0 - (1.0 - cm[CM_EXPERT_K] / cm[CM_EXPERTS]) ** m)
    streamed = weights + cm[CM_KV_PER_TOKEN] * (p + b) + act
    kv_read = cm[CM_KV_PER_TOKEN] * (p_ctx + ctx)
    # A GEMM with few rows is limited by streaming its weights, so it saturates sooner with fewer
    # bytes per weight (FP8 at half the rows of BF16).
    eff_c = cm[CM_COMPUTE_EFF] * m / (m + cm[CM_GEMM_SAT] * cm[CM_WBYTES] / 2.0)
    t_compute = flops / (tp * cm[CM_PEAK_FLOPS] * eff_c)
    t_memory = (streamed / cm[CM_BANDWIDTH_EFF] + kv_read / cm[CM_KV_READ_EFF]) / (tp * cm[CM_HBM])
    t = t_compute if t_compute > t_memory else t_memory
    if tp > 1.0:   # written out, not a call: the Numba engine compiles this function (= allreduce_time)
        msg = m * hidden * cm[CM_DTYPE]
        t += 4.0 * layers * (tp - 1.0) / tp * (cm[CM_ALLREDUCE_LAT] + msg / cm[CM_ALLREDUCE_BW])
    t += cm[CM_ITER_OVERHEAD] + cm[CM_SEQ_OVERHEAD] * nseq
    return t, flops, streamed + kv_read


def prefill_time(cm, prompt_tokens: int) -> float:
    """One request's prefill alone (no prior context)."""
    n = int(prompt_tokens)
    pairs = n * (n + 1) // 2
    return iteration_cost(cm, n, pairs, 0, 0, 0, 1)[0]


def decode_step_time(cm, batch: int, context: int) -> float:
    """One decode step of ``batch`` sequences of ``context`` tokens each."""
    return iteration_cost(cm, 0, 0, 0, int(batch), int(batch) * int(context), int(batch))[0]


def chunked_step_time(cm, chunk_tokens: int, batch: int, context: int) -> float:
    """One chunked-prefill iteration: a ``chunk_tokens`` prompt chunk (no earlier context) with
    ``batch`` decode sequences of ``context`` tokens each."""
    p, b = int(chunk_tokens), int(batch)
    return iteration_cost(cm, p, p * (p + 1) // 2, 0, b, b * int(context), b + 1)[0]
