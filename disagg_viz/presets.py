"""Hardware, model and link presets (public figures; see docs/cost-model.md).

Every field of a preset can be overridden in a scenario file. A GPU preset holds physics (peak
FLOP/s, HBM bandwidth, memory, all-reduce fabric); a serving-engine profile holds what the
software reaches (efficiencies, overheads), fitted to measured engine profiles and the same on
every GPU, so that what differs between GPUs is physics and not per-point fudge.
"""

from __future__ import annotations

# Model architecture: KV bytes/token = 2 x layers x kv_heads x head_dim x dtype_bytes.
MODELS: dict[str, dict[str, float]] = {
    "llama-2-7b": dict(params_billion=6.7, layers=32, hidden_size=4096, kv_heads=32, head_dim=128, dtype_bytes=2),
    "llama-2-13b": dict(params_billion=13.0, layers=40, hidden_size=5120, kv_heads=40, head_dim=128, dtype_bytes=2),
    "llama-2-70b": dict(params_billion=69.0, layers=80, hidden_size=8192, kv_heads=8, head_dim=128, dtype_bytes=2),
    "llama-3.1-8b": dict(params_billion=8.0, layers=32, hidden_size=4096, kv_heads=8, head_dim=128, dtype_bytes=2),
    "llama-3.1-70b": dict(params_billion=70.6, layers=80, hidden_size=8192, kv_heads=8, head_dim=128, dtype_bytes=2),
    "mistral-7b": dict(params_billion=7.2, layers=32, hidden_size=4096, kv_heads=8, head_dim=128, dtype_bytes=2),
    "opt-13b": dict(params_billion=13.0, layers=40, hidden_size=5120, kv_heads=40, head_dim=128, dtype_bytes=2),
    "opt-66b": dict(params_billion=66.0, layers=64, hidden_size=9216, kv_heads=72, head_dim=128, dtype_bytes=2),
}

MODEL_LABELS = {
    "llama-2-7b": "Llama-2-7B", "llama-2-13b": "Llama-2-13B", "llama-2-70b": "Llama-2-70B",
    "llama-3.1-8b": "Llama-3.1-8B", "llama-3.1-70b": "Llama-3.1-70B", "mistral-7b": "Mistral-7B",
    "opt-13b": "OPT-13B", "opt-66b": "OPT-66B",
}

# GPU physics. TP all-reduce fabric: ``allreduce_latency_us`` is one small all-reduce's latency on
# the fabric at TP2 (NVLink/NVSwitch a few us, PCIe tens; it grows with 2(tp-1)/tp like the
# message term), ``allreduce_gb_per_s`` the NCCL bus bandwidth of large all-reduces (nccl-tests
# busbw: DGX A100 ~230, DGX H100/H200 ~360-480 without NVLS, DGX B200 ~800, PCIe Gen4 ~20).
_SERVER = dict(memory_utilization=0.9)   # share of GPU memory the server may use (vLLM default)

GPUS: dict[str, dict[str, float]] = {
    "a100-80gb": dict(peak_tflops=312.0, hbm_tb_per_s=2.039, memory_gb=80.0,
                      allreduce_gb_per_s=230.0, allreduce_latency_us=6.0, **_SERVER),
    "h100-sxm": dict(peak_tflops=989.0, hbm_tb_per_s=3.35, memory_gb=80.0,
                     allreduce_gb_per_s=400.0, allreduce_latency_us=5.0, **_SERVER),
    "h200": dict(peak_tflops=989.0, hbm_tb_per_s=4.8, memory_gb=141.0,
                 allreduce_gb_per_s=400.0, allreduce_latency_us=5.0, **_SERVER),
    "b200": dict(peak_tflops=2250.0, hbm_tb_per_s=8.0, memory_gb=180.0,
                 allreduce_gb_per_s=800.0, allreduce_latency_us=4.0, **_SERVER),
    # No NVLink: tensor-parallel all-reduce crosses PCIe Gen4 through the host.
    "l40s": dict(peak_tflops=362.0, hbm_tb_per_s=0.864, memory_gb=48.0,
                 allreduce_gb_per_s=20.0, allreduce_latency_us=25.0, **_SERVER),
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

MODEL_FIELDS = ("params_billion", "layers", "hidden_size", "kv_heads", "head_dim", "dtype_bytes")
GPU_FIELDS = ("peak_tflops", "hbm_tb_per_s", "memory_gb", "allreduce_gb_per_s", "allreduce_latency_us",
              "memory_utilization")
ENGINE_FIELDS = tuple(ENGINES[DEFAULT_ENGINE])


def hardware(gpu: str, engine: str = DEFAULT_ENGINE) -> dict[str, float]:
    """A GPU preset's physics with a serving engine's profile: what the cost model takes."""
    return {**GPUS[gpu], **ENGINES[engine]}


def kv_bytes_per_token(model: dict[str, float]) -> float:
    """2 (K and V) x layers x kv_heads x head_dim x dtype_bytes."""
    return 2.0 * model["layers"] * model["kv_heads"] * model["head_dim"] * model["dtype_bytes"]
