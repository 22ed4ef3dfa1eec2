"""Dynamic pools (issue 21): a planner moves instances between a split system's prefill and decode
pools; the file's checks, the move log, both engines, the JSON."""

import json

import numpy as np
import pytest

from disagg_viz.scenario import ScenarioError, loads_scenario as parse_scenario
from disagg_viz.sim.layout import MV_DECIDED, MV_DRAINED, MV_FROM, MV_INSTANCE, MV_READY, MV_TO
from disagg_viz.sim.metrics import summarize
from disagg_viz.sim.result import MOVE_DRAINING, MOVE_NONE, MOVE_SWITCHING, ROLE_DECODE, ROLE_PREFILL
from disagg_viz.sim.runner import simulate_scenario

# A swing: chat (short prompts, long answers) then summaries (long prompts, short answers).
SWING = """
schema_version = 3
[workload]
seed = 2
requests = 1200
arrival_rate = 30.0
prompt_tokens = 300
output_tokens = 300
[[workload.rates]]
from_s = 0.0
rate = 30.0
[slo]
ttft_ms = 500.0
tpot_ms = 30.0
[[systems]]
name = "dynamic"
kind = "disaggregated"
prefill_instances = 2
decode_instances = 2
link = "nvlink4"
[systems.dynamic_pools]
adjustment_interval_s = 2.0
switch_s = 1.0
dwell_s = 4.0
"""


def _swing(text=SWING):
    from disagg_viz.sim.workload import build
    sc = parse_scenario(text)
    wl = build(sc.workload)
    late = wl.arrival > wl.arrival[len(wl) // 2]
    rng = np.random.default_rng(5)
    wl.prompt[late] = rng.integers(3000, 6000, int(late.sum()))
    wl.output[late] = rng.integers(5, 20, int(late.sum()))
    return sc, wl


def test_the_planner_moves_instances_both_ways_and_both_engines_agree():
    sc, wl = _swing()
    a = simulate_scenario(sc, workload=wl).systems[0]
    b = simulate_scenario(sc, engine="reference", workload=wl).systems[0]
    assert np.array_equal(a.moves, b.moves, equal_nan=True)
    assert np.array_equal(a.req_f, b.req_f, equal_nan=True) and np.array_equal(a.log, b.log)
    mv = a.moves
    assert len(mv) >= 1
    assert set(mv[:, MV_TO].astype(int)) <= {ROLE_PREFILL, ROLE_DECODE}
    # One move at a time, each drained before it switched, each after the previous one ended.
    assert np.all(mv[:, MV_DECIDED] <= mv[:, MV_DRAINED]) and np.all(mv[:-1, MV_READY] <= mv[1:, MV_DECIDED])
    assert np.all(mv[:, MV_READY] - mv[:, MV_DRAINED] == pytest.approx(1.0))
    # The summaries' long prompts need prep: the planner moves a plating station to prep.
    assert np.any((mv[:, MV_FROM] == ROLE_DECODE) & (mv[:, MV_TO] == ROLE_PREFILL))


def test_a_moved_instance_works_in_its_new_pool_only_after_the_switch():
    sc, wl = _swing()
    res = simulate_scenario(sc, workload=wl).systems[0]
    from disagg_viz.sim.layout import L_DECODE_SEQS, L_END, L_INSTANCE, L_PREFILL_TOKENS, L_START
    for mv in res.moves:
        k = int(mv[MV_INSTANCE])
        mine = res.log[res.log[:, L_INSTANCE] == k]
        prefill_rows = mine[:, L_PREFILL_TOKENS] > 0
        new_role_rows = prefill_rows if mv[MV_TO] == ROLE_PREFILL else mine[:, L_DECODE_SEQS] > 0
        old_role_rows = ~new_role_rows
        # Between the decision and the end of the switch it only finishes old work, no new-role work.
        during = (mine[:, L_START] >= mv[MV_DECIDED]) & (mine[:, L_START] < mv[MV_READY])
        assert not np.any(during & new_role_rows)
        assert not np.any(old_role_rows & (mine[:, L_END] > mv[MV_DRAINED]) & (mine[:, L_START] >= mv[MV_DRAINED]))
        roles, state = res.roles_at(float(mv[MV_DECIDED]))
        assert roles[k] == mv[MV_FROM] and state[k] == MOVE_DRAINING
        if mv[MV_READY] > mv[MV_DRAINED]:
            roles, state = res.roles_at(float((mv[MV_DRAINED] + mv[MV_READY]) / 2))
            assert roles[k] == mv[MV_FROM] and state[k] == MOVE_SWITCHING
        roles, state = res.roles_at(float(mv[MV_READY]))
        assert roles[k] == mv[MV_TO] and state[k] == MOVE_NONE


def test_the_json_lists_the_moves():
    sc, wl = _swing()
    res = simulate_scenario(sc, workload=wl)
    out = json.loads(json.dumps(summarize(res.systems[0], 0.5, 0.03)))
    moves = out["dynamic_pools"]["moves"]
    assert len(moves) == len(res.systems[0].moves)
    first = moves[0]
    assert set(first) >= {"time_s", "from", "to", "instance", "why", "drained_s", "ready_s"}
    assert first["from"] in ("prefill", "decode") and first["to"] != first["from"]
    assert first["why"]
    pools = out["dynamic_pools"]
    assert pools["prefill_instances_at_end"] + pools["decode_instances_at_end"] == 4


def test_static_systems_have_no_moves_and_no_planner_json():
    text = SWING.split("[systems.dynamic_pools]")[0]
    sc, wl = _swing(text)
    res = simulate_scenario(sc, workload=wl).systems[0]
    assert res.moves.shape[0] == 0 and not res.dynamic
    assert "dynamic_pools" not in summarize(res, 0.5, 0.03)


@pytest.mark.parametrize("line, field, value", [
    ("decode_tp = 2", "decode_tp", "2"),
    ('decode_gpu = "h200"', "decode_gpu", "h200"),
    ("decode_ep = 2", "decode_ep", "2"),
])
def test_both_pools_must_be_the_same_kind_of_instance(line, field, value):
    text = SWING.replace('link = "nvlink4"', 'link = "nvlink4"\n' + line)
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text)
    msg = str(err.value)
    assert field in msg and value in msg and "prefill_" in msg and "same GPU type and TP" in msg


def test_thresholds_must_be_in_order():
    text = SWING + "decode_kv_down = 0.95\n"
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text)
    assert "decode_kv_down = 0.95" in str(err.value) and "decode_kv_up = 0.9" in str(err.value)


def test_the_run_budget_counts_the_most_decode_instances_a_planner_may_use():
    from disagg_viz.sim.run_budget import pools_of
    from disagg_viz.sim.specs import scenario_specs
    sc, _ = _swing()
    spec = scenario_specs(sc)[0]
    assert spec.most_decode_instances == 3 and pools_of(spec, 300, 300).decode_instances == 3
    least = parse_scenario(SWING + "min_instances = 2\n")
    assert scenario_specs(least)[0].most_decode_instances == 2
    static = scenario_specs(parse_scenario(SWING.split("[systems.dynamic_pools]")[0]))[0]
    assert static.most_decode_instances == 2


def test_the_charts_count_each_pools_work_wherever_its_instances_were():
    """Dynamic pools: the prefill pool's utilization chart holds every prefill iteration, also those
    of instances that started in the decode pool (and the decode chart every decode step)."""
    from disagg_viz.playback.series import system_series
    from disagg_viz.sim.layout import L_COMPUTE_UTIL, L_END, L_PREFILL_TOKENS, L_START
    sc, wl = _swing()
    res = simulate_scenario(sc, workload=wl).systems[0]
    assert np.any(res.moves[:, MV_FROM] == ROLE_DECODE)
    s = system_series(res, res.end_time)
    t = s.util_t
    edges = np.concatenate([[t[0]], (t[1:] + t[:-1]) / 2, [t[-1]]])
    for role, name in ((ROLE_PREFILL, "prefill"), (ROLE_DECODE, "decode")):
        on_duty = np.array([max(int(np.sum(res.roles_at(float(x))[0] == role)), 1) for x in t])
        charted = float(np.sum(s.utilization[name][0] * on_duty * np.diff(edges)))
        rows = res.log[(res.log[:, L_PREFILL_TOKENS] > 0) == (role == ROLE_PREFILL)]
        done = float(np.sum(rows[:, L_COMPUTE_UTIL] * (rows[:, L_END] - rows[:, L_START])))
        assert charted == pytest.approx(done, rel=1e-9)
