"""Expert parallelism and DP attention: weights, KV, the all-to-all, the busiest GPU, two-batch overlap."""

import numpy as np
import pytest

from disagg_viz.presets import MODELS, hardware, resolve_model
from disagg_viz.scenario.errors import ScenarioError
from disagg_viz.scenario.codec import scenario_from_dict
from disagg_viz.sim.cost_breakdown import iteration_breakdown
from disagg_viz.sim.cost_model import (
    CM_SIZE, all_to_all_time, decode_step_time, iteration_cost, kv_capacity_resolved, pack_cost, prefill_time,
)
from disagg_viz.sim.expert_parallel import a2a_terms, layout, remote_domains_touched, weight_bytes_per_gpu
from disagg_viz.sim.specs import scenario_specs

DSV3 = resolve_model(dict(MODELS["deepseek-v3"], weight_dtype="fp8"))
H100 = hardware("h100-sxm", "modern")


def _cm(ep, attention="dp", imbalance=1.25, tbo=False, hw=H100, model=DSV3):
    return pack_cost(model, hw, 1, ep, attention, imbalance, tbo)


def test_ep_one_packs_what_tp_packed():
    """Without expert parallelism the cost vector's new columns change nothing."""
    for tp in (1, 2, 8):
        cm = pack_cost(MODELS["qwen3-30b-a3b"], H100, tp)
        assert cm.shape == (CM_SIZE,)
        its = [(2048, 2048 * 2049 // 2, 0, 0, 0, 1), (0, 0, 0, 64, 64 * 4096, 64)]
        assert all(all_to_all_time(cm, it[0] + it[3]) == 0.0 for it in its)
        assert "all_to_all" not in iteration_breakdown(cm, *its[0])


def test_each_gpu_holds_the_dense_part_and_its_share_of_the_experts():
    lay = layout(1, 32, "dp")
    assert (lay.gpus, lay.attention_tp, lay.groups) == (32, 1, 32)
    expected = (16.5 + 654.5 / 32) * 1e9          # FP8: one byte a weight
    assert weight_bytes_per_gpu(DSV3, lay) == pytest.approx(expected)
    # DeepSeek-V3 in FP8 does not fit one 8 x H100 node tensor-parallel, but fits EP32.
    assert kv_capacity_resolved(DSV3, H100, 8) <= 0
    assert kv_capacity_resolved(DSV3, H100, 1, 32, "dp") > 0


def test_dp_attention_does_not_replicate_the_latent_kv():
    """MLA's latent KV is whole on every rank of an attention group: TP attention over 32 GPUs keeps
    32 copies, DP attention one; TP splits the dense weights 32 ways, which leaves it some more room, so
    DP holds over 15x the tokens."""
    dp = kv_capacity_resolved(DSV3, H100, 1, 32, "dp")
    tp = kv_capacity_resolved(DSV3, H100, 1, 32, "tp")
    assert 15 < dp / tp < 33


def test_all_to_all_crosses_the_nics_only_beyond_the_domain():
    lat8, row8 = a2a_terms(DSV3, H100, layout(1, 8, "dp"))
    lat32, row32 = a2a_terms(DSV3, H100, layout(1, 32, "dp"))
    assert lat8 == lat32 == pytest.approx(20e-6)
    # inside one node: NVLink only, k (1 - 1/8) copies of hidden x (1 + 2) bytes at 450 x 0.9 GB/s, per GPU
    assert row8 == pytest.approx(8 * 7 / 8 * 7168 * 3 / (450e9 * 0.9) / 8)
    # four nodes: each token reaches ~2.7 other nodes over 50 GB/s NICs, far slower per byte
    assert remote_domains_touched(8, 4) == pytest.approx(3 * (1 - 0.75 ** 8))
    assert row32 * 32 > 3 * row8 * 8
    # the dispatch in BF16 (no FP8 dispatch) moves 4/3 the bytes
    _, bf16 = a2a_terms(DSV3, dict(H100, fp8_dispatch=0.0), layout(1, 32, "dp"))
    assert bf16 == pytest.approx(row32 * 4 / 3)


def test_the_busiest_gpu_sets_the_expert_time():
    it = (16384, 8 * 2048 * 2049 // 2, 0, 0, 0, 8)
    even, skew = (iteration_breakdown(_cm(16, imbalance=f), *it)["moe_experts"] for f in (1.0, 1.5))
    assert skew == pytest.approx(1.5 * even)


def test_two_batch_overlap_hides_part_of_the_all_to_all():
    it = (65536, 32 * 2048 * 2049 // 2, 0, 0, 0, 32)
    plain, tbo = iteration_cost(_cm(32), *it)[0], iteration_cost(_cm(32, tbo=True), *it)[0]
    a2a = all_to_all_time(_cm(32), 65536)
    assert plain - a2a < tbo < plain


def test_wide_ep_with_dp_attention_beats_tp_attention_on_the_same_gpus():
    """The SGLang team's point: DP attention + EP serves far more per GPU than attention TP over the
    same 16 GPUs (KV replicated, all-reduces across nodes)."""
    ctx, per_gpu = 2000, 64
    dp = 16 * per_gpu / decode_step_time(_cm(16, "dp"), 16 * per_gpu, ctx)
    tp = 16 * per_gpu / decode_step_time(_cm(16, "tp"), 16 * per_gpu, ctx)
    assert dp > 3 * tp
    assert prefill_time(_cm(16, "dp"), 4096) < prefill_time(_cm(16, "tp"), 4096)


def _scenario(system, model="deepseek-v3"):
    return {"schema_version": 3, "model": {"preset": model, "weight_dtype": "fp8"}, "hardware": {"gpu": "h100-sxm", "engine": "modern"},
            "systems": [system]}


def test_an_expert_parallel_pool_is_ep_gpus():
    sc = scenario_from_dict(_scenario({"name": "x", "kind": "disaggregated", "link": "ib-ndr", "prefill_instances": 1,
                                       "prefill_ep": 32, "prefill_attention": "dp", "decode_instances": 2,
                                       "decode_ep": 72, "decode_attention": "dp", "two_batch_overlap": True}))
    spec = scenario_specs(sc)[0]
    assert (spec.prefill_pool.tp, spec.decode_pool.tp, spec.gpus) == (32, 72, 32 + 144)
    assert (spec.decode_pool.ep, spec.decode_pool.attention, spec.decode_pool.attention_tp) == (72, "dp", 1)
    assert spec.link.stripes == 32
    assert sc.systems[0].gpus == 176
    assert np.all(spec.kv_capacity_tokens > 0)


@pytest.mark.parametrize("system,model,needle", [
    ({"kind": "colocated", "ep": 8}, "llama-3.1-8b", "systems.0.ep = 8: model 'llama-3.1-8b' has no routed experts"),
    ({"kind": "colocated", "ep": 8, "tp": 2}, "deepseek-v3", "ep = 8 with tp = 2"),
    ({"kind": "colocated", "attention": "dp"}, "deepseek-v3", 'attention = "dp" needs ep > 1'),
    ({"kind": "disaggregated", "link": "ib-ndr", "decode_ep": 300}, "deepseek-v3",
     "systems.0.decode_ep = 300: more GPUs than the model's 256 routed experts"),
    ({"kind": "disaggregated", "link": "ib-ndr", "prefill_attention": "dp"}, "deepseek-v3",
     'prefill_attention = "dp" needs prefill_ep > 1'),
    ({"kind": "colocated", "ep": 8, "attention": "ring"}, "deepseek-v3", "attention"),
])
def test_bad_parallel_layouts_are_named(system, model, needle):
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(_scenario({"name": "x", **system}, model))
    assert needle in str(exc.value)
