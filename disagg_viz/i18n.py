"""Translations without Qt, for the Qt-free core (vocabulary, narration, scoreboard labels) and,
through ui/language.py's QTranslator, for the ui's tr() calls: one catalogue per language,
``translations/<code>.json``, mapping each English source string to its translation.

Nothing here changes until the ui calls ``set_language``: the CLI, files and JSON stay English
with locale-independent numbers ("1,234.5")."""

from __future__ import annotations

import json
import string
from pathlib import Path

LANGUAGES = {"en": "English", "es": "Español"}
SOURCE_LANGUAGE = "en"
CATALOGUE_DIR = Path(__file__).resolve().parent / "translations"

_state: dict = {"language": SOURCE_LANGUAGE, "catalogue": {}, "group": ",", "decimal": "."}


def catalogue(language: str) -> dict[str, str]:
    """English source string -> translation (empty for English)."""
    if language == SOURCE_LANGUAGE:
        return {}
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not available; choose one of {', '.join(LANGUAGES)}")
    return json.loads((CATALOGUE_DIR / f"{language}.json").read_text(encoding="utf-8"))


def set_language(language: str, group: str = ",", decimal: str = ".") -> None:
    """Translate from now on into ``language``; numbers use ``group`` (thousands) and ``decimal``
    separators (the ui passes its QLocale's)."""
    _state.update(language=language, catalogue=catalogue(language), group=group, decimal=decimal)


def language() -> str:
    return _state["language"]


def _(text: str) -> str:
    """``text`` in the current language (itself when there is no translation)."""
    return _state["catalogue"].get(text) or text


def _n(singular: str, plural: str, n: int) -> str:
    """The singular or plural source string for ``n``, translated (both are catalogue entries)."""
    return _(singular if n == 1 else plural)


def N_(text: str) -> str:
    """Marks a string for translation where it is defined; it is translated where it is shown."""
    return text


def num(value: float, spec: str = ",.0f") -> str:
    """``format(value, spec)`` with the current language's thousands and decimal separators."""
    text = format(value, spec)
    if (_state["group"], _state["decimal"]) == (",", "."):
        return text
    return text.translate({ord(","): "\0", ord("."): _state["decimal"]}).replace("\0", _state["group"])


def format_fields(text: str) -> list[str]:
    """The ``str.format`` fields of ``text``, in order ("{n} orders" -> ["n"])."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
