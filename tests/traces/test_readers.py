"""Trace import: each format on the project's own fixtures, recognised by content; malformed rows
are reported with their line numbers, or skipped when asked."""

import shutil

import numpy as np
import pytest

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.sim.workload import build
from disagg_viz.traces import TraceError, read_trace
from tests.conftest import FIXTURES

TRACES = FIXTURES / "traces"


def test_azure_csv():
    t = read_trace(TRACES / "azure-small.csv")
    assert t.format == "azure" and len(t) == 8
    assert t.arrival[0] == 0 and t.arrival[1] == pytest.approx(50.9951690 - 46.6805900, abs=1e-5)
    assert t.prompt.tolist()[:3] == [374, 396, 879] and t.output.tolist()[-1] == 84


def test_mooncake_jsonl_ms_timestamps():
    t = read_trace(TRACES / "mooncake-small.jsonl")
    assert t.format == "mooncake" and len(t) == 5
    assert t.arrival.tolist() == [0.0, 0.0, 3.0, 5.0, 7.0]
    assert t.prompt[3] == 12000 and t.output[3] == 3


def test_burstgpt_csv_leaves_out_failed_requests():
    t = read_trace(TRACES / "burstgpt-small.csv")
    assert t.format == "burstgpt" and len(t) == 4 and t.skipped_empty == 1
    assert t.arrival.tolist() == [0.0, 113.0, 125.0, 155.0]
    assert t.prompt.tolist() == [472, 417, 1360, 301]


def test_format_is_found_by_content_not_name(tmp_path):
    odd = tmp_path / "requests.txt"
    shutil.copy(TRACES / "mooncake-small.jsonl", odd)
    assert read_trace(odd).format == "mooncake"
    with pytest.raises(TraceError, match="not a known trace format"):
        read_trace(TRACES / "unknown-format.csv")


@pytest.mark.parametrize("name,lines", [("azure-malformed.csv", [3, 4, 5]), ("mooncake-malformed.jsonl", [2, 3, 4])])
def test_malformed_rows_are_reported_with_line_numbers(name, lines):
    with pytest.raises(TraceError) as err:
        read_trace(TRACES / name)
    text = err.value.summary()
    for n in lines:
        assert f"line {n}:" in text
    assert "trace_skip_malformed" in text
    t = read_trace(TRACES / name, skip_malformed=True)
    assert len(t) == (2 if name.startswith("azure") else 1)
    assert [s.split(":")[0] for s in t.skipped_malformed] == [f"line {n}" for n in lines]


def test_missing_trace_names_the_key(tmp_path):
    with pytest.raises(TraceError, match="workload.trace: trace file not found"):
        read_trace(tmp_path / "nope.csv")


def test_scenario_window_speed_and_cap(tmp_path):
    shutil.copy(TRACES / "mooncake-small.jsonl", tmp_path / "t.jsonl")
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"),
                         ['workload.trace="t.jsonl"', "workload.trace_start_s=2.5", "workload.trace_speed=2.0",
                          "workload.requests=2"])
    wl = build(sc.workload, tmp_path)
    assert wl.arrival.tolist() == [0.0, 1.0] and wl.prompt.tolist() == [2290, 12000]
    res = simulate_scenario(sc, base_dir=tmp_path)
    assert all(s.n == 2 and s.served.all() for s in res.systems)
    with pytest.raises(TraceError, match="window holds no requests"):
        build(apply_overrides(sc, ["workload.trace_start_s=100"]).workload, tmp_path)
    with pytest.raises(TraceError, match="saved in a folder"):
        build(sc.workload, None)


@pytest.mark.parametrize("trace", ["/etc/passwd", "../outside.csv", "link.csv", "~/.bashrc"])
def test_a_trace_outside_the_scenarios_folder_is_refused_and_never_read(tmp_path, trace):
    inside = tmp_path / "lesson"
    inside.mkdir()
    (tmp_path / "outside.csv").write_text("secret")
    (inside / "link.csv").symlink_to(tmp_path / "outside.csv")
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), [f'workload.trace="{trace}"'])
    with pytest.raises(TraceError, match="must name a file in the scenario's folder") as info:
        build(sc.workload, inside)
    assert "secret" not in str(info.value)


def test_real_traces_when_present():
    """The public traces beside the project, if this machine has them (users do not)."""
    from pathlib import Path
    shared = Path(__file__).resolve().parents[3] / "shared" / "traces"
    files = sorted(shared.glob("*.csv")) + sorted(shared.glob("*.jsonl")) if shared.is_dir() else []
    if not files:
        pytest.skip("no shared traces on this machine")
    for f in files:
        t = read_trace(f)
        assert len(t) > 1000 and np.all(np.diff(t.arrival) >= 0) and t.prompt.min() >= 1


def test_hostile_trace_files_give_row_messages_not_tracebacks(tmp_path):
    cases = {
        "blank_first.csv": "\nTIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n2023-11-16 18:15:50.53,396,109\n",
        "blank_burst.csv": "\nTimestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n1,ChatGPT,10,20,30,x\n2,ChatGPT,10,20,30,x\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        assert len(read_trace(tmp_path / name)) == 2, name
    bad = {
        "huge_field.csv": ("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46," + "x" * 200_000 + ",4\n",
                           "not a CSV row"),
        "far_future.jsonl": ('{"timestamp": 1e30, "input_length": 10, "output_length": 5}\n'
                             '{"timestamp": 0, "input_length": 10, "output_length": 5}\n', "must be a number"),
        "mixed_zones.csv": ("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,10,4\n"
                            "2023-11-16 18:15:48+09:00,10,4\n2023-11-16 18:15:50,10,4\n", "time zone"),
    }
    for name, (text, expected) in bad.items():
        (tmp_path / name).write_text(text)
        with pytest.raises(TraceError, match=expected):
            read_trace(tmp_path / name)


def test_a_broken_csv_header_is_a_row_message(tmp_path):
    # found by the fuzzer: a carriage return inside the header made the csv module raise
    f = tmp_path / "b.csv"
    f.write_bytes(b"Timestamp,Model,Request tokens,Res\rponse tokens,Total tokens,Log Type\n1,a,1,2,3,x\n")
    with pytest.raises(TraceError):
        read_trace(f)
