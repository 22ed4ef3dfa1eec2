"""Where the shipped scenarios, assets and docs are: inside an installed wheel (``_data/``), in a
standalone build (PyInstaller puts the package under ``sys._MEIPASS`` with the same ``_data/``) or
in a source checkout (the repository's top-level folders)."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the shipped '{name}' folder is missing from this installation")


def scenarios_dir() -> Path:
    return _find("scenarios")


def assets_dir() -> Path:
    return _find("assets")


def docs_dir() -> Path:
    """The documentation the app refers to (cost-model.md, scenario-format.md, engine.md, the
    JSON Schema); a wheel carries these few files, a checkout the whole docs/ folder."""
    return _find("docs")


def doc_path(name: str) -> Path:
    """One shipped document, e.g. ``doc_path("cost-model.md")``."""
    return docs_dir() / name


def shipped_scenarios() -> list[Path]:
    """Lesson steps first (01-..., 02-...), then the rest by name."""
    files = sorted(scenarios_dir().glob("*.toml"))
    return sorted(files, key=lambda p: (not p.stem[:2].isdigit(), p.stem))


def default_scenario_path() -> Path:
    return scenarios_dir() / "default.toml"


def resolve_scenario_arg(arg: str) -> Path:
    """A path, or the name of a shipped scenario (``default``, ``01-the-conflict``)."""
    p = Path(arg)
    if p.exists():
        return p
    stem = p.name[:-5] if p.name.endswith(".toml") else p.name
    shipped = scenarios_dir() / f"{stem}.toml"
    if shipped.exists() and p.parent == Path("."):
        return shipped
    return p
