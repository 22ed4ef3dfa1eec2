"""Engine speed: Numba kernels vs the plain-Python reference on the same scenarios.

    python benchmarks/bench_sim.py [--quick]

Prints, per size, simulated decode token-steps per second for each engine and their ratio, the
time of the default scenario once compiled, and the result memory per request; then the Numba
speed on traffic with system prompts (2,048 tokens, 16 of them; longer prompts, so fewer
token-steps a second) without and with prefix caches (every system caching, the split one routing
prefix-aware). Last lines: ``speedup=<ratio> numba_token_steps_per_s=<n>`` (at
the largest size both engines ran), ``cached_numba_token_steps_per_s=<n>`` (largest size).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from disagg_viz.numba_cache import configure_numba_cache  # noqa: E402

configure_numba_cache()

from disagg_viz.resources import default_scenario_path  # noqa: E402
from disagg_viz.scenario import load_scenario  # noqa: E402
from disagg_viz.scenario.overrides import apply_overrides  # noqa: E402
from disagg_viz.sim.runner import simulate_scenario  # noqa: E402


def _run(scenario, engine, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = simulate_scenario(scenario, engine=engine)
        best = min(best, time.perf_counter() - t0)
    steps = sum(s.token_steps for s in res.systems)
    nbytes = sum(s.req_f.nbytes + s.req_i.nbytes + s.log.nbytes for s in res.systems)
    return best, steps, nbytes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes only (under a minute)")
    args = ap.parse_args()
    base = load_scenario(default_scenario_path())
    sizes = [1_000, 3_000] if args.quick else [1_000, 10_000, 100_000]
    ref_limit = 3_000 if args.quick else 10_000

    simulate_scenario(apply_overrides(base, ["workload.requests=50"]))  # compile (or load the cache)
    t_default, _, _ = _run(base, "numba", 5)
    print(f"default scenario ({base.workload.requests} requests, {len(base.systems)} systems), compiled: "
          f"{t_default * 1e3:.1f} ms")

    print(f"{'requests':>9} {'numba s':>9} {'numba steps/s':>15} {'ref s':>9} {'ref steps/s':>13} {'ratio':>7} {'bytes/req':>10}")
    speedup = rate = None
    for n in sizes:
        sc = apply_overrides(base, [f"workload.requests={n}"])
        t_nb, steps, nbytes = _run(sc, "numba", 7 if n <= 10_000 else 3)
        nb_rate = steps / t_nb
        if n <= ref_limit:
            t_ref, steps_ref, _ = _run(sc, "reference", 1)
            assert steps_ref == steps
            ref_rate = steps / t_ref
            speedup, rate = nb_rate / ref_rate, nb_rate
            print(f"{n:>9,} {t_nb:>9.3f} {nb_rate:>15,.0f} {t_ref:>9.2f} {ref_rate:>13,.0f} {nb_rate / ref_rate:>7.0f} {nbytes / n:>10,.0f}")
        else:
            print(f"{n:>9,} {t_nb:>9.3f} {nb_rate:>15,.0f} {'-':>9} {'-':>13} {'-':>7} {nbytes / n:>10,.0f}")
    print(f"speedup={speedup:.0f} numba_token_steps_per_s={rate:.0f}")
    cached_rate = None
    prefixed = ["workload.shared_prefix_tokens=2048", "workload.shared_prefixes=16"]
    caches = ["systems.0.prefix_cache=true", "systems.1.prefix_cache=true", "systems.1.routing=prefix-aware"]
    for n in sizes:
        for label, extra in (("caches off", []), ("caches on ", caches)):
            sc = apply_overrides(base, [f"workload.requests={n}", *prefixed, *extra])
            t_nb, steps, _ = _run(sc, "numba", 7 if n <= 10_000 else 3)
            print(f"system prompts, {label}, {n:>9,} requests: {t_nb:.3f} s, {steps / t_nb:,.0f} token-steps/s")
        cached_rate = steps / t_nb
    print(f"cached_numba_token_steps_per_s={cached_rate:.0f}")


if __name__ == "__main__":
    main()
