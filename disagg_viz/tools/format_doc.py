"""Regenerate the "Every key" tables of docs/scenario-format.md from the scenario model, so the
document can never drift from what the loader accepts:

    python -m disagg_viz.tools.format_doc [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from disagg_viz.scenario.faults import FaultSection
from disagg_viz.scenario.model import Burst, ColocatedSystem, DisaggregatedSystem, DynamicPools, RateStep, Scenario
from disagg_viz.scenario.teaching import Claim, LessonSection, LessonStep

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
MARK = "## Every key"


def _allowed(field) -> str:
    parts = []
    for m in field.metadata:
        for attr, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="), ("min_length", "length >="),
                          ("max_length", "length <=")):
            v = getattr(m, attr, None)
            if v is not None:
                parts.append(f"{sym} {v:,}" if isinstance(v, (int, float)) else f"{sym} {v}")
    ann = str(field.annotation)
    if "Literal[" in ann:
        inner = ann[ann.index("Literal[") + 8: ann.index("]", ann.index("Literal["))]
        parts.append("one of " + ", ".join(f"`{x.strip().strip(chr(39))}`" for x in inner.split(",")))
    return "; ".join(parts)


def _default(name, field) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    value = field.default_factory() if field.default_factory is not None else field.default
    if value is None:
        return "preset" if name not in LessonStep.model_fields and name not in Claim.model_fields else "none"
    if isinstance(value, BaseModel):
        return "section"
    return f"`{value!r}`".replace("'", '"')


def _table(model, skip=()) -> list[str]:
    out = ["| key | default | allowed | meaning |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        out.append(f"| `{name}` | {_default(name, field)} | {_allowed(field)} | {field.description or ''} |")
    return out


def every_key() -> str:
    lines = [MARK, ""]
    sections = [("top level", Scenario, ("model", "hardware", "workload", "slo", "systems", "view", "teacher", "lesson",
                                                 "faults"))]
    for name in ("model", "hardware", "workload", "slo"):
        sections.append((f"[{name}]", Scenario.model_fields[name].annotation, ()))
        if name == "workload":
            sections += [("[[workload.rates]] (optional)", RateStep, ()), ("[[workload.bursts]] (optional)", Burst, ())]
    sections += [('[[systems]] kind = "colocated"', ColocatedSystem, ()),
                 ('[[systems]] kind = "disaggregated"', DisaggregatedSystem, ()),
                 ("[systems.dynamic_pools] (optional, a disaggregated system)", DynamicPools, ())]
    for name in ("view", "teacher"):
        sections.append((f"[{name}] (optional)", Scenario.model_fields[name].annotation, ()))
    sections.append(("[lesson] (optional)", LessonSection, ("steps",)))
    sections.append(("[[lesson.steps]] (optional)", LessonStep, ()))
    sections.append(("[[lesson.steps.claims]] (optional)", Claim, ()))
    sections.append(("[[faults]] (optional)", FaultSection, ()))
    for title, model, skip in sections:
        lines += [f"### {title}", ""] + _table(model, skip) + [""]
    return "\n".join(lines)


def render(text: str) -> str:
    head = text.split(MARK)[0] if MARK in text else text + "\n"
    return head + every_key()


def main(argv=None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    text = DOC.read_text(encoding="utf-8")
    new = render(text)
    if check:
        return 0 if new == text else 1
    DOC.write_text(new, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
