"""Every metric id, listed once, and where each one appears (docs/architecture.md, Metrics).

Imports nothing: the scenario model (lesson claims and highlights), the metric registry (label,
unit, format, how to read the number), text placeholders, the scoreboard and the JSON alias table
below all take their ids from here, so an id is spelled in one place."""

from __future__ import annotations

# Read from a run's per-system summary (sim/metrics.py summarize): what a lesson claim and a
# {placeholder} in a lesson text can name.
SUMMARY_METRICS = (
    "ttft_p50", "ttft_p90", "tpot_p50", "tpot_p90", "stall_max", "attainment", "throughput",
    "throughput_per_gpu", "throughput_per_dollar_hour", "throughput_per_kw",
    "kv_shipped", "gpus", "kv_exposed_p50", "kv_wait_p90", "kv_queue_p90", "kv_wire_p90", "completed",
    "input_per_node", "output_per_node", "prefix_hit_rate", "fault_delayed",
)
# Computed on request, by a search over request rates (explore/goodput.py), never part of a run:
# read from a goodput record (Goodput.fields()).
GOODPUT_METRICS = ("goodput_per_gpu", "goodput_per_dollar_hour", "goodput_per_kw")

METRIC_IDS = SUMMARY_METRICS + GOODPUT_METRICS

# The scoreboard's rows, top to bottom; a lesson step points at one with "scoreboard.<id>".
SCOREBOARD_ROWS = (
    "ttft_p50", "ttft_p90", "tpot_p50", "tpot_p90", "stall_max", "attainment", "throughput", "kv_shipped",
    "gpus", "kv_wait_p90", "kv_queue_p90", "kv_wire_p90", "throughput_per_gpu", "throughput_per_dollar_hour",
    "throughput_per_kw", "input_per_node", "output_per_node", "prefix_hit_rate", *GOODPUT_METRICS,
)
# Ids the scoreboard leaves out, and why (every id is a row or listed here).
NOT_ON_SCOREBOARD = {
    "kv_exposed_p50": "the delay a request feels after its prefill: lesson texts and claims; the rows split "
                      "a tray's time into wait, queue and wire",
    "completed": "the kitchens show the served count",
    "fault_delayed": "what a [[faults]] entry cost: lesson texts and claims, and the JSON's fault_cost",
}
# Older spellings of highlight ids, still read from scenario files (and written as the new one).
HIGHLIGHT_ALIASES = {"scoreboard.stall": "scoreboard.stall_max"}

# The alias table: where each id's number is in the JSON the app writes. Summary metrics: a system
# of `disagg-viz simulate --json` (and of an exported summary), "KEY" or "KEY.STAT" (a statistics
# table). Goodput metrics: a system of `disagg-viz goodput --json`. An id not listed is its own key;
# None: not in the JSON (computed from other numbers). Units may differ from the metric's: the
# registry (sim/metric_registry.py) converts.
JSON_KEYS: dict[str, str | None] = {
    "ttft_p50": "ttft_ms.p50",
    "ttft_p90": "ttft_ms.p90",
    "tpot_p50": "tpot_ms.p50",
    "tpot_p90": "tpot_ms.p90",
    "stall_max": "stall_ms.max",
    "attainment": "slo_attainment",                # a fraction there, a percentage as a metric
    "throughput": "throughput_tokens_per_s",
    "throughput_per_gpu": None,                    # throughput / gpus
    "kv_shipped": "kv_bytes_shipped",              # bytes there, GB as a metric
    "kv_exposed_p50": "kv_exposed_ms.p50",
    "kv_wait_p90": "kv_wait_ms.p90",
    "kv_queue_p90": "kv_queue_ms.p90",
    "kv_wire_p90": "kv_wire_ms.p90",
    "goodput_per_gpu": "goodput_req_per_s_per_gpu",
    "input_per_node": "input_tokens_per_s_per_node",
    "output_per_node": "output_tokens_per_s_per_node",
    "prefix_hit_rate": "prefix_hit_rate",          # a fraction there, a percentage as a metric; only for a
                                                   # system with prefix caches (golden: default-prefix-cache)
    "fault_delayed": "fault_cost.requests_delayed",  # only for a system a [[faults]] entry hits
}


def json_key(metric_id: str) -> str | None:
    """The JSON key (``KEY`` or ``KEY.STAT``) holding a metric's number; None if it is computed."""
    if metric_id not in METRIC_IDS:
        raise KeyError(f"unknown metric id {metric_id!r}; one of {', '.join(METRIC_IDS)}")
    return JSON_KEYS.get(metric_id, metric_id)
