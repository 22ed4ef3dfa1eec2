"""Per-node figures, the ones operators publish: input tokens/s per node in prefill, output
tokens/s per node in decode. A node is 8 GPUs (an HGX server), or the NVLink domain where that is
larger (GB200 NVL72: 72), from the pool's hardware (``nvlink_domain_gpus``)."""

from __future__ import annotations

GPUS_PER_NODE = 8


def node_gpus(hardware, gpus_per_instance: int = 1) -> int:
    """GPUs counted as one node for a pool on ``hardware``."""
    return max(GPUS_PER_NODE, int(hardware.get("nvlink_domain_gpus", GPUS_PER_NODE)))


def per_node(tokens: float, seconds: float, gpus: int, hardware) -> float:
    """``tokens`` over ``seconds`` on ``gpus`` GPUs, per node (0 when nothing ran)."""
    if seconds <= 0 or gpus <= 0:
        return 0.0
    return tokens / seconds / gpus * node_gpus(hardware)
