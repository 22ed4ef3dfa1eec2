"""Traffic that changes over the run: a workload's rate schedule as piecewise-constant steps.

A schedule is the request rate over time: steps of ``[[workload.rates]]`` (each holds from its
``from_s`` until the next), or a named day curve (``day_curve``: hourly shares of the peak
``arrival_rate``, interpolated and held in 5-minute steps; ``day_length_s`` plays a day in that
many seconds), plus ``[[workload.bursts]]`` (extra requests/s for a while) on top of either, or on
top of the constant ``arrival_rate``. Arrivals stop at ``duration_s`` (0: a day curve's one day,
otherwise when ``requests`` have arrived).

Arrivals follow the schedule by time rescaling: the gaps of the chosen arrival process are drawn
at rate 1 (poisson, gamma or fixed) and mapped through the inverse of the cumulative rate
Lambda(t), so a Poisson process becomes the non-homogeneous Poisson process with that rate.
Plain numbers in, numpy arrays out; deterministic.
"""

from __future__ import annotations

import math

import numpy as np

# Hourly shares of the peak rate (hour 0 = midnight), stylized shapes, not measurements:
# "workday": an API serving office hours (night trough, peak 10:00-16:00);
# "consumer": a chat app (trough before dawn, peak in the evening).
DAY_CURVES: dict[str, tuple[float, ...]] = {
    "workday": (0.15, 0.12, 0.10, 0.10, 0.10, 0.12, 0.20, 0.40, 0.70, 0.90, 1.00, 1.00,
                0.95, 1.00, 1.00, 1.00, 0.90, 0.75, 0.55, 0.45, 0.40, 0.35, 0.25, 0.20),
    "consumer": (0.45, 0.30, 0.22, 0.18, 0.15, 0.15, 0.20, 0.30, 0.40, 0.50, 0.55, 0.60,
                 0.65, 0.65, 0.60, 0.60, 0.65, 0.70, 0.80, 0.90, 1.00, 1.00, 0.90, 0.65),
}
DAY_STEPS = 288           # a day in 5-minute steps


def has_schedule(workload) -> bool:
    """Whether the workload's rate changes over time (otherwise: one rate, today's arrivals)."""
    return bool(workload.rates or workload.day_curve != "none" or workload.bursts)


def _day_steps(workload, days: int) -> tuple[np.ndarray, np.ndarray]:
    hours = np.asarray(DAY_CURVES[workload.day_curve] + DAY_CURVES[workload.day_curve][:1])
    mid = (np.arange(DAY_STEPS) + 0.5) * 24.0 / DAY_STEPS            # each step's middle, in hours
    share = np.interp(mid, np.arange(25), hours)
    step = workload.day_length_s / DAY_STEPS
    starts = np.arange(DAY_STEPS * days) * step
    return starts, np.tile(share * workload.arrival_rate, days)


def end_of(workload) -> float:
    """When arrivals stop (seconds; inf: when ``requests`` have arrived)."""
    if workload.duration_s > 0:
        return float(workload.duration_s)
    return float(workload.day_length_s) if workload.day_curve != "none" else math.inf


def steps(workload) -> tuple[np.ndarray, np.ndarray, float]:
    """(step starts, rates in requests/s, end): the schedule as piecewise-constant steps, the
    first starting at 0 and the last holding until ``end``."""
    end = end_of(workload)
    if workload.day_curve != "none":
        days = max(1, math.ceil(end / workload.day_length_s)) if math.isfinite(end) else 1
        starts, rates = _day_steps(workload, days)
    elif workload.rates:
        starts = np.array([r.from_s for r in workload.rates], dtype=np.float64)
        rates = np.array([r.rate for r in workload.rates], dtype=np.float64)
    else:
        starts, rates = np.zeros(1), np.array([workload.arrival_rate], dtype=np.float64)
    if workload.bursts:
        edges = [b.at_s for b in workload.bursts] + [b.at_s + b.duration_s for b in workload.bursts]
        cuts = np.unique(np.concatenate([starts, np.asarray(edges, dtype=np.float64)]))
        base = rates[np.searchsorted(starts, cuts, side="right") - 1]
        extra = np.zeros(len(cuts))
        for b in workload.bursts:
            extra += np.where((cuts >= b.at_s) & (cuts < b.at_s + b.duration_s), b.rate, 0.0)
        starts, rates = cuts, base + extra
    keep = starts < end
    return starts[keep], rates[keep], end


def rate_at(workload, t: np.ndarray) -> np.ndarray:
    """The schedule's rate (requests/s) at times ``t`` (0 after its end)."""
    starts, rates, end = steps(workload)
    t = np.asarray(t, dtype=np.float64)
    r = rates[np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(rates) - 1)]
    return np.where(t < end, r, 0.0)


def warp(workload, unit_times: np.ndarray) -> np.ndarray:
    """Arrival times of the points ``unit_times`` of a rate-1 process (non-decreasing, from 0)
    under the schedule: t = Lambda^-1(u); the points past the schedule's end are dropped."""
    starts, rates, end = steps(workload)
    lengths = np.diff(np.append(starts, end if math.isfinite(end) else starts[-1]))
    cum = np.concatenate([[0.0], np.cumsum(rates[:-1] * lengths[:-1])])
    if math.isfinite(end):
        total = cum[-1] + rates[-1] * lengths[-1]
    else:
        total = math.inf if rates[-1] > 0 else cum[-1]
    u = unit_times[unit_times < total]
    k = np.searchsorted(cum, u, side="right") - 1          # the last step whose cumulative rate <= u
    ok = rates[k] > 0
    u, k = u[ok], k[ok]
    t = starts[k] + (u - cum[k]) / rates[k]
    return t[t < end]
