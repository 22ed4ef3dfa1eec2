"""The Explore tab: the map and the plan compute in the background (the window keeps answering),
Cancel stops them, a click loads a cell into the kitchen."""

import numpy as np

from disagg_viz.tools.gap_meter import GapMeter
from tests.ui.window_helpers import close_window, open_window


def _small_axes(panel):
    panel.x_axis.key.setCurrentIndex(panel.x_axis.key.findData("prompt"))
    panel.x_axis.lo.setValue(512)
    panel.x_axis.hi.setValue(8192)
    panel.x_axis.n.setValue(3)
    panel.y_axis.key.setCurrentIndex(panel.y_axis.key.findData("link"))
    panel.y_axis.lo.setValue(2)
    panel.y_axis.hi.setValue(400)
    panel.y_axis.n.setValue(3)


def test_map_computes_in_background_and_a_click_loads_the_cell(qtbot):
    win = open_window(qtbot, edits=["workload.requests=100"])
    panel = win.explore
    win.tabs.setCurrentIndex(1)
    _small_axes(panel)
    gaps = GapMeter()
    gaps.start()
    assert panel.start_map()
    assert panel.busy and not panel.compute.isEnabled()
    qtbot.waitUntil(lambda: not panel.busy, timeout=120_000)
    qtbot.wait(20)
    gaps.stop()
    assert gaps.worst < 100 and gaps.ticks > 3
    assert not panel.busy and panel.cmap.ratio.shape == (3, 3)
    assert panel.progress.value() == panel.progress.maximum() > 0
    assert "cells" in panel.status.text()
    tip = panel.map_view.describe(1, 2)
    assert "ratio" in tip and "req/s per GPU" in tip
    # a click on cell (row 1, column 2) loads that prompt length and link into the kitchen
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        panel._load_cell(1, 2)
    sc = win.controller.scenario
    assert sc.workload.prompt_tokens == round(panel.cmap.x.values[2])
    assert np.isclose(sc.systems[1].link_gb_per_s, panel.cmap.y.values[1])
    assert win.tabs.currentIndex() == 0 and win.controller.loaded != sc
    close_window(win)


def test_cancel_stops_a_long_map(qtbot):
    win = open_window(qtbot, edits=["workload.requests=2000"])
    panel = win.explore
    panel.x_axis.n.setValue(16)
    panel.y_axis.n.setValue(16)
    panel.start_map()
    qtbot.wait(300)
    panel.cancel()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    assert not panel.busy and panel.status.text() == "Cancelled." and panel.cmap is None
    close_window(win)


def test_plan_fills_the_table_and_a_row_loads_two_systems(qtbot):
    win = open_window(qtbot, edits=["workload.requests=100"])
    panel = win.explore
    panel.gpus.setValue(3)
    panel.start_plan()
    qtbot.waitUntil(lambda: not panel.busy, timeout=120_000)
    assert panel.table.rowCount() == len(panel.plan.ranked) > 5
    assert panel.table.item(0, 3).text() == "best" and "GPUs" in panel.smallest.text()
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        panel._load_plan_row(1)
    kinds = [s.kind for s in win.controller.scenario.systems]
    assert sorted(kinds) == ["colocated", "disaggregated"] and all(s.gpus == 3 for s in win.controller.scenario.systems)
    close_window(win)


def test_bad_axis_is_reported_in_the_panel(qtbot):
    win = open_window(qtbot, edits=["workload.requests=60"])
    panel = win.explore
    panel.x_axis.key.setCurrentIndex(panel.x_axis.key.findData("split"))
    panel.x_axis.lo.setValue(1)
    panel.x_axis.hi.setValue(9)
    assert not panel.start_map()
    assert "Cannot compute the map" in panel.status.text() and not panel.busy
    close_window(win)
