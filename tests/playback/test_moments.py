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


def test_the_first_fault_is_when_a_port_breaks_or_a_station_goes():
    """Lesson 5 step 3's moment: its [[faults]] entry breaks prefill 1's port at 60 s; a system
    without faults has no such moment; a lost station counts, its return does not."""
    from disagg_viz.playback.moments import moment
    from disagg_viz.resources import scenarios_dir
    from disagg_viz.scenario import load_scenario
    from disagg_viz.scenario.overrides import apply_overrides
    from disagg_viz.sim.runner import simulate_scenario
    sc = apply_overrides(load_scenario(scenarios_dir() / "05-your-cluster.toml"), {
        "workload.requests": 100, "faults.0.at_s": 60.0, "faults.0.system": "2P2D, NVLink fixed", "faults.0.link": "pcie4",
        "faults.1.at_s": 20.0, "faults.1.until_s": 30.0, "faults.1.kind": "instance-lost",
        "faults.1.system": "Yours: colocated, chunked, 4 GPUs", "faults.1.instance": 2})
    res = simulate_scenario(sc)
    colo, pcie, nvlink = res.systems
    assert moment("first_fault", nvlink, res.slo_ttft_s, res.slo_tpot_s) == 60.0
    assert moment("first_fault", colo, res.slo_ttft_s, res.slo_tpot_s) == 20.0
    assert moment("first_fault", pcie, res.slo_ttft_s, res.slo_tpot_s) is None
