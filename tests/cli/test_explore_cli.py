"""goodput / sweep / plan on the command line: output, progress on stderr, errors, Ctrl+C."""

import json
import os
import signal
import subprocess
import sys
import time
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


def test_ctrl_c_stops_a_sweep_cleanly(tmp_path):
    out = tmp_path / "map.csv"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "disagg_viz", "sweep", "default", "--x", "prompt=256:32768:16log",
                             "--y", "link=1:900:16log", "--out", str(out), "--set", "workload.requests=3000"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3.0)                      # start-up (~1 s) and then well into the sweep (~10 s in all)
    assert proc.poll() is None, "the sweep ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)     # a hang guard, not a speed check
    assert proc.returncode == 130, stderr[-2000:]
    assert "stopped (Ctrl+C)" in stderr and "Traceback" not in stderr
    assert not out.exists()
