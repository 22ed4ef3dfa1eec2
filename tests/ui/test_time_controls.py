"""The time bar never cuts its clock: when the buttons, scrubber and clock do not fit one row (a
narrow window, presentation type), the scrubber and clock move under the buttons."""

from PySide6.QtWidgets import QApplication

from tests.ui.window_helpers import close_window, open_window


def test_clock_is_whole_when_presenting_at_1024x768_and_one_row_when_wide(qtbot):
    win = open_window(qtbot, name="03-the-gating-cost.toml")
    win.presentation.enter()
    win.showNormal()
    bar = win.time_controls
    for size, wide in (((1024, 768), False), ((1920, 1080), True)):
        win.resize(*size)
        for _ in range(3):
            QApplication.processEvents()
        clock = bar.clock.geometry()
        assert clock.right() < bar.width() and clock.width() >= bar.clock.minimumWidth(), size
        assert bar.clock.fontMetrics().horizontalAdvance(bar.clock.text()) <= clock.width(), size
        assert bar._wide == wide, size
    win.presentation.leave()
    close_window(win)


def test_the_time_bar_shades_the_arrival_rate_of_a_burst(qtbot):
    """A burst of 30 req/s from 20 to 30 s on top of 2 req/s: the shaded rate peaks there."""
    win = open_window(qtbot, edits=("workload.requests=400", "workload.arrival_rate=2.0", "workload.duration_s=60",
                                    "workload.bursts=[{at_s = 20.0, duration_s = 10.0, rate = 30.0}]"))
    bar = win.time_controls.scrubber
    edges, rates = bar.rate_edges, bar.rates
    peak = rates.index(max(rates))
    assert 19 <= edges[peak] <= 30 and max(rates) > 5 * rates[2]
    poly = bar.rate_polygon()
    assert poly.size() == 2 * len(rates) + 2
    assert min(p.y() for p in poly) < bar.height() / 2          # the peak reaches up the bar
    assert "peak" in bar.toolTip()
    close_window(win)
