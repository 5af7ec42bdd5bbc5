"""JSON Schemas of the input files, for editors and other tools.

The models give the shape; a policy's vocabulary gives the words: with a `Vocabulary`, the
document kinds, names of issue, actions, absence kinds and conditions become enums (the
identifier or the Chinese label) and a document accepts no other key. `govrules schema`
prints them for a policy. The committed files under `schemas/` are the bundled policy's;
a test compares them so they cannot drift; `GOVRULES_UPDATE_SCHEMAS=1 pytest tests/inputs`
rewrites them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govrules.inputs.models import CalendarFile, DocumentFile, InputModel, Organisation, Plan
from govrules.inputs.vocabulary import Vocabulary

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


def json_schemas(vocabulary: Vocabulary | None = None) -> dict[str, dict[str, Any]]:
    """Each input's JSON Schema (draft 2020-12), keyed by the input's short name; with a
    policy's `vocabulary`, its words are the only ones allowed."""
    result: dict[str, dict[str, Any]] = {}
    for name, model in SCHEMA_MODELS.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = _TITLES[name]
        result[name] = schema
    if vocabulary is not None:
        _with_words(result, vocabulary)
    return result


def _enum(vocabulary: Vocabulary, kind: str) -> dict[str, Any]:
    return {"type": "string", "enum": vocabulary.spellings(kind)}


def _with_words(schemas: dict[str, dict[str, Any]], vocabulary: Vocabulary) -> None:
    """Narrow the open word fields of the document and plan schemas to the policy's words."""
    defs = schemas["document"]["$defs"]
    document = defs["Document"]
    props = document["properties"]
    props["kind"] = {**props["kind"], **_enum(vocabulary, "document")}
    props["in_name_of"] = {
        **props["in_name_of"],
        "anyOf": [_enum(vocabulary, "name"), {"type": "null"}],
    }
    props.pop("values", None)
    givable = [w for w in vocabulary.words("flag") if "several_fields" not in w.traits]
    props["flags"]["items"] = {"type": "string", "enum": [w.ident for w in givable]}
    for word in givable:
        if "person" in word.traits:
            value: dict[str, Any] = {"type": "string", "description": "a person's name"}
        elif "role_value" in word.traits:
            value = _enum(vocabulary, "role")
        elif "units" in word.traits or "people" in word.traits:
            value = {"type": "array", "items": {"type": "string"}, "minItems": 1}
        elif "time_limit" in word.traits:
            value = {
                "type": "string",
                "description": "a date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
            }
        else:
            value = {"type": "boolean"}
        props[word.ident] = {**value, "title": word.label_zh, "description": word.label_en}
    document["additionalProperties"] = False
    event = defs["TraceEvent"]["properties"]
    event["action"] = {**event["action"], **_enum(vocabulary, "action")}
    plan = schemas["plan"]["$defs"]
    absence = plan["Absence"]["properties"]
    absence["kind"] = {**absence["kind"], **_enum(vocabulary, "absence")}
    for model, key, kind in (("Meeting", "meeting", "meeting"), ("Matter", "kind", "matter")):
        props = plan[model]["properties"]
        props[key] = {**props[key], "anyOf": [_enum(vocabulary, kind), {"type": "null"}]}


def render_schema(schema: dict[str, Any]) -> str:
    """The file text: sorted keys, indent 2, Unicode kept, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path, vocabulary: Vocabulary | None = None) -> list[Path]:
    """Write `<name>.schema.json` for every input into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas(vocabulary).items():
        path = folder / f"{name}.schema.json"
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written
