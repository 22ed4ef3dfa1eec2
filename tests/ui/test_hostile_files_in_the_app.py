"""Issue 24's files opened in the app: each ends as a dialog naming the field or row (never
"Something went wrong", never a file's contents quoted), with the open scenario whole, or opens
and runs (a scenario whose weights do not fit its GPUs)."""

import pytest
from PySide6.QtWidgets import QMessageBox

from disagg_viz.resources import scenarios_dir
from tests.ui.window_helpers import close_window, open_window

DEFAULT = (scenarios_dir() / "default.toml").read_text()
STEP = '\n[[lesson.steps]]\ntitle = "t"\n'


def _boxes(win, name="scenario-problems"):
    return [b for b in win.findChildren(QMessageBox) if b.objectName() == name and b.isVisible()]


@pytest.mark.parametrize("tail,expected", [
    ('\n[x]\n"a".' + ".".join(["a"] * 40) + " = 1\n", "dotted parts"),
    ("\nzz = {" + ".".join(["a"] * 40) + " = 1}\n", "dotted parts"),
    (STEP + 'settings = {"systems.\u00b2.tp" = 2}\n', "is not a list index"),
    (STEP + 'settings = {"' + ".".join(["a"] * 3000) + '" = 1}\n', "dotted parts"),
    (STEP + 'claims = [{planner_gpus = 64, best = "colocated"}]\n', "planner_gpus"),
])
def test_a_hostile_scenario_lists_its_problem_and_keeps_the_open_one(qtbot, tmp_path, tail, expected):
    win = open_window(qtbot, edits=["workload.requests=40"])
    before = win.controller.scenario
    try:
        f = tmp_path / "hostile.toml"
        f.write_text(DEFAULT + tail)
        assert not win.files.open_path(f)
        boxes = _boxes(win)
        assert len(boxes) == 1 and expected in boxes[0].text()
        assert win.controller.scenario == before
        boxes[0].accept()
    finally:
        close_window(win)


@pytest.mark.parametrize("trace,content,expected", [
    ("secret.env", "API_KEY=sk-do-not-show-123\n", "not a known trace format"),
    ("big.jsonl", '{"timestamp": 0, "input_length": %s, "output_length": 3}\n' % ("9" * 400), "400-digit integer"),
])
def test_a_trace_that_fails_names_the_row_and_quotes_nothing_else(qtbot, tmp_path, trace, content, expected):
    win = open_window(qtbot, edits=["workload.requests=40"])
    before = win.controller.scenario
    try:
        (tmp_path / trace).write_text(content)
        f = tmp_path / "with-trace.toml"
        f.write_text(DEFAULT.replace("[workload]", f'[workload]\ntrace = "{trace}"', 1))
        with qtbot.waitSignal(win.controller.failed, timeout=60_000) as failed:
            win.files.open_path(f)
        assert expected in failed.args[0] and "API_KEY" not in failed.args[0]
        assert win.controller.scenario == before
        assert not [b for b in win.findChildren(QMessageBox) if b.windowTitle() == "Something went wrong"]
    finally:
        for box in win.findChildren(QMessageBox):
            box.close()
        close_window(win)


def test_weights_that_do_not_fit_open_and_run_with_an_idle_link(qtbot, tmp_path):
    win = open_window(qtbot, edits=["workload.requests=40"])
    try:
        f = tmp_path / "big-model.toml"
        f.write_text(DEFAULT.replace('preset = "llama-3.1-8b"', 'preset = "llama-3.1-70b"'))
        with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
            assert win.files.open_path(f)
        assert win.controller.scenario.model.preset == "llama-3.1-70b"
        assert win.controller.prepared.series[1].link_rate_gb_per_s.max() == 0.0
    finally:
        close_window(win)
