"""Reading and writing scenario TOML: size limit, parse errors with lines, version migration,
every validation problem at once, atomic saves."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from disagg_viz.atomic_file import atomic_write_text
from disagg_viz.scenario.errors import MAX_LISTED, Problem, ScenarioError, short
from disagg_viz.scenario.model import SCHEMA_VERSION, Scenario
from disagg_viz.scenario.toml_shape import MAX_DEPTH, shape_problem

MAX_FILE_BYTES = 1_000_000
_SYSTEM_KINDS = ("colocated", "disaggregated")

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
MAX_PROBLEMS = 1000     # validation problems kept of a file (the first; a message lists 20 of them)


def _parse_toml(text: str, source: str) -> dict:
    problem = shape_problem(text)
    if problem is not None:
        raise ScenarioError([problem], source)
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ScenarioError([Problem("", f"nested too deep (at most {MAX_DEPTH} levels)")], source) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise ScenarioError([Problem("", f"not valid TOML: {msg}", line=line)], source) from None
    except ValueError as exc:                            # tomllib's int() on a number the pre-scan let through
        raise ScenarioError([Problem("", f"not valid TOML: {short(str(exc))}")], source) from None


def _key_line(text: str, loc: tuple) -> int | None:
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
        # Lines only for the problems a message lists: each search reads the whole text, and a file
        # of 100,000 bad list items would otherwise take 100,000 searches (minutes).
        listed = text and len(problems) < MAX_LISTED
        problems.append(Problem(key, msg, value, _key_line(text, loc) if listed else None))
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
    _check_lesson_settings(scenario, text, source)
    return scenario


MAX_LESSON_PLANNER_LAYOUTS = 200    # layouts the planner compares for a lesson's claims (~0.1 s each)


class _Enough(Exception):
    """The lesson's planner budget is spent: one problem says so."""


def _planner_layouts(scenario: Scenario, gpus: int) -> int:
    from disagg_viz.explore.planner import candidates
    return len(candidates(scenario, gpus))


def _check_lesson_settings(scenario: Scenario, text: str, source: str) -> None:
    """Every lesson step's settings must apply to the scenario (known keys, allowed values)."""
    if not scenario.lesson.steps:
        return
    from disagg_viz.scenario.overrides import apply_overrides
    from disagg_viz.scenario.teaching import LessonSection
    problems = []
    bare = scenario.model_copy(update={"lesson": LessonSection()})
    layouts = 0                                          # the planner's work for the lesson's planner claims
    for k, step in enumerate(scenario.lesson.steps):
        planner_claims = [(j, c) for j, c in enumerate(step.claims) if c.planner_gpus is not None]
        if not step.settings and not planner_claims:
            continue
        try:
            stepped = apply_overrides(bare, step.settings) if step.settings else bare
            for j, claim in planner_claims:
                layouts += _planner_layouts(stepped, claim.planner_gpus)
                if layouts > MAX_LESSON_PLANNER_LAYOUTS:
                    problems.append(Problem(
                        f"lesson.steps.{k}.claims.{j}.planner_gpus",
                        f"the lesson's planner claims would compare {layouts:,} layouts by here (at most "
                        f"{MAX_LESSON_PLANNER_LAYOUTS}: check-lessons and the worksheet run them all): claim fewer "
                        f"GPUs, or fewer planner claims", claim.planner_gpus))
                    raise _Enough
        except _Enough:
            break
        except ScenarioError as exc:
            for p in exc.problems:
                key = f"lesson.steps.{k}.settings.{p.key}"
                problems.append(Problem(key, p.message, p.value, _key_line(text, ("lesson", "steps", k, "settings"))
                                        if text else None))
    if problems:
        raise ScenarioError(problems, source)


def loads_scenario(text: str, source: str = "") -> Scenario:
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError([Problem("", f"file is too large ({len(text):,} characters; at most {MAX_FILE_BYTES:,})")], source)
    return scenario_from_dict(_parse_toml(text, source), text, source)


def load_scenario(path: str | os.PathLike) -> Scenario:
    """A scenario from a TOML file, or from a PNG/GIF that carries one (exported by the app)."""
    from disagg_viz.bounded_read import map_bounded
    from disagg_viz.scenario.embedded import MAX_IMAGE_BYTES, image_kind, scenario_text_from_image
    path = Path(path)
    source = str(path)
    try:
        raw = map_bounded(path, max(MAX_IMAGE_BYTES, MAX_FILE_BYTES))
    except IsADirectoryError:
        raise ScenarioError([Problem("", "is a folder, not a scenario file")], source) from None
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot open: {exc.strerror or exc}")], source) from None
    try:
        kind = image_kind(raw[:8])
        limit = MAX_IMAGE_BYTES if kind else MAX_FILE_BYTES
        if len(raw) > limit:
            raise ScenarioError([Problem("", f"file is too large ({len(raw):,} bytes; at most {limit:,})")], source)
        if kind:
            return loads_scenario(scenario_text_from_image(path, raw), source)
        data = bytes(raw)                                # text is under the cap: a copy is cheap
    finally:
        if not isinstance(raw, bytes):
            raw.close()                                  # memory-mapped (a large file)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem("", f"not UTF-8 text (byte {exc.start})")], source) from None
    return loads_scenario(text, source)


def scenario_to_dict(scenario: Scenario) -> dict:
    """Plain dict in file order; unset preset overrides are left out (TOML has no null), and so
    are the teaching sections while they hold only defaults (files stay short)."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    for section in ("view", "teacher", "lesson", "planner"):
        if section in data and getattr(scenario, section) == type(getattr(scenario, section))():
            data.pop(section, None)
    for system in data.get("systems", []):
        for pool in ("prefill_hardware", "decode_hardware"):
            if system.get(pool) == {}:
                system.pop(pool)
    return data


def dump_scenario(scenario: Scenario) -> str:
    return tomli_w.dumps(scenario_to_dict(scenario))


def save_scenario(scenario: Scenario, path: str | os.PathLike) -> None:
    """Atomic save: write a temporary file beside the target, then rename over it."""
    atomic_write_text(path, dump_scenario(scenario))
