"""Test setup: no display (offscreen Qt) and a writable Numba cache, before anything imports them;
hypothesis never times an example against the wall clock (a busy machine is not a failure)."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from disagg_viz.numba_cache import configure_numba_cache  # noqa: E402

configure_numba_cache()

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("no-wall-clock", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("no-wall-clock")

FIXTURES = Path(__file__).resolve().parent / "fixtures"
