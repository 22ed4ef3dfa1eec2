"""Sweep axes: ``KEY=LO:HI:N[log]``. KEY is a dotted scenario key (``systems.*`` edits every
system that has the field) or a short name: prompt, output, rate, link, split, chunk. Also the
up-front checks of a crossover map's inputs (both axes apply; the scenario has both kinds)."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from disagg_viz.scenario.errors import Problem, ScenarioError
from disagg_viz.scenario.codec import scenario_from_dict, scenario_to_dict
from disagg_viz.scenario.model import Scenario, has_pools, system_fields
from disagg_viz.scenario.overrides import set_dotted
from disagg_viz.sim.specs import scenario_specs

ALIASES = {
    "prompt": "workload.prompt_tokens",
    "output": "workload.output_tokens",
    "rate": "workload.arrival_rate",
    "link": "systems.*.link_gb_per_s",
    "chunk": "systems.*.chunk_tokens",
    "split": "split",              # prefill instances of every disaggregated system; decode gets the rest
}
LABELS = {
    "workload.prompt_tokens": ("prompt length", "tokens"),
    "workload.output_tokens": ("output length", "tokens"),
    "workload.arrival_rate": ("arrival rate", "req/s"),
    "systems.*.link_gb_per_s": ("link bandwidth", "GB/s"),
    "systems.*.chunk_tokens": ("chunk size", "tokens"),
    "split": ("prefill instances (of the pool)", "instances"),
}
MAX_POINTS = 256


@dataclass(frozen=True)
class Axis:
    key: str
    values: tuple[float, ...]
    log: bool

    @property
    def label(self) -> str:
        name, unit = LABELS.get(self.key, (self.key, ""))
        return f"{name} ({unit})" if unit else name


def parse_axis(text: str, option: str = "--x") -> Axis:
    def bad(msg: str) -> ScenarioError:
        return ScenarioError([Problem(option, msg + "; expected KEY=LO:HI:N or KEY=LO:HI:Nlog, "
                                      "e.g. prompt=256:32768:16log", text)])
    if "=" not in text:
        raise bad("no '='")
    key, spec = (s.strip() for s in text.split("=", 1))
    key = ALIASES.get(key, key)
    parts = spec.split(":")
    if len(parts) != 3:
        raise bad("the range needs three parts")
    log = parts[2].endswith("log")
    try:
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2][:-3] if log else parts[2])
    except ValueError:
        raise bad("LO and HI must be numbers and N a whole number") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        raise bad("needs finite LO <= HI")
    if not 1 <= n <= MAX_POINTS:
        raise bad(f"N must be between 1 and {MAX_POINTS}")
    if log and lo <= 0:
        raise bad("a log axis needs LO > 0")
    values = np.geomspace(lo, hi, n) if log else np.linspace(lo, hi, n)
    return Axis(key, tuple(float(v) for v in values), log)


def require_both_kinds(scenario) -> tuple[list[int], list[int]]:
    """Indices of the disaggregated and the colocated systems; an error unless there are both."""
    specs = scenario_specs(scenario)
    dis = [k for k, s in enumerate(specs) if s.is_split]
    col = [k for k, s in enumerate(specs) if not s.is_split]
    if not dis or not col:
        raise ScenarioError([Problem("systems", "the crossover map needs at least one colocated and one "
                                                "disaggregated system")])
    return dis, col


def check_axes(scenario, x: Axis, y: Axis) -> None:
    """Both ends of both axes apply to the scenario: a bad axis is one clear error up front,
    not one per cell."""
    require_both_kinds(scenario)
    for axis, other in ((x, y), (y, x)):
        for v in (axis.values[0], axis.values[-1]):
            apply_axis_values(scenario, [(axis, v), (other, other.values[0])])


def _targets(data: dict, key: str) -> list[tuple[str, object]]:
    """Concrete dotted keys for ``key`` (``*`` expands over systems having the field)."""
    if key == "split":
        return [(f"systems.{k}", s) for k, s in enumerate(data["systems"]) if has_pools(s)]
    if "*" not in key:
        return [(key, None)]
    head, _, field = key.partition(".*.")
    if head != "systems":
        raise ScenarioError([Problem(key, "'*' is allowed only as systems.*.FIELD")])
    return [(f"systems.{k}.{field}", s) for k, s in enumerate(data.get("systems", []))
            if field in system_fields(s)]


def _field(data: dict, dotted: str):
    """The pydantic field a dotted key names (None if unknown: validation will say so)."""
    parts = dotted.split(".")
    if parts[0] == "systems" and len(parts) == 3 and parts[1].isdigit():
        return system_fields(data["systems"][int(parts[1])]).get(parts[2])
    section = Scenario.model_fields.get(parts[0])
    if section is None or len(parts) != 2:
        return section
    return section.annotation.model_fields.get(parts[1]) if hasattr(section.annotation, "model_fields") else None


def _is_int_key(data: dict, dotted: str) -> bool:
    f = _field(data, dotted)
    return f is not None and "int" in str(f.annotation) and "float" not in str(f.annotation)


def apply_axis_values(scenario, assignments: list[tuple[Axis, float]]):
    """A validated scenario with each axis set to its value (integers where the key takes them)."""
    data = copy.deepcopy(scenario_to_dict(scenario))
    for axis, value in assignments:
        targets = _targets(data, axis.key)
        if not targets:
            raise ScenarioError([Problem(axis.key, "no system of this scenario has this field")])
        for dotted, system in targets:
            if axis.key == "split":
                total = system["prefill_instances"] + system["decode_instances"]
                x = int(round(value))
                if not 1 <= x < total:
                    raise ScenarioError([Problem("split", f"needs 1 <= prefill instances < {total} "
                                                          "(the pool's instances)", x)])
                set_dotted(data, f"{dotted}.prefill_instances", x)
                set_dotted(data, f"{dotted}.decode_instances", total - x)
                continue
            set_dotted(data, dotted, int(round(value)) if _is_int_key(data, dotted) else float(value))
    return scenario_from_dict(data)
