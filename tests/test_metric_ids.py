"""One metric id list (disagg_viz/metric_ids.py): every id is known, once, to the registry, the
lesson claims validator and text placeholders, the scoreboard (and its highlights), and the JSON
alias table, whose keys are checked against stored JSON the app wrote."""

import json
from collections import Counter

import pytest
from pydantic import ValidationError

from disagg_viz.metric_ids import (
    GOODPUT_METRICS, HIGHLIGHT_ALIASES, JSON_KEYS, METRIC_IDS, NOT_ON_SCOREBOARD, SCOREBOARD_ROWS, SUMMARY_METRICS,
    json_key,
)
from disagg_viz.playback.claims import ClaimError, metric_value
from disagg_viz.scenario.teaching import HIGHLIGHTS, Claim, LessonStep
from disagg_viz.sim.metric_registry import METRICS
from disagg_viz.ui import scoreboard
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "golden"


def test_every_id_is_listed_once():
    assert not [m for m, n in Counter(METRIC_IDS).items() if n > 1]
    assert set(SUMMARY_METRICS).isdisjoint(GOODPUT_METRICS)


def test_the_registry_has_every_id_and_only_those():
    assert tuple(METRICS) == METRIC_IDS
    assert all(METRICS[m].id == m and METRICS[m].label and METRICS[m].unit for m in METRIC_IDS)
    assert [m for m in METRIC_IDS if METRICS[m].on_request] == list(GOODPUT_METRICS)


@pytest.mark.parametrize("metric", METRIC_IDS)
def test_claims_and_placeholders_take_the_run_metrics_and_refuse_goodput(metric):
    summaries = json.loads((GOLDEN / "default.json").read_text())["summary"]["systems"]
    if metric in SUMMARY_METRICS:
        assert Claim(metric=metric, system="#1", op="<", value=1.0).metric == metric
        assert metric_value(summaries, metric, "#1") == METRICS[metric].value(summaries[0])
    else:
        with pytest.raises(ValidationError, match="metric"):
            Claim(metric=metric, system="#1", op="<", value=1.0)
        with pytest.raises(ClaimError, match="only on request"):
            metric_value(summaries, metric, "#1")


def test_the_scoreboard_shows_every_id_or_says_why_not():
    assert set(SCOREBOARD_ROWS) | set(NOT_ON_SCOREBOARD) == set(METRIC_IDS)
    assert not set(SCOREBOARD_ROWS) & set(NOT_ON_SCOREBOARD)
    assert scoreboard.ALL_ROWS == list(SCOREBOARD_ROWS)
    assert scoreboard.GOODPUT_ROWS == list(GOODPUT_METRICS)


def test_every_scoreboard_row_can_be_highlighted_and_old_names_still_read():
    for k, metric in enumerate(SCOREBOARD_ROWS):
        assert f"scoreboard.{metric}" in HIGHLIGHTS
        assert scoreboard.ROW_IDS[f"scoreboard.{metric}"] == k
    for old, new in HIGHLIGHT_ALIASES.items():
        assert old not in HIGHLIGHTS and new in HIGHLIGHTS
        assert LessonStep(title="t", highlight=[old]).highlight == [new]


def _at(record: dict, key: str):
    for part in key.split("."):
        record = record[part]
    return record


@pytest.mark.parametrize("metric", METRIC_IDS)
def test_the_alias_table_names_where_each_number_is_in_the_json(metric):
    """Each id's JSON key exists in what the app wrote (simulate --json; goodput --json), and the
    registry reads the number there (converted to the metric's unit)."""
    assert set(JSON_KEYS) <= set(METRIC_IDS)
    if metric in GOODPUT_METRICS:
        records = json.loads((GOLDEN / "goodput-default.json").read_text())["systems"]
    else:
        # A prefix cache's numbers are in the JSON of a system that keeps one, a fault's cost in
        # that of a system a [[faults]] entry hits (lesson 5's step 3 breaks an NVLink port).
        golden = {"prefix_hit_rate": "default-prefix-cache.json", "fault_delayed": "05-your-cluster-step3.json"}.get(
            metric, "default.json")
        records = [r for r in json.loads((GOLDEN / golden).read_text())["summary"]["systems"]
                   if metric != "fault_delayed" or "fault_cost" in r]
    key = json_key(metric)
    numbers = 0
    for record in records:
        value = METRICS[metric].value(record)
        if key is None:                         # computed from other numbers
            assert metric == "throughput_per_gpu"
            expected = record["throughput_tokens_per_s"] / record["gpus"]
        else:
            raw = _at(record, key)              # a KeyError here: the table names a key the JSON lacks
            convert = {"attainment": lambda v: 100 * v, "kv_shipped": lambda v: v / 1e9,
                       "prefix_hit_rate": lambda v: 100 * v}.get(metric, float)
            expected = None if raw is None else convert(raw)   # e.g. KV times of a colocated system
        assert value == (None if expected is None else pytest.approx(expected))
        numbers += value is not None
    assert numbers >= 1                         # the check compared at least one real number
    with pytest.raises(KeyError, match="unknown metric id"):
        json_key("bogus")
