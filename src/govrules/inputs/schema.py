"""JSON Schemas of the input files, for editors and other tools.

The committed files under `schemas/` are generated from the models; a test compares them
so they cannot drift; `GOVRULES_UPDATE_SCHEMAS=1 pytest tests/inputs` rewrites them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govrules.inputs.models import CalendarFile, DocumentFile, InputModel, Organisation, Plan

__all__ = ["SCHEMA_MODELS", "json_schemas", "render_schema", "write_schemas"]

SCHEMA_MODELS: dict[str, type[InputModel]] = {
    "org": Organisation,
    "document": DocumentFile,
    "plan": Plan,
    "calendar": CalendarFile,
}

_TITLES = {
    "org": "govrules organisation (--org)",
    "document": "govrules document file (route, check)",
    "plan": "govrules plan of absences (leave)",
    "calendar": "govrules working-day calendar (--calendar)",
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """Each input's JSON Schema (draft 2020-12), keyed by the input's short name."""
    result: dict[str, dict[str, Any]] = {}
    for name, model in SCHEMA_MODELS.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = _TITLES[name]
        result[name] = schema
    return result


def render_schema(schema: dict[str, Any]) -> str:
    """The file text: sorted keys, indent 2, Unicode kept, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write `<name>.schema.json` for every input into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written
