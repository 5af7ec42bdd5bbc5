"""The resolved program: every name replaced by its vocabulary identifier.

This is what the emitter turns into ASP and what lint, coverage and explanations read.
Alternatives written with 或 are expanded here into disjunctive normal form, so each
alternative becomes one ASP rule.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from govrules.labels import Labels

__all__ = [
    "Actor",
    "DocCond",
    "ExplainDuty",
    "Form",
    "Interpretation",
    "OpinionDuty",
    "PersonCond",
    "Power",
    "Program",
    "RevisionDuty",
    "Rule",
    "Source",
    "VocabItem",
]


@dataclass(frozen=True)
class Source:
    file: str
    line: int
    column: int
    article: int


@dataclass(frozen=True)
class VocabItem:
    kind: str
    ident: str
    label_zh: str
    label_en: str
    source: Source
    traits: tuple[str, ...] = ()  # what the engine must know of it (lang/traits.py)


@dataclass(frozen=True)
class Actor:
    """Who performs a step or receives a report: a role, a unit or a relation."""

    kind: str  # role | unit | relation
    ident: str


@dataclass(frozen=True)
class PersonCond:
    """One condition on the person being defined (`subject`), possibly about `var`."""

    # role | post | covers_lead | covers_field | shares | designated | no_designated | drafts
    # | serves | serves_relation | named | did | nobody | designated_post | no_designated_post
    kind: str
    # the role (role); the relation held (post, nobody); the role or relation served
    # (serves); the person-valued condition (named); the action taken (did); the relation
    # whose holder reports to the subject (designated_post, no_designated_post)
    arg: str = ""
    negated: bool = False


@dataclass(frozen=True)
class DocCond:
    kind: str  # document | name | flag | value_is (the person flag `ident` names holds `relation`)
    ident: str
    negated: bool = False
    relation: str = ""


Conjunction = tuple[DocCond, ...]


@dataclass(frozen=True)
class Definition:
    relation: str
    personal: (
        bool  # relative to a person (其 X: relative to the subject) rather than to the document
    )
    alternatives: tuple[tuple[PersonCond, ...], ...]


@dataclass(frozen=True)
class StepSpec:
    group: int
    actor: Actor
    action: str
    when: tuple[Conjunction, ...]  # empty: always
    source: Source
    optional: bool = False  # skipped, without a finding, when nobody fills it
    # plain: every holder of `actor` acts | one_of / either: any one of `options` is done
    # (one step) | each: one step per member of the document's list condition `actor.ident`
    shape: str = "plain"
    options: tuple[tuple[Actor, str], ...] = ()  # one_of / either: (who, action) alternatives


@dataclass(frozen=True)
class Procedure:
    ident: str
    applies: tuple[Conjunction, ...]
    steps: tuple[StepSpec, ...]


@dataclass(frozen=True)
class ProcedureOrder:
    procedure: str
    first: tuple[Actor, str]
    then: tuple[Actor, str]


@dataclass(frozen=True)
class ProcedureExtend:
    procedure: str
    applies: tuple[Conjunction, ...]


@dataclass(frozen=True)
class ProhibitTogether:
    role: str
    relation: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class ProhibitAction:
    actor: Actor
    action: str


@dataclass(frozen=True)
class ReportDuty:
    subject: Actor
    kinds: tuple[str, ...]
    recipients: tuple[tuple[Actor, bool], ...]  # (who, relative to the absent person)
    longer_than: int | None = None  # only absences of more working days than this


@dataclass(frozen=True)
class DeadlineDuty:
    actor: Actor
    action: str
    working_days: int


@dataclass(frozen=True)
class ActingDuty:
    subject: Actor
    acting: Actor
    theirs: bool  # relative to the absent person (其 X)


@dataclass(frozen=True)
class MeetingMembers:
    roles: tuple[str, ...]
    meeting: str = ""  # the declared kind of meeting (会议)


@dataclass(frozen=True)
class MeetingFrequency:
    meeting: str = ""
    per: str = "month"  # month | week
    times: int = 1


@dataclass(frozen=True)
class PlanReading:
    model: str  # working | first_day | matter_any_one | acting_powers | unit_members
    subject: str = ""  # matter_any_one: the kind of matter (事项)


@dataclass(frozen=True)
class MeetingCaller:
    caller: Actor
    meeting: str = ""


@dataclass(frozen=True)
class MatterDuty:
    subjects: tuple[str, ...]  # roles
    act: str  # ask | report
    recipients: tuple[tuple[Actor, bool], ...]
    when_necessary: bool
    kinds: tuple[str, ...] = ()  # the kinds of matter (事项) it is about


@dataclass(frozen=True)
class MatterDetails:
    subjects: tuple[str, ...]  # roles
    kinds: tuple[str, ...]  # the kinds of matter (事项)
    details: tuple[str, ...]  # responsible | deadline


@dataclass(frozen=True)
class Power:
    actor: Actor
    actions: tuple[str, ...]
    applies: tuple[Conjunction, ...]  # empty: every document


@dataclass(frozen=True)
class OpinionDuty:
    actions: tuple[str, ...]
    actor: Actor | None = None  # only this actor's acts need one


@dataclass(frozen=True)
class ExplainDuty:
    actor: Actor


@dataclass(frozen=True)
class RevisionDuty:
    returned: str  # the action that sends a document back
    fixer: Actor
    fix: str
    review: str


@dataclass(frozen=True)
class ActionOrder:
    first: str  # every act of this action, whoever takes it,
    then: str  # comes before any act of this one


@dataclass(frozen=True)
class CountsAs:
    mark: str  # a read-mark action
    actions: tuple[str, ...]  # taking it counts as consenting to (doing) these


@dataclass(frozen=True)
class SameActorDuty:
    trigger: str  # after an act of this action,
    first: str  # whoever last did this action
    then: str  # must do this one


@dataclass(frozen=True)
class DocDeadline:
    actor: Actor
    action: str
    limit: str  # the document's time-limit condition (特性 时限)


@dataclass(frozen=True)
class HoursDeadline:
    actor: Actor
    action: str
    hours: int  # by the clock, from the moment the document reached the actor


@dataclass(frozen=True)
class DocRequires:
    condition: DocCond  # a document kind or condition
    field: str  # a valued condition such a document must give


Form = (
    Definition
    | Procedure
    | ProcedureOrder
    | ProcedureExtend
    | ProhibitTogether
    | ProhibitAction
    | ReportDuty
    | DeadlineDuty
    | ActingDuty
    | MeetingMembers
    | MeetingFrequency
    | PlanReading
    | MeetingCaller
    | MatterDuty
    | MatterDetails
    | Power
    | OpinionDuty
    | ExplainDuty
    | RevisionDuty
    | ActionOrder
    | CountsAs
    | SameActorDuty
    | DocDeadline
    | DocRequires
    | HoursDeadline
)


@dataclass(frozen=True)
class Rule:
    ident: str  # a29.1: article, then the statement's place in it
    article: int
    severity: str  # violation | warning
    guard: tuple[str, bool] | None  # (interpretation, holds when enabled?)
    form: Form
    source: Source
    text: str = ""  # the statement as written in its rule file, for explanations
    label: str | None = None  # the article's own label (articles.toml), when it has one


@dataclass(frozen=True)
class Interpretation:
    ident: str
    label: str
    default_enabled: bool
    justification: str
    article: int
    source: Source


@dataclass(frozen=True)
class Program:
    vocabulary: tuple[VocabItem, ...]
    rules: tuple[Rule, ...]
    interpretations: tuple[Interpretation, ...]
    files: tuple[str, ...] = field(default=())

    def label(self, kind: str, ident: str, lang: str) -> str:
        return self.labels.label(kind, ident, lang)

    @functools.cached_property
    def labels(self) -> Labels:
        """The vocabulary's labels by (kind, ident), the first item of each (answers label
        thousands of atoms)."""
        return Labels.of((i.kind, i.ident, i.label_zh, i.label_en) for i in self.vocabulary)

    def article_of(self, rule: str) -> int | str | None:
        """How findings cite the article of `rule`: its label when articles.toml gives one
        (a string), else its number (an integer); None for an unknown rule."""
        for r in self.rules:
            if r.ident == rule:
                return r.label if r.label is not None else r.article
        return None

    def words(self, kind: str) -> tuple[VocabItem, ...]:
        """Every word of vocabulary kind `kind`, in declaration order."""
        return tuple(item for item in self.vocabulary if item.kind == kind)

    def with_trait(self, kind: str, trait: str) -> tuple[str, ...]:
        """The identifiers of the words of `kind` that declare `trait`."""
        return tuple(i.ident for i in self.vocabulary if i.kind == kind and trait in i.traits)

    def role_label(self, ident: str, lang: str) -> str:
        """The label of whoever fills a step (`labels.Labels.role_label`)."""
        return self.labels.role_label(ident, lang)

    def articles(self) -> dict[int, list[str]]:
        """Which rules implement each article."""
        out: dict[int, list[str]] = {}
        for rule in self.rules:
            out.setdefault(rule.article, []).append(rule.ident)
        return out
