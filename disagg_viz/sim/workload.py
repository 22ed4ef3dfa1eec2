"""Requests from a scenario's workload: Poisson arrivals and length distributions, seeded.

Same workload section and seed give the same arrays on every machine (numpy's PCG64).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_TOKENS = 1_048_576


@dataclass(frozen=True)
class Workload:
    arrival: np.ndarray   # float64 seconds, non-decreasing
    prompt: np.ndarray    # int64 tokens >= 1
    output: np.ndarray    # int64 tokens >= 1

    def __len__(self) -> int:
        return len(self.arrival)


def _lengths(rng: np.random.Generator, n: int, mean: int, dist: str, sigma: float) -> np.ndarray:
    if dist == "fixed" or (dist == "lognormal" and sigma == 0):
        x = np.full(n, float(mean))
    elif dist == "uniform":
        x = rng.uniform(0.5 * mean, 1.5 * mean, n)
    elif dist == "lognormal":
        mu = np.log(mean) - 0.5 * sigma * sigma   # keeps the mean at `mean`
        x = rng.lognormal(mu, sigma, n)
    else:
        raise ValueError(f"unknown distribution {dist!r}")
    return np.clip(np.rint(x), 1, MAX_TOKENS).astype(np.int64)


def generate(workload) -> Workload:
    """Workload arrays from a ``WorkloadSection`` (requests, rate, lengths, seed)."""
    rng = np.random.default_rng(workload.seed)
    n = workload.requests
    gaps = rng.exponential(1.0 / workload.arrival_rate, n)
    arrival = np.cumsum(gaps)
    arrival -= arrival[0]          # the first order arrives at t = 0
    prompt = _lengths(rng, n, workload.prompt_tokens, workload.prompt_distribution, workload.prompt_sigma)
    output = _lengths(rng, n, workload.output_tokens, workload.output_distribution, workload.output_sigma)
    return Workload(arrival, prompt, output)


def from_arrays(arrival, prompt, output) -> Workload:
    arrival = np.asarray(arrival, dtype=np.float64)
    order = np.argsort(arrival, kind="stable")
    return Workload(arrival[order], np.asarray(prompt, dtype=np.int64)[order],
                    np.asarray(output, dtype=np.int64)[order])
