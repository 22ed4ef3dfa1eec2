"""Hardware, model and link presets (public figures; see docs/cost-model.md).

Every field of a preset can be overridden in a scenario file. A GPU preset holds physics (peak
FLOP/s, HBM bandwidth, memory, all-reduce fabric); a serving-engine profile holds what the
software reaches (efficiencies, overheads), fitted to measured engine profiles and the same on
every GPU, so that what differs between GPUs is physics and not per-point fudge.
"""

from __future__ import annotations

# Model architecture. Dense: params_billion; mixture of experts: experts (routed), experts_per_token,
# shared_params_billion (always active: attention, embeddings, shared experts) and
# expert_params_billion (all routed experts together). KV bytes/token = 2 x layers x kv_heads x
# head_dim x kv bytes, or layers x kv_latent_dim x kv bytes with latent attention (DeepSeek MLA).
# Sources of the MoE/MLA figures: docs/cost-model.md, "Models".
_BF16 = dict(weight_dtype="bf16", kv_dtype="bf16")
MODELS: dict[str, dict] = {
    "llama-2-7b": dict(params_billion=6.7, layers=32, hidden_size=4096, kv_heads=32, head_dim=128, **_BF16),
    "llama-2-13b": dict(params_billion=13.0, layers=40, hidden_size=5120, kv_heads=40, head_dim=128, **_BF16),
    "llama-2-70b": dict(params_billion=69.0, layers=80, hidden_size=8192, kv_heads=8, head_dim=128, **_BF16),
    "llama-3.1-8b": dict(params_billion=8.0, layers=32, hidden_size=4096, kv_heads=8, head_dim=128, **_BF16),
    "llama-3.1-70b": dict(params_billion=70.6, layers=80, hidden_size=8192, kv_heads=8, head_dim=128, **_BF16),
    "mistral-7b": dict(params_billion=7.2, layers=32, hidden_size=4096, kv_heads=8, head_dim=128, **_BF16),
    "opt-13b": dict(params_billion=13.0, layers=40, hidden_size=5120, kv_heads=40, head_dim=128, **_BF16),
    "opt-66b": dict(params_billion=66.0, layers=64, hidden_size=9216, kv_heads=72, head_dim=128, **_BF16),
    "mixtral-8x7b": dict(params_billion=46.7, layers=32, hidden_size=4096, kv_heads=8, head_dim=128,
                         experts=8, experts_per_token=2, shared_params_billion=1.6, expert_params_billion=45.1,
                         **_BF16),
    "qwen3-30b-a3b": dict(params_billion=30.5, layers=48, hidden_size=2048, kv_heads=4, head_dim=128,
                          experts=128, experts_per_token=8, shared_params_billion=1.5, expert_params_billion=29.0,
                          **_BF16),
    "qwen3-235b-a22b": dict(params_billion=235.0, layers=94, hidden_size=4096, kv_heads=4, head_dim=128,
                            experts=128, experts_per_token=8, shared_params_billion=7.8,
                            expert_params_billion=227.2, **_BF16),
    "deepseek-v3": dict(params_billion=671.0, layers=61, hidden_size=7168, kv_heads=128, head_dim=128,
                        experts=256, experts_per_token=8, shared_params_billion=16.5, expert_params_billion=654.5,
                        kv_latent_dim=576, **_BF16),
}

DTYPE_BYTES = {"bf16": 2.0, "fp8": 1.0}


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

# GPU physics. TP all-reduce fabric: ``allreduce_latency_us`` is one small all-reduce's latency on
# the fabric at TP2 (NVLink/NVSwitch a few us, PCIe tens; it grows with 2(tp-1)/tp like the
# message term), ``allreduce_gb_per_s`` the NCCL bus bandwidth of large all-reduces (nccl-tests
# busbw: DGX A100 ~230, DGX H100/H200 ~360-480 without NVLS, DGX B200 ~800, PCIe Gen4 ~20).
_SERVER = dict(memory_utilization=0.9)   # share of GPU memory the server may use (vLLM default)

# peak_fp8_tflops: dense FP8 tensor-core peak (0: none; FP8 weights then only save bytes, dequantized
# to BF16 for the GEMMs: A100 has no FP8 tensor cores). price_per_hour: an EXAMPLE on-demand cloud price
# per GPU in US dollars (an 8-GPU instance's list price / 8, hyperscalers, 2025; prices change often,
# override them). tdp_w: board power (SXM/OAM module or PCIe card TDP), watts.
PRICES_AS_OF = "2025 cloud on-demand list prices of 8-GPU instances, per GPU"
GPUS: dict[str, dict[str, float]] = {
    "a100-80gb": dict(peak_tflops=312.0, peak_fp8_tflops=0.0, hbm_tb_per_s=2.039, memory_gb=80.0,
                      allreduce_gb_per_s=230.0, allreduce_latency_us=6.0, price_per_hour=4.10, tdp_w=400.0,
                      **_SERVER),
    "h100-sxm": dict(peak_tflops=989.0, peak_fp8_tflops=1979.0, hbm_tb_per_s=3.35, memory_gb=80.0,
                     allreduce_gb_per_s=400.0, allreduce_latency_us=5.0, price_per_hour=6.88, tdp_w=700.0,
                     **_SERVER),
    "h200": dict(peak_tflops=989.0, peak_fp8_tflops=1979.0, hbm_tb_per_s=4.8, memory_gb=141.0,
                 allreduce_gb_per_s=400.0, allreduce_latency_us=5.0, price_per_hour=7.90, tdp_w=700.0, **_SERVER),
    "b200": dict(peak_tflops=2250.0, peak_fp8_tflops=4500.0, hbm_tb_per_s=8.0, memory_gb=180.0,
                 allreduce_gb_per_s=800.0, allreduce_latency_us=4.0, price_per_hour=14.24, tdp_w=1000.0,
                 **_SERVER),
    # No NVLink: tensor-parallel all-reduce crosses PCIe Gen4 through the host. Ada has FP8.
    "l40s": dict(peak_tflops=362.0, peak_fp8_tflops=733.0, hbm_tb_per_s=0.864, memory_gb=48.0,
                 allreduce_gb_per_s=20.0, allreduce_latency_us=25.0, price_per_hour=1.86, tdp_w=350.0, **_SERVER),
}

# Serving-engine profiles: what the software reaches on that hardware. Fitted with
# tools/fit_engine_profiles.py (docs/cost-model.md, "Engine profiles"): the 2023 profiles to
# DistServe's published simulator profiles for OPT-13B on A100 at TP1/2/4, ``modern`` to
# forward passes of Llama-3.1-8B measured on an H200 (CUDA-graph decode).
ENGINES: dict[str, dict[str, float]] = {
    "distserve-2023": dict(
        compute_efficiency=0.75,        # share of peak a large prefill GEMM reaches
        gemm_saturation_tokens=128.0,   # tokens in a GEMM at which it reaches half its efficiency
        bandwidth_efficiency=0.9,       # share of HBM streaming weights reaches
        kv_read_efficiency=0.57,        # share of HBM attention reaches reading the KV cache
        iteration_overhead_ms=5.2,      # scheduler, input prep and kernel launches per iteration
        sequence_overhead_ms=0.023,     # per sequence per iteration (sampling, block tables)
        allreduce_software_us=10.0,     # per all-reduce call on top of the fabric's latency
        allreduce_efficiency=0.36,      # share of the fabric's bus bandwidth its all-reduce reaches
    ),
    "vllm-2023": dict(
        compute_efficiency=0.55, gemm_saturation_tokens=90.0, bandwidth_efficiency=0.9,
        kv_read_efficiency=0.58, iteration_overhead_ms=9.0, sequence_overhead_ms=0.0,
        allreduce_software_us=107.0,    # Ray workers and NCCL through PyTorch, per call
        allreduce_efficiency=0.23,
    ),
    "modern": dict(
        compute_efficiency=0.62, gemm_saturation_tokens=160.0, bandwidth_efficiency=0.9,
        kv_read_efficiency=0.54, iteration_overhead_ms=1.4, sequence_overhead_ms=0.023,
        allreduce_software_us=0.0,      # custom one-shot all-reduce kernels: the fabric's latency
        allreduce_efficiency=0.8,       # assumed (the H200 points are TP1): NCCL-level bus bandwidth
    ),
}
DEFAULT_ENGINE = "distserve-2023"

ENGINE_LABELS = {"distserve-2023": "DistServe engine (2023)", "vllm-2023": "vLLM (2023)",
                 "modern": "modern engine (CUDA graphs)"}

GPU_LABELS = {"a100-80gb": "A100 SXM 80GB", "h100-sxm": "H100 SXM", "h200": "H200", "b200": "B200", "l40s": "L40S"}

# Per GPU per direction, GB/s (peak).
LINKS: dict[str, float] = {
    "nvlink4": 450.0,
    "nvlink5": 900.0,
    "pcie4": 32.0,
    "pcie5": 64.0,
    "ib-ndr": 50.0,
    "ib-xdr": 100.0,
    "ethernet-100g": 12.5,
    "ethernet-25g": 3.125,
}

LINK_LABELS = {
    "nvlink4": "NVLink 4", "nvlink5": "NVLink 5", "pcie4": "PCIe Gen4 x16", "pcie5": "PCIe Gen5 x16",
    "ib-ndr": "InfiniBand NDR", "ib-xdr": "InfiniBand XDR", "ethernet-100g": "100 GbE", "ethernet-25g": "25 GbE",
}

MODEL_FIELDS = ("params_billion", "layers", "hidden_size", "kv_heads", "head_dim", "weight_dtype", "kv_dtype",
                "experts", "experts_per_token", "shared_params_billion", "expert_params_billion", "kv_latent_dim")
GPU_FIELDS = ("peak_tflops", "peak_fp8_tflops", "hbm_tb_per_s", "memory_gb", "allreduce_gb_per_s",
              "allreduce_latency_us", "memory_utilization", "price_per_hour", "tdp_w")
ENGINE_FIELDS = tuple(ENGINES[DEFAULT_ENGINE])


def hardware(gpu: str, engine: str = DEFAULT_ENGINE) -> dict:
    """A GPU preset's physics with a serving engine's profile: what the cost model takes."""
    return {**GPUS[gpu], **ENGINES[engine], "gpu": gpu, "engine": engine}


def pool_hardware(hw: dict, gpu: str | None) -> dict:
    """The hardware of a pool that runs on ``gpu`` (None: the scenario's): that preset's physics,
    with the scenario's engine profile and the engine fields it overrides."""
    if gpu is None or gpu == hw.get("gpu"):
        return hw
    out = hardware(gpu, hw.get("engine", DEFAULT_ENGINE))
    out.update({k: hw[k] for k in ENGINE_FIELDS if k in hw})
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
