"""Operator-level roofline cost of one serving iteration (see docs/cost-model.md).

One iteration of an instance of ``tp`` GPUs that processes ``p`` prefill tokens and ``b`` decode
sequences (total context ``ctx``) runs its operators one after another, every layer; each is priced
max(its FLOPs / achieved peak, its bytes / achieved bandwidth) and the iteration is their sum:

    weight GEMMs (QKV/O projections, MLP or the shared part of an MoE layer, LM head)
  + MoE grouped GEMMs (routed experts; their efficiency follows the rows each expert gets)
  + prefill attention (causal (query, key) pairs x heads x head_dim; MLA's own shapes)
  + decode attention (the KV cache read, over the ranks that hold a share of it)
  + TP all-reduce (two per layer; one-shot or two-shot by message size)
  + overheads (per iteration, per layer, per token, per sequence)

A GEMM of m rows reaches compute_efficiency x m / (m + gemm_saturation_tokens x bytes per weight / 2)
of its peak: with few rows it cannot fill the GPU, which is why a short prefill is flat and a long
one grows linearly. The GPU preset gives the physics (peak FLOP/s, HBM, memory, all-reduce fabric);
the serving-engine profile gives what the software reaches (efficiencies, overheads).

The functions here are plain Python on float arrays and scalars so that the reference engine
calls them directly and the Numba engine compiles the very same code.
"""

from __future__ import annotations

import numpy as np

from disagg_viz.presets import attention_flops_per_pair, kv_bytes_resolved, kv_shards, resolve_model
from disagg_viz.sim.expert_parallel import Layout, a2a_terms, allreduce_fabric, layout, weight_bytes_per_gpu

# Layout of the packed cost vector (float64) that the engines take.
CM_PARAMS = 0          # parameters active per token (count): FLOPs follow these
CM_LAYERS = 1
CM_HIDDEN = 2
CM_KV_PER_TOKEN = 3    # bytes per token, whole model (what a shipment carries)
CM_WEIGHT_BYTES = 4    # all weights (bytes)
CM_TP = 5
CM_PEAK_FLOPS = 6      # per GPU, FLOP/s of the weight GEMMs (FP8 peak with FP8 weights)
CM_HBM = 7             # per GPU, bytes/s
CM_COMPUTE_EFF = 8
CM_BANDWIDTH_EFF = 9   # weights, activations and newly written KV
CM_GEMM_SAT = 10
CM_ALLREDUCE_BW = 11   # two-shot/ring bus bandwidth the engine reaches, bytes/s
CM_ALLREDUCE_LAT = 12  # s per one-shot all-reduce call at this TP (fabric + engine software)
CM_ITER_OVERHEAD = 13  # s
CM_SEQ_OVERHEAD = 14   # s
CM_DTYPE = 15          # bytes per activation element
CM_KV_READ_EFF = 16    # share of HBM bandwidth attention reaches reading the KV cache
CM_SHARED_BYTES = 17   # weight bytes every token reads (dense: all of them)
CM_EXPERT_BYTES = 18   # weight bytes of all routed experts together (dense: 0)
CM_EXPERTS = 19        # routed experts per layer (0: dense)
CM_EXPERT_K = 20       # experts each token is routed to
CM_WBYTES = 21         # bytes per weight (2 BF16, 1 FP8)
CM_SHARED_PARAMS = 22  # parameters every token multiplies (count)
CM_EXPERT_PARAMS = 23  # routed-expert parameters each token multiplies (count)
CM_ATTN_PREFILL = 24   # FLOPs per (query, key) pair, all layers, prefill
CM_ATTN_DECODE = 25    # FLOPs per (query, key) pair, all layers, decode
CM_ATTN_PEAK = 26      # per GPU, FLOP/s of attention (BF16 unless FP8 KV with FP8 attention kernels)
CM_ATTN_EFF = 27       # share of that peak attention reaches
CM_KV_SHARDS = 28      # ranks the KV cache is split over (min(tp, kv_heads); 1 with MLA)
CM_LAYER_OVERHEAD = 29  # s per layer per iteration
CM_TOKEN_OVERHEAD = 30  # s per token per iteration
CM_AR_ONESHOT_S_PER_BYTE = 31  # one-shot all-reduce: s per message byte at this TP
CM_AR_TWOSHOT_LAT = 32  # two-shot all-reduce: s per call at this TP (fabric + engine software)
CM_AR_TWOSHOT_S_PER_BYTE = 33  # two-shot all-reduce: s per message byte at this TP
# Expert parallelism and DP attention (sim/expert_parallel.py); with ep = 1 they leave the cost as it was.
CM_GPUS = 34           # GPUs per instance (ep = 1: tp)
CM_ATTN_GROUPS = 35    # attention groups with their own sequences and KV (DP attention: one per GPU)
CM_EP = 36             # GPUs the routed experts are spread over (1: tensor-parallel experts)
CM_EXPERT_IMBALANCE = 37  # most-loaded GPU / mean of the routed tokens (1 without EP)
CM_A2A_LAT = 38        # s per all-to-all call (dispatch or combine)
CM_A2A_S_PER_ROW = 39  # s per token row per MoE layer, dispatch + combine
CM_TBO = 40            # 1: two-batch overlap hides the all-to-all under compute
CM_SIZE = 41

# Two-batch overlap hides this share of the shorter of (compute, all-to-all): each micro-batch has
# half the rows (lower GEMM efficiency) and both compete for SMs, so not all of it. SGLang reports
# +27-35% prefill throughput from TBO; at EP32 with 4k prompts this share gives +30%.
TBO_HIDDEN_SHARE = 0.5

ACTIVATION_BYTES_FACTOR = 8.0  # activation reads+writes per token per layer, in units of hidden x dtype

# The shape of an intra-node all-reduce against message size, fitted (log least squares) to
# published H100 timings at TP2/4/8 from 512 B to 128 MB (docs/cost-model.md, "All-reduce"): a
# one-shot kernel (every rank reads every other rank's whole message) is latency-optimal, a two-shot
# (reduce-scatter + all-gather, like NCCL's ring) bandwidth-optimal; engines switch to the faster.
ALLREDUCE_RANK_LATENCY = 0.064    # latency grows by this share per rank beyond 2
ONESHOT_BANDWIDTH_SHARE = 0.21    # one-shot reads (tp - 1) messages at this share of the bus bandwidth
TWOSHOT_LATENCY_FACTOR = 4.2      # two-shot's fixed cost, in one-shot latencies (two phases, barriers)


def pack_cost(model: dict, gpu: dict, tp: int, ep: int = 1, attention: str = "tp", expert_imbalance: float = 1.0,
              two_batch_overlap: bool = False) -> np.ndarray:
    """Pack a model and hardware (GPU preset + engine profile fields) and a TP degree. FP8 weights
    on a GPU with FP8 tensor cores run their GEMMs at the FP8 peak; elsewhere they only save bytes.
    Attention runs at the FP8 peak only with an FP8 KV cache on an engine with FP8 attention."""
    return pack_resolved(resolve_model(model), gpu, tp, ep, attention, expert_imbalance, two_batch_overlap)


def pack_resolved(m: dict, gpu: dict, tp: int, ep: int = 1, attention: str = "tp", expert_imbalance: float = 1.0,
                  two_batch_overlap: bool = False) -> np.ndarray:
    """``pack_cost`` of a model already resolved (``resolve_model``; sim/specs.py resolves once).
    ``ep`` > 1: the instance is ``ep`` GPUs with the experts spread over them and attention
    tensor-parallel over all of them (``attention = "tp"``) or one group per GPU (``"dp"``)."""
    lay = layout(tp, ep, attention)
    tp = lay.attention_tp
    cm = np.zeros(CM_SIZE)
    wb = m["weight_bytes"]
    cm[CM_PARAMS] = m["active_params_billion"] * 1e9
    cm[CM_SHARED_PARAMS] = m["shared_params_billion"] * 1e9
    cm[CM_EXPERT_PARAMS] = cm[CM_PARAMS] - cm[CM_SHARED_PARAMS]
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
    fp8_tc = gpu.get("peak_fp8_tflops", 0.0) > 0
    cm[CM_PEAK_FLOPS] = (gpu["peak_fp8_tflops"] if wb <= 1.0 and fp8_tc else gpu["peak_tflops"]) * 1e12
    fp8_attn = m["kv_bytes"] <= 1.0 and fp8_tc and gpu.get("fp8_attention", 0.0) > 0.5
    cm[CM_ATTN_PEAK] = (gpu["peak_fp8_tflops"] if fp8_attn else gpu["peak_tflops"]) * 1e12
    cm[CM_ATTN_EFF] = gpu["attention_efficiency"]
    prefill_pair, decode_pair = attention_flops_per_pair(m)
    cm[CM_ATTN_PREFILL] = prefill_pair * m["layers"]
    cm[CM_ATTN_DECODE] = decode_pair * m["layers"]
    cm[CM_KV_SHARDS] = kv_shards(m, tp)
    cm[CM_HBM] = gpu["hbm_tb_per_s"] * 1e12
    cm[CM_COMPUTE_EFF] = gpu["compute_efficiency"]
    cm[CM_BANDWIDTH_EFF] = gpu["bandwidth_efficiency"]
    cm[CM_KV_READ_EFF] = gpu["kv_read_efficiency"]
    cm[CM_GEMM_SAT] = gpu["gemm_saturation_tokens"]
    bus, across = allreduce_fabric(gpu, lay)
    grow = 1.0 + ALLREDUCE_RANK_LATENCY * max(tp - 2, 0)
    software = gpu["allreduce_software_us"] * 1e-6 + across
    cm[CM_ALLREDUCE_BW] = bus
    cm[CM_ALLREDUCE_LAT] = gpu["allreduce_latency_us"] * 1e-6 * grow + software
    cm[CM_AR_ONESHOT_S_PER_BYTE] = (tp - 1) / (ONESHOT_BANDWIDTH_SHARE * bus)
    cm[CM_AR_TWOSHOT_LAT] = TWOSHOT_LATENCY_FACTOR * gpu["allreduce_latency_us"] * 1e-6 * grow + software
    cm[CM_AR_TWOSHOT_S_PER_BYTE] = 2.0 * (tp - 1) / tp / bus
    cm[CM_ITER_OVERHEAD] = gpu["iteration_overhead_ms"] * 1e-3
    cm[CM_LAYER_OVERHEAD] = gpu["layer_overhead_us"] * 1e-6
    cm[CM_TOKEN_OVERHEAD] = gpu["token_overhead_us"] * 1e-6
    cm[CM_SEQ_OVERHEAD] = gpu["sequence_overhead_ms"] * 1e-3
    cm[CM_DTYPE] = 2.0            # activations and all-reduce messages stay BF16
    cm[CM_GPUS] = lay.gpus
    cm[CM_ATTN_GROUPS] = lay.groups
    cm[CM_EP] = lay.ep
    cm[CM_EXPERT_IMBALANCE] = expert_imbalance if lay.expert_parallel else 1.0
    cm[CM_A2A_LAT], cm[CM_A2A_S_PER_ROW] = a2a_terms(m, gpu, lay)
    cm[CM_TBO] = 1.0 if two_batch_overlap and lay.expert_parallel else 0.0
    return cm


def experts_touched_share(cm, m):
    """Share of the routed experts a batch of ``m`` token rows touches, 1 - (1 - k/E)^m (the expected
    number of distinct experts hit, E(1 - (1 - k/E)^m), over E); 0 for a dense model."""
    if cm[CM_EXPERTS] <= 0.0 or m <= 0.0:
        return 0.0
    return 1.0 - (1.0 - cm[CM_EXPERT_K] / cm[CM_EXPERTS]) ** m


def weight_bytes_read(cm, m):
    """Weight bytes an iteration of ``m`` token rows streams: the shared weights, and of the routed
    experts the share a batch touches: a small decode batch reads few experts, a prefill all."""
    if cm[CM_EXPERTS] <= 0.0:
        return cm[CM_WEIGHT_BYTES]
    return cm[CM_SHARED_BYTES] + cm[CM_EXPERT_BYTES] * experts_touched_share(cm, m)


def kv_bytes_per_token_per_gpu(model: dict, tp: int) -> float:
    """KV bytes one token takes on each GPU of a TP group: split over min(tp, kv_heads) ranks,
    replicated on every rank with latent attention."""
    return kv_bytes_resolved(model) / kv_shards(model, tp)


def kv_capacity_tokens(model: dict, gpu: dict, tp: int) -> int:
    """KV-cache tokens an instance of ``tp`` GPUs can hold after its weights (<= 0: weights don't fit).
    Where the KV cache is replicated over ranks (MLA; kv_heads < tp) each copy takes room."""
    return kv_capacity_resolved(resolve_model(model), gpu, tp)


def kv_capacity_resolved(m: dict, gpu: dict, tp: int, ep: int = 1, attention: str = "tp") -> int:
    """``kv_capacity_tokens`` of a model already resolved (``resolve_model``); with ``ep`` > 1 see
    ``kv_capacity_layout``."""
    if ep > 1:
        return kv_capacity_layout(m, gpu, layout(tp, ep, attention))
    usable = tp * gpu["memory_gb"] * 1e9 * gpu["memory_utilization"]
    free = usable - m["params_billion"] * 1e9 * m["weight_bytes"]
    if free <= 0:
        return 0
    return int(free // (kv_bytes_per_token_per_gpu(m, tp) * tp))


def kv_capacity_layout(m: dict, gpu: dict, lay: Layout) -> int:
    """KV tokens an expert-parallel instance holds: each GPU's memory after its own weights (dense
    part + experts / ep), every attention group holding its sequences' KV (split over
    min(attention TP, kv_heads) ranks, whole on every rank with MLA); under DP attention nothing is
    replicated. The instance's groups are counted as one store: the batch is spread over them."""
    free = gpu["memory_gb"] * 1e9 * gpu["memory_utilization"] - weight_bytes_per_gpu(m, lay)
    if free <= 0:
        return 0
    per_gpu_token = kv_bytes_per_token_per_gpu(m, lay.attention_tp)
    return int(free * lay.gpus // (per_gpu_token * lay.attention_tp))


def allreduce_call_time(cm, msg):
    """One all-reduce of ``msg`` bytes over the TP group (0 at TP1): the faster of one-shot and
    two-shot. ``iteration_cost`` writes the same expression out."""
    if cm[CM_TP] <= 1.0:
        return 0.0
    one = cm[CM_ALLREDUCE_LAT] + cm[CM_AR_ONESHOT_S_PER_BYTE] * msg
    two = cm[CM_AR_TWOSHOT_LAT] + cm[CM_AR_TWOSHOT_S_PER_BYTE] * msg
    return one if one < two else two


def allreduce_time(cm, m):
    """Both all-reduces of every layer for ``m`` token rows (0 at TP1); each attention group reduces
    its own share of the rows."""
    return 2.0 * cm[CM_LAYERS] * allreduce_call_time(cm, m / cm[CM_ATTN_GROUPS] * cm[CM_HIDDEN] * cm[CM_DTYPE])


def gemm_efficiency(cm, rows):
    """Share of peak a weight GEMM with ``rows`` rows reaches; it saturates sooner with fewer bytes
    per weight (FP8 at half the rows of BF16)."""
    return cm[CM_COMPUTE_EFF] * rows / (rows + cm[CM_GEMM_SAT] * cm[CM_WBYTES] / 2.0)


def iteration_cost(cm, p, attn_pairs, p_ctx, b, ctx, nseq):
    """Cost of one iteration: the sum of its operators' rooflines (the expressions are written out,
    not calls, so that Numba compiles one function; cost_breakdown.iteration_breakdown mirrors them).

    p: prefill tokens; attn_pairs: sum over prefill chunks of (query, key) pairs;
    p_ctx: KV tokens the prefill chunks read; b: decode sequences; ctx: their total context;
    nseq: sequences touched (for the per-sequence overhead).
    Returns (duration_s, flops, bytes) for the whole instance.
    """
    m = p + b
    layers = cm[CM_LAYERS]
    tp = cm[CM_TP]                 # one attention group's GPUs
    gpus = cm[CM_GPUS]             # the instance's GPUs (= tp without expert parallelism)
    groups = cm[CM_ATTN_GROUPS]    # attention groups, the batch spread over them (1 without DP attention)
    mg = m / groups                # rows one attention group's dense GEMMs and all-reduces see
    hbm = tp * cm[CM_HBM]
    kv_hbm = groups * cm[CM_KV_SHARDS] * cm[CM_HBM] * cm[CM_KV_READ_EFF]
    attn_peak = gpus * cm[CM_ATTN_PEAK] * cm[CM_ATTN_EFF]
    t = 0.0
    # Weight GEMMs every token multiplies (dense layers; an MoE's attention and shared parts) and
    # the activations around them; every attention group holds them and runs its own rows.
    g_flops = 2.0 * cm[CM_SHARED_PARAMS] * m
    g_bytes = cm[CM_SHARED_BYTES] + ACTIVATION_BYTES_FACTOR * layers * cm[CM_HIDDEN] * cm[CM_DTYPE] * mg
    if m > 0.0:
        eff = cm[CM_COMPUTE_EFF] * mg / (mg + cm[CM_GEMM_SAT] * cm[CM_WBYTES] / 2.0)
        tc = 2.0 * cm[CM_SHARED_PARAMS] * mg / (tp * cm[CM_PEAK_FLOPS] * eff)
        tm = g_bytes / (hbm * cm[CM_BANDWIDTH_EFF])
        t += tc if tc > tm else tm
    # MoE grouped GEMMs: each touched expert multiplies the rows routed to it, spread over the
    # instance's GPUs; with expert parallelism the most loaded GPU sets the pace.
    e_flops = 2.0 * cm[CM_EXPERT_PARAMS] * m
    e_bytes = 0.0
    if cm[CM_EXPERTS] > 0.0 and m > 0.0:
        share = 1.0 - (1.0 - cm[CM_EXPERT_K] / cm[CM_EXPERTS]) ** (m + 0.0)   # a float power in both engines
        e_bytes = cm[CM_EXPERT_BYTES] * share
        rows = m * cm[CM_EXPERT_K] / (cm[CM_EXPERTS] * share)
        eff = cm[CM_COMPUTE_EFF] * rows / (rows + cm[CM_GEMM_SAT] * cm[CM_WBYTES] / 2.0)
        tc = e_flops / (gpus * cm[CM_PEAK_FLOPS] * eff)
        tm = e_bytes / (gpus * cm[CM_HBM] * cm[CM_BANDWIDTH_EFF])
        t += cm[CM_EXPERT_IMBALANCE] * (tc if tc > tm else tm)
    # Prefill attention: causal pairs; reads the chunks' earlier context, writes their KV.
    pa_flops = cm[CM_ATTN_PREFILL] * attn_pairs
    pa_bytes = cm[CM_KV_PER_TOKEN] * (p_ctx + p)
    if p > 0.0:
        tc = pa_flops / attn_peak
        tm = pa_bytes / kv_hbm
        t += tc if tc > tm else tm
    # Decode attention: every sequence reads its whole context, writes one token's KV.
    da_flops = cm[CM_ATTN_DECODE] * ctx
    da_bytes = cm[CM_KV_PER_TOKEN] * (ctx + b)
    if b > 0.0:
        tc = da_flops / attn_peak
        tm = da_bytes / kv_hbm
        t += tc if tc > tm else tm
    # TP all-reduce, two per layer: the faster of one-shot and two-shot (= allreduce_time).
    if tp > 1.0:
        msg = mg * cm[CM_HIDDEN] * cm[CM_DTYPE]
        one = cm[CM_ALLREDUCE_LAT] + cm[CM_AR_ONESHOT_S_PER_BYTE] * msg
        two = cm[CM_AR_TWOSHOT_LAT] + cm[CM_AR_TWOSHOT_S_PER_BYTE] * msg
        t += 2.0 * layers * (one if one < two else two)
    # Expert parallelism: every MoE layer's all-to-all dispatch and combine (= all_to_all_time);
    # two-batch overlap runs one micro-batch's communication under the other's compute.
    if cm[CM_EP] > 1.0 and m > 0.0:
        a2a = layers * (2.0 * cm[CM_A2A_LAT] + cm[CM_A2A_S_PER_ROW] * m)
        hidden = 0.0
        if cm[CM_TBO] > 0.5:
            hidden = TBO_HIDDEN_SHARE * (t if t < a2a else a2a)
        t += a2a - hidden
    t += (cm[CM_ITER_OVERHEAD] + cm[CM_LAYER_OVERHEAD] * layers + cm[CM_TOKEN_OVERHEAD] * m
          + cm[CM_SEQ_OVERHEAD] * nseq)
    # KV bytes on the HBM of all ranks: replicated shards are read by every rank that holds them;
    # the dense weights by every attention group.
    rep = tp / cm[CM_KV_SHARDS]
    g_bytes = cm[CM_SHARED_BYTES] * groups + ACTIVATION_BYTES_FACTOR * layers * cm[CM_HIDDEN] * cm[CM_DTYPE] * m
    return t, g_flops + e_flops + pa_flops + da_flops, g_bytes + e_bytes + (pa_bytes + da_bytes) * rep


def all_to_all_time(cm, m):
    """Every MoE layer's all-to-all dispatch and combine for ``m`` token rows (0 without expert
    parallelism), before any two-batch overlap."""
    if cm[CM_EP] <= 1.0 or m <= 0.0:
        return 0.0
    return cm[CM_LAYERS] * (2.0 * cm[CM_A2A_LAT] + cm[CM_A2A_S_PER_ROW] * m)


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
