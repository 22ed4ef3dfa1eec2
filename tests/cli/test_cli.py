import json
import subprocess
import sys

import pytest

from disagg_viz.cli.main import run
from disagg_viz.resources import scenarios_dir
from tests.conftest import FIXTURES


def test_simulate_json_has_every_key(capsys):
    assert run(["simulate", "default", "--json", "--set", "workload.requests=80"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["title"] and len(out["systems"]) == 2
    sysd = out["systems"][1]
    for key in ("name", "kind", "gpus", "requests", "completed", "rejected", "kv_bytes_shipped",
                "throughput_tokens_per_s", "slo_attainment", "makespan_s", "gpu_compute_utilization",
                "gpu_bandwidth_utilization"):
        assert key in sysd
    for key in ("ttft_ms", "tpot_ms", "e2e_ms", "stall_ms", "kv_wait_ms", "kv_queue_ms", "kv_wire_ms", "kv_exposed_ms"):
        assert set(sysd[key]) == {"mean", "p50", "p90", "p99", "max"}
    assert sysd["requests"] == 80 and sysd["kv_bytes_shipped"] > 0
    assert sysd["first_token"] == "decode" and isinstance(sysd["overloaded"], bool) and "overload_reason" in sysd


def test_simulate_table(capsys):
    assert run(["simulate", str(scenarios_dir() / "01-the-conflict.toml"), "--set", "workload.requests=30"]) == 0
    out = capsys.readouterr().out
    assert "worst stall (ms)" in out and "One GPU, chunked prefill" in out
    assert "prefix cache hits" not in out and "routing" not in out       # only when a system caches or routes


def test_simulate_table_prints_routing_and_prefix_hits_when_a_system_caches(capsys):
    assert run(["simulate", "default", "--set", "workload.requests=200", "--set", "workload.shared_prefix_tokens=2048",
                "--set", "systems.1.prefix_cache=true", "--set", "systems.1.routing=prefix-aware"]) == 0
    lines = {line.split("  ")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["routing"].split()[-2:] == ["least-loaded", "prefix-aware"]
    assert lines["prefix cache hits"].split()[-3] == "-" and lines["prefix cache hits"].endswith("%")


def test_estimate_json(capsys):
    assert run(["estimate", "--model", "opt-66b", "--gpu", "a100-80gb", "--tp", "4", "--prompt-tokens", "512",
                "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kv_bytes"] == 1.125 * 2**30
    assert out["prefill_ms"] > 0 and out["decode_step_ms"] > 0 and out["transfer_ms"] > 0


def test_estimate_bad_model_names_field(capsys):
    assert run(["estimate", "--model", "nope", "--gpu", "h100-sxm"]) == 2
    assert "model.preset" in capsys.readouterr().err


def test_validate_exit_codes(capsys):
    assert run(["validate", str(scenarios_dir() / "default.toml")]) == 0
    assert run(["validate", str(FIXTURES / "bad-many-problems.toml")]) == 1
    assert "workload.colour" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["simulate", "no-such-file.toml"], ["simulate", "default", "--set", "bogus"],
                                  ["simulate", "default", "--set", "systems.9.tp=2"]])
def test_errors_are_one_clear_line_never_a_traceback(argv):
    proc = subprocess.run([sys.executable, "-m", "disagg_viz", *argv], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("disagg-viz: ")


def test_schema_is_json_schema(capsys):
    assert run(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "workload" in schema["properties"] and "$defs" in schema


def test_estimate_engine_profile_chunked_step_and_all_reduce_share(capsys):
    args = ["estimate", "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--tp", "8", "--batch", "16",
            "--chunk-tokens", "512", "--json"]
    outs = {}
    for engine in ("modern", "vllm-2023"):
        assert run(args + ["--engine", engine]) == 0
        outs[engine] = json.loads(capsys.readouterr().out)
    m, v = outs["modern"], outs["vllm-2023"]
    assert m["engine"] == "modern" and m["decode_step_ms"] < m["chunked_step_ms"] < m["prefill_ms"] + m["decode_step_ms"]
    assert 0 < m["decode_allreduce_share"] < v["decode_allreduce_share"] < 1     # 2023: software-bound all-reduce
    assert run(["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--json"]) == 0
    tp1 = json.loads(capsys.readouterr().out)
    assert tp1["prefill_allreduce_share"] == 0 and "chunked_step_ms" not in tp1 and tp1["engine"] == "distserve-2023"
    assert run(args + ["--engine", "nope"]) == 2
    assert "--engine 'nope'" in capsys.readouterr().err


def test_estimate_breaks_each_iteration_down_by_operator(capsys):
    args = ["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--batch", "64", "--context", "8192",
            "--chunk-tokens", "2048"]
    assert run(args + ["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ops = out["operators"]
    assert set(ops) == {"prefill", "decode_step", "chunked_step"}
    assert sum(ops["chunked_step"].values()) == pytest.approx(out["chunked_step_ms"], rel=1e-9)
    assert sum(ops["decode_step"].values()) == pytest.approx(out["decode_step_ms"], rel=1e-9)
    # the decode batch's KV reads are not hidden under the chunk's GEMMs
    assert ops["chunked_step"]["decode_attention"] == pytest.approx(ops["decode_step"]["decode_attention"])
    assert ops["chunked_step"]["decode_attention"] > 0.3 * out["chunked_step_ms"]
    assert run(args) == 0
    table = capsys.readouterr().out
    assert "decode attention (KV cache reads)" in table and "chunked step" in table


def test_estimate_table_names_the_link_striping(capsys):
    """The text form prints the shipment's rate as the link spec has it (peak x efficiency x stripes)."""
    assert run(["estimate", "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--tp", "4",
                "--link-gb-per-s", "50"]) == 0
    out = capsys.readouterr().out
    assert "KV transfer at 50 GB/s x 80% x 4" in out
    assert "decode attention" in out
