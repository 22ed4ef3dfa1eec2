"""``disagg-viz export FILE --png out.png [--time S]`` and ``--gif out.gif --from S --to S``:
render offscreen, without a window, for handouts and CI. Images carry the scenario."""

from __future__ import annotations

from pathlib import Path

from disagg_viz.cli.common import CliError, load_scenario_arg
from disagg_viz.scenario import dump_scenario


def add_parser(sub, overrides_help: str) -> None:
    x = sub.add_parser("export", help="render a scenario to a PNG, or a GIF/APNG of a stretch of time, offscreen")
    x.add_argument("file", metavar="FILE",
                   help="scenario TOML file, a shipped scenario's name, an image carrying one, or - for standard input")
    x.add_argument("--png", metavar="OUT.png", help="a still image at --time")
    x.add_argument("--time", type=float, default=None, help="simulated seconds for --png (default: a third of the run)")
    x.add_argument("--gif", metavar="OUT.gif", help="an animation (.gif, or .png/.apng for APNG) from --from to --to")
    x.add_argument("--from", dest="t_from", type=float, default=None, help="start of the animation, simulated seconds")
    x.add_argument("--to", dest="t_to", type=float, default=None, help="end of the animation, simulated seconds")
    x.add_argument("--fps", type=float, default=10.0, help="animation frames per second (1-30, default 10)")
    x.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT (default 1280x800)")
    x.add_argument("--kitchen", action="store_true", help="only the kitchens, not the whole window")
    x.add_argument("--projector", action="store_true", help="light, high-contrast colours")
    x.add_argument("--serving-terms", action="store_true", help="label with prefill/decode/KV instead of kitchen words")
    x.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=overrides_help)


def cmd_export(args) -> int:
    if not args.png and not args.gif:
        raise CliError("export needs --png OUT.png and/or --gif OUT.gif")
    if args.gif and (args.t_from is None or args.t_to is None):
        raise CliError("--gif needs --from S and --to S (simulated seconds)")
    if args.gif and not (args.t_to > args.t_from >= 0):
        raise CliError(f"--from {args.t_from} --to {args.t_to}: need 0 <= FROM < TO")
    if not 1 <= args.fps <= 30:
        raise CliError(f"--fps {args.fps}: must be between 1 and 30")
    if args.time is not None and args.time < 0:
        raise CliError(f"--time {args.time}: must be >= 0")
    for out in (args.png, args.gif):
        if out and not Path(out).parent.resolve().is_dir():
            raise CliError(f"{out}: folder {Path(out).parent} does not exist")
    if args.gif and Path(args.gif).suffix.lower() not in (".gif", ".png", ".apng"):
        raise CliError(f"--gif {args.gif}: name it .gif (GIF) or .png/.apng (APNG)")
    from disagg_viz.tools.screenshot import parse_size
    try:
        size = parse_size(args.size)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    scenario, path = load_scenario_arg(args.file, args.overrides)
    from disagg_viz.ui.offscreen import OffscreenError, open_offscreen
    try:
        _app, win = open_offscreen(scenario, Path(path), size, "projector" if args.projector else "dark",
                                   args.serving_terms)
    except OffscreenError as exc:
        raise CliError(str(exc)) from None
    from disagg_viz.ui.image_export import frame_times, render_frames, write_animation, write_png
    try:
        target = win.kitchen_box if args.kitchen else win
        text = dump_scenario(win.controller.scenario)
        if args.png:
            t = args.time if args.time is not None else win.cursor.end / 3
            win.cursor.seek(t)
            from PySide6.QtWidgets import QApplication
            QApplication.processEvents()
            write_png(Path(args.png), target.grab().toImage(), text)
            print(f"wrote {args.png} (t = {win.cursor.t:.2f} s of {win.cursor.end:.2f} s)")
        if args.gif:
            if args.t_from >= win.cursor.end:
                raise CliError(f"--from {args.t_from}: the run ends at {win.cursor.end:.2f} s")
            times = frame_times(args.t_from, min(args.t_to, win.cursor.end), args.fps)
            n = write_animation(Path(args.gif), render_frames(win.cursor, target, times), args.fps, text)
            print(f"wrote {args.gif} ({n} frames, {times[0]:.2f}-{times[-1]:.2f} s)")
    except ValueError as exc:
        raise CliError(str(exc)) from None
    finally:
        win.files.mark_clean()                  # nothing to ask on close
        win.close()
    return 0
