"""The xPyD planner: every layout of N GPUs, ranked by goodput per GPU, with reasons."""

import pytest

from disagg_viz.explore.goodput import Slo, goodput, request_mix
from disagg_viz.explore.planner import candidates, plan
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import ScenarioError, load_scenario
from disagg_viz.scenario.overrides import apply_overrides


@pytest.fixture(scope="module")
def small():
    return apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["workload.requests=150"])


def test_candidates_cover_every_split_and_use_all_gpus(small):
    cands = candidates(small, 4)
    for c in cands:
        assert c.system.gpus == 4
    labels = {c.label for c in cands}
    assert {"1P3D", "2P2D", "3P1D", "1P1D (TP2/TP2)", "colocated 4x TP1", "colocated 4x TP1, chunked",
            "colocated 1x TP4"} <= labels
    assert len(labels) == len(cands)


def test_best_is_never_worse_than_anything_ranked_below(small):
    p = plan(small, 4, find_smallest=False)
    mix, slo = request_mix(small), Slo.of(small)
    per_gpu = [c.per_gpu for c in p.ranked]
    assert per_gpu == sorted(per_gpu, reverse=True)
    for c in p.ranked[1:4]:                   # re-evaluated independently, still not better
        again = goodput(c.spec, mix, slo)
        assert again.per_gpu == c.per_gpu <= p.best.per_gpu
        assert c.reason.split(":")[0] in ("TTFT", "TPOT", "link", "memory") or c.reason.startswith("slower")
    assert p.best.reason == ""


def test_weights_that_do_not_fit_rank_last_with_memory_reason():
    sc = apply_overrides(load_scenario(scenarios_dir() / "04-when-it-pays.toml"), ["workload.requests=60"])
    p = plan(sc, 2, find_smallest=False)          # 70B: one 141 GB GPU cannot hold 140 GB plus KV
    tp1 = [c for c in p.ranked if c.label.startswith("1P1D")]
    assert tp1 and tp1[0].goodput is None and tp1[0].reason.startswith("memory")


def test_gpu_count_is_checked(small):
    with pytest.raises(ScenarioError, match="--gpus"):
        plan(small, 0)


def test_the_planner_mixes_the_gpus_the_scenario_lists():
    from disagg_viz.explore.planner import candidates, plan
    from disagg_viz.resources import scenarios_dir
    from disagg_viz.scenario import load_scenario
    from disagg_viz.scenario.overrides import apply_overrides
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["workload.requests=120"])
    sc = sc.model_copy(update={"planner": sc.planner.model_copy(update={"gpus": ["h100-sxm", "a100-80gb"]})})
    cands = candidates(sc, 4)
    pairs = {(c.system.prefill_gpu, c.system.decode_gpu) for c in cands if c.kind == "disaggregated"}
    assert pairs == {(a, b) for a in ("h100-sxm", "a100-80gb") for b in ("h100-sxm", "a100-80gb")}
    assert {c.system.gpu for c in cands if c.kind == "colocated"} == {"h100-sxm", "a100-80gb"}
    p = plan(sc, 4, find_smallest=False, per="dollar", threads=1)
    values = [c.value for c in p.ranked]
    assert values == sorted(values, reverse=True) and any("A100" in c.label for c in p.ranked)
    best = p.ranked[0]
    assert best.value == best.goodput.rate / best.goodput.dollars_per_hour


def test_moe_models_get_expert_parallel_candidates():
    sc = apply_overrides(load_scenario(scenarios_dir() / "06-moe-and-fp8.toml"), ["workload.requests=60"])
    cands = candidates(sc, 16)
    labels = {c.label for c in cands}
    assert {"colocated 1x EP16-DP", "colocated 2x EP8-TP", "1P1D (EP8-DP/EP8-DP)", "8P1D (TP1/EP8-DP)"} <= labels
    assert all(c.system.gpus == 16 for c in cands)
    dense = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["workload.requests=60"])
    assert not any("EP" in c.label for c in candidates(dense, 16))


def test_plan_reports_per_node_figures_at_the_goodput(small):
    p = plan(small, 4, find_smallest=False)
    c = p.best
    inp, out = p.per_node(c)
    assert inp == pytest.approx(c.goodput.rate * p.mean_prompt / c.spec.prefill_pool.gpus * 8)
    assert out == pytest.approx(c.goodput.rate * p.mean_output / c.spec.decode_pool.gpus * 8)
