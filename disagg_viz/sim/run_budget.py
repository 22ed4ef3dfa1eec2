"""How many iteration-log rows a run will write, estimated before it runs, from plain numbers.

The engine logs one row (64 bytes) per iteration of an instance. A decode iteration serves every
sequence seated on its instance, so the rows are the output tokens divided by the batches the run
actually has, and the batches come from the traffic: requests that arrive slowly are served one at
a time (150,000 requests of 2,000 tokens at 0.01 req/s: ~300 M rows, 19 GB, where a budget that
assumed batches of 64 saw 4.7 M). The estimate takes the larger of two bounds:

- batches: the output tokens over the batch the traffic makes (Little's law, ``typical_batch``),
  within the largest the pool can seat (``max_batch``, the KV room for a mean request);
- the clock: a decode instance cannot iterate faster than its shortest step (one sequence), so
  over the run's length (arrivals, or the pools' work if that is longer, plus the longest request)
  it logs at most length / shortest step rows; never more than one row per output token.

Prefill iterations are added: at least one per request, plus one per ``max_prefill_tokens``.
Everything here is numbers and specs in, numbers out (no Qt): sim/runner.py checks every run before
its kernels start, and ``check`` answers for a scenario's generated traffic before any request is
drawn (``disagg-viz validate``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_LOG_ROWS = 5_000_000      # per system: 320 MB of log (64 bytes a row)
LOG_ROW_BYTES = 64
# The app's views of a run (playback/prepared.py: chart series, the kitchens' per-instance logs)
# keep about 160 bytes more per log row, and a system's request arrays ~500 bytes per request
# (measured: 1 M rows, 200,000 requests: 76 + 81 MB kept by series and snapshots).
VIEW_ROW_BYTES = 160
REQUEST_BYTES = 500
MAX_RUN_BYTES = 4_000_000_000  # every system's log and views together
FIRST_LOG_SPARE = 1.25         # first_log_rows: the estimate and a quarter more


@dataclass(frozen=True)
class Traffic:
    requests: int
    output_tokens: float      # total over all requests
    prompt_tokens: float      # total over all requests
    longest_output: float     # tokens of the longest answer
    span_s: float             # first to last arrival


@dataclass(frozen=True)
class Pools:
    decode_instances: int     # instances that decode (a colocated system: all of them)
    prefill_instances: int    # instances that prefill (a colocated system: the same ones)
    shared: bool              # colocated: prefills take turns with decode steps on the same instances
    decode_step_s: float      # decode iteration of one sequence at the mean context
    decode_per_seq_s: float   # what each further sequence adds to a decode iteration
    prefill_s: float          # prefill of a mean prompt, alone
    batch_cap: int            # largest batch a decode instance can seat (max_batch, KV room); 0: none
    prefill_tokens: int       # prompt tokens per prefill iteration (max_prefill_tokens or the chunk)
    ship_s: float = 0.0       # a mean tray on the wire (0: no link)
    shipments: int = 1        # trays on the wire at once, at most


def typical_batch(t: Traffic, p: Pools) -> float:
    """Sequences decoding together on one instance, by Little's law: arrival rate x output tokens
    x time per token, over the decode instances, where the time per token grows with the batch
    (step = one sequence + per_seq x (batch - 1)) and, on a colocated instance, with the share of
    time its prefills take. Solved in closed form; a saturated pool runs full batches."""
    if t.requests <= 1 or t.span_s <= 0:
        return 1.0
    rate = t.requests / t.span_s
    if p.ship_s > 0:                      # a slow link paces what reaches the decode pool
        rate = min(rate, p.shipments / p.ship_s)
    busy = min(rate * p.prefill_s / max(p.prefill_instances, 1), 0.9) if p.shared else 0.0
    a = rate * (t.output_tokens / t.requests) / max(p.decode_instances, 1) / (1.0 - busy)
    if a * p.decode_per_seq_s >= 1.0:
        return float("inf")
    return a * (p.decode_step_s - p.decode_per_seq_s) / (1.0 - a * p.decode_per_seq_s)


def batch(t: Traffic, p: Pools) -> float:
    """The batch the estimate assumes: the traffic's typical batch, within what the pool seats."""
    return min(max(typical_batch(t, p), 1.0), max(p.batch_cap, 1))


def log_rows(t: Traffic, p: Pools) -> float:
    """Estimated iteration-log rows of one system's run (see the module's notes)."""
    if p.batch_cap <= 0:                  # the weights leave no KV room: every request is refused
        return float(t.requests)
    b = batch(t, p)
    step = max(p.decode_step_s, 1e-9)
    prefill_busy = t.requests * p.prefill_s / max(p.prefill_instances, 1)
    decode_busy = t.output_tokens * step / (p.decode_instances * max(p.batch_cap, 1))   # full batches, at best
    link_busy = t.requests * p.ship_s / max(p.shipments, 1)
    length = max(t.span_s, prefill_busy, decode_busy, link_busy) + t.longest_output * step
    by_clock = p.decode_instances * length / step            # never faster than one step at a time
    decode = min(t.output_tokens / b, by_clock, t.output_tokens)
    prefill = t.requests + t.prompt_tokens / max(p.prefill_tokens, 1)
    return decode + prefill


def run_bytes(rows: list[float], requests: int) -> float:
    """Memory of a run and the app's views of it: every system's log rows and requests."""
    return sum(rows) * (LOG_ROW_BYTES + VIEW_ROW_BYTES) + len(rows) * requests * REQUEST_BYTES


def problems(estimates: list[tuple[float, float, int, int]], requests: int, lower: str) -> list[tuple[str, str]]:
    """(key, message) for each system over the log budget, or the whole run over the memory
    budget; ``estimates``: (rows, batch, max_batch, batch the KV room seats) of each system
    (``estimate``); ``lower``: what the user can lower (the traffic's keys)."""
    found = []
    rows = [e[0] for e in estimates]
    for k, (n, b, max_batch, seats) in enumerate(estimates):
        if math.isfinite(n) and n <= MAX_LOG_ROWS:
            continue
        if b >= max_batch:
            why, knobs = f"full batches of {max_batch}", f"{lower}, or raise systems.{k}.max_batch"
        elif b >= seats:
            why, knobs = (f"batches of about {b:,.0f} (all its KV room seats)",
                          f"{lower}, or give its decode pool more memory (tp, GPU)")
        else:
            why, knobs = f"batches of about {b:,.0f} at this traffic", f"raise workload.arrival_rate, or {lower}"
        found.append((f"systems.{k}", f"would log about {n / 1e6:,.1f} M iterations ({n * LOG_ROW_BYTES / 1e9:,.1f} GB; "
                                      f"budget {MAX_LOG_ROWS / 1e6:,.0f} M a system) with {why}: {knobs}"))
    total = run_bytes(rows, requests)
    if not found and total > MAX_RUN_BYTES:
        found.append(("systems", f"the {len(rows)} systems' runs and their views would take about {total / 1e9:,.1f} "
                                 f"GB (budget {MAX_RUN_BYTES / 1e9:,.0f} GB): compare fewer systems, or {lower}"))
    return found


def estimate(specs, t: Traffic) -> list[tuple[float, float, int, int]]:
    """(estimated log rows, assumed batch, max_batch, batch its KV room seats) of each system
    (its SystemSpec, sim/specs.py) on traffic ``t``."""
    mean_prompt = t.prompt_tokens / max(t.requests, 1)
    mean_output = t.output_tokens / max(t.requests, 1)
    out = []
    for spec in specs:
        p = pools_of(spec, mean_prompt, mean_output)
        out.append((log_rows(t, p), batch(t, p), spec.max_batch, p.batch_cap))
    return out


def first_log_rows(rows: float) -> int:
    """Rows the kernels give a system's first iteration log, from its estimated ``rows``
    (``estimate``): a quarter to spare (most runs log 0.5-1.25x the estimate), so that a run
    rarely grows its log, which copies it. Rows never written take no memory in a large
    allocation (see kernels/common.logged)."""
    return int(min(FIRST_LOG_SPARE * rows, MAX_LOG_ROWS)) if math.isfinite(rows) else MAX_LOG_ROWS


def traffic_of(arrival, prompt, output) -> Traffic:
    """The traffic of request arrays (a trace's window, or generated requests)."""
    n = len(arrival)
    return Traffic(n, float(output.sum()), float(prompt.sum()), float(output.max()) if n else 0.0,
                   float(arrival[-1] - arrival[0]) if n else 0.0)


def generated_traffic(w) -> Traffic:
    """The traffic a ``[workload]`` section generates, from its numbers alone (no requests drawn):
    the longest answer from the output distribution's spread."""
    longest = {"fixed": 1.0, "uniform": 1.5}.get(w.output_distribution, math.exp(3 * w.output_sigma))
    return Traffic(w.requests, float(w.requests * w.output_tokens), float(w.requests * w.prompt_tokens),
                   min(w.output_tokens * longest, 65_536), (w.requests - 1) / w.arrival_rate)


def pools_of(spec, mean_prompt: float, mean_output: float) -> Pools:
    """The numbers of one system (its SystemSpec) the estimate needs; a colocated system's one
    pool both prefills and decodes."""
    from disagg_viz.sim.cost_model import decode_step_time, prefill_time
    pre, dec = spec.prefill_pool, spec.decode_pool
    room = dec.kv_capacity_tokens
    context = round(mean_prompt + mean_output / 2)
    step1 = decode_step_time(dec.cost, 1, context)
    return Pools(decode_instances=spec.most_decode_instances, prefill_instances=pre.instances, shared=not spec.is_split,
                 decode_step_s=step1,
                 decode_per_seq_s=max((decode_step_time(dec.cost, 65, context) - step1) / 64, 0.0),
                 prefill_s=prefill_time(pre.cost, max(1, round(mean_prompt))),
                 batch_cap=0 if room <= 0 else max(1, min(spec.max_batch, int(room // max(mean_prompt + mean_output, 1)))),
                 prefill_tokens=spec.chunk_tokens if spec.chunked else spec.max_prefill_tokens,
                 ship_s=mean_prompt * spec.kv_bytes_per_token / spec.link.port_bytes_per_s if spec.has_link else 0.0,
                 shipments=spec.link.max_shipments if spec.has_link else 1)


def check(specs, traffic: Traffic, lower: str) -> list[float]:
    """Raise ScenarioError naming the first system (or the whole run) past the budget; else return
    each system's estimated log rows."""
    from disagg_viz.scenario.errors import Problem, ScenarioError
    estimates = estimate(specs, traffic)
    found = problems(estimates, traffic.requests, lower)
    if found:
        names = {f"systems.{k}": spec.name for k, spec in enumerate(specs)}
        raise ScenarioError([Problem(key, (f"({names[key]}) " if key in names else "") + message)
                             for key, message in found])
    return [e[0] for e in estimates]


def check_scenario(scenario) -> None:
    """The budget on a scenario's generated traffic, from its numbers (a trace is checked once read)."""
    if scenario.workload.trace:
        return
    from disagg_viz.sim.specs import scenario_specs
    check(scenario_specs(scenario), generated_traffic(scenario.workload),
          "lower workload.requests or workload.output_tokens")
