"""The pass's utilization gauge: a saturated slow link reads near 100%, NVLink next to nothing."""

import numpy as np

from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.runner import simulate_scenario


def test_link_utilization_follows_the_link():
    sc = apply_overrides(load_scenario(scenarios_dir() / "03-the-gating-cost.toml"), ["workload.requests=150"])
    res = simulate_scenario(sc)
    fast, slow = (SnapshotBuilder(s, res.slo_ttft_s, res.slo_tpot_s) for s in res.systems[1:])
    times = np.linspace(5, res.systems[2].arrival[-1], 40)
    slow_util = np.array([slow.at(t).link_util for t in times])
    fast_util = np.array([fast.at(t).link_util for t in times])
    assert slow_util.shape == (40, 2) and np.all((slow_util >= 0) & (slow_util <= 1 + 1e-9))
    assert slow_util.mean() > 0.7 and fast_util.mean() < 0.1
    colocated = SnapshotBuilder(res.systems[0], res.slo_ttft_s, res.slo_tpot_s)
    assert colocated.at(10.0).link_util.size == 0


def test_trays_with_room_reserved_wait_at_their_plating_station_door():
    from disagg_viz.scenario.model import DisaggregatedSystem
    from tests.sim.helpers import scenario
    system = DisaggregatedSystem(name="4P1D", prefill_instances=4, decode_instances=1, link="ethernet-25g")
    res = simulate_scenario(scenario([system], requests=200, arrival_rate=4.0, prompt_tokens=8192,
                                     prompt_distribution="fixed", output_tokens=64))
    b = SnapshotBuilder(res.systems[0], res.slo_ttft_s, res.slo_tpot_s)
    seen = 0
    for t in np.linspace(5, 45, 30):
        snap = b.at(t)
        door = [tr for tr in snap.trays if tr.at_door]
        moving = [tr for tr in snap.trays if tr.progress >= 0]
        assert len(moving) <= 1                                   # one receiving port
        assert all(tr.receiver == 4 and tr.progress < 0 for tr in door)
        assert len({tr.link for tr in door}) == len(door) <= 3    # one reserved tray per waiting sender
        seen += len(door)
    assert seen > 20
