"""The run budget's estimate (issue 24): log rows from the traffic's real batches, checked against
real runs, and the memory of all systems with the app's views."""

import pytest

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim import run_budget
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.sim.specs import scenario_specs
from disagg_viz.sim.workload import build


def _estimates(sc):
    wl = build(sc.workload, None)
    return run_budget.estimate(scenario_specs(sc), run_budget.traffic_of(wl.arrival, wl.prompt, wl.output))


@pytest.mark.parametrize("name,edits", [
    ("default.toml", []),
    ("default.toml", ["workload.arrival_rate=0.2"]),                       # batches of one
    ("default.toml", ["workload.arrival_rate=60", "workload.requests=2000"]),  # saturated
    ("03-the-gating-cost.toml", []),
])
def test_the_estimate_follows_the_real_runs_log(name, edits):
    sc = load_scenario(scenarios_dir() / name)
    if edits:
        sc = apply_overrides(sc, edits)
    rows = [e[0] for e in _estimates(sc)]
    real = [len(s.log) for s in simulate_scenario(sc).systems]
    for estimated, logged in zip(rows, real):
        assert 0.4 * logged <= estimated <= 2.5 * logged, (estimated, logged)


@pytest.mark.parametrize("edits", [[], ["workload.requests=10000"]])
def test_the_first_log_holds_the_default_runs(edits):
    """The runner sizes each kernel's first log from the estimate (run_control.CTL_LOG_ROWS): the
    default scenario and benchmarks/bench_sim.py's 10,000 requests never grow it (a copy each time)."""
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), edits)
    for (rows, *_), res in zip(_estimates(sc), simulate_scenario(sc).systems):
        assert len(res.log) + 4 < run_budget.first_log_rows(rows) <= run_budget.MAX_LOG_ROWS


def test_weights_that_do_not_fit_cost_a_row_a_request():
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["model.preset=llama-3.1-70b"])
    assert [e[0] for e in _estimates(sc)] == [600.0, 600.0]


def test_many_systems_are_refused_on_the_memory_of_the_run_and_its_views():
    sc = load_scenario(scenarios_dir() / "default.toml")
    systems = [s.model_copy(update={"name": f"{k} {s.name}"}) for k in range(4) for s in sc.systems]
    data = sc.model_dump()
    data["systems"] = [s.model_dump() for s in systems]
    data["workload"].update(requests=200_000, arrival_rate=16.0, output_tokens=1024)
    with pytest.raises(Exception) as caught:
        run_budget.check_scenario(type(sc).model_validate(data))
    assert "systems' runs and their views would take about" in str(caught.value)
    rows = [1e6] * 8
    assert run_budget.run_bytes(rows, 200_000) > run_budget.run_bytes(rows[:2], 200_000)


def test_a_trace_is_checked_on_its_real_arrivals():
    sc = load_scenario(scenarios_dir() / "default.toml")
    slow = run_budget.Traffic(150_000, 150_000 * 2000.0, 150_000 * 4096.0, 2000.0, 150_000 / 0.01)
    fast = run_budget.Traffic(150_000, 150_000 * 2000.0, 150_000 * 4096.0, 2000.0, 150_000 / 16)
    specs = scenario_specs(sc)
    slow_rows = [r for r, *_ in run_budget.estimate(specs, slow)]
    fast_rows = [r for r, *_ in run_budget.estimate(specs, fast)]
    assert all(r > 250e6 for r in slow_rows) and all(r < s / 10 for r, s in zip(fast_rows, slow_rows))
