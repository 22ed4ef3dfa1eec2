"""A validated scenario's systems, resolved once: one immutable spec per system.

The model and each pool's GPU are resolved here and nowhere else: a spec carries every number the
engines, explore, the CLI, export and playback need (a pool's packed cost vector, KV capacity,
price and power; the link's ports, rate and latency). This module and the runner's engine
dispatch are the only places that tell a system's kind apart; everyone else reads a spec's
properties (``is_split``, ``has_link``, ``pools``, ``prefill_pool``, ``decode_pool``).

A new system kind (say, prefill-decode with a shared pool) gets its builder here and its engine
in the runner's dispatch; new pool physics (a field a pool's GPU or engine profile carries) goes
into ``PoolSpec`` and the packed cost vector (sim/cost_model.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from disagg_viz.presets import GPUS_PER_NODE, kv_bytes_resolved, pool_hardware
from disagg_viz.scenario.faults import instance_faults, port_faults
from disagg_viz.scenario.model import ColocatedSystem, SloSection, overridden
from disagg_viz.sim.cost_model import kv_capacity_resolved, pack_resolved
from disagg_viz.sim.expert_parallel import DEFAULT_EXPERT_IMBALANCE, layout

# A pool's role, per instance in a result (``SystemResult.roles``).
ROLE_COLOCATED = 0
ROLE_PREFILL = 1
ROLE_DECODE = 2


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class PoolSpec:
    """Instances of one role on one GPU type, as the engines see them."""
    role: int                     # ROLE_COLOCATED / ROLE_PREFILL / ROLE_DECODE
    first: int                    # global id of its first instance (decode pool: after the prefill pool)
    instances: int
    tp: int                       # GPUs per instance (with ep > 1: ep)
    gpu: str                      # GPU preset id ("" for a custom one)
    hardware: Mapping             # GPU physics + the scenario's engine profile, read-only
    cost: np.ndarray              # packed cost vector (sim/cost_model.py CM_*), read-only
    kv_capacity_tokens: int       # per instance, after the weights (<= 0: the weights do not fit)
    kv_bytes_per_token: float     # whole model, all layers
    dollars_per_hour: float       # all its GPUs at their example prices
    power_w: float                # all its GPUs at board power
    ep: int = 1                   # GPUs the routed experts are spread over (1: tensor-parallel experts)
    attention: str = "tp"         # "tp" (tensor-parallel over attention_tp GPUs) or "dp" (one group per GPU)
    attention_tp: int = 1         # GPUs one attention group spans

    @property
    def gpus(self) -> int:
        return self.instances * self.tp

    @property
    def fits(self) -> bool:
        """The model's weights fit on an instance and leave room for KV."""
        return self.kv_capacity_tokens > 0

    @property
    def ids(self) -> range:
        """Global instance ids."""
        return range(self.first, self.first + self.instances)


@dataclass(frozen=True)
class LinkSpec:
    """The KV link between the prefill pool (senders) and the decode pool (receivers). Every
    instance has one port; a shipment holds its sender's and its receiver's port and is striped
    over ``stripes`` link ports at each end: one per GPU pair (min of the two TPs) where every GPU
    has its own link, fewer where an instance's share of its nodes' NICs is smaller (Ethernet: one
    NIC per node, shared by the instances that ship at once; a share below 1 is a fraction of a
    NIC). The share is set for the busiest link, a static approximation: flows do not speed up
    while a node's other instances are idle. Names, one per quantity: *peak* is the
    hardware's per-GPU figure, a *port* rate is one shipment's achieved rate, *max* is every port
    pair busy at once; achieved rates over time and shipped bytes come from the engine's shipment
    log (sim/layout.py SH_*)."""
    senders: int                  # sending ports (prefill instances)
    receivers: int                # receiving ports (decode instances)
    peak_gb_per_s: float          # peak per GPU per direction (the scenario's link_gb_per_s / preset)
    efficiency: float             # share of the peak a transfer reaches
    stripes: float                # ports a shipment is striped over: min(prefill tp, decode tp, NIC shares)
    ports_per_node: int           # link ports (GPU links or NICs) per node of GPUS_PER_NODE GPUs
    port_bytes_per_s: float       # one shipment's rate through its port pair (all its stripes)
    latency_s: float
    layerwise: bool               # trays stream layer by layer from the prefill's start
    faults: tuple = ()            # (time s, global instance id, share of the rate): the scenario's [[faults]]
    domain_gpus: int = 0          # an NVLink domain larger than a node (NVL72: 72): KV inside it uses NVLink
    nvlink_port_bytes_per_s: float = 0.0   # one shipment's rate inside such a domain
    prefill_gpus: int = 1         # GPUs per instance (where an instance sits in the domains)
    decode_gpus: int = 1

    @property
    def domain_row(self):
        """What the engines read of the domains (sim/layout.py LK_NVLINK_BYTES_PER_S..), or None."""
        if not self.domain_gpus:
            return None
        return (self.nvlink_port_bytes_per_s, self.domain_gpus, self.prefill_gpus, self.decode_gpus, self.senders)

    def same_domain(self, sender: int, receiver: int) -> bool:
        """The two instances (global ids) sit in one NVLink domain larger than a node."""
        if not self.domain_gpus:
            return False
        first_r = self.senders * self.prefill_gpus + (receiver - self.senders) * self.decode_gpus
        return sender * self.prefill_gpus // self.domain_gpus == first_r // self.domain_gpus

    @property
    def max_shipments(self) -> int:
        """Shipments on the wire at once, at most: each holds a sender and a receiver."""
        return min(self.senders, self.receivers)

    @property
    def max_bytes_per_s(self) -> float:
        """Every port pair shipping at once: the most the link moves."""
        return self.port_bytes_per_s * self.max_shipments


@dataclass(frozen=True)
class DynamicSpec:
    """A split system's planner (the file's ``dynamic_pools``, targets resolved against [slo]):
    it moves instances between the pools; ``pools`` give the split it starts from. Rules:
    docs/engine.md, "Dynamic pools"."""
    interval_s: float
    switch_s: float
    dwell_s: float
    prefill_queue_up: float
    prefill_queue_down: float
    decode_kv_up: float
    decode_kv_down: float
    ttft_s: float                 # 0: not watched
    tpot_s: float
    min_instances: int = 1        # each pool keeps at least this many


@dataclass(frozen=True, eq=False)
class SystemSpec:
    name: str
    kind: str                     # the file format's kind, for output and naming only (never branch on it)
    pools: tuple[PoolSpec, ...]   # colocated: one; split: prefill then decode
    link: LinkSpec | None
    chunked: bool                 # chunked prefill (colocated pools only)
    chunk_tokens: int
    max_prefill_tokens: int
    max_batch: int
    first_token: str              # who sends the first token: "decode" | "prefill" | "colocated"
    model: Mapping                # the resolved model (presets.resolve_model), read-only
    routing: str = "least-loaded"  # sim/layout.py ROUTINGS: how arrivals pick their (prefill) instance
    prefix_cache: bool = False    # prefill-capable instances keep an LRU cache of prefix blocks
    overlap_score_weight: float = 1.0   # prefix-aware routing's weight of the blocks to prefill
    instance_faults: tuple = ()   # (time s, global instance id, 1 back / 0 lost): the [[faults]] that take a station
    dynamic: DynamicSpec | None = None  # a planner moves instances between the pools (``pools``: the start)

    # --- shape ---------------------------------------------------------------------------
    @property
    def is_split(self) -> bool:
        """Prefill and decode run on separate pools."""
        return len(self.pools) > 1

    @property
    def has_link(self) -> bool:
        return self.link is not None

    @property
    def prefill_pool(self) -> PoolSpec:
        return self.pools[0]

    @property
    def decode_pool(self) -> PoolSpec:
        return self.pools[-1]

    @property
    def first_from_prefill(self) -> bool:
        """The prefill instance sends the first token when its prefill ends."""
        return self.first_token == "prefill"

    @property
    def most_decode_instances(self) -> int:
        """The most instances that may decode at once: with a planner, all but the prefill pool's
        least (the run budget counts the smallest batches that allows)."""
        if self.dynamic is not None and self.is_split:
            return self.n_instances - self.dynamic.min_instances
        return self.decode_pool.instances

    # --- per instance --------------------------------------------------------------------
    @property
    def n_instances(self) -> int:
        return sum(p.instances for p in self.pools)

    @property
    def gpus(self) -> int:
        return sum(p.gpus for p in self.pools)

    @property
    def fits(self) -> bool:
        return all(p.fits for p in self.pools)

    def per_instance(self, field: str) -> np.ndarray:
        return np.concatenate([np.full(p.instances, getattr(p, field)) for p in self.pools])

    @property
    def roles(self) -> np.ndarray:
        return self.per_instance("role")

    @property
    def tp(self) -> np.ndarray:
        return self.per_instance("tp")

    @property
    def kv_capacity_tokens(self) -> np.ndarray:
        return self.per_instance("kv_capacity_tokens")

    @property
    def gpu_names(self) -> list[str]:
        return [p.gpu for p in self.pools for _ in range(p.instances)]

    # --- the whole system ----------------------------------------------------------------
    @property
    def kv_bytes_per_token(self) -> float:
        return self.pools[0].kv_bytes_per_token

    @property
    def dollars_per_hour(self) -> float:
        return sum(p.dollars_per_hour for p in self.pools)

    @property
    def power_kw(self) -> float:
        return sum(p.power_w for p in self.pools) / 1e3


def _pool(role: int, first: int, instances: int, tp: int, hw: dict, model: dict, ep: int = 1, attention: str = "tp",
          imbalance: float | None = None, tbo: bool = False) -> PoolSpec:
    lay = layout(tp, ep, attention)
    gpus = instances * lay.gpus
    cost = pack_resolved(model, hw, tp, ep, attention,
                         DEFAULT_EXPERT_IMBALANCE if imbalance is None else imbalance, tbo)
    return PoolSpec(role=role, first=first, instances=instances, tp=lay.gpus, gpu=hw.get("gpu", ""),
                    hardware=MappingProxyType(dict(hw)), cost=_frozen(cost),
                    kv_capacity_tokens=kv_capacity_resolved(model, hw, tp, ep, attention),
                    kv_bytes_per_token=kv_bytes_resolved(model),
                    dollars_per_hour=gpus * hw.get("price_per_hour", 0.0), power_w=gpus * hw.get("tdp_w", 0.0),
                    ep=lay.ep, attention=attention if lay.ep > 1 else "tp", attention_tp=lay.attention_tp)


def port_share(instances: int, tp: int, ports_per_node: int, busiest: int) -> float:
    """Link ports one shipping instance of a pool has: the pool fills ceil(GPUs / GPUS_PER_NODE)
    nodes, whose ports are shared evenly by the pool's instances that ship at once when the link is
    at its busiest (``busiest`` = min(senders, receivers) shipments). With one port per GPU this is
    at least the instance's TP, so striping is min(tp) as without NICs."""
    nodes = -(-instances * tp // GPUS_PER_NODE)
    return nodes * ports_per_node / min(instances, busiest)


def _domain(hw_p: dict, hw_d: dict, g_p: int, g_d: int, efficiency: float) -> dict:
    """LinkSpec fields of an NVLink domain larger than a node shared by both pools (NVL72); none
    for 8-GPU nodes, whose NVLink the scenario's ``link`` already names."""
    d = int(hw_p.get("nvlink_domain_gpus", GPUS_PER_NODE))
    if d <= GPUS_PER_NODE or d != int(hw_d.get("nvlink_domain_gpus", GPUS_PER_NODE)) or hw_p.get("gpu") != hw_d.get("gpu"):
        return {}
    nv = min(hw_p["nvlink_gb_per_s"], hw_d["nvlink_gb_per_s"]) * 1e9 * efficiency * min(g_p, g_d)
    return dict(domain_gpus=d, nvlink_port_bytes_per_s=nv, prefill_gpus=g_p, decode_gpus=g_d)


def dynamic_spec(plan, slo) -> DynamicSpec | None:
    """The planner of a system's ``dynamic_pools`` section (None: static pools); its TTFT and TPOT
    targets default to the scenario's SLO (``slo``: its [slo] section)."""
    if plan is None:
        return None
    return DynamicSpec(interval_s=plan.adjustment_interval_s, switch_s=plan.switch_s, dwell_s=plan.dwell,
                       prefill_queue_up=plan.prefill_queue_up, prefill_queue_down=plan.prefill_queue_down,
                       decode_kv_up=plan.decode_kv_up, decode_kv_down=plan.decode_kv_down,
                       ttft_s=(plan.ttft_ms if plan.ttft_ms is not None else slo.ttft_ms) / 1e3,
                       tpot_s=(plan.tpot_ms if plan.tpot_ms is not None else slo.tpot_ms) / 1e3,
                       min_instances=plan.min_instances)


def system_spec(system, model: dict, hardware: dict, faults=(), slo=None) -> SystemSpec:
    """One scenario system (a validated ColocatedSystem or DisaggregatedSystem), with the
    scenario's resolved model (``scenario.model.resolved()``) and hardware; ``slo``: its [slo]
    section (a planner's default targets; the file format's defaults without one)."""
    common = dict(name=system.name, kind=system.kind, max_prefill_tokens=system.max_prefill_tokens,
                  max_batch=system.max_batch, model=MappingProxyType(dict(model)), routing=system.routing,
                  prefix_cache=system.prefix_cache, overlap_score_weight=system.overlap_score_weight,
                  instance_faults=instance_faults(faults, system))
    if isinstance(system, ColocatedSystem):
        hw = pool_hardware(hardware, system.gpu)
        ep = dict(ep=system.ep, attention=system.attention, imbalance=system.expert_imbalance,
                  tbo=system.two_batch_overlap)
        return SystemSpec(pools=(_pool(ROLE_COLOCATED, 0, system.instances, system.tp, hw, model, **ep),), link=None,
                          chunked=system.chunked_prefill, chunk_tokens=system.chunk_tokens, first_token="colocated",
                          **common)
    hw_p = overridden(pool_hardware(hardware, system.prefill_gpu), system.prefill_hardware)
    hw_d = overridden(pool_hardware(hardware, system.decode_gpu), system.decode_hardware)
    n_p, n_d = system.prefill_instances, system.decode_instances
    ports = system.link_ports
    busiest = min(n_p, n_d)            # shipments on the wire at once, at most
    g_p, g_d = system.prefill_gpus_per_instance, system.decode_gpus_per_instance   # (with ep > 1: ep)
    stripes = min(g_p, g_d, port_share(n_p, g_p, ports, busiest), port_share(n_d, g_d, ports, busiest))
    link = LinkSpec(senders=n_p, receivers=n_d, peak_gb_per_s=system.link_peak_gb_per_s,
                    efficiency=system.link_efficiency, stripes=stripes, ports_per_node=ports,
                    port_bytes_per_s=system.link_peak_gb_per_s * 1e9 * system.link_efficiency * stripes,
                    latency_s=system.link_latency_ms * 1e-3, layerwise=system.layerwise_transfer,
                    faults=port_faults(faults, system), **_domain(hw_p, hw_d, g_p, g_d, system.link_efficiency))
    shared = dict(imbalance=system.expert_imbalance, tbo=system.two_batch_overlap)
    return SystemSpec(pools=(_pool(ROLE_PREFILL, 0, n_p, system.prefill_tp, hw_p, model, system.prefill_ep,
                                   system.prefill_attention, **shared),
                             _pool(ROLE_DECODE, n_p, n_d, system.decode_tp, hw_d, model, system.decode_ep,
                                   system.decode_attention, **shared)),
                      link=link, chunked=False, chunk_tokens=0, first_token=system.first_token,
                      dynamic=dynamic_spec(system.dynamic_pools, slo if slo is not None else SloSection()), **common)


def scenario_specs(scenario, systems=None) -> tuple[SystemSpec, ...]:
    """Every system of a validated scenario, in order (the model and hardware resolved once);
    ``systems``: other systems of the file format to resolve with this scenario's model and
    hardware instead (explore's variants)."""
    model, hardware = scenario.model.resolved(), scenario.hardware.resolved()
    faults = scenario.faults
    return tuple(system_spec(s, model, hardware, faults, scenario.slo) for s in (scenario.systems if systems is None else systems))
