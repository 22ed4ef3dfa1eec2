"""The ``disagg-viz`` and ``disagg-viz-gui`` entry points: set up Numba's cache before anything
imports numba. ``disagg-viz-gui`` (a gui-script: no console window on Windows) only opens the app."""

from __future__ import annotations

import sys

from disagg_viz.numba_cache import configure_numba_cache


def main(argv: list[str] | None = None) -> int:
    configure_numba_cache()
    from disagg_viz.cli.main import run
    return run(sys.argv[1:] if argv is None else argv)


def gui_main(argv: list[str] | None = None) -> int:
    configure_numba_cache()
    from disagg_viz.cli.main import cmd_gui
    from disagg_viz.cli.common import CliError
    try:
        return cmd_gui(sys.argv[1:] if argv is None else argv)
    except CliError as exc:
        print(f"disagg-viz: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
