"""The moments a lesson step jumps to are found in the run."""

import numpy as np

from disagg_viz.playback.moments import first_slo_miss, jump_time, longest_stall, queue_peak, tray_queue_peak
from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.sim.runner import simulate_scenario


def test_longest_stall_is_a_moment_when_the_kitchen_shows_a_stall():
    res = simulate_scenario(load_scenario(scenarios_dir() / "01-the-conflict.toml"))
    colo = res.systems[0]
    t = longest_stall(colo)
    snap = SnapshotBuilder(colo, res.slo_ttft_s, res.slo_tpot_s).at(t)
    worst = max(s.paused_s for s in snap.stations)
    assert worst > 0.2 * np.nanmax(colo.stall)
    assert jump_time("longest_stall", colo, res.slo_ttft_s, res.slo_tpot_s) == max(t - 1.0, 0.0)


def test_tray_queue_peak_shows_the_most_trays_waiting():
    res = simulate_scenario(load_scenario(scenarios_dir() / "03-the-gating-cost.toml"))
    slow = res.systems[2]
    b = SnapshotBuilder(slow, res.slo_ttft_s, res.slo_tpot_s)
    t = tray_queue_peak(slow)
    waiting = lambda x: sum(1 for tr in b.at(x).trays if tr.progress < 0)
    assert waiting(t) >= max(waiting(x) for x in np.linspace(0, slow.end_time, 60))
    assert tray_queue_peak(res.systems[0]) is None            # colocated: no trays


def test_queue_peak_and_first_miss():
    res = simulate_scenario(load_scenario(scenarios_dir() / "02-the-fix.toml"))
    one_p = res.systems[2]
    assert queue_peak(one_p) > 0.5 * one_p.arrival[-1]         # the rail grows through the run
    t = first_slo_miss(one_p, res.slo_ttft_s, res.slo_tpot_s)
    assert t is not None and t <= one_p.end_time
