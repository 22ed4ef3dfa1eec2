"""``[[faults]]``: what breaks during a run, and when (docs/scenario-format.md, "Faults").

A link fault (``kind = "link"``): from ``at_s`` on, one station's KV port of a disaggregated
system runs at another link preset's or bandwidth's rate (an NVLink pair down falls back to PCIe);
shipments through it take the slower of their two ports; one already on the wire keeps its rate.

A lost instance (``kind = "instance-lost"``): from ``at_s`` (until ``until_s``, if given) one
station is gone: its waiting and running requests go back to be routed again and their lost KV is
rebuilt (sim/instance_faults.py has the rules).
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from disagg_viz.presets import LINKS

LinkId = Literal[tuple(LINKS)]  # type: ignore[valid-type]
KINDS = ("link", "instance-lost")


class FaultSection(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)

    at_s: float = Field(..., ge=0, le=1e9, description="when it breaks, seconds into the run")
    kind: Literal[KINDS] = Field("link", description="what breaks: \"link\" (a station's KV port degrades) or "  # type: ignore[valid-type]
                                 "\"instance-lost\" (the station itself is gone)")
    system: str = Field(..., min_length=1, max_length=80, description="name of the system it hits (a link fault: "
                        "a disaggregated one)")
    pool: Literal["prefill", "decode"] = Field("prefill", description="the pool of the station (a colocated "
                                               "system: leave it out)")
    instance: int = Field(1, ge=1, le=64, description="the station's number in its pool (1 = the first)")
    link: Optional[LinkId] = Field(None, description="link fault: the port's link from then on (a preset id)")
    link_gb_per_s: Optional[float] = Field(None, ge=0.001, le=10_000, description="or its bandwidth, GB/s per GPU "
                                           "per direction")
    until_s: Optional[float] = Field(None, ge=0, le=1e9, description="instance-lost: when the station is back "
                                     "(empty: never)")

    @model_validator(mode="after")
    def _says_what_remains(self):
        if self.kind == "link":
            if (self.link is None) == (self.link_gb_per_s is None):
                raise ValueError("a link fault needs exactly one of `link` (a preset id) or `link_gb_per_s`")
            if self.until_s is not None:
                raise ValueError(f"until_s = {self.until_s}: only a lost instance comes back (kind = "
                                 "\"instance-lost\"); a link fault lasts to the end of the run")
        else:
            if self.link is not None or self.link_gb_per_s is not None:
                raise ValueError("a lost instance has no `link` or `link_gb_per_s` (those are for kind = \"link\")")
            if self.until_s is not None and self.until_s <= self.at_s:
                raise ValueError(f"until_s = {self.until_s}: the station must be back after it is lost "
                                 f"(at_s = {self.at_s})")
        return self

    @property
    def gb_per_s(self) -> float:
        return self.link_gb_per_s if self.link_gb_per_s is not None else LINKS[self.link]


def check_faults(faults, systems) -> None:
    """Every fault names a system of the scenario and one of its stations; a lost instance leaves
    every pool at least one station at every moment (its requests must go somewhere), and one
    station is not lost twice at once."""
    by_name = {s.name: s for s in systems}
    for k, fault in enumerate(faults):
        s = by_name.get(fault.system)
        if s is None:
            raise ValueError(f"faults.{k}.system = {fault.system!r}: no system has that name; one of "
                             + ", ".join(repr(n) for n in by_name))
        if s.kind != "disaggregated":
            if fault.kind == "link":
                raise ValueError(f"faults.{k}.system = {fault.system!r}: a link fault needs a disaggregated system "
                                 f"(this one is {s.kind}, it has no KV link)")
            if fault.pool != "prefill":
                raise ValueError(f"faults.{k}.pool = {fault.pool!r}: {fault.system!r} is colocated, with one pool of "
                                 "stations: leave `pool` out")
            have = s.instances
        else:
            have = s.prefill_instances if fault.pool == "prefill" else s.decode_instances
            if fault.kind == "instance-lost" and s.layerwise_transfer:
                raise ValueError(f"faults.{k}.kind = \"instance-lost\": {fault.system!r} streams KV layer by layer "
                                 "(layerwise_transfer = true), which a lost instance does not model yet: set it false")
            if fault.kind == "instance-lost" and s.dynamic_pools is not None:
                raise ValueError(f"faults.{k}.kind = \"instance-lost\": {fault.system!r} has dynamic_pools (a planner "
                                 "moves its stations between the pools), which a lost instance does not model yet: "
                                 "remove [systems.dynamic_pools] or use a link fault")
        if fault.instance > have:
            raise ValueError(f"faults.{k}.instance = {fault.instance}: {fault.system!r} has {have} {fault.pool} "
                             f"station{'s' if have > 1 else ''} (1..{have})")
    _check_outages(faults, by_name)


def _check_outages(faults, by_name) -> None:
    lost = [(k, f) for k, f in enumerate(faults) if f.kind == "instance-lost"]
    for k, f in lost:
        end = f.until_s if f.until_s is not None else float("inf")
        same_pool = [(j, g) for j, g in lost if g.system == f.system and g.pool == f.pool]
        for j, g in same_pool:
            g_end = g.until_s if g.until_s is not None else float("inf")
            if j < k and g.instance == f.instance and g.at_s < end and f.at_s < g_end:
                raise ValueError(f"faults.{k}: {f.system!r} {f.pool} station {f.instance} is already lost then "
                                 f"(faults.{j}, from {g.at_s} s)")
        # at the moment this one starts, how many of the pool's stations are down?
        down = {g.instance for _, g in same_pool
                if g.at_s <= f.at_s < (g.until_s if g.until_s is not None else float("inf"))}
        s = by_name[f.system]
        have = s.instances if s.kind != "disaggregated" else (
            s.prefill_instances if f.pool == "prefill" else s.decode_instances)
        if len(down) >= have:
            pool = f"{f.pool} " if s.kind == "disaggregated" else ""
            raise ValueError(f"faults.{k}: at {f.at_s} s every {pool}station of {f.system!r} would be lost "
                             f"({have}): a pool keeps at least one, or its requests have nowhere to go")


def port_faults(faults, system) -> tuple[tuple[float, int, float], ...]:
    """(time s, global instance id, share of the link's rate) of the link faults on ``system``'s ports."""
    out = []
    for fault in faults:
        if fault.system != system.name or fault.kind != "link":
            continue
        port = fault.instance - 1 + (system.prefill_instances if fault.pool == "decode" else 0)
        out.append((fault.at_s, port, fault.gb_per_s / system.link_peak_gb_per_s))
    return tuple(out)


def instance_faults(faults, system) -> tuple[tuple[float, int, int], ...]:
    """(time s, global instance id, 1 when it comes back / 0 when it is lost) of ``system``'s lost
    instances, in time order (at one time: those coming back first, then file order)."""
    out = []
    for fault in faults:
        if fault.system != system.name or fault.kind != "instance-lost":
            continue
        split = system.kind == "disaggregated"
        inst = fault.instance - 1 + (system.prefill_instances if split and fault.pool == "decode" else 0)
        out.append((fault.at_s, inst, 0))
        if fault.until_s is not None:
            out.append((fault.until_s, inst, 1))
    return tuple(sorted(out, key=lambda x: (x[0], -x[2])))
