"""Test setup: no display (offscreen Qt) and a writable Numba cache, before anything imports them."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from disagg_viz.numba_cache import configure_numba_cache  # noqa: E402

configure_numba_cache()

FIXTURES = Path(__file__).resolve().parent / "fixtures"
