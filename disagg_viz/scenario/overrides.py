"""``--set KEY=VALUE`` overrides with dotted keys and list indices (``systems.1.link_gb_per_s=5``),
and the check that every lesson step's settings (overrides themselves) apply to their scenario."""

from __future__ import annotations

import copy
import tomllib

from disagg_viz.scenario.codec import key_line, scenario_from_dict, scenario_to_dict
from disagg_viz.scenario.errors import Problem, ScenarioError
from disagg_viz.scenario.model import Scenario
from disagg_viz.scenario.teaching import LessonSection
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


def _indices(n: int) -> str:
    """What a list of n entries takes as an index."""
    return f"0 to {n - 1}; {n} adds a table to the list" if n else "the list is empty; 0 adds a table to it"


def set_dotted(data: dict, key: str, value) -> None:
    if key.count(".") >= MAX_KEY_PARTS:                 # before splitting: a 300k-part key is refused in O(n)
        raise ScenarioError([Problem(".".join(key.split(".", 3)[:3]) + ".…",
                                     f"a key has more than {MAX_KEY_PARTS} dotted parts ({len(key):,} characters)")])
    parts = key.split(".")
    if "" in parts:                                     # '.faults' set a key named '' ("file: unknown key")
        raise ScenarioError([Problem(key, "a part of the key is empty (a dot at its start or end, or two dots in a "
                                          "row): keys are dotted names such as workload.prompt_tokens or "
                                          "faults.0.at_s")])
    node = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        here = ".".join(parts[: i + 1])
        if isinstance(node, list):
            if not (part.isascii() and part.isdigit()):   # '²'.isdigit() is True, int('²') fails
                raise ScenarioError([Problem(here, f"'{part}' is not a list index ({_indices(len(node))})")])
            idx = int(part)
            if idx == len(node):
                # the next entry ("workload.rates.2.rate" adds step 2; "faults.0={at_s=60, ...}" a whole table)
                node.append(value if last else {})
            elif idx > len(node):
                raise ScenarioError([Problem(here, f"index {idx} is out of range ({_indices(len(node))})")])
            if last:
                node[idx] = value
            else:
                node = node[idx]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                if part not in node:         # a list where the next part is an index (a list of tables)
                    following = parts[i + 1]
                    node[part] = [] if following.isascii() and following.isdigit() else {}
                node = node[part]
        else:
            raise ScenarioError([Problem(here, "is a value, not a table: cannot set a key inside it")])


def apply_overrides(scenario: Scenario, assignments: list[str] | dict) -> Scenario:
    """A new, validated scenario with the overrides applied; the input is not modified. The lesson
    steps' settings are checked again only when an override edits the lesson itself: they were
    checked when the scenario was read, and a lesson applies them to the scenario it was read with
    (playback/lesson.py), never to an edited one."""
    data = copy.deepcopy(scenario_to_dict(scenario))
    items = list(assignments.items() if isinstance(assignments, dict) else map(parse_assignment, assignments))
    for key, value in items:
        set_dotted(data, key, value)
    new = scenario_from_dict(data)
    if any(key.split(".", 1)[0] == "lesson" for key, _ in items):
        check_lesson_settings(new)
    return new


MAX_LESSON_PLANNER_LAYOUTS = 200    # layouts the planner compares for a lesson's claims (~0.1 s each)


def planner_layouts(gpus: int, pairings: int = 1) -> int:
    """About how many layouts the planner compares for ``gpus`` GPUs: colocated at each TP and every
    xPyD split at each TP pair, ~4.1 per GPU (66 at 16 GPUs; a little more than the planner's count
    below that), times the pairings of the GPU presets it may mix ([planner] gpus: each pool of a
    split may take any)."""
    return -(-33 * gpus // 8) * pairings


def check_lesson_settings(scenario: Scenario, text: str = "", source: str = "") -> None:
    """Every lesson step's settings must apply to the scenario (known keys, allowed values); each
    problem is named by its lesson key (and line, given the file's text)."""
    if not scenario.lesson.steps:
        return
    problems = []
    bare = scenario.model_copy(update={"lesson": LessonSection()})
    layouts = 0                                          # the planner's work for the lesson's planner claims
    pairings = max(1, len(scenario.planner.gpus)) ** 2
    for k, step in enumerate(scenario.lesson.steps):
        for j, claim in enumerate(step.claims):
            if claim.planner_gpus is None:
                continue
            layouts += planner_layouts(claim.planner_gpus, pairings)
            if layouts > MAX_LESSON_PLANNER_LAYOUTS:
                problems.append(Problem(
                    f"lesson.steps.{k}.claims.{j}.planner_gpus",
                    f"the lesson's planner claims would compare about {layouts:,} layouts by here (at most "
                    f"{MAX_LESSON_PLANNER_LAYOUTS}: check-lessons and the worksheet run them all): claim fewer "
                    f"GPUs, or fewer planner claims", claim.planner_gpus))
                raise ScenarioError(problems, source)
        if not step.settings:
            continue
        try:
            apply_overrides(bare, step.settings)
        except ScenarioError as exc:
            for p in exc.problems:
                key = f"lesson.steps.{k}.settings.{p.key}"
                problems.append(Problem(key, p.message, p.value, key_line(text, ("lesson", "steps", k, "settings"))
                                        if text else None))
    if problems:
        raise ScenarioError(problems, source)
