"""Parsed traces are kept while their file is unchanged: a slider drag re-simulates without
re-reading a trace of thousands of rows each time."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from disagg_viz.traces.readers import Trace, TraceError, read_trace

_KEEP = 4
_cache: OrderedDict[tuple, Trace] = OrderedDict()
_lock = threading.Lock()


def cached_trace(path: Path, skip_malformed: bool) -> Trace:
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size, skip_malformed)
    except OSError:
        return read_trace(path, skip_malformed)        # raises the clear "not found" error
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    trace = read_trace(path, skip_malformed)
    with _lock:
        _cache[key] = trace
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return trace


__all__ = ["cached_trace", "TraceError"]
