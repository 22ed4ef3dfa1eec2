"""The arrival rate of a run over time, for the time bar: requests/s in equal bins of the run.

Read from the requests' arrival times (the same for every system of a run), so it shows a rate
schedule, a day curve, bursts and a trace's own swings alike."""

from __future__ import annotations

import numpy as np

BINS = 120


def rate_profile(arrival: np.ndarray, end: float, bins: int = BINS) -> tuple[np.ndarray, np.ndarray]:
    """(bin edges in s, requests/s in each bin) over [0, end]; empty arrays for an empty run."""
    if end <= 0 or len(arrival) == 0:
        return np.zeros(0), np.zeros(0)
    edges = np.linspace(0.0, end, bins + 1)
    counts = np.histogram(np.asarray(arrival, dtype=np.float64), bins=edges)[0]
    return edges, counts / (end / bins)


def rate_caption(rates: np.ndarray) -> str:
    """One line for the time bar's tooltip: the mean and the peak rate."""
    if len(rates) == 0:
        return ""
    return f"arrivals: mean {rates.mean():.3g} req/s, peak {rates.max():.3g} req/s (shaded over the run)"
