"""JSON Schema of the scenario file format, generated from the model."""

from __future__ import annotations

from disagg_viz.scenario.model import SCHEMA_VERSION, Scenario


def scenario_json_schema() -> dict:
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"disagg-viz scenario (schema_version {SCHEMA_VERSION})"
    return schema
