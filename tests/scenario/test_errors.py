"""How a problem reads (scenario/errors.py): a whole-scenario rule whose message names its field
(the [[faults]] checks) reads as that field with its line, not as 'file: ...'."""

import pytest

from disagg_viz.scenario import ScenarioError, loads_scenario
from disagg_viz.scenario.errors import Problem

SPLIT = """schema_version = 3
[[systems]]
name = "S"
kind = "disaggregated"
prefill_instances = 1
decode_instances = 1
link = "pcie4"
layerwise_transfer = {layerwise}

[[faults]]
kind = "instance-lost"
system = "{system}"
at_s = 1.0
"""


@pytest.mark.parametrize("layerwise,system,expected", [
    ("true", "S", "faults.0.kind (line 11) = \"instance-lost\": 'S' streams KV layer by layer"),
    ("false", "nope", "faults.0.system (line 12) = 'nope': no system has that name; one of 'S'"),
    ("false", "S", "faults.0 (line 10): at 1.0 s every prefill station of 'S' would be lost (1)"),
])
def test_a_fault_rule_names_its_field_and_line(layerwise, system, expected):
    with pytest.raises(ScenarioError) as exc:
        loads_scenario(SPLIT.format(layerwise=layerwise, system=system))
    text = str(exc.value)
    assert text.startswith(expected) and "file:" not in text


def test_a_problem_of_the_whole_file_still_says_file():
    assert str(Problem("", "a scenario must be a TOML table")) == "file: a scenario must be a TOML table"
    assert str(Problem("", "faults.2: gone", line=7)) == "faults.2 (line 7): gone"


def test_a_nan_value_is_called_not_a_number():
    """TOML has nan: a range check cannot hold it, so the message says what it is, beside the
    field, its line and the range."""
    from disagg_viz.resources import scenarios_dir
    text = (scenarios_dir() / "default.toml").read_text()
    bad = text.replace("arrival_rate = ", "arrival_rate = nan # ", 1)
    with pytest.raises(ScenarioError) as exc:
        loads_scenario(bad)
    message = exc.value.summary()
    assert message.startswith("workload.arrival_rate (line ") and "is not a number (nan)" in message
    assert "10000" in message
