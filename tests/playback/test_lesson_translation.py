"""Lesson texts in another language (issue 23, point 5): lesson 1 has a complete Spanish
translation whose placeholders match the English ones and render from the run; a translation
cannot change claims or settings; check-lessons reports a translation that lacks a text or
changes a placeholder; the scenario a step shows keeps the file's own (English) texts."""

import shutil

import pytest

from disagg_viz.cli.main import run
from disagg_viz.playback.claims import placeholders
from disagg_viz.playback.lesson import LessonWalk
from disagg_viz.playback.lesson_translation import (
    TranslationError, lesson_in, problems, read_translation, translated_lesson, translation_file, translations_of,
)
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario

LESSON = scenarios_dir() / "01-the-conflict.toml"


def test_lesson_one_has_a_complete_spanish_translation():
    sc = load_scenario(LESSON)
    assert translations_of(LESSON) == [("es", translation_file(LESSON, "es"))]
    data = read_translation(translation_file(LESSON, "es"))
    assert problems(sc.lesson, data) == []
    lesson, problem = lesson_in(sc, LESSON, "es")
    assert problem is None
    assert lesson.steps[0].title == "Dos trabajos, un puesto"
    assert lesson.goals[0].startswith("El prefill está limitado")
    for english, spanish in zip(sc.lesson.steps, lesson.steps):
        assert spanish.claims == english.claims and spanish.settings == english.settings
        assert spanish.highlight == english.highlight and spanish.answer == english.answer
        for name in ("text", "reveal"):
            assert sorted(placeholders(getattr(spanish, name))) == sorted(placeholders(getattr(english, name)))
            assert not getattr(english, name) or getattr(spanish, name) != getattr(english, name)


def test_english_and_other_languages_without_a_file_keep_the_lesson_as_written():
    sc = load_scenario(LESSON)
    assert lesson_in(sc, LESSON, "en") == (sc.lesson, None)
    assert lesson_in(sc, None, "es") == (sc.lesson, None)


def _copy_lesson(tmp_path, edit):
    shutil.copy(LESSON, tmp_path / LESSON.name)
    target = translation_file(tmp_path / LESSON.name, "es")
    target.parent.mkdir(parents=True)
    target.write_text(edit(translation_file(LESSON, "es").read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path / LESSON.name


def test_a_changed_placeholder_is_found_and_the_lesson_stays_english(tmp_path):
    path = _copy_lesson(tmp_path, lambda t: t.replace('{stall_max of "One GPU, prefill-first"}; el tiempo',
                                                      '{stall_max of "One GPU, chunked prefill"}; el tiempo'))
    sc = load_scenario(path)
    found = problems(sc.lesson, read_translation(translation_file(path, "es")))
    assert len(found) == 1 and "step 2: reveal: placeholders differ" in found[0]
    lesson, problem = lesson_in(sc, path, "es")
    assert lesson is sc.lesson and "placeholders differ" in problem


def test_a_missing_text_a_missing_step_and_an_unknown_field_are_named(tmp_path):
    path = _copy_lesson(tmp_path, lambda t: t.replace('teacher_note = "Próxima lección: dar a cada trabajo su propio puesto."', ""))
    assert problems(load_scenario(path).lesson, read_translation(translation_file(path, "es"))) == [
        "translation: step 4: teacher_note is not translated"]
    sc = load_scenario(LESSON)
    data = read_translation(translation_file(LESSON, "es"))
    assert problems(sc.lesson, {**data, "steps": data["steps"][:3]}) == [
        "translation: 3 steps given, the lesson has 4"]
    (tmp_path / "b").mkdir()
    path = _copy_lesson(tmp_path / "b", lambda t: t + "\n[[steps]]\ntitel = \"x\"\n")
    with pytest.raises(TranslationError, match="step 5: unknown field 'titel'; allowed: title, text"):
        read_translation(translation_file(path, "es"))


def test_a_walk_shows_the_translation_but_its_scenario_keeps_the_file_texts():
    sc = load_scenario(LESSON)
    lesson, _ = lesson_in(sc, LESSON, "es")
    walk = LessonWalk(sc.model_copy(update={"lesson": lesson}), source_lesson=sc.lesson)
    walk.go(3)
    assert walk.step.title == "Prompts más largos, bloqueos más largos"
    shown = walk.scenario()
    assert shown.lesson == sc.lesson and shown.workload.prompt_tokens == 9000


def test_check_lessons_checks_the_translation(tmp_path, capsys):
    assert run(["check-lessons", str(LESSON)]) == 0
    assert "es translation: placeholders match and render" in capsys.readouterr().out
    path = _copy_lesson(tmp_path, lambda t: t.replace('{ttft_p50 of "One GPU, chunked prefill"} frente',
                                                      '{ttft_p50 of "Nobody"} frente'))
    assert run(["check-lessons", str(path)]) == 1
    out = capsys.readouterr().out
    assert "es translation: problems" in out and "FAIL  es: step 3: reveal: placeholders differ" in out


def test_translated_lesson_leaves_untranslated_fields_as_written():
    sc = load_scenario(LESSON)
    lesson = translated_lesson(sc.lesson, {"steps": [{"title": "Uno"}]})
    assert lesson.steps[0].title == "Uno" and lesson.steps[0].text == sc.lesson.steps[0].text
    assert lesson.steps[1:] == sc.lesson.steps[1:] and lesson.goals == sc.lesson.goals
