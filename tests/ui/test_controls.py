"""Controls: log sliders map both ways, the link slider marks and names its presets."""

import pytest

from disagg_viz.presets import LINKS
from disagg_viz.ui.controls import ControlsPanel, ValueControl


def test_log_slider_round_trips_values(qtbot):
    ctl = ValueControl("prompt", 16, 131072, "tokens", log=True, integer=True)
    qtbot.addWidget(ctl)
    for v in (16, 100, 4096, 131072):
        ctl.set_value(v)
        assert ctl.value() == v
        assert ctl._to_value(ctl.slider.value()) == pytest.approx(v, rel=0.01)


def test_link_slider_has_a_mark_per_preset_and_names_the_nearest(qtbot):
    panel = ControlsPanel()
    qtbot.addWidget(panel)
    link = panel.controls["link"]
    assert len(link.slider.marks) == len(LINKS)
    link.set_value(LINKS["nvlink4"])
    assert "NVLink" in link.preset.text() and link.preset.text().startswith("=")
    link.set_value(20.0)
    assert link.preset.text().startswith("between")
    got = []
    link.edited.connect(got.append)
    link.spin.setValue(LINKS["pcie4"])
    assert got and "PCIe" in link.preset.text()


def test_sliders_edit_all_systems_of_a_kind_or_only_the_chosen_one(qtbot):
    from disagg_viz.resources import scenarios_dir
    from disagg_viz.scenario import load_scenario
    from disagg_viz.scenario.overrides import apply_overrides

    sc = load_scenario(scenarios_dir() / "03-the-gating-cost.toml")
    panel = ControlsPanel()
    qtbot.addWidget(panel)
    panel.refresh(sc)
    edits = []
    panel.changed.connect(edits.append)
    panel.controls["link"].spin.setValue(40.0)
    assert set(edits[-1]) == {"systems.1.link_gb_per_s", "systems.2.link_gb_per_s"}
    panel.target.setCurrentIndex(panel.target.findData(2))
    assert panel.controls["link"].value() == pytest.approx(sc.systems[2].link_peak_gb_per_s, rel=0.01)
    panel.controls["link"].spin.setValue(6.0)
    assert edits[-1] == {"systems.2.link_gb_per_s": 6.0}
    assert not panel.controls["colocated"].isEnabled()       # system 2 is not colocated
    panel.refresh(apply_overrides(sc, edits[-1]))
    assert panel.target.currentData() == 2                     # the choice survives a refresh
