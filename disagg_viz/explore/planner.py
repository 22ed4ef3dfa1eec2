"""The xPyD planner: for N GPUs and a scenario's model, GPU, link, traffic and SLOs, rank every
colocated layout (prefill-first and chunked, each TP degree) and every disaggregated split
x prefill + y decode instances (each side's TP degree, x*tp_p + y*tp_d = N) by goodput per GPU,
with the reason each one loses; and find the smallest N at which disaggregation wins."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from disagg_viz.explore.goodput import Goodput, Slo, goodput, request_mix
from disagg_viz.explore.pool import Progress, run_all
from disagg_viz.scenario.model import ColocatedSystem, DisaggregatedSystem
from disagg_viz.presets import GPU_LABELS
from disagg_viz.sim.per_node import per_node
from disagg_viz.sim.specs import SystemSpec, scenario_specs

TP_CHOICES = (1, 2, 4, 8)
# Expert-parallel layouts the planner also tries for a mixture-of-experts model: (ep, attention).
# DP attention at every EP size; attention TP over one or two nodes, the TP-only baselines of
# SGLang's and DeepSeek's comparisons.
EP_CHOICES = tuple((ep, "dp") for ep in (8, 16, 32, 64)) + ((8, "tp"), (16, "tp"))
MAX_PLAN_GPUS = 64


@dataclass
class Candidate:
    system: object                   # ColocatedSystem | DisaggregatedSystem (the file format's)
    label: str
    spec: SystemSpec | None = None   # resolved by plan()
    goodput: Goodput | None = None
    reason: str = ""                 # why it ranks below the best ("" for the best)

    per_unit: str = "gpu"            # what the plan ranks by: per GPU, per dollar-hour or per kW

    @property
    def per_gpu(self) -> float:
        return self.goodput.per_gpu if self.goodput else 0.0

    @property
    def value(self) -> float:
        """The goodput the plan ranks by (per GPU, per $/h or per kW)."""
        return self.goodput.per(self.per_unit) if self.goodput else 0.0

    @property
    def kind(self) -> str:
        """The file format's kind, for output only."""
        return self.system.kind

    @property
    def is_split(self) -> bool:
        return self.spec.is_split


@dataclass
class Plan:
    gpus: int
    ranked: list[Candidate]
    smallest_winning_gpus: int | None = None     # disaggregation beats colocation from here on
    checked_up_to: int = 0
    mean_prompt: float = 0.0                     # of the request mix (for the per-node figures)
    mean_output: float = 0.0

    def per_node(self, c: Candidate) -> tuple[float, float]:
        """(input tokens/s per prefill node, output tokens/s per decode node) of a candidate at its
        goodput: what operators publish (node = 8 GPUs or the NVLink domain; colocated: all GPUs)."""
        if c.goodput is None or c.spec is None:
            return 0.0, 0.0
        p, d = c.spec.prefill_pool, c.spec.decode_pool
        rate = c.goodput.rate
        return (per_node(rate * self.mean_prompt, 1.0, p.gpus, p.hardware),
                per_node(rate * self.mean_output, 1.0, d.gpus, d.hardware))

    @property
    def best(self) -> Candidate:
        return self.ranked[0]

    def best_of(self, split: bool) -> Candidate | None:
        """The best split (or colocated) candidate."""
        return next((c for c in self.ranked if c.is_split == split), None)


def _templates(scenario):
    specs = scenario_specs(scenario)
    col = next((s for s, spec in zip(scenario.systems, specs) if not spec.is_split), None)
    dis = next((s for s, spec in zip(scenario.systems, specs) if spec.is_split), None)
    col = col or ColocatedSystem(name="colocated")
    dis = dis or DisaggregatedSystem(name="disaggregated", link="nvlink4")
    return col, dis


def candidates(scenario, n: int) -> list[Candidate]:
    """Every colocated layout and xPyD split of n GPUs; with [planner] gpus, on each listed GPU
    (and every prefill/decode pairing of them)."""
    col, dis = _templates(scenario)
    gpus = list(scenario.planner.gpus) or [None]
    mixed = len(gpus) > 1
    short = lambda g: GPU_LABELS[g].split()[0] if g else ""
    experts = scenario.model.resolved()["experts"]
    layouts = pool_layouts(experts)
    out = []
    for g in gpus:
        for size, tp, ep, attention in layouts:
            if n % size == 0:
                for chunked in (False, True):
                    name = f"colocated {n // size}x {_layout_name(tp, ep, attention)}" + (
                        ", chunked" if chunked else "") + (f" on {short(g)}" if mixed else "")
                    out.append(Candidate(col.model_copy(update=dict(
                        name=name, instances=n // size, tp=tp, ep=ep, attention=attention, chunked_prefill=chunked,
                        gpu=g or col.gpu)), name))
    for gp in gpus:
        for gd in gpus:
            out += _splits(dis, n, gp, gd, f" {short(gp)}/{short(gd)}" if mixed else "", layouts)
    return out


def pool_layouts(experts: int) -> list[tuple[int, int, int, str]]:
    """(GPUs per instance, tp, ep, attention) of every instance layout the planner tries: each TP
    degree, and for a mixture-of-experts model the expert-parallel ones (EP_CHOICES up to its
    routed experts)."""
    out = [(tp, tp, 1, "tp") for tp in TP_CHOICES]
    if experts:
        out += [(ep, 1, ep, attention) for ep, attention in EP_CHOICES if ep <= experts]
    return out


def _layout_name(tp: int, ep: int, attention: str) -> str:
    if ep > 1:
        return f"EP{ep}" + ("-DP" if attention == "dp" else "-TP")
    return f"TP{tp}"


def _splits(dis, n: int, gp, gd, suffix: str, layouts) -> list[Candidate]:
    out = []
    for size_p, tp_p, ep_p, att_p in layouts:
        for size_d, tp_d, ep_d, att_d in layouts:
            for x in range(1, n // size_p + 1):
                rest = n - x * size_p
                if rest <= 0 or rest % size_d:
                    continue
                y = rest // size_d
                lp, ld = _layout_name(tp_p, ep_p, att_p), _layout_name(tp_d, ep_d, att_d)
                name = f"{x}P{y}D" + ("" if lp == ld == "TP1" else f" ({lp}/{ld})") + suffix
                out.append(Candidate(dis.model_copy(update=dict(
                    name=name, prefill_instances=x, prefill_tp=tp_p, decode_instances=y, decode_tp=tp_d,
                    prefill_ep=ep_p, prefill_attention=att_p, decode_ep=ep_d, decode_attention=att_d,
                    prefill_gpu=gp or dis.prefill_gpu, decode_gpu=gd or dis.decode_gpu)), name))
    return out


def _why(c: Candidate, best: Candidate) -> str:
    """What fails first as candidate c's load rises past its goodput (its first failing probe)."""
    if c.goodput is None:
        return "memory: the weights do not fit on its GPUs"
    p = c.goodput.limit
    if p is None:
        return "slower per GPU (meets the SLO up to the highest rate tried)"
    at = f"at {p.rate:.3g} req/s"
    if p.rejected > 0:
        return f"memory: {p.rejected:.0%} of requests cannot fit their KV cache"
    if c.spec.has_link:
        late = c.spec.first_from_prefill
        felt = "the gap before the second token" if late else "TTFT"
        parts = {"plating line full: waiting for decode KV room": p.kv_wait_share,
                 "link busy: waiting for a link": p.kv_queue_share,
                 "link: KV on the wire": p.kv_wire_share}
        what, share = max(parts.items(), key=lambda kv: kv[1])
        # A full decode pool also holds trays in prefill memory, so its cost shows up upstream
        # too: a tenth of the felt latency is worth naming.
        if share > 0.1 and (p.tpot_ok < p.ttft_ok if late else p.ttft_ok < p.tpot_ok):
            return f"{what} is {share:.0%} of {felt} {at}"
    if p.ttft_ok <= p.tpot_ok:
        return f"TTFT: only {p.ttft_ok:.0%} meet it {at}"
    return f"TPOT: only {p.tpot_ok:.0%} meet it {at}"


def plan(scenario, n: int, base_dir=None, cancel: threading.Event | None = None, progress=None,
         find_smallest: bool = True, threads: int | None = None, per: str = "gpu") -> Plan:
    if not 1 <= n <= MAX_PLAN_GPUS:
        from disagg_viz.scenario.errors import Problem, ScenarioError
        raise ScenarioError([Problem("--gpus", f"must be between 1 and {MAX_PLAN_GPUS}", n)])
    mix = request_mix(scenario, base_dir)
    slo = Slo.of(scenario)
    cancel = cancel or threading.Event()
    sizes = list(range(2, n + 1)) if find_smallest else [n]
    if n not in sizes:
        sizes.append(n)
    groups = {m: candidates(scenario, m) for m in sizes}
    for g in groups.values():
        for c, spec in zip(g, scenario_specs(scenario, [c.system for c in g])):
            c.per_unit = per
            c.spec = spec
    tracker = Progress(sum(len(g) for g in groups.values()), progress)

    def evaluate(c: Candidate) -> None:
        if c.spec.fits:
            c.goodput = goodput(c.spec, mix, slo, cancel=cancel)
        tracker.step()

    run_all([lambda c=c: evaluate(c) for g in groups.values() for c in g], cancel, threads)
    ranked = sorted(groups[n], key=lambda c: (-c.value, c.label))
    best = ranked[0]
    for c in ranked[1:]:
        c.reason = _why(c, best)
    smallest = None
    for m in sorted(groups):
        g = groups[m]
        d = max((c.value for c in g if c.is_split), default=0.0)
        col = max((c.value for c in g if not c.is_split), default=0.0)
        if d > col:
            smallest = m
            break
    return Plan(n, ranked, smallest, max(sizes), float(mix.prompt.mean()), float(mix.output.mean()))
