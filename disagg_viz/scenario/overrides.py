"""``--set KEY=VALUE`` overrides with dotted keys and list indices (``systems.1.link_gb_per_s=5``)."""

from __future__ import annotations

import copy
import tomllib

from disagg_viz.scenario.errors import Problem, ScenarioError
from disagg_viz.scenario.files import scenario_to_dict, scenario_from_dict
from disagg_viz.scenario.model import Scenario
from disagg_viz.scenario.toml_shape import MAX_KEY_PARTS


def parse_value(text: str):
    """A TOML value (number, bool, string, array); anything else is taken as a bare string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except ValueError:                                  # incl. an integer past Python's 4,300 digits
        return text


def parse_assignment(item: str) -> tuple[str, object]:
    if "=" not in item:
        raise ScenarioError([Problem(item, "an override must look like KEY=VALUE, e.g. workload.prompt_tokens=8192")])
    key, value = item.split("=", 1)
    key = key.strip()
    if not key:
        raise ScenarioError([Problem(item, "the key before '=' is empty")])
    return key, parse_value(value.strip())


def set_dotted(data: dict, key: str, value) -> None:
    if key.count(".") >= MAX_KEY_PARTS:                 # before splitting: a 300k-part key is refused in O(n)
        raise ScenarioError([Problem(".".join(key.split(".", 3)[:3]) + ".…",
                                     f"a key has more than {MAX_KEY_PARTS} dotted parts ({len(key):,} characters)")])
    parts = key.split(".")
    node = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        here = ".".join(parts[: i + 1])
        if isinstance(node, list):
            if not (part.isascii() and part.isdigit()):   # '²'.isdigit() is True, int('²') fails
                raise ScenarioError([Problem(here, f"'{part}' is not a list index (0 to {len(node) - 1})")])
            idx = int(part)
            if idx >= len(node):
                raise ScenarioError([Problem(here, f"index {idx} is out of range (0 to {len(node) - 1})")])
            if last:
                node[idx] = value
            else:
                node = node[idx]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                if part not in node:
                    node[part] = {}
                node = node[part]
        else:
            raise ScenarioError([Problem(here, "is a value, not a table: cannot set a key inside it")])


def apply_overrides(scenario: Scenario, assignments: list[str] | dict) -> Scenario:
    """A new, validated scenario with the overrides applied; the input is not modified."""
    data = copy.deepcopy(scenario_to_dict(scenario))
    items = assignments.items() if isinstance(assignments, dict) else map(parse_assignment, assignments)
    for key, value in items:
        set_dotted(data, key, value)
    return scenario_from_dict(data)
