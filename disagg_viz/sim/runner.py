"""Scenario -> workload -> engine -> results. The one place that turns a scenario into engine calls."""

from __future__ import annotations

import numpy as np

from disagg_viz.presets import kv_bytes_per_token, pool_hardware, system_cost
from disagg_viz.scenario.model import overridden
from disagg_viz.sim.cost_model import kv_capacity_tokens, pack_cost
from disagg_viz.sim.run_control import RunControl
from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL, ScenarioResult, SystemResult
from disagg_viz.sim.workload import Workload, build

ENGINES = ("numba", "reference")


def _engine_functions(engine: str):
    if engine == "numba":
        from disagg_viz.sim.kernels import simulate_colocated, simulate_disaggregated
        return simulate_colocated, simulate_disaggregated
    if engine == "reference":
        from disagg_viz.sim.reference_engine import (
            simulate_colocated_reference, simulate_disaggregated_reference)
        return simulate_colocated_reference, simulate_disaggregated_reference
    raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")


def shipment_bytes_per_s(system) -> float:
    """Effective rate of one KV shipment: every GPU has its own link, and a shipment is striped over
    min(prefill_tp, decode_tp) GPU pairs (both ends' ports are held while it is on the wire)."""
    return system.link_peak_gb_per_s * 1e9 * system.link_efficiency * min(system.prefill_tp, system.decode_tp)


def check_budget(scenario, wl: Workload) -> None:
    """The run budget (sim/run_budget.py) on the requests as they are: a trace's lengths and
    arrivals are only known once it is read."""
    from disagg_viz.scenario.errors import Problem, ScenarioError
    from disagg_viz.sim import run_budget
    estimates = run_budget.estimate(scenario.systems, scenario.model.resolved(), scenario.hardware.resolved(),
                               run_budget.traffic_of(wl.arrival, wl.prompt, wl.output))
    found = run_budget.problems(estimates, len(wl), f"lower workload.requests or the trace window ({len(wl):,} "
                                                    f"requests, {float(wl.output.sum()):,.0f} output tokens)")
    if found:
        raise ScenarioError([Problem(key, message) for key, message in found])


def cost_and_power(system, gpu: dict) -> tuple[float, float]:
    """(US dollars per hour, kW) of all a system's GPUs at their example prices and board power."""
    if system.kind == "colocated":
        return system_cost([(system.instances, system.tp, pool_hardware(gpu, system.gpu))])
    hw_p, hw_d = pools_hardware(system, gpu)
    return system_cost([(system.prefill_instances, system.prefill_tp, hw_p),
                        (system.decode_instances, system.decode_tp, hw_d)])


def pools_hardware(system, gpu: dict) -> tuple[dict, dict]:
    """The prefill and decode pools' hardware: their GPU presets (or the scenario's), then the
    physics each pool overrides."""
    return (overridden(pool_hardware(gpu, system.prefill_gpu), system.prefill_hardware),
            overridden(pool_hardware(gpu, system.decode_gpu), system.decode_hardware))


def simulate_system(system, model: dict, gpu: dict, wl: Workload, engine: str = "numba",
                    control: RunControl | None = None) -> SystemResult:
    """Run one system (a ColocatedSystem or DisaggregatedSystem) on the given requests.
    ``control``: progress and cancel (SimulationCancelled is raised if it was cancelled)."""
    colocated, disaggregated = _engine_functions(engine)
    control = control if control is not None else RunControl()
    kvpt = kv_bytes_per_token(model)
    common = dict(name=system.name, kind=system.kind, arrival=wl.arrival, prompt=wl.prompt,
                  output=wl.output, kv_bytes_per_token=kvpt)
    if system.kind == "colocated":
        gpu = pool_hardware(gpu, system.gpu)
        cm = pack_cost(model, gpu, system.tp)
        cap = kv_capacity_tokens(model, gpu, system.tp)
        f, i, log, steps = colocated(wl.arrival, wl.prompt, wl.output, cm, system.instances, cap,
                                     system.chunked_prefill, system.chunk_tokens, system.max_prefill_tokens,
                                     system.max_batch, control.array)
        control.raise_if_cancelled()
        n = system.instances
        dollars, kw = cost_and_power(system, gpu)
        return SystemResult(chunked=system.chunked_prefill, req_f=f, req_i=i, log=log, token_steps=int(steps),
                            roles=np.full(n, ROLE_COLOCATED), tp=np.full(n, system.tp),
                            kv_capacity_tokens=np.full(n, cap), gpu_names=[gpu.get("gpu", "")] * n,
                            dollars_per_hour=dollars, power_kw=kw, **common)
    hw_p, hw_d = pools_hardware(system, gpu)
    cm_p = pack_cost(model, hw_p, system.prefill_tp)
    cm_d = pack_cost(model, hw_d, system.decode_tp)
    cap_p = kv_capacity_tokens(model, hw_p, system.prefill_tp)
    cap_d = kv_capacity_tokens(model, hw_d, system.decode_tp)
    link_bw = shipment_bytes_per_s(system)
    f, i, log, steps = disaggregated(wl.arrival, wl.prompt, wl.output, cm_p, cm_d, system.prefill_instances,
                                     system.decode_instances, cap_p, cap_d, link_bw, system.link_latency_ms * 1e-3,
                                     system.layerwise_transfer, system.max_prefill_tokens, system.max_batch,
                                     system.first_token == "prefill", control.array)
    control.raise_if_cancelled()
    np_, nd = system.prefill_instances, system.decode_instances
    dollars, kw = cost_and_power(system, gpu)
    return SystemResult(chunked=False, req_f=f, req_i=i, log=log, token_steps=int(steps),
                        roles=np.concatenate([np.full(np_, ROLE_PREFILL), np.full(nd, ROLE_DECODE)]),
                        tp=np.concatenate([np.full(np_, system.prefill_tp), np.full(nd, system.decode_tp)]),
                        kv_capacity_tokens=np.concatenate([np.full(np_, cap_p), np.full(nd, cap_d)]),
                        gpu_names=[hw_p.get("gpu", "")] * np_ + [hw_d.get("gpu", "")] * nd,
                        dollars_per_hour=dollars, power_kw=kw,
                        link_bytes_per_s=link_bw, first_token=system.first_token,
                        layerwise=system.layerwise_transfer, **common)


def simulate_scenario(scenario, engine: str = "numba", workload: Workload | None = None,
                      base_dir=None, control: RunControl | None = None) -> ScenarioResult:
    """Every system of the scenario on the same requests (``base_dir``: where a relative trace
    path starts, i.e. the scenario file's folder)."""
    wl = workload if workload is not None else build(scenario.workload, base_dir)
    check_budget(scenario, wl)
    model = scenario.model.resolved()
    gpu = scenario.hardware.resolved()
    control = control if control is not None else RunControl()
    systems = []
    for k, system in enumerate(scenario.systems):
        control.start_system(k, len(scenario.systems), len(wl.arrival))
        systems.append(simulate_system(system, model, gpu, wl, engine, control))
    return ScenarioResult(scenario.title, systems, scenario.slo.ttft_ms / 1e3, scenario.slo.tpot_ms / 1e3,
                          scenario.slo.attainment)
