"""What an installed copy carries: the metadata, the entry points, and the package data laid
out as resources.py finds it (scenarios, assets with the icon and the .desktop file, and the docs
the app refers to), as the wheel and the standalone build (packaging/disagg-viz.spec, which reads
the same force-include table) place them."""

import importlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
FORCE_INCLUDE = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]


def _entry(spec: str):
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def test_metadata_is_complete():
    project = PYPROJECT["project"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert project["license"] == {"text": "MIT"} and "License :: OSI Approved :: MIT License" in project["classifiers"]
    assert project["requires-python"] == ">=3.11"
    versions = {c.rsplit(" ", 1)[1] for c in project["classifiers"] if c.startswith("Programming Language :: Python :: 3.")}
    assert versions == {"3.11", "3.12", "3.13"}
    from disagg_viz import __version__
    assert project["version"] == __version__


def test_the_entry_points_exist():
    assert callable(_entry(PYPROJECT["project"]["scripts"]["disagg-viz"]))
    assert callable(_entry(PYPROJECT["project"]["gui-scripts"]["disagg-viz-gui"]))


def test_the_package_data_lands_where_resources_finds_it(tmp_path):
    """Lay the package out as the wheel does (no checkout beside it) and ask resources.py."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "disagg_viz", site / "disagg_viz", ignore=shutil.ignore_patterns("__pycache__"))
    for src, dst in FORCE_INCLUDE.items():
        (site / dst).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (ROOT / src).is_dir() else shutil.copy)(ROOT / src, site / dst)
    code = ("from disagg_viz import resources as r; "
            "print(r.scenarios_dir()); print(r.assets_dir()); print(r.docs_dir()); "
            "print((r.assets_dir() / 'disagg-viz.desktop').is_file(), (r.assets_dir() / 'icon.svg').is_file(), "
            "r.doc_path('cost-model.md').is_file(), r.doc_path('scenario-format.md').is_file(), "
            "len(r.shipped_scenarios()))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    data = site / "disagg_viz" / "_data"
    assert lines[:3] == [str(data / "scenarios"), str(data / "assets"), str(data / "docs")]
    assert lines[3] == f"True True True True {len(list((ROOT / 'scenarios').glob('*.toml')))}"


def test_the_standalone_build_files_are_in_place():
    spec = (ROOT / "packaging" / "disagg-viz.spec").read_text()
    assert "force-include" in spec and '"disagg_viz": "pyz+py"' in spec      # data as the wheel; sources for Numba
    script = ROOT / "packaging" / "build_standalone.sh"
    assert os.access(script, os.X_OK)
    text = script.read_text()
    for smoke in ("--version", "simulate default --json", "DISAGG_VIZ_QUIT_AFTER_RESULT=1"):
        assert smoke in text
    assert (ROOT / "packaging" / "launch.py").is_file()
