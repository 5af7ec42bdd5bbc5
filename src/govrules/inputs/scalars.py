"""The plain values of input files, without pydantic: the limits and patterns of names
and opinions, local times, and a trace's time order.

`types` builds the models' field types from these; a route answered from its kit
(`quickroute`) reads a document with them directly. One definition for both, so the two
cannot read a value differently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Protocol

__all__ = [
    "CHINA",
    "DATETIME_RE",
    "DATE_PATTERN",
    "MAX_NAME",
    "MAX_OPINION",
    "NAME_PATTERN",
    "OPINION_PATTERN",
    "ScalarError",
    "parse_datetime",
    "time_order",
]

MAX_NAME = 200
MAX_OPINION = 2000
# No control characters (C0, DEL, C1 such as CSI U+009B) and no line or paragraph
# separators: they are invisible, break lines, and drive terminals when printed raw.
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
# Opinions are prose: tabs and line breaks are fine there, terminal controls are not.
OPINION_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
CHINA = timezone(timedelta(hours=8))

DATE_PATTERN = r"(\d{4})-(\d{1,2})-(\d{1,2})"
DATETIME_RE = re.compile(
    rf"^{DATE_PATTERN}(?:[Tt ]+(\d{{1,2}}):(\d{{2}})(?::(\d{{2}})(?:\.(\d{{1,6}})\d*)?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2})?)?$"
)


class ScalarError(ValueError):
    """A value that is not what its field takes: pydantic's error type, its message
    template and the template's values (`types` raises it as pydantic's own error)."""

    def __init__(self, kind: str, template: str, context: dict[str, Any] | None = None) -> None:
        super().__init__(template)
        self.kind = kind
        self.template = template
        self.context = context


def no_such_date(text: str, exc: ValueError | OverflowError) -> ScalarError:
    return ScalarError(
        "date_value", "no such date or time: {text} ({reason})", {"text": text, "reason": str(exc)}
    )


def _offset(text: str) -> timezone:
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _to_local(value: datetime, text: str | None = None) -> datetime:
    """Times with an offset are read as the same instant in China time, then made naive;
    an instant China time cannot hold (before year 1, after 9999) is no such time."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(CHINA).replace(tzinfo=None)
    except OverflowError as exc:
        raise no_such_date(text or value.isoformat(), exc) from None


def parse_datetime(value: Any) -> datetime:
    """A local China time from a datetime, a date (its 00:00) or text such as
    2021-10-08T09:00 (an offset is converted); ScalarError for anything else."""
    if isinstance(value, datetime):
        return _to_local(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ScalarError("datetime_format", "a time such as 2021-10-08T09:00")
    match = DATETIME_RE.match(value.strip())
    if not match:
        raise ScalarError("datetime_format", "a time such as 2021-10-08T09:00")
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
        raise no_such_date(value, exc) from None
    return _to_local(result, value)


class _Timed(Protocol):
    @property
    def at(self) -> datetime: ...


def time_order(trace: Sequence[_Timed]) -> list[int]:
    """A trace's list positions in the order the entries happened: by `at`, equal times in
    list order, so a trace exported newest first is judged as it happened."""
    return sorted(range(len(trace)), key=lambda i: trace[i].at)
