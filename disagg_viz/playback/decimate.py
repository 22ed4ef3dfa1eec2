"""Chart points for a screen: a scatter of 200,000 requests per system (TTFT, TPOT) would cost
pyqtgraph hundreds of bytes a point (8 systems: a MemoryError at 5.4 GB) and draw far more points
than the chart has pixels. ``envelope`` keeps, in each pixel column, the lowest and highest point:
the picture is the same (every outlier stays), the points are at most two per column."""

from __future__ import annotations

import numpy as np


def envelope(x: np.ndarray, y: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``2 * columns`` of the points (x, y), in their order: the lowest and highest y of
    each of ``columns`` equal slices of x's range. Fewer points than that are returned as they are."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    columns = max(int(columns), 1)
    if len(x) <= 2 * columns:
        return x, y
    lo, hi = float(x.min()), float(x.max())
    span = hi - lo if hi > lo else 1.0
    bins = np.minimum(((x - lo) / span * columns).astype(np.int64), columns - 1)
    order = np.lexsort((y, bins))                    # by column, then by y within it
    ordered = bins[order]
    first = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    last = np.r_[first[1:], len(order)] - 1
    keep = np.unique(np.r_[order[first], order[last]])
    return x[keep], y[keep]
