"""Trays on the wire to a decode instance of the disaggregated kernel: a FIFO of requests in start
order (columns D_FLIGHT.. of its state row, linked through ``nxt``) and the time the earliest of
them lands (``d_land``). Shared by the landing event (kernels/disaggregated.py) and a lost
station's trays (kernels/split_faults.py)."""

from __future__ import annotations

import numpy as np
from numba import njit

from disagg_viz.sim.kernels.common import INLINE
from disagg_viz.sim.kernels.instance_faults import q_remove
from disagg_viz.sim.kernels.split_state import D_FLIGHT
from disagg_viz.sim.layout import R_TRANSFER_END


@njit(**INLINE)
def next_landing(ds, j, nxt, f, d_land):
    """Set ``d_land[j]``: the earliest landing among the trays still on the wire to j (inf: none)."""
    d_land[j] = np.inf
    q = ds[j, D_FLIGHT]
    for _ in range(ds[j, D_FLIGHT + 2]):
        if f[q, R_TRANSFER_END] < d_land[j]:
            d_land[j] = f[q, R_TRANSFER_END]
        q = nxt[q]
    return 0


@njit(**INLINE)
def pop_landing(ds, j, nxt, f, d_land):
    """Take the tray that lands first (the earliest landing, then the first started) off j's
    wire and return it; ``d_land[j]`` moves on to the next."""
    r = ds[j, D_FLIGHT]
    best = r
    for _ in range(ds[j, D_FLIGHT + 2]):
        if f[r, R_TRANSFER_END] < f[best, R_TRANSFER_END]:
            best = r
        r = nxt[r]
    r = best
    q_remove(ds, j, D_FLIGHT, nxt, r)
    next_landing(ds, j, nxt, f, d_land)
    return r
