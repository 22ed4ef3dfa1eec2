"""Expert parallelism (EP) and DP attention: how an instance's GPUs share a mixture-of-experts model
(docs/cost-model.md, "Expert parallelism").

An instance of ``ep`` > 1 GPUs spreads every MoE layer's routed experts over its GPUs (experts / ep
each) and keeps the dense part (attention, shared experts, embeddings) on every GPU. Attention runs
either tensor-parallel over all of them (``attention = "tp"``, SGLang ``--tp N --ep N``: MLA's latent
KV is then held whole on every GPU) or data-parallel (``"dp"``, DeepSeek, SGLang
``--enable-dp-attention``: each GPU attends for its own sequences with its own KV, so nothing is
replicated and the batch is spread over the GPUs). Each MoE layer sends every token to its
``experts_per_token`` experts and back: an all-to-all *dispatch* (FP8 where the engine quantizes
before sending, as DeepEP does) and *combine* (BF16), over NVLink inside the NVLink domain and over
the NICs across domains (one copy per remote domain a token touches: DeepEP's normal kernels forward
inside a node). The GPU with the most routed tokens sets the pace (``expert_imbalance``).

With ``ep`` = 1 (the default) nothing here applies: an instance is ``tp`` GPUs as before.
"""

from __future__ import annotations

from dataclasses import dataclass

# Most-loaded GPU / mean GPU of the routed tokens in an MoE layer with EPLB's redundant experts
# placed from recent load: SGLang's large-scale EP report (May 2025) measures "balancedness"
# (mean / max) of about 0.8 at EP32-72 with EPLB, i.e. the busiest GPU ~1.25x the mean.
DEFAULT_EXPERT_IMBALANCE = 1.25


@dataclass(frozen=True)
class Layout:
    """How one instance's GPUs split the model."""
    gpus: int          # GPUs per instance
    attention_tp: int  # GPUs one attention group spans (its TP degree)
    groups: int        # attention groups, each with its own sequences and KV (DP attention)
    ep: int            # GPUs the routed experts are spread over (1: tensor-parallel experts)

    @property
    def expert_parallel(self) -> bool:
        return self.ep > 1


def layout(tp: int, ep: int = 1, attention: str = "tp") -> Layout:
    """The layout of a pool's instance. ``ep`` = 1: ``tp`` GPUs, everything tensor-parallel.
    ``ep`` > 1: ``ep`` GPUs (``tp`` must be 1); attention over all of them or one group per GPU."""
    if ep <= 1:
        return Layout(gpus=int(tp), attention_tp=int(tp), groups=1, ep=1)
    if attention == "dp":
        return Layout(gpus=int(ep), attention_tp=1, groups=int(ep), ep=int(ep))
    return Layout(gpus=int(ep), attention_tp=int(ep), groups=1, ep=int(ep))


def weight_bytes_per_gpu(m: dict, lay: Layout) -> float:
    """Weight bytes on each GPU: the dense part over the attention group, the routed experts over
    the instance (``ep`` = 1: all weights over ``tp`` GPUs)."""
    wb = m["weight_bytes"]
    return (m["shared_params_billion"] * 1e9 * wb / lay.attention_tp
            + m["expert_params_billion"] * 1e9 * wb / lay.gpus)


def remote_domains_touched(k: float, domains: float) -> float:
    """Expected other NVLink domains one token's ``k`` experts land in, experts spread evenly over
    ``domains`` domains: (domains - 1) x (1 - (1 - 1/domains)^k)."""
    if domains <= 1.0:
        return 0.0
    return (domains - 1.0) * (1.0 - (1.0 - 1.0 / domains) ** k)


def a2a_terms(m: dict, hw: dict, lay: Layout) -> tuple[float, float]:
    """(s per dispatch or combine call, s per token row per MoE layer for dispatch + combine) of an
    instance's all-to-all; (0, 0) without expert parallelism.

    Every GPU holds rows / gpus tokens; of each token's k expert copies a share 1 - 1/gpus leaves
    the GPU over NVLink (directly or forwarded after crossing a NIC) and one copy per other domain
    it touches crosses the NICs. Both run at once; the slower sets the time."""
    if not lay.expert_parallel or not m["experts"]:
        return 0.0, 0.0
    g = float(lay.gpus)
    k = float(m["experts_per_token"])
    domain = float(min(lay.gpus, int(hw.get("nvlink_domain_gpus", 8))))
    eff = hw.get("a2a_efficiency", 0.9)
    nvlink = hw.get("nvlink_gb_per_s", 450.0) * 1e9 * eff
    nic = hw.get("nic_gb_per_s", 50.0) * 1e9 * eff
    dispatch = 1.0 if hw.get("fp8_dispatch", 0.0) > 0.5 else 2.0
    row_bytes = m["hidden_size"] * (dispatch + 2.0)          # dispatch + combine (BF16)
    nv_copies = k * (1.0 - 1.0 / g)
    nic_copies = remote_domains_touched(k, g / domain)
    per_row = max(nv_copies / nvlink, nic_copies / nic if nic > 0 else 0.0) * row_bytes / g
    return hw.get("a2a_latency_us", 20.0) * 1e-6, per_row


def allreduce_fabric(hw: dict, lay: Layout) -> tuple[float, float]:
    """(bus bytes/s, extra s per call) of the attention group's all-reduce: the GPU preset's NVLink
    fit inside a domain; a group wider than the domain (attention TP over several nodes) reduces
    inside each node and rings across the NICs, at the domain's NICs' bandwidth (half, each byte
    goes out and comes back), plus one all-to-all latency."""
    # The engine's all-reduce efficiency was fitted over NVLink; a PCIe preset's bus bandwidth is
    # already what NCCL reaches through the host, so it is not scaled again.
    eff = 1.0 if hw.get("allreduce_over_pcie", 0.0) > 0.5 else hw["allreduce_efficiency"]
    bus = hw["allreduce_gb_per_s"] * 1e9 * eff
    domain = int(hw.get("nvlink_domain_gpus", 8))
    if lay.attention_tp <= domain:
        return bus, 0.0
    across = hw.get("nic_gb_per_s", 50.0) * 1e9 * hw.get("a2a_efficiency", 0.9) * domain / 2.0
    return min(bus, across), hw.get("a2a_latency_us", 20.0) * 1e-6
