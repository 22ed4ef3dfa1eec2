"""The translatable strings of the package, found in its source with ``ast``: the literal first
argument of ``tr()``, ``self.tr()``, ``_()`` and ``N_()``, both of ``_n()``, the second of
``QCoreApplication.translate()``. A translation catalogue (disagg_viz/translations/<code>.json)
must hold each of them, with the same ``{fields}``.

    python -m disagg_viz.tools.translations es      # lists what the Spanish catalogue lacks
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

from disagg_viz import i18n

PACKAGE = Path(__file__).resolve().parents[1]
ONE_ARG = {"tr", "_", "N_"}


@dataclass(frozen=True)
class Found:
    text: str | None          # None: the call's argument is not a literal string (an f-string...)
    where: str                # file:line


def _called(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _literal(arg: ast.expr) -> str | None:
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def scan(source: str, where: str) -> list[Found]:
    """Translatable strings of one module's source. Arguments that are names (a string marked
    with N_ where it is defined) are skipped; f-strings are reported with text None."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name in ONE_ARG and node.args:
            args = node.args[:1]
        elif name == "_n":
            args = node.args[:2]
        elif name == "translate" and len(node.args) >= 2 and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "QCoreApplication":
            args = node.args[1:2]
        else:
            continue
        for arg in args:
            if isinstance(arg, ast.JoinedStr):
                out.append(Found(None, f"{where}:{node.lineno}"))
            elif _literal(arg) is not None:
                out.append(Found(_literal(arg), f"{where}:{node.lineno}"))
    return out


def source_strings(package: Path = PACKAGE) -> list[Found]:
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        found.extend(scan(path.read_text(encoding="utf-8"), rel))
    return found


def problems(language: str, package: Path = PACKAGE) -> list[str]:
    """What the language's catalogue lacks or gets wrong: a missing or empty translation, fields
    that differ from the source, an f-string passed for translation, an entry nobody uses."""
    entries = i18n.catalogue(language)
    out, used = [], set()
    for f in source_strings(package):
        if f.text is None:
            out.append(f"{f.where}: an f-string cannot be translated; use a template and .format()")
            continue
        used.add(f.text)
        got = entries.get(f.text)
        if not got or not got.strip():
            out.append(f"{f.where}: no {language} translation of {f.text!r}")
        elif sorted(i18n.format_fields(got)) != sorted(i18n.format_fields(f.text)):
            out.append(f"{f.where}: fields differ: {f.text!r} has {i18n.format_fields(f.text)}, "
                       f"the translation {got!r} has {i18n.format_fields(got)}")
    out += [f"translations/{language}.json: {k!r} is not used in the source" for k in entries if k not in used]
    return out


def main(argv: list[str]) -> int:
    language = argv[0] if argv else "es"
    found = problems(language)
    print("\n".join(found) if found else f"{language}: every translatable string is translated")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
