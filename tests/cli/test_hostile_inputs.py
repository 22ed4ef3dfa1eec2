"""Reproducers from the hostile-files report (issue 15) that must stay fixed: valid-looking
numbers that crashed the engine, invalid JSON, and files that block or never end."""

import json
import os
import subprocess
import sys

import pytest

from disagg_viz.cli.main import run

TINY = '''schema_version = 2
[workload]
requests = 30
arrival_rate = {rate}
[[systems]]
name = "a"
kind = "colocated"
'''


def _strict_json(text: str):
    def refuse(const):
        raise ValueError(f"not JSON: {const}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("args", [
    ["--set", "workload.arrival_rate=1e-310"],
    ["--set", "hardware.peak_tflops=5e-324"],
    ["--set", "systems.1.link_gb_per_s=1e-300"],
])
def test_denormal_numbers_are_refused_with_the_field_not_a_crash(args, capsys):
    assert run(["simulate", "default", *args]) == 2
    err = capsys.readouterr().err
    key = args[1].split("=")[0]
    assert err.count("\n") == 1 and key in err and "greater than or equal" in err


def test_a_denormal_rate_in_a_file_exits_cleanly_in_a_fresh_process(tmp_path):
    f = tmp_path / "denormal.toml"
    f.write_text(TINY.format(rate="5e-324"))
    done = subprocess.run([sys.executable, "-m", "disagg_viz", "simulate", str(f)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "workload.arrival_rate" in done.stderr and "Traceback" not in done.stderr


def test_json_output_is_always_valid_json(capsys):
    # the slowest GPU and link the bounds allow, and a system whose weights do not fit
    assert run(["simulate", "default", "--json", "--set", "hardware.peak_tflops=0.001",
                "--set", "workload.requests=20", "--set", "model.preset=llama-3.1-70b"]) == 0
    out = _strict_json(capsys.readouterr().out)
    assert out["systems"][0]["ttft_ms"]["p50"] is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_pipes_and_devices_are_refused_not_read(tmp_path, capsys):
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    assert run(["validate", str(fifo), "/dev/zero"]) == 1
    err = capsys.readouterr().err
    assert err.count("not a regular file") == 2
    trace_fifo = tmp_path / "trace.csv"
    os.mkfifo(trace_fifo)
    sc = tmp_path / "uses_fifo.toml"
    sc.write_text(TINY.format(rate="2.0").replace("[workload]", '[workload]\ntrace = "trace.csv"'))
    assert run(["simulate", str(sc)]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_huge_value_is_never_echoed_whole(tmp_path, capsys):
    f = tmp_path / "title.toml"
    f.write_text(TINY.format(rate="2.0").replace("[workload]", 'title = "' + "x" * 500_000 + '"\n[workload]'))
    assert run(["validate", str(f)]) == 1
    err = capsys.readouterr().err
    assert len(err) < 1000 and "500,002 characters" in err and "title" in err


@pytest.mark.parametrize("edits,knob", [
    (["workload.requests=200000", "workload.output_tokens=8192"], "more memory (tp, GPU)"),
    (["workload.requests=2000", "workload.output_tokens=65536", "systems.0.max_batch=1"], "systems.0.max_batch"),
    # issue 24: slow arrivals make batches of one (~300 M rows, 19 GB), where batches of 64 were assumed
    (["workload.requests=150000", "workload.output_tokens=2000", "workload.arrival_rate=0.01"],
     "workload.arrival_rate"),
])
def test_a_run_past_the_budget_is_refused_before_it_starts_naming_the_knobs(edits, knob, capsys):
    args = ["simulate", "default"]
    for e in edits:
        args += ["--set", e]
    assert run(args) == 2
    err = capsys.readouterr().err
    assert "budget" in err and "workload.requests" in err and knob in err and err.count("\n") <= 3


def test_the_benchmarks_largest_run_is_within_the_budget():
    from disagg_viz.resources import scenarios_dir
    from disagg_viz.scenario import load_scenario
    from disagg_viz.scenario.overrides import apply_overrides
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["workload.requests=100000"])
    assert sc.workload.requests == 100_000



def test_validate_opens_the_trace_too(tmp_path, capsys):
    f = tmp_path / "uses_trace.toml"
    f.write_text(TINY.format(rate="2.0").replace("[workload]", '[workload]\ntrace = "missing.csv"'))
    assert run(["validate", str(f)]) == 1
    assert "trace file not found" in capsys.readouterr().err
    (tmp_path / "missing.csv").write_text("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,10,4\n"
                                          "2023-11-16 18:15:47,10,4\n")
    assert run(["validate", str(f)]) == 0


def test_a_trace_past_the_budget_is_refused_once_read(tmp_path, capsys):
    rows = "\n".join(f"2023-11-16 18:{m:02d}:{s:02d},100,900000" for m in range(10) for s in range(60))
    (tmp_path / "long.csv").write_text("TIMESTAMP,ContextTokens,GeneratedTokens\n" + rows + "\n")
    f = tmp_path / "s.toml"
    f.write_text(TINY.format(rate="2.0").replace("[workload]", '[workload]\ntrace = "long.csv"')
                 .replace("requests = 30", "requests = 600"))
    assert run(["simulate", str(f)]) == 2
    assert "budget" in capsys.readouterr().err


def test_check_lessons_reports_progress_on_stderr(capsys):
    assert run(["check-lessons", "05-your-cluster"]) == 0
    captured = capsys.readouterr()
    assert "checking 05-your-cluster" in captured.err and "100%" in captured.err
    assert "checking" not in captured.out and "all claims hold" in captured.out
