"""A lesson walk: steps apply their settings to the loaded scenario; the reveal waits for a guess."""

import pytest

from disagg_viz.playback.lesson import LessonWalk
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario


@pytest.fixture(scope="module")
def fix():
    return load_scenario(scenarios_dir() / "01-the-conflict.toml")


def test_every_lesson_scenario_has_steps_with_questions(fix):
    for n in ("01-the-conflict", "02-the-fix", "03-the-gating-cost", "04-when-it-pays", "05-your-cluster"):
        sc = load_scenario(scenarios_dir() / f"{n}.toml")
        assert len(sc.lesson.steps) >= 3, n
        assert any(s.question for s in sc.lesson.steps), n
        walk = LessonWalk(sc)
        for k in range(len(walk)):
            walk.go(k)
            assert walk.scenario().lesson == sc.lesson


def test_settings_apply_to_the_loaded_scenario_not_cumulatively(fix):
    walk = LessonWalk(fix)
    with_settings = [k for k, s in enumerate(walk.steps) if s.settings]
    assert with_settings
    k = with_settings[0]
    walk.go(k)
    shown = walk.scenario()
    assert shown != fix and shown.simulated_part() != fix.simulated_part()
    walk.go(k + 1 if k + 1 < len(walk) else k - 1)
    walk.go(k)
    assert walk.scenario() == shown
    walk.go(0)
    if not walk.steps[0].settings:
        assert walk.scenario().simulated_part() == fix.simulated_part()


def test_reveal_waits_for_a_committed_guess(fix):
    walk = LessonWalk(fix)
    q = next(k for k, s in enumerate(walk.steps) if s.question)
    walk.go(q)
    assert walk.needs_guess() and not walk.revealed()
    wrong = (walk.step.answer + 1) % len(walk.step.choices)
    assert walk.commit(wrong) is False and walk.revealed()
    assert walk.commit(walk.step.answer) is False            # the first guess counts
    with pytest.raises(ValueError):
        walk.commit(99)
    assert not walk.go(-5) or walk.index == 0
    assert walk.index == 0 and not walk.previous()


def test_a_step_that_changes_a_systems_link_renames_it():
    """Kitchen titles and scoreboard columns carry the system names: a step that swaps a link
    must not leave a name that tells the old one."""
    for path in sorted(scenarios_dir().glob("0*.toml")):
        sc = load_scenario(path)
        for step in sc.lesson.steps:
            for key in step.settings:
                parts = key.split(".")
                if parts[0] == "systems" and parts[2].startswith("link") and parts[2] != "link_latency_ms":
                    assert f"systems.{parts[1]}.name" in step.settings, (path.name, step.title, key)


def test_goals_close_the_lesson_they_never_open_it(fix):
    from disagg_viz.playback.lesson import lesson_summary
    walk = LessonWalk(fix)
    assert fix.lesson.goals
    for k in range(len(walk) - 1):                  # goals state the answers of the predict steps
        walk.go(k)
        assert lesson_summary(walk) == ""
    walk.go(len(walk) - 1)
    summary = lesson_summary(walk) if walk.revealed() else (walk.commit(walk.step.answer), lesson_summary(walk))[1]
    assert all(g in summary for g in fix.lesson.goals)


def test_in_a_lesson_the_time_bar_marks_only_the_open_steps_moment_after_its_guess(fix):
    """Lesson 1's first step asks nothing, but its run's longest stall is step 2's answer: no mark
    until step 2's guess is in, and then only step 2's own moment."""
    from disagg_viz.playback.moments import marks_for
    from disagg_viz.sim.runner import simulate_scenario
    walk = LessonWalk(fix)
    result = simulate_scenario(walk.scenario())
    assert marks_for(result) != []                    # outside a lesson: every system's moments
    assert marks_for(result, walk) == []              # step 1: nothing points at step 2's answer
    walk.go(1)
    assert marks_for(result, walk) == []              # before the guess
    walk.commit(0)
    labels = [label for _, label in marks_for(result, walk)]
    assert labels and all(label.startswith("this step:") for label in labels)


def test_a_faults_moment_is_marked_in_its_lesson_step_before_the_guess():
    """Lesson 5's step 3 breaks an NVLink port at 60 s: the time bar marks it from the step's
    start (the text says so; the cost stays hidden until the guess)."""
    from disagg_viz.playback.moments import marks_for
    from disagg_viz.resources import scenarios_dir
    from disagg_viz.scenario import load_scenario
    from disagg_viz.sim.runner import simulate_scenario
    walk = LessonWalk(load_scenario(scenarios_dir() / "05-your-cluster.toml"))
    walk.go(2)
    assert walk.needs_guess()
    result = simulate_scenario(walk.scenario())
    marks = marks_for(result, walk)
    assert [(t, label.split(",")[0]) for t, label in marks] == [(60.0, "fault: prefill 1 port to 11% of the link")]
    walk.go(1)                                        # the step before it has no fault to mark
    assert marks_for(simulate_scenario(walk.scenario()), walk) == []
