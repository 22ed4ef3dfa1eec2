"""The import contracts in pyproject.toml ([tool.importlinter]: layers, a Qt-free core, no
circles) hold, and they do fail when broken (docs/architecture.md, Layers)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import disagg_viz

ROOT = Path(disagg_viz.__file__).resolve().parents[1]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package under ``root`` with the project's contracts."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")
    return subprocess.run([sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout


def test_each_contract_fails_when_broken(tmp_path):
    shutil.copytree(ROOT / "disagg_viz", tmp_path / "disagg_viz", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    pkg = tmp_path / "disagg_viz"

    def add_import(module: str, line: str) -> None:
        path = pkg / module
        path.write_text(path.read_text() + f"\n{line}\n")

    add_import("sim/metrics.py", "from PySide6.QtCore import QObject")            # Qt below ui
    add_import("scenario/naming.py", "from disagg_viz.playback import claims")    # a layer imports upward
    add_import("explore/pool.py", "from disagg_viz.explore import planner")        # planner imports pool: a circle
    run = lint_imports(tmp_path)
    assert run.returncode != 0
    assert "0 kept, 3 broken" in run.stdout, run.stdout
    assert "disagg_viz.sim.metrics -> PySide6" in run.stdout
    assert "disagg_viz.scenario.naming -> disagg_viz.playback.claims" in run.stdout
    assert "No cycles are allowed in disagg_viz.explore" in run.stdout
