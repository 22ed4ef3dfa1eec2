"""check-lessons warns when a step's text or highlight points at what the presentation screen does
not draw; the shipped lessons point only at what it draws."""

import pytest

from disagg_viz.cli.main import run
from disagg_viz.playback.presentation_check import presentation_warnings
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.teaching import LessonStep

LESSONS = sorted(p.stem for p in scenarios_dir().glob("0*.toml"))


def test_gauges_charts_only_highlights_and_a_pass_without_a_split_are_warned():
    step = LessonStep(title="t", text="Watch the C and B gauges.", highlight=["chart.link", "chart.util"])
    warnings = presentation_warnings(step, ["disaggregated"])
    assert any("C and B" in w and "gauges" in w for w in warnings)
    assert any("folds the charts" in w and "chart.link" in w for w in warnings)
    assert presentation_warnings(LessonStep(title="t", highlight=["kitchen.pass"]), ["colocated"]) == [
        "highlight kitchen.pass: no kitchen of this step has the pass (all are colocated)"]


def test_a_chart_beside_a_drawn_part_and_plain_words_are_fine():
    step = LessonStep(title="t", text="Two stations, one pass.", highlight=["chart.link", "kitchen.pass"])
    assert presentation_warnings(step, ["colocated", "disaggregated"]) == []


@pytest.mark.parametrize("name", LESSONS)
def test_shipped_lessons_point_only_at_what_presenting_draws(name):
    sc = load_scenario(scenarios_dir() / f"{name}.toml")
    for step in sc.lesson.steps:
        kinds = [s.kind for s in sc.systems]
        assert presentation_warnings(step, kinds) == [], step.title


def test_check_lessons_prints_the_warning(tmp_path, capsys):
    text = (scenarios_dir() / "01-the-conflict.toml").read_text()
    bad = text.replace('Watch the kitchen "One GPU, prefill-first"', 'Watch the C and B gauges of "One GPU, prefill-first"')
    assert bad != text
    path = tmp_path / "gauges.toml"
    path.write_text(bad)
    run(["check-lessons", str(path)])
    assert 'WARN  text names "C and B"' in capsys.readouterr().out


def test_a_step_whose_kitchens_show_a_later_steps_answer_is_warned():
    """Lesson 1 step 2 used to highlight the worst stall: once revealed, every kitchen showed the
    chunked kitchen's stall, the answer of step 3 (same run)."""
    from disagg_viz.playback.lesson_check import later_answers_shown
    sc = load_scenario(scenarios_dir() / "01-the-conflict.toml")
    assert later_answers_shown(sc) == []
    steps = list(sc.lesson.steps)
    steps[1] = steps[1].model_copy(update={"highlight": ["kitchen.stall", "scoreboard.stall_max"]})
    spoiled = sc.model_copy(update={"lesson": sc.lesson.model_copy(update={"steps": steps})})
    assert later_answers_shown(spoiled) == [(1, "shows stall_max in every kitchen, which step 3 asks about on the same run")]
