"""Lesson claims and live numbers: every shipped lesson's claims hold; they are real (a lesson with
its traffic cut to a tenth fails); placeholders render as the scoreboard formats them."""

import pytest
from pydantic import ValidationError

from disagg_viz.cli.main import run
from disagg_viz.playback.claims import ClaimError, render
from disagg_viz.playback.lesson_check import LessonChecker
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.teaching import Claim
from disagg_viz.sim.metric_registry import format_ms

LESSONS = sorted(p.stem for p in scenarios_dir().glob("0*.toml"))


def test_there_are_lessons():
    assert len(LESSONS) >= 5


@pytest.mark.parametrize("name", LESSONS)
def test_every_shipped_lesson_passes_check_lessons(name, capsys):
    assert run(["check-lessons", name]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert out.count("PASS") >= 3 and "FAIL" not in out


@pytest.mark.parametrize("name", LESSONS)
def test_claims_are_real_a_tenth_of_the_traffic_breaks_them(name, capsys):
    rate = load_scenario(scenarios_dir() / f"{name}.toml").workload.arrival_rate
    assert run(["check-lessons", name, "--set", f"workload.arrival_rate={rate / 10}"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_planning_conclusions_are_planner_claims():
    sc = load_scenario(scenarios_dir() / "05-your-cluster.toml")
    assert any(c.planner_gpus for s in sc.lesson.steps for c in s.claims)


def test_placeholders_render_from_the_run_and_refuse_unknown_names():
    summaries = [{"name": "A", "ttft_ms": {"p90": 27489.0}, "slo_attainment": 0.148},
                 {"name": "B", "ttft_ms": {"p90": 444.2}, "slo_attainment": 1.0}]
    text = 'TTFT p90 {ttft_p90 of "A"} vs {ttft_p90 of #2}; {attainment of "A"} meet it.'
    assert render(text, summaries) == "TTFT p90 27.5 s vs 444 ms; 14.8% meet it."
    assert render(text, None) == "TTFT p90 … vs …; … meet it."
    with pytest.raises(ClaimError, match='"C" is not in this step'):
        render('{ttft_p90 of "C"}', summaries)
    with pytest.raises(ClaimError, match="#3"):
        render("{ttft_p90 of #3}", summaries)
    with pytest.raises(ClaimError, match="unknown metric"):
        render('{bogus of "A"}', summaries)


def test_durations_read_in_the_unit_that_fits():
    assert [format_ms(v) for v in (0.42, 3.25, 36.4, 2049.0, 90_000.0)] == ["0.42 ms", "3.2 ms", "36 ms", "2.0 s",
                                                                                 "1.5 min"]


def test_a_claim_has_one_form():
    Claim(metric="ttft_p90", system="#1", op="<", value=5.0)
    Claim(planner_gpus=4, best="colocated")
    for bad in (dict(metric="ttft_p90", system="#1", op="<"),                        # nothing to compare with
                dict(metric="ttft_p90", system="#1", op="<", value=1.0, than="#2"),  # both
                dict(metric="ttft_p90", op="<", value=1.0),                           # no system
                dict(planner_gpus=4),                                                # no verdict
                dict(planner_gpus=4, best="colocated", metric="ttft_p90")):          # mixed
        with pytest.raises(ValidationError):
            Claim(**bad)


def test_a_broken_placeholder_or_claim_is_reported_not_raised():
    sc = load_scenario(scenarios_dir() / "01-the-conflict.toml")
    steps = list(sc.lesson.steps)
    steps[0] = steps[0].model_copy(update={"reveal": '{ttft_p90 of "nobody"}', "claims": [
        Claim(metric="ttft_p90", system="nobody", op="<", value=1.0)]})
    sc = sc.model_copy(update={"lesson": sc.lesson.model_copy(update={"steps": steps})})
    rep = LessonChecker().lesson(sc)[0]
    assert not rep.ok and len(rep.problems) == 2 and all("nobody" in p for p in rep.problems)


@pytest.mark.parametrize("name", LESSONS)
def test_every_lesson_has_goals_and_every_step_a_teachers_note(name):
    sc = load_scenario(scenarios_dir() / f"{name}.toml")
    assert sc.lesson.goals
    assert all(step.teacher_note for step in sc.lesson.steps), [s.title for s in sc.lesson.steps if not s.teacher_note]
    nxt = sc.lesson.next_lesson
    assert not nxt or (scenarios_dir() / f"{nxt}.toml").is_file()


def test_seeds_counts_per_claim_how_many_seeds_it_holds_for(capsys):
    assert run(["check-lessons", "01-the-conflict", "--seeds", "2"]) == 0
    out = capsys.readouterr().out
    assert "seeds 1 to 2" in out and out.count("2/2 seeds") >= 3 and "FAIL" not in out


def test_seeds_name_the_seeds_a_claim_fails_for(capsys):
    assert run(["check-lessons", "01-the-conflict", "--seeds", "2", "--set", "workload.arrival_rate=0.05"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  0/2 seeds" in out and "(fails at seed 1, 2)" in out


def test_seeds_must_be_a_sensible_count(capsys):
    assert run(["check-lessons", "01-the-conflict", "--seeds", "-3"]) == 2
    assert "--seeds -3" in capsys.readouterr().err


def test_the_right_choice_is_not_always_in_the_same_place():
    """A class learns where the answer sits: over the shipped lessons no position holds more than
    half of the answers, and at least three positions are used."""
    answers = [s.answer for name in LESSONS for s in load_scenario(scenarios_dir() / f"{name}.toml").lesson.steps
               if s.question]
    assert len(answers) >= 10
    counts = {k: answers.count(k) for k in set(answers)}
    assert len(counts) >= 3 and max(counts.values()) <= len(answers) // 2, counts
