"""UI responsiveness, offscreen: slider change -> updated scoreboard, and animation frame rate.

    python benchmarks/bench_ui.py [--trials N] [--scenario FILE]

Prints the median and p95 time from a slider change to the scoreboard showing the new result
(debounce, simulation and view preparation in the worker, drawing in the GUI thread), the worst
event-loop gap seen meanwhile, and frames per second of the playing animation (cursor advance,
kitchens and charts repainted) at 1280x800 and 1920x1080. Last line:
``slider_to_update_p95_ms=<x> fps_1080p=<y>``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from disagg_viz.numba_cache import configure_numba_cache  # noqa: E402

configure_numba_cache()

import numpy as np  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from disagg_viz.resources import default_scenario_path, resolve_scenario_arg  # noqa: E402
from disagg_viz.scenario import load_scenario  # noqa: E402
from disagg_viz.tools.gap_meter import GapMeter  # noqa: E402
from disagg_viz.ui.interpreter import tune_for_gui  # noqa: E402
from disagg_viz.ui.main_window import MainWindow  # noqa: E402


def _wait(signal, timeout_ms: int = 120_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def slider_latency(win: MainWindow, trials: int) -> tuple[list[float], float]:
    slider = win.controls.controls["prompt"].slider
    base = slider.value()
    times = []
    gaps = GapMeter()
    gaps.start()
    for k in range(trials):
        before = [win.scoreboard.item(r, 0).text() for r in range(win.scoreboard.rowCount())]
        t0 = time.perf_counter()
        slider.setValue(base + (40 if k % 2 == 0 else 0) + (k % 7))
        _wait(win.controller.resultReady)
        QCoreApplication.processEvents()         # the scoreboard's repaint
        times.append((time.perf_counter() - t0) * 1e3)
        after = [win.scoreboard.item(r, 0).text() for r in range(win.scoreboard.rowCount())]
        if after == before and k > 0:
            print(f"  note: trial {k} left the scoreboard unchanged", file=sys.stderr)
    gaps.stop()
    return times, gaps.worst


def frame_rate(win: MainWindow, width: int, height: int, seconds: float = 3.0) -> float:
    win.resize(width, height)
    QCoreApplication.processEvents()
    cursor = win.cursor
    cursor.seek(min(5.0, cursor.end * 0.2))
    frames = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        cursor.advance(1 / 60)                 # one frame at normal speed
        if cursor.t >= cursor.end:
            cursor.seek(0.0)
        win.centralWidget().repaint()          # kitchens, charts, time controls: painted now
        frames += 1
    return frames / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--scenario", default=str(default_scenario_path()))
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(Path.home() / ".cache/disagg-viz/bench-settings"))
    path = Path(resolve_scenario_arg(args.scenario))
    win = MainWindow(load_scenario(path), path, "dark")
    win.resize(1280, 800)
    tune_for_gui()                               # as run_app does
    win.show()
    first_paint = QEventLoop()                   # the app paints once before it warms up
    QTimer.singleShot(150, first_paint.quit)
    first_paint.exec()
    t0 = time.perf_counter()
    gaps = GapMeter()
    gaps.start()
    win.controller.start()
    _wait(win.controller.resultReady)
    gaps.stop()
    print(f"start-up (warm-up + first result): {(time.perf_counter() - t0) * 1e3:.0f} ms, "
          f"worst event-loop gap {gaps.worst:.0f} ms")

    times, worst = slider_latency(win, args.trials)
    t = np.array(times)
    print(f"slider -> updated scoreboard ({args.trials} changes, {path.name}): median {np.median(t):.0f} ms, "
          f"p95 {np.percentile(t, 95):.0f} ms, max {t.max():.0f} ms; worst event-loop gap {worst:.0f} ms")
    win.cursor.pause()
    fps = {}
    for w, h in ((1280, 800), (1920, 1080)):
        fps[(w, h)] = frame_rate(win, w, h)
        print(f"animation at {w}x{h}: {fps[(w, h)]:.0f} fps")
    win.files.mark_clean()                       # benchmark edits: nothing to save
    win.close()
    app.processEvents()
    print(f"slider_to_update_p95_ms={np.percentile(t, 95):.0f} fps_1080p={fps[(1920, 1080)]:.0f}")


if __name__ == "__main__":
    main()
