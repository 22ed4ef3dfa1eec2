"""A lesson's texts in another language (Qt-free): ``translations/<language>/<name>.toml`` beside
the scenario file holds the lesson's goals and, per step in order, its title, text, question,
choices, reveal and teacher note. Everything else (settings, claims, highlights, system names)
stays in the scenario file, so a translation cannot change what a step shows or claims; text
placeholders such as ``{stall_max of "One GPU, prefill-first"}`` are written as in English
(system names are not translated) and get their numbers from the run as usual."""

from __future__ import annotations

import tomllib
from pathlib import Path

from disagg_viz.playback.claims import placeholders

STEP_FIELDS = ("title", "text", "question", "choices", "reveal", "teacher_note")
TOP_FIELDS = ("goals", "steps")


class TranslationError(ValueError):
    """A translation file that cannot be used; the message names the file and the field."""


def translation_file(scenario_path: Path | str, language: str) -> Path:
    path = Path(scenario_path)
    return path.parent / "translations" / language / path.name


def read_translation(path: Path) -> dict:
    """The file's tables, checked for shape: only known fields, steps as a list of tables."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TranslationError(f"{path}: cannot read the lesson translation: {exc}") from exc
    unknown = sorted(set(data) - set(TOP_FIELDS))
    if unknown:
        raise TranslationError(f"{path}: unknown field {unknown[0]!r}; allowed: {', '.join(TOP_FIELDS)}")
    steps = data.get("steps", [])
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise TranslationError(f"{path}: 'steps' must be [[steps]] tables")
    for k, step in enumerate(steps):
        bad = sorted(set(step) - set(STEP_FIELDS))
        if bad:
            raise TranslationError(f"{path}: step {k + 1}: unknown field {bad[0]!r}; allowed: {', '.join(STEP_FIELDS)}")
    return data


def problems(lesson, data: dict, where: str = "translation") -> list[str]:
    """What a translation lacks or gets wrong against the lesson it translates: the number of
    steps or choices, a text left out, placeholders that differ (metric and system, in any order)."""
    out = []
    if len(data.get("goals", [])) != len(lesson.goals):
        out.append(f"{where}: goals: {len(data.get('goals', []))} given, the lesson has {len(lesson.goals)}")
    steps = data.get("steps", [])
    if len(steps) != len(lesson.steps):
        return out + [f"{where}: {len(steps)} steps given, the lesson has {len(lesson.steps)}"]
    for k, (step, texts) in enumerate(zip(lesson.steps, steps)):
        for name in STEP_FIELDS:
            english, translated = getattr(step, name), texts.get(name, [] if name == "choices" else "")
            if name == "choices":
                if len(translated) != len(english):
                    out.append(f"{where}: step {k + 1}: {len(translated)} choices given, the step has {len(english)}")
                continue
            if english and not str(translated).strip():
                out.append(f"{where}: step {k + 1}: {name} is not translated")
            elif sorted(placeholders(english)) != sorted(placeholders(translated)):
                out.append(f"{where}: step {k + 1}: {name}: placeholders differ from the English text "
                           f"({sorted(placeholders(english))} vs {sorted(placeholders(translated))})")
    return out


def translated_lesson(lesson, data: dict):
    """The lesson with the translation's texts (claims, settings and the rest unchanged)."""
    steps = [step.model_copy(update={k: v for k, v in texts.items() if k in STEP_FIELDS and v})
             for step, texts in zip(lesson.steps, data.get("steps", []))]
    update = {"steps": steps + list(lesson.steps[len(steps):])}
    if data.get("goals"):
        update["goals"] = list(data["goals"])
    return lesson.model_copy(update=update)


def lesson_in(scenario, scenario_path: Path | str | None, language: str):
    """The scenario's lesson in ``language`` when a complete translation exists beside its file;
    else the lesson as written (and the problem found, for the status bar)."""
    if scenario_path is None or not scenario.lesson.steps:
        return scenario.lesson, None
    path = translation_file(scenario_path, language)
    if not path.is_file():
        return scenario.lesson, None
    try:
        data = read_translation(path)
    except TranslationError as exc:
        return scenario.lesson, str(exc)
    found = problems(scenario.lesson, data, str(path))
    if found:
        return scenario.lesson, found[0]
    return translated_lesson(scenario.lesson, data), None


def translations_of(scenario_path: Path | str) -> list[tuple[str, Path]]:
    """(language, file) of every lesson translation beside a scenario file."""
    path = Path(scenario_path)
    folder = path.parent / "translations"
    if not folder.is_dir():
        return []
    return sorted((d.name, d / path.name) for d in folder.iterdir() if (d / path.name).is_file())
