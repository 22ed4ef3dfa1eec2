"""The scenario model: every key of a scenario file, its type, unit and allowed range.

Pydantic validates a whole file at once and reports every problem with its key path; the same
model generates the JSON Schema (``disagg-viz schema``). Preset fields left out (None) come from
the preset named by ``preset`` / ``gpu`` / ``link``.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from disagg_viz.presets import (
    DEFAULT_ENGINE, ENGINES, GPUS, GPUS_PER_NODE, LINK_PORTS_PER_NODE, LINKS, MODELS, hardware, resolve_model,
)
from disagg_viz.scenario.faults import FaultSection, check_faults
from disagg_viz.scenario.teaching import LessonSection, TeacherSection, ViewSection

# The run budget (iteration-log rows per system, memory of the run and its views) is estimated
# in sim/run_budget.py from the traffic, the batches it allows and the pools' speed.

SCHEMA_VERSION = 3          # 2 added [view], [teacher], [lesson]; 3 weight/KV precision, MoE, MLA, per-pool GPUs

ModelId = Literal[tuple(MODELS)]  # type: ignore[valid-type]
GpuId = Literal[tuple(GPUS)]  # type: ignore[valid-type]
LinkId = Literal[tuple(LINKS)]  # type: ignore[valid-type]
EngineId = Literal[tuple(ENGINES)]  # type: ignore[valid-type]
Distribution = Literal["fixed", "uniform", "lognormal"]
Arrivals = Literal["poisson", "gamma", "fixed"]
Dtype = Literal["bf16", "fp8"]
TpDegree = Literal[1, 2, 4, 8]
Attention = Literal["tp", "dp"]
MAX_EP = 1024
_EP_HELP = ("expert-parallel degree: the instance spans ep GPUs, each holding experts / ep of every MoE layer "
            "plus the dense weights (1: experts tensor-parallel over tp GPUs)")
_ATTENTION_HELP = ("with ep > 1: \"tp\" runs attention tensor-parallel over all ep GPUs, \"dp\" gives every GPU "
                   "its own sequences and KV (DP attention)")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)


def overridden(preset: dict[str, float], section) -> dict[str, float]:
    """A preset's fields, with the ones the section sets (not None) in their place."""
    return {key: (getattr(section, key) if getattr(section, key, None) is not None else value)
            for key, value in preset.items()}


class ModelSection(_Section):
    preset: ModelId = Field("llama-3.1-8b", description="model preset id")
    params_billion: Optional[float] = Field(None, ge=0.001, le=2000, description="parameters, billions")
    layers: Optional[int] = Field(None, ge=1, le=512)
    hidden_size: Optional[int] = Field(None, ge=64, le=65536)
    kv_heads: Optional[int] = Field(None, ge=1, le=512)
    head_dim: Optional[int] = Field(None, ge=16, le=1024)
    attention_heads: Optional[int] = Field(None, ge=1, le=1024, description="query heads (attention FLOPs follow "
                                           "heads x head_dim)")
    weight_dtype: Optional[Dtype] = Field(None, description="precision of the weights: bf16 or fp8")
    kv_dtype: Optional[Dtype] = Field(None, description="precision of the KV cache (and the shipped trays)")
    dtype_bytes: Optional[float] = Field(None, ge=0.5, le=8, description="older files: bytes per weight and KV "
                                         "element (used where weight_dtype / kv_dtype are not set)")
    experts: Optional[int] = Field(None, ge=0, le=4096, description="routed experts per layer (0: dense)")
    experts_per_token: Optional[int] = Field(None, ge=0, le=64, description="experts each token is routed to")
    shared_params_billion: Optional[float] = Field(None, ge=0, le=2000, description="always-active parameters, "
                                                   "billions (attention, embeddings, shared experts)")
    expert_params_billion: Optional[float] = Field(None, ge=0, le=2000, description="all routed experts together, "
                                                   "billions")
    kv_latent_dim: Optional[int] = Field(None, ge=0, le=65536, description="latent attention (MLA): KV vector per "
                                         "layer per token, shared by K and V (0: ordinary attention)")

    @model_validator(mode="after")
    def _experts_make_sense(self):
        m = self.resolved()
        if m["experts"] and not 1 <= m["experts_per_token"] <= m["experts"]:
            raise ValueError(f"experts_per_token must be between 1 and experts ({m['experts']})")
        if m["experts"] and m["shared_params_billion"] + m["expert_params_billion"] > m["params_billion"] * 1.01:
            raise ValueError("shared_params_billion + expert_params_billion exceed params_billion")
        return self

    def resolved(self) -> dict:
        out = overridden({**MODELS[self.preset], **{k: None for k in ("experts", "experts_per_token",
                           "shared_params_billion", "expert_params_billion", "kv_latent_dim")
                                                    if k not in MODELS[self.preset]}}, self)
        if self.dtype_bytes is not None:        # an older file's single precision
            if self.weight_dtype is None:
                out["weight_bytes"] = self.dtype_bytes
            if self.kv_dtype is None:
                out["kv_bytes"] = self.dtype_bytes
        return resolve_model({k: v for k, v in out.items() if v is not None})


class HardwareSection(_Section):
    gpu: GpuId = Field("h100-sxm", description="GPU preset id")
    engine: EngineId = Field(DEFAULT_ENGINE, description="serving-engine profile: efficiencies and overheads "
                             "(docs/cost-model.md, \"Engine profiles\")")
    peak_tflops: Optional[float] = Field(None, ge=0.001, le=100000, description="dense BF16 peak, TFLOP/s per GPU")
    peak_fp8_tflops: Optional[float] = Field(None, ge=0, le=100000, description="dense FP8 peak, TFLOP/s per GPU "
                                             "(0: no FP8 tensor cores)")
    price_per_hour: Optional[float] = Field(None, ge=0, le=10000, description="example on-demand price per GPU-hour, "
                                            "USD (presets: 2025 list prices; change them)")
    tdp_w: Optional[float] = Field(None, ge=1, le=100000, description="board power per GPU, watts")
    hbm_tb_per_s: Optional[float] = Field(None, ge=0.0001, le=100, description="HBM bandwidth, TB/s per GPU")
    memory_gb: Optional[float] = Field(None, ge=0.01, le=10000, description="GPU memory, GB")
    allreduce_gb_per_s: Optional[float] = Field(None, ge=0.001, le=100000,
                                                description="TP all-reduce fabric: NCCL bus bandwidth, GB/s")
    allreduce_latency_us: Optional[float] = Field(None, ge=0, le=10000,
                                                  description="TP all-reduce fabric: one small all-reduce at TP2, us")
    memory_utilization: Optional[float] = Field(None, ge=0.01, le=1, description="share of memory the server uses")
    compute_efficiency: Optional[float] = Field(None, ge=0.01, le=1, description="engine: share of peak a large GEMM reaches")
    gemm_saturation_tokens: Optional[float] = Field(None, ge=0, le=100000, description="engine: tokens at half GEMM efficiency")
    bandwidth_efficiency: Optional[float] = Field(None, ge=0.01, le=1, description="engine: share of HBM weight streaming reaches")
    kv_read_efficiency: Optional[float] = Field(None, ge=0.01, le=1,
                                                description="engine: share of HBM attention reaches reading KV")
    attention_efficiency: Optional[float] = Field(None, ge=0.01, le=1,
                                                  description="engine: share of the attention peak prefill attention reaches")
    fp8_attention: Optional[float] = Field(None, ge=0, le=1, description="engine: 1 if it runs attention in FP8 "
                                           "with an FP8 KV cache, else 0")
    iteration_overhead_ms: Optional[float] = Field(None, ge=0, le=1000, description="engine: per iteration")
    layer_overhead_us: Optional[float] = Field(None, ge=0, le=100000, description="engine: per layer per iteration")
    token_overhead_us: Optional[float] = Field(None, ge=0, le=10000, description="engine: per token per iteration")
    sequence_overhead_ms: Optional[float] = Field(None, ge=0, le=100, description="engine: per sequence per iteration")
    allreduce_software_us: Optional[float] = Field(None, ge=0, le=10000,
                                                   description="engine: per all-reduce call on top of the fabric")
    allreduce_efficiency: Optional[float] = Field(None, ge=0.01, le=1,
                                                  description="engine: share of the bus bandwidth its all-reduce reaches")
    nvlink_gb_per_s: Optional[float] = Field(None, ge=0.001, le=100000, description="NVLink per GPU per direction, "
                                             "GB/s (expert-parallel all-to-all inside the NVLink domain)")
    nic_gb_per_s: Optional[float] = Field(None, ge=0, le=100000, description="scale-out NICs per GPU per direction, "
                                          "GB/s (expert-parallel all-to-all across NVLink domains)")
    nvlink_domain_gpus: Optional[int] = Field(None, ge=1, le=1024, description="GPUs that share one NVLink domain "
                                              "(8: an HGX node)")
    a2a_efficiency: Optional[float] = Field(None, ge=0.01, le=1, description="engine: share of NVLink / NIC "
                                            "bandwidth its MoE all-to-all reaches")
    a2a_latency_us: Optional[float] = Field(None, ge=0, le=100000, description="engine: per all-to-all call "
                                            "(dispatch or combine), us")
    fp8_dispatch: Optional[float] = Field(None, ge=0, le=1, description="engine: 1 if it sends the MoE dispatch "
                                          "in FP8 (DeepEP), else 0")

    def resolved(self) -> dict[str, float]:
        return overridden(hardware(self.gpu, self.engine), self)


class RateStep(_Section):
    from_s: float = Field(..., ge=0, le=1e9, description="the step holds from this time (seconds) until the next "
                          "step's; the first step starts at 0")
    rate: float = Field(..., ge=0, le=10_000, description="requests/s (mean) during the step")
    prompt_tokens: Optional[int] = Field(None, ge=1, le=262_144, description="mean prompt length of the requests "
                                         "arriving in this step (default: the workload's); same distribution")
    output_tokens: Optional[int] = Field(None, ge=1, le=65_536, description="mean output length of the requests "
                                         "arriving in this step (default: the workload's)")


class Burst(_Section):
    at_s: float = Field(..., ge=0, le=1e9, description="burst start, seconds")
    duration_s: float = Field(..., gt=0, le=1e9, description="burst length, seconds")
    rate: float = Field(..., gt=0, le=10_000, description="extra requests/s during the burst, on top of the rate")


DAY_CURVE_IDS = Literal["none", "workday", "consumer"]


class WorkloadSection(_Section):
    seed: int = Field(1, ge=0, le=2**63 - 1)
    requests: int = Field(1000, ge=1, le=200_000)
    arrival_rate: float = Field(4.0, ge=0.0001, le=10_000, description="requests/s (mean)")
    arrival_distribution: Arrivals = Field("poisson", description="gaps between arrivals: exponential (poisson), "
                                           "gamma with coefficient of variation arrival_cv (bursty), or fixed")
    arrival_cv: float = Field(1.0, ge=0.05, le=20, description="gamma arrivals: std/mean of the gaps "
                              "(1 = Poisson, > 1 bursty, < 1 regular)")
    prompt_tokens: int = Field(2048, ge=1, le=262_144, description="mean prompt length, tokens")
    prompt_distribution: Distribution = "lognormal"
    prompt_sigma: float = Field(0.5, ge=0, le=3, description="lognormal shape (sigma of log)")
    output_tokens: int = Field(256, ge=1, le=65_536, description="mean output length, tokens")
    output_distribution: Distribution = "fixed"
    output_sigma: float = Field(0.5, ge=0, le=3)
    trace: str = Field("", max_length=4096, description="request trace (Azure CSV, Mooncake JSONL, BurstGPT CSV), "
                       "path relative to the scenario file, inside its folder; replaces the generated arrivals and lengths")
    trace_speed: float = Field(1.0, ge=0.001, le=10_000, description="plays the trace this many times faster")
    trace_start_s: float = Field(0.0, ge=0, le=1e9, description="window start, seconds after the trace's first request")
    trace_duration_s: float = Field(0.0, ge=0, le=1e9, description="window length in trace seconds (0 = to the end)")
    trace_skip_malformed: bool = Field(False, description="skip malformed trace rows (they are reported) "
                                                          "instead of refusing the trace")
    rates: list[RateStep] = Field(default_factory=list, max_length=1000,
                                  description="rate schedule: piecewise-constant steps ([[workload.rates]]) in "
                                  "place of arrival_rate")
    day_curve: DAY_CURVE_IDS = Field("none", description="a named day of traffic (workday: office-hours peak; "
                                     "consumer: evening peak); arrival_rate is its peak")
    day_length_s: float = Field(86_400.0, ge=1, le=1e7, description="day_curve: seconds a day lasts in the run "
                                "(86400: real time)")
    bursts: list[Burst] = Field(default_factory=list, max_length=100,
                                description="extra traffic for a while ([[workload.bursts]]), on top of the rate")
    duration_s: float = Field(0.0, ge=0, le=1e9, description="arrivals stop at this time (0: a day curve's one "
                              "day, otherwise when `requests` have arrived)")
    shared_prefix_tokens: int = Field(0, ge=0, le=262_144, description="generated requests: a system prompt of "
                                      "this many tokens opens every prompt (0: none)")
    shared_prefixes: int = Field(1, ge=1, le=10_000, description="generated requests: how many different system "
                                 "prompts there are (each conversation draws one)")
    conversation_turns: int = Field(1, ge=1, le=100, description="generated requests: messages per conversation; "
                                    "a turn's prompt is the previous prompt and answer plus its own prompt_tokens")
    conversations_at_once: int = Field(32, ge=1, le=10_000, description="generated conversations: users chatting "
                                       "side by side (a user's next message is this many requests later)")

    @field_validator("rates")
    @classmethod
    def _steps_in_order(cls, steps):
        if steps and steps[0].from_s != 0:
            raise ValueError(f"the first step must start at from_s = 0 (it starts at {steps[0].from_s:g})")
        for k in range(1, len(steps)):
            if steps[k].from_s <= steps[k - 1].from_s:
                raise ValueError(f"step {k} starts at from_s = {steps[k].from_s:g}, not after step {k - 1} "
                                 f"({steps[k - 1].from_s:g}): steps go in increasing from_s")
        return steps

    @model_validator(mode="after")
    def _one_schedule(self):
        scheduled = [k for k in ("rates", "day_curve", "bursts") if getattr(self, k) not in ([], "none")]
        if self.rates and self.day_curve != "none":
            raise ValueError(f"day_curve = {self.day_curve!r} and rates both set the rate: keep one of them")
        if self.trace and scheduled:
            used = ", ".join(scheduled)
            raise ValueError(f"{used}: a trace keeps its own timestamps; remove {used} or the trace")
        for key in ("shared_prefix_tokens", "conversation_turns"):
            if self.trace and getattr(self, key) > (1 if key == "conversation_turns" else 0):
                raise ValueError(f"{key}: a trace brings its own prompts (Mooncake's hash_ids name their prefix "
                                 f"blocks); remove {key} or the trace")
        end = self.duration_s if self.duration_s > 0 else float("inf")
        if self.rates and not any(r.rate > 0 and r.from_s < end for r in self.rates) \
                and not any(b.at_s < end for b in self.bursts):
            raise ValueError(f"rates: the schedule brings no requests before it ends (duration_s = {self.duration_s:g}): "
                             "give some step before the end a rate above 0")
        return self

    @field_validator("trace")
    @classmethod
    def _printable_path(cls, value: str) -> str:
        if not value.isprintable():                     # a NUL byte makes every path call raise
            raise ValueError("must be a file name without control characters (a NUL byte, a line break, a tab)")
        return value


class SloSection(_Section):
    ttft_ms: float = Field(1000.0, ge=0.001, le=3_600_000)
    tpot_ms: float = Field(100.0, ge=0.001, le=600_000)
    attainment: float = Field(0.9, ge=0.01, le=1)


class _System(_Section):
    name: str = Field(..., min_length=1, max_length=80)
    max_prefill_tokens: int = Field(8192, ge=16, le=1_048_576, description="tokens per prefill batch")
    max_batch: int = Field(256, ge=1, le=65_536, description="sequences per instance")
    routing: Literal["least-loaded", "round-robin", "prefix-aware"] = Field(
        "least-loaded", description="how a request picks its (prefill) instance: fewest requests in hand, in "
        "turn, or Dynamo's KV-router cost (overlap_score_weight x blocks to prefill + blocks in use)")
    prefix_cache: bool = Field(False, description="every prefill-capable instance keeps an LRU cache of 512-token "
                               "prefix blocks in the KV memory its requests leave free; a hit skips that prefill")
    overlap_score_weight: float = Field(1.0, ge=0, le=100, description="prefix-aware routing: weight of the "
                                        "blocks still to prefill against the blocks in use (Dynamo's default 1)")
    expert_imbalance: Optional[float] = Field(None, ge=1, le=10, description="with ep > 1: routed tokens on the "
                                              "busiest GPU over the mean (default 1.25, EPLB)")
    two_batch_overlap: bool = Field(False, description="with ep > 1: two micro-batches hide the all-to-all under "
                                    "compute (DeepSeek, SGLang)")

    def _check_parallel(self, prefix: str, tp: int, ep: int, attention: str) -> None:
        if ep > 1 and tp > 1:
            raise ValueError(f"{prefix}ep = {ep} with {prefix}tp = {tp}: an expert-parallel instance spans ep GPUs, "
                             f"so {prefix}tp must stay 1 ({prefix}attention = \"tp\" runs attention tensor-parallel "
                             f"over all of them)")
        if attention == "dp" and ep <= 1:
            raise ValueError(f"{prefix}attention = \"dp\" needs {prefix}ep > 1 (DP attention gives each GPU of an "
                             f"expert-parallel instance its own sequences)")

    def expert_parallel_pools(self) -> list[tuple[str, int]]:
        """(key prefix, ep) of every pool with ep > 1."""
        return []


class ColocatedSystem(_System):
    kind: Literal["colocated"] = "colocated"
    gpu: Optional[GpuId] = Field(None, description="GPU preset it runs on (default: [hardware] gpu)")
    instances: int = Field(4, ge=1, le=64)
    tp: TpDegree = 1
    chunked_prefill: bool = False
    chunk_tokens: int = Field(512, ge=16, le=65_536, description="token budget per iteration")
    ep: int = Field(1, ge=1, le=MAX_EP, description=_EP_HELP)
    attention: Attention = Field("tp", description=_ATTENTION_HELP)

    @model_validator(mode="after")
    def _parallel_makes_sense(self):
        self._check_parallel("", self.tp, self.ep, self.attention)
        return self

    def expert_parallel_pools(self) -> list[tuple[str, int]]:
        return [("", self.ep)] if self.ep > 1 else []

    @property
    def gpus(self) -> int:
        return self.instances * (self.ep if self.ep > 1 else self.tp)


# The physics a pool's GPU may override, as [hardware] does for the scenario's (same bounds and
# descriptions: the fields are HardwareSection's). The engine profile stays the scenario's.
POOL_PHYSICS = ("peak_tflops", "peak_fp8_tflops", "hbm_tb_per_s", "memory_gb", "allreduce_gb_per_s",
                "allreduce_latency_us", "price_per_hour", "tdp_w")
PoolHardware = create_model(
    "PoolHardware", __base__=_Section, __doc__="Physics of a pool's GPU that differ from its preset.",
    **{name: (HardwareSection.model_fields[name].annotation, HardwareSection.model_fields[name])
       for name in POOL_PHYSICS})


class DynamicPools(_Section):
    """A planner that moves instances between a split system's prefill and decode pools (its GPUs
    stay the same). The policy and where its defaults come from: docs/engine.md, "Dynamic pools"
    (NVIDIA Dynamo's load-based planner)."""
    adjustment_interval_s: float = Field(30.0, ge=1, le=86_400, description="the planner reads its signals "
                                         "and may start one move this often (Dynamo's default 30 s)")
    switch_s: float = Field(10.0, ge=0, le=3600, description="role change of a drained instance: it is on duty "
                            "in the other pool this long after its last work ended")
    dwell_s: Optional[float] = Field(None, ge=0, le=86_400, description="an instance stays at least this long in "
                                     "a pool it moved to (default: three adjustment intervals, Dynamo's grace "
                                     "period for a new decode worker)")
    prefill_queue_up: float = Field(0.5, ge=0, le=100_000, description="prefill is short above this many "
                                    "requests waiting per prefill instance (Dynamo's default 0.5)")
    prefill_queue_down: float = Field(0.2, ge=0, le=100_000, description="prefill can spare an instance below "
                                      "this (Dynamo's default 0.2)")
    decode_kv_up: float = Field(0.9, ge=0, le=1, description="decode is short above this share of its KV memory "
                                "in use (Dynamo's default 0.9)")
    decode_kv_down: float = Field(0.5, ge=0, le=1, description="decode can spare an instance below this share "
                                  "(Dynamo's default 0.5)")
    min_instances: int = Field(1, ge=1, le=63, description="each pool keeps at least this many instances "
                               "(Dynamo's --min-endpoint)")
    ttft_ms: Optional[float] = Field(None, ge=0, le=3_600_000, description="prefill is also short when the mean "
                                     "TTFT of the last interval is above this (default: [slo] ttft_ms; 0: not "
                                     "watched)")
    tpot_ms: Optional[float] = Field(None, ge=0, le=600_000, description="decode is also short when the mean TPOT "
                                     "of the last interval is above this (default: [slo] tpot_ms; 0: not watched)")

    @model_validator(mode="after")
    def _thresholds_in_order(self):
        for name in ("prefill_queue", "decode_kv"):
            down, up = getattr(self, f"{name}_down"), getattr(self, f"{name}_up")
            if down > up:
                raise ValueError(f"{name}_down = {down} is above {name}_up = {up}: allowed {name}_down <= "
                                 f"{name}_up (below the one the pool spares an instance, above the other it "
                                 f"needs one)")
        return self

    @property
    def dwell(self) -> float:
        return self.dwell_s if self.dwell_s is not None else 3 * self.adjustment_interval_s


class DisaggregatedSystem(_System):
    kind: Literal["disaggregated"] = "disaggregated"
    prefill_instances: int = Field(2, ge=1, le=64)
    prefill_tp: TpDegree = 1
    decode_instances: int = Field(2, ge=1, le=64)
    decode_tp: TpDegree = 1
    link: Optional[LinkId] = Field(None, description="link preset id (per port per direction; the preset says "
                                   "whether a port is per GPU or a NIC per node)")
    link_gb_per_s: Optional[float] = Field(None, ge=0.001, le=10_000, description="overrides the preset, GB/s")
    link_latency_ms: float = Field(0.01, ge=0, le=10_000)
    link_efficiency: float = Field(0.8, ge=0.01, le=1, description="share of the link's peak a transfer reaches")
    link_ports_per_node: Optional[int] = Field(
        None, ge=1, le=64, description="link ports (GPU links or NICs) per 8-GPU node; a pool's instances share "
        "its nodes' ports, and a KV shipment stripes over at most its instance's share (default: the link "
        "preset's: 8, one per GPU, for NVLink, PCIe and InfiniBand; 1 for Ethernet; 8 with link_gb_per_s alone)")
    layerwise_transfer: bool = Field(False, description="every request of a prefill batch streams its KV "
                                     "layer by layer while the batch runs")
    prefill_gpu: Optional[GpuId] = Field(None, description="GPU preset of the prefill pool (default: [hardware] "
                                         "gpu; the scenario's engine profile applies)")
    decode_gpu: Optional[GpuId] = Field(None, description="GPU preset of the decode pool (default: [hardware] gpu)")
    prefill_hardware: PoolHardware = Field(default_factory=PoolHardware, description="the prefill pool's GPU "
                                           "physics that differ from its preset")
    decode_hardware: PoolHardware = Field(default_factory=PoolHardware, description="the decode pool's GPU physics "
                                          "that differ from its preset")
    first_token: Literal["decode", "prefill"] = Field(
        "decode", description="who sends the first token: the decode instance after the KV lands (vLLM, SGLang "
        "P/D behind one endpoint) or the prefill instance when its prefill ends (DistServe, Splitwise)")
    prefill_ep: int = Field(1, ge=1, le=MAX_EP, description="prefill pool: " + _EP_HELP)
    prefill_attention: Attention = Field("tp", description="prefill pool: " + _ATTENTION_HELP)
    decode_ep: int = Field(1, ge=1, le=MAX_EP, description="decode pool: " + _EP_HELP)
    decode_attention: Attention = Field("tp", description="decode pool: " + _ATTENTION_HELP)
    dynamic_pools: Optional[DynamicPools] = Field(None, description="a planner moves instances between the "
                                                  "prefill and decode pools (both pools on the same GPU and TP)")

    @model_validator(mode="after")
    def _needs_a_link(self):
        if self.link is None and self.link_gb_per_s is None:
            raise ValueError("needs `link` (a preset id) or `link_gb_per_s`")
        if self.dynamic_pools is not None:
            self._pools_interchangeable()
            least = self.dynamic_pools.min_instances
            for pool in ("prefill", "decode"):
                n = getattr(self, f"{pool}_instances")
                if n < least:
                    raise ValueError(f"{pool}_instances = {n} is below dynamic_pools.min_instances = {least}: allowed "
                                     f"{pool}_instances >= min_instances (the planner keeps each pool at least that "
                                     f"large)")
        self._check_parallel("prefill_", self.prefill_tp, self.prefill_ep, self.prefill_attention)
        self._check_parallel("decode_", self.decode_tp, self.decode_ep, self.decode_attention)
        return self

    def expert_parallel_pools(self) -> list[tuple[str, int]]:
        return [(f"{role}_", ep) for role, ep in (("prefill", self.prefill_ep), ("decode", self.decode_ep)) if ep > 1]

    def _pools_interchangeable(self) -> None:
        """A planner moves an instance from one pool to the other as it is: both pools must run the
        same GPU with the same parallelism."""
        for key in ("gpu", "tp", "ep", "attention", "hardware"):
            p, d = getattr(self, f"prefill_{key}"), getattr(self, f"decode_{key}")
            if p != d:
                def shown(v):
                    if key == "hardware":
                        return v.model_dump(exclude_none=True)
                    return "(the [hardware] gpu)" if v is None else (f'"{v}"' if isinstance(v, str) else v)
                raise ValueError(f"dynamic_pools: decode_{key} = {shown(d)} differs from prefill_{key} = {shown(p)}: "
                                 f"a planner moves "
                                 f"instances between the pools, so both must use the same GPU type and TP "
                                 f"(allowed: decode_{key} equal to prefill_{key})")

    @property
    def prefill_gpus_per_instance(self) -> int:
        return self.prefill_ep if self.prefill_ep > 1 else self.prefill_tp

    @property
    def decode_gpus_per_instance(self) -> int:
        return self.decode_ep if self.decode_ep > 1 else self.decode_tp

    @property
    def gpus(self) -> int:
        return (self.prefill_instances * self.prefill_gpus_per_instance
                + self.decode_instances * self.decode_gpus_per_instance)

    @property
    def link_peak_gb_per_s(self) -> float:
        return self.link_gb_per_s if self.link_gb_per_s is not None else LINKS[self.link]

    @property
    def link_ports(self) -> int:
        """Link ports per node: the file's, else the preset's (one per GPU without a preset)."""
        if self.link_ports_per_node is not None:
            return self.link_ports_per_node
        return LINK_PORTS_PER_NODE.get(self.link, GPUS_PER_NODE) if self.link else GPUS_PER_NODE


System = Annotated[Union[ColocatedSystem, DisaggregatedSystem], Field(discriminator="kind")]
SYSTEM_MODELS = {"colocated": ColocatedSystem, "disaggregated": DisaggregatedSystem}


def system_fields(table: dict) -> dict:
    """The file format's fields of a raw ``[[systems]]`` table (by its ``kind``; colocated if
    unset or unknown: validation says so), for code that edits files before they validate."""
    return SYSTEM_MODELS.get(table.get("kind"), ColocatedSystem).model_fields


def has_pools(table_or_system) -> bool:
    """Whether a system (a raw table or a validated one) has separate prefill and decode pools."""
    fields = system_fields(table_or_system) if isinstance(table_or_system, dict) \
        else type(table_or_system).model_fields
    return "prefill_instances" in fields


class PlannerSection(_Section):
    gpus: list[GpuId] = Field(default_factory=list, max_length=5,
                              description="GPU presets the planner may use (each pool of a split may take any of "
                                          "them); empty: [hardware] gpu only")


class Scenario(_Section):
    schema_version: int = Field(SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    title: str = Field("Untitled scenario", max_length=200)
    description: str = Field("", max_length=20_000)
    model: ModelSection = Field(default_factory=ModelSection)
    hardware: HardwareSection = Field(default_factory=HardwareSection)
    workload: WorkloadSection = Field(default_factory=WorkloadSection)
    slo: SloSection = Field(default_factory=SloSection)
    systems: list[System] = Field(..., min_length=1, max_length=8)
    view: ViewSection = Field(default_factory=ViewSection)
    teacher: TeacherSection = Field(default_factory=TeacherSection)
    lesson: LessonSection = Field(default_factory=LessonSection)
    planner: PlannerSection = Field(default_factory=PlannerSection)
    faults: list[FaultSection] = Field(default_factory=list, max_length=64,
                                       description="what breaks during the run, and when")

    @model_validator(mode="after")
    def _faults_hit_something(self):
        check_faults(self.faults, self.systems)
        return self

    @model_validator(mode="after")
    def _experts_to_spread(self):
        """Expert parallelism needs routed experts, no more GPUs than experts."""
        experts = self.model.resolved()["experts"]
        for k, s in enumerate(self.systems):
            for prefix, ep in s.expert_parallel_pools():
                if not experts:
                    raise ValueError(f"systems.{k}.{prefix}ep = {ep}: model {self.model.preset!r} has no routed "
                                     f"experts; expert parallelism needs a mixture-of-experts model (or ep = 1)")
                if ep > experts:
                    raise ValueError(f"systems.{k}.{prefix}ep = {ep}: more GPUs than the model's {experts} routed "
                                     f"experts; use ep <= {experts}")
        return self

    def simulated_part(self) -> "Scenario":
        """The scenario without what only affects showing it (equal parts -> equal results)."""
        return self.model_copy(update={"view": ViewSection(), "teacher": TeacherSection(), "lesson": LessonSection(),
                                       "planner": PlannerSection()})
