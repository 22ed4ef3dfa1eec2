"""Goodput (DistServe): the highest arrival rate at which at least ``slo.attainment`` of requests
meet both the TTFT and the TPOT SLO, with the scenario's request mix.

The request mix is fixed once (lengths, and arrival times of a rate-1 process, or the trace's
own); a rate r only rescales the arrival times, so every rate sees the same requests in the same
order. Attainment falls with rate; bisection over rate finds where it crosses the target.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from disagg_viz.i18n import N_
from disagg_viz.sim.layout import L_END, L_START
from disagg_viz.sim.runner import simulate_system
from disagg_viz.sim.specs import SystemSpec, scenario_specs
from disagg_viz.sim.workload import Workload, build

MAX_RATE = 10_000.0          # requests/s; the scenario model's own limit
MIN_RATE = 1e-3
REL_TOL = 0.02               # bisection stops when hi/lo - 1 < this
IDLE_BUSY = 0.15             # failing while this idle: lowering the rate will not help


class Cancelled(Exception):
    """The user stopped the computation (Ctrl+C, or Cancel in the app)."""


@dataclass(frozen=True)
class Mix:
    """The scenario's requests at rate 1 (``unit_arrival``): any rate is ``unit_arrival / rate``."""
    unit_arrival: np.ndarray
    prompt: np.ndarray
    output: np.ndarray
    natural_rate: float          # the scenario's own rate (or the trace's mean rate)
    prefix: object = None        # the requests' prefix blocks (traces.prefix.Prefix), if any

    def at(self, rate: float) -> Workload:
        return Workload(self.unit_arrival / rate, self.prompt, self.output, self.prefix)


def request_mix(scenario, base_dir=None) -> Mix:
    """The scenario's requests at rate 1. A trace or a rate schedule keeps its shape: the whole
    run is scaled, and its mean rate is the natural one."""
    from disagg_viz.sim.rate_schedule import has_schedule
    wl_section = scenario.workload
    if wl_section.trace or has_schedule(wl_section):
        wl = build(wl_section, base_dir)
        span = float(wl.arrival[-1] - wl.arrival[0]) if len(wl) > 1 else 0.0
        natural = (len(wl) - 1) / span if span > 0 else 1.0
        return Mix(wl.arrival * natural, wl.prompt, wl.output, natural, wl.prefix)
    wl = build(wl_section.model_copy(update={"arrival_rate": 1.0}))
    return Mix(wl.arrival, wl.prompt, wl.output, wl_section.arrival_rate, wl.prefix)


@dataclass(frozen=True)
class Slo:
    ttft_s: float
    tpot_s: float
    attainment: float

    @classmethod
    def of(cls, scenario) -> "Slo":
        return cls(scenario.slo.ttft_ms / 1e3, scenario.slo.tpot_ms / 1e3, scenario.slo.attainment)


@dataclass
class Probe:
    """One simulation at one rate: the shares meeting each SLO, and why requests failed."""
    rate: float
    attainment: float
    ttft_ok: float
    tpot_ok: float
    rejected: float
    busy: float                  # share of instance-time spent in iterations (load)
    # Disaggregated: where the trays' time goes, as shares of the latency that feels it (TTFT
    # when the decode instance sends the first token, else the worst gap between tokens).
    kv_wait_share: float = 0.0   # waiting for KV room on the decode pool ("plating line full")
    kv_queue_share: float = 0.0  # waiting for a link ("link busy")
    kv_wire_share: float = 0.0   # on the wire


def probe(spec: SystemSpec, mix: Mix, slo: Slo, rate: float) -> Probe:
    res = simulate_system(spec, mix.at(rate))
    n = max(res.n, 1)
    ttft = res.ttft
    tpot = res.tpot
    served = res.served
    ttft_ok = served & (ttft <= slo.ttft_s)
    tpot_ok = served & (np.isnan(tpot) | (tpot <= slo.tpot_s))
    shares = (0.0, 0.0, 0.0)
    if res.has_link and served.any():
        felt = res.stall if res.spec.first_from_prefill else ttft
        base = max(float(np.nanmean(felt[served])), 1e-12)
        shares = tuple(float(np.nan_to_num(np.nanmean(x[served]))) / base if np.any(~np.isnan(x[served])) else 0.0
                       for x in (res.kv_wait, res.kv_queue, res.kv_wire))
    span = res.end_time - (float(res.arrival[0]) if res.n else 0.0)
    busy = float(np.sum(res.log[:, L_END] - res.log[:, L_START])) / max(span * len(res.roles), 1e-12) if len(res.log) else 0.0
    return Probe(rate, float(np.sum(ttft_ok & tpot_ok)) / n, float(ttft_ok.sum()) / n, float(tpot_ok.sum()) / n,
                 float(res.rejected.sum()) / n, busy, *shares)


@dataclass
class Goodput:
    rate: float                  # requests/s (0 when even a trickle misses the SLO)
    gpus: int
    probes: int                  # simulations it took
    limit: Probe | None          # the first failing probe above the goodput (why it stops there)
    dollars_per_hour: float = 0.0  # all its GPUs at their example prices
    kw: float = 0.0                # all its GPUs at board power

    @property
    def per_gpu(self) -> float:
        return self.rate / self.gpus if self.gpus else 0.0

    def per(self, unit: str) -> float:
        """Goodput per GPU, per dollar-hour (req/s per $/h) or per kW (req/s per kW)."""
        if unit == "gpu":
            return self.per_gpu
        if unit == "dollar":
            return self.rate / self.dollars_per_hour if self.dollars_per_hour > 0 else 0.0
        if unit == "watt":
            return self.rate / self.kw if self.kw > 0 else 0.0
        raise ValueError(f"per must be one of {PER_UNITS}, got {unit!r}")

    def fields(self) -> dict:
        """Its numbers under their JSON keys (metric_ids.JSON_KEYS): what ``goodput --json`` prints
        per system and the scoreboard's goodput rows read through the metric registry."""
        return {"goodput_req_per_s": self.rate, "goodput_req_per_s_per_gpu": self.per_gpu,
                "dollars_per_hour": self.dollars_per_hour, "power_kw": self.kw,
                "goodput_per_dollar_hour": self.per("dollar"), "goodput_per_kw": self.per("watt")}


PER_UNITS = ("gpu", "dollar", "watt")
PER_LABELS = {"gpu": N_("req/s per GPU"), "dollar": N_("req/s per $/h"), "watt": N_("req/s per kW")}


def goodput(spec: SystemSpec, mix: Mix, slo: Slo, guess: float | None = None,
            rel_tol: float = REL_TOL, cancel: threading.Event | None = None) -> Goodput:
    g = _goodput(spec, mix, slo, guess, rel_tol, cancel)
    g.dollars_per_hour, g.kw = spec.dollars_per_hour, spec.power_kw
    return g


def _goodput(spec: SystemSpec, mix: Mix, slo: Slo, guess: float | None = None,
             rel_tol: float = REL_TOL, cancel: threading.Event | None = None) -> Goodput:
    """Bisection over rate. ``guess`` (e.g. a neighbouring cell's goodput) brackets it faster."""
    gpus = spec.gpus
    count = 0

    def meets(rate: float) -> tuple[bool, Probe]:
        nonlocal count
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        count += 1
        p = probe(spec, mix, slo, rate)
        return p.attainment >= slo.attainment, p

    start = min(max(guess if guess and guess > 0 else mix.natural_rate, MIN_RATE * 4), MAX_RATE)
    ok, p = meets(start)
    step = 1.12 if guess else 2.0            # a neighbour's goodput is usually within 10%
    if ok:                                    # grow until it fails
        lo, good_p, hi, fail = start, p, None, None
        while hi is None:
            nxt = min(lo * step, MAX_RATE)
            if nxt <= lo:
                return Goodput(lo, gpus, count, None)
            good, p = meets(nxt)
            if good:
                lo, good_p = nxt, p
                step *= step                  # the guess was off: widen the search
            else:
                hi, fail = nxt, p
    else:                                     # shrink until it holds
        hi, fail, lo, good_p = start, p, None, None
        while lo is None:
            nxt = hi / step
            # Mostly idle and still missing: the SLO is out of reach even for requests served
            # alone (a prompt too long for the TTFT SLO, a link too slow): goodput is zero.
            if nxt < MIN_RATE or fail.busy < IDLE_BUSY:
                return Goodput(0.0, gpus, count, fail)
            good, p = meets(nxt)
            if good:
                lo, good_p = nxt, p
            else:
                hi, fail = nxt, p
                step *= step
    # Safeguarded regula falsi in log-rate: interpolate where attainment crosses the target,
    # but never closer than a fifth of the bracket to either end (so the bracket always shrinks).
    att_lo, att_hi = good_p.attainment, fail.attainment
    while hi / lo - 1.0 > rel_tol:
        a, b = math.log(lo), math.log(hi)
        x = 0.5 * (a + b)
        if att_lo > att_hi:
            x = a + (b - a) * (att_lo - slo.attainment) / (att_lo - att_hi)
            x = min(max(x, a + 0.2 * (b - a)), b - 0.2 * (b - a))
        mid = math.exp(x)
        good, p = meets(mid)
        if good:
            lo, att_lo = mid, p.attainment
        else:
            hi, fail, att_hi = mid, p, p.attainment
    return Goodput(lo, gpus, count, fail)


def scenario_goodput(scenario, base_dir=None, cancel=None, progress=None) -> list[Goodput]:
    """Goodput of every system of the scenario, on its request mix."""
    mix = request_mix(scenario, base_dir)
    slo = Slo.of(scenario)
    specs = scenario_specs(scenario)
    out = []
    for k, spec in enumerate(specs):
        out.append(goodput(spec, mix, slo, cancel=cancel))
        if progress:
            progress(k + 1, len(specs))
    return out
