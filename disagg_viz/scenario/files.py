"""Reading and writing scenario TOML: size limit, parse errors with lines, then validation
(scenario/codec.py: version migration, every problem at once) and a check that every lesson
step's settings apply (once, on reading); atomic saves."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import tomli_w

from disagg_viz.atomic_file import atomic_write_text
from disagg_viz.bounded_read import map_bounded
from disagg_viz.scenario.codec import scenario_from_dict, scenario_to_dict
from disagg_viz.scenario.embedded import MAX_IMAGE_BYTES, image_kind, scenario_text_from_image
from disagg_viz.scenario.errors import Problem, ScenarioError, short
from disagg_viz.scenario.model import Scenario
from disagg_viz.scenario.overrides import check_lesson_settings
from disagg_viz.scenario.toml_shape import MAX_DEPTH, shape_problem

MAX_FILE_BYTES = 1_000_000


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


def loads_scenario(text: str, source: str = "") -> Scenario:
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError([Problem("", f"file is too large ({len(text):,} characters; at most {MAX_FILE_BYTES:,})")], source)
    scenario = scenario_from_dict(_parse_toml(text, source), text, source)
    check_lesson_settings(scenario, text, source)
    return scenario


def load_scenario(path: str | os.PathLike) -> Scenario:
    """A scenario from a TOML file, or from a PNG/GIF that carries one (exported by the app)."""
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


def dump_scenario(scenario: Scenario) -> str:
    return tomli_w.dumps(scenario_to_dict(scenario))


def save_scenario(scenario: Scenario, path: str | os.PathLike) -> None:
    """Atomic save: write a temporary file beside the target, then rename over it."""
    atomic_write_text(path, dump_scenario(scenario))
