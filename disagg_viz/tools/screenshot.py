"""Render the window for a scenario at a given time, offscreen:

    python -m disagg_viz.tools.screenshot FILE.toml out.png [--time S] [--size 1280x800] [--projector] [--language es]

The PNG carries the scenario (File > Open on it restores it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 1280x800") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise ValueError(f"--size {text!r}: width 320-7680 and height 240-4320 pixels")
    return w, h


def main(argv: list[str] | None = None) -> int:
    from disagg_viz.numba_cache import configure_numba_cache
    configure_numba_cache()
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file")
    ap.add_argument("out")
    ap.add_argument("--time", type=float, default=None, help="simulated seconds (default: a third of the run)")
    ap.add_argument("--size", default="1280x800")
    ap.add_argument("--projector", action="store_true")
    ap.add_argument("--serving-terms", action="store_true")
    ap.add_argument("--present", action="store_true", help="presentation mode (full screen, big type)")
    ap.add_argument("--step", type=int, default=None, help="open this lesson step (1 = first)")
    ap.add_argument("--guess", type=int, default=None, help="commit this choice (1 = first) at the step")
    ap.add_argument("--language", default="en", help="the ui's language (en, es)")
    args = ap.parse_args(argv)
    from disagg_viz.resources import resolve_scenario_arg
    from disagg_viz.scenario import ScenarioError, dump_scenario, load_scenario
    from disagg_viz.ui.offscreen import OffscreenError, open_offscreen
    try:
        size = parse_size(args.size)
        from disagg_viz.i18n import LANGUAGES
        if args.language not in LANGUAGES:
            raise ValueError(f"--language {args.language!r}: choose one of {', '.join(LANGUAGES)}")
        path = resolve_scenario_arg(args.file)
        scenario = load_scenario(path)
        _app, win = open_offscreen(scenario, path, size, "projector" if args.projector else "dark",
                                   args.serving_terms or None, language=args.language)   # no flag: the scenario's [view] words
    except (ValueError, ScenarioError, OffscreenError) as exc:
        print(f"screenshot: {exc.summary() if isinstance(exc, ScenarioError) else exc}", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from disagg_viz.ui.image_export import write_png
    if args.step is not None and win.lesson.active:
        from PySide6.QtCore import QEventLoop, QTimer
        loop = QEventLoop()
        win.controller.resultReady.connect(lambda _: QTimer.singleShot(50, loop.quit))
        win.lesson.go(args.step - 1)
        QTimer.singleShot(10_000, loop.quit)
        if win.controller.pending:
            loop.exec()
        if args.guess is not None:
            win.lesson.choose(args.guess - 1)
            win.lesson.commit.click()
    if args.present:
        win.presentation.enter()
    win.showNormal()                  # exactly the size asked for, presenting or not
    win.setFixedSize(*size)
    for _ in range(3):
        QApplication.processEvents()
    win.cursor.pause()
    # default: the step's own moment (its start, or after a guess the moment it jumps to)
    t = args.time if args.time is not None else (win.cursor.t if args.step is not None else win.cursor.end / 3)
    if args.time is None and args.guess is not None and win.lesson.active and win.lesson.walk.step.moment:
        from disagg_viz.playback.moments import LEAD_S
        t += LEAD_S                    # the picture shows the moment itself, not the run-up to it
    win.cursor.seek(t)
    QApplication.processEvents()
    image = win.grab().toImage()
    win.files.mark_clean()            # a lesson step or --serving-terms is no edit to ask about on close
    dpr = image.devicePixelRatio()            # a high-DPI screen: physical pixels = size x ratio
    if (round(image.width() / dpr), round(image.height() / dpr)) != tuple(size):
        print(f"screenshot: the window cannot be {size[0]}x{size[1]} (it needs {image.width()}x{image.height()}); "
              "nothing written", file=sys.stderr)
        win.close()
        return 1
    try:
        write_png(Path(args.out), image, dump_scenario(win.controller.scenario))
    except OSError as exc:
        print(f"screenshot: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        win.close()
    print(f"wrote {args.out} ({size[0]}x{size[1]}, t = {t:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
