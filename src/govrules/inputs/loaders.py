"""The public way in: a path, a dict or a model, out comes a checked model.

The `Source` a model was read from is remembered beside it (not inside it, so that two
equal inputs from different files stay equal), for checks that run later, such as the
engine checking roles against a policy's vocabulary, to still point at a line.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from govrules.errors import Bilingual, InputWarning, Location
from govrules.inputs.calendar_file import check_calendar
from govrules.inputs.checks import check_document, check_org, check_plan, units_by_name
from govrules.inputs.kept import content_key
from govrules.inputs.models import (
    CalendarFile,
    Document,
    DocumentFile,
    InputModel,
    Organisation,
    Plan,
)
from govrules.inputs.names import name_notes
from govrules.inputs.plain import MAX_DOCUMENT_VALUES, MAX_VALUES
from govrules.inputs.source import Source, read_source, remember_source, source_of
from govrules.inputs.validate import validate
from govrules.inputs.vocabulary import Vocabulary, conform_document, conform_plan
from govrules.lru import LRU

__all__ = [
    "InputLike",
    "load_calendar_file",
    "load_document",
    "load_org",
    "load_plan",
    "source_of",
]

InputLike = str | Path | Mapping[str, Any] | Source
M = TypeVar("M", bound=InputModel)


def _load(
    value: InputLike | M, model: type[M], label: str, max_values: int = MAX_VALUES
) -> tuple[M, Source]:
    if isinstance(value, model):
        return value, source_of(value) or Source(label, value.model_dump(by_alias=True))
    if isinstance(value, InputModel):
        raise TypeError(f"expected {model.__name__}, got {type(value).__name__}")
    source = read_source(value, label, max_values)
    result = validate(source, model)
    remember_source(result, source)
    return result, source


# Organisations loaded from plain data, by their content (`inputs.kept`).
_ORGS: LRU[tuple[Organisation, tuple[tuple[Bilingual, Location], ...]]] = LRU(16)


def load_org(value: InputLike | Organisation) -> Organisation:
    """An organisation file (§3 of the contract), with its names checked. Given as plain
    data, the same content gives the same model (`inputs.kept`), warnings issued again."""
    key = content_key(value)
    kept = _ORGS.get(key) if key is not None else None
    if kept is not None:
        org, notes = kept
    else:
        org, source = _load(value, Organisation, "<org>")
        check_org(org, source)
        notes = tuple(name_notes(org, source))
        if key is not None:  # threads that loaded it at once all get the first one kept
            org, notes = _ORGS.put(key, (org, notes))
    for message, where in notes:
        # A new warning each time: one object raised again (under -W error) would carry
        # every earlier traceback, and threads would share it.
        warnings.warn(InputWarning(message, where), stacklevel=2)
    return org


def load_document(
    value: InputLike | DocumentFile | Document,
    org: Organisation,
    vocabulary: Vocabulary | None = None,
) -> DocumentFile:
    """A document file (`document` and an optional `trace`), its actors checked on `org`;
    with the policy's `vocabulary`, its words checked too and given as identifiers."""
    if isinstance(value, Document):
        value = DocumentFile(document=value)
    doc, source = _load(value, DocumentFile, "<document>", MAX_DOCUMENT_VALUES)
    check_document(doc, org, source)
    if vocabulary is None:
        return doc
    conformed = conform_document(doc, vocabulary, org, source)
    remember_source(conformed, source)
    return conformed


def load_plan(
    value: InputLike | Plan, org: Organisation, vocabulary: Vocabulary | None = None
) -> Plan:
    """A plan of absences, every name in it checked on `org` (and its absence kinds on the
    policy's `vocabulary`, when given)."""
    plan, source = _load(value, Plan, "<plan>")
    check_plan(plan, org, source)
    plan = units_by_name(plan, org)
    remember_source(plan, source)
    if vocabulary is None:
        return plan
    conformed = conform_plan(plan, vocabulary, source)
    remember_source(conformed, source)
    return conformed


def load_calendar_file(value: InputLike | CalendarFile) -> CalendarFile:
    """A user calendar file of holidays and make-up working days, per year."""
    calendar, source = _load(value, CalendarFile, "<calendar>")
    check_calendar(calendar, source)
    return calendar
