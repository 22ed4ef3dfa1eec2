"""Scenario -> specs -> workload -> engine -> results. The one place that turns specs into engine calls."""

from __future__ import annotations

from disagg_viz.sim.engine_input import engine_input, instance_fault_rows
from disagg_viz.sim import run_budget
from disagg_viz.sim.run_control import CTL_LOG_ROWS, RunControl
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


def check_budget(specs, wl: Workload, workload=None) -> list[float]:
    """The run budget (sim/run_budget.py) on the requests as they are: a trace's lengths and
    arrivals are only known once it is read. Traffic on a rate schedule (``workload``: its
    section) is also estimated window by window (sim/schedule_budget.py): its quiet hours make
    small batches that an average rate hides. Returns each system's estimated log rows."""
    from disagg_viz.scenario.errors import Problem, ScenarioError
    from disagg_viz.sim.rate_schedule import has_schedule
    estimated = run_budget.check(specs, run_budget.traffic_of(wl.arrival, wl.prompt, wl.output),
                                 f"lower workload.requests or the trace window ({len(wl):,} requests, "
                                 f"{float(wl.output.sum()):,.0f} output tokens)")
    if workload is None or workload.trace or not has_schedule(workload):
        return estimated
    from disagg_viz.sim.schedule_budget import BATCH_CAP, decode_rows
    for k, spec in enumerate(specs):
        rows = decode_rows(wl.arrival, wl.prompt, wl.output, spec, spec.max_batch, BATCH_CAP)
        estimated[k] = max(estimated[k], rows)
        if rows > run_budget.MAX_LOG_ROWS:
            raise ScenarioError([Problem(f"systems.{k}", f"({spec.name}) would log about {rows / 1e6:,.0f} M decode "
                                         f"steps (budget {run_budget.MAX_LOG_ROWS / 1e6:,.0f} M a system): its quiet "
                                         f"hours decode few sequences a step: lower workload.requests or "
                                         f"workload.duration_s, shorten workload.day_length_s, raise the rates, or "
                                         f"give systems.{k} fewer decode instances")])
    return estimated


def simulate_system(spec: SystemSpec, wl: Workload, engine: str = "numba",
                    control: RunControl | None = None, log_rows: float | None = None) -> SystemResult:
    """Run one system (its spec: sim/specs.py) on the given requests. The engine dispatch: the
    one place outside the spec builder that chooses by a system's shape.
    ``control``: progress and cancel (SimulationCancelled is raised if it was cancelled);
    ``log_rows``: the run budget's estimate of its log (computed here if not given), which sizes
    the kernels' first log."""
    colocated, disaggregated = _engine_functions(engine)
    control = control if control is not None else RunControl()
    costs, pools, link = engine_input(spec)
    if log_rows is None:
        log_rows = run_budget.estimate([spec], run_budget.traffic_of(wl.arrival, wl.prompt, wl.output))[0][0]
    control.array[CTL_LOG_ROWS] = run_budget.first_log_rows(log_rows)
    px = wl.prefixes()
    prefix = (px.start, px.count, px.blocks)
    lost = instance_fault_rows(spec.instance_faults)     # the engine writes what each loss cost
    moves = None
    if spec.is_split:
        f, i, log, ship, steps, moves = disaggregated(wl.arrival, wl.prompt, wl.output, costs, pools, link,
                                                      control.array, prefix, lost)
    else:
        f, i, log, ship, steps = colocated(wl.arrival, wl.prompt, wl.output, costs, pools, control.array, prefix,
                                           lost)
    control.raise_if_cancelled()
    return SystemResult(spec=spec, arrival=wl.arrival, prompt=wl.prompt, output=wl.output, req_f=f, req_i=i,
                        log=log, ship=ship, token_steps=int(steps), lost=lost, moves=moves)


def simulate_scenario(scenario, engine: str = "numba", workload: Workload | None = None,
                      base_dir=None, control: RunControl | None = None) -> ScenarioResult:
    """Every system of the scenario on the same requests (``base_dir``: where a relative trace
    path starts, i.e. the scenario file's folder)."""
    wl = workload if workload is not None else build(scenario.workload, base_dir)
    specs = scenario_specs(scenario)
    rows = check_budget(specs, wl, scenario.workload)
    control = control if control is not None else RunControl()
    systems = []
    for k, spec in enumerate(specs):
        control.start_system(k, len(specs), len(wl.arrival))
        systems.append(simulate_system(spec, wl, engine, control, rows[k]))
    return ScenarioResult(scenario.title, systems, scenario.slo.ttft_ms / 1e3, scenario.slo.tpot_ms / 1e3,
                          scenario.slo.attainment)
