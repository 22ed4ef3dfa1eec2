from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.naming import follow_names
from disagg_viz.scenario.overrides import apply_overrides


def _edit(name, edits):
    sc = load_scenario(scenarios_dir() / name)
    return follow_names(sc, apply_overrides(sc, edits), edits)


def test_names_follow_pools_links_gpus_and_chunking():
    sc = _edit("default.toml", {"systems.1.prefill_instances": 16, "systems.1.link_gb_per_s": 0.5,
                                "systems.0.instances": 6})
    assert sc.systems[1].name == "Disaggregated 16P2D, 0.5 GB/s"
    assert sc.systems[0].name == "Colocated, 6 GPUs"
    sc = _edit("03-the-gating-cost.toml", {"systems.2.link_gb_per_s": 50.0, "systems.0.chunked_prefill": False})
    assert sc.systems[2].name == "2P2D over 50 GB/s" and sc.systems[0].name.startswith("Colocated, prefill-first")
    sc = _edit("04-when-it-pays.toml", {"systems.1.link": "ethernet-25g", "systems.1.decode_tp": 4})
    assert sc.systems[1].name == "Disaggregated 3P1D (TP2/TP4), 25 GbE"


def test_a_fixed_name_or_an_explicit_rename_stays():
    sc = _edit("03-the-gating-cost.toml", {"systems.2.link_gb_per_s": 50.0, "systems.2.name": "Fast pair"})
    assert sc.systems[2].name == "Fast pair"
    sc = _edit("default.toml", {"workload.prompt_tokens": 9000})
    assert [s.name for s in sc.systems] == [s.name for s in load_scenario(scenarios_dir() / "default.toml").systems]


def test_names_in_words_and_repaired_links_follow_too():
    """Issue 22: "One GPU, prefill-first" with four instances, "2P2D, NVLink fixed" over 1 GB/s."""
    sc = _edit("01-the-conflict.toml", {"systems.0.instances": 4})
    assert sc.systems[0].name == "4 GPUs, prefill-first"
    sc = _edit("05-your-cluster.toml", {"systems.2.link_gb_per_s": 1.0})
    assert sc.systems[2].name == "2P2D, 1 GB/s"
