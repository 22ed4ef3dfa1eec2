"""Render the window for a scenario at a given time, offscreen:

    python -m disagg_viz.tools.screenshot FILE.toml out.png [--time S] [--size 1280x800] [--projector]
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from disagg_viz.entry import configure_numba_cache
    configure_numba_cache()
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file")
    ap.add_argument("out")
    ap.add_argument("--time", type=float, default=None, help="simulated seconds (default: a third of the run)")
    ap.add_argument("--size", default="1280x800")
    ap.add_argument("--projector", action="store_true")
    ap.add_argument("--serving-terms", action="store_true")
    args = ap.parse_args(argv)
    try:
        w, h = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        print(f"screenshot: --size {args.size!r}: expected WIDTHxHEIGHT, e.g. 1280x800", file=sys.stderr)
        return 2
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from disagg_viz.resources import resolve_scenario_arg
    from disagg_viz.scenario import ScenarioError, load_scenario
    from disagg_viz.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    app.setOrganizationName("disagg-viz")
    app.setApplicationName("disagg-viz-screenshot")
    QSettings().clear()
    try:
        path = resolve_scenario_arg(args.file)
        scenario = load_scenario(path)
    except ScenarioError as exc:
        print(f"screenshot: {exc.summary()}", file=sys.stderr)
        return 2
    win = MainWindow(scenario, path, "projector" if args.projector else "dark")
    win.set_serving_terms(args.serving_terms)
    win.resize(w, h)
    win.show()
    loop = QEventLoop()
    win.controller.resultReady.connect(lambda _: QTimer.singleShot(50, loop.quit))
    win.controller.error.connect(lambda text: (print(text, file=sys.stderr), loop.quit()))
    win.controller.start()
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    if win.controller.result is None:
        print("screenshot: no result within 120 s", file=sys.stderr)
        return 1
    t = args.time if args.time is not None else win.cursor.end / 3
    win.cursor.seek(t)
    app.processEvents()
    ok = win.grab().save(args.out)
    win.close()
    if not ok:
        print(f"screenshot: cannot write {args.out}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({w}x{h}, t = {t:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
