"""Faults added or taken back from the kitchen (a station's context menu), as the dotted-key edits
the controller applies (``scenario.overrides``): lose a station now, bring a lost one back now,
break its KV port now, clear a system's faults. Qt-free; the times are rounded to 0.1 s so the
saved file reads as a person would write it."""

from __future__ import annotations

from disagg_viz.presets import LINKS

FALLBACK_LINK = "pcie4"       # an NVLink pair down falls back to PCIe (lesson 5)


def _at(t: float) -> float:
    return round(max(float(t), 0.0), 1)


def _add(scenario, entry: dict) -> dict:
    """Edits that append ``entry`` to the scenario's [[faults]] (one past the end adds a table)."""
    n = len(scenario.faults)
    return {f"faults.{n}.{key}": value for key, value in entry.items()}


def _station(system, role_pool: str, number: int) -> dict:
    entry = {"system": system.name, "instance": int(number)}
    if system.kind == "disaggregated":
        entry["pool"] = role_pool
    return entry


def lose_station(scenario, system, pool: str, number: int, t: float) -> dict:
    """Station ``number`` of ``pool`` ("prefill"/"decode"; a colocated system's one pool: any) is
    lost from ``t`` on, never back (its context menu can bring it back later)."""
    return _add(scenario, {"at_s": _at(t), "kind": "instance-lost", **_station(system, pool, number)})


def lost_entry(scenario, system, pool: str, number: int, t: float) -> int | None:
    """The index of the [[faults]] entry that has this station lost at ``t`` (None: none)."""
    for k, fault in enumerate(scenario.faults):
        if fault.kind != "instance-lost" or fault.system != system.name or fault.instance != number:
            continue
        if system.kind == "disaggregated" and fault.pool != pool:
            continue
        if fault.at_s <= t and (fault.until_s is None or t < fault.until_s):
            return k
    return None


def bring_back(scenario, system, pool: str, number: int, t: float) -> dict:
    """The lost station is back, empty, at ``t`` (at least 0.1 s after it was lost)."""
    k = lost_entry(scenario, system, pool, number, t)
    if k is None:
        return {}
    return {f"faults.{k}.until_s": max(_at(t), round(scenario.faults[k].at_s + 0.1, 1))}


def port_fallback(port_gb_per_s: float) -> tuple[dict, float]:
    """What a broken KV port falls back to: PCIe Gen4 when the link is faster, else a quarter of
    its rate. Returns (the fault's link fields, its GB/s)."""
    if port_gb_per_s > LINKS[FALLBACK_LINK]:
        return {"link": FALLBACK_LINK}, LINKS[FALLBACK_LINK]
    slow = round(port_gb_per_s / 4, 3)
    return {"link_gb_per_s": slow}, slow


def break_port(scenario, system, pool: str, number: int, t: float, port_gb_per_s: float) -> dict:
    """The station's KV port runs at ``port_fallback``'s rate from ``t`` on."""
    link, _ = port_fallback(port_gb_per_s)
    return _add(scenario, {"at_s": _at(t), "kind": "link", **_station(system, pool, number), **link})


def clear_faults(scenario, system) -> dict:
    """Every [[faults]] entry of ``system`` taken away (the others kept, in their order)."""
    kept = [f.model_dump(exclude_none=True) for f in scenario.faults if f.system != system.name]
    return {"faults": kept}
