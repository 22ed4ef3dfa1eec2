"""Scenario -> specs -> workload -> engine -> results. The one place that turns specs into engine calls."""

from __future__ import annotations

from disagg_viz.sim.engine_input import engine_input
from disagg_viz.sim.run_control import RunControl
from disagg_viz.sim.result import ScenarioResult, SystemResult
from disagg_viz.sim.specs import SystemSpec, scenario_specs
from disagg_viz.sim.workload import Workload, build

ENGINES = ("numba", "reference")


def _engine_functions(engine: str):
    if engine == "numba":
        from disagg_viz.sim.kernels import simulate_colocated, simulate_disaggregated
        return simulate_colocated, simulate_disaggregated
    if engine == "reference":
        from disagg_viz.sim.reference import (
            simulate_colocated_reference, simulate_disaggregated_reference)
        return simulate_colocated_reference, simulate_disaggregated_reference
    raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")


def check_budget(scenario, wl: Workload) -> None:
    """The run budget (scenario.model.MAX_LOG_ROWS decode steps per system) on the requests as
    they are: a trace's lengths are only known once it is read. Traffic on a rate schedule is
    estimated window by window (sim/schedule_budget.py): its quiet hours make small batches."""
    from disagg_viz.scenario.errors import Problem, ScenarioError
    from disagg_viz.scenario.model import BUDGET_BATCH, MAX_LOG_ROWS
    from disagg_viz.sim.rate_schedule import has_schedule
    tokens = float(wl.output.sum())
    scheduled = not scenario.workload.trace and has_schedule(scenario.workload)
    specs = scenario_specs(scenario) if scheduled else ()
    for k, s in enumerate(scenario.systems):
        rows = tokens / min(s.max_batch, BUDGET_BATCH)
        if scheduled:
            from disagg_viz.sim.schedule_budget import decode_rows
            rows = decode_rows(wl.arrival, wl.prompt, wl.output, specs[k], s.max_batch, BUDGET_BATCH)
        if rows > MAX_LOG_ROWS:
            knobs = (f"lower workload.requests (or the trace window), or raise systems.{k}.max_batch" if not scheduled
                     else f"its quiet hours decode few sequences a step: lower workload.requests or "
                          f"workload.duration_s, shorten workload.day_length_s, raise the rates, or give "
                          f"systems.{k} fewer decode instances")
            raise ScenarioError([Problem("workload", f"{len(wl):,} requests with {tokens:,.0f} output tokens would "
                                         f"log about {rows / 1e6:,.0f} M decode steps in systems.{k} (budget "
                                         f"{MAX_LOG_ROWS / 1e6:,.0f} M): {knobs}")])


def simulate_system(spec: SystemSpec, wl: Workload, engine: str = "numba",
                    control: RunControl | None = None) -> SystemResult:
    """Run one system (its spec: sim/specs.py) on the given requests. The engine dispatch: the
    one place outside the spec builder that chooses by a system's shape.
    ``control``: progress and cancel (SimulationCancelled is raised if it was cancelled)."""
    colocated, disaggregated = _engine_functions(engine)
    control = control if control is not None else RunControl()
    costs, pools, link = engine_input(spec)
    px = wl.prefixes()
    prefix = (px.start, px.count, px.blocks)
    if spec.is_split:
        f, i, log, ship, steps = disaggregated(wl.arrival, wl.prompt, wl.output, costs, pools, link, control.array,
                                               prefix)
    else:
        f, i, log, ship, steps = colocated(wl.arrival, wl.prompt, wl.output, costs, pools, control.array, prefix)
    control.raise_if_cancelled()
    return SystemResult(spec=spec, arrival=wl.arrival, prompt=wl.prompt, output=wl.output, req_f=f, req_i=i,
                        log=log, ship=ship, token_steps=int(steps))


def simulate_scenario(scenario, engine: str = "numba", workload: Workload | None = None,
                      base_dir=None, control: RunControl | None = None) -> ScenarioResult:
    """Every system of the scenario on the same requests (``base_dir``: where a relative trace
    path starts, i.e. the scenario file's folder)."""
    wl = workload if workload is not None else build(scenario.workload, base_dir)
    check_budget(scenario, wl)
    specs = scenario_specs(scenario)
    control = control if control is not None else RunControl()
    systems = []
    for k, spec in enumerate(specs):
        control.start_system(k, len(specs), len(wl.arrival))
        systems.append(simulate_system(spec, wl, engine, control))
    return ScenarioResult(scenario.title, systems, scenario.slo.ttft_ms / 1e3, scenario.slo.tpot_ms / 1e3,
                          scenario.slo.attainment)
