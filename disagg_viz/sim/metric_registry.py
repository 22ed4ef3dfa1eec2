"""One registry of the metrics a person reads: for every id of disagg_viz/metric_ids.py, its label,
unit, how to format it, which direction is better, and how to read it: from a system's summary
(``sim.metrics.summarize``) through the JSON alias table, or, for goodput, from a goodput record
(``Goodput.fields()``). The scoreboard, lesson text placeholders and lesson claims all use it, so a
number has one name and one format. Qt-free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from disagg_viz.i18n import N_, num
from disagg_viz.metric_ids import GOODPUT_METRICS, json_key


def format_ms(ms: float | None) -> str:
    """A duration given in ms, in the unit that reads best: 0.42 ms, 36 ms, 2.0 s, 1.5 min."""
    if ms is None:
        return "-"
    a = abs(ms)
    if a < 10:
        return num(ms, ".2g") + " ms" if a < 1 else num(ms, ".1f") + " ms"
    if a < 1000:
        return num(ms, ".0f") + " ms"
    if a < 60_000:
        return num(ms / 1e3, ".1f") + " s"
    if a < 3_600_000:
        return num(ms / 6e4, ".1f") + " min"
    return num(ms / 3.6e6, ".1f") + " h"


def _percent(v: float | None) -> str:
    return "-" if v is None else num(v, ".1f") + "%"


def _count(v: float | None) -> str:
    return "-" if v is None else num(v, ",.0f")


def _gb(v: float | None) -> str:
    return "-" if v is None else num(v, ",.1f") + " GB"


def _per(v: float | None) -> str:
    return "-" if v is None else num(v, ",.0f")


def _req_per_s(v: float | None) -> str:
    return "-" if v is None else num(v, ".3g") + " req/s"


def _tokens_per_s(v: float | None) -> str:
    if v is None:
        return "-"
    return num(v / 1e3, ",.1f") + "k tok/s" if v >= 10_000 else num(v, ",.0f") + " tok/s"


@dataclass(frozen=True)
class Metric:
    id: str
    label: str                         # as a scoreboard row reads (in English: the ui translates it)
    unit: str                          # the unit claims and summaries use (ms, %, GB, tok/s, GPUs)
    read: Callable[[dict], float | None]
    text: Callable[[float | None], str]
    lower_is_better: bool | None       # None: neither (a size, not a score)

    @property
    def on_request(self) -> bool:
        """Computed by a search over rates when asked for (goodput), not part of a run's summary."""
        return self.id in GOODPUT_METRICS

    def value(self, record: dict) -> float | None:
        """Its number in a system's summary (a goodput record for goodput metrics)."""
        return self.read(record)

    def format(self, record: dict) -> str:
        return self.text(self.read(record))


def _json(metric_id: str, convert: Callable[[float], float] = float) -> Callable[[dict], float | None]:
    """Read a metric at its JSON key (metric_ids.JSON_KEYS), converted to the metric's unit."""
    path = json_key(metric_id).split(".")

    def read(record: dict) -> float | None:
        v = record
        for key in path:
            v = v.get(key) if isinstance(v, dict) else None
        return None if v is None else convert(v)
    return read


def _throughput_per_gpu(s: dict) -> float | None:
    return s["throughput_tokens_per_s"] / s["gpus"] if s["gpus"] else None


METRICS: dict[str, Metric] = {m.id: m for m in (
    Metric("ttft_p50", N_("TTFT p50"), "ms", _json("ttft_p50"), format_ms, True),
    Metric("ttft_p90", N_("TTFT p90"), "ms", _json("ttft_p90"), format_ms, True),
    Metric("tpot_p50", N_("TPOT p50"), "ms", _json("tpot_p50"), format_ms, True),
    Metric("tpot_p90", N_("TPOT p90"), "ms", _json("tpot_p90"), format_ms, True),
    Metric("stall_max", N_("Worst stall"), "ms", _json("stall_max"), format_ms, True),
    Metric("attainment", N_("SLO attainment"), "%", _json("attainment", lambda v: 100.0 * v), _percent, False),
    Metric("throughput", N_("Throughput"), "tok/s", _json("throughput"), _tokens_per_s, False),
    Metric("throughput_per_gpu", N_("Throughput per GPU"), "tok/s", _throughput_per_gpu, _tokens_per_s, False),
    Metric("throughput_per_dollar_hour", N_("Throughput per $/h"), "tok/s per $/h", _json("throughput_per_dollar_hour"),
           _per, False),
    Metric("throughput_per_kw", N_("Throughput per kW"), "tok/s per kW", _json("throughput_per_kw"), _per, False),
    Metric("kv_shipped", N_("KV shipped"), "GB", _json("kv_shipped", lambda v: v / 1e9), _gb, None),
    Metric("gpus", N_("GPUs"), "GPUs", _json("gpus"), _count, None),
    Metric("kv_exposed_p50", N_("KV after prefill p50"), "ms", _json("kv_exposed_p50"), format_ms, True),
    Metric("kv_wait_p90", N_("KV wait for room p90"), "ms", _json("kv_wait_p90"), format_ms, True),
    Metric("kv_queue_p90", N_("KV queue for link p90"), "ms", _json("kv_queue_p90"), format_ms, True),
    Metric("kv_wire_p90", N_("KV on the wire p90"), "ms", _json("kv_wire_p90"), format_ms, True),
    Metric("completed", N_("Completed"), "requests", _json("completed"), _count, False),
    Metric("input_per_node", N_("Input/node"), "tok/s", _json("input_per_node"), _tokens_per_s, False),
    Metric("output_per_node", N_("Output/node"), "tok/s", _json("output_per_node"), _tokens_per_s, False),
    Metric("prefix_hit_rate", N_("Prefix cache hits"), "%", _json("prefix_hit_rate", lambda v: 100.0 * v), _percent,
           False),
    Metric("fault_delayed", N_("Requests delayed by faults"), "requests", _json("fault_delayed"), _count, True),
    Metric("goodput_per_gpu", N_("Goodput per GPU"), "req/s per GPU", _json("goodput_per_gpu"), _req_per_s, False),
    Metric("goodput_per_dollar_hour", N_("Goodput per $/h"), "req/s per $/h", _json("goodput_per_dollar_hour"),
           _req_per_s, False),
    Metric("goodput_per_kw", N_("Goodput per kW"), "req/s per kW", _json("goodput_per_kw"), _req_per_s, False),
)}
