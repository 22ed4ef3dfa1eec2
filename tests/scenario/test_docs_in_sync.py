"""The JSON Schema and the key tables in docs/ are generated from the model: they must match it."""

import json
from pathlib import Path

from disagg_viz.scenario.schema import scenario_json_schema
from disagg_viz.tools.format_doc import DOC, render

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_json_schema_in_docs_is_current():
    assert json.loads((DOCS / "scenario.schema.json").read_text()) == scenario_json_schema(), \
        "regenerate it: disagg-viz schema > docs/scenario.schema.json"


def test_key_tables_in_scenario_format_are_current():
    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "regenerate them: python -m disagg_viz.tools.format_doc"
    assert "`trace_speed`" in text and "### [[lesson.steps]] (optional)" in text
