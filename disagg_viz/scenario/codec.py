"""A scenario as plain data and back: ``scenario_to_dict`` (file order, defaults left out) and
``scenario_from_dict`` (migrates older schema versions, validates, and names every problem with
its dotted key and, given the text, its line). No TOML and no files here (scenario/files.py)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from disagg_viz.scenario.errors import LEADING_KEY, MAX_LISTED, Problem, ScenarioError
from disagg_viz.scenario.model import SCHEMA_VERSION, Scenario

_SYSTEM_KINDS = ("colocated", "disaggregated")
MAX_PROBLEMS = 1000     # validation problems kept of a file (the first; a message lists 20 of them)


# Migrations from older schema versions: {from_version: function(dict) -> dict of from_version+1}.
def _v1_to_v2(data: dict) -> dict:
    """Version 2 only added optional sections ([view], [teacher], [lesson]): nothing to change."""
    return data


def _v2_to_v3(data: dict) -> dict:
    """Version 3 gives weights and KV cache their own precision: a [model] dtype_bytes of 2 or 1
    becomes weight_dtype and kv_dtype bf16 or fp8 (other values stay as dtype_bytes, still read)."""
    model = data.get("model")
    if isinstance(model, dict) and model.get("dtype_bytes") in (1, 2, 1.0, 2.0):
        model = dict(model)
        dtype = "fp8" if model.pop("dtype_bytes") == 1 else "bf16"
        model.setdefault("weight_dtype", dtype)
        model.setdefault("kv_dtype", dtype)
        data["model"] = model
    return data


MIGRATIONS: dict[int, Any] = {1: _v1_to_v2, 2: _v2_to_v3}


def key_line(text: str, loc: tuple) -> int | None:
    """Best-effort line number of a dotted key in the TOML text (1-based)."""
    lines = text.splitlines()
    section: str | None = None
    table_idx = -1
    want_table = loc[0] if loc else None
    want_idx = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    rest = [p for p in loc[1:] if not isinstance(p, int)]
    leaf = str(rest[-1] if rest else loc[-1]) if loc else None
    header_line = None
    for i, raw in enumerate(lines, 1):
        s = raw.strip()
        if s.startswith("[["):
            section = s.strip("[] ")
            if section == want_table:
                table_idx += 1
                if want_idx is None or table_idx == want_idx:
                    header_line = i
        elif s.startswith("["):
            section = s.strip("[] ")
            if section == want_table and len(loc) > 0:
                header_line = i
        else:
            key = s.split("=", 1)[0].strip().strip('"') if "=" in s else None
            if key is None:
                continue
            top = section is None and len(loc) == 1 and key == loc[0]
            in_sec = section == want_table and key == leaf and (want_idx is None or table_idx == want_idx)
            if top or in_sec:
                return i
    return header_line


def _problems_from_validation(exc: ValidationError, text: str) -> list[Problem]:
    problems = []
    errors = exc.errors(include_url=False)
    if len(errors) > MAX_PROBLEMS:                       # each costs a Problem; a message lists 20
        errors = errors[:MAX_PROBLEMS]
    for err in errors:
        loc = tuple(p for i, p in enumerate(err["loc"])
                    if not (isinstance(p, str) and p in _SYSTEM_KINDS and i == 2))
        key = ".".join(str(p) for p in loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            msg, value = "unknown key", None
        elif kind == "missing":
            msg, value = "required key is missing", None
        elif kind in ("union_tag_not_found", "union_tag_invalid"):
            loc = loc + ("kind",)
            key = ".".join(str(p) for p in loc)
            value = err.get("ctx", {}).get("tag") if kind == "union_tag_invalid" else None
            msg = "must be 'colocated' or 'disaggregated'" if value else "required key is missing ('colocated' or 'disaggregated')"
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            value = err.get("input")
            if isinstance(value, (dict, list)):
                value = None
            elif isinstance(value, float) and value != value:      # NaN: no range can hold it
                msg = "is not a number (nan): " + msg[0].lower() + msg[1:]
        # Lines only for the problems a message lists: each search reads the whole text, and a file
        # of 100,000 bad list items would otherwise take 100,000 searches (minutes).
        listed = text and len(problems) < MAX_LISTED
        if not loc and listed and (m := LEADING_KEY.match(msg)):
            # a whole-scenario rule whose message names its field ("faults.1.kind = ..."): its line
            loc = tuple(int(p) if p.isdigit() else p for p in m.group(1).split("."))
        problems.append(Problem(key, msg, value, key_line(text, loc) if listed else None))
    return problems


def scenario_from_dict(data: dict, text: str = "", source: str = "") -> Scenario:
    """Validate a parsed dict (migrating older schema versions)."""
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", "a scenario must be a TOML table")], source)
    version = data.get("schema_version")
    if version is None:
        raise ScenarioError([Problem("schema_version", f"required key is missing (this app writes {SCHEMA_VERSION})")], source)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ScenarioError([Problem("schema_version", "must be a whole number >= 1", version)], source)
    if version > SCHEMA_VERSION:
        raise ScenarioError([Problem(
            "schema_version",
            f"this file was written by a newer disagg-viz (version {version}); this app reads up to "
            f"version {SCHEMA_VERSION}: please update disagg-viz", None)], source)
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["schema_version"] = version
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems_from_validation(exc, text), source) from None
    return scenario


def scenario_to_dict(scenario: Scenario) -> dict:
    """Plain dict in file order; unset preset overrides are left out (TOML has no null), and so
    are the teaching sections while they hold only defaults (files stay short)."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    for section in ("view", "teacher", "lesson", "planner"):
        if section in data and getattr(scenario, section) == type(getattr(scenario, section))():
            data.pop(section, None)
    for key in ("rates", "bursts"):
        if data.get("workload", {}).get(key) == []:
            data["workload"].pop(key)
    for system in data.get("systems", []):
        for pool in ("prefill_hardware", "decode_hardware"):
            if system.get(pool) == {}:
                system.pop(pool)
    return data
