"""A long simulation shows progress and can be cancelled: the scenario on screen comes back and
the cancelled run's answer is dropped, whenever it arrives (no timing is assumed: the worker's
answer is only delivered when the test lets the event loop run)."""

from tests.ui.window_helpers import close_window, open_window


def test_cancel_puts_back_the_scenario_on_screen_and_drops_the_run(qtbot):
    win = open_window(qtbot, edits=["workload.requests=100"])
    c = win.controller
    shown, prepared = c.scenario, c.prepared
    results = []
    c.resultReady.connect(results.append)
    assert not c.cancellable and c.progress() is None and not win.run_progress.cancel()

    assert c.change({"workload.requests": 4000, "workload.prompt_tokens": 9000})
    c.resimulate(immediate=True)                     # into the worker now, not after the debounce
    assert c.cancellable and 0.0 <= c.progress() <= 1.0
    win.run_progress._appear()
    assert win.run_progress.isVisible() and win.run_progress.button.isEnabled()
    assert "% of requests" in win.run_progress.bar.format()

    win.run_progress.button.click()
    assert c.scenario == shown and c.prepared is prepared
    assert win.controls.controls["prompt"].value() == shown.workload.prompt_tokens
    assert not win.run_progress.isVisible() and not c.cancellable
    assert "cancelled" in win.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not c._running, timeout=120_000)     # the worker stopped at a pause
    assert results == [] and c.prepared is prepared and c.scenario == shown

    with qtbot.waitSignal(c.resultReady, timeout=120_000):       # and the next edit runs as usual
        c.change({"workload.requests": 120})
    assert c.result.systems[0].req_f.shape[0] == 120 and c.shown == c.scenario
    close_window(win)


def test_cancel_after_open_restores_the_file_that_was_open(qtbot, tmp_path):
    from disagg_viz.scenario import save_scenario
    from disagg_viz.scenario.overrides import apply_overrides
    win = open_window(qtbot, edits=["workload.requests=100"])
    c = win.controller
    before = (c.scenario, c.path)
    other = apply_overrides(c.scenario, {"title": "Another kitchen", "workload.requests": 3000})
    save_scenario(other, tmp_path / "other.toml")
    from PySide6.QtWidgets import QMessageBox
    win.files.ask_unsaved = lambda: QMessageBox.Discard
    win.files.open_path(tmp_path / "other.toml")
    assert c.scenario.title == "Another kitchen" and c.cancellable
    assert c.cancel()
    assert (c.scenario, c.path) == before and "Another kitchen" not in win.windowTitle()
    qtbot.waitUntil(lambda: not c._running, timeout=120_000)
    assert c.scenario == before[0]
    close_window(win)
