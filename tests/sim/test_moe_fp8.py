"""Today's models: mixture of experts, latent attention, FP8 weights and KV cache."""

import pytest

from disagg_viz.presets import MODELS, hardware, kv_bytes_per_token, resolve_model
from disagg_viz.sim.cost_model import (
    CM_PEAK_FLOPS, decode_step_time, iteration_cost, kv_capacity_tokens, pack_cost, prefill_time, weight_bytes_read,
)


def test_moe_decode_reads_the_experts_its_batch_touches_and_saturates_at_the_whole_model():
    cm = pack_cost(MODELS["qwen3-235b-a22b"], hardware("h200"), 8)
    read = [weight_bytes_read(cm, b) for b in (1, 2, 8, 32, 128, 512, 4096)]
    assert all(a < b for a, b in zip(read, read[1:]))
    total = resolve_model(MODELS["qwen3-235b-a22b"])["params_billion"] * 2e9
    assert read[0] < 0.2 * total and read[-1] == pytest.approx(total, rel=1e-3)
    # the formula: E (1 - (1 - k/E)^B) distinct experts per layer
    m = resolve_model(MODELS["qwen3-235b-a22b"])
    e, k = m["experts"], m["experts_per_token"]
    expected = m["shared_params_billion"] * 2e9 + m["expert_params_billion"] * 2e9 * (1 - (1 - k / e) ** 8)
    assert weight_bytes_read(cm, 8) == pytest.approx(expected)


def test_moe_flops_follow_the_active_parameters():
    dense = pack_cost(MODELS["llama-3.1-70b"], hardware("h200"), 8)
    moe = pack_cost(MODELS["mixtral-8x7b"], hardware("h200"), 8)
    n = 8192
    f_moe = iteration_cost(moe, n, 0, 0, 0, 0, 1)[1]
    active = resolve_model(MODELS["mixtral-8x7b"])["active_params_billion"]
    assert active == pytest.approx(12.9, abs=0.2)
    assert f_moe == pytest.approx(2 * active * 1e9 * n)
    assert iteration_cost(dense, n, 0, 0, 0, 0, 1)[1] == pytest.approx(2 * 70.6e9 * n)


def test_fp8_kv_halves_the_tray_and_doubles_the_kv_room():
    bf16 = dict(MODELS["llama-3.1-70b"])
    fp8 = dict(bf16, kv_dtype="fp8")
    assert kv_bytes_per_token(fp8) * 2 == kv_bytes_per_token(bf16)
    g = hardware("h200")
    assert kv_capacity_tokens(fp8, g, 4) == pytest.approx(2 * kv_capacity_tokens(bf16, g, 4), rel=1e-6, abs=2)


def test_fp8_weights_use_the_fp8_peak_where_there_is_one_and_only_save_bytes_elsewhere():
    bf16 = MODELS["llama-3.1-70b"]
    fp8 = dict(bf16, weight_dtype="fp8")
    h100 = hardware("h100-sxm")
    assert pack_cost(fp8, h100, 8)[CM_PEAK_FLOPS] == pytest.approx(2 * pack_cost(bf16, h100, 8)[CM_PEAK_FLOPS], rel=1e-3)
    small, small8 = MODELS["llama-3.1-8b"], dict(MODELS["llama-3.1-8b"], weight_dtype="fp8")
    assert prefill_time(pack_cost(small8, h100, 1), 8192) < 0.75 * prefill_time(pack_cost(small, h100, 1), 8192)
    a100 = hardware("a100-80gb")                          # no FP8 tensor cores: the same GEMM peak
    assert pack_cost(fp8, a100, 8)[CM_PEAK_FLOPS] == pack_cost(bf16, a100, 8)[CM_PEAK_FLOPS]
    # half the weight bytes to stream; the per-iteration overhead and the BF16 all-reduce stay
    assert decode_step_time(pack_cost(fp8, a100, 8), 1, 1024) < 0.8 * decode_step_time(pack_cost(bf16, a100, 8), 1, 1024)


def test_deepseek_v3_latent_kv_and_its_fp8_weights_need_eight_h200():
    m = dict(MODELS["deepseek-v3"], weight_dtype="fp8")
    assert kv_bytes_per_token(MODELS["deepseek-v3"]) == 61 * 576 * 2      # MLA: one latent vector per layer
    assert resolve_model(m)["active_params_billion"] == pytest.approx(37.0, abs=0.5)
    assert kv_capacity_tokens(m, hardware("h200"), 4) == 0               # 671 GB of weights do not fit on 4
    assert kv_capacity_tokens(m, hardware("h200"), 8) > 100_000


def test_old_files_dtype_bytes_still_sets_both_precisions():
    from disagg_viz.scenario.model import ModelSection
    old = ModelSection(preset="llama-3.1-8b", dtype_bytes=1.0).resolved()
    assert old["weight_bytes"] == 1.0 and old["kv_bytes"] == 1.0
    mixed = ModelSection(preset="llama-3.1-8b", dtype_bytes=1.0, kv_dtype="bf16").resolved()
    assert mixed["weight_bytes"] == 1.0 and mixed["kv_bytes"] == 2.0


def test_a_splitwise_system_runs_each_pool_on_its_gpu_and_says_so(capsys):
    import json
    from disagg_viz.cli.main import run
    from disagg_viz.playback.snapshot import SnapshotBuilder
    from disagg_viz.playback.vocabulary import Vocabulary
    from disagg_viz.scenario.model import DisaggregatedSystem
    from disagg_viz.sim.runner import simulate_scenario
    from tests.sim.helpers import scenario
    split = DisaggregatedSystem(name="Splitwise", link="ib-ndr", prefill_gpu="h100-sxm", decode_gpu="a100-80gb")
    res = simulate_scenario(scenario([split], requests=60)).systems[0]
    assert res.served.all() and res.gpu_names == ["h100-sxm", "h100-sxm", "a100-80gb", "a100-80gb"]
    snap = SnapshotBuilder(res, 1.0, 0.1).at(5.0)
    names = [Vocabulary().station_name(s) for s in snap.stations]
    assert names[0] == "Prep 1 · H100 SXM" and names[-1] == "Plating 2 · A100 SXM 80GB"
    assert res.dollars_per_hour == pytest.approx(2 * 6.88 + 2 * 4.10) and res.power_kw == pytest.approx(2.2)
    assert run(["simulate", "default", "--json", "--set", "workload.requests=40",
                "--set", 'systems.1.decode_gpu="a100-80gb"']) == 0
    out = json.loads(capsys.readouterr().out)["systems"]
    assert out[1]["prefill_gpu"] == "h100-sxm" and out[1]["decode_gpu"] == "a100-80gb" and out[0]["gpu"] == "h100-sxm"
    for s in out:
        assert s["dollars_per_hour"] > 0 and s["power_kw"] > 0 and s["throughput_per_dollar_hour"] > 0
    assert run(["goodput", "default", "--json", "--set", "workload.requests=60"]) == 0
    g = json.loads(capsys.readouterr().out)["systems"][0]
    assert g["goodput_per_dollar_hour"] == pytest.approx(g["goodput_req_per_s"] / g["dollars_per_hour"])
    assert g["goodput_per_kw"] == pytest.approx(g["goodput_req_per_s"] / g["power_kw"])


def test_estimate_answers_for_deepseek_v3_in_fp8(capsys):
    import json
    from disagg_viz.cli.main import run
    assert run(["estimate", "--model", "deepseek-v3", "--gpu", "h200", "--tp", "8", "--weight-dtype", "fp8",
                "--kv-dtype", "fp8", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("prefill_ms", "decode_step_ms", "kv_bytes_per_token", "kv_bytes", "transfer_ms", "kv_capacity_tokens"):
        assert key in out
    assert out["weight_dtype"] == out["kv_dtype"] == "fp8" and out["kv_bytes_per_token"] == 61 * 576
    assert out["kv_capacity_tokens"] > 0 and out["active_params_billion"] == pytest.approx(37, abs=0.5)


def test_a_pools_gpu_physics_can_be_overridden_like_hardware():
    from disagg_viz.sim.runner import simulate_scenario
    from disagg_viz.sim.specs import scenario_specs
    from disagg_viz.scenario.model import DisaggregatedSystem, PoolHardware
    from tests.sim.helpers import scenario
    plain = DisaggregatedSystem(name="p", link="ib-ndr", decode_gpu="a100-80gb")
    roomy = plain.model_copy(update={"name": "r", "decode_hardware": PoolHardware(memory_gb=160.0, price_per_hour=2.0)})
    sc = scenario([plain, roomy], requests=40)
    spec = scenario_specs(sc)[1]
    hw_p, hw_d = spec.prefill_pool.hardware, spec.decode_pool.hardware
    assert hw_d["gpu"] == "a100-80gb" and hw_d["memory_gb"] == 160.0 and hw_p["memory_gb"] == 80.0
    a, b = simulate_scenario(sc).systems
    assert b.kv_capacity_tokens[-1] > 2 * a.kv_capacity_tokens[-1]
    assert b.dollars_per_hour == pytest.approx(2 * 6.88 + 2 * 2.0)
