"""Numba's on-disk cache: one folder per fingerprint of the compiled sources, in the user's cache
directory. Call configure_numba_cache() before anything imports numba (the entry point, the tools,
the tests and benchmarks do). Imports nothing of the project."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Numba's cache notices when a kernel's own file changes, not when a helper it inlines from
# another file does. So the cache folder is named after a fingerprint of every compiled source:
# a new version of any of them starts a fresh folder instead of running stale machine code.
_SIM = Path(__file__).resolve().parent / "sim"
COMPILED_SOURCES = (_SIM / "cost_model.py", _SIM / "events.py", _SIM / "layout.py", _SIM / "link_faults.py",
                    _SIM / "instance_faults.py", _SIM / "run_control.py", *sorted((_SIM / "kernels").glob("*.py")))


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


STALE_AFTER_DAYS = 30


def _prune_stale_folders(parent: Path, keep: Path) -> None:
    """Remove other fingerprints' folders nobody started for STALE_AFTER_DAYS (best effort). A
    start touches its folder (see configure_numba_cache), so a version in use is never removed."""
    cutoff = time.time() - STALE_AFTER_DAYS * 86400
    try:
        for folder in parent.iterdir():
            if folder != keep and re.fullmatch(r"[0-9a-f]{12}", folder.name) and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        pass


# The simulator's entry kernels (sim/kernels): Numba writes an index file per function and Python
# version (``colocated.simulate_colocated-50.py311.nbi``) once it has compiled and cached it.
ENTRY_KERNELS = ("colocated.simulate_colocated", "disaggregated.simulate_disaggregated")


def simulator_is_cached(folder: str | None = None) -> bool:
    """Whether the simulator's compiled code is in the cache folder (``folder``, default
    NUMBA_CACHE_DIR as configure_numba_cache set it) for this Python, so a run starts without
    compiling. False with no cache folder: Numba then compiles on every start."""
    folder = folder if folder is not None else os.environ.get("NUMBA_CACHE_DIR", "")
    if not folder or not Path(folder).is_dir():
        return False
    tag = f"py{sys.version_info.major}{sys.version_info.minor}"
    try:
        names = {p.name for p in Path(folder).glob(f"*/*.{tag}.nbi")}
    except OSError:
        return False
    return all(any(n.startswith(k + "-") for n in names) for k in ENTRY_KERNELS)


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
            probe.unlink()              # also marks the folder as used now
        except OSError:
            continue
        _prune_stale_folders(candidate.parent, candidate)
        os.environ["NUMBA_CACHE_DIR"] = str(candidate)
        return str(candidate)
    return ""
