"""[[faults]]: a station's KV port degrades at a time; what it cost."""

import numpy as np
import pytest

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import ScenarioError, load_scenario
from disagg_viz.scenario.codec import scenario_from_dict, scenario_to_dict
from disagg_viz.sim.engine_input import link_row
from disagg_viz.sim.layout import SH_PORTS_FREE, SH_RECEIVER, SH_WIRE_START
from disagg_viz.sim.link_faults import port_share, shipment_rate
from disagg_viz.sim.metrics import summarize
from disagg_viz.sim.runner import simulate_scenario

SPLIT = "2P2D, NVLink fixed"


def _with_faults(faults, requests=300):
    d = scenario_to_dict(load_scenario(scenarios_dir() / "05-your-cluster.toml"))
    d["workload"]["requests"] = requests
    d["faults"] = faults
    return scenario_from_dict(d)


def test_the_slower_port_sets_the_rate_from_the_fault_on():
    link = link_row(100.0, 0.0, False, [(2.0, 3, 0.5), (1.0, 0, 0.25), (4.0, 3, 1.0)])
    assert port_share(link, 0, 0.5) == 1.0 and port_share(link, 0, 1.0) == 0.25
    assert shipment_rate(100.0, link, 0, 3, 1.5) == 25.0
    assert shipment_rate(100.0, link, 1, 3, 2.0) == 50.0
    assert shipment_rate(100.0, link, 1, 3, 4.0) == 100.0       # repaired


def test_a_degraded_port_slows_only_shipments_through_it_after_the_fault():
    sc = _with_faults([{"at_s": 20.0, "system": SPLIT, "pool": "decode", "instance": 1, "link": "pcie4"}])
    res = next(s for s in simulate_scenario(sc).systems if s.name == SPLIT)
    healthy = next(s for s in simulate_scenario(_with_faults([])).systems if s.name == SPLIT)
    sh = res.ship
    wire = sh[:, SH_PORTS_FREE] - sh[:, SH_WIRE_START]
    through = (sh[:, SH_RECEIVER] == 2) & (sh[:, SH_WIRE_START] >= 20.0)
    before = sh[:, SH_WIRE_START] < 20.0
    assert np.array_equal(res.ship[before], healthy.ship[before], equal_nan=True)   # the past is unchanged
    assert through.any()
    rate = res.ship[through, 6] / wire[through]
    assert rate == pytest.approx(32e9 * res.spec.link.efficiency * res.spec.link.stripes, rel=1e-9)
    cost = summarize(res, 1.0, 0.1)["fault_cost"]
    assert cost["requests_delayed"] == int(through.sum()) and cost["extra_wire_s"] > 0
    assert cost["extra_prefill_tokens"] == 0
    assert "fault_cost" not in summarize(healthy, 1.0, 0.1)


@pytest.mark.parametrize("fault,needle", [
    ({"at_s": 1.0, "system": "nope", "link": "pcie4"}, "faults.0.system = 'nope': no system has that name"),
    ({"at_s": 1.0, "system": "Yours: colocated, chunked, 4 GPUs", "link": "pcie4"}, "needs a disaggregated system"),
    ({"at_s": 1.0, "system": SPLIT, "pool": "decode", "instance": 3, "link": "pcie4"}, "has 2 decode stations"),
    ({"at_s": 1.0, "system": SPLIT}, "exactly one of `link`"),
])
def test_bad_faults_are_named(fault, needle):
    with pytest.raises(ScenarioError) as exc:
        _with_faults([fault])
    assert needle in str(exc.value)
