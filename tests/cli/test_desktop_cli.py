"""The command line as a good citizen: complete help, --quiet, '-' for standard input, the
compile line only on a cold cache, check-lessons on the shipped lessons by default, and the
desktop entry it installs."""

import argparse
import configparser
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from disagg_viz.cli import check_lessons
from disagg_viz.cli.compile_notice import COMPILE_LINE, announce_compile
from disagg_viz.cli.main import _parser, run
from disagg_viz.numba_cache import ENTRY_KERNELS, simulator_is_cached
from disagg_viz.resources import assets_dir, default_scenario_path, shipped_scenarios
from disagg_viz.scenario import load_scenario
from tests.conftest import FIXTURES

DEFAULT_TEXT = default_scenario_path().read_text()


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def test_top_help_names_file_projector_and_quiet(capsys):
    with pytest.raises(SystemExit):
        run(["--help"])
    out = capsys.readouterr().out
    assert "disagg-viz [FILE] [--projector]" in out and "--quiet" in out and "standard input" in out


def _all_parsers(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _all_parsers(sub)


def test_every_option_and_argument_of_every_command_has_help():
    missing = []
    for parser in _all_parsers(_parser()):
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            if action.help is None:
                missing.append(f"{parser.prog}: {action.option_strings or action.dest}")
    assert not missing, missing


@pytest.mark.parametrize("where", ["global", "command"])
def test_quiet_silences_the_progress_bar(capsys, where):
    argv = ["goodput", "default", "--set", "workload.requests=40"]
    assert run(argv) == 0
    assert "goodput:" in capsys.readouterr().err               # a line every 10% when not a terminal
    assert run(["--quiet", *argv] if where == "global" else [*argv, "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "goodput" in captured.out


def test_a_quiet_command_leaves_the_next_one_loud(capsys):
    assert run(["-q", "goodput", "default", "--set", "workload.requests=40"]) == 0
    assert run(["goodput", "default", "--set", "workload.requests=40"]) == 0
    assert "goodput:" in capsys.readouterr().err


def test_no_command_after_options_is_a_usage_error(capsys):
    assert run(["--quiet"]) == 2
    assert "give a COMMAND" in capsys.readouterr().err


def test_stdin_scenario_simulates_like_the_file(monkeypatch, capsys):
    _stdin(monkeypatch, DEFAULT_TEXT)
    assert run(["simulate", "-", "--json", "--set", "workload.requests=50"]) == 0
    piped = json.loads(capsys.readouterr().out)
    assert run(["simulate", str(default_scenario_path()), "--json", "--set", "workload.requests=50"]) == 0
    assert piped == json.loads(capsys.readouterr().out)


def test_stdin_problems_name_the_field_and_empty_input_says_so(monkeypatch, capsys):
    _stdin(monkeypatch, DEFAULT_TEXT.replace("requests = 600", "requests = -5"))
    assert run(["simulate", "-"]) == 2
    err = capsys.readouterr().err
    assert "<stdin>" in err and "workload.requests" in err and "Traceback" not in err
    _stdin(monkeypatch, "")
    assert run(["validate", "-"]) == 1
    assert "standard input is empty" in capsys.readouterr().err


def test_stdin_is_read_with_a_limit(monkeypatch, capsys):
    from disagg_viz.scenario.files import MAX_FILE_BYTES
    _stdin(monkeypatch, "# " + "x" * (MAX_FILE_BYTES + 10))
    assert run(["validate", "-"]) == 1
    assert "too large" in capsys.readouterr().err


def test_a_piped_scenarios_relative_trace_starts_in_the_current_folder(monkeypatch, tmp_path, capsys):
    shutil.copy(FIXTURES / "traces" / "azure-small.csv", tmp_path / "azure-small.csv")
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, DEFAULT_TEXT.replace("requests = 600", 'requests = 40\ntrace = "azure-small.csv"'))
    assert run(["simulate", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["systems"][0]["requests"] > 0


def test_validate_reads_stdin_in_a_real_pipe():
    proc = subprocess.run([sys.executable, "-m", "disagg_viz", "validate", "-"], input=DEFAULT_TEXT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "-: ok", proc.stderr


def test_the_simulators_index_files_are_where_the_cold_cache_check_looks(capsys):
    assert run(["simulate", "default", "--set", "workload.requests=20"]) == 0   # compiled and cached now
    assert simulator_is_cached()


def test_compile_line_only_on_a_cold_cache(tmp_path, monkeypatch):
    args = _parser().parse_args(["simulate", "default"])
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    out = io.StringIO()
    assert announce_compile(args, out) and out.getvalue() == COMPILE_LINE + "\n"
    tag = f"py{sys.version_info.major}{sys.version_info.minor}"
    (tmp_path / "kernels_x").mkdir()
    (tmp_path / "kernels_x" / f"{ENTRY_KERNELS[0]}-50.{tag}.nbi").write_bytes(b"")
    assert announce_compile(args, io.StringIO())                # one of the two kernels is not enough
    (tmp_path / "kernels_x" / f"{ENTRY_KERNELS[1]}-66.{tag}.nbi").write_bytes(b"")
    out = io.StringIO()
    assert not announce_compile(args, out) and out.getvalue() == ""
    (tmp_path / "kernels_x" / f"{ENTRY_KERNELS[1]}-66.{tag}.nbi").unlink()
    for argv in (["-q", "simulate", "default"], ["simulate", "default", "--quiet"], ["schema"], ["validate", "x"],
                 ["simulate", "default", "--engine", "reference"]):
        assert not announce_compile(_parser().parse_args(argv), io.StringIO()), argv


def test_check_lessons_without_files_checks_the_shipped_lessons(monkeypatch, capsys):
    names = check_lessons.shipped_lessons()
    assert names == [p.stem for p in shipped_scenarios() if load_scenario(p).lesson.steps]
    assert "01-the-conflict" in names and "default" not in names
    monkeypatch.setattr(check_lessons, "shipped_lessons", lambda: names[:1])
    assert run(["check-lessons"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{names[0]}: ") and "PASS" in out and out.rstrip().endswith("all claims hold")


def test_desktop_entry_installs_and_uninstalls(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert run(["--install-desktop-entry"]) == 0
    desktop = tmp_path / "applications" / "disagg-viz.desktop"
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "disagg-viz.svg"
    assert f"wrote {desktop}" in capsys.readouterr().out
    entry = configparser.ConfigParser(interpolation=None)
    entry.read_string(desktop.read_text())
    e = entry["Desktop Entry"]
    assert e["Type"] == "Application" and e["Icon"] == "disagg-viz" and e["Terminal"] == "false"
    program = e["Exec"].split()[0]
    assert e["Exec"].endswith(" %f") and Path(program).is_absolute() and e["TryExec"] == program
    assert icon.read_bytes() == (assets_dir() / "icon.svg").read_bytes()
    assert run(["--uninstall-desktop-entry"]) == 0
    assert not desktop.exists() and not icon.exists()


def test_the_shipped_desktop_file_is_valid():
    entry = configparser.ConfigParser(interpolation=None)
    entry.read_string((assets_dir() / "disagg-viz.desktop").read_text())
    e = entry["Desktop Entry"]
    assert e["Exec"] == "disagg-viz-gui %f" and e["Icon"] == "disagg-viz" and e["Categories"].endswith(";")


def test_the_compile_line_comes_once_the_scenario_loads(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))       # looks cold (numba keeps its own, warm, cache)
    assert run(["simulate", "no-such-file.toml"]) == 2
    err = capsys.readouterr().err
    assert "no-such-file.toml" in err and "compiling" not in err
    assert run(["check-lessons", "01-the-conflict", "02-the-fix"]) == 0
    assert capsys.readouterr().err.count(COMPILE_LINE) == 1     # once per command, not per file
    assert run(["simulate", "default", "--set", "workload.requests=20"]) == 0
    assert capsys.readouterr().err == COMPILE_LINE + "\n"
    assert run(["simulate", "default", "--set", "workload.requests=20", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
