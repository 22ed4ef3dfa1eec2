"""A valid scenario whose weights do not fit its GPUs ships nothing: the views still prepare
(issue 24: 'index 0 is out of bounds' in the app and `export`, 57 of 470 sampled scenarios)."""

import numpy as np

from disagg_viz.playback.prepared import prepare
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.runner import simulate_scenario


def test_a_run_that_ships_nothing_prepares_an_idle_link():
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["model.preset=llama-3.1-70b"])
    prepared = prepare(simulate_scenario(sc))
    link = prepared.series[1].link_rate_gb_per_s
    assert link is not None and len(link) == len(prepared.series[1].t) and not np.any(link)
    assert [s["completed"] for s in prepared.summaries] == [0, 0]
