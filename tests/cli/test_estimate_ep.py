"""``disagg-viz estimate --ep N --attention dp``: the all-to-all on its own line, per-node figures."""

import json

from disagg_viz.cli.main import run

DSV3 = ["estimate", "--model", "deepseek-v3", "--gpu", "h100-sxm", "--engine", "modern", "--weight-dtype", "fp8",
        "--prompt-tokens", "4096", "--batch", "128", "--context", "2000"]


def test_estimate_expert_parallel_json(capsys):
    assert run([*DSV3, "--ep", "32", "--attention", "dp", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["ep"], out["attention"], out["attention_groups"], out["gpus"]) == (32, "dp", 32, 32)
    assert out["prompts_per_prefill"] == 32 and out["decode_sequences"] == 32 * 128
    assert 0 < out["prefill_all_to_all_ms"] < out["prefill_ms"]
    assert out["operators"]["prefill"]["all_to_all"] == out["prefill_all_to_all_ms"]
    assert sum(out["operators"]["decode_step"].values()) == out["decode_step_ms"] or abs(
        sum(out["operators"]["decode_step"].values()) - out["decode_step_ms"]) < 1e-9
    # per node = 8 GPUs: 32 prompts of 4,096 tokens over 4 nodes
    assert out["input_tokens_per_s_per_node"] == 32 * 4096 / (out["prefill_ms"] / 1e3) / 4


def test_two_batch_overlap_and_the_table(capsys):
    assert run([*DSV3, "--ep", "32", "--attention", "dp", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert run([*DSV3, "--ep", "32", "--attention", "dp", "--two-batch-overlap", "--json"]) == 0
    tbo = json.loads(capsys.readouterr().out)
    assert tbo["prefill_ms"] < plain["prefill_ms"] and tbo["prefill_all_to_all_ms"] < plain["prefill_all_to_all_ms"]
    assert run([*DSV3, "--ep", "16", "--attention", "tp"]) == 0
    text = capsys.readouterr().out
    assert "EP16" in text and "MoE all-to-all" in text and "per node (8 GPUs)" in text


def test_bad_expert_parallel_requests_are_named(capsys):
    assert run(["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--ep", "8"]) == 2
    assert "has no routed experts" in capsys.readouterr().err
    assert run(["estimate", "--model", "deepseek-v3", "--gpu", "h100-sxm", "--attention", "dp"]) == 2
    assert "--attention dp needs --ep > 1" in capsys.readouterr().err
    assert run(["estimate", "--model", "deepseek-v3", "--gpu", "h100-sxm", "--ep", "8", "--tp", "8"]) == 2
    assert "leave --tp at 1" in capsys.readouterr().err
