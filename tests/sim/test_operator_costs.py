"""The operator-level physics, against the public figures it was built from (docs/cost-model.md)."""

import pytest

from disagg_viz.presets import MODELS, attention_flops_per_pair, hardware, resolve_model
from disagg_viz.sim.cost_breakdown import chunked_step_breakdown
from disagg_viz.sim.cost_model import (
    CM_EXPERT_PARAMS, CM_PEAK_FLOPS, allreduce_call_time, chunked_step_time, decode_step_time, gemm_efficiency,
    iteration_cost, kv_capacity_tokens, pack_cost, prefill_time,
)

KB, MB = 1024, 1024 * 1024


def test_a_chunk_does_not_hide_the_decode_batch_kv_reads():
    # Separate kernels run one after another: the context's cost adds to the chunk's, as in the
    # H200 measurements (2,048-token chunk alone 57 ms; with 32 decodes at 2,048 context 65 ms).
    cm = pack_cost(MODELS["llama-3.1-8b"], hardware("h100-sxm"), 1)
    chunk_growth = chunked_step_time(cm, 2048, 64, 8192) - chunked_step_time(cm, 2048, 64, 128)
    decode_growth = decode_step_time(cm, 64, 8192) - decode_step_time(cm, 64, 128)
    assert chunk_growth == pytest.approx(decode_growth, rel=0.02) and chunk_growth > 0.025


def test_attention_flops_follow_heads_times_head_dim_and_mla_shapes():
    assert attention_flops_per_pair(resolve_model(MODELS["deepseek-v3"])) == (81_920, 278_528)
    q = resolve_model(MODELS["qwen3-30b-a3b"])           # 32 heads x 128 = 2 x hidden
    assert attention_flops_per_pair(q)[0] == 8 * q["hidden_size"]
    cm = pack_cost(q, hardware("h100-sxm"), 1)
    n = 4096
    flops = iteration_cost(cm, n, n * (n + 1) // 2, 0, 0, 0, 1)[1]
    assert flops - 2 * cm[0] * n == pytest.approx(4 * 32 * 128 * q["layers"] * n * (n + 1) // 2)


def test_fp8_weights_speed_up_gemms_not_attention():
    # An 8k Llama-3.1-8B prefill on an H200: FP8 GEMMs are 1.84x faster measured; attention stays
    # BF16 unless the KV cache is FP8 too and the engine has FP8 attention kernels.
    bf16 = prefill_time(pack_cost(MODELS["llama-3.1-8b"], hardware("h200", "modern"), 1), 8192)
    fp8w = prefill_time(pack_cost(dict(MODELS["llama-3.1-8b"], weight_dtype="fp8"), hardware("h200", "modern"), 1), 8192)
    both = dict(MODELS["llama-3.1-8b"], weight_dtype="fp8", kv_dtype="fp8")
    fp8_all = prefill_time(pack_cost(both, hardware("h200", "modern"), 1), 8192)
    fp8_no_kernels = prefill_time(pack_cost(both, hardware("h200", "distserve-2023"), 1), 8192)
    assert 1.2 < bf16 / fp8w < 1.84
    assert fp8_all < fp8w
    assert fp8_no_kernels > 0.99 * prefill_time(
        pack_cost(dict(MODELS["llama-3.1-8b"], weight_dtype="fp8"), hardware("h200", "distserve-2023"), 1), 8192)


def test_latent_kv_is_replicated_on_every_rank():
    ds = dict(MODELS["deepseek-v3"], weight_dtype="fp8")
    cap = kv_capacity_tokens(ds, hardware("h200"), 8)
    free = 8 * 141e9 * 0.9 - 671e9
    assert cap == int(free // (61 * 576 * 2 * 8))            # one full copy per rank: ~0.61 M tokens, not 4.9 M
    assert 550_000 < cap < 650_000
    cm = pack_cost(ds, hardware("h200", "modern"), 8)
    read = chunked_step_breakdown(cm, 0, 64, 32768)["decode_attention"]
    assert read > 64 * 32768 * 61 * 576 * 2 / (4.8e12 * 0.9)  # each rank reads the whole latent cache


def test_gqa_kv_is_replicated_when_kv_heads_are_fewer_than_ranks():
    q = MODELS["qwen3-30b-a3b"]                               # 4 KV heads
    free8 = 8 * 80e9 * 0.9 - 30.5e9 * 2
    kv = 2 * 48 * 4 * 128 * 2
    assert kv_capacity_tokens(q, hardware("h100-sxm"), 8) == int(free8 // (2 * kv))   # each KV head on 2 ranks
    read = {tp: chunked_step_breakdown(pack_cost(q, hardware("h100-sxm"), tp), 0, 64, 32768)["decode_attention"]
            for tp in (2, 4, 8)}
    assert read[4] == pytest.approx(read[2] / 2) and read[8] == pytest.approx(read[4])


# Published H100 all-reduce timings (us; best algorithm at that size): SGLang PR #2904 (custom
# all-reduce, TP2/4/8), Triton-distributed issue #57 (NCCL, 8 x H100), vLLM PR #42324 (pynccl).
PUBLISHED_H100 = [(2, 4 * KB, 3.9), (2, MB, 19.9), (4, 4 * KB, 3.7), (4, 256 * KB, 13.9), (4, MB, 31.1),
                  (8, 512, 5.9), (8, 256 * KB, 16.7), (8, 512 * KB, 22.1), (8, MB, 33.8), (8, 4 * MB, 59.4),
                  (8, 16 * MB, 135.7), (8, 32 * MB, 195.0), (8, 128 * MB, 561.0)]


@pytest.mark.parametrize("tp,size,us", PUBLISHED_H100)
def test_all_reduce_by_message_size_within_1_5x_of_published_h100(tp, size, us):
    cm = pack_cost(MODELS["llama-3.1-70b"], hardware("h100-sxm", "modern"), tp)
    got = allreduce_call_time(cm, size) * 1e6
    assert 1 / 1.5 < got / us < 1.5, got


def test_moe_grouped_gemm_efficiency_follows_rows_per_expert():
    # A 2,048-token DeepSeek-V3 chunk gives each of its 256 experts ~64 rows: its grouped GEMMs run
    # at the efficiency of 64-row GEMMs, not of one 2,048-row GEMM.
    cm = pack_cost(dict(MODELS["deepseek-v3"], weight_dtype="fp8"), hardware("h200", "modern"), 8)
    experts = chunked_step_breakdown(cm, 2048, 0, 0)["moe_experts"]
    as_one_gemm = 2 * cm[CM_EXPERT_PARAMS] * 2048 / (8 * cm[CM_PEAK_FLOPS] * gemm_efficiency(cm, 2048))
    assert experts > 1.5 * as_one_gemm
    assert experts >= 0.999 * as_one_gemm * gemm_efficiency(cm, 2048) / gemm_efficiency(cm, 2048 * 8 / 256)


def test_layer_overhead_grows_with_layers():
    hw = hardware("a100-80gb", "distserve-2023")
    small = chunked_step_breakdown(pack_cost(dict(MODELS["opt-13b"], layers=20), hw, 1), 0, 1, 16)["overhead"]
    big = chunked_step_breakdown(pack_cost(MODELS["opt-13b"], hw, 1), 0, 1, 16)["overhead"]
    assert big - small == pytest.approx(20 * hw["layer_overhead_us"] * 1e-6)
