"""The input files of govrules (organisation, document, plan, calendar): read with their
positions, validated into frozen models, cross-checked, and described as JSON Schema."""

from __future__ import annotations

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
