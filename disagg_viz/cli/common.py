"""What every command shares: the one error type a command raises for bad input (printed as one
line, exit status 2) and loading the scenario a command names, with its ``--set`` overrides."""

from __future__ import annotations

from pathlib import Path

from disagg_viz.cli.compile_notice import announce_if_expected
from disagg_viz.resources import resolve_scenario_arg
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.model import Scenario
from disagg_viz.scenario.overrides import apply_overrides, check_lesson_settings
from disagg_viz.scenario.stdin import STDIN_ARG, STDIN_PATH, read_scenario_stdin


class CliError(Exception):
    """Bad input to a command: the message names the option, the value and what is allowed."""


def load_scenario_arg(arg: str, overrides: list[str]) -> tuple[Scenario, Path]:
    """The scenario a FILE argument names (a path, a shipped scenario's name or an image carrying
    one, or ``-`` for TOML on standard input) with ``KEY=VALUE`` overrides applied, and the path it
    was read from (for ``-``: ``<stdin>`` in the current folder, where its relative trace paths
    start). Its lesson steps' settings must still apply after the overrides (checked once, here)."""
    if arg == STDIN_ARG:
        path, scenario = STDIN_PATH, read_scenario_stdin()
    else:
        path = resolve_scenario_arg(arg)
        scenario = load_scenario(path)
    if overrides:
        scenario = apply_overrides(scenario, overrides)
        check_lesson_settings(scenario, source=str(path))
    announce_if_expected()             # a cold cache: say the simulator compiles now
    return scenario, path
