"""The caption says what matters now: a stall on the conflict lesson, trays queueing on a slow link."""

import numpy as np

from disagg_viz.playback.narration import narrate
from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.runner import simulate_scenario


def _builders(name, edits=()):
    sc = apply_overrides(load_scenario(scenarios_dir() / name), list(edits))
    res = simulate_scenario(sc)
    return [SnapshotBuilder(s, res.slo_ttft_s, res.slo_tpot_s) for s in res.systems], res


def test_a_stall_is_narrated_in_both_vocabularies():
    (prefill_first, _), res = _builders("01-the-conflict.toml", ["workload.requests=80"])
    times = np.linspace(0, res.end_time, 600)
    stalled = [t for t in times if any(s.stalled for s in prefill_first.at(t).stations)]
    assert stalled
    snap = prefill_first.at(stalled[len(stalled) // 2])
    kitchen = narrate(prefill_first, snap, Vocabulary("kitchen"))
    serving = narrate(prefill_first, snap, Vocabulary("serving"))
    assert kitchen.startswith("Plating paused") and "station 1 is prepping" in kitchen and "-token order" in kitchen
    assert serving.startswith("Decodes stalled") and "prefilling" in serving


def test_trays_queueing_on_a_slow_link_name_both_rates():
    builders, res = _builders("03-the-gating-cost.toml", ["workload.requests=150"])
    slow = builders[2]
    lines = [narrate(slow, slow.at(t), Vocabulary("kitchen")) for t in np.linspace(1, res.end_time, 120)]
    queueing = [line for line in lines if "Trays are queueing" in line]
    # 25 GbE is one NIC per node: the two prep stations share its 3.125 GB/s x 80%
    assert queueing and "the pass moves 2.5 GB/s" in queueing[0] and "GB/s of trays" in queueing[0]


def test_quiet_and_busy_lines():
    builders, res = _builders("default.toml", ["workload.requests=30"])
    b = builders[1]
    assert narrate(b, b.at(res.end_time + 1), Vocabulary("kitchen")).startswith("Quiet")
    busy = narrate(b, b.at(res.systems[1].arrival[3] + 0.01), Vocabulary("serving"))
    assert busy and not busy.startswith("Idle")


def test_captions_tell_a_full_plating_line_from_a_busy_link_and_say_overloaded():
    from disagg_viz.playback.narration import narrate
    from disagg_viz.playback.snapshot import SnapshotBuilder
    from disagg_viz.playback.vocabulary import Vocabulary
    from disagg_viz.scenario.model import DisaggregatedSystem
    from disagg_viz.sim.runner import simulate_scenario
    from tests.sim.helpers import scenario

    def captions(system, **wl):
        res = simulate_scenario(scenario([system], **wl))
        b = SnapshotBuilder(res.systems[0], res.slo_ttft_s, res.slo_tpot_s)
        end = float(res.systems[0].arrival[-1])
        return [narrate(b, b.at(t), Vocabulary("serving")) for t in (0.5 * end, end)]

    slow = captions(DisaggregatedSystem(name="d", prefill_instances=2, decode_instances=2, link="ethernet-25g"),
                    requests=200, arrival_rate=8.0, prompt_tokens=8000, prompt_distribution="fixed")
    # one 25 GbE NIC per node, shared by both prefill instances: 3.125 GB/s x 80%
    assert all("links move 2.5 GB/s" in c and c.startswith("Overloaded") for c in slow), slow
    sc = scenario([DisaggregatedSystem(name="d", link="nvlink4")], requests=300, arrival_rate=6.0,
                  prompt_tokens=2000, output_tokens=1500)
    sc.hardware.memory_gb = 24.0
    res = simulate_scenario(sc)
    b = SnapshotBuilder(res.systems[0], res.slo_ttft_s, res.slo_tpot_s)
    texts = [narrate(b, b.at(t), Vocabulary("serving")) for t in (10.0, 20.0, 30.0, 40.0)]
    assert any("decode pool is full, not the link" in c for c in texts), texts


def test_a_stall_behind_a_batch_of_prompts_gives_the_stations_own_numbers():
    """Issue 22: "a 6,269-token order" beside a station "prepping 12,539 tok (2 orders)"."""
    (colocated, *_), res = _builders("02-the-fix.toml")
    times = np.linspace(0, res.end_time, 1500)
    found = None
    for t in times:
        snap = colocated.at(t)
        st = next((s for s in snap.stations if s.stalled and s.prefill_requests > 1), None)
        if st is not None and max((s.paused_s for s in snap.stations if s.stalled)) == st.paused_s:
            found = (snap, st)
            break
    assert found is not None
    snap, st = found
    caption = narrate(colocated, snap, Vocabulary("kitchen"))
    assert f"prepping {st.prefill_requests} orders ({st.prefill_tokens:,} tokens)" in caption


def test_a_lost_station_is_the_news_for_ten_seconds_with_the_requests_it_sent_back():
    """Lesson 5's NVLink split loses decode 1 at 30 s: for the next 10 s the caption says so, with
    the engine's count of requests routed again (unless a stall is the bigger news); then the
    kitchen's usual caption is back."""
    from disagg_viz.sim.layout import IF_REQUEUED
    sc = apply_overrides(load_scenario(scenarios_dir() / "05-your-cluster.toml"), {
        "workload.requests": 200, "faults.0.at_s": 30.0, "faults.0.kind": "instance-lost",
        "faults.0.system": "2P2D, NVLink fixed", "faults.0.pool": "decode", "faults.0.instance": 1})
    res = simulate_scenario(sc)
    split = res.systems[2]
    n = int(split.lost[0, IF_REQUEUED])
    assert n > 0
    b = SnapshotBuilder(split, res.slo_ttft_s, res.slo_tpot_s)
    for t, news in ((29.0, False), (31.0, True), (39.5, True), (41.0, False)):
        snap = b.at(t)
        kitchen, serving = narrate(b, snap, Vocabulary("kitchen")), narrate(b, snap, Vocabulary("serving"))
        stalled = any(s.stalled for s in snap.stations)
        if news and not stalled:
            assert kitchen.startswith(f"Plating 1 was lost at 30.0 s: {n} order")
            assert serving.startswith(f"Decode 1 was lost at 30.0 s: {n} request")
        else:
            assert "was lost" not in kitchen
