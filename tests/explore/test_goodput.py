"""Goodput by bisection agrees with a brute-force scan over rate; the request mix stays fixed."""

import numpy as np
import pytest

from disagg_viz.explore.goodput import Slo, goodput, probe, request_mix
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.specs import scenario_specs


@pytest.fixture(scope="module")
def small():
    return apply_overrides(load_scenario(scenarios_dir() / "default.toml"),
                           ["workload.requests=150", "workload.prompt_tokens=3000"])


@pytest.mark.parametrize("system", [0, 1])
def test_bisection_agrees_with_brute_force_scan(small, system):
    mix = request_mix(small)
    slo = Slo.of(small)
    sysm = scenario_specs(small)[system]
    g = goodput(sysm, mix, slo, rel_tol=0.01)
    rates = g.rate * np.geomspace(0.5, 2.0, 61)
    meets = np.array([probe(sysm, mix, slo, r).attainment >= slo.attainment for r in rates])
    # Brute force: the highest scanned rate below which every scanned rate meets the SLO.
    first_fail = int(np.argmin(meets)) if not meets.all() else len(rates)
    brute = rates[first_fail - 1]
    assert g.rate == pytest.approx(brute, rel=0.03)
    assert probe(sysm, mix, slo, g.rate).attainment >= slo.attainment
    assert g.limit is not None and g.limit.attainment < slo.attainment and g.limit.rate > g.rate


def test_rate_only_rescales_the_same_requests(small):
    mix = request_mix(small)
    a, b = mix.at(2.0), mix.at(8.0)
    assert np.array_equal(a.prompt, b.prompt) and np.allclose(a.arrival, 4.0 * b.arrival)
    other_rate = apply_overrides(small, ["workload.arrival_rate=3.0"])
    assert np.array_equal(request_mix(other_rate).unit_arrival, mix.unit_arrival)


def test_unreachable_slo_gives_zero_quickly(small):
    sc = apply_overrides(small, ["slo.ttft_ms=1"])              # no prefill is that fast
    g = goodput(scenario_specs(sc)[0], request_mix(sc), Slo.of(sc))
    assert g.rate == 0.0 and g.probes <= 6


def test_a_rate_schedule_keeps_its_shape_when_goodput_scales_it():
    """Goodput scales a scheduled day as a whole: the mix's natural rate is its mean rate."""
    from tests.sim.helpers import scenario
    sc = scenario(requests=2000, rates=[{"from_s": 0.0, "rate": 1.0}, {"from_s": 100.0, "rate": 9.0}], duration_s=200)
    mix = request_mix(sc)
    assert 4.0 < mix.natural_rate < 6.0                       # (100 x 1 + 100 x 9) / 200 s
    at = mix.at(mix.natural_rate).arrival
    early, late = (at < 100).sum(), ((at >= 100) & (at < 200)).sum()
    assert late > 5 * early
