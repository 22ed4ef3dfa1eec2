"""Hardware, model and link presets (public figures; see docs/cost-model.md).

Every field of a preset can be overridden in a scenario file. Efficiencies and overheads
are the cost model's calibration constants, fitted once against DistServe's OPT-13B/A100
profile and kept the same for every GPU, so that what differs between GPUs is physics
(peak FLOP/s, HBM bandwidth, memory, interconnect) and not per-point fudge.
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

# Shared calibration constants (see docs/cost-model.md, section "Constants").
_COMMON = dict(
    compute_efficiency=0.72,        # share of peak a large prefill GEMM reaches
    bandwidth_efficiency=0.75,      # share of HBM bandwidth streaming weights/KV reaches
    gemm_saturation_tokens=128.0,   # tokens in a GEMM at which it reaches half its efficiency
    iteration_overhead_ms=2.5,      # scheduler + kernel launches per iteration
    sequence_overhead_ms=0.08,      # per sequence per iteration (sampling, block tables)
    allreduce_latency_us=8.0,       # per ring hop, per all-reduce
    memory_utilization=0.9,         # share of GPU memory the server may use (vLLM default)
)

GPUS: dict[str, dict[str, float]] = {
    "a100-80gb": dict(peak_tflops=312.0, hbm_tb_per_s=2.039, memory_gb=80.0, allreduce_gb_per_s=100.0, **_COMMON),
    "h100-sxm": dict(peak_tflops=989.0, hbm_tb_per_s=3.35, memory_gb=80.0, allreduce_gb_per_s=180.0, **_COMMON),
    "h200": dict(peak_tflops=989.0, hbm_tb_per_s=4.8, memory_gb=141.0, allreduce_gb_per_s=180.0, **_COMMON),
    "b200": dict(peak_tflops=2250.0, hbm_tb_per_s=8.0, memory_gb=180.0, allreduce_gb_per_s=360.0, **_COMMON),
    # No NVLink: tensor-parallel all-reduce crosses PCIe Gen4.
    "l40s": dict(peak_tflops=362.0, hbm_tb_per_s=0.864, memory_gb=48.0, allreduce_gb_per_s=20.0, **_COMMON),
}

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
GPU_FIELDS = (
    "peak_tflops", "hbm_tb_per_s", "memory_gb", "compute_efficiency", "bandwidth_efficiency",
    "gemm_saturation_tokens", "allreduce_gb_per_s", "allreduce_latency_us",
    "iteration_overhead_ms", "sequence_overhead_ms", "memory_utilization",
)


def kv_bytes_per_token(model: dict[str, float]) -> float:
    """2 (K and V) x layers x kv_heads x head_dim x dtype_bytes."""
    return 2.0 * model["layers"] * model["kv_heads"] * model["head_dim"] * model["dtype_bytes"]
