"""goodput / sweep / plan on the command line: output, progress on stderr, errors, Ctrl+C."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from disagg_viz.cli.main import run
from disagg_viz.resources import scenarios_dir
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def test_goodput_json(capsys):
    assert run(["goodput", "default", "--json", "--set", "workload.requests=100"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert [s["kind"] for s in out["systems"]] == ["colocated", "disaggregated"]
    for s in out["systems"]:
        assert s["goodput_req_per_s"] > 0
        assert abs(s["goodput_req_per_s_per_gpu"] * s["gpus"] - s["goodput_req_per_s"]) < 1e-9
    assert "goodput: 100%" in captured.err                   # the progress report


def test_plan_json_ranks_and_reports_smallest(capsys):
    assert run(["plan", "default", "--gpus", "3", "--json", "--set", "workload.requests=80"]) == 0
    out = json.loads(capsys.readouterr().out)
    per_gpu = [r["goodput_req_per_s_per_gpu"] for r in out["ranked"]]
    assert per_gpu == sorted(per_gpu, reverse=True) and out["ranked"][0]["loses_because"] == ""
    assert {"1P2D", "2P1D", "colocated 3x TP1"} <= {r["layout"] for r in out["ranked"]}
    assert out["checked_up_to_gpus"] == 3 and "smallest_gpus_where_disaggregation_wins" in out


def test_sweep_writes_csv_and_png(tmp_path, capsys):
    csv_path, png = tmp_path / "map.csv", tmp_path / "map.png"
    assert run(["sweep", "default", "--x", "prompt=512:4096:3log", "--y", "link=5:400:2log", "--out", str(csv_path),
                "--png", str(png), "--set", "workload.requests=80"]) == 0
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith("workload.prompt_tokens,systems.*.link_gb_per_s,ratio") and len(lines) == 7
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "disaggregation wins in" in capsys.readouterr().out


def test_sweep_bad_axis_and_bad_key_are_one_line_errors(tmp_path, capsys):
    assert run(["sweep", "default", "--x", "prompt=1:2", "--out", str(tmp_path / "m.csv")]) == 2
    assert "--x" in capsys.readouterr().err
    assert run(["sweep", "default", "--x", "workload.nonsense=1:2:2", "--out", str(tmp_path / "m.csv")]) == 2
    err = capsys.readouterr().err
    assert "workload.nonsense" in err and "Traceback" not in err
    assert not (tmp_path / "m.csv").exists()


def test_trace_scenario_runs_from_the_cli(tmp_path, capsys):
    # the trace lives beside the scenario (a scenario reads nothing outside its folder)
    scenario = tmp_path / "with-trace.toml"
    scenario.write_text((scenarios_dir() / "default.toml").read_text())
    (tmp_path / "t.csv").write_text((FIXTURES / "traces" / "azure-small.csv").read_text())
    assert run(["goodput", str(scenario), "--json", "--set", 'workload.trace="t.csv"']) == 0
    assert len(json.loads(capsys.readouterr().out)["systems"]) == 2
    (tmp_path / "bad.csv").write_text((FIXTURES / "traces" / "azure-malformed.csv").read_text())
    assert run(["simulate", str(scenario), "--set", 'workload.trace="bad.csv"']) == 2
    assert "line 3:" in capsys.readouterr().err
    assert run(["simulate", "default", "--set", f'workload.trace="{tmp_path / "t.csv"}"']) == 2
    assert "scenario's folder" in capsys.readouterr().err


# Runs the CLI with Python's own Ctrl+C handler: a suite started from a background job inherits
# "ignore SIGINT", which a child would keep (and then never stop).
_WITH_CTRL_C = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "sys.argv = ['disagg-viz', *sys.argv[1:]]; runpy.run_module('disagg_viz', run_name='__main__')")


def test_ctrl_c_stops_a_sweep_cleanly(tmp_path):
    out = tmp_path / "map.csv"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", _WITH_CTRL_C, "sweep", "default", "--x", "prompt=256:32768:16log",
                             "--y", "link=1:900:16log", "--out", str(out), "--set", "workload.requests=3000"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait for the sweep's first progress line (a cell of 256 is done), then interrupt it.
    seen = []
    while not (seen and "16x16 map:" in seen[-1]):
        line = proc.stderr.readline()
        assert line, "the sweep ended before it reported progress: " + "".join(seen)[-2000:]
        seen.append(line)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)     # a hang guard, not a speed check
    assert proc.returncode == 130, (stdout + stderr)[-2000:]
    assert "stopped (Ctrl+C)" in stderr and "Traceback" not in stderr
    assert "256/256" not in "".join(seen) + stderr      # it stopped part-way
    assert not out.exists()
