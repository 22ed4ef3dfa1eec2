"""Traces from strangers (issue 24): huge integers, deep JSON, files that are not traces, and
files of endless lines end as messages naming the row, without quoting a file the user did not
name, and line counts are bounded before any work per line."""

import pytest

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.sim.workload import build
from disagg_viz.traces import TraceError, read_trace
from disagg_viz.traces import readers
from tests.conftest import FIXTURES

MOONCAKE = (FIXTURES / "traces" / "mooncake-small.jsonl").read_text().splitlines()


def _trace(tmp_path, lines, name="t.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("row,expected", [
    ('{"timestamp": 5, "input_length": %s, "output_length": 3}' % ("9" * 400), "400-digit integer"),
    ('{"timestamp": 5, "input_length": -%s, "output_length": 3}' % ("9" * 400), "400-digit integer"),
    ('{"timestamp": %s, "input_length": 5, "output_length": 3}' % ("9" * 400), "timestamp"),
    ('{"timestamp": 5, "input_length": %s, "output_length": 3}' % ("9" * 5001), "not valid JSON"),
    ("[" * 100_000, "not valid JSON"),
])
def test_huge_and_deep_json_rows_are_row_messages(tmp_path, row, expected):
    with pytest.raises(TraceError) as caught:
        read_trace(_trace(tmp_path, MOONCAKE[:3] + [row]))
    first = caught.value.problems[0].message
    assert first.startswith("line 4: ") and expected in first


def test_a_first_line_of_5001_digits_is_not_a_format():
    assert readers.sniff_format('{"timestamp": %s}' % ("9" * 5001)) is None
    assert readers.sniff_format("[" * 100_000) is None


def test_a_file_that_is_not_a_trace_is_not_quoted(tmp_path):
    secret = tmp_path / "secret.env"
    secret.write_text("API_KEY=sk-do-not-show-123\n")
    with pytest.raises(TraceError) as caught:
        read_trace(secret)
    assert "not a known trace format" in str(caught.value)
    assert "API_KEY" not in str(caught.value) and "sk-do-not" not in str(caught.value)


def test_line_count_is_bounded_before_reading_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_TRACE_LINES", 1000)
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"\n" * 1001)
    with pytest.raises(TraceError, match="has 1,001 lines; at most 1,000"):
        read_trace(blank)
    blank.write_bytes(b"\n" * 990 + (FIXTURES / "traces" / "azure-small.csv").read_bytes())
    assert len(read_trace(blank)) == 8                   # blank lines before the header are still fine


def test_blank_lines_before_the_header_keep_row_numbers(tmp_path):
    path = _trace(tmp_path, ["", "  ", *MOONCAKE[:2], '{"timestamp": 5}'])
    with pytest.raises(TraceError) as caught:
        read_trace(path)
    assert caught.value.problems[0].message == "line 5: has no input_length, output_length"


def test_a_nul_byte_in_the_trace_path_is_refused_with_the_field(tmp_path):
    scenario = load_scenario(scenarios_dir() / "default.toml")
    workload = scenario.workload.model_copy(update={"trace": "a\x00b.csv"})
    with pytest.raises(TraceError, match="workload.trace: must be a file name without control characters"):
        build(workload, tmp_path)
