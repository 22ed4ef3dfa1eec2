"""Per-node figures: input tokens/s per prefill node, output tokens/s per decode node."""

import numpy as np
import pytest

from disagg_viz.metric_ids import SCOREBOARD_ROWS, SUMMARY_METRICS
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.layout import R_PREFILL_END
from disagg_viz.sim.metric_registry import METRICS
from disagg_viz.sim.metrics import summarize
from disagg_viz.sim.per_node import node_gpus
from disagg_viz.sim.runner import simulate_scenario


@pytest.fixture(scope="module")
def result():
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["workload.requests=200"])
    return simulate_scenario(sc)


def test_split_system_counts_each_pool_on_its_own_nodes(result):
    res = next(s for s in result.systems if s.spec.is_split)
    out = summarize(res, 1.0, 0.1)
    prefilled = res.prompt[~np.isnan(res.req_f[:, R_PREFILL_END])].sum()
    p, d = res.spec.prefill_pool, res.spec.decode_pool
    assert out["input_tokens_per_s_per_node"] == pytest.approx(prefilled / res.makespan / p.gpus * 8)
    assert out["output_tokens_per_s_per_node"] == pytest.approx(res.output[res.served].sum() / res.makespan / d.gpus * 8)
    assert METRICS["input_per_node"].value(out) == out["input_tokens_per_s_per_node"]


def test_colocated_counts_all_gpus_for_both(result):
    res = next(s for s in result.systems if not s.spec.is_split)
    out = summarize(res, 1.0, 0.1)
    assert out["output_tokens_per_s_per_node"] == pytest.approx(
        out["throughput_tokens_per_s"] / res.gpus * 8)


def test_a_node_is_the_nvlink_domain_when_larger():
    assert node_gpus({"nvlink_domain_gpus": 8}) == 8
    assert node_gpus({"nvlink_domain_gpus": 72}) == 72
    assert node_gpus({"nvlink_domain_gpus": 4}) == 8


def test_per_node_metrics_are_on_the_scoreboard():
    assert {"input_per_node", "output_per_node"} <= set(SUMMARY_METRICS) & set(SCOREBOARD_ROWS)
