"""``[[faults]]``: what breaks during a run, and when (docs/scenario-format.md, "Faults").

A link fault: from ``at_s`` on, one station's KV port of a disaggregated system runs at another
link preset's or bandwidth's rate (an NVLink pair down falls back to PCIe); shipments through it
take the slower of their two ports; one already on the wire keeps its rate.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from disagg_viz.presets import LINKS

LinkId = Literal[tuple(LINKS)]  # type: ignore[valid-type]


class FaultSection(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)

    at_s: float = Field(..., ge=0, le=1e9, description="when it breaks, seconds into the run")
    kind: Literal["link"] = Field("link", description="what breaks: \"link\" (a station's KV port degrades)")
    system: str = Field(..., min_length=1, max_length=80, description="name of the disaggregated system it hits")
    pool: Literal["prefill", "decode"] = Field("prefill", description="the pool of the station whose port degrades")
    instance: int = Field(1, ge=1, le=64, description="the station's number in its pool (1 = the first)")
    link: Optional[LinkId] = Field(None, description="the port's link from then on (a preset id)")
    link_gb_per_s: Optional[float] = Field(None, ge=0.001, le=10_000, description="or its bandwidth, GB/s per GPU "
                                           "per direction")

    @model_validator(mode="after")
    def _says_what_remains(self):
        if (self.link is None) == (self.link_gb_per_s is None):
            raise ValueError("a link fault needs exactly one of `link` (a preset id) or `link_gb_per_s`")
        return self

    @property
    def gb_per_s(self) -> float:
        return self.link_gb_per_s if self.link_gb_per_s is not None else LINKS[self.link]


def check_faults(faults, systems) -> None:
    """Every fault names a disaggregated system of the scenario and one of its stations."""
    by_name = {s.name: s for s in systems}
    for k, fault in enumerate(faults):
        s = by_name.get(fault.system)
        if s is None:
            raise ValueError(f"faults.{k}.system = {fault.system!r}: no system has that name; one of "
                             + ", ".join(repr(n) for n in by_name))
        if s.kind != "disaggregated":
            raise ValueError(f"faults.{k}.system = {fault.system!r}: a link fault needs a disaggregated system "
                             f"(this one is {s.kind}, it has no KV link)")
        have = s.prefill_instances if fault.pool == "prefill" else s.decode_instances
        if fault.instance > have:
            raise ValueError(f"faults.{k}.instance = {fault.instance}: {fault.system!r} has {have} {fault.pool} "
                             f"station{'s' if have > 1 else ''} (1..{have})")


def port_faults(faults, system) -> tuple[tuple[float, int, float], ...]:
    """(time s, global instance id, share of the link's rate) of the faults on ``system``'s ports."""
    out = []
    for fault in faults:
        if fault.system != system.name:
            continue
        port = fault.instance - 1 + (system.prefill_instances if fault.pool == "decode" else 0)
        out.append((fault.at_s, port, fault.gb_per_s / system.link_peak_gb_per_s))
    return tuple(out)
