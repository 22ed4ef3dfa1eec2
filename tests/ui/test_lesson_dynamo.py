"""Lesson 8 in the window: the day's rate is shaded on the time bar, the scoreboard shows prefix
hits for the caching kitchens, and the trace step loads Mooncake's conversation trace."""

from tests.ui.test_teaching import _wait_settled
from tests.ui.window_helpers import close_window, open_window


def test_lesson_8_walks_from_the_day_to_the_trace(qtbot):
    win = open_window(qtbot, "08-dynamo.toml")
    bar = win.time_controls.scrubber
    noon = bar.rates[len(bar.rates) // 2]
    assert noon > 5 * bar.rates[2]                                  # the midday peak over the night
    from disagg_viz.ui.scoreboard import ROWS
    row = ROWS.index("prefix_hit_rate")
    assert not win.scoreboard.isRowHidden(row)
    assert win.scoreboard.item(row, 0).text().strip() == "-" and "%" in win.scoreboard.item(row, 2).text()
    win.lesson.go(3)
    _wait_settled(qtbot, win)
    assert win.lesson.walk.index == 3
    assert win.controller.scenario.workload.trace.endswith("mooncake-conversation-400.jsonl")
    assert bar.end < 400 < 1200                    # the trace's 141 s (and their service), not the 20-minute day
    hits = float(win.scoreboard.item(row, 2).text().lstrip("★= ").rstrip("%"))
    assert 0 < hits < 10                           # what HBM holds of a real conversation trace
    assert not win.isWindowModified()
    close_window(win)
