"""Hardware, model and link presets (public figures; see docs/cost-model.md).

Every field of a preset can be overridden in a scenario file. A GPU preset holds physics (peak
FLOP/s, HBM bandwidth, memory, all-reduce fabric); a serving-engine profile holds what the
software reaches (efficiencies, overheads), fitted to measured engine profiles and the same on
every GPU, so that what differs between GPUs is physics and not per-point fudge.
"""

from __future__ import annotations

# Model architecture. Dense: params_billion; mixture of experts: experts (routed), experts_per_token,
# shared_params_billion (always active: attention, embeddings, shared experts) and
# expert_params_billion (all routed experts together). attention_heads: query heads (attention FLOPs
# follow heads x head_dim, which is not always the hidden size: Qwen3's is twice it). KV bytes/token = 2 x layers x kv_heads x
# head_dim x kv bytes, or layers x kv_latent_dim x kv bytes with latent attention (DeepSeek MLA).
# Sources of the MoE/MLA figures: docs/cost-model.md, "Models".
_BF16 = dict(weight_dtype="bf16", kv_dtype="bf16")
MODELS: dict[str, dict] = {
    "llama-2-7b": dict(attention_heads=32, params_billion=6.7, layers=32, hidden_size=4096, kv_heads=32, head_dim=128, **_BF16),
    "llama-2-13b": dict(attention_heads=40, params_billion=13.0, layers=40, hidden_size=5120, kv_heads=40, head_dim=128, **_BF16),
    "llama-2-70b": dict(attention_heads=64, params_billion=69.0, layers=80, hidden_size=8192, kv_heads=8, head_dim=128, **_BF16),
    "llama-3.1-8b": dict(attention_heads=32, params_billion=8.0, layers=32, hidden_size=4096, kv_heads=8, head_dim=128, **_BF16),
    "llama-3.1-70b": dict(attention_heads=64, params_billion=70.6, layers=80, hidden_size=8192, kv_heads=8, head_dim=128, **_BF16),
    "mistral-7b": dict(attention_heads=32, params_billion=7.2, layers=32, hidden_size=4096, kv_heads=8, head_dim=128, **_BF16),
    "opt-13b": dict(attention_heads=40, params_billion=13.0, layers=40, hidden_size=5120, kv_heads=40, head_dim=128, **_BF16),
    "opt-66b": dict(attention_heads=72, params_billion=66.0, layers=64, hidden_size=9216, kv_heads=72, head_dim=128, **_BF16),
    "mixtral-8x7b": dict(attention_heads=32, params_billion=46.7, layers=32, hidden_size=4096, kv_heads=8, head_dim=128,
                         experts=8, experts_per_token=2, shared_params_billion=1.6, expert_params_billion=45.1,
                         **_BF16),
    "qwen3-30b-a3b": dict(attention_heads=32, params_billion=30.5, layers=48, hidden_size=2048, kv_heads=4, head_dim=128,
                          experts=128, experts_per_token=8, shared_params_billion=1.5, expert_params_billion=29.0,
                          **_BF16),
    "qwen3-235b-a22b": dict(attention_heads=64, params_billion=235.0, layers=94, hidden_size=4096, kv_heads=4, head_dim=128,
                            experts=128, experts_per_token=8, shared_params_billion=7.8,
                            expert_params_billion=227.2, **_BF16),
    "deepseek-v3": dict(attention_heads=128, params_billion=671.0, layers=61, hidden_size=7168, kv_heads=128, head_dim=128,
                        experts=256, experts_per_token=8, shared_params_billion=16.5, expert_params_billion=654.5,
                        kv_latent_dim=576, **_BF16),
}

DTYPE_BYTES = {"bf16": 2.0, "fp8": 1.0}

# Latent attention (DeepSeek-V2/V3 MLA): the decoupled RoPE part of each query/key head and of the
# latent vector (qk_rope_head_dim in the models' configurations). A head's query/key is head_dim
# (no-RoPE part) + this; its value is head_dim.
MLA_ROPE_DIM = 64


def attention_flops_per_pair(m: dict) -> tuple[float, float]:
    """FLOPs per (query, key) pair per layer in (prefill, decode): QK^T and PV, 2 FLOPs per
    multiply-add. Ordinary attention: 2 x heads x (head_dim + head_dim) both ways. MLA prefill
    decompresses K and V: 2 x heads x ((head_dim + rope) + head_dim); MLA decode (weights absorbed)
    attends over the latent itself: 2 x heads x (latent + latent - rope). DeepSeek-V3: 81,920 and
    278,528."""
    heads, hd, latent = m["attention_heads"], m["head_dim"], m["kv_latent_dim"]
    if latent:
        return (2.0 * heads * (hd + MLA_ROPE_DIM + hd), 2.0 * heads * (2.0 * latent - MLA_ROPE_DIM))
    return 4.0 * heads * hd, 4.0 * heads * hd


def kv_shards(m: dict, tp: int) -> int:
    """TP ranks the KV cache is split over: min(tp, kv_heads) for grouped-query attention (with fewer
    KV heads than ranks each head is replicated), 1 with latent attention (every rank holds the whole
    latent vector). ``m``: a resolved model (``resolve_model``)."""
    if m["kv_latent_dim"]:
        return 1
    return max(1, min(int(tp), int(m["kv_heads"])))


def resolve_model(m: dict) -> dict:
    """A model's numbers as the cost model uses them (idempotent): bytes per weight and per KV
    element, active parameters per token, and the shared/expert split of the weights."""
    out = dict(m)
    out.setdefault("weight_bytes", DTYPE_BYTES[out.get("weight_dtype", "bf16")])
    out.setdefault("kv_bytes", DTYPE_BYTES[out.get("kv_dtype", "bf16")])
    experts = int(out.get("experts") or 0)
    k = int(out.get("experts_per_token") or 0)
    params = out["params_billion"]
    expert_p = float(out.get("expert_params_billion") or 0.0) if experts else 0.0
    shared_p = out.get("shared_params_billion")
    shared_p = float(shared_p) if experts and shared_p else params - expert_p
    out.setdefault("attention_heads", out["hidden_size"] // out["head_dim"])
    out.update(experts=experts, experts_per_token=k, expert_params_billion=expert_p, shared_params_billion=shared_p,
               active_params_billion=shared_p + (expert_p * k / experts if experts else 0.0),
               kv_latent_dim=int(out.get("kv_latent_dim") or 0))
    return out


MODEL_LABELS = {
    "llama-2-7b": "Llama-2-7B", "llama-2-13b": "Llama-2-13B", "llama-2-70b": "Llama-2-70B",
    "llama-3.1-8b": "Llama-3.1-8B", "llama-3.1-70b": "Llama-3.1-70B", "mistral-7b": "Mistral-7B",
    "opt-13b": "OPT-13B", "opt-66b": "OPT-66B", "mixtral-8x7b": "Mixtral-8x7B (MoE)",
    "qwen3-30b-a3b": "Qwen3-30B-A3B (MoE)", "qwen3-235b-a22b": "Qwen3-235B-A22B (MoE)",
    "deepseek-v3": "DeepSeek-V3 (MoE, MLA)",
}

# GPU physics. TP all-reduce fabric (docs/cost-model.md, "All-reduce"): ``allreduce_latency_us`` is
# a small one-shot all-reduce at TP2, ``allreduce_gb_per_s`` the bus bandwidth a large (two-shot or
# ring) all-reduce reaches; the shape of the curve between them (one-shot vs two-shot, growth with
# ranks) is in sim/cost_model.py. H100/H200: fitted to published H100 custom all-reduce and NCCL
# timings from 512 B to 128 MB (3.8 us, 336 GB/s); A100: to SGLang's A100 custom all-reduce timings
# (11 us) with nccl-tests' ~230 GB/s; B200 (NVLink 5) twice H100's bandwidth; L40S: PCIe Gen4
# through the host (25 us, 20 GB/s).
_SERVER = dict(memory_utilization=0.9)   # share of GPU memory the server may use (vLLM default)

# peak_fp8_tflops: dense FP8 tensor-core peak (0: none; FP8 weights then only save bytes, dequantized
# to BF16 for the GEMMs: A100 has no FP8 tensor cores). price_per_hour: an EXAMPLE on-demand cloud price
# per GPU in US dollars (an 8-GPU instance's list price / 8, hyperscalers, 2025; prices change often,
# override them). tdp_w: board power (SXM/OAM module or PCIe card TDP), watts.
PRICES_AS_OF = "2025 cloud on-demand list prices of 8-GPU instances, per GPU"
GPUS: dict[str, dict[str, float]] = {
    "a100-80gb": dict(peak_tflops=312.0, peak_fp8_tflops=0.0, hbm_tb_per_s=2.039, memory_gb=80.0,
                      allreduce_gb_per_s=230.0, allreduce_latency_us=11.0, price_per_hour=4.10, tdp_w=400.0,
                      **_SERVER),
    "h100-sxm": dict(peak_tflops=989.0, peak_fp8_tflops=1979.0, hbm_tb_per_s=3.35, memory_gb=80.0,
                     allreduce_gb_per_s=336.0, allreduce_latency_us=3.8, price_per_hour=6.88, tdp_w=700.0,
                     **_SERVER),
    "h200": dict(peak_tflops=989.0, peak_fp8_tflops=1979.0, hbm_tb_per_s=4.8, memory_gb=141.0,
                 allreduce_gb_per_s=336.0, allreduce_latency_us=3.8, price_per_hour=7.90, tdp_w=700.0, **_SERVER),
    "b200": dict(peak_tflops=2250.0, peak_fp8_tflops=4500.0, hbm_tb_per_s=8.0, memory_gb=180.0,
                 allreduce_gb_per_s=672.0, allreduce_latency_us=3.8, price_per_hour=14.24, tdp_w=1000.0,
                 **_SERVER),
    # No NVLink: tensor-parallel all-reduce crosses PCIe Gen4 through the host (NCCL's achieved bus
    # bandwidth, not scaled by an engine's NVLink-fitted all-reduce efficiency). Ada has FP8.
    "l40s": dict(peak_tflops=362.0, peak_fp8_tflops=733.0, hbm_tb_per_s=0.864, memory_gb=48.0,
                 allreduce_gb_per_s=20.0, allreduce_latency_us=25.0, allreduce_over_pcie=1.0,
                 price_per_hour=1.86, tdp_w=350.0, **_SERVER),
}

# Serving-engine profiles: what the software reaches on that hardware. Fitted with
# tools/fit_engine_profiles.py (docs/cost-model.md, "Engine profiles"): the 2023 profiles to
# DistServe's published simulator profiles for OPT-13B on A100 at TP1/2/4 in its per-iteration
# formulation (Ray's 2 ms + 0.1 us per token once per iteration), ``modern`` to forward passes of
# Llama-3.1-8B measured on an H200 (CUDA-graph decode). ENGINE_CALIBRATED_ON names the GPU each
# profile's efficiencies were fitted on: on another GPU they are an extrapolation.
ENGINES: dict[str, dict[str, float]] = {
    "distserve-2023": dict(
        compute_efficiency=0.72,        # share of peak a large weight GEMM reaches
        gemm_saturation_tokens=118.0,   # rows in a GEMM at which it reaches half its efficiency
        bandwidth_efficiency=0.72,      # share of HBM streaming weights reaches
        kv_read_efficiency=0.62,        # share of HBM attention reaches reading the KV cache
        attention_efficiency=0.36,       # share of the attention peak prefill attention reaches
        fp8_attention=0.0,              # 1: FP8 attention kernels with an FP8 KV cache
        iteration_overhead_ms=2.0,      # per iteration (here DistServe's Ray overhead)
        layer_overhead_us=53.0,         # per layer per iteration (eager kernel launches)
        token_overhead_us=0.1,          # per token per iteration (here DistServe's Ray overhead)
        sequence_overhead_ms=0.0,       # per sequence per iteration (sampling, block tables)
        allreduce_software_us=27.0,     # per all-reduce call on top of the fabric's latency
        allreduce_efficiency=0.54,      # share of the fabric's bus bandwidth its all-reduce reaches
    ),
    "vllm-2023": dict(
        compute_efficiency=0.56, gemm_saturation_tokens=68.0, bandwidth_efficiency=0.95,
        kv_read_efficiency=0.83, attention_efficiency=0.20, fp8_attention=0.0, iteration_overhead_ms=2.0,
        layer_overhead_us=285.0, token_overhead_us=0.1, sequence_overhead_ms=0.0,
        allreduce_software_us=89.0,     # NCCL through PyTorch, per call
        allreduce_efficiency=0.25,
    ),
    "modern": dict(
        compute_efficiency=0.67, gemm_saturation_tokens=128.0, bandwidth_efficiency=0.95,
        kv_read_efficiency=0.57, attention_efficiency=0.48, fp8_attention=1.0, iteration_overhead_ms=2.35,
        layer_overhead_us=0.0,          # CUDA graphs: launches do not grow with layers
        token_overhead_us=0.0, sequence_overhead_ms=0.0,
        allreduce_software_us=0.0,      # custom one-shot/two-shot kernels: the fabric's fitted curve
        allreduce_efficiency=1.0,
    ),
}
# Expert-parallel all-to-all (sim/expert_parallel.py; docs/cost-model.md, "Expert parallelism"), per
# engine profile: share of the NVLink / NIC bandwidth a dispatch or combine reaches, its latency per
# call, and whether it sends FP8 (quantize before dispatch). ``modern``: DeepEP on H800 (its README:
# normal kernels 153-158 GB/s of ~160 over NVLink, 43-58 GB/s of ~50 over RDMA; low-latency kernels
# ~20 us beyond their bytes), FP8 dispatch and BF16 combine. The 2023 profiles had no expert
# parallelism: NCCL all-to-all through PyTorch, BF16.
ENGINE_A2A: dict[str, dict[str, float]] = {
    "distserve-2023": dict(a2a_efficiency=0.5, a2a_latency_us=100.0, fp8_dispatch=0.0),
    "vllm-2023": dict(a2a_efficiency=0.5, a2a_latency_us=100.0, fp8_dispatch=0.0),
    "modern": dict(a2a_efficiency=0.9, a2a_latency_us=20.0, fp8_dispatch=1.0),
}

ENGINE_CALIBRATED_ON = {"distserve-2023": "a100-80gb", "vllm-2023": "a100-80gb", "modern": "h200"}
DEFAULT_ENGINE = "distserve-2023"

ENGINE_LABELS = {"distserve-2023": "DistServe engine (2023)", "vllm-2023": "vLLM (2023)",
                 "modern": "modern engine (CUDA graphs)"}

# The fabric an expert-parallel instance's all-to-all crosses, per GPU per direction: NVLink inside
# the NVLink domain (GPUs that share it: 8 in an HGX node), the scale-out NICs across domains (one
# 400 Gb/s ConnectX-7 per GPU in H100/H200/B200 HGX nodes, 200 Gb/s HDR with A100; the L40S's
# "NVLink" is PCIe Gen4 through the host).
GPU_FABRIC: dict[str, dict[str, float]] = {
    "a100-80gb": dict(nvlink_gb_per_s=300.0, nic_gb_per_s=25.0, nvlink_domain_gpus=8),
    "h100-sxm": dict(nvlink_gb_per_s=450.0, nic_gb_per_s=50.0, nvlink_domain_gpus=8),
    "h200": dict(nvlink_gb_per_s=450.0, nic_gb_per_s=50.0, nvlink_domain_gpus=8),
    "b200": dict(nvlink_gb_per_s=900.0, nic_gb_per_s=50.0, nvlink_domain_gpus=8),
    "l40s": dict(nvlink_gb_per_s=32.0, nic_gb_per_s=12.5, nvlink_domain_gpus=8),
}

GPU_LABELS = {"a100-80gb": "A100 SXM 80GB", "h100-sxm": "H100 SXM", "h200": "H200", "b200": "B200", "l40s": "L40S"}

# Per port per direction, GB/s (peak). A port is one GPU's link (NVLink, PCIe, an InfiniBand HCA
# per GPU with GPUDirect RDMA as HGX/DGX nodes have) or one NIC a node's GPUs share (Ethernet):
# LINK_PORTS_PER_NODE says which, for a node of GPUS_PER_NODE GPUs.
LINKS: dict[str, float] = {
    "nvlink3": 300.0,      # A100: 12 links x 25 GB/s per direction (600 GB/s both ways)
    "nvlink4": 450.0,
    "nvlink5": 900.0,
    "pcie4": 32.0,
    "pcie5": 64.0,
    "ib-ndr": 50.0,
    "ib-xdr": 100.0,
    "ethernet-100g": 12.5,
    "ethernet-25g": 3.125,
}

GPUS_PER_NODE = 8    # an HGX/DGX node
LINK_PORTS_PER_NODE: dict[str, int] = {
    "nvlink3": GPUS_PER_NODE, "nvlink4": GPUS_PER_NODE, "nvlink5": GPUS_PER_NODE,
    "pcie4": GPUS_PER_NODE, "pcie5": GPUS_PER_NODE,
    "ib-ndr": GPUS_PER_NODE, "ib-xdr": GPUS_PER_NODE,     # one 400/800G HCA per GPU (HGX H100/B200)
    "ethernet-100g": 1, "ethernet-25g": 1,                # one NIC per node, shared by its GPUs
}

LINK_LABELS = {
    "nvlink3": "NVLink 3", "nvlink4": "NVLink 4", "nvlink5": "NVLink 5", "pcie4": "PCIe Gen4 x16", "pcie5": "PCIe Gen5 x16",
    "ib-ndr": "InfiniBand NDR", "ib-xdr": "InfiniBand XDR", "ethernet-100g": "100 GbE", "ethernet-25g": "25 GbE",
}

MODEL_FIELDS = ("params_billion", "layers", "hidden_size", "kv_heads", "head_dim", "weight_dtype", "kv_dtype",
                "experts", "experts_per_token", "shared_params_billion", "expert_params_billion", "kv_latent_dim")
GPU_FIELDS = ("peak_tflops", "peak_fp8_tflops", "hbm_tb_per_s", "memory_gb", "allreduce_gb_per_s",
              "allreduce_latency_us", "memory_utilization", "price_per_hour", "tdp_w")
ENGINE_FIELDS = tuple(ENGINES[DEFAULT_ENGINE])
A2A_FIELDS = tuple(ENGINE_A2A[DEFAULT_ENGINE])
FABRIC_FIELDS = tuple(GPU_FABRIC["h100-sxm"])


def hardware(gpu: str, engine: str = DEFAULT_ENGINE) -> dict:
    """A GPU preset's physics with a serving engine's profile: what the cost model takes."""
    return {**GPUS[gpu], **ENGINES[engine], **GPU_FABRIC[gpu], **ENGINE_A2A[engine], "gpu": gpu, "engine": engine}


def pool_hardware(hw: dict, gpu: str | None) -> dict:
    """The hardware of a pool that runs on ``gpu`` (None: the scenario's): that preset's physics,
    with the scenario's engine profile and the engine fields it overrides."""
    if gpu is None or gpu == hw.get("gpu"):
        return hw
    out = hardware(gpu, hw.get("engine", DEFAULT_ENGINE))
    out.update({k: hw[k] for k in ENGINE_FIELDS + A2A_FIELDS if k in hw})
    return out


def system_cost(instances_tp: list[tuple[int, int, dict]]) -> tuple[float, float]:
    """(US dollars per hour, kW) of pools given as (instances, tp, hardware)."""
    gpus = [(n * tp, hw) for n, tp, hw in instances_tp]
    return (sum(g * hw.get("price_per_hour", 0.0) for g, hw in gpus),
            sum(g * hw.get("tdp_w", 0.0) for g, hw in gpus) / 1e3)


def kv_bytes_per_token(model: dict) -> float:
    """2 (K and V) x layers x kv_heads x head_dim x KV bytes; with latent attention one
    kv_latent_dim vector per layer, shared by K and V."""
    return kv_bytes_resolved(resolve_model(model))


def kv_bytes_resolved(m: dict) -> float:
    """``kv_bytes_per_token`` of a model already resolved (``resolve_model``)."""
    if m["kv_latent_dim"]:
        return float(m["layers"] * m["kv_latent_dim"] * m["kv_bytes"])
    return 2.0 * m["layers"] * m["kv_heads"] * m["head_dim"] * m["kv_bytes"]
