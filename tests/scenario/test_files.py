import os

import pytest
from hypothesis import given, settings, strategies as st

from disagg_viz.resources import scenarios_dir, shipped_scenarios
from disagg_viz.scenario import ScenarioError, dump_scenario, load_scenario, loads_scenario, save_scenario
from disagg_viz.scenario.files import MAX_FILE_BYTES
from disagg_viz.scenario.overrides import apply_overrides
from tests.conftest import FIXTURES


def test_shipped_scenarios_are_the_lesson_and_validate():
    names = [p.stem for p in shipped_scenarios()]
    assert names[:5] == ["01-the-conflict", "02-the-fix", "03-the-gating-cost", "04-when-it-pays", "05-your-cluster"]
    assert "default" in names
    for p in shipped_scenarios():
        sc = load_scenario(p)
        assert len(sc.systems) >= 2 and sc.description


@pytest.mark.parametrize("path", sorted(scenarios_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_round_trip_is_exact(path, tmp_path):
    sc = load_scenario(path)
    out = tmp_path / "copy.toml"
    save_scenario(sc, out)
    again = load_scenario(out)
    assert again == sc
    assert dump_scenario(again) == dump_scenario(sc)
    assert out.read_text().startswith("schema_version = 1\ntitle = ")


def test_every_problem_reported_with_key_value_and_line():
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURES / "bad-many-problems.toml")
    probs = {p.key: p for p in info.value.problems}
    assert set(probs) == {"model.preset", "workload.requests", "workload.arrival_rate", "workload.colour",
                          "systems.0.tp", "systems.1.link_gb_per_s"}
    assert probs["workload.arrival_rate"].value == -1.0 and "greater than 0" in probs["workload.arrival_rate"].message
    assert probs["workload.colour"].message == "unknown key"
    assert probs["model.preset"].line == 5 and probs["systems.0.tp"].line == 15
    assert "llama-3.1-8b" in probs["model.preset"].message


def test_not_toml_names_the_line():
    with pytest.raises(ScenarioError) as info:
        loads_scenario('schema_version = 1\ntitle = "unterminated\n')
    assert info.value.problems[0].line == 2 and "not valid TOML" in str(info.value)


def test_newer_schema_refused_clearly():
    with pytest.raises(ScenarioError, match="newer disagg-viz"):
        loads_scenario("schema_version = 99\n")


def test_huge_file_refused(tmp_path):
    p = tmp_path / "huge.toml"
    p.write_text("# " + "x" * (MAX_FILE_BYTES + 10))
    with pytest.raises(ScenarioError, match="too large"):
        load_scenario(p)


def test_overrides_with_list_indices_and_presets():
    sc = load_scenario(scenarios_dir() / "default.toml")
    new = apply_overrides(sc, ["systems.1.link_gb_per_s=5", "workload.prompt_tokens=8192", "model.layers=60"])
    assert new.systems[1].link_peak_gb_per_s == 5 and new.workload.prompt_tokens == 8192
    assert new.model.resolved()["layers"] == 60 and sc.model.layers is None
    with pytest.raises(ScenarioError, match=r"systems\.7: index 7 is out of range"):
        apply_overrides(sc, ["systems.7.name=x"])
    with pytest.raises(ScenarioError, match="workload.requests"):
        apply_overrides(sc, ["workload.requests=0"])


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    sc = load_scenario(scenarios_dir() / "default.toml")
    target = tmp_path / "mine.toml"
    target.write_text("old contents")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        save_scenario(sc, target)
    assert target.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.toml"]   # no temporary file left behind


_SAMPLE = (scenarios_dir() / "default.toml").read_text()


@settings(max_examples=400, deadline=1000)
@given(cut=st.integers(0, len(_SAMPLE)), junk=st.text(max_size=20), pos=st.integers(0, len(_SAMPLE)))
def test_mutated_files_load_or_raise_scenario_error(cut, junk, pos):
    text = _SAMPLE[:cut] if cut % 2 else _SAMPLE[:pos] + junk + _SAMPLE[pos:]
    try:
        loads_scenario(text)
    except ScenarioError:
        pass
