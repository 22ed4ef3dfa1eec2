"""The comparison table ``disagg-viz simulate`` prints."""

from __future__ import annotations


def _fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


KV_PARTS = ("kv_wait_ms", "kv_queue_ms", "kv_wire_ms")


def _p50_p90(st):
    return f"{_fmt(st['p50'])} / {_fmt(st['p90'])}"


def _gb(v):
    return f"{v / 1e9:,.2f} GB"


ROWS = [
    ("GPUs", lambda s: _fmt(s["gpus"])),
    ("completed / rejected", lambda s: f"{s['completed']:,} / {s['rejected']:,}"),
    ("TTFT p50 / p90 (ms)", lambda s: f"{_fmt(s['ttft_ms']['p50'])} / {_fmt(s['ttft_ms']['p90'])}"),
    ("TPOT p50 / p90 (ms)", lambda s: f"{_fmt(s['tpot_ms']['p50'])} / {_fmt(s['tpot_ms']['p90'])}"),
    ("worst stall (ms)", lambda s: _fmt(s["stall_ms"]["max"])),
    ("KV after prefill p50 / p90 (ms)", lambda s: _p50_p90(s["kv_exposed_ms"])),
    ("  KV room / link / wire p90 (ms)", lambda s: " / ".join(_fmt(s[k]["p90"], 2) for k in KV_PARTS)),
    ("KV shipped", lambda s: _gb(s["kv_bytes_shipped"])),
    ("SLO attainment", lambda s: f"{100 * s['slo_attainment']:.1f} %"),
    ("throughput (tokens/s)", lambda s: _fmt(s["throughput_tokens_per_s"], 0)),
    ("GPU compute / bandwidth util", lambda s: f"{100 * s['gpu_compute_utilization']:.0f} % / {100 * s['gpu_bandwidth_utilization']:.0f} %"),
    ("makespan (s)", lambda s: _fmt(s["makespan_s"], 2)),
]
# Rows only some systems have: printed when one of the systems reports them.
OPTIONAL_ROWS = [
    ("routing", "routing", lambda s: s.get("routing", "least-loaded")),
    ("prefix cache hits", "prefix_hit_rate",
     lambda s: f"{100 * s['prefix_hit_rate']:.1f} %" if "prefix_hit_rate" in s else "-"),
]


def comparison_table(summary: dict) -> str:
    systems = summary["systems"]
    header = [""] + [s["name"] for s in systems]
    rows = [header] + [[label] + [fn(s) for s in systems] for label, fn in ROWS]
    rows += [[label] + [fn(s) for s in systems] for label, key, fn in OPTIONAL_ROWS if any(key in s for s in systems)]
    widths = [max(len(r[c]) for r in rows) for c in range(len(header))]
    lines = [summary["title"], ""]
    for k, r in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[c]) if c == 0 else cell.rjust(widths[c]) for c, cell in enumerate(r)))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    for s in systems:
        if s["overloaded"]:
            lines.append(f"OVERLOADED {s['name']}: {s['overload_reason']}")
    return "\n".join(lines)
