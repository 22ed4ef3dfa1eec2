"""Open a MainWindow on a shipped scenario and wait for its first result; close it cleanly."""

from PySide6.QtWidgets import QApplication

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.ui.main_window import MainWindow


def open_window(qtbot, name="default.toml", edits=(), profile="dark", start=True):
    sc = load_scenario(scenarios_dir() / name)
    if edits:
        sc = apply_overrides(sc, list(edits))
    win = MainWindow(sc, scenarios_dir() / name, profile)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)        # keyboard shortcuts need an active window
    if start:
        with qtbot.waitSignal(win.controller.resultReady, timeout=120_000):
            win.controller.start()
    return win


def close_window(win):
    """Close without saving: the unsaved-changes question is answered Discard."""
    from PySide6.QtWidgets import QMessageBox
    win.files.ask_unsaved = lambda: QMessageBox.Discard
    win.close()
    assert not win.controller._thread.isRunning()
    QApplication.processEvents()
