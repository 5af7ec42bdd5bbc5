"""Value types shared by the input models: names, free text, local dates and times.

Dates get their own parsers rather than pydantic's lax ones, because those read a number
as seconds since 1970: `20211008` would silently become a day in 1970.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = [
    "CHINA",
    "MAX_NAME",
    "NAME_PATTERN",
    "LocalDate",
    "LocalDateTime",
    "Name",
    "Opinion",
    "Year",
]

MAX_NAME = 200
MAX_OPINION = 2000
# No control characters (C0, DEL, C1 such as CSI U+009B) and no line or paragraph
# separators: they are invisible, break lines, and drive terminals when printed raw.
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
# Opinions are prose: tabs and line breaks are fine there, terminal controls are not.
OPINION_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
CHINA = timezone(timedelta(hours=8))

Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=NAME_PATTERN)]
Opinion = Annotated[str, StringConstraints(max_length=MAX_OPINION, pattern=OPINION_PATTERN)]

_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_DATE_RE = re.compile(rf"^{_DATE}$")
_DATETIME_RE = re.compile(
    rf"^{_DATE}(?:[Tt ]+(\d{{1,2}}):(\d{{2}})(?::(\d{{2}})(?:\.(\d{{1,6}})\d*)?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2})?)?$"
)


def _no_such_date(text: str, exc: ValueError) -> PydanticCustomError:
    return PydanticCustomError(
        "date_value", "no such date or time: {text} ({reason})", {"text": text, "reason": str(exc)}
    )


# Dates a big plan repeats (a year has 365): parsed once each. Only valid dates are kept.
_DATES: dict[str, date] = {}


def _parse_date(value: Any) -> Any:
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


def _offset(text: str) -> timezone:
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _to_local(value: datetime) -> datetime:
    """Times with an offset are read as the same instant in China time, then made naive."""
    if value.tzinfo is None:
        return value
    return value.astimezone(CHINA).replace(tzinfo=None)


def _parse_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return _to_local(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_format", "a time such as 2021-10-08T09:00")
    match = _DATETIME_RE.match(value.strip())
    if not match:
        raise PydanticCustomError("datetime_format", "a time such as 2021-10-08T09:00")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        result = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=_offset(offset) if offset else None,
        )
    except ValueError as exc:
        raise _no_such_date(value, exc) from None
    return _to_local(result)


_DATE_SCHEMA = {"type": "string", "pattern": rf"^{_DATE}$", "examples": ["2021-10-08"]}
_DATETIME_SCHEMA = {
    "type": "string",
    "pattern": _DATETIME_RE.pattern,
    "description": "Local China time; a date alone means 00:00.",
    "examples": ["2021-10-08T09:00", "2021-10-08 09:00:00", "2021-10-08"],
}

LocalDate = Annotated[date, BeforeValidator(_parse_date), WithJsonSchema(_DATE_SCHEMA)]
LocalDateTime = Annotated[
    datetime, BeforeValidator(_parse_datetime), WithJsonSchema(_DATETIME_SCHEMA)
]
Year = Annotated[int, Field(ge=1900, le=2999)]
