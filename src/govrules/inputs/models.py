"""The input files as typed, immutable models, independent of the solver.

Keys are exactly those of the contract (§3). Sequences are tuples so that a loaded input
cannot change under a query that holds it. Checks that need the whole organisation live in
`checks`; the ones here hold for any object built in Python too, and raise `rule_error`, which
`validate` turns into a message pointing at the offending field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, NoReturn, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from govrules.inputs.types import LocalDate, LocalDateTime, Name, Opinion, Year

__all__ = [
    "ACTIONS",
    "CROSS_FIELD_FLAG",
    "DOCUMENT_KINDS",
    "ESCALATION_FLAG_PREFIX",
    "IN_NAME_OF",
    "LEAVE_KINDS",
    "Absence",
    "Action",
    "CalendarFile",
    "CalendarYear",
    "Consultation",
    "Document",
    "DocumentFile",
    "DocumentKind",
    "EscalateTo",
    "FrozenDict",
    "InNameOf",
    "InputModel",
    "LeaveKind",
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

DocumentKind = Literal[
    "outgoing", "incoming", "minutes", "speech", "agenda_item", "important_draft"
]
InNameOf = Literal["district_government", "government_party_group", "office", "office_party_group"]
Action = Literal[
    "propose",
    "review",
    "sign",
    "issue",
    "instruct",
    "opine",
    "return",
    "circulate",
    "draft",
    "revise",
    "approve",
    "consult",
    "submit",
    "coordinate",
]
EscalateTo = Literal["mayor", "executive_vice_mayor"]
LeaveKind = Literal["business_trip", "vacation", "sick", "personal"]
MeetingKind = Literal["regular", "ad_hoc"]

DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)
IN_NAME_OF: tuple[str, ...] = get_args(InNameOf)
ACTIONS: tuple[str, ...] = get_args(Action)
LEAVE_KINDS: tuple[str, ...] = get_args(LeaveKind)


# Conditions the document does not state but that follow from it (Document.flags).
CROSS_FIELD_FLAG = "cross_field"  # more than one field
ESCALATION_FLAG_PREFIX = "escalate_to_"  # followed by the escalate_to value


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
    backup: tuple[Name, ...] = Field(default=(), description="A/B post partners (AB岗).")


class Organisation(InputModel):
    district: Name
    people: tuple[Person, ...] = Field(min_length=1)
    units: Annotated[dict[Name, Name], AfterValidator(FrozenDict)] = Field(
        default_factory=FrozenDict,
        description="Unit id to display name, e.g. secretariat: 秘书股.",
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
    id: Name
    kind: DocumentKind
    in_name_of: InNameOf | None = Field(
        default=None, description="Required for outgoing documents."
    )
    fields: tuple[Name, ...] = Field(
        default=(), description="The first leads (主办); others assist."
    )
    needs_instruction: bool = Field(default=False, description="Needs a leader's instruction.")
    collective_study: bool = Field(default=False, description="Goes to a meeting or to the mayor.")
    leader_signature: bool = Field(
        default=False, description="An office document a leader signs too."
    )
    received: LocalDateTime | None = None
    secret: bool = False
    drafter: Name | None = Field(
        default=None, description="The unit or person drafting it (articles 30, 32)."
    )
    escalate_to: EscalateTo | None = Field(
        default=None, description="A speech the mayor or executive vice-mayor approves (art. 32)."
    )
    major_disagreement: bool = Field(
        default=False, description="An agenda item on which opinions differ widely (art. 33)."
    )
    consultations: tuple[Consultation, ...] = Field(
        default=(), description="Units consulted on a draft (article 30)."
    )

    @property
    def flags(self) -> tuple[str, ...]:
        """The document's conditions as the policy names them (条件 in the vocabulary)."""
        named = ("needs_instruction", "collective_study", "leader_signature", "secret")
        out = [flag for flag in named if getattr(self, flag)]
        if self.major_disagreement:
            out.append("major_disagreement")
        if self.escalate_to is not None:
            out.append(ESCALATION_FLAG_PREFIX + self.escalate_to)
        if len(set(self.fields)) > 1:
            out.append(CROSS_FIELD_FLAG)
        return tuple(sorted(out))

    @property
    def lead_field(self) -> str | None:
        """The field that leads (主办); the others assist (协办)."""
        return self.fields[0] if self.fields else None

    @model_validator(mode="after")
    def _in_name_of_only_for_outgoing(self) -> Document:
        if self.kind == "outgoing" and self.in_name_of is None:
            raise rule_error(
                "in_name_of",
                "发文（outgoing）必须写明 in_name_of（以谁的名义行文）：" + "、".join(IN_NAME_OF),
                "an outgoing document needs in_name_of (in whose name it is issued): "
                + ", ".join(IN_NAME_OF),
            )
        if self.kind != "outgoing" and self.in_name_of is not None:
            raise rule_error(
                "in_name_of",
                f"只有发文（outgoing）才有 in_name_of，此文件类型为 {self.kind}；请删除该键",
                f"only an outgoing document has in_name_of, this one is {self.kind}; "
                "remove the key",
            )
        return self


class TraceEvent(InputModel):
    actor: Name
    action: Action
    at: LocalDateTime
    opinion: Opinion | None = None


class DocumentFile(InputModel):
    document: Document
    trace: tuple[TraceEvent, ...] = Field(default=(), description="What happened, in order.")


class Report(InputModel):
    to: Name
    on: LocalDate


class Absence(InputModel):
    who: Name
    kind: LeaveKind
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
    """The months a meeting log covers: each must have its regular meeting (article 24)."""

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
    """One directors' briefing meeting (主任碰头会议, article 24) as held."""

    on: LocalDate
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
    """An important matter a director or deputy handled, and whom they asked and told (art. 38)."""

    who: Name
    subject: Name
    on: LocalDate = Field(description="When the matter arose.")
    important: bool = Field(default=True, description="An important matter (重要事项).")
    director_needed: bool = Field(
        default=False, description="Must also be reported to the director (必要时)."
    )
    requested: tuple[Report, ...] = Field(default=(), description="Instructions asked (请示).")
    reported: tuple[Report, ...] = Field(default=(), description="Progress reported (报告).")


class Plan(InputModel):
    """A plan file for `leave`: absences (articles 25, 39), and optionally the briefing
    meetings held (article 24, checked month by month over `period`) and the important
    matters handled (article 38)."""

    absences: tuple[Absence, ...] = Field(default=())
    period: Period | None = Field(
        default=None, description="Months the meeting log covers (article 24)."
    )
    meetings: tuple[Meeting, ...] = Field(default=(), description="Briefing meetings held.")
    matters: tuple[Matter, ...] = Field(default=(), description="Important matters handled.")


class CalendarYear(InputModel):
    holidays: tuple[LocalDate, ...] = Field(default=(), description="Weekdays off.")
    workdays: tuple[LocalDate, ...] = Field(default=(), description="Weekend make-up working days.")


class CalendarFile(InputModel):
    years: dict[Year, CalendarYear] = Field(
        description="Each year given replaces the built-in data for that year.",
        json_schema_extra={"propertyNames": {"pattern": "^[0-9]{4}$"}},
    )

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.years.items())))
