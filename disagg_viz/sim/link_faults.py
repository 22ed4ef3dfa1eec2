"""Link faults as the engines read them: a port's share of the link's rate at a time.

Plain Python on the link row (sim/layout.py LK_*, FT_*), so the reference engine calls it and the
Numba kernel compiles the same function. A shipment starting at ``t`` runs at the link's port rate
times the smaller share of its two ports; one already on the wire keeps its rate.
"""

from __future__ import annotations

from disagg_viz.sim.layout import FT_COLS, FT_FACTOR, FT_PORT, FT_TIME, LK_COLS, LK_FAULTS


def port_share(link, port, t):
    """Share of the link's rate the port of global instance ``port`` has at time ``t`` (1.0 unless
    a fault at or before ``t`` changed it; the last such fault wins)."""
    share = 1.0
    for k in range(int(link[LK_FAULTS])):
        base = LK_COLS + FT_COLS * k
        if link[base + FT_TIME] <= t and link[base + FT_PORT] == port:
            share = link[base + FT_FACTOR]
    return share


def shipment_rate(link_bw, link, sender, receiver, t):
    """Bytes/s of a shipment between two ports starting at ``t``: the slower port's share (the
    loop of ``port_share`` over both ports at once, self-contained so that Numba compiles it)."""
    a = 1.0
    b = 1.0
    for k in range(int(link[LK_FAULTS])):
        base = LK_COLS + FT_COLS * k
        if link[base + FT_TIME] <= t:
            if link[base + FT_PORT] == sender:
                a = link[base + FT_FACTOR]
            if link[base + FT_PORT] == receiver:
                b = link[base + FT_FACTOR]
    return link_bw * (a if a < b else b)
