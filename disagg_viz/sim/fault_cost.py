"""What a scenario's [[faults]] cost a system, for its JSON summary (``fault_cost``)."""

from __future__ import annotations

import numpy as np

from disagg_viz.sim.layout import (
    IF_EXTRA_PREFILL, IF_INST, IF_REQUEUED, IF_RESHIPPED, IF_TIME, IF_UP, SH_BYTES, SH_PORTS_FREE, SH_WIRE_START,
)


def has_faults(res) -> bool:
    return bool((res.spec.has_link and res.spec.link.faults) or res.spec.instance_faults)


def station_name(spec, inst: int) -> str:
    """'prefill 1', 'decode 2' (a split system's pools), 'station 3' (a colocated one)."""
    if not spec.is_split:
        return f"station {inst + 1}"
    n_p = spec.prefill_pool.instances
    return f"prefill {inst + 1}" if inst < n_p else f"decode {inst - n_p + 1}"


def lost_instances(res) -> list[dict]:
    """One record per lost instance: which, from when to when (None: never back), and what it
    cost: requests routed again, prompt tokens prefilled again, KV bytes shipped again."""
    rows = res.lost if res.lost is not None else np.zeros((0, IF_UP + 1))
    out = []
    for k, row in enumerate(rows):
        if row[IF_UP] != 0.0:
            continue
        inst = int(row[IF_INST])
        back = next((float(b[IF_TIME]) for b in rows[k + 1:] if b[IF_UP] != 0.0 and int(b[IF_INST]) == inst), None)
        out.append({"station": station_name(res.spec, inst), "at_s": float(row[IF_TIME]), "until_s": back,
                    "requests_requeued": int(row[IF_REQUEUED]), "extra_prefill_tokens": int(row[IF_EXTRA_PREFILL]),
                    "kv_reshipped_bytes": float(row[IF_RESHIPPED])})
    return out


def fault_cost(res) -> dict:
    """Link faults: shipments that ran slower than the healthy link (requests delayed) and the
    wire time they added; lost instances (``lost_instances``, one record each): requests routed
    again (delayed too), prompt tokens prefilled again, KV shipped again."""
    delayed, extra_wire, faults = 0, 0.0, 0
    if res.spec.has_link and res.spec.link.faults:
        link = res.spec.link
        sh = res.ship
        wire = sh[:, SH_PORTS_FREE] - sh[:, SH_WIRE_START]
        healthy = sh[:, SH_BYTES] / link.port_bytes_per_s
        slow = ~np.isnan(wire) & (wire > healthy * (1 + 1e-9))
        delayed, extra_wire, faults = int(slow.sum()), float(np.sum(wire[slow] - healthy[slow])), len(link.faults)
    out = {"faults": faults, "requests_delayed": delayed, "extra_wire_s": extra_wire, "extra_prefill_tokens": 0}
    lost = lost_instances(res)
    if lost:
        out["faults"] += len(lost)
        out["requests_delayed"] += sum(x["requests_requeued"] for x in lost)
        out["extra_prefill_tokens"] = sum(x["extra_prefill_tokens"] for x in lost)
        out["kv_reshipped_bytes"] = sum(x["kv_reshipped_bytes"] for x in lost)
        out["lost_instances"] = lost
    return out
