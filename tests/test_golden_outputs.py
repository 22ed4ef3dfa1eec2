"""Every shipped scenario, lesson step and a few CLI answers give the JSON stored from the main of
before the "resolve once" refactor (tests/golden_outputs.py rewrites them when physics changes)."""

import json

import pytest

from tests.golden_outputs import CLI, GOLDEN, all_outputs, cli_output


@pytest.fixture(scope="module")
def outputs():
    return all_outputs()


def _stored(label: str):
    return json.loads((GOLDEN / f"{label}.json").read_text())


def test_every_stored_output_is_still_produced(outputs):
    stored = {p.stem for p in GOLDEN.glob("*.json")}
    assert stored == set(outputs) | set(CLI)


@pytest.mark.parametrize("label", sorted(p.stem for p in GOLDEN.glob("*.json") if p.stem not in CLI))
def test_scenario_output_unchanged(outputs, label):
    assert outputs[label] == _stored(label)


@pytest.mark.parametrize("label", sorted(CLI))
def test_cli_output_unchanged(label):
    assert json.loads(json.dumps(cli_output(CLI[label]))) == _stored(label)
