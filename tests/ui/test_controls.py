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
