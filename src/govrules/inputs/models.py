"""The input files as typed, immutable models, independent of the solver.

Keys are exactly those of the contract (§3). Sequences are tuples so that a loaded input
cannot change under a query that holds it. Checks that need the whole organisation live in
`checks`; the ones here hold for any object built in Python too, and raise `rule_error`, which
`validate` turns into a message pointing at the offending field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from govrules.inputs.scalars import time_order
from govrules.inputs.types import LocalDate, LocalDateTime, Name, Opinion, Year

__all__ = [
    "Absence",
    "CalendarFile",
    "CalendarYear",
    "Consultation",
    "Document",
    "DocumentFile",
    "FrozenDict",
    "InputModel",
    "Matter",
    "Meeting",
    "MeetingKind",
    "Organisation",
    "Period",
    "Person",
    "Plan",
    "Report",
    "TraceEvent",
    "rule_error",
]

MeetingKind = Literal["regular", "ad_hoc"]


def rule_error(field: str, zh: str, en: str) -> PydanticCustomError:
    """An invariant broken at `field` of the model raising it, with its bilingual message."""
    return PydanticCustomError("govrules_rule", "{en}", {"field": field, "zh": zh, "en": en})


class FrozenDict(dict[str, str]):
    """A dict that refuses every change after it is built: a loaded model is shared by
    threads and cached by identity, so nothing in it may change under a query."""

    def _refuse(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError("a loaded input is frozen: build a new one instead")

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[dict[str, str]]]:
        return FrozenDict, (dict(self),)

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


class InputModel(BaseModel):
    """Common settings: unknown keys are errors, values are frozen, names are trimmed."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        validate_by_name=True,
        validate_by_alias=True,
    )


class Person(InputModel):
    name: Name
    roles: tuple[Name, ...] = Field(min_length=1, description="Roles of the policy's vocabulary.")
    fields: tuple[Name, ...] = Field(default=(), description="Fields of work in charge (分管领域).")
    reports_to: tuple[Name, ...] | None = Field(
        default=None, description="Vice-mayors in charge, overriding the match by fields."
    )
    backup: tuple[Name, ...] = Field(default=(), description="A/B post partners (A/B posts).")
    units: tuple[Name, ...] = Field(
        default=(),
        description="Units (ids or display names of `units`) the person is a member of: a "
        "report to a member counts as one to the unit under the unit-members form.",
    )


class Organisation(InputModel):
    district: Name
    people: tuple[Person, ...] = Field(min_length=1)
    units: Annotated[dict[Name, Name], AfterValidator(FrozenDict)] = Field(
        default_factory=FrozenDict,
        description="Unit id to display name, e.g. office: 办公室.",
    )

    def __hash__(self) -> int:
        return hash((self.district, self.people, tuple(sorted(self.units.items()))))

    def person(self, name: str) -> Person | None:
        """The person called `name`, if any."""
        return next((p for p in self.people if p.name == name), None)

    def unit_id(self, actor: str) -> str | None:
        """The id of the unit `actor` names, by its id or its display name."""
        if actor in self.units:
            return actor
        return next((uid for uid, shown in self.units.items() if shown == actor), None)


class Consultation(InputModel):
    """A unit consulted on an important draft (article 30) and what became of its opinion."""

    unit: Name
    adopted: bool = Field(description="Whether the unit's opinion was adopted.")
    explained: bool = Field(
        default=False, description="An opinion not adopted was discussed and explained."
    )


class Document(InputModel):
    """A document as the policy's vocabulary describes it.

    `kind`, `in_name_of` and the conditions are the policy's words (identifier or label),
    checked against its vocabulary by `inputs.vocabulary.conform_document`; a condition may
    be listed under `flags` or given as a key of its own (`secret: true`, or a value where
    the vocabulary declares one, `leader: NAME`). Extra keys are kept for that check.
    """

    model_config = ConfigDict(**{**InputModel.model_config, "extra": "allow"})

    id: Name
    kind: Name = Field(description="A document kind (公文) of the policy's vocabulary.")
    in_name_of: Name | None = Field(
        default=None,
        description="A name of issue (名义) of the vocabulary; for kinds that declare one.",
    )
    fields: tuple[Name, ...] = Field(
        default=(), description="The first leads (主办); others assist."
    )
    flags: tuple[Name, ...] = Field(
        default=(), description="Conditions (条件) of the policy's vocabulary that hold."
    )
    values: tuple[tuple[Name, Name], ...] = Field(
        default=(),
        description="Valued conditions as (condition, value) pairs, as conformed; "
        "inputs usually give them as keys.",
    )
    received: LocalDateTime | None = None
    drafter: Name | None = Field(
        default=None, description="The unit or person drafting it (articles 30, 32)."
    )
    consultations: tuple[Consultation, ...] = Field(
        default=(), description="Units consulted on a draft (article 30)."
    )

    def __hash__(self) -> int:
        extra = tuple(sorted((k, repr(v)) for k, v in (self.model_extra or {}).items()))
        return hash((*(getattr(self, name) for name in type(self).model_fields), extra))

    @property
    def lead_field(self) -> str | None:
        """The field that leads (主办); the others assist (协办)."""
        return self.fields[0] if self.fields else None


class TraceEvent(InputModel):
    actor: Name
    action: Name = Field(description="An action (行为) of the policy's vocabulary.")
    at: LocalDateTime
    opinion: Opinion | None = None
    acting_for: Name | None = Field(
        default=None,
        description="On whose behalf the entry was done: a person away that day whom an "
        "acting rule names the actor to act for (check with a plan to see the absences).",
    )


class DocumentFile(InputModel):
    document: Document
    trace: tuple[TraceEvent, ...] = Field(
        default=(),
        description="What happened; judged in the order of `at` (equal times in list order).",
    )

    def time_order(self) -> list[int]:
        """The trace's list positions in the order the entries happened (`facts.time_order`)."""
        return time_order(self.trace)


class Report(InputModel):
    to: Name = Field(description="A person, or a unit of the organisation (its id or name).")
    on: LocalDate


class Absence(InputModel):
    who: Name
    kind: Name = Field(description="An absence kind (缺勤) of the policy's vocabulary.")
    from_: LocalDate = Field(alias="from", description="First day.")
    to: LocalDate = Field(description="Last day, inclusive.")
    reported: tuple[Report, ...] = Field(default=(), description="Advance reports of this absence.")

    @property
    def days(self) -> int:
        """Calendar days covered, both ends included."""
        return (self.to - self.from_).days + 1

    def covers(self, day: date) -> bool:
        return self.from_ <= day <= self.to

    @model_validator(mode="after")
    def _ends_after_start(self) -> Absence:
        if self.to < self.from_:
            raise rule_error(
                "to",
                f"结束日期 to（{self.to}）早于开始日期 from（{self.from_}）；to 是最后一天（含）",
                f"the end date to ({self.to}) is before the start date from ({self.from_}); "
                "to is the last day, inclusive",
            )
        return self


class Period(InputModel):
    """The months (or weeks) a meeting log covers, checked against the meeting rules."""

    from_: LocalDate = Field(alias="from", description="First day.")
    to: LocalDate = Field(description="Last day, inclusive.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> Period:
        if self.to < self.from_:
            raise rule_error(
                "to",
                f"结束日期 to（{self.to}）早于开始日期 from（{self.from_}）",
                f"the end date to ({self.to}) is before the start date from ({self.from_})",
            )
        return self


class Meeting(InputModel):
    """One meeting of a kind the policy declares (词汇 会议), as held."""

    on: LocalDate
    meeting: Name | None = Field(
        default=None,
        description="The kind of meeting (a 会议 of the policy's vocabulary: identifier or "
        "label); may be left out when the policy declares only one.",
    )
    kind: MeetingKind = Field(default="regular", description="regular (例会) or ad_hoc (临时).")
    called_by: Name | None = Field(default=None, description="Who decided to call it.")
    attendees: tuple[Name, ...] = Field(default=(), description="Members present, with a vote.")
    observers: tuple[Name, ...] = Field(default=(), description="Sitting in without a vote (列席).")

    @model_validator(mode="after")
    def _ad_hoc_has_caller(self) -> Meeting:
        if self.kind == "ad_hoc" and self.called_by is None:
            raise rule_error(
                "called_by",
                "临时会议（ad_hoc）须写明 called_by（由谁决定召开）",
                "an ad hoc meeting needs called_by (who decided to call it)",
            )
        return self


class Matter(InputModel):
    """A matter someone handled, and whom they asked and told (the policy's matter rules)."""

    who: Name
    subject: Name
    kind: Name | None = Field(
        default=None,
        description="The kind of matter (a 事项 of the policy's vocabulary: identifier or "
        "label); may be left out when the policy declares only one.",
    )
    on: LocalDate = Field(description="When the matter arose.")
    field: Name | None = Field(
        default=None,
        description="The field of work the matter lies in (a field of the organisation): "
        "duties owed to someone by a relation go to those of them who hold it.",
    )
    important: bool = Field(
        default=True,
        description="false: the matter is of no kind the rules name, and owes nothing.",
    )
    director_needed: bool = Field(
        default=False, description="Must also be reported to the director (必要时)."
    )
    concluded: bool | None = Field(
        default=None,
        description="false: the matter is still in hand with no result yet, so no report of "
        "it is due yet; true or absent: a report is due.",
    )
    responsible: Name | None = Field(
        default=None, description="The person responsible for it (责任人), as the matter names."
    )
    deadline: LocalDate | None = Field(default=None, description="Its deadline (完成时限).")
    requested: tuple[Report, ...] = Field(default=(), description="Instructions asked (请示).")
    reported: tuple[Report, ...] = Field(default=(), description="Progress reported (报告).")


class Plan(InputModel):
    """A plan file for `leave`: absences, and optionally the meetings held (checked month
    by month or week by week over `period`) and the matters handled."""

    absences: tuple[Absence, ...] = Field(default=())
    period: Period | None = Field(
        default=None, description="The months and weeks the meeting log covers."
    )
    meetings: tuple[Meeting, ...] = Field(default=(), description="Meetings held.")
    matters: tuple[Matter, ...] = Field(default=(), description="Matters handled.")


def _day_list_kind(value: Any) -> str:
    return "[named]" if isinstance(value, Mapping) else "[dates]"


# A day list: plain dates (the original form) or dates under a name (元旦: [2027-01-01]).
# The tags start with "[" so that error positions skip them (`Source.locate`).
DayList = Annotated[
    Annotated[tuple[LocalDate, ...], Tag("[dates]")]
    | Annotated[dict[Name, tuple[LocalDate, ...]], Tag("[named]")],
    Discriminator(_day_list_kind),
]


class CalendarYear(InputModel):
    """One year's arrangement: which weekdays are off and which weekend days are worked."""

    provisional: bool = Field(
        default=False,
        description="A plan, not the State Council's notice (e.g. `govrules calendar "
        "template`): answers that count days in this year say so.",
    )
    holidays: DayList = Field(
        default=(),
        description="Weekdays off: a list of dates, or a mapping from a holiday's name to "
        "its dates.",
    )
    workdays: DayList = Field(
        default=(),
        description="Weekend make-up working days: a list of dates, or a mapping from a "
        "name to its dates.",
    )

    def entries(self, key: str) -> list[tuple[date, str | None, tuple[str | int, ...]]]:
        """(day, its name or None, its place under the year) of `holidays` or `workdays`."""
        value = getattr(self, key)
        if isinstance(value, dict):
            return [
                (day, name, (key, name, k))
                for name, days in value.items()
                for k, day in enumerate(days)
            ]
        return [(day, None, (key, k)) for k, day in enumerate(value)]

    @property
    def holiday_dates(self) -> tuple[date, ...]:
        return tuple(day for day, _, _ in self.entries("holidays"))

    @property
    def workday_dates(self) -> tuple[date, ...]:
        return tuple(day for day, _, _ in self.entries("workdays"))

    def __hash__(self) -> int:
        return hash((self.provisional, self.holiday_dates, self.workday_dates))


class CalendarFile(InputModel):
    years: dict[Year, CalendarYear] = Field(
        description="Each year given replaces the data of lower-precedence sources (the "
        "built-in calendar among them) for that year.",
        json_schema_extra={"propertyNames": {"pattern": "^[0-9]{4}$"}},
    )

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.years.items())))
