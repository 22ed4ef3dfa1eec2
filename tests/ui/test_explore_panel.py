"""The Explore tab: the map and the plan compute in the background (the window keeps answering),
Cancel stops them, a click loads a cell into the kitchen."""

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

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
    gaps.stop()                     # counted until the map came back, not after
    assert panel.worker.thread() is not QApplication.instance().thread()
    assert gaps.ticks > 3           # the event loop kept running meanwhile (bench_ui/bench_explore time it)
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
    # ... at the rate the cell is about (its goodput), and says so; the map names its baseline
    assert sc.workload.arrival_rate == pytest.approx(panel.cmap.dis_rate[1, 2], rel=1e-3)
    assert "goodput" in win.statusBar().currentMessage() and "chunked" in panel.status.text()
    close_window(win)


def test_cancel_stops_a_long_map(qtbot):
    win = open_window(qtbot, edits=["workload.requests=2000"])
    panel = win.explore
    panel.x_axis.n.setValue(16)
    panel.y_axis.n.setValue(16)
    panel.start_map()
    qtbot.waitUntil(lambda: panel.progress.maximum() > 0, timeout=60_000)   # the worker is into the map
    panel.cancel()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    assert panel.status.text() == "Cancelled." and panel.cmap is None
    assert panel.progress.value() < panel.progress.maximum()              # it stopped part-way
    close_window(win)


def test_plan_fills_the_table_and_a_row_loads_two_systems(qtbot):
    win = open_window(qtbot, edits=["workload.requests=100"])
    panel = win.explore
    panel.gpus.setValue(3)
    panel.start_plan()
    qtbot.waitUntil(lambda: not panel.busy, timeout=120_000)
    assert panel.table.rowCount() == len(panel.plan.ranked) > 5
    best = panel.plan.ranked[0]
    assert panel.table.item(0, 1).text() == f"{best.label} — best" and "GPUs" in panel.smallest.text()
    second = panel.plan.ranked[1]
    assert panel.table.item(1, 1).text() == f"{second.label} — {second.reason}" and second.reason
    assert panel.table.item(1, 2).text() == f"{second.per_gpu:.3g}"
    win.tabs.setCurrentIndex(1)                      # shown at 1280x800: every column in view, no scrolling
    table = panel.table
    qtbot.waitUntil(lambda: table.isVisible() and table.viewport().width() > 100, timeout=5000)
    assert sum(table.columnWidth(c) for c in range(table.columnCount())) <= table.viewport().width() + 1
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


def test_map_legend_never_overlaps_and_wraps_when_narrow(qtbot):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont, QFontMetricsF

    from disagg_viz.ui.explore.map_painter import legend_layout

    metrics = QFontMetricsF(QFont("DejaVu Sans", 10))
    for width, one_line in ((1200, True), (420, False)):
        rect = QRectF(0, 0, width, 500)
        items = legend_layout(rect, metrics)
        labels = [label_rect for _, _, label_rect, _ in items]
        assert (len({round(r.top()) for r in labels}) == 1) == one_line
        for k, a in enumerate(labels):
            assert rect.contains(a) and metrics.horizontalAdvance(items[k][3]) <= a.width() + 0.5
            for b in labels[k + 1:]:
                assert not a.intersects(b)


def test_plan_can_rank_per_dollar_hour(qtbot):
    win = open_window(qtbot, edits=["workload.requests=100"])
    panel = win.explore
    panel.gpus.setValue(2)
    panel.per.setCurrentIndex(panel.per.findData("dollar"))
    panel.start_plan()
    qtbot.waitUntil(lambda: not panel.busy, timeout=120_000)
    best = panel.plan.ranked[0]
    assert best.per_unit == "dollar" and panel.table.horizontalHeaderItem(2).text() == "req/s per $/h"
    assert panel.table.item(0, 2).text() == f"{best.value:.3g}" and "$/h" in panel.status.text()
    close_window(win)
