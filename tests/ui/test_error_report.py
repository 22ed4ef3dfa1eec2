"""Unexpected errors reach the user as a dialog (from any thread); a simulator failure too."""

import sys
import threading

from PySide6.QtWidgets import QMessageBox, QWidget

from disagg_viz.ui.error_report import ErrorReporter
from tests.ui.window_helpers import close_window, open_window


def _boxes(parent: QWidget) -> list[QMessageBox]:
    return [w for w in parent.findChildren(QMessageBox) if w.isVisible()]


def test_exception_in_a_slot_and_in_a_thread_become_dialogs(qtbot):
    win = open_window(qtbot, edits=["workload.requests=40"])
    reporter = ErrorReporter(win)
    reporter.install()
    try:
        try:
            raise ZeroDivisionError("division by zero in a paint")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: len(_boxes(win)) == 1, timeout=2000)
        box = _boxes(win)[0]
        assert "ZeroDivisionError" in box.text() and "division by zero" in box.detailedText()
        t = threading.Thread(target=lambda: 1 / 0)
        t.start()
        t.join()
        qtbot.waitUntil(lambda: len(reporter.shown) == 2, timeout=2000)
        assert len(_boxes(win)) == 1                      # one dialog at a time, the rest in the status bar
        assert "ZeroDivisionError" in win.statusBar().currentMessage()
        box.accept()
    finally:
        reporter.uninstall()
    assert sys.excepthook is not reporter._hook
    close_window(win)


def test_simulator_failure_opens_a_dialog_and_keeps_the_scenario(qtbot):
    win = open_window(qtbot, edits=["workload.requests=40"])
    before = win.controller.scenario
    win.controller._on_failed(win.controller._generation, "simulation failed: out of cheese")
    qtbot.waitUntil(lambda: any(b.objectName() == "simulation-failed" for b in _boxes(win)), timeout=2000)
    assert win.controller.scenario == before
    for b in _boxes(win):
        b.accept()
    close_window(win)
