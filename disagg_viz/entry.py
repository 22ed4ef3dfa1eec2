"""The ``disagg-viz`` entry point: set up Numba's cache before anything imports numba."""

from __future__ import annotations

import sys

from disagg_viz.numba_cache import configure_numba_cache


def main(argv: list[str] | None = None) -> int:
    configure_numba_cache()
    from disagg_viz.cli.main import run
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
