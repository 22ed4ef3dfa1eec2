"""Controls: log sliders map both ways, the link slider marks and names its presets."""

import pytest

from disagg_viz.playback.display_model import DisplayModel
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
    panel = ControlsPanel(DisplayModel())
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
    display = DisplayModel()
    display.set_systems(s.name for s in sc.systems)
    panel = ControlsPanel(display)
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


def test_precision_and_pool_gpu_controls_edit_the_scenario(qtbot):
    from tests.ui.window_helpers import close_window, open_window
    win = open_window(qtbot, edits=["workload.requests=40"])
    panel = win.controls
    assert panel.precision.currentData() == "bf16/bf16"
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        panel.precision.setCurrentIndex(panel.precision.findData("fp8/fp8"))
    m = win.controller.scenario.model
    assert (m.weight_dtype, m.kv_dtype) == ("fp8", "fp8")
    box = panel.pool_gpus["decode"]
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        box.setCurrentIndex(box.findData("a100-80gb"))
    sc = win.controller.scenario
    assert sc.systems[1].decode_gpu == "a100-80gb" and sc.systems[1].prefill_gpu is None
    assert "A100" in win.kitchens[1].item.title or any(
        "A100" in (s.gpu.upper()) for s in win.kitchens[1].item.snapshot.stations)
    close_window(win)


def test_the_app_keeps_its_scenario_when_an_edit_breaks_the_budget(qtbot):
    from tests.ui.window_helpers import close_window, open_window
    win = open_window(qtbot, edits=["workload.requests=60"])
    before = win.controller.scenario
    messages = []
    win.controller.error.connect(messages.append)
    assert not win.controller.change({"workload.requests": 200_000, "workload.output_tokens": 8192})
    assert win.controller.scenario == before and messages and "budget" in messages[0]
    close_window(win)
