"""The ``disagg-viz`` entry point: set up Numba's cache before anything imports numba."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def _user_cache_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "disagg-viz" / "numba"


def configure_numba_cache() -> str:
    """Point NUMBA_CACHE_DIR at a writable user cache directory (kept if already set)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    for candidate in (_user_cache_dir(), Path(tempfile.gettempdir()) / "disagg-viz-numba"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            probe = candidate / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError:
            continue
        os.environ["NUMBA_CACHE_DIR"] = str(candidate)
        return str(candidate)
    return ""


def main(argv: list[str] | None = None) -> int:
    configure_numba_cache()
    from disagg_viz.cli.main import run
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
