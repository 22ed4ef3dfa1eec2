"""Real request traces (Azure LLM inference CSV, Mooncake JSONL, BurstGPT CSV), read by content."""

from disagg_viz.traces.readers import FORMATS, Trace, TraceError, read_trace, sniff_format

__all__ = ["FORMATS", "Trace", "TraceError", "read_trace", "sniff_format"]
