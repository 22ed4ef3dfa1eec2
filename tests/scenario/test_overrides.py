"""``--set`` / lesson-step overrides on lists (scenario/overrides.py): what an index may be, said
plainly for an empty list, and a whole table added at the next index."""

import pytest

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import ScenarioError, load_scenario
from disagg_viz.scenario.overrides import apply_overrides

SPLIT = "2P2D, NVLink fixed"


@pytest.fixture(scope="module")
def cluster():
    sc = load_scenario(scenarios_dir() / "05-your-cluster.toml")
    assert sc.faults == []
    return sc


@pytest.mark.parametrize("key,needle", [
    ("faults.1.at_s", "faults.1: index 1 is out of range (the list is empty; 0 adds a table to it)"),
    ("faults.-1.at_s", "faults.-1: '-1' is not a list index (the list is empty; 0 adds a table to it)"),
])
def test_an_empty_list_says_which_index_adds_its_first_table(cluster, key, needle):
    """Fuzzing found '(0 to -1; 0 adds a table to the list)' for an empty list."""
    with pytest.raises(ScenarioError) as exc:
        apply_overrides(cluster, [f"{key}=1"])
    assert needle in str(exc.value) and "0 to -1" not in str(exc.value)


def test_a_whole_table_at_the_next_index_adds_an_entry(cluster):
    """``faults.0={...}`` was refused as 'index 0 is out of range (0 to -1; 0 adds a table ...)'."""
    new = apply_overrides(cluster, [f'faults.0={{at_s = 60, system = "{SPLIT}", link = "pcie4"}}'])
    assert [(f.at_s, f.system, f.link) for f in new.faults] == [(60.0, SPLIT, "pcie4")]
    lost = apply_overrides(new, [f'faults.1={{kind = "instance-lost", at_s = 5, system = "{SPLIT}", pool = "decode"}}'])
    assert [f.kind for f in lost.faults] == ["link", "instance-lost"]
    with pytest.raises(ScenarioError, match=r"faults\.3: index 3 is out of range \(0 to 1; 2 adds a table"):
        apply_overrides(lost, ["faults.3.at_s=1"])
    with pytest.raises(ScenarioError, match="faults.0"):             # a value where a table belongs
        apply_overrides(cluster, ["faults.0=5"])


@pytest.mark.parametrize("key", [".faults", "faults.", "workload..requests", "workload.requests."])
def test_a_key_with_an_empty_part_is_named(cluster, key):
    """Fuzzing found '--set .faults=x' reported as 'file: unknown key' (a key named '' at the top)."""
    with pytest.raises(ScenarioError) as exc:
        apply_overrides(cluster, [f"{key}=1"])
    [problem] = exc.value.problems
    assert problem.key == key and "a part of the key is empty" in problem.message
