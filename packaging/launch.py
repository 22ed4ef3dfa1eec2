"""The standalone build's program: the ``disagg-viz`` entry point (Numba's cache is configured
there, before numba loads, in the user's cache folder; see disagg_viz/numba_cache.py)."""

import sys

from disagg_viz.entry import main

if __name__ == "__main__":
    sys.exit(main())
