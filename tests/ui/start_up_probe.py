"""Run in a fresh interpreter by test_responsiveness: open the window as the app does, measure the
worst event-loop gap from the first paint until the first result, print it as JSON."""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from disagg_viz.numba_cache import configure_numba_cache  # noqa: E402

configure_numba_cache()

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> None:
    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, sys.argv[1])
    from disagg_viz.resources import default_scenario_path
    from disagg_viz.scenario import load_scenario
    from disagg_viz.ui.interpreter import tune_for_gui
    from disagg_viz.ui.main_window import MainWindow
    from disagg_viz.tools.gap_meter import GapMeter

    path = default_scenario_path()
    win = MainWindow(load_scenario(path), path, "dark")
    win.resize(1280, 800)
    tune_for_gui()                                   # as run_app does
    win.show()
    gaps = GapMeter()
    out = {}

    def first_paint_done():
        out["preparing"] = all(k.item.snapshot is None for k in win.kitchens)
        gaps.start()
        win.controller.start()

    def done(_prepared):
        QTimer.singleShot(30, finish)

    def finish():
        gaps.stop()
        out.update(worst_gap_ms=gaps.worst, ticks=gaps.ticks, shown=all(k.item.snapshot is not None for k in win.kitchens))
        win.close()
        app.quit()

    win.controller.resultReady.connect(done)
    QTimer.singleShot(150, first_paint_done)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
