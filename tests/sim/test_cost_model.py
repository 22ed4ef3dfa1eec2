import pytest

from disagg_viz.presets import GPUS, MODELS, kv_bytes_per_token
from disagg_viz.sim.cost_model import decode_step_time, kv_capacity_tokens, pack_cost, prefill_time

# DistServe's fitted profile, OPT-13B on A100-80GB (field guide section 4), milliseconds.
PREFILL = {1: {128: 31.3, 512: 72.1, 1024: 129.9, 2048: 256.7}, 2: {128: 23.6, 512: 50.5, 1024: 87.5, 2048: 165.5}}
DECODE = {1: {1: 20.3, 8: 22.8, 32: 31.5, 64: 43.0, 128: 65.5}, 2: {1: 13.5, 8: 15.2, 32: 20.9, 64: 28.5, 128: 42.1}}


@pytest.mark.parametrize("tp", [1, 2])
def test_prefill_within_30_percent_of_distserve(tp):
    cm = pack_cost(MODELS["opt-13b"], GPUS["a100-80gb"], tp)
    for tokens, ms in PREFILL[tp].items():
        got = prefill_time(cm, tokens) * 1e3
        assert abs(got / ms - 1) < 0.30, (tp, tokens, got, ms)


@pytest.mark.parametrize("tp", [1, 2])
def test_decode_within_30_percent_of_distserve(tp):
    cm = pack_cost(MODELS["opt-13b"], GPUS["a100-80gb"], tp)
    for batch, ms in DECODE[tp].items():
        got = decode_step_time(cm, batch, 512) * 1e3
        assert abs(got / ms - 1) < 0.30, (tp, batch, got, ms)


def test_kv_size_matches_distserve_opt66b():
    # "the KV cache of one 512-token OPT-66B request is about 1.13 GB" = 1.125 GiB.
    assert kv_bytes_per_token(MODELS["opt-66b"]) * 512 == 1.125 * 2**30
    assert kv_bytes_per_token(MODELS["llama-3.1-8b"]) == 128 * 1024
    assert kv_bytes_per_token(MODELS["llama-2-7b"]) == 512 * 1024


def test_short_prefill_is_flat_long_prefill_is_linear():
    cm = pack_cost(MODELS["llama-3.1-8b"], GPUS["h100-sxm"], 1)
    t = {n: prefill_time(cm, n) for n in (16, 64, 4096, 8192, 16384)}
    assert t[64] / t[16] < 1.3                  # memory-bound: weights dominate
    assert 1.8 < t[16384] / t[8192] < 2.3       # compute-bound: grows ~linearly


def test_decode_is_bandwidth_bound_and_prefill_compute_bound():
    from disagg_viz.sim.cost_model import iteration_cost
    cm = pack_cost(MODELS["llama-3.1-8b"], GPUS["h100-sxm"], 1)
    _, flops, nbytes = iteration_cost(cm, 0, 0, 0, 32, 32 * 2048, 32)
    assert nbytes / flops > 1 / 200          # arithmetic intensity far below the ridge
    n = 8192
    _, flops, nbytes = iteration_cost(cm, n, n * (n + 1) // 2, 0, 0, 0, 1)
    assert flops / nbytes > 1000


def test_tensor_parallel_helps_less_and_less():
    m, g = MODELS["llama-3.1-70b"], GPUS["a100-80gb"]
    step = {tp: decode_step_time(pack_cost(m, g, tp), 8, 1024) for tp in (2, 4, 8)}
    assert step[4] < step[2]
    assert step[8] / step[4] > 0.75   # "70B decode steps barely improve from TP4 to TP8"


def test_kv_capacity_zero_when_weights_do_not_fit():
    assert kv_capacity_tokens(MODELS["llama-3.1-70b"], GPUS["h100-sxm"], 1) == 0
    assert kv_capacity_tokens(MODELS["llama-3.1-8b"], GPUS["h100-sxm"], 1) > 400_000
