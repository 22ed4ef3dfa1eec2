"""The app as a desktop citizen: Help > About (version, licence, where its files live, a versions
report on the clipboard), the window icon, Ctrl+C in the terminal, the shipped cost-model document
the scoreboard legend points to, and the smoke-test mode of standalone builds."""

import os
import signal

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from disagg_viz import __version__
from disagg_viz.resources import doc_path, scenarios_dir
from disagg_viz.ui.about import AboutDialog, versions_report
from disagg_viz.ui.app_lifecycle import QuitAfterResult, SigintCloser, app_icon
from tests.ui.window_helpers import close_window, open_window


def _help_action(win, text: str):
    help_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Help")
    return next(a for a in help_menu.actions() if text in a.text().replace("&", ""))


def test_help_about_says_version_licence_and_where_files_live(qtbot):
    win = open_window(qtbot, start=False)
    _help_action(win, "About disagg-viz").trigger()
    dialog = win.findChild(AboutDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    text = dialog.text.text()
    assert f"disagg-viz {__version__}" in text and "MIT" in text
    for place in (str(scenarios_dir()), os.environ["NUMBA_CACHE_DIR"], QSettings().fileName()):
        assert place in text, place
    dialog.copy_button.click()
    report = QGuiApplication.clipboard().text()
    assert report == versions_report()
    for line in (f"disagg-viz: {__version__}", "Python: 3.", "Qt: 6.", "PySide6: 6.", "pyqtgraph: ", "numpy: ",
                 "numba: 0.", "OS: ", "Qt platform plugin: offscreen"):
        assert line in report, line
    assert "Copied" in dialog.note.text()
    _help_action(win, "About disagg-viz").trigger()           # asked again: the same dialog, not a second one
    assert len(win.findChildren(AboutDialog)) == 1
    close_window(win)


def test_the_window_icon_is_the_shipped_svg():
    icon = app_icon()
    assert not icon.isNull() and not icon.pixmap(64, 64).isNull()


def test_the_scoreboard_legend_points_to_a_document_this_installation_has(qtbot):
    win = open_window(qtbot, edits=["workload.requests=40"])
    assert "Help > Cost Model" in win.scoreboard_legend.text() and "docs/" not in win.scoreboard_legend.text()
    assert _help_action(win, "Cost Model")
    assert "roofline" in doc_path("cost-model.md").read_text().lower()
    assert doc_path("scenario-format.md").is_file()
    close_window(win)


def test_ctrl_c_in_the_terminal_closes_the_window_the_normal_way(qtbot):
    win = open_window(qtbot, start=False)
    closer = SigintCloser(win)
    before = signal.getsignal(signal.SIGINT)
    closer.install()
    try:
        win.controller.change({"workload.requests": 30})            # unsaved: closing asks first
        asked = []
        win.files.ask_unsaved = lambda: asked.append(True) or QMessageBox.Cancel
        os.kill(os.getpid(), signal.SIGINT)
        qtbot.waitUntil(lambda: bool(asked), timeout=5000)
        assert win.isVisible()                                       # Cancel keeps it open
        win.files.ask_unsaved = lambda: QMessageBox.Discard
        os.kill(os.getpid(), signal.SIGINT)
        qtbot.waitUntil(lambda: not win.isVisible(), timeout=5000)
    finally:
        closer.uninstall()
    assert signal.getsignal(signal.SIGINT) is before
    close_window(win)


def test_smoke_test_mode_quits_after_the_first_result(qtbot, monkeypatch):
    monkeypatch.setenv("DISAGG_VIZ_QUIT_AFTER_RESULT", "1")
    assert QuitAfterResult.wanted()
    win = open_window(qtbot, edits=["workload.requests=40"], start=False)
    smoke = QuitAfterResult(win)
    win.controller.start()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=120_000)
    assert smoke.status == 0 and win.controller.result is not None
    monkeypatch.setenv("DISAGG_VIZ_QUIT_AFTER_RESULT", "0")
    assert not QuitAfterResult.wanted()
    close_window(win)
