"""Scenario files: the model (pydantic), TOML load/save, dotted-key overrides. Qt-free."""

from disagg_viz.scenario.errors import ScenarioError
from disagg_viz.scenario.model import Scenario
from disagg_viz.scenario.files import load_scenario, loads_scenario, dump_scenario, save_scenario

__all__ = ["Scenario", "ScenarioError", "load_scenario", "loads_scenario", "dump_scenario", "save_scenario"]
