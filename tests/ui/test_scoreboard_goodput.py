"""The scoreboard's goodput rows: '-' until asked for, then the Explore worker's search fills them
per GPU, per $/h and per kW, for the simulation on screen only."""

from disagg_viz.sim.metric_registry import METRICS
from disagg_viz.ui.scoreboard import GOODPUT_ROWS
from tests.ui.window_helpers import close_window, open_window


def test_goodput_rows_fill_on_request_and_clear_on_a_new_run(qtbot):
    win = open_window(qtbot, edits=["workload.requests=60"])
    board = win.scoreboard
    labels = [METRICS[m].label for m in GOODPUT_ROWS]
    assert all(board.cell_text(label, c) == "-" for label in labels for c in range(board.columnCount()))
    with qtbot.waitSignal(win.explore.goodputReady, timeout=300_000) as got:
        win.scoreboard.actions()[0].trigger()
    scenario, goodputs = got.args
    assert len(goodputs) == len(win.controller.scenario.systems) == board.columnCount()
    for c, g in enumerate(goodputs):
        assert board.cell_text("Goodput per GPU", c).lstrip("★= ").startswith(f"{g.per_gpu:.3g}")
        assert board.cell_text("Goodput per kW", c).lstrip("★= ").startswith(f"{g.per('watt'):.3g}")
    assert any(g.rate > 0 for g in goodputs)
    assert "Goodput (req/s meeting the SLOs)" in win.explore.status.text()

    with qtbot.waitSignal(win.controller.resultReady, timeout=120_000):   # a new run: not its goodput
        win.controller.change({"workload.prompt_tokens": 1000})
    assert all(board.cell_text(label, 0) == "-" for label in labels)
    win._on_goodput(scenario, goodputs)                # an answer for the old scenario is not shown
    assert board.cell_text("Goodput per GPU", 0) == "-"
    close_window(win)
