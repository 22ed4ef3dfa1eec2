"""A scenario piped in on standard input (``disagg-viz simulate -``): read at most the size limit
of a scenario file, then parsed and validated exactly as a file is. A relative trace path in it
starts from the current folder (there is no file whose folder it could start from)."""

from __future__ import annotations

import sys
from pathlib import Path

from disagg_viz.scenario.errors import Problem, ScenarioError
from disagg_viz.scenario.files import MAX_FILE_BYTES, loads_scenario
from disagg_viz.scenario.model import Scenario

STDIN_ARG = "-"
STDIN_SOURCE = "<stdin>"
# What stands for the "file" a piped scenario came from: its folder is the current one, so a
# relative trace path resolves from where the command runs.
STDIN_PATH = Path(STDIN_SOURCE)


def read_scenario_stdin(stream=None) -> Scenario:
    """The scenario TOML on ``stream`` (default: standard input, as bytes)."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read(MAX_FILE_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError([Problem("", f"input is too large (more than {MAX_FILE_BYTES:,} bytes)")], STDIN_SOURCE)
    if not data.strip():
        raise ScenarioError([Problem("", "standard input is empty: pipe a scenario TOML into '-'")], STDIN_SOURCE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem("", f"not UTF-8 text (byte {exc.start})")], STDIN_SOURCE) from None
    return loads_scenario(text, STDIN_SOURCE)
