"""Which stations share an NVLink domain: an 8-GPU node of HGX GPUs, a 72-GPU rack of GB200 NVL72.
Qt-free; the kitchens draw a tinted frame around each group (ui/kitchen).

GPUs sit in order, as the engines place them (sim/specs.py LinkSpec.same_domain): the prefill
pool's instances from GPU 0, the decode pool's after them, each instance on ``tp`` consecutive
GPUs (with ep > 1, its ep GPUs). A pool on another GPU type (or another domain size) sits on
machines of its own: its domains are numbered after the first pool's.
"""

from __future__ import annotations

from dataclasses import dataclass

from disagg_viz.i18n import _
from disagg_viz.presets import GPUS_PER_NODE


@dataclass(frozen=True)
class DomainSpan:
    first: int          # 0-based index of the first NVLink domain the station's GPUs sit in
    last: int           # and of the last (> first: the instance spans domains, over the NICs)
    gpus: int           # GPUs per domain (8: a node; 72: an NVL72 rack)

    def label(self) -> str:
        """'node 2', 'nodes 1-4', 'NVL72 rack 1', 'NVL72 racks 1-2' (1-based)."""
        a, b = self.first + 1, self.last + 1
        if self.gpus > GPUS_PER_NODE:
            kind = f"NVL{self.gpus}"
            return (_("{kind} rack {n}").format(kind=kind, n=a) if a == b
                    else _("{kind} racks {a}-{b}").format(kind=kind, a=a, b=b))
        return _("node {n}").format(n=a) if a == b else _("nodes {a}-{b}").format(a=a, b=b)


def station_domains(spec) -> dict[int, DomainSpan]:
    """Global instance id -> the domains its GPUs sit in; empty when the whole system sits in one
    domain (nothing to tell apart: lessons 1-6 on a few GPUs of one node)."""
    out: dict[int, DomainSpan] = {}
    gpu0 = 0
    prev = None
    for pool in spec.pools:
        d = int(pool.hardware.get("nvlink_domain_gpus", GPUS_PER_NODE)) or GPUS_PER_NODE
        if prev is not None and (prev != (pool.gpu, d)):
            gpu0 = -(-gpu0 // d) * d             # other machines: start on a fresh domain
        prev = (pool.gpu, d)
        g = max(int(pool.tp), 1)
        for k, i in enumerate(pool.ids):
            first = gpu0 + k * g
            out[i] = DomainSpan(first // d, (first + g - 1) // d, d)
        gpu0 += pool.instances * g
    if len({(s.first, s.last) for s in out.values()}) <= 1 and all(s.first == s.last for s in out.values()):
        return {}
    return out
