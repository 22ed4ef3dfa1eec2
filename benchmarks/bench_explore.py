"""Explore speed: a 16x16 crossover map and the N = 8 planner, on this machine's cores.

    python benchmarks/bench_explore.py [--requests N]

Both run the default scenario with 2,000 requests (goodput by bisection in every cell and for
every layout). Prints the time of each, the simulations they took and the speed-up of the thread
pool over one thread for the map. Last line: ``map_16x16_s=<x> plan_n8_s=<y>`` (targets: < 10 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from disagg_viz.numba_cache import configure_numba_cache  # noqa: E402

configure_numba_cache()

import disagg_viz.explore.goodput as goodput_module  # noqa: E402
from disagg_viz.explore.axes import parse_axis  # noqa: E402
from disagg_viz.explore.crossover import crossover_map  # noqa: E402
from disagg_viz.explore.planner import plan  # noqa: E402
from disagg_viz.explore.pool import workers  # noqa: E402
from disagg_viz.resources import default_scenario_path  # noqa: E402
from disagg_viz.scenario import load_scenario  # noqa: E402
from disagg_viz.scenario.overrides import apply_overrides  # noqa: E402

X, Y = "prompt=256:32768:16log", "link=1:900:16log"


def _counted(fn):
    """Run fn() and count the simulations (probes) it made."""
    count = [0]
    real = goodput_module.simulate_system

    def counting(*a, **k):
        count[0] += 1
        return real(*a, **k)
    goodput_module.simulate_system = counting
    try:
        t0 = time.perf_counter()
        out = fn()
        return out, time.perf_counter() - t0, count[0]
    finally:
        goodput_module.simulate_system = real


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--single", action="store_true", help="also time the map on one thread (slow)")
    args = ap.parse_args()
    sc = apply_overrides(load_scenario(default_scenario_path()), [f"workload.requests={args.requests}"])
    crossover_map(sc, parse_axis("prompt=256:2048:2log"), parse_axis("link=10:100:2log"))   # compile / load cache
    x, y = parse_axis(X), parse_axis(Y)
    cmap, t_map, n_map = _counted(lambda: crossover_map(sc, x, y))
    print(f"crossover map {X} x {Y}, {args.requests} requests, {workers()} threads: {t_map:.2f} s, "
          f"{n_map} simulations ({t_map / n_map * 1e3:.1f} ms each), disaggregation wins in "
          f"{int((cmap.ratio > 1).sum())} of 256 cells")
    if args.single:
        _, t1, _ = _counted(lambda: crossover_map(sc, x, y, threads=1))
        print(f"  one thread: {t1:.2f} s -> thread pool speed-up {t1 / t_map:.2f}x")
    result, t_plan, n_plan = _counted(lambda: plan(sc, 8))
    print(f"planner N=8 ({len(result.ranked)} layouts, plus every N from 2 to 8 for the smallest winning N): "
          f"{t_plan:.2f} s, {n_plan} simulations; best {result.best.label} "
          f"{result.best.per_gpu:.2f} req/s/GPU; smallest winning N: {result.smallest_winning_gpus}")
    print(f"map_16x16_s={t_map:.2f} plan_n8_s={t_plan:.2f}")


if __name__ == "__main__":
    main()
