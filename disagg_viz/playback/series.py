"""Chart series of one system, computed once per result (vectorized, Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from disagg_viz.sim.layout import (
    L_BW_UTIL, L_COMPUTE_UTIL, L_END, L_PREFILL_TOKENS, L_START, SH_BYTES, SH_WIRE_END, SH_WIRE_START,
)
from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL, SystemResult

POOL_NAMES = {ROLE_COLOCATED: "shared", ROLE_PREFILL: "prefill", ROLE_DECODE: "decode"}


@dataclass
class SystemSeries:
    t: np.ndarray
    waiting: np.ndarray
    shipping: np.ndarray
    utilization: dict[str, tuple[np.ndarray, np.ndarray]]   # pool -> (compute, bandwidth), 0..1, on util_t
    util_t: np.ndarray
    link_rate_gb_per_s: np.ndarray | None   # achieved KV link rate, all shipments together
    arrival: np.ndarray
    ttft_ms: np.ndarray
    tpot_ms: np.ndarray


def _integral(it: np.ndarray, col: int, t: np.ndarray) -> np.ndarray:
    """Integral over [0, t] of an instance's piecewise-constant utilization (0 when idle)."""
    start, end, u = it[:, L_START], it[:, L_END], it[:, col]
    cum = np.concatenate([[0.0], np.cumsum(u * (end - start))])
    k = np.searchsorted(start, t, side="right")          # iterations started by t
    partial = np.where(k > 0, u[np.maximum(k - 1, 0)] * np.clip(t - start[np.maximum(k - 1, 0)], 0,
                                                                 end[np.maximum(k - 1, 0)] - start[np.maximum(k - 1, 0)]), 0.0)
    return cum[np.maximum(k - 1, 0)] * (k > 0) + partial


def _util_binned(res: SystemResult, inst: np.ndarray, t: np.ndarray, role: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pool-average utilization, time-averaged over the bins around each t (no per-iteration flicker).
    ``role`` (dynamic pools): the pool's iterations of every instance (prefill rows or decode rows),
    over the instances on duty in it at each t."""
    edges = np.concatenate([[t[0]], (t[1:] + t[:-1]) / 2, [t[-1]]])
    width = np.maximum(np.diff(edges), 1e-12)
    cu = np.zeros_like(t)
    bu = np.zeros_like(t)
    for i in inst:
        it = res.instance_log(int(i))
        if role is not None:
            it = it[(it[:, L_PREFILL_TOKENS] > 0) == (role == ROLE_PREFILL)]
        if len(it):
            cu += np.diff(_integral(it, L_COMPUTE_UTIL, edges)) / width
            bu += np.diff(_integral(it, L_BW_UTIL, edges)) / width
    if role is None:
        n = max(len(inst), 1)
    else:
        n = np.array([max(int(np.sum(res.roles_at(float(x))[0] == role)), 1) for x in t])
    return cu / n, bu / n


def _link_rate(res: SystemResult, t: np.ndarray) -> np.ndarray:
    """Achieved rate at each t: every shipment's bytes spread over its time on the wire (the
    engine's shipment log)."""
    ship = res.ship
    ts, te = ship[:, SH_WIRE_START], ship[:, SH_WIRE_END]
    ok = ~np.isnan(ts) & ~np.isnan(te) & (te > ts)
    rate = ship[ok, SH_BYTES] / (te[ok] - ts[ok]) / 1e9
    times = np.concatenate([ts[ok], te[ok]])
    deltas = np.concatenate([rate, -rate])
    order = np.argsort(times, kind="stable")
    times, level = times[order], np.cumsum(deltas[order])
    if not len(level):                                   # nothing shipped (e.g. no request fits): an idle link
        return np.zeros_like(t)
    k = np.searchsorted(times, t, side="right") - 1
    return np.where(k >= 0, level[np.maximum(k, 0)], 0.0).clip(min=0.0)


def system_series(res: SystemResult, end_time: float, points: int = 600) -> SystemSeries:
    t = np.linspace(0.0, max(end_time, 1e-3), points)
    q = res.queue_lengths(t)
    util = {}
    for role in (ROLE_COLOCATED, ROLE_PREFILL, ROLE_DECODE):
        inst = np.flatnonzero(res.roles == role)
        if res.dynamic and len(inst):          # instances change pools: every one may have worked in either
            util[POOL_NAMES[role]] = _util_binned(res, np.arange(len(res.roles)), np.linspace(0.0, t[-1], 150), role)
        elif len(inst):
            util[POOL_NAMES[role]] = _util_binned(res, inst, np.linspace(0.0, t[-1], 150))
    return SystemSeries(
        t=t, util_t=np.linspace(0.0, t[-1], 150), waiting=q["waiting"].astype(float), shipping=q["shipping"].astype(float), utilization=util,
        link_rate_gb_per_s=_link_rate(res, t) if res.has_link else None,
        arrival=res.arrival, ttft_ms=res.ttft * 1e3, tpot_ms=res.tpot * 1e3)
