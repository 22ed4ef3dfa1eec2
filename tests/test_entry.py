"""The entry point's Numba cache folder."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import disagg_viz.entry as entry


def test_cache_folder_is_named_after_the_compiled_sources(tmp_path):
    pkg = tmp_path / "disagg_viz"
    shutil.copytree(Path(entry.__file__).parent, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(tmp_path))
    probe = "import disagg_viz.entry as e; print(e.configure_numba_cache())"

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
    assert entry.configure_numba_cache() == str(tmp_path)
