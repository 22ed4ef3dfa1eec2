"""The crossover map: flat along an axis that changes neither system, deterministic, and the
ratio is disaggregated over colocated goodput per GPU."""

import numpy as np
import pytest

from disagg_viz.explore.axes import apply_axis_values, parse_axis
from disagg_viz.explore.crossover import MAP_REL_TOL, crossover_map
from disagg_viz.explore.goodput import Slo, goodput, request_mix
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import ScenarioError, load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.specs import scenario_specs


@pytest.fixture(scope="module")
def small():
    return apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["workload.requests=120"])


def test_an_axis_that_changes_only_one_side_leaves_the_other_flat(small):
    # the link only matters to the disaggregated system: the colocated baseline (the scenario's
    # colocated system and its chunked twin) is the same along it
    m = crossover_map(small, parse_axis("link=2:400:4log"), parse_axis("prompt=1024:8192:3log"))
    assert m.colocated.shape == (3, 4)
    assert np.allclose(m.colocated, m.colocated[:, :1], rtol=2 * MAP_REL_TOL)
    assert not np.allclose(m.disaggregated, m.disaggregated[:, :1], rtol=2 * MAP_REL_TOL)
    assert not np.all(m.ratio == m.ratio[0, 0])                  # ... while the prompt axis changes it


def test_the_baseline_is_the_best_colocated_system_chunked_or_not(small):
    m = crossover_map(small, parse_axis("prompt=1024:8192:2log"), parse_axis("link=50:400:2log"))
    n = len(small.systems)
    assert len(m.names) == n + sum(s.kind == "colocated" for s in small.systems)
    assert any("chunked" in name for name in m.names[n:])
    assert np.all(m.dis_rate > 0) and np.all(np.isfinite(m.dis_rate))


def test_map_is_deterministic_and_cells_match_direct_goodput(small):
    x, y = parse_axis("prompt=512:4096:3log"), parse_axis("link=2:400:3log")
    a, b = crossover_map(small, x, y), crossover_map(small, x, y, threads=1)
    assert np.array_equal(a.disaggregated, b.disaggregated) and np.array_equal(a.colocated, b.colocated)
    sc = apply_axis_values(small, [(x, x.values[1]), (y, y.values[2])])
    g = goodput(scenario_specs(sc)[0], request_mix(sc), Slo.of(sc), rel_tol=0.05)
    assert a.colocated[2, 1] == pytest.approx(g.per_gpu, rel=0.06)
    assert a.ratio[2, 1] == pytest.approx(a.disaggregated[2, 1] / a.colocated[2, 1])
    assert "ratio" in a.to_csv().splitlines()[0] and len(a.to_csv().splitlines()) == 10


def test_slow_link_loses_fast_link_can_win(small):
    m = crossover_map(small, parse_axis("prompt=4096:4096:1"), parse_axis("link=0.5:450:2log"))
    assert m.ratio[0, 0] < m.ratio[1, 0]


@pytest.mark.parametrize("text,msg", [("prompt=1:2", "three parts"), ("prompt=0:100:4log", "LO > 0"),
                                      ("prompt=10:1:3", "LO <= HI"), ("prompt=1:9:1000", "between 1"),
                                      ("nonsense", "no '='")])
def test_bad_axes_are_refused_clearly(text, msg):
    with pytest.raises(ScenarioError, match=msg):
        parse_axis(text)


def test_split_axis_keeps_the_pool_size(small):
    sc = apply_axis_values(small, [(parse_axis("split=1:3:3"), 3)])
    d = sc.systems[1]
    assert (d.prefill_instances, d.decode_instances) == (3, 1)
    with pytest.raises(ScenarioError, match="prefill instances"):
        apply_axis_values(small, [(parse_axis("split=4:4:1"), 4)])
