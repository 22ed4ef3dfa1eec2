import pytest

from disagg_viz.presets import MODELS, hardware
from disagg_viz.sim.cost_breakdown import OPERATORS, chunked_step_breakdown, iteration_breakdown, prefill_breakdown
from disagg_viz.sim.cost_model import chunked_step_time, decode_step_time, iteration_cost, pack_cost, prefill_time

CASES = [("llama-3.1-8b", "h100-sxm", "distserve-2023", 1), ("llama-3.1-70b", "h200", "modern", 8),
         ("qwen3-30b-a3b", "h100-sxm", "vllm-2023", 2), ("deepseek-v3", "h200", "modern", 8),
         ("opt-13b", "a100-80gb", "distserve-2023", 4)]
# (ep, attention, two-batch overlap) of expert-parallel instances: tp 1, the instance is ep GPUs
EP_CASES = [(8, "dp", False), (32, "dp", True), (16, "tp", False), (72, "tp", True)]


@pytest.mark.parametrize("model,gpu,engine,tp", CASES)
@pytest.mark.parametrize("it", [(2048, 2048 * 2049 // 2, 0, 64, 64 * 8192, 65), (0, 0, 0, 1, 128, 1),
                                (512, 512 * 1024 + 512 * 513 // 2, 1024, 0, 0, 1), (8192, 8192 * 8193 // 2, 0, 0, 0, 1)])
def test_the_operators_add_up_to_the_iteration(model, gpu, engine, tp, it):
    m = dict(MODELS[model], weight_dtype="fp8") if model == "deepseek-v3" else MODELS[model]
    cm = pack_cost(m, hardware(gpu, engine), tp)
    parts = iteration_breakdown(cm, *it)
    assert set(parts) == set(OPERATORS) - {"all_to_all"} and all(v >= 0 for v in parts.values())
    assert sum(parts.values()) == pytest.approx(iteration_cost(cm, *it)[0], rel=1e-12)


@pytest.mark.parametrize("model", ["deepseek-v3", "qwen3-235b-a22b"])
@pytest.mark.parametrize("ep,attention,tbo", EP_CASES)
@pytest.mark.parametrize("it", [(0, 0, 0, 4096, 4096 * 2000, 4096), (65536, 32 * 2048 * 2049 // 2, 0, 0, 0, 32),
                                (0, 0, 0, 1, 128, 1)])
def test_expert_parallel_operators_add_up(model, ep, attention, tbo, it):
    cm = pack_cost(dict(MODELS[model], weight_dtype="fp8"), hardware("h100-sxm", "modern"), 1, ep, attention, 1.25, tbo)
    parts = iteration_breakdown(cm, *it)
    assert set(parts) == set(OPERATORS) and all(v >= 0 for v in parts.values())
    assert parts["all_to_all"] > 0
    assert sum(parts.values()) == pytest.approx(iteration_cost(cm, *it)[0], rel=1e-12)


def test_helpers_price_the_same_iterations_as_the_cost_model():
    cm = pack_cost(MODELS["llama-3.1-8b"], hardware("h100-sxm"), 2)
    assert sum(chunked_step_breakdown(cm, 2048, 64, 8192).values()) == pytest.approx(
        chunked_step_time(cm, 2048, 64, 8192), rel=1e-12)
    assert sum(chunked_step_breakdown(cm, 0, 32, 4096).values()) == pytest.approx(
        decode_step_time(cm, 32, 4096), rel=1e-12)
    assert sum(prefill_breakdown(cm, 4096).values()) == pytest.approx(prefill_time(cm, 4096), rel=1e-12)


def test_a_long_context_shows_up_in_decode_attention_only():
    cm = pack_cost(MODELS["llama-3.1-8b"], hardware("h100-sxm"), 1)
    short, long_ = chunked_step_breakdown(cm, 2048, 64, 128), chunked_step_breakdown(cm, 2048, 64, 8192)
    assert long_["decode_attention"] > 20 * short["decode_attention"]
    for op in ("weight_gemms", "prefill_attention", "overhead"):
        assert long_[op] == short[op]
    assert short["moe_experts"] == 0 and short["allreduce"] == 0
