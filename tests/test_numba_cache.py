"""The Numba cache folder (disagg_viz/numba_cache.py)."""

import os
import shutil
import subprocess
import time
import sys
from pathlib import Path

import disagg_viz.numba_cache as numba_cache


def test_cache_folder_is_named_after_the_compiled_sources(tmp_path):
    pkg = tmp_path / "disagg_viz"
    shutil.copytree(Path(numba_cache.__file__).parent, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(tmp_path))
    probe = "import disagg_viz.numba_cache as e; print(e.configure_numba_cache())"

    def folder():
        out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True,
                             text=True, check=True).stdout.strip()
        return Path(out)

    first = folder()
    assert first.parent == tmp_path / "cache" / "disagg-viz" / "numba" and first.is_dir()
    assert folder() == first                       # same sources, same folder
    helper = pkg / "sim" / "kernels" / "common.py"  # a helper the kernels inline, not a kernel file
    helper.write_text(helper.read_text() + "\n# changed\n")
    second = folder()
    assert second != first and second.parent == first.parent


def test_an_explicit_cache_dir_is_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    assert numba_cache.configure_numba_cache() == str(tmp_path)


def test_folders_of_other_fingerprints_unused_for_a_month_are_removed(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parent = tmp_path / "disagg-viz" / "numba"
    old, recent, other = parent / "0123456789ab", parent / "ba9876543210", parent / "notes"
    for folder in (old, recent, other):
        folder.mkdir(parents=True)
        (folder / "f.nbi").write_text("x")
    month_ago = time.time() - 31 * 86400
    for folder in (old, other):
        os.utime(folder, (month_ago, month_ago))
    mine = Path(numba_cache.configure_numba_cache())
    assert mine.parent == parent and mine.is_dir()
    assert not old.exists()                 # another fingerprint, unused for a month
    assert recent.exists()                  # another fingerprint, used lately (another version)
    assert other.exists()                   # not a fingerprint folder: never touched
