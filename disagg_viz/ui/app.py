"""Start the app: ``disagg-viz [FILE] [--projector]``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _args(argv: list[str]):
    ap = argparse.ArgumentParser(prog="disagg-viz", description="Open the disagg-viz app.")
    ap.add_argument("file", nargs="?", help="scenario TOML file (default: the shipped default scenario)")
    ap.add_argument("--projector", action="store_true", help="light, high-contrast colours for projectors")
    return ap.parse_args(argv)


def run_app(argv: list[str]) -> int:
    args = _args(argv)
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from disagg_viz.resources import default_scenario_path, resolve_scenario_arg
    from disagg_viz.scenario import ScenarioError, load_scenario
    from disagg_viz import __version__
    from disagg_viz.ui.app_lifecycle import QuitAfterResult, SigintCloser, app_icon
    from disagg_viz.ui.error_report import ErrorReporter
    from disagg_viz.ui.interpreter import tune_for_gui
    from disagg_viz.ui.language import tr
    from disagg_viz.ui.main_window import MainWindow

    if QApplication.instance() is None:
        from disagg_viz.ui.platform_check import advice, missing_libraries, uses_xcb
        missing = missing_libraries() if uses_xcb() else []
        if missing:                           # Qt would abort the interpreter, naming the wrong library
            print(advice(missing), file=sys.stderr)
            return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("disagg-viz")
    app.setApplicationName("disagg-viz")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("disagg-viz")          # Wayland/X11 match the window to disagg-viz.desktop
    app.setWindowIcon(app_icon())
    from disagg_viz.ui.language import apply_language, saved_language
    apply_language(saved_language())          # View > Language, saved in QSettings
    problem = None
    path = default_scenario_path()
    if args.file:
        wanted = resolve_scenario_arg(args.file)
        try:
            scenario = load_scenario(wanted)
            path = Path(wanted)
        except ScenarioError as exc:
            problem = exc.summary()
            scenario = load_scenario(path)
    else:
        scenario = load_scenario(path)
    win = MainWindow(scenario, path, "projector" if args.projector else None)
    reporter = ErrorReporter(win)
    reporter.install()
    tune_for_gui()
    sigint = SigintCloser(win)
    sigint.install()
    smoke = QuitAfterResult(win) if QuitAfterResult.wanted() else None
    win.show()
    if problem:
        box = QMessageBox(QMessageBox.Warning, tr("Cannot open scenario"),
                          problem + "\n\n" + tr("The default scenario is open instead."), QMessageBox.Ok, win)
        box.setTextFormat(Qt.PlainText)                # the problem may quote the file
        box.exec()
    QTimer.singleShot(30, win.controller.start)   # after the first paint: the preparing state shows
    code = app.exec()
    sigint.uninstall()
    if smoke is not None and smoke.status:
        code = smoke.status
    if not win.workers_stopped:
        # A simulation was still inside a compiled kernel when the window closed: leave now,
        # without destroying its thread under it (Qt would abort with "QThread destroyed").
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
