"""The Numba kernels and the plain-Python reference engine give identical arrays."""

import numpy as np
from hypothesis import given, settings, strategies as st

from disagg_viz.presets import MODELS, hardware
from disagg_viz.sim.cost_model import kv_capacity_tokens, pack_cost
from disagg_viz.sim.kernels import simulate_colocated, simulate_disaggregated
from disagg_viz.sim.engine_input import costs_of, instance_fault_rows, link_row, pool_row
from disagg_viz.sim.reference import simulate_colocated_reference, simulate_disaggregated_reference
from disagg_viz.sim.run_control import RunControl

CM = pack_cost(MODELS["llama-3.1-8b"], hardware("h100-sxm"), 1)
CM2 = pack_cost(MODELS["llama-3.1-8b"], hardware("h100-sxm"), 2)
FULL_CAP = kv_capacity_tokens(MODELS["llama-3.1-8b"], hardware("h100-sxm"), 1)
# Expert-parallel instances (the all-to-all, DP attention, two-batch overlap, the busiest GPU).
_MOE = dict(MODELS["qwen3-30b-a3b"], weight_dtype="fp8")
COSTS = [CM, CM2, pack_cost(_MOE, hardware("h100-sxm", "modern"), 1, 8, "dp", 1.25, True),
         pack_cost(_MOE, hardware("h100-sxm", "modern"), 1, 16, "tp", 1.5, False),
         pack_cost(dict(MODELS["deepseek-v3"], weight_dtype="fp8"), hardware("h200", "modern"), 1, 32, "dp", 1.25, True)]
# Events between the kernels' pauses (progress and cancel): pausing never changes a result.
EVERY = st.one_of(st.just(1 << 16), st.integers(1, 40))


@st.composite
def workloads(draw):
    n = draw(st.integers(1, 60))
    rate = draw(st.floats(0.5, 200.0))
    gaps = np.array(draw(st.lists(st.floats(0.0, 3.0 / rate), min_size=n, max_size=n)))
    # Simultaneous arrivals exercise the tie-breaking rules.
    arrival = np.cumsum(np.round(gaps, 3))
    prompt = np.array(draw(st.lists(st.integers(1, 6000), min_size=n, max_size=n)), dtype=np.int64)
    output = np.array(draw(st.lists(st.integers(1, 40), min_size=n, max_size=n)), dtype=np.int64)
    return arrival, prompt, output


def _none(args):
    """No prefix blocks for any request (traces.prefix.Prefix.none) as the kernels take them."""
    n = len(args[0])
    return np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(0, np.int64)


def _same(a, b):
    fa, ia, la, ha, sa = a[:5]
    fb, ib, lb, hb, sb = b[:5]
    assert len(a) == len(b)
    if len(a) > 5:               # the planner's move log (disaggregated)
        assert a[5].shape == b[5].shape and np.array_equal(a[5], b[5], equal_nan=True)
    assert np.array_equal(fa, fb, equal_nan=True)
    assert np.array_equal(ia, ib)
    assert la.shape == lb.shape and np.array_equal(la, lb)
    assert ha.shape == hb.shape and np.array_equal(ha, hb, equal_nan=True)
    assert sa == sb


def _colocated(arrival, prompt, output, cm, inst, cap, chunked, chunk, max_prefill, max_batch):
    return (arrival, prompt, output, costs_of(cm),
            pool_row(inst, cap, max_batch, max_prefill, chunk if chunked else 0)[None])


def _disaggregated(arrival, prompt, output, cm_p, cm_d, n_p, n_d, cap_p, cap_d, bw, lat, layerwise, max_prefill,
                   max_batch, first_prefill, faults=(), domain=None):
    return (arrival, prompt, output, costs_of(cm_p, cm_d),
            np.stack([pool_row(n_p, cap_p, max_batch, max_prefill, 0, first_prefill),
                      pool_row(n_d, cap_d, max_batch, max_prefill)]), link_row(bw, lat, layerwise, faults, domain))


# Link faults: (time, port of global instance 0..5, share of the rate), some at the same time.
FAULTS = st.lists(st.tuples(st.sampled_from([0.0, 0.05, 0.2, 0.5, 1.0, 3.0]), st.integers(0, 5),
                            st.sampled_from([0.01, 0.1, 0.5, 1.0, 2.0])), max_size=4)


@st.composite
def outages(draw, pools):
    """Lost instances as a scenario may list them ([[faults]] kind "instance-lost": each pool keeps
    a station at every moment, a station is not lost twice at once), as the engines' IF_* rows:
    times on a grid (ties with each other and with arrivals), some back after a while."""
    kept = []
    for _ in range(draw(st.integers(0, 3))):
        k = draw(st.integers(0, len(pools) - 1))
        at = draw(st.sampled_from([0.0, 0.01, 0.05, 0.2, 0.5, 1.0, 3.0]))
        end = at + draw(st.sampled_from([0.05, 0.3, 2.0, np.inf]))
        inst = draw(st.integers(0, pools[k] - 1))
        same = [(a, e, i) for kk, a, e, i in kept if kk == k]
        if any(i == inst and a < end and at < e for a, e, i in same):
            continue
        same.append((at, end, inst))
        if any(len({i for a, e, i in same if a <= start < e}) >= pools[k] for start, _, _ in same):
            continue
        kept.append((k, at, end, inst))
    events = []
    for k, at, end, inst in kept:
        g = inst + sum(pools[:k])
        events.append((at, g, 0))
        if end < np.inf:
            events.append((end, g, 1))
    return instance_fault_rows(events)


def _both(kernel, reference, args, every, prefix, lost):
    """Both engines on the same input, each writing its own copy of the lost-instance rows."""
    mine, theirs = lost.copy(), lost.copy()
    _same(kernel(*args, RunControl(every).array, prefix, mine), reference(*args, None, prefix, theirs))
    assert np.array_equal(mine, theirs)
    return mine


# NVLink domains (NVL72-like): (NVLink bytes/s, domain GPUs, GPUs per prefill / decode instance, prefill instances)
DOMAINS = st.one_of(st.none(), st.tuples(st.floats(1e9, 1e13), st.sampled_from([2, 3, 16, 72]), st.integers(1, 8),
                                         st.integers(1, 8), st.integers(1, 3)))


@settings(max_examples=150)
@given(wl=workloads(), inst=st.integers(1, 3), chunked=st.booleans(), chunk=st.integers(16, 2048),
       max_prefill=st.integers(16, 8192), max_batch=st.integers(1, 12),
       cap=st.one_of(st.just(FULL_CAP), st.integers(0, 20000)), every=EVERY, cm=st.sampled_from(COSTS),
       data=st.data())
def test_colocated_engines_identical(wl, inst, chunked, chunk, max_prefill, max_batch, cap, every, cm, data):
    arrival, prompt, output = wl
    args = _colocated(arrival, prompt, output, cm, inst, cap, chunked, chunk, max_prefill, max_batch)
    _both(simulate_colocated, simulate_colocated_reference, args, every, _none(args), data.draw(outages([inst])))


@settings(max_examples=150)
@given(wl=workloads(), n_p=st.integers(1, 3), n_d=st.integers(1, 3), layerwise=st.booleans(), first_prefill=st.booleans(),
       bw=st.floats(1e8, 1e12), lat=st.floats(0.0, 0.01), max_prefill=st.integers(16, 8192),
       max_batch=st.integers(1, 12), cap_p=st.one_of(st.just(FULL_CAP), st.integers(0, 20000)),
       cap_d=st.one_of(st.just(FULL_CAP), st.integers(0, 20000)), cm_p=st.sampled_from(COSTS),
       cm_d=st.sampled_from(COSTS), every=EVERY, faults=FAULTS, domain=DOMAINS, data=st.data())
def test_disaggregated_engines_identical(wl, n_p, n_d, layerwise, first_prefill, bw, lat, max_prefill, max_batch,
                                        cap_p, cap_d, cm_p, cm_d, every, faults, domain, data):
    arrival, prompt, output = wl
    args = _disaggregated(arrival, prompt, output, cm_p, cm_d, n_p, n_d, cap_p, cap_d, bw, lat,
                          layerwise, max_prefill, max_batch, first_prefill, faults,
                          None if domain is None else (*domain[:4], n_p))
    # A lost instance with layer-wise trays is refused by the scenario checks (scenario/faults.py).
    lost = instance_fault_rows() if layerwise else data.draw(outages([n_p, n_d]))
    _both(simulate_disaggregated, simulate_disaggregated_reference, args, every, _none(args), lost)


def test_whole_scenario_identical_between_engines():
    from disagg_viz.sim.runner import simulate_scenario
    from tests.sim.helpers import scenario
    sc = scenario(requests=150)
    a = simulate_scenario(sc, engine="numba")
    b = simulate_scenario(sc, engine="reference")
    for x, y in zip(a.systems, b.systems):
        _same((x.req_f, x.req_i, x.log, x.ship, x.token_steps), (y.req_f, y.req_i, y.log, y.ship, y.token_steps))


def test_identical_when_the_log_grows_many_times():
    """Thousands of iterations from a few requests: the kernels pause and resume their loop each
    time the iteration log fills up (it starts at 1,024 rows), and nothing is lost across it."""
    rng = np.random.default_rng(3)
    n = 40
    arrival = np.cumsum(rng.exponential(0.05, n))
    prompt = rng.integers(100, 3000, n).astype(np.int64)
    output = rng.integers(200, 400, n).astype(np.int64)
    for chunked in (False, True):
        args = _colocated(arrival, prompt, output, CM, 2, FULL_CAP, chunked, 256, 8192, 1)
        got = simulate_colocated(*args, RunControl().array, _none(args), instance_fault_rows())
        assert got[2].shape[0] > 8 * 1024
        _same(got, simulate_colocated_reference(*args))
    for layerwise in (False, True):
        args = _disaggregated(arrival, prompt, output, CM, CM, 1, 2, FULL_CAP, FULL_CAP, 5e9, 1e-4, layerwise, 8192, 1,
                              False)
        got = simulate_disaggregated(*args, RunControl().array, _none(args), instance_fault_rows())
        assert got[2].shape[0] > 8 * 1024
        _same(got, simulate_disaggregated_reference(*args))


def test_identical_whatever_rows_the_first_log_is_given():
    """The caller's expected log rows (CTL_LOG_ROWS) size the first log: too few (it grows), about
    right, far too many (only the rows logged come back)."""
    from disagg_viz.sim.run_control import CTL_LOG_ROWS
    rng = np.random.default_rng(5)
    n = 40
    arrival = np.cumsum(rng.exponential(0.05, n))
    prompt = rng.integers(100, 3000, n).astype(np.int64)
    output = rng.integers(200, 400, n).astype(np.int64)
    col = _colocated(arrival, prompt, output, CM, 2, FULL_CAP, False, 256, 8192, 1)
    dis = _disaggregated(arrival, prompt, output, CM, CM, 1, 2, FULL_CAP, FULL_CAP, 5e9, 1e-4, False, 8192, 1, False)
    want_col, want_dis = simulate_colocated_reference(*col), simulate_disaggregated_reference(*dis)
    for rows in (0, 3_000, 12_000, 2_000_000):
        control = RunControl()
        control.array[CTL_LOG_ROWS] = rows
        _same(simulate_colocated(*col, control.array, _none(col), instance_fault_rows()), want_col)
        _same(simulate_disaggregated(*dis, control.array, _none(dis), instance_fault_rows()), want_dis)


def test_a_cancelled_run_stops_early_and_raises():
    from disagg_viz.sim.run_control import SimulationCancelled
    from disagg_viz.sim.runner import simulate_scenario
    from tests.sim.helpers import scenario
    import pytest
    sc = scenario(requests=150)
    for engine in ("numba", "reference"):
        control = RunControl(every=5)
        control.cancel()
        with pytest.raises(SimulationCancelled):
            simulate_scenario(sc, engine=engine, control=control)
        assert control.system == 0 and control.fraction() < 0.1
        done = RunControl(every=5)
        simulate_scenario(sc, engine=engine, control=done)
        assert done.fraction() == 1.0 and not done.cancelled


@st.composite
def prefixed(draw):
    """A workload whose requests share prefixes: each picks one of a few conversations and
    repeats its first blocks (ids equal exactly when the block and all before it are), then
    blocks of its own; prompts at least as long as their blocks."""
    arrival, prompt, output = draw(workloads())
    n = len(arrival)
    lists = []
    for r in range(n):
        conv = draw(st.integers(0, 3))
        shared = draw(st.integers(0, 6))
        own = draw(st.integers(0, 3))
        lists.append([conv * 100 + k for k in range(shared)] + [10_000 + r * 10 + k for k in range(own)])
    prompt = np.maximum(prompt, np.array([512 * len(x) for x in lists], dtype=np.int64))
    count = np.array([len(x) for x in lists], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    blocks = np.array([b for x in lists for b in x], dtype=np.int64)
    return arrival, prompt, output, (start, count, blocks)


def _with_prefix(pools, routing, slots, milli):
    from disagg_viz.sim.layout import PL_CACHE_SLOTS, PL_OVERLAP_MILLI, PL_ROUTING
    pools = pools.copy()
    pools[0, PL_ROUTING], pools[0, PL_CACHE_SLOTS], pools[0, PL_OVERLAP_MILLI] = routing, slots, milli
    return pools


ROUTING = dict(routing=st.integers(0, 2), slots=st.one_of(st.just(0), st.integers(1, 12)),
               milli=st.sampled_from([0, 250, 1000, 4000]))


@settings(max_examples=120)
@given(wl=prefixed(), inst=st.integers(1, 3), chunked=st.booleans(), chunk=st.integers(16, 2048),
       max_prefill=st.integers(16, 8192), max_batch=st.integers(1, 12),
       cap=st.one_of(st.just(FULL_CAP), st.integers(0, 20000)), every=EVERY, data=st.data(), **ROUTING)
def test_colocated_engines_identical_with_prefix_caches_and_routing(wl, inst, chunked, chunk, max_prefill, max_batch,
                                                                    cap, every, data, routing, slots, milli):
    arrival, prompt, output, prefix = wl
    a, p, o, costs, pools = _colocated(arrival, prompt, output, CM, inst, cap, chunked, chunk, max_prefill, max_batch)
    pools = _with_prefix(pools, routing, slots, milli)
    _both(simulate_colocated, simulate_colocated_reference, (a, p, o, costs, pools), every, prefix,
          data.draw(outages([inst])))


@settings(max_examples=120)
@given(wl=prefixed(), n_p=st.integers(1, 3), n_d=st.integers(1, 3), layerwise=st.booleans(),
       first_prefill=st.booleans(), bw=st.floats(1e8, 1e12), max_prefill=st.integers(16, 8192),
       max_batch=st.integers(1, 12), cap_p=st.one_of(st.just(FULL_CAP), st.integers(0, 20000)), every=EVERY,
       data=st.data(), **ROUTING)
def test_disaggregated_engines_identical_with_prefix_caches_and_routing(wl, n_p, n_d, layerwise, first_prefill, bw,
                                                                        max_prefill, max_batch, cap_p, every, data,
                                                                        routing, slots, milli):
    arrival, prompt, output, prefix = wl
    a, p, o, costs, pools, link = _disaggregated(arrival, prompt, output, CM, CM, n_p, n_d, cap_p, FULL_CAP, bw, 1e-4,
                                                 layerwise, max_prefill, max_batch, first_prefill)
    pools = _with_prefix(pools, routing, slots, milli)
    lost = instance_fault_rows() if layerwise else data.draw(outages([n_p, n_d]))
    _both(simulate_disaggregated, simulate_disaggregated_reference, (a, p, o, costs, pools, link), every, prefix, lost)


# Dynamic pools (a planner moves instances between the pools): intervals short enough for the
# small workloads to see many ticks, thresholds anywhere (0: a pool is always short or never
# spare), switch delays and dwell times including none.
PLANS = dict(interval=st.sampled_from([0.002, 0.005, 0.01, 0.05, 0.5]), switch=st.sampled_from([0.0, 0.01, 0.2]),
             dwell=st.sampled_from([0.0, 0.02, 1.0]), q_up=st.sampled_from([0.0, 0.5, 3.0]),
             q_down=st.sampled_from([0.0, 0.5, 2.0, 1e3, 1e3]), kv_up=st.sampled_from([0.0, 0.01, 0.9]),
             kv_down=st.sampled_from([0.0, 0.5, 1.0, 1.0]), ttft=st.sampled_from([0.0, 0.02, 1.0]),
             tpot=st.sampled_from([0.0, 0.005, 0.1]), least=st.sampled_from([1, 1, 2, 3]), samples=st.sampled_from([1, 1, 2, 4]))


@st.composite
def swings(draw):
    """Prefixed traffic whose mix may swing half-way (long answers, then long prompts with short
    answers, or the other way round), so the right split changes and the planner moves instances."""
    arrival, prompt, output, prefix = draw(prefixed())
    if draw(st.booleans()):
        late = np.arange(len(arrival)) >= len(arrival) // 2
        if draw(st.booleans()):
            late = ~late
        prompt = np.where(late, prompt + draw(st.integers(1000, 5000)), prompt)
        output = np.where(late, np.minimum(output, 3), output + draw(st.integers(0, 60)))
    return arrival, prompt, output, prefix


def _planned(pools, interval, switch, dwell, q_up, q_down, kv_up, kv_down, ttft, tpot, least, samples):
    from disagg_viz.sim.engine_input import dynamic_pools
    from disagg_viz.sim.layout import PL_PLAN_SAMPLES
    from disagg_viz.sim.specs import DynamicSpec
    pools = dynamic_pools(pools, DynamicSpec(interval, switch, dwell, max(q_up, q_down), q_down, max(kv_up, kv_down),
                                             kv_down, ttft, tpot, least))
    pools[0, PL_PLAN_SAMPLES] = samples      # samples an interval (the file's: one a second)
    return pools


@settings(max_examples=150)
@given(wl=swings(), n_p=st.integers(1, 3), n_d=st.integers(1, 3), layerwise=st.booleans(),
       first_prefill=st.booleans(), bw=st.floats(1e8, 1e12), max_prefill=st.integers(16, 8192),
       max_batch=st.integers(1, 12), cap=st.one_of(st.just(FULL_CAP), st.integers(0, 20000)), every=EVERY,
       faults=FAULTS, **ROUTING, **PLANS)
def test_disaggregated_engines_identical_with_dynamic_pools(wl, n_p, n_d, layerwise, first_prefill, bw, max_prefill,
                                                            max_batch, cap, every, faults, routing, slots, milli,
                                                            **plan):
    arrival, prompt, output, prefix = wl
    a, p, o, costs, pools, link = _disaggregated(arrival, prompt, output, CM, CM, n_p, n_d, cap, cap, bw, 1e-4,
                                                 layerwise, max_prefill, max_batch, first_prefill, faults)
    pools = _planned(_with_prefix(pools, routing, slots, milli), **plan)
    _both(simulate_disaggregated, simulate_disaggregated_reference, (a, p, o, costs, pools, link), every, prefix,
          instance_fault_rows())


@settings(max_examples=60)
@given(wl=swings(), n_p=st.integers(2, 3), n_d=st.integers(2, 3), layerwise=st.booleans(),
       first_prefill=st.booleans(), max_batch=st.integers(1, 12), every=EVERY, routing=st.integers(0, 2),
       slots=st.sampled_from([0, 4]), interval=st.sampled_from([0.001, 0.004]), switch=st.sampled_from([0.0, 0.003]),
       samples=st.sampled_from([1, 2]))
def test_disaggregated_engines_identical_when_the_planner_keeps_moving(wl, n_p, n_d, layerwise, first_prefill,
                                                                       max_batch, every, routing, slots, interval,
                                                                       switch, samples):
    """Thresholds that make some pool short and the other spare at almost every decision: the
    planner moves an instance whenever none is moving, so drains overlap every kind of event."""
    arrival, prompt, output, prefix = wl
    a, p, o, costs, pools, link = _disaggregated(arrival, prompt, output, CM, CM, n_p, n_d, FULL_CAP, FULL_CAP, 5e9,
                                                 1e-4, layerwise, 8192, max_batch, first_prefill)
    from disagg_viz.sim.engine_input import dynamic_pools
    from disagg_viz.sim.layout import PL_PLAN_SAMPLES
    from disagg_viz.sim.specs import DynamicSpec
    # Short above 0 and spare below 1,000 waiting / 100% KV (a file refuses up < down; the engines do not care).
    pools = dynamic_pools(_with_prefix(pools, routing, slots, 1000),
                          DynamicSpec(interval, switch, 0.0, 0.0, 1e3, 0.0, 1.0, 0.0, 0.0, 1))
    pools[0, PL_PLAN_SAMPLES] = samples
    _both(simulate_disaggregated, simulate_disaggregated_reference, (a, p, o, costs, pools, link), every, prefix,
          instance_fault_rows())
