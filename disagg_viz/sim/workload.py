"""Requests from a scenario's workload: arrivals (Poisson, gamma or fixed) and length distributions, seeded.

Same workload section and seed give the same arrays on every machine (numpy's PCG64).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from disagg_viz.traces.prefix import Prefix

MAX_TOKENS = 1_048_576
SHARED_ID = 1 << 20        # generated block ids: system prompt g, block k -> g * SHARED_ID + k
OWN_ID = 1 << 40           # a request's own blocks: OWN_ID + r * SHARED_ID + k (never shared)


@dataclass(frozen=True)
class Workload:
    arrival: np.ndarray   # float64 seconds, non-decreasing
    prompt: np.ndarray    # int64 tokens >= 1
    output: np.ndarray    # int64 tokens >= 1
    prefix: Prefix | None = None   # prefix blocks (a trace's hash_ids, generated system prompts)

    def __len__(self) -> int:
        return len(self.arrival)

    def prefixes(self) -> Prefix:
        """The prefix blocks, or none for every request."""
        return self.prefix if self.prefix is not None else Prefix.none(len(self.arrival))


def _lengths(rng: np.random.Generator, n: int, mean: int, dist: str, sigma: float, scale=None) -> np.ndarray:
    """``scale``: per request, its mean over ``mean`` (a rate step's own mean: the distribution's
    shape is kept, its draws scaled); None: 1 for all."""
    x = _draws(rng, n, mean, dist, sigma)
    if scale is not None:
        x = x * scale[:n] if len(scale) >= n else x * np.concatenate([scale, np.ones(n - len(scale))])
    return np.clip(np.rint(x), 1, MAX_TOKENS).astype(np.int64)


def _draws(rng: np.random.Generator, n: int, mean: int, dist: str, sigma: float) -> np.ndarray:
    if dist == "fixed" or (dist == "lognormal" and sigma == 0):
        x = np.full(n, float(mean))
    elif dist == "uniform":
        x = rng.uniform(0.5 * mean, 1.5 * mean, n)
    elif dist == "lognormal":
        mu = np.log(mean) - 0.5 * sigma * sigma   # keeps the mean at `mean`
        x = rng.lognormal(mu, sigma, n)
    else:
        raise ValueError(f"unknown distribution {dist!r}")
    return x


def _gaps(rng: np.random.Generator, n: int, rate: float, dist: str, cv: float) -> np.ndarray:
    """Gaps between arrivals with mean 1/rate: exponential (Poisson arrivals), gamma with
    coefficient of variation ``cv`` (shape 1/cv^2: bursty above 1, regular below), or fixed."""
    if dist == "poisson":
        return rng.exponential(1.0 / rate, n)
    if dist == "gamma":
        shape = 1.0 / (cv * cv)
        return rng.gamma(shape, 1.0 / (rate * shape), n)
    if dist == "fixed":
        return np.full(n, 1.0 / rate)
    raise ValueError(f"unknown arrival distribution {dist!r}")


def generate(workload) -> Workload:
    """Workload arrays from a ``WorkloadSection`` (requests, rate or rate schedule, lengths, seed).
    A schedule (sim/rate_schedule.py) draws the same gaps at rate 1 and maps them through it; the
    requests past the schedule's end are not sent (fewer than ``requests`` then)."""
    from disagg_viz.sim import rate_schedule
    rng = np.random.default_rng(workload.seed)
    n = workload.requests
    scheduled = rate_schedule.has_schedule(workload)
    rate = 1.0 if scheduled else workload.arrival_rate
    arrival = np.cumsum(_gaps(rng, n, rate, workload.arrival_distribution, workload.arrival_cv))
    arrival -= arrival[0]          # the first order arrives at t = 0 (scheduled: at the first non-zero rate)
    if scheduled:
        arrival = rate_schedule.warp(workload, arrival)
    p_scale, o_scale = _step_means(workload, arrival)
    prompt = _lengths(rng, n, workload.prompt_tokens, workload.prompt_distribution, workload.prompt_sigma, p_scale)
    output = _lengths(rng, n, workload.output_tokens, workload.output_distribution, workload.output_sigma, o_scale)
    kept = len(arrival)
    prompt, output = prompt[:kept], output[:kept]
    if workload.shared_prefix_tokens > 0 or workload.conversation_turns > 1:
        prompt, prefix = _prefixes(workload, prompt, output)
        return Workload(arrival, prompt, output, prefix)
    return Workload(arrival, prompt, output)


def _step_means(workload, arrival: np.ndarray):
    """Per arrival, its rate step's mean prompt and output lengths over the workload's (the mix of
    ``[[workload.rates]]`` steps that set ``prompt_tokens`` / ``output_tokens``); None where no step
    sets one (the draws stay exactly as without the keys)."""
    steps = getattr(workload, "rates", None) or []
    out = []
    for key in ("prompt_tokens", "output_tokens"):
        if not any(getattr(s, key, None) is not None for s in steps):
            out.append(None)
            continue
        base = getattr(workload, key)
        starts = np.array([s.from_s for s in steps], dtype=np.float64)
        means = np.array([getattr(s, key) if getattr(s, key) is not None else base for s in steps], dtype=np.float64)
        k = np.clip(np.searchsorted(starts, arrival, side="right") - 1, 0, len(steps) - 1)
        out.append(means[k] / base)
    return out[0], out[1]


def _prefixes(workload, own: np.ndarray, output: np.ndarray) -> tuple[np.ndarray, Prefix]:
    """Prompts and their prefix blocks from system prompts and conversations.

    Conversations: ``conversations_at_once`` users chat side by side; request r is the next
    message of user r mod A (A = conversations_at_once), and every ``conversation_turns`` messages
    that user starts a new conversation. A turn's prompt is the previous turn's prompt and answer
    plus the new message (``own``: the drawn prompt length), so its first blocks are the earlier
    turns' (one transcript, block j has one id). System prompts: a conversation opens with one of
    ``shared_prefixes`` system prompts of ``shared_prefix_tokens`` (drawn from a stream of its
    own, so the other draws stay as without them), whose full blocks every conversation with it
    shares. One turn per conversation: every request is its own conversation."""
    from disagg_viz.sim.layout import BLOCK_TOKENS
    n = len(own)
    turns = workload.conversation_turns
    at_once = workload.conversations_at_once if turns > 1 else 1
    group = np.random.default_rng([workload.seed, 21]).integers(0, workload.shared_prefixes, n)
    shared = workload.shared_prefix_tokens // BLOCK_TOKENS
    prompt = np.minimum(own + workload.shared_prefix_tokens, MAX_TOKENS).astype(np.int64)
    r = np.arange(n, dtype=np.int64)
    conv = r
    if turns > 1:
        conv = r % at_once + at_once * (r // at_once // turns)
        for j in range(1, (n + at_once - 1) // at_once):   # a later turn: the previous one's transcript
            if j % turns > 0:
                now = slice(j * at_once, min((j + 1) * at_once, n))
                before = slice(now.start - at_once, now.stop - at_once)
                prompt[now] = np.minimum(prompt[before] + output[before] + own[now], MAX_TOKENS)
    # Request r's blocks k = 0 .. prompt // BLOCK_TOKENS - 1: its system prompt's first, then its
    # conversation's own (numbers, not lists: 100,000 requests take milliseconds).
    count = prompt // BLOCK_TOKENS
    start = np.zeros(n, dtype=np.int64)
    np.cumsum(count[:-1], out=start[1:])
    owner = np.repeat(r, count)
    k = np.arange(len(owner), dtype=np.int64) - start[owner]
    q = conv[owner]
    blocks = np.where(k < np.minimum(shared, count)[owner], group[q] * SHARED_ID + k, OWN_ID + q * SHARED_ID + k)
    return prompt, Prefix(start, count, blocks.astype(np.int64))


def from_trace(workload, base_dir=None) -> Workload:
    """The window of ``workload.trace`` the scenario asks for: from ``trace_start_s`` for
    ``trace_duration_s`` trace seconds, played ``trace_speed`` times faster, at most ``requests``."""
    from pathlib import Path

    from disagg_viz.scenario.errors import Problem
    from disagg_viz.traces import TraceError
    from disagg_viz.traces.cache import cached_trace

    if base_dir is None:
        raise TraceError([Problem("workload.trace", "a trace needs the scenario saved in a folder first (the "
                                                    "trace is read from that folder)", workload.trace)])
    # A scenario from a stranger must not make the app read anything outside its own folder:
    # the trace resolves (links and '..' followed) inside the scenario's folder or below it.
    if not workload.trace.isprintable():                # a NUL byte: every path call would raise
        raise TraceError([Problem("workload.trace", "must be a file name without control characters")])
    folder = Path(base_dir).resolve()
    path = (folder / Path(workload.trace).expanduser()).resolve()
    if not path.is_relative_to(folder):
        raise TraceError([Problem("workload.trace", f"must name a file in the scenario's folder ({folder}) or "
                                                    "below it; copy the trace there", workload.trace)])
    trace = cached_trace(path, workload.trace_skip_malformed)
    t = trace.arrival
    lo = np.searchsorted(t, workload.trace_start_s, side="left")
    hi = len(t) if workload.trace_duration_s <= 0 else np.searchsorted(
        t, workload.trace_start_s + workload.trace_duration_s, side="left")
    hi = min(hi, lo + workload.requests)
    if hi <= lo:
        raise TraceError([Problem("workload.trace_start_s", f"the window holds no requests: the trace spans "
                                                            f"{t[-1]:.1f} s", workload.trace_start_s)])
    arrival = (t[lo:hi] - t[lo]) / workload.trace_speed
    prefix = trace.prefix.take(np.arange(lo, hi)) if trace.prefix is not None else None
    return Workload(arrival, trace.prompt[lo:hi].copy(), trace.output[lo:hi].copy(), prefix)


def build(workload, base_dir=None) -> Workload:
    """The requests a scenario's workload section describes: its trace, or generated ones."""
    return from_trace(workload, base_dir) if workload.trace else generate(workload)


def from_arrays(arrival, prompt, output, prefix: Prefix | None = None) -> Workload:
    arrival = np.asarray(arrival, dtype=np.float64)
    order = np.argsort(arrival, kind="stable")
    return Workload(arrival[order], np.asarray(prompt, dtype=np.int64)[order],
                    np.asarray(output, dtype=np.int64)[order], prefix.take(order) if prefix is not None else None)
