"""The crossover map: over two axes, goodput per GPU of the best disaggregated system divided by
that of the best colocated system (ratio 1 is break-even). The colocated baseline is the best of
the scenario's colocated systems, each tried with and without chunked prefill (the planner, for
its part, tries every colocated layout of N GPUs). With arrival rate as an axis, goodput does not
depend on it, so the map shows SLO attainment at that rate instead."""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass, field

import numpy as np

from disagg_viz.i18n import N_
from disagg_viz.explore.axes import Axis, apply_axis_values, require_both_kinds
from disagg_viz.explore.goodput import Cancelled, Slo, goodput, probe, request_mix
from disagg_viz.explore.pool import Progress, run_all
from disagg_viz.sim.specs import scenario_specs

RATE_KEY = "workload.arrival_rate"
MAP_REL_TOL = 0.05          # a cell's goodput to 5%: finer than a heatmap's colour steps


@dataclass
class CrossoverMap:
    title: str
    x: Axis
    y: Axis
    metric: str                         # "goodput per GPU" | "SLO attainment"
    disaggregated: np.ndarray           # (ny, nx) metric of the best disaggregated system
    colocated: np.ndarray               # (ny, nx) metric of the best colocated system
    best_dis: np.ndarray                # (ny, nx) index of that system in ``names``
    best_col: np.ndarray                # (ny, nx) index in ``names``: the scenario's systems, then the
                                        # colocated ones with chunked prefill switched (BASELINE)
    names: list[str] = field(default_factory=list)
    dis_rate: np.ndarray | None = None  # (ny, nx) goodput of the best disaggregated system, req/s

    @property
    def ratio(self) -> np.ndarray:
        """disaggregated / colocated; inf where only disaggregation meets the SLO, nan where neither."""
        with np.errstate(divide="ignore", invalid="ignore"):
            r = self.disaggregated / self.colocated
        both_zero = (self.disaggregated == 0) & (self.colocated == 0)
        r[both_zero] = np.nan
        return r

    def cell(self, i: int, j: int) -> dict:
        """Row i (y), column j (x): the numbers the hover shows."""
        return {"x": self.x.values[j], "y": self.y.values[i], "ratio": float(self.ratio[i, j]),
                "disaggregated": float(self.disaggregated[i, j]), "colocated": float(self.colocated[i, j]),
                "disaggregated_system": self.names[int(self.best_dis[i, j])],
                "colocated_system": self.names[int(self.best_col[i, j])]}

    def to_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        unit = "req_per_s_per_gpu" if self.metric.startswith("goodput") else "attainment"
        w.writerow([self.x.key, self.y.key, "ratio", f"disaggregated_{unit}", f"colocated_{unit}",
                    "disaggregated_system", "colocated_system"])
        for i in range(len(self.y.values)):
            for j in range(len(self.x.values)):
                c = self.cell(i, j)
                w.writerow([f"{c['x']:.6g}", f"{c['y']:.6g}", f"{c['ratio']:.6g}", f"{c['disaggregated']:.6g}",
                            f"{c['colocated']:.6g}", c["disaggregated_system"], c["colocated_system"]])
        return out.getvalue()


BASELINE = N_("the best colocated system of the scenario, with or without chunked prefill")


def candidates(sc) -> list:
    """The systems a cell compares: the scenario's, then each colocated one with chunked prefill
    switched (so the baseline is the best colocated system, chunked or not)."""
    flipped = [s.model_copy(update={"chunked_prefill": not s.chunked_prefill,
                                    "name": f"{s.name} ({'chunked' if not s.chunked_prefill else 'prefill-first'})"})
               for s, spec in zip(sc.systems, scenario_specs(sc)) if not spec.is_split]
    return list(sc.systems) + flipped


def _key(sc, systems: list, k: int) -> str:
    """Everything candidate k (of ``systems = candidates(sc)``) depends on: equal keys give equal
    results (deterministic)."""
    return "|".join([systems[k].model_dump_json(exclude={"name"}), sc.model.model_dump_json(),
                     sc.hardware.model_dump_json(), sc.workload.model_dump_json(), sc.slo.model_dump_json()])


def crossover_map(scenario, x: Axis, y: Axis, base_dir=None, cancel: threading.Event | None = None,
                  progress=None, threads: int | None = None, per: str = "gpu") -> CrossoverMap:
    """Cells are independent; each distinct (system, traffic) is simulated once (the colocated
    system does not change along a link axis, say); cells of one anti-diagonal run in parallel,
    each bisection seeded by the finished neighbours to its left and below."""
    dis_idx, col_idx = require_both_kinds(scenario)
    n = len(scenario.systems)
    col_idx = col_idx + [n + k for k in range(len(col_idx))]          # the chunk-switched twins
    rate_axis = RATE_KEY in (x.key, y.key)
    nx, ny = len(x.values), len(y.values)
    cancel = cancel or threading.Event()
    cells, keys = [], {}
    for i in range(ny):
        if cancel.is_set():
            raise Cancelled()
        cells.append([apply_axis_values(scenario, [(x, x.values[j]), (y, y.values[i])]) for j in range(nx)])
        for j in range(nx):
            systems = candidates(cells[i][j])
            for k in dis_idx + col_idx:
                keys[(i, j, k)] = _key(cells[i][j], systems, k)
    owner: dict[str, tuple[int, int, int]] = {}       # key -> the (row, column, system) that computes it
    for ijk, key in keys.items():
        owner.setdefault(key, ijk)
    work = [[(j, k) for j in range(nx) for k in dis_idx + col_idx if owner[keys[(i, j, k)]] == (i, j, k)]
            for i in range(ny)]
    tracker = Progress(len(owner), progress)
    values: dict[str, float] = {}
    rates: dict[tuple[int, int, int], float] = {}      # (row, column, system) -> goodput, req/s
    rate_of: dict[str, float] = {}                     # key -> goodput, req/s

    def guess(i: int, j: int, k: int) -> float | None:
        """From the neighbours already done: left, above, or both (multiplicative extrapolation)."""
        left, up, diag = rates.get((i, j - 1, k)), rates.get((i - 1, j, k)), rates.get((i - 1, j - 1, k))
        if left and up and diag:
            return left * up / diag
        return up or left or None

    def cell(i: int, j: int) -> None:
        sc = cells[i][j]
        mix = request_mix(sc, base_dir)
        slo = Slo.of(sc)
        specs = scenario_specs(sc, candidates(sc))
        for k in mine[(i, j)]:
            if rate_axis:
                v = probe(specs[k], mix, slo, sc.workload.arrival_rate).attainment
            else:
                g = goodput(specs[k], mix, slo, guess=guess(i, j, k), rel_tol=MAP_REL_TOL,
                            cancel=cancel)
                rates[(i, j, k)] = g.rate
                rate_of[keys[(i, j, k)]] = g.rate
                v = g.per(per)
            values[keys[(i, j, k)]] = v
            tracker.step()

    # Anti-diagonal wavefront: a cell's bisection starts from the cells to its left and below,
    # which lie on the previous diagonal and are finished; cells of one diagonal run in parallel.
    # The seeds, and so the results, do not depend on thread timing: same map on every run.
    mine: dict[tuple[int, int], list[int]] = {}
    for i in range(ny):
        for j, k in work[i]:
            mine.setdefault((i, j), []).append(k)
    for d in range(nx + ny - 1):
        wave = [(i, d - i) for i in range(max(0, d - nx + 1), min(ny, d + 1)) if (i, d - i) in mine]
        if wave:
            run_all([lambda c=c: cell(*c) for c in wave], cancel, threads)
    dis = np.zeros((ny, nx))
    col = np.zeros((ny, nx))
    dis_rate = np.full((ny, nx), np.nan)
    bd = np.zeros((ny, nx), dtype=np.int64)
    bc = np.zeros((ny, nx), dtype=np.int64)
    for i in range(ny):
        for j in range(nx):
            v = {k: values[keys[(i, j, k)]] for k in dis_idx + col_idx}
            bd[i, j] = max(dis_idx, key=v.get)
            bc[i, j] = max(col_idx, key=v.get)
            dis[i, j], col[i, j] = v[bd[i, j]], v[bc[i, j]]
            dis_rate[i, j] = rate_of.get(keys[(i, j, int(bd[i, j]))], np.nan)
    per_name = {"gpu": "goodput per GPU", "dollar": "goodput per $/h", "watt": "goodput per kW"}[per]
    return CrossoverMap(scenario.title, x, y, "SLO attainment" if rate_axis else per_name,
                        dis, col, bd, bc, [s.name for s in candidates(scenario)], dis_rate)
