"""Faults added from a station's context menu are ordinary scenario edits (scenario/fault_edits.py):
they validate like a file's [[faults]], keep the other entries, and read as a person writes them."""

import pytest

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import ScenarioError, load_scenario
from disagg_viz.scenario import fault_edits as fe
from disagg_viz.scenario.overrides import apply_overrides

SPLIT, COLO = 2, 0      # lesson 5: "2P2D, NVLink fixed" and the colocated system


def _lesson5():
    return load_scenario(scenarios_dir() / "05-your-cluster.toml")


def test_a_station_is_lost_now_and_brought_back_later():
    sc = _lesson5()
    split = sc.systems[SPLIT]
    lost = apply_overrides(sc, fe.lose_station(sc, split, "decode", 1, 42.37))
    (fault,) = lost.faults
    assert (fault.kind, fault.system, fault.pool, fault.instance, fault.at_s, fault.until_s) == \
        ("instance-lost", split.name, "decode", 1, 42.4, None)
    assert fe.lost_entry(lost, split, "decode", 1, 50.0) == 0 and fe.lost_entry(lost, split, "decode", 2, 50.0) is None
    back = apply_overrides(lost, fe.bring_back(lost, split, "decode", 1, 61.04))
    assert back.faults[0].until_s == 61.0
    assert fe.lost_entry(back, split, "decode", 1, 61.0) is None                 # back by then
    again = fe.bring_back(lost, split, "decode", 1, 42.4)                        # the same moment it went
    assert apply_overrides(lost, again).faults[0].until_s == 42.5


def test_a_colocated_station_has_no_pool_and_a_broken_port_falls_back_to_pcie_or_a_quarter():
    sc = _lesson5()
    colo = apply_overrides(sc, fe.lose_station(sc, sc.systems[COLO], "prefill", 3, 5.0))
    assert colo.faults[0].instance == 3 and colo.faults[0].system == sc.systems[COLO].name
    assert fe.port_fallback(450.0) == ({"link": "pcie4"}, 32.0)                 # NVLink -> PCIe Gen4
    assert fe.port_fallback(12.5) == ({"link_gb_per_s": 3.125}, 3.125)          # already slow: a quarter
    broken = apply_overrides(colo, fe.break_port(colo, sc.systems[SPLIT], "prefill", 1, 60.0, 450.0))
    assert [f.kind for f in broken.faults] == ["instance-lost", "link"] and broken.faults[1].link == "pcie4"
    cleared = apply_overrides(broken, fe.clear_faults(broken, sc.systems[SPLIT]))
    assert [f.system for f in cleared.faults] == [sc.systems[COLO].name]        # the other system's kept


def test_an_edit_the_scenario_refuses_names_why():
    sc = _lesson5()
    split = sc.systems[SPLIT]
    one = apply_overrides(sc, fe.lose_station(sc, split, "decode", 1, 10.0))
    with pytest.raises(ScenarioError, match="every decode station"):
        apply_overrides(one, fe.lose_station(one, split, "decode", 2, 20.0))   # the pool's last station
    with pytest.raises(ScenarioError, match="link fault needs a disaggregated system"):
        apply_overrides(sc, fe.break_port(sc, sc.systems[COLO], "prefill", 1, 5.0, 32.0))
