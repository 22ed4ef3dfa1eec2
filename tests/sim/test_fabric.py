"""The KV fabric: both ends are links, where a tray's time goes, layer-wise streaming of a whole
batch, who sends the first token, arrivals and overload."""

import numpy as np
import pytest

from disagg_viz.explore.goodput import Goodput, Slo, probe, request_mix
from disagg_viz.explore.planner import Candidate, _why
from disagg_viz.scenario.model import DisaggregatedSystem
from disagg_viz.sim.layout import R_PREFILL_END, R_TRANSFER_START
from disagg_viz.sim.metrics import summarize
from disagg_viz.sim.runner import simulate_scenario, simulate_system
from disagg_viz.sim.specs import scenario_specs
from disagg_viz.sim.workload import from_arrays, generate
from tests.sim.helpers import scenario


def _disagg(name="d", **kw):
    args = dict(prefill_instances=1, decode_instances=1, link="nvlink4")
    args.update(kw)
    return DisaggregatedSystem(name=name, **args)


def _receiver_bytes_per_s_never_exceed_its_link(res, system):
    """Bytes a decode instance receives in any window never exceed its link rate."""
    rate = res.link.port_bytes_per_s
    per_gpu = system.link_peak_gb_per_s * 1e9 * system.link_efficiency
    assert rate <= per_gpu * system.decode_tp * (1 + 1e-12)
    start, out = res.req_f[:, R_TRANSFER_START], res.port_out
    for j in np.unique(res.req_i[~np.isnan(start), 1]):
        mine = (res.req_i[:, 1] == j) & ~np.isnan(start)
        s, e = start[mine], out[mine]
        order = np.argsort(s)
        s, e = s[order], e[order]
        assert np.all(s[1:] >= e[:-1] - 1e-12), "a receiver's shipments overlap"
        for w0 in np.arange(0.0, e.max(), 0.25):
            got = np.clip(np.minimum(e, w0 + 0.25) - np.maximum(s, w0), 0, None).sum() * rate
            assert got <= rate * 0.25 * (1 + 1e-9)


def test_four_senders_into_one_decode_gpu_over_25gbe_back_up():
    # 8,192-token prompts of Llama-3.1-8B: 1.07 GB trays; 25 GbE at 80%: 0.43 s each; 4 req/s
    # needs 1.7 s of the decode GPU's one link per second.
    system = _disagg(prefill_instances=4, decode_instances=1, link="ethernet-25g")
    sc = scenario([system], requests=240, arrival_rate=4.0, prompt_tokens=8192, prompt_distribution="fixed",
                  output_tokens=64)
    res = simulate_scenario(sc).systems[0]
    ttft = res.ttft
    assert np.nanmedian(ttft[-20:]) > 3 * np.nanmedian(ttft[:20])   # grows with the run
    s = summarize(res, 1.0, 0.1)
    assert s["overloaded"] and "waiting for a link" in s["overload_reason"]
    assert s["kv_queue_ms"]["p90"] > 50 * s["kv_wire_ms"]["p90"]
    _receiver_bytes_per_s_never_exceed_its_link(res, system)


@pytest.mark.parametrize("ptp,dtp", [(1, 1), (4, 2), (2, 4)])
def test_a_shipment_is_striped_over_min_tp_pairs_and_receivers_stay_within_their_links(ptp, dtp):
    system = _disagg(prefill_instances=3, prefill_tp=ptp, decode_instances=2, decode_tp=dtp, link="ib-ndr")
    sc = scenario([system], requests=150, arrival_rate=12.0, prompt_tokens=6000)
    link = scenario_specs(sc)[0].link
    assert link.port_bytes_per_s == pytest.approx(50e9 * 0.8 * min(ptp, dtp)) and link.stripes == min(ptp, dtp)
    _receiver_bytes_per_s_never_exceed_its_link(simulate_scenario(sc).systems[0], system)


def test_a_full_decode_pool_is_blamed_on_kv_room_not_the_link():
    # 1P1D over NVLink with little decode memory and long answers: trays wait for room.
    system = _disagg(link="nvlink4")
    sc = scenario([system], requests=300, arrival_rate=6.0, prompt_tokens=2000, output_tokens=1500)
    sc.hardware.memory_gb = 24.0
    res = simulate_scenario(sc).systems[0]
    s = summarize(res, 1.0, 0.1)
    assert s["kv_wait_ms"]["p90"] > 300 * s["kv_wire_ms"]["p90"]
    assert s["kv_wire_ms"]["max"] < 5.0
    spec = scenario_specs(sc)[0]
    p = probe(spec, request_mix(sc), Slo(1.0, 0.1, 0.9), 6.0)
    assert p.kv_wait_share > max(p.kv_queue_share, p.kv_wire_share)
    c = Candidate(system, "1P1D", spec, Goodput(1.0, 2, 1, p))
    assert _why(c, c).startswith("plating line full"), (_why(c, c), p)


def test_shipment_parts_add_up_to_the_delay_after_prefill():
    sc = scenario([_disagg(prefill_instances=2, link="pcie4")], requests=200, arrival_rate=8.0)
    res = simulate_scenario(sc).systems[0]
    parts = res.kv_wait + res.kv_queue + res.kv_wire
    shipped = ~np.isnan(res.req_f[:, R_TRANSFER_START])
    assert shipped.all() and np.all(res.kv_wait >= 0) and np.all(res.kv_queue >= -1e-12)
    assert np.allclose(parts, res.transfer_exposed, rtol=0, atol=1e-9)


def test_every_request_of_a_layerwise_batch_streams_while_the_batch_runs():
    # Four 3,000-token prompts arrive while the prefill instance is busy: they share its next batch.
    def run(layerwise):
        system = _disagg(decode_instances=2, layerwise_transfer=layerwise, max_prefill_tokens=16384)
        sc = scenario([system])
        wl = from_arrays([0.0, 1e-3, 1e-3, 1e-3, 1e-3], [3000] * 5, [8] * 5)
        return simulate_system(scenario_specs(sc)[0], wl), system

    layered, system = run(True)
    whole, _ = run(False)
    assert len(np.unique(layered.req_f[1:, R_PREFILL_END])) == 1      # one batch
    one_tray_wire = layered.kv_bytes[0] / layered.link.port_bytes_per_s
    assert np.all(layered.transfer_exposed < 0.2 * one_tray_wire)      # every request, not just the first
    assert np.sort(whole.transfer_exposed[1:])[-1] > 3 * one_tray_wire  # whole trays queue after the batch


def test_the_prefill_instance_can_send_the_first_token():
    def run(first):
        sc = scenario([_disagg(link="ethernet-100g", first_token=first)], requests=120, arrival_rate=2.0,
                      output_distribution="uniform", output_tokens=2)
        return simulate_scenario(sc).systems[0]

    dec, pre = run("decode"), run("prefill")
    assert np.allclose(pre.ttft, pre.req_f[:, R_PREFILL_END] - pre.arrival)
    assert np.nanmedian(pre.ttft) < np.nanmedian(dec.ttft)
    two_plus = pre.output > 1
    assert np.all(pre.stall[two_plus] >= (pre.req_f[:, 3] - pre.req_f[:, R_PREFILL_END])[two_plus] - 1e-12)
    one = pre.output == 1
    assert one.any() and np.all(np.isnan(pre.req_f[one, R_TRANSFER_START])) and pre.served[one].all()
    assert pre.token_steps == int((pre.output[pre.served] - 1).sum())


@pytest.mark.parametrize("dist,cv", [("poisson", 1.0), ("gamma", 3.0), ("gamma", 0.5), ("fixed", 0.0)])
def test_arrival_distributions_keep_the_rate_and_set_the_burstiness(dist, cv):
    sc = scenario(requests=20_000, arrival_rate=5.0, arrival_distribution=dist, arrival_cv=max(cv, 0.05))
    wl = generate(sc.workload)
    gaps = np.diff(wl.arrival)
    assert gaps.mean() == pytest.approx(0.2, rel=0.05)
    assert gaps.std() / gaps.mean() == pytest.approx(cv, abs=0.1 * max(cv, 0.1))
    again = generate(sc.workload)
    assert np.array_equal(wl.arrival, again.arrival)


def test_overload_is_flagged_with_where_the_backlog_sits_and_light_load_is_not():
    heavy = simulate_scenario(scenario(requests=400, arrival_rate=40.0, prompt_tokens=6000))
    light = simulate_scenario(scenario(requests=400, arrival_rate=0.5, prompt_tokens=1000))
    for res in heavy.systems:
        s = summarize(res, 1.0, 0.1)
        assert s["overloaded"] and "req/s" in s["overload_reason"], s["name"]
    for res in light.systems:
        s = summarize(res, 1.0, 0.1)
        assert not s["overloaded"] and s["overload_reason"] == ""
