"""Prefix caches and routing (issue 21): a hit skips prefill compute but keeps and ships its KV;
LRU eviction within the KV room left; round-robin and prefix-aware routing; hit rates in the JSON;
prefixes from Mooncake's hash_ids and from generated system prompts."""

import numpy as np
import pytest

from disagg_viz.scenario.model import ColocatedSystem, DisaggregatedSystem, Scenario, WorkloadSection
from disagg_viz.sim.engine_input import instance_fault_rows, costs_of, pool_row
from disagg_viz.sim.kernels import simulate_colocated
from disagg_viz.sim.layout import (
    L_PREFILL_TOKENS, PL_CACHE_SLOTS, PL_ROUTING, R_CACHED, R_PREFILL_INST, ROUTE_PREFIX, ROUTE_ROUND_ROBIN, SH_BYTES,
)
from disagg_viz.sim.metrics import summarize_scenario
from disagg_viz.sim.reference import simulate_colocated_reference
from disagg_viz.sim.run_control import RunControl
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.sim.workload import generate
from disagg_viz.traces import TraceError, read_trace
from disagg_viz.traces.prefix import Prefix
from tests.conftest import FIXTURES
from tests.sim.test_engine_equivalence import CM, FULL_CAP, _same


def run_both(arrival, prompt, output, lists, inst=1, slots=64, routing=0, cap=FULL_CAP, max_batch=8):
    p = Prefix.from_lists(lists)
    prefix = (p.start, p.count, p.blocks)
    pools = pool_row(inst, cap, max_batch, 8192, 0, False, routing, slots, 1000)[None]
    args = (np.asarray(arrival, float), np.asarray(prompt, np.int64), np.asarray(output, np.int64), costs_of(CM), pools)
    got = simulate_colocated(*args, RunControl().array, prefix, instance_fault_rows())
    _same(got, simulate_colocated_reference(*args, None, prefix))
    return got


def test_a_hit_skips_the_prefill_of_its_blocks_and_the_last_token_is_always_computed():
    # Three requests one after another: the second repeats the first's 4 blocks, the third all of
    # its own 2,048-token prompt (4 blocks): it still computes its last token.
    f, i, log, _, _ = run_both([0, 5, 10], [2500, 2600, 2048], [4, 4, 4], [[1, 2, 3, 4], [1, 2, 3, 4, 9], [1, 2, 3, 4]])
    assert i[:, R_CACHED].tolist() == [0, 2048, 2047]
    prefill_rows = log[log[:, L_PREFILL_TOKENS] > 0]
    assert prefill_rows[:, L_PREFILL_TOKENS].tolist() == [2500, 2600 - 2048, 1]
    f0, i0, log0, _, _ = run_both([0, 5, 10], [2500, 2600, 2048], [4, 4, 4], [[1, 2, 3, 4], [1, 2, 3, 4, 9], [1, 2, 3, 4]],
                                  slots=0)
    assert i0[:, R_CACHED].tolist() == [0, 0, 0]
    ttft, ttft0 = f[:, 4] - [0, 5, 10], f0[:, 4] - [0, 5, 10]
    assert ttft[0] == ttft0[0] and ttft[1] < 0.5 * ttft0[1] and ttft[2] < 0.2 * ttft0[2]


def test_only_a_leading_run_of_blocks_hits():
    _, i, _, _, _ = run_both([0, 5], [3000, 3000], [2, 2], [[1, 2, 3], [7, 2, 3]])
    assert i[:, R_CACHED].tolist() == [0, 0]


def test_the_least_recently_used_block_goes_first():
    # Room for 4 blocks: A (2 blocks), B (2), A again (refreshes A), C (2) evicts B, not A.
    lists = [[1, 2], [3, 4], [1, 2], [5, 6], [1, 2], [3, 4]]
    _, i, _, _, _ = run_both(np.arange(6) * 5.0, [1100] * 6, [2] * 6, lists, slots=4)
    assert (i[:, R_CACHED] > 0).tolist() == [False, False, True, False, True, False]


def test_the_cache_keeps_to_the_kv_room_its_requests_leave():
    # 3 blocks of KV in all: while the second request (1,024 + 500 tokens) runs, one block fits
    # beside it, so the first's two blocks cannot both stay.
    cap = 3 * 512
    lists = [[1, 2], [8], [1, 2]]
    _, i, _, _, _ = run_both([0, 0.5, 0.6], [1024, 1024, 1100], [2, 500, 2], lists, cap=cap)
    _, i_big, _, _, _ = run_both([0, 0.5, 0.6], [1024, 1024, 1100], [2, 500, 2], lists, cap=FULL_CAP)
    assert i_big[2, R_CACHED] == 1024 and i[2, R_CACHED] < 1024


def test_round_robin_takes_turns_over_the_requests_served():
    _, i, _, _, _ = run_both(np.zeros(7), [100] * 7, [3] * 7, [[]] * 7, inst=3, routing=ROUTE_ROUND_ROBIN)
    assert i[:, R_PREFILL_INST].tolist() == [0, 1, 2, 0, 1, 2, 0]


def test_prefix_aware_routing_follows_the_cached_prefix():
    # Instance 0 caches prefix A, instance 1 prefix B; later requests go where their prefix is.
    lists = [[1, 2, 3, 4], [5, 6, 7, 8], [5, 6, 7, 8], [1, 2, 3, 4], [5, 6, 7, 8]]
    _, i, _, _, _ = run_both([0, 0, 10, 11, 12], [2100] * 5, [2] * 5, lists, inst=2, routing=ROUTE_PREFIX)
    assert i[:, R_PREFILL_INST].tolist() == [0, 1, 1, 0, 1]
    assert i[2:, R_CACHED].tolist() == [2048] * 3
    _, ll, _, _, _ = run_both([0, 0, 10, 11, 12], [2100] * 5, [2] * 5, lists, inst=2)
    assert ll[2:, R_CACHED].tolist() != [2048] * 3          # least-loaded sends them to instance 0 first


def many_prompts(routing, kind="colocated"):
    systems = ([ColocatedSystem(name="c", instances=4, prefix_cache=True, routing=routing)] if kind == "colocated"
               else [DisaggregatedSystem(name="d", prefill_instances=3, decode_instances=1, link="nvlink4",
                                         prefix_cache=True, routing=routing)])
    return Scenario(title="t", systems=systems,
                    workload=WorkloadSection(requests=1200, arrival_rate=6.0, prompt_tokens=512, output_tokens=64,
                                             shared_prefix_tokens=8192, shared_prefixes=200))


@pytest.mark.parametrize("kind", ["colocated", "disaggregated"])
def test_prefix_aware_routing_raises_the_hit_rate_when_prefixes_outgrow_one_cache(kind):
    """200 system prompts of 16 blocks (3,200 blocks) do not fit one instance's cache (834): routed
    by load every instance sees every prompt; routed by prefix, each keeps its share."""
    rates = {r: summarize_scenario(simulate_scenario(many_prompts(r, kind)))["systems"][0]["prefix_hit_rate"]
             for r in ("least-loaded", "prefix-aware")}
    assert rates["prefix-aware"] > 1.5 * rates["least-loaded"] > 0.15


def test_hits_still_ship_their_kv_and_the_json_reports_hit_rates():
    sc = many_prompts("prefix-aware", "disaggregated")
    plain = sc.model_copy(update={"systems": [sc.systems[0].model_copy(update={"prefix_cache": False,
                                                                                "routing": "least-loaded"})]})
    a, b = simulate_scenario(sc).systems[0], simulate_scenario(plain).systems[0]
    assert np.array_equal(a.ship[:, SH_BYTES], b.ship[:, SH_BYTES], equal_nan=True)
    s = summarize_scenario(simulate_scenario(sc))["systems"][0]
    assert s["routing"] == "prefix-aware" and len(s["prefix_hit_rate_by_instance"]) == 3
    assert s["prefix_cached_tokens"] == int(a.cached_tokens.sum()) > 0
    assert min(s["prefix_hit_rate_by_instance"]) <= s["prefix_hit_rate"] <= max(s["prefix_hit_rate_by_instance"])
    p = summarize_scenario(simulate_scenario(plain))["systems"][0]
    assert "prefix_hit_rate" not in p and "routing" not in p        # today's JSON without the feature


def test_generated_system_prompts_share_their_blocks_and_leave_the_other_draws_alone():
    wl = WorkloadSection(seed=4, requests=300, prompt_tokens=700, shared_prefix_tokens=1500, shared_prefixes=3)
    g, plain = generate(wl), generate(wl.model_copy(update={"shared_prefix_tokens": 0}))
    assert np.array_equal(g.arrival, plain.arrival) and np.array_equal(g.output, plain.output)
    assert np.array_equal(g.prompt, plain.prompt + 1500)
    firsts = {tuple(g.prefix.of(r)[:2]) for r in range(300)}
    assert len(firsts) == 3                                   # two shared blocks (1,024 tokens) per system prompt
    assert all(len(g.prefix.of(r)) == g.prompt[r] // 512 for r in range(300))
    assert np.array_equal(generate(wl).prefix.blocks, g.prefix.blocks)


def test_mooncake_hash_ids_become_prefix_blocks():
    t = read_trace(FIXTURES / "traces" / "mooncake-conversation-400.jsonl")
    assert len(t) == 400 and t.prefix.of(0).tolist() == list(range(14))
    assert t.prefix.of(1)[0] == 0 and t.prefix.count.sum() == 11349
    assert read_trace(FIXTURES / "traces" / "azure-small.csv").prefix is None


def test_bad_hash_ids_name_their_line(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"timestamp": 0, "input_length": 10, "output_length": 2, "hash_ids": [1, 2]}\n'
                    '{"timestamp": 1, "input_length": 10, "output_length": 2, "hash_ids": ["x"]}\n')
    with pytest.raises(TraceError) as info:
        read_trace(path)
    assert "line 2" in str(info.value) and "hash_ids" in str(info.value)


def test_cache_and_routing_keys_validate():
    from disagg_viz.scenario import ScenarioError
    from disagg_viz.scenario.codec import scenario_from_dict
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict({"schema_version": 3, "systems": [{"name": "c", "kind": "colocated", "routing": "random",
                                                              "overlap_score_weight": -1.0}]})
    keys = {p.key for p in info.value.problems}
    assert keys == {"systems.0.routing", "systems.0.overlap_score_weight"}


def test_goodput_keeps_the_prefixes_and_a_trace_refuses_generated_system_prompts():
    from disagg_viz.explore.goodput import request_mix
    from disagg_viz.scenario import ScenarioError
    from disagg_viz.scenario.codec import scenario_from_dict
    mix = request_mix(many_prompts("prefix-aware"))
    assert mix.at(3.0).prefix is not None and mix.at(3.0).prefixes().count.sum() > 0
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict({"schema_version": 3, "workload": {"trace": "t.jsonl", "shared_prefix_tokens": 512},
                            "systems": [{"name": "c", "kind": "colocated"}]})
    assert "shared_prefix_tokens: a trace brings its own prompts" in str(info.value)


def test_generated_conversations_repeat_the_earlier_turns_blocks():
    wl = WorkloadSection(seed=5, requests=120, prompt_tokens=600, output_tokens=300, output_distribution="uniform",
                         conversation_turns=4, conversations_at_once=10, shared_prefix_tokens=1024, shared_prefixes=2)
    g = generate(wl)
    plain = generate(wl.model_copy(update={"conversation_turns": 1, "shared_prefix_tokens": 0}))
    assert np.array_equal(g.arrival, plain.arrival) and np.array_equal(g.output, plain.output)
    # request 10 is user 0's second turn: request 0's prompt and answer, then its own message
    assert g.prompt[10] == g.prompt[0] + g.output[0] + plain.prompt[10]
    first, second = g.prefix.of(0), g.prefix.of(10)
    assert np.array_equal(second[:len(first)], first) and len(second) > len(first)
    assert g.prompt[40] == plain.prompt[40] + 1024                  # user 0's fifth message opens a new conversation
    assert not set(g.prefix.of(40)[2:]) & set(first[2:])            # only the system prompt's two blocks repeat
    assert set(g.prefix.of(40)[:2]) in ({*g.prefix.of(0)[:2]}, {*g.prefix.of(1)[:2]}, {*g.prefix.of(2)[:2]},
                                        set(g.prefix.of(40)[:2]))


def _plain_prefixes(w, own, output):
    """The rule of workload._prefixes written out request by request (its reference)."""
    from disagg_viz.sim.workload import MAX_TOKENS, OWN_ID, SHARED_ID
    turns, at_once = w.conversation_turns, w.conversations_at_once if w.conversation_turns > 1 else 1
    group = np.random.default_rng([w.seed, 21]).integers(0, w.shared_prefixes, len(own))
    prompt, lists = [], []
    for r in range(len(own)):
        user, j = r % at_once, r // at_once
        q = user + at_once * (j // turns) if turns > 1 else r
        later = turns > 1 and j % turns > 0
        prev = r - at_once
        prompt.append(min(prompt[prev] + output[prev] + own[r] if later else own[r] + w.shared_prefix_tokens,
                          MAX_TOKENS))
        total = prompt[r] // 512
        mine = min(w.shared_prefix_tokens // 512, total)
        lists.append([int(group[q]) * SHARED_ID + k if k < mine else OWN_ID + q * SHARED_ID + k for k in range(total)])
    return np.array(prompt, np.int64), Prefix.from_lists(lists)


@pytest.mark.parametrize("requests,turns,at_once,system,prompts", [
    (1, 1, 32, 512, 1), (200, 1, 32, 1500, 3), (97, 3, 10, 0, 1), (230, 4, 7, 2048, 2), (50, 2, 64, 700, 5),
])
def test_generated_prefixes_follow_the_rule_request_by_request(requests, turns, at_once, system, prompts):
    from disagg_viz.sim.workload import _prefixes
    w = WorkloadSection(seed=requests, requests=requests, conversation_turns=turns, conversations_at_once=at_once,
                        shared_prefix_tokens=system, shared_prefixes=prompts)
    rng = np.random.default_rng(turns)
    own = rng.integers(1, 3000, requests).astype(np.int64)
    own[::17] = own[min(at_once, requests - 1)] = 700_000     # long ones: user 0's second turn passes MAX_TOKENS
    output = rng.integers(1, 2000, requests).astype(np.int64)
    prompt, got = _prefixes(w, own, output)
    want_prompt, want = _plain_prefixes(w, own, output)
    assert np.array_equal(prompt, want_prompt)
    for a, b in ((got.start, want.start), (got.count, want.count), (got.blocks, want.blocks)):
        assert a.dtype == np.int64 and np.array_equal(a, b)


def test_a_conversation_hits_its_earlier_turns_in_the_cache():
    sc = Scenario(title="t", systems=[ColocatedSystem(name="c", instances=2, prefix_cache=True, routing="prefix-aware"),
                                      ColocatedSystem(name="n", instances=2)],
                  workload=WorkloadSection(requests=300, arrival_rate=4.0, prompt_tokens=800, output_tokens=150,
                                           conversation_turns=5, conversations_at_once=8))
    res = simulate_scenario(sc)
    cached, plain = summarize_scenario(res)["systems"]
    # The most a cache of prompts can find: each turn's previous prompt, in whole blocks.
    wl, served = generate(sc.workload), ~res.systems[0].rejected
    at_once, turns = 8, 5
    ceiling = sum((wl.prompt[r - at_once] // 512) * 512 for r in range(len(wl))
                  if served[r] and (r // at_once) % turns > 0) / wl.prompt[served].sum()
    # (The router's load term sends a few turns to the other instance, where they miss.)
    assert 0.75 * ceiling < cached["prefix_hit_rate"] <= ceiling
    assert cached["ttft_ms"]["p50"] < plain["ttft_ms"]["p50"]
