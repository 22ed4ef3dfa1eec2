"""The window on real scenarios, offscreen: sliders re-simulate, time controls move one cursor."""

import numpy as np
import pytest
from PySide6.QtCore import QThread, Qt
from PySide6.QtWidgets import QApplication

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.ui.time_cursor import STEP_S
from tests.ui.window_helpers import close_window, open_window


_open, _close = open_window, close_window


def test_opens_on_default_with_stations_and_scoreboard(qtbot):
    win = _open(qtbot)
    sc = win.controller.scenario
    assert len(win.kitchens) == len(sc.systems) == 2
    assert [len(k.builder.at(1.0).stations) for k in win.kitchens] == [4, 4]
    assert win.scoreboard.columnCount() == 2 and win.scoreboard.cell_text("GPUs", 0) == "4"
    assert win.windowTitle().startswith(sc.title)
    _close(win)


@pytest.mark.parametrize("control,key", [
    ("prompt", lambda s: s.workload.prompt_tokens), ("output", lambda s: s.workload.output_tokens),
    ("rate", lambda s: s.workload.arrival_rate), ("link", lambda s: s.systems[1].link_gb_per_s),
    ("prefill", lambda s: s.systems[1].prefill_instances), ("decode", lambda s: s.systems[1].decode_instances),
    ("colocated", lambda s: s.systems[0].instances), ("chunk", lambda s: s.systems[0].chunk_tokens)])
def test_each_slider_changes_scenario_and_scoreboard(qtbot, control, key):
    win = _open(qtbot, edits=["workload.requests=120"])
    before_value = key(win.controller.scenario)
    before_table = [win.scoreboard.item(r, c).text() for r in range(9) for c in range(2)]
    slider = win.controls.controls[control].slider
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        slider.setValue(slider.value() + (150 if slider.value() < 800 else -150))
    assert key(win.controller.scenario) != before_value
    after_table = [win.scoreboard.item(r, c).text() for r in range(9) for c in range(2)]
    if control != "chunk":       # chunk size only matters once chunked prefill is on
        assert after_table != before_table
    _close(win)


def test_keyboard_on_slider(qtbot):
    win = _open(qtbot, edits=["workload.requests=60"])
    ctl = win.controls.controls["rate"]
    pos = ctl.slider.value()
    qtbot.keyClick(ctl.slider, Qt.Key_Right, Qt.ShiftModifier)
    assert ctl.slider.value() == pos + 1
    qtbot.keyClick(ctl.slider, Qt.Key_PageUp)
    assert ctl.slider.value() == pos + 101
    qtbot.keyClick(ctl.slider, Qt.Key_End)
    assert ctl.slider.value() == 1000 and ctl.value() == pytest.approx(200)
    _close(win)


def test_play_advances_step_and_scrub_move_exactly(qtbot):
    win = _open(qtbot, edits=["workload.requests=100"])
    cur = win.cursor
    cur.seek(1.0)
    cur.step(+1)
    assert cur.t == pytest.approx(1.0 + STEP_S)
    cur.step(-1)
    cur.step(-1)
    assert cur.t == pytest.approx(1.0 - STEP_S)
    win.time_controls.scrubber.setValue(5000)
    assert cur.t == pytest.approx(cur.end / 2)
    t0 = cur.t
    qtbot.keyClick(win, Qt.Key_Space)
    assert cur.playing
    qtbot.waitUntil(lambda: cur.t > t0 + 0.02, timeout=5000)
    qtbot.keyClick(win, Qt.Key_Space)
    assert not cur.playing
    _close(win)


def test_reset_restores_loaded_scenario_with_one_resimulation(qtbot):
    win = _open(qtbot, edits=["workload.requests=80"])
    loaded = win.controller.loaded
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.controls.controls["rate"].slider.setValue(100)
    assert win.controller.scenario != loaded
    results = []
    win.controller.resultReady.connect(results.append)
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.reset()
    qtbot.waitUntil(lambda: not win.controller.pending, timeout=60_000)   # nothing more on its way
    assert win.controller.scenario == loaded and len(results) == 1 and win.cursor.t == 0
    assert win.controls.controls["rate"].value() == pytest.approx(loaded.workload.arrival_rate)
    _close(win)


def test_stall_is_flagged_in_the_conflict_lesson(qtbot):
    win = _open(qtbot, "01-the-conflict.toml")
    prefill_first = win.kitchens[0].builder
    res = prefill_first.res
    # A moment inside a prefill-only iteration while sequences are decoding.
    log = res.log
    rows = np.flatnonzero((log[:, 4] == 0) & (log[:, 3] > 4000))
    stalled = [prefill_first.at((log[r, 1] + log[r, 2]) / 2).stations[0] for r in rows[:50]]
    assert any(st.stalled and st.paused_s > 0.1 for st in stalled)
    chunked = win.kitchens[1].builder
    assert not any(chunked.at(t).stations[0].stalled for t in np.linspace(0, res.end_time, 200))
    _close(win)


def test_bad_slider_value_is_refused_and_scenario_kept(qtbot):
    win = _open(qtbot, edits=["workload.requests=50"])
    before = win.controller.scenario
    errors = []
    win.controller.error.connect(errors.append)
    assert not win.controller.change({"workload.arrival_rate": -3.0})
    assert errors and "workload.arrival_rate" in errors[0]
    assert win.controller.scenario == before
    _close(win)


def test_stale_results_are_dropped(qtbot):
    win = _open(qtbot, edits=["workload.requests=50"])
    c = win.controller
    got = []
    c.resultReady.connect(got.append)
    for rate in (2.0, 3.0, 4.0, 5.0):
        c.change({"workload.arrival_rate": rate})
        c.resimulate(immediate=True)
    qtbot.waitUntil(lambda: len(got) >= 1 and not c.pending, timeout=60_000)   # then nothing more can come
    assert len(got) == 1 and c.scenario.workload.arrival_rate == 5.0
    assert got[-1].result.systems[0].arrival.size == 50
    _close(win)


def test_no_threads_left_after_close(qtbot):
    win = _open(qtbot, edits=["workload.requests=30"])
    thread: QThread = win.controller._thread
    win.close()
    assert thread.isFinished() and not win.cursor.playing


def test_edits_made_while_the_worker_runs_go_as_one_request(qtbot):
    """A slow scenario must not build a queue of runs nobody will see: one request at a time,
    and the edits made meanwhile go together when it answers."""
    win = _open(qtbot, edits=["workload.requests=50"])
    c = win.controller
    requests, got = [], []
    c._request.connect(lambda generation, *_: requests.append(generation))
    c.resultReady.connect(got.append)
    for rate in (2.0, 3.0, 4.0, 5.0):
        c.change({"workload.arrival_rate": rate})
        c.resimulate(immediate=True)
    qtbot.waitUntil(lambda: len(got) >= 1 and not c.pending, timeout=60_000)   # then nothing more can come
    assert len(requests) == 2 and requests[-1] == c._generation
    assert len(got) == 1 and got[0].result.systems[0].arrival.size == 50
    _close(win)


def test_slider_edits_rename_systems_and_the_scoreboard_warns_about_gpu_counts(qtbot):
    from tests.ui.window_helpers import close_window, open_window
    win = open_window(qtbot, edits=["workload.requests=60"])
    assert "different numbers of GPUs" not in win.scoreboard_legend.text()
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.controller.change({"systems.1.prefill_instances": 6, "systems.1.link_gb_per_s": 0.5})
    assert win.controller.scenario.systems[1].name == "Disaggregated 6P2D, 0.5 GB/s"
    assert "6P2D, 0.5 GB/s" in win.kitchens[1].item.title
    assert "different numbers of GPUs (4, 8)" in win.scoreboard_legend.text()
    assert win.scoreboard.cell_text("Throughput per GPU", 1)
    close_window(win)


def test_link_chart_goes_log_when_links_differ_tenfold(qtbot):
    from tests.ui.window_helpers import close_window, open_window
    win = open_window(qtbot, "03-the-gating-cost.toml", edits=["workload.requests=60"])
    plot = win.charts.plots["link"][0]
    assert win.charts.link_log() and plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert "log" in plot.getAxis("left").labelText
    close_window(win)
    win = open_window(qtbot, "default.toml", edits=["workload.requests=60"])
    assert not win.charts.link_log() and not win.charts.plots["link"][0].getPlotItem().ctrl.logYCheck.isChecked()
    close_window(win)


def test_a_kitchen_can_fill_the_stage_and_a_big_pool_reads_at_a_glance(qtbot):
    from PySide6.QtCore import Qt
    from tests.ui.window_helpers import close_window, open_window
    win = open_window(qtbot, "03-the-gating-cost.toml", edits=["workload.requests=60"])
    first, second = win.kitchens[0], win.kitchens[1]
    qtbot.mouseDClick(second.viewport(), Qt.LeftButton)
    qtbot.waitUntil(lambda: win.focused is second and second.isVisible() and not first.isVisible(), timeout=5000)
    qtbot.keyClick(win, Qt.Key_F)                            # the next one
    assert win.focused is win.kitchens[2]
    qtbot.keyClick(win, Qt.Key_F)                            # then all of them
    assert win.focused is None and all(k.isVisible() for k in win.kitchens)
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.controller.change({"systems.1.prefill_instances": 16})
    assert win.kitchens[1].compact and not win.kitchens[0].presenting
    win.kitchens[1].compact_painter.sizes_used.clear()
    win.kitchens[1].grab()
    assert min(win.kitchens[1].compact_painter.sizes_used) >= 13     # the window's floor (presenting: 18)
    close_window(win)


def test_tooltips_have_a_background_and_headers_break_between_words(qtbot):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QToolTip
    from disagg_viz.ui.scoreboard import _wrap
    from tests.ui.window_helpers import close_window, open_window
    win = open_window(qtbot, edits=["workload.requests=30"])
    tips = QToolTip.palette()
    assert tips.color(QPalette.ToolTipBase) == QColor(win.profile.panel)
    assert tips.color(QPalette.ToolTipText) == QColor(win.profile.text)
    assert _wrap("Colocated, chunked, 4 GPUs") == "Colocated,\nchunked,\n4 GPUs"
    assert not any(line.endswith("-") for line in _wrap("Disaggregated 2P2D").split("\n"))   # never "Disagg-"
    assert "Disaggregated" in _wrap("Disaggregated 2P2D").split("\n")
    close_window(win)
