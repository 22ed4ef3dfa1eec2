"""Which stations share an NVLink domain (playback/domains.py), as the kitchens frame them."""

from disagg_viz.playback.domains import DomainSpan, station_domains
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.specs import scenario_specs


def _labels(scenario):
    return {s.name: {i: d.label() for i, d in station_domains(s).items()} for s in scenario_specs(scenario)}


def test_lesson_7_stations_sit_on_8_gpu_nodes_in_order():
    got = _labels(load_scenario(scenarios_dir() / "07-at-scale.toml"))
    assert got["TP only: 4 x TP8, chunked"] == {0: "node 1", 1: "node 2", 2: "node 3", 3: "node 4"}
    assert got["Wide EP: 1 x EP32, DP attention"] == {0: "nodes 1-4"}
    # the decode pool's GPUs follow the prefill pool's
    assert got["PD: EP16 prefill + EP16 decode"] == {0: "nodes 1-2", 1: "nodes 3-4"}


def test_a_system_inside_one_domain_has_nothing_to_tell_apart():
    got = _labels(load_scenario(scenarios_dir() / "05-your-cluster.toml"))
    assert all(v == {} for v in got.values())
    gb = apply_overrides(load_scenario(scenarios_dir() / "07-at-scale.toml"), ["hardware.gpu=gb200"])
    assert _labels(gb)["PD: EP16 prefill + EP16 decode"] == {}          # 32 GPUs in one NVL72 rack


def test_nvl72_racks_group_many_stations():
    gb = apply_overrides(load_scenario(scenarios_dir() / "07-at-scale.toml"),
                         ["hardware.gpu=gb200", "systems.2.prefill_instances=3", "systems.2.decode_instances=9"])
    pd = _labels(gb)["PD: EP16 prefill + EP16 decode"]
    # 3 x 16 prefill GPUs, then 9 x 16 decode GPUs: racks of 72 GPUs
    assert [pd[i] for i in range(12)] == ["NVL72 rack 1"] * 4 + ["NVL72 racks 1-2"] + ["NVL72 rack 2"] * 4 + \
        ["NVL72 rack 3"] * 3
    assert DomainSpan(0, 0, 8) == DomainSpan(0, 0, 8)       # runs of equal spans share one frame


def test_a_pool_on_other_gpus_starts_on_machines_of_its_own():
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"),
                         ["systems.1.prefill_instances=3", "systems.1.prefill_tp=4", "systems.1.decode_gpu=a100-80gb",
                          "systems.1.decode_instances=3", "systems.1.decode_tp=4"])
    got = _labels(sc)["Disaggregated 2P2D, NVLink"]
    # prefill: GPUs 0-11 (nodes 1, 1, 2); the A100 decode pool starts on node 3, not inside node 2
    assert got == {0: "node 1", 1: "node 1", 2: "node 2", 3: "node 3", 4: "node 3", 5: "node 4"}
