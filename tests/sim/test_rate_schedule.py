"""Traffic that changes: rate steps, day curves and bursts (sim/rate_schedule.py, sim/workload.py)."""

import numpy as np
import pytest

from disagg_viz.scenario import ScenarioError, loads_scenario
from disagg_viz.scenario.codec import scenario_from_dict, scenario_to_dict
from disagg_viz.scenario.model import ColocatedSystem, DisaggregatedSystem, RateStep, WorkloadSection
from disagg_viz.sim import rate_schedule
from disagg_viz.sim.runner import check_budget
from disagg_viz.sim.specs import scenario_specs
from disagg_viz.sim.workload import generate
from tests.sim.helpers import scenario


def counts(arrival, edges):
    return np.histogram(arrival, bins=edges)[0]


def test_rate_steps_set_the_rate_of_each_step():
    wl = WorkloadSection(seed=5, requests=20_000, rates=[{"from_s": 0, "rate": 2.0}, {"from_s": 500, "rate": 20.0},
                                                         {"from_s": 1000, "rate": 5.0}], duration_s=1500)
    a = generate(wl).arrival
    c = counts(a, [0, 500, 1000, 1500])
    # Poisson counts: mean rate x 500 s, within 5 standard deviations
    for got, mean in zip(c, (1000, 10_000, 2500)):
        assert abs(got - mean) < 5 * mean ** 0.5
    assert a[-1] < 1500 and len(a) == c.sum()
    assert np.all(np.diff(a) >= 0) and a[0] == 0.0


def test_fixed_arrivals_follow_each_step_exactly():
    wl = WorkloadSection(requests=30, arrival_distribution="fixed", rates=[{"from_s": 0, "rate": 1.0},
                                                                          {"from_s": 10, "rate": 4.0}])
    a = generate(wl).arrival
    assert np.allclose(a[:11], np.arange(11.0))
    assert np.allclose(np.diff(a[11:]), 0.25)


def test_a_burst_adds_its_rate_for_its_duration():
    base = dict(seed=2, requests=5000, arrival_rate=2.0, duration_s=600)
    calm = generate(WorkloadSection(**base)).arrival
    burst = generate(WorkloadSection(**base, bursts=[{"at_s": 200, "duration_s": 50, "rate": 40.0}])).arrival
    assert counts(burst, [200, 250])[0] > 1500 and counts(calm, [200, 250])[0] < 200
    assert abs(counts(burst, [300, 600])[0] - 600) < 5 * 600 ** 0.5


def test_a_day_curve_has_its_peak_and_its_trough_and_ends_with_the_day():
    wl = WorkloadSection(seed=1, requests=200_000, arrival_rate=10.0, day_curve="workday", day_length_s=2400)
    a = generate(wl).arrival
    hour = 2400 / 24
    c = counts(a, np.arange(25) * hour)
    assert c[12] > 6 * c[3]                     # noon vs 3 am
    assert a[-1] < 2400 and len(a) < 200_000
    consumer = generate(wl.model_copy(update={"day_curve": "consumer"})).arrival
    cc = counts(consumer, np.arange(25) * hour)
    assert cc[20] > cc[12] > cc[4]              # evening peak


def test_the_rate_at_a_time_is_the_schedule():
    wl = WorkloadSection(rates=[{"from_s": 0, "rate": 1.0}, {"from_s": 10, "rate": 3.0}],
                         bursts=[{"at_s": 5, "duration_s": 10, "rate": 2.0}], duration_s=30)
    assert list(rate_schedule.rate_at(wl, [0, 5, 9.9, 10, 14.9, 15, 29, 30])) == [1, 3, 3, 5, 5, 3, 3, 0]


def test_a_schedule_is_deterministic_per_seed():
    wl = WorkloadSection(seed=9, requests=3000, day_curve="consumer", day_length_s=600, arrival_distribution="gamma",
                         arrival_cv=3.0)
    a, b = generate(wl), generate(wl)
    assert np.array_equal(a.arrival, b.arrival) and np.array_equal(a.prompt, b.prompt)
    other = generate(wl.model_copy(update={"seed": 10}))
    assert not np.array_equal(a.arrival[:50], other.arrival[:50])


def test_requests_cap_and_duration_cut():
    wl = WorkloadSection(requests=100, rates=[{"from_s": 0, "rate": 50.0}], duration_s=1000)
    assert len(generate(wl)) == 100
    wl = WorkloadSection(requests=10_000, rates=[{"from_s": 0, "rate": 50.0}], duration_s=10)
    g = generate(wl)
    assert 350 < len(g) < 650 and len(g.prompt) == len(g.output) == len(g)


def test_rates_that_end_at_zero_stop_the_arrivals():
    wl = WorkloadSection(requests=10_000, rates=[{"from_s": 0, "rate": 10.0}, {"from_s": 20, "rate": 0.0}])
    a = generate(wl).arrival
    assert a[-1] < 20 and 120 < len(a) < 280


def problem_keys(data):
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return {p.key: p.message for p in info.value.problems}


def base_dict(**workload):
    return {"schema_version": 3, "workload": workload,
            "systems": [{"name": "c", "kind": "colocated", "instances": 1}]}


@pytest.mark.parametrize("workload, key, words", [
    ({"rates": [{"from_s": 3.0, "rate": 1.0}]}, "workload.rates", "first step must start at from_s = 0"),
    ({"rates": [{"from_s": 0.0, "rate": 1.0}, {"from_s": 0.0, "rate": 2.0}]}, "workload.rates", "increasing from_s"),
    ({"rates": [{"from_s": 0.0, "rate": -1.0}]}, "workload.rates.0.rate", "greater than or equal to 0"),
    ({"rates": [{"from_s": 0.0, "rate": 1.0}], "day_curve": "workday"}, "workload", "day_curve = 'workday' and rates"),
    ({"day_curve": "weekend"}, "workload.day_curve", "'none', 'workday' or 'consumer'"),
    ({"bursts": [{"at_s": 1.0, "duration_s": 1.0, "rate": 5.0}], "trace": "t.csv"}, "workload",
     "bursts: a trace keeps its own timestamps"),
    ({"rates": [{"from_s": 0.0, "rate": 0.0}]}, "workload", "rates: the schedule brings no requests"),
    ({"bursts": [{"at_s": 1.0, "duration_s": 0.0, "rate": 5.0}]}, "workload.bursts.0.duration_s", "greater than 0"),
])
def test_bad_schedules_are_refused_naming_the_field(workload, key, words):
    problems = problem_keys(base_dict(**workload))
    assert key in problems and words in problems[key], problems


def test_a_schedule_survives_saving_and_a_file_without_one_stays_short():
    sc = scenario_from_dict(base_dict(rates=[{"from_s": 0.0, "rate": 1.0}, {"from_s": 60.0, "rate": 3.0}],
                                      bursts=[{"at_s": 10.0, "duration_s": 5.0, "rate": 9.0}]))
    data = scenario_to_dict(sc)
    assert data["workload"]["rates"][1] == {"from_s": 60.0, "rate": 3.0}
    assert scenario_from_dict(data) == sc
    plain = scenario_to_dict(scenario_from_dict(base_dict()))
    assert "rates" not in plain["workload"] and "bursts" not in plain["workload"]
    text = '''schema_version = 3
[workload]
day_curve = "workday"
[[workload.bursts]]
at_s = 100.0
duration_s = 10.0
rate = 3.0
[[systems]]
name = "c"
kind = "colocated"
'''
    assert loads_scenario(text).workload.bursts[0].rate == 3.0


def test_a_day_of_200000_requests_stays_inside_the_run_budget():
    """A workday played in two hours, peaking at 50 req/s on 6-8 GPUs: ~190,000 requests."""
    systems = [ColocatedSystem(name="colo", instances=6),
               DisaggregatedSystem(name="disagg", prefill_instances=4, decode_instances=4, link="nvlink4")]
    sc = scenario(systems, requests=200_000, arrival_rate=50.0, day_curve="workday", day_length_s=7200,
                  prompt_tokens=1024, output_tokens=256)
    wl = generate(sc.workload)
    assert len(wl) > 180_000
    check_budget(scenario_specs(sc), wl, sc.workload)          # raises if over


def test_the_quiet_hours_of_a_real_time_day_are_counted_in_the_budget():
    """The same day at real time: ~2 req/s makes batches of one or two, about 25 M decode steps;
    an estimate assuming full batches of 64 would have let it through (0.7 M)."""
    systems = [ColocatedSystem(name="colo", instances=4)]
    sc = scenario(systems, requests=200_000, arrival_rate=4.0, day_curve="workday", prompt_tokens=1024,
                  output_tokens=256)
    wl = generate(sc.workload)
    assert wl.output.sum() / 64 < 5_000_000
    with pytest.raises(ScenarioError) as info:
        check_budget(scenario_specs(sc), wl, sc.workload)
    assert "systems.0" in str(info.value) and "batches of about 1" in str(info.value)   # its quiet hours


def test_a_rate_step_sets_the_mix_of_its_requests_and_other_steps_keep_theirs():
    steps = [dict(from_s=0.0, rate=20.0), dict(from_s=50.0, rate=20.0, prompt_tokens=4000, output_tokens=20),
             dict(from_s=100.0, rate=20.0)]
    wl = WorkloadSection(requests=3000, prompt_tokens=400, output_tokens=300, duration_s=150.0, rates=steps, seed=4)
    w = generate(wl)
    mid = (w.arrival >= 50) & (w.arrival < 100)
    assert 3600 < w.prompt[mid].mean() < 4400 and 17 < w.output[mid].mean() < 23
    assert 360 < w.prompt[~mid].mean() < 440 and 270 < w.output[~mid].mean() < 330
    # The other steps' requests get exactly the draws of the same schedule without the keys.
    plain = generate(wl.model_copy(update={"rates": [RateStep(from_s=x["from_s"], rate=x["rate"]) for x in steps]}))
    assert np.array_equal(plain.arrival, w.arrival)
    assert np.array_equal(plain.prompt[~mid], w.prompt[~mid]) and np.array_equal(plain.output[~mid], w.output[~mid])
