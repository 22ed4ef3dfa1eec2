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
