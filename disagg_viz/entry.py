"""The ``disagg-viz`` entry point: set up Numba's cache before anything imports numba."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

# Numba's cache notices when a kernel's own file changes, not when a helper it inlines from
# another file does. So the cache folder is named after a fingerprint of every compiled source:
# a new version of any of them starts a fresh folder instead of running stale machine code.
_SIM = Path(__file__).resolve().parent / "sim"
COMPILED_SOURCES = (_SIM / "cost_model.py", _SIM / "layout.py", *sorted((_SIM / "kernels").glob("*.py")))


def kernel_fingerprint() -> str:
    """12 hex digits that change whenever any compiled source changes."""
    h = hashlib.sha256()
    for path in COMPILED_SOURCES:
        h.update(path.name.encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()[:12]


def _user_cache_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "disagg-viz" / "numba"


def configure_numba_cache() -> str:
    """Point NUMBA_CACHE_DIR at a writable user cache directory, one folder per kernel
    fingerprint (kept if NUMBA_CACHE_DIR is already set). Returns the folder ("" if none is
    writable: Numba then compiles in memory on every start)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    key = kernel_fingerprint()
    for candidate in (_user_cache_dir() / key, Path(tempfile.gettempdir()) / "disagg-viz-numba" / key):
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
