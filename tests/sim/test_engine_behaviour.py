"""Conservation, determinism, queueing theory, memory pressure and the lesson's claims."""

import numpy as np
import pytest

from disagg_viz.presets import MODELS, hardware
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.model import ColocatedSystem, DisaggregatedSystem
from disagg_viz.sim.cost_model import iteration_cost, kv_capacity_tokens, pack_cost
from disagg_viz.sim.engine_input import instance_fault_rows, costs_of, pool_row
from disagg_viz.sim.kernels import simulate_colocated
from disagg_viz.sim.layout import R_FINISH, R_PREFILL_START, R_REJECT, REJECT_KV, REJECT_WEIGHTS
from disagg_viz.sim.metrics import summarize
from disagg_viz.sim.run_control import RunControl
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.sim.workload import generate
from tests.sim.helpers import scenario


def test_every_request_completes_or_is_rejected_and_tokens_add_up():
    sc = scenario(requests=300, prompt_distribution="lognormal", output_distribution="uniform",
                  prompt_tokens=20000, prompt_sigma=1.5)
    sc.hardware.memory_gb = 20.0   # little KV room: some prompts can never fit
    res = simulate_scenario(sc)
    for r in res.systems:
        served, rejected = r.served, r.rejected
        assert np.all(served ^ rejected), r.name
        assert rejected.sum() > 0 and np.all(r.req_i[rejected, R_REJECT] == REJECT_KV)
        first_tokens = 0 if r.has_link else served.sum()
        assert r.token_steps + first_tokens == r.output[served].sum(), r.name


def test_weights_that_do_not_fit_reject_everything_with_reason():
    sc = scenario(requests=20)
    sc.model.preset = "llama-3.1-70b"
    res = simulate_scenario(sc)
    for r in res.systems:
        assert np.all(r.req_i[:, R_REJECT] == REJECT_WEIGHTS)
        assert summarize(r, 1, 1)["completed"] == 0


def test_same_seed_identical_arrays_different_seed_differs():
    a = simulate_scenario(scenario(seed=11))
    b = simulate_scenario(scenario(seed=11))
    c = simulate_scenario(scenario(seed=12))
    for x, y, z in zip(a.systems, b.systems, c.systems):
        assert np.array_equal(x.req_f, y.req_f, equal_nan=True) and np.array_equal(x.log, y.log)
        assert not np.array_equal(x.req_f, z.req_f, equal_nan=True)


@pytest.mark.parametrize("rho", [0.5, 0.8])
def test_md1_mean_ttft(rho):
    """Colocated, one instance, fixed prompt, one request per batch, one output token: M/D/1."""
    cm = pack_cost(MODELS["llama-3.1-8b"], hardware("h100-sxm"), 1)
    prompt_len = 2048
    D = iteration_cost(cm, prompt_len, prompt_len * (prompt_len + 1) // 2, 0, 0, 0, 1)[0]
    R = rho / D
    n = 200_000
    rng = np.random.default_rng(2024)
    arrival = np.cumsum(rng.exponential(1 / R, n))
    prompt = np.full(n, prompt_len, dtype=np.int64)
    output = np.ones(n, dtype=np.int64)
    cap = kv_capacity_tokens(MODELS["llama-3.1-8b"], hardware("h100-sxm"), 1)
    f, _, _, _, _ = simulate_colocated(arrival, prompt, output, costs_of(cm), pool_row(1, cap, 256, prompt_len)[None],
                                       RunControl().array, (np.zeros(n, np.int64), np.zeros(n, np.int64),
                                                            np.zeros(0, np.int64)), instance_fault_rows())
    ttft = f[:, R_FINISH] - arrival
    expected = D + R * D * D / (2 * (1 - R * D))
    assert abs(ttft.mean() / expected - 1) < 0.03, (ttft.mean(), expected)


def test_kv_memory_pressure_makes_requests_wait_never_overflows():
    sc = scenario(requests=200, arrival_rate=50.0, prompt_tokens=4000, output_tokens=200, prompt_distribution="fixed",
                  systems=[ColocatedSystem(name="c", instances=1, max_batch=256)])
    cap_full = kv_capacity_tokens(sc.model.resolved(), sc.hardware.resolved(), 1)
    sc.hardware.memory_utilization = 0.24   # room for only a few requests' KV
    cap = kv_capacity_tokens(sc.model.resolved(), sc.hardware.resolved(), 1)
    assert 4200 <= cap < cap_full
    r = simulate_scenario(sc).systems[0]
    assert r.served.all()
    # Reserved KV over time never exceeds capacity.
    start, end, need = r.req_f[:, R_PREFILL_START], r.req_f[:, R_FINISH], r.prompt + r.output
    times = np.concatenate([start, end])
    deltas = np.concatenate([need, -need])
    order = np.lexsort((deltas, times))   # releases before reservations at the same instant
    assert np.cumsum(deltas[order]).max() <= cap
    # ... and requests did wait for memory, not for compute.
    assert np.nanmax(r.req_f[:, R_PREFILL_START] - r.arrival) > 1.0


def _shipped(name):
    return simulate_scenario(load_scenario(scenarios_dir() / name))


def test_lesson_long_prompts_stall_and_chunking_shortens_the_stalls():
    res = _shipped("01-the-conflict.toml")
    first, chunked = res.systems
    assert not first.chunked and chunked.chunked
    tpot = np.nanmedian(first.tpot)
    assert np.nanmax(first.stall) > 20 * tpot          # a generation stall: seconds, not milliseconds
    assert np.nanmax(chunked.stall) < 0.1 * np.nanmax(first.stall)


def test_lesson_disaggregation_removes_the_stalls():
    res = _shipped("02-the-fix.toml")
    colo, disagg = res.systems[0], res.systems[1]
    assert np.nanmax(colo.stall) > 0.5
    assert np.nanmax(disagg.stall) < 3 * np.nanmedian(disagg.tpot)
    s = [summarize(x, res.slo_ttft_s, res.slo_tpot_s) for x in (colo, disagg)]
    assert s[1]["slo_attainment"] > s[0]["slo_attainment"]


def test_lesson_a_slow_link_makes_disaggregation_lose():
    res = _shipped("03-the-gating-cost.toml")
    colo, fast, slow = (summarize(x, res.slo_ttft_s, res.slo_tpot_s) for x in res.systems)
    assert slow["ttft_ms"]["p90"] > 5 * colo["ttft_ms"]["p90"]
    assert slow["slo_attainment"] < colo["slo_attainment"]
    assert fast["kv_exposed_ms"]["p90"] < 0.05 * slow["kv_exposed_ms"]["p90"]


def test_layerwise_transfer_hides_most_of_the_shipping():
    base = dict(requests=100, arrival_rate=1.0, prompt_tokens=8000, prompt_distribution="fixed")
    def run(layerwise):
        sys = DisaggregatedSystem(name="d", prefill_instances=1, decode_instances=1, link="pcie4",
                                  layerwise_transfer=layerwise)
        return simulate_scenario(scenario(systems=[sys], **base)).systems[0]
    whole, layered = run(False), run(True)
    assert np.nanmedian(layered.transfer_exposed) < 0.2 * np.nanmedian(whole.transfer_exposed)
    assert np.nanmedian(layered.ttft) < np.nanmedian(whole.ttft)


def test_workload_lengths_keep_their_mean():
    sc = scenario(requests=20000, prompt_tokens=3000, prompt_distribution="lognormal", prompt_sigma=0.8)
    wl = generate(sc.workload)
    assert abs(wl.prompt.mean() / 3000 - 1) < 0.03
    assert wl.arrival[0] == 0 and np.all(np.diff(wl.arrival) >= 0)
    assert abs(len(wl) / wl.arrival[-1] / sc.workload.arrival_rate - 1) < 0.03


def test_queue_lengths_are_consistent():
    r = simulate_scenario(scenario()).systems[1]
    t = np.linspace(0, r.end_time, 50)
    q = r.queue_lengths(t)
    assert all(np.all(v >= 0) for v in q.values())
    assert q["decoding"][-1] == 0 and q["waiting"][-1] == 0
    assert max(q["shipping"].max(), q["waiting"].max(), q["decoding"].max()) > 0
