"""The input files of govrules (organisation, document, plan, calendar): read with their
positions, validated into frozen models, cross-checked, and described as JSON Schema."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govrules.inputs.calendar_file import check_calendar
    from govrules.inputs.checks import check_document, check_org, check_plan, check_roles
    from govrules.inputs.loaders import (
        InputLike,
        load_calendar_file,
        load_document,
        load_org,
        load_plan,
        source_of,
    )
    from govrules.inputs.models import (
        Absence,
        CalendarFile,
        CalendarYear,
        Document,
        DocumentFile,
        InputModel,
        Matter,
        Meeting,
        Organisation,
        Period,
        Person,
        Plan,
        Report,
        TraceEvent,
    )
    from govrules.inputs.schema import json_schemas, write_schemas
    from govrules.inputs.source import Source, read_source
    from govrules.inputs.validate import validate
    from govrules.inputs.vocabulary import Vocabulary, Word

__all__ = [
    "Absence",
    "CalendarFile",
    "CalendarYear",
    "Document",
    "DocumentFile",
    "InputLike",
    "InputModel",
    "Matter",
    "Meeting",
    "Organisation",
    "Period",
    "Person",
    "Plan",
    "Report",
    "Source",
    "TraceEvent",
    "Vocabulary",
    "Word",
    "check_calendar",
    "check_document",
    "check_org",
    "check_plan",
    "check_roles",
    "json_schemas",
    "load_calendar_file",
    "load_document",
    "load_org",
    "load_plan",
    "read_source",
    "source_of",
    "validate",
    "write_schemas",
]

# Where each name lives. Imported on first use (PEP 562): a submodule such as
# `inputs.libyaml_reader` or `inputs.scalars` can then be imported without the models and
# pydantic, which a one-shot `govrules route` answered from its kit never needs.
_HOME = {
    "Absence": "govrules.inputs.models",
    "CalendarFile": "govrules.inputs.models",
    "CalendarYear": "govrules.inputs.models",
    "Document": "govrules.inputs.models",
    "DocumentFile": "govrules.inputs.models",
    "InputLike": "govrules.inputs.loaders",
    "InputModel": "govrules.inputs.models",
    "Matter": "govrules.inputs.models",
    "Meeting": "govrules.inputs.models",
    "Organisation": "govrules.inputs.models",
    "Period": "govrules.inputs.models",
    "Person": "govrules.inputs.models",
    "Plan": "govrules.inputs.models",
    "Report": "govrules.inputs.models",
    "Source": "govrules.inputs.source",
    "TraceEvent": "govrules.inputs.models",
    "Vocabulary": "govrules.inputs.vocabulary",
    "Word": "govrules.inputs.vocabulary",
    "check_calendar": "govrules.inputs.calendar_file",
    "check_document": "govrules.inputs.checks",
    "check_org": "govrules.inputs.checks",
    "check_plan": "govrules.inputs.checks",
    "check_roles": "govrules.inputs.checks",
    "json_schemas": "govrules.inputs.schema",
    "load_calendar_file": "govrules.inputs.loaders",
    "load_document": "govrules.inputs.loaders",
    "load_org": "govrules.inputs.loaders",
    "load_plan": "govrules.inputs.loaders",
    "read_source": "govrules.inputs.source",
    "source_of": "govrules.inputs.loaders",
    "validate": "govrules.inputs.validate",
    "write_schemas": "govrules.inputs.schema",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
