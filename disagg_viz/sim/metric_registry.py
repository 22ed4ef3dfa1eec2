"""One registry of the metrics a person reads: id, label, unit, how to format it, which direction
is better, and how to read it from a system's summary (``sim.metrics.summarize``). The scoreboard,
lesson text placeholders and lesson claims all use it, so a number has one name and one format.
Qt-free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


def format_ms(ms: float | None) -> str:
    """A duration given in ms, in the unit that reads best: 0.42 ms, 36 ms, 2.0 s, 1.5 min."""
    if ms is None:
        return "-"
    a = abs(ms)
    if a < 10:
        return f"{ms:.2g} ms" if a < 1 else f"{ms:.1f} ms"
    if a < 1000:
        return f"{ms:.0f} ms"
    if a < 60_000:
        return f"{ms / 1e3:.1f} s"
    if a < 3_600_000:
        return f"{ms / 6e4:.1f} min"
    return f"{ms / 3.6e6:.1f} h"


def _percent(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}%"


def _count(v: float | None) -> str:
    return "-" if v is None else f"{v:,.0f}"


def _gb(v: float | None) -> str:
    return "-" if v is None else f"{v:,.1f} GB"


def _tokens_per_s(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v / 1e3:,.1f}k tok/s" if v >= 10_000 else f"{v:,.0f} tok/s"


@dataclass(frozen=True)
class Metric:
    id: str
    label: str                         # as a scoreboard row reads
    unit: str                          # the unit claims and summaries use (ms, %, GB, tok/s, GPUs)
    read: Callable[[dict], float | None]
    text: Callable[[float | None], str]
    lower_is_better: bool | None       # None: neither (a size, not a score)

    def value(self, summary: dict) -> float | None:
        return self.read(summary)

    def format(self, summary: dict) -> str:
        return self.text(self.read(summary))


def _stat(key: str, stat: str) -> Callable[[dict], float | None]:
    return lambda s: s[key][stat]


METRICS: dict[str, Metric] = {m.id: m for m in (
    Metric("ttft_p50", "TTFT p50", "ms", _stat("ttft_ms", "p50"), format_ms, True),
    Metric("ttft_p90", "TTFT p90", "ms", _stat("ttft_ms", "p90"), format_ms, True),
    Metric("tpot_p50", "TPOT p50", "ms", _stat("tpot_ms", "p50"), format_ms, True),
    Metric("tpot_p90", "TPOT p90", "ms", _stat("tpot_ms", "p90"), format_ms, True),
    Metric("stall_max", "Worst stall", "ms", _stat("stall_ms", "max"), format_ms, True),
    Metric("attainment", "SLO attainment", "%", lambda s: 100.0 * s["slo_attainment"], _percent, False),
    Metric("throughput", "Throughput", "tok/s", lambda s: s["throughput_tokens_per_s"], _tokens_per_s, False),
    Metric("throughput_per_gpu", "Throughput per GPU", "tok/s",
           lambda s: s["throughput_tokens_per_s"] / s["gpus"] if s["gpus"] else None, _tokens_per_s, False),
    Metric("throughput_per_dollar_hour", "Throughput per $/h", "tok/s per $/h",
           lambda s: s.get("throughput_per_dollar_hour"), lambda v: "-" if v is None else f"{v:,.0f}", False),
    Metric("throughput_per_kw", "Throughput per kW", "tok/s per kW",
           lambda s: s.get("throughput_per_kw"), lambda v: "-" if v is None else f"{v:,.0f}", False),
    Metric("kv_shipped", "KV shipped", "GB", lambda s: s["kv_bytes_shipped"] / 1e9, _gb, None),
    Metric("gpus", "GPUs", "GPUs", lambda s: float(s["gpus"]), _count, None),
    Metric("kv_exposed_p50", "KV after prefill p50", "ms", _stat("kv_exposed_ms", "p50"), format_ms, True),
    Metric("kv_wait_p90", "KV wait for room p90", "ms", _stat("kv_wait_ms", "p90"), format_ms, True),
    Metric("kv_queue_p90", "KV queue for link p90", "ms", _stat("kv_queue_ms", "p90"), format_ms, True),
    Metric("kv_wire_p90", "KV on the wire p90", "ms", _stat("kv_wire_ms", "p90"), format_ms, True),
    Metric("completed", "Completed", "requests", lambda s: float(s["completed"]), _count, False),
)}
