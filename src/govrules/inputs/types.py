"""Value types shared by the input models: names, free text, local dates and times.

Dates get their own parsers rather than pydantic's lax ones, because those read a number
as seconds since 1970: `20211008` would silently become a day in 1970.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from govrules.inputs.scalars import (
    CHINA,
    DATE_PATTERN,
    DATETIME_RE,
    MAX_NAME,
    MAX_OPINION,
    NAME_PATTERN,
    OPINION_PATTERN,
    ScalarError,
    no_such_date,
    parse_datetime,
)

__all__ = [
    "CHINA",
    "MAX_NAME",
    "NAME_PATTERN",
    "LocalDate",
    "LocalDateTime",
    "Name",
    "Opinion",
    "Year",
    "parse_date",
]

Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=NAME_PATTERN)]
Opinion = Annotated[str, StringConstraints(max_length=MAX_OPINION, pattern=OPINION_PATTERN)]

_DATE = DATE_PATTERN
_DATE_RE = re.compile(rf"^{_DATE}$")
_DATETIME_RE = DATETIME_RE


def _no_such_date(text: str, exc: ValueError) -> PydanticCustomError:
    return _pydantic(no_such_date(text, exc))


def _pydantic(error: ScalarError) -> PydanticCustomError:
    return PydanticCustomError(error.kind, error.template, error.context)


# Dates a big plan repeats (a year has 365): parsed once each. Only valid dates are kept.
_DATES: dict[str, date] = {}


def parse_date(value: Any) -> Any:
    """The date a `LocalDate` field reads from `value` (`inputs.bulk` reads with it too)."""
    if type(value) is str:
        found = _DATES.get(value)
        if found is None:
            found = _parse_date_uncached(value)
            if len(_DATES) < 4096:
                _DATES[value] = found
        return found
    return _parse_date_uncached(value)


def _parse_date_uncached(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise PydanticCustomError("date_has_time", "a date without a time of day")
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_format", "a date such as 2021-10-08")
    match = _DATE_RE.match(value.strip())
    if not match:
        raise PydanticCustomError("date_format", "a date such as 2021-10-08")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise _no_such_date(value, exc) from None


def _parse_datetime(value: Any) -> Any:
    try:
        return parse_datetime(value)
    except ScalarError as error:
        raise _pydantic(error) from None


_DATE_SCHEMA = {"type": "string", "pattern": rf"^{_DATE}$", "examples": ["2021-10-08"]}
_DATETIME_SCHEMA = {
    "type": "string",
    "pattern": _DATETIME_RE.pattern,
    "description": "Local China time; a date alone means 00:00.",
    "examples": ["2021-10-08T09:00", "2021-10-08 09:00:00", "2021-10-08"],
}

LocalDate = Annotated[date, BeforeValidator(parse_date), WithJsonSchema(_DATE_SCHEMA)]
LocalDateTime = Annotated[
    datetime, BeforeValidator(_parse_datetime), WithJsonSchema(_DATETIME_SCHEMA)
]
Year = Annotated[int, Field(ge=1900, le=2999)]
