"""Specs: a scenario's systems resolved once, immutable, and what the engines, explore and
playback read instead of a system's kind."""

import dataclasses

import numpy as np
import pytest

import disagg_viz.presets as presets
import disagg_viz.scenario.model as scenario_model
import disagg_viz.sim.cost_model as cost_model
from disagg_viz.scenario.model import ColocatedSystem, DisaggregatedSystem, PoolHardware
from disagg_viz.sim.layout import (
    R_DECODE_INST, R_PREFILL_INST, R_TRANSFER_END, R_TRANSFER_START, SH_BYTES, SH_COLS, SH_PORTS_FREE, SH_QUEUED,
    SH_RECEIVER, SH_SENDER, SH_WIRE_END, SH_WIRE_START,
)
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.sim.specs import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL, scenario_specs
from tests.sim.helpers import scenario


def _split(**kw):
    args = dict(name="d", prefill_instances=3, prefill_tp=2, decode_instances=2, decode_tp=4, link="ib-ndr",
                decode_gpu="a100-80gb", decode_hardware=PoolHardware(price_per_hour=2.0))
    args.update(kw)
    return DisaggregatedSystem(**args)


def test_a_split_system_has_two_pools_and_a_link():
    spec = scenario_specs(scenario([_split()]))[0]
    assert spec.is_split and spec.has_link and len(spec.pools) == 2
    p, d = spec.prefill_pool, spec.decode_pool
    assert (p.role, p.first, p.instances, p.tp, p.gpu) == (ROLE_PREFILL, 0, 3, 2, "h100-sxm")
    assert (d.role, d.first, d.instances, d.tp, d.gpu) == (ROLE_DECODE, 3, 2, 4, "a100-80gb")
    assert list(spec.roles) == [ROLE_PREFILL] * 3 + [ROLE_DECODE] * 2 and list(spec.tp) == [2] * 3 + [4] * 2
    assert d.dollars_per_hour == 8 * 2.0 and spec.gpus == 14
    link = spec.link
    assert (link.senders, link.receivers, link.stripes, link.max_shipments) == (3, 2, 2, 2)
    assert link.port_bytes_per_s == pytest.approx(50e9 * 0.8 * 2)
    assert link.max_bytes_per_s == pytest.approx(2 * link.port_bytes_per_s)


def test_a_colocated_system_has_one_pool_and_no_link():
    spec = scenario_specs(scenario([ColocatedSystem(name="c", instances=3, tp=2, chunked_prefill=True)]))[0]
    assert not spec.is_split and not spec.has_link and spec.link is None
    assert spec.prefill_pool is spec.decode_pool and spec.pools[0].role == ROLE_COLOCATED
    assert spec.chunked and spec.n_instances == 3 and spec.gpus == 6 and spec.first_token == "colocated"


def test_specs_are_immutable():
    spec = scenario_specs(scenario())[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.max_batch = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.link.latency_s = 1.0
    with pytest.raises(ValueError):
        spec.pools[0].cost[0] = 1.0
    with pytest.raises(TypeError):
        spec.pools[0].hardware["peak_tflops"] = 1.0


def test_the_model_is_resolved_once_per_scenario(monkeypatch):
    calls = []
    real = presets.resolve_model

    def counting(m):
        calls.append(1)
        return real(m)

    for module in (presets, scenario_model, cost_model):
        monkeypatch.setattr(module, "resolve_model", counting)
    sc = scenario([_split(), ColocatedSystem(name="c"), _split(name="e", layerwise_transfer=True)])
    calls.clear()
    specs = scenario_specs(sc)
    assert len(specs) == 3 and len(calls) == 1


def test_the_shipment_log_holds_every_trays_ports_and_times():
    sc = scenario([_split(prefill_tp=1, decode_tp=1, decode_gpu=None)], requests=150, arrival_rate=10.0)
    res = simulate_scenario(sc).systems[0]
    f, ship = res.req_f, res.ship
    assert ship.shape == (res.n, SH_COLS)
    shipped = ~np.isnan(f[:, R_TRANSFER_START])
    assert shipped.sum() > 100 and np.all(np.isnan(ship[~shipped]))
    s = ship[shipped]
    assert np.array_equal(s[:, SH_SENDER], res.req_i[shipped, R_PREFILL_INST])
    assert np.array_equal(s[:, SH_RECEIVER], res.req_i[shipped, R_DECODE_INST])
    assert np.array_equal(s[:, SH_WIRE_START], f[shipped, R_TRANSFER_START])
    assert np.array_equal(s[:, SH_WIRE_END], f[shipped, R_TRANSFER_END])
    assert np.array_equal(s[:, SH_QUEUED], res.kv_ready[shipped])
    assert np.allclose(s[:, SH_PORTS_FREE] - s[:, SH_WIRE_START], s[:, SH_BYTES] / res.link.port_bytes_per_s)
    assert np.all(s[:, SH_WIRE_END] >= s[:, SH_PORTS_FREE] + res.link.latency_s - 1e-12)
    assert res.shipped_bytes == pytest.approx(res.kv_bytes[shipped].sum())
    # A port ships one tray at a time: per sender and per receiver, spans never overlap.
    for col in (SH_SENDER, SH_RECEIVER):
        for port in np.unique(s[:, col]):
            mine = s[s[:, col] == port]
            mine = mine[np.argsort(mine[:, SH_WIRE_START])]
            assert np.all(mine[1:, SH_WIRE_START] >= mine[:-1, SH_PORTS_FREE] - 1e-12)


def test_a_colocated_result_has_no_shipments():
    res = simulate_scenario(scenario([ColocatedSystem(name="c")], requests=20)).systems[0]
    assert res.ship.shape == (0, SH_COLS) and res.shipped_bytes == 0.0 and np.all(np.isnan(res.port_out))


def test_a_per_node_nic_caps_striping_and_is_shared_by_the_node():
    """Ethernet presets are one NIC per 8-GPU node: two TP1 prefill instances on one node each get
    half of it, and TP4 instances cannot stripe over more ports than their node has."""
    eth = scenario_specs(scenario([_split(prefill_instances=2, prefill_tp=1, decode_instances=2, decode_tp=1,
                                          link="ethernet-25g")]))[0].link
    assert eth.ports_per_node == 1 and eth.stripes == pytest.approx(0.5)
    assert eth.port_bytes_per_s == pytest.approx(3.125e9 * 0.8 * 0.5)
    wide = scenario_specs(scenario([_split(prefill_instances=2, prefill_tp=4, decode_instances=2, decode_tp=4,
                                           link="ethernet-100g", link_ports_per_node=4)]))[0].link
    assert wide.stripes == pytest.approx(2.0)      # one 8-GPU node per pool, 4 NICs shared by 2 instances
    ib = scenario_specs(scenario([_split(prefill_instances=2, prefill_tp=4, decode_instances=2, decode_tp=4,
                                         link="ib-ndr")]))[0].link
    assert ib.ports_per_node == 8 and ib.stripes == 4    # one HCA per GPU: min(tp) as before
    bare = scenario_specs(scenario([_split(link=None, link_gb_per_s=7.0)]))[0].link
    assert bare.ports_per_node == 8 and bare.stripes == 2


def test_slower_nics_slow_the_shipments_in_the_engine():
    """The engine reads the link spec: the same split over a per-node NIC ships each tray slower."""
    base = dict(prefill_instances=2, prefill_tp=1, decode_instances=2, decode_tp=1, link="ethernet-100g")
    one, eight = (simulate_scenario(scenario([_split(**base, link_ports_per_node=n)])).systems[0]
                  for n in (1, 8))
    wire = lambda s: np.nanmedian(s.req_f[:, R_TRANSFER_END] - s.req_f[:, R_TRANSFER_START])  # noqa: E731
    assert wire(one) > 1.9 * wire(eight)


def test_l40s_all_reduce_is_not_scaled_by_an_nvlink_efficiency():
    from disagg_viz.presets import hardware
    from disagg_viz.sim.cost_model import CM_ALLREDUCE_BW, pack_cost
    model = presets.MODELS["llama-3.1-8b"]
    l40s = pack_cost(model, hardware("l40s", "vllm-2023"), 4)
    h100 = pack_cost(model, hardware("h100-sxm", "vllm-2023"), 4)
    assert l40s[CM_ALLREDUCE_BW] == pytest.approx(20e9)
    assert h100[CM_ALLREDUCE_BW] == pytest.approx(336e9 * presets.ENGINES["vllm-2023"]["allreduce_efficiency"])
