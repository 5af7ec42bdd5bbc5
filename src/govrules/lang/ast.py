"""The surface syntax tree: what a rule file says, with the position of every part.

Nodes are plain frozen dataclasses, independent of Lark; every node carries its
`Pos`, and every statement carries the article it sits under, so that a later stage
can cite the article and the line of anything it reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pos:
    file: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Term:
    """A name as written: a Chinese label or an identifier, resolved later."""

    text: str
    pos: Pos


@dataclass(frozen=True)
class VocabEntry:
    # role | unit | action | absence | document | name | flag | relation | procedure | meeting
    # | matter
    kind: str
    label: Term
    ident: Term
    en_label: str | None
    pos: Pos
    traits: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    entries: tuple[VocabEntry, ...]
    pos: Pos


# ---- conditions on people (definitions) -------------------------------------------


@dataclass(frozen=True)
class CondRole:
    roles: tuple[Term, ...]
    pos: Pos


@dataclass(frozen=True)
class CondCoversLead:
    pos: Pos


@dataclass(frozen=True)
class CondCoversField:
    pos: Pos


@dataclass(frozen=True)
class CondShares:
    var: Term
    pos: Pos


@dataclass(frozen=True)
class CondDesignated:
    var: Term
    pos: Pos


@dataclass(frozen=True)
class CondNoDesignated:
    var: Term
    pos: Pos


@dataclass(frozen=True)
class CondDrafts:
    """DRAFTS: the person or unit named as the document's drafter."""

    pos: Pos


@dataclass(frozen=True)
class CondServes:
    """联系 X: a liaison serving X (a role, or a relation to the document)."""

    target: Term
    pos: Pos


@dataclass(frozen=True)
class CondNamed:
    """公文所指 KEY 之人: the person the document names under condition KEY (特性 人员)."""

    condition: Term
    pos: Pos


@dataclass(frozen=True)
class CondDid:
    """曾 ACTION: the person took ACTION on the document (its recorded trace says so)."""

    action: Term
    pos: Pos


@dataclass(frozen=True)
class CondNobody:
    """无人为 RELATION: nobody holds that relation to the document (a default's guard)."""

    relation: Term
    pos: Pos


@dataclass(frozen=True)
class CondNot:
    inner: Condition
    pos: Pos


Condition = (
    CondRole
    | CondCoversLead
    | CondCoversField
    | CondShares
    | CondDesignated
    | CondNoDesignated
    | CondDrafts
    | CondServes
    | CondNamed
    | CondDid
    | CondNobody
) | CondNot


# ---- conditions on the document ----------------------------------------------------


@dataclass(frozen=True)
class DocTerm:
    """A document kind or flag (a kind or a condition of the vocabulary), possibly negated."""

    term: Term
    negated: bool
    pos: Pos


@dataclass(frozen=True)
class DocName:
    """名义 为 A 或 B: the document is issued in one of these names."""

    names: tuple[Term, ...]
    pos: Pos


@dataclass(frozen=True)
class DocValueIs:
    """KEY 是 RELATION: the person a condition names (特性 人员) holds a relation
    to the document."""

    condition: Term
    relation: Term
    pos: Pos


DocCondition = DocTerm | DocName | DocValueIs


# ---- statements -------------------------------------------------------------------


@dataclass(frozen=True)
class Guard:
    """依 解释 X / 除非 解释 X: the statement holds only with the reading on (or off)."""

    name: Term
    when_enabled: bool
    pos: Pos


@dataclass(frozen=True)
class Interpretation:
    label: Term
    ident: Term | None
    default_enabled: bool
    justification: str


@dataclass(frozen=True)
class Definition:
    relation: Term
    param: Term | None  # None: relative to the document; else relative to this person
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class StepOption:
    """One alternative of a step written with 或 / or (or 之一 / one of)."""

    actor: Term
    action: Term
    one_of: bool = False  # written 之一 / one of (any holder acts: an option always means so)


@dataclass(frozen=True)
class Step:
    actor: Term
    action: Term
    conditions: tuple[DocCondition, ...]
    pos: Pos
    optional: bool = False  # 如有: the step is skipped when nobody fills it
    # plain: every holder acts | one_of: any one holder | either: any one option
    # | each: one step per member of the document's list-valued condition `actor` names
    shape: str = "plain"
    options: tuple[StepOption, ...] = ()  # either: every alternative, in the order written


@dataclass(frozen=True)
class Procedure:
    name: Term
    applies: tuple[DocCondition, ...]
    groups: tuple[tuple[Step, ...], ...]


@dataclass(frozen=True)
class StepRef:
    actor: Term
    action: Term


@dataclass(frozen=True)
class ProcedureOrder:
    """An extra precedence inside a procedure: this step before that one."""

    procedure: Term
    first: StepRef
    then: StepRef


@dataclass(frozen=True)
class ProcedureExtend:
    """A procedure also applies to documents meeting these conditions."""

    procedure: Term
    applies: tuple[DocCondition, ...]


@dataclass(frozen=True)
class ProhibitTogether:
    role: Term
    relation: Term
    kinds: tuple[Term, ...]


@dataclass(frozen=True)
class ProhibitAction:
    actor: Term
    action: Term


@dataclass(frozen=True)
class Recipient:
    term: Term
    theirs: bool  # 其 X: relative to the absent person


@dataclass(frozen=True)
class ReportDuty:
    subject: Term
    kinds: tuple[Term, ...]
    in_principle: bool
    recipients: tuple[Recipient, ...]
    longer_than: int | None = None  # only absences of more working days than this


@dataclass(frozen=True)
class DeadlineDuty:
    actor: Term
    action: Term
    working_days: int
    in_principle: bool


@dataclass(frozen=True)
class ActingDuty:
    """While a `subject` is away, `acting` presides over the post (article 25)."""

    subject: Term
    acting: Recipient


@dataclass(frozen=True)
class MeetingMembers:
    """The roles that make up a declared kind of meeting; others only sit in."""

    meeting: Term
    roles: tuple[Term, ...]


@dataclass(frozen=True)
class MeetingFrequency:
    """A kind of meeting is held `times` times a `per` (month | week); 一般 (generally)
    makes a shortfall a warning."""

    meeting: Term
    generally: bool
    per: str = "month"
    times: int = 1


@dataclass(frozen=True)
class PlanReading:
    """A reading of how the plan's facts count: `working` (clashes and 事先 on working
    days), `first_day` (a report dated the absence's first working day is in advance) or
    `matter_any_one` (a matter naming no field is owed to any one of a relation's people) or
    `acting_powers` (whoever acts for an absent holder holds the post's powers that day) or
    `unit_members` (a report to a member of a unit counts as a report to the unit)."""

    model: str  # working | first_day | matter_any_one | acting_powers | unit_members
    subject: Term | None = None  # matter_any_one: the kind of matter


@dataclass(frozen=True)
class MeetingCaller:
    """Who decides to call an ad hoc meeting of a declared kind."""

    meeting: Term
    caller: Term


@dataclass(frozen=True)
class MatterDuty:
    """Matters of declared kinds: ask (请示) or report (报告) to the recipients."""

    subjects: tuple[Term, ...]
    act: str  # ask | report
    in_principle: bool
    recipients: tuple[Recipient, ...]
    when_necessary: bool  # 必要时: only for matters marked as needing it
    kinds: tuple[Term, ...] = ()  # the matter kinds (事项) the duty is about


@dataclass(frozen=True)
class MatterDetails:
    """Matters of declared kinds must name details: a responsible person, a deadline."""

    subjects: tuple[Term, ...]
    kinds: tuple[Term, ...]
    in_principle: bool
    details: tuple[str, ...]  # responsible | deadline


@dataclass(frozen=True)
class Power:
    """ROLE 有权 ACTION：…: who may perform which actions on which documents."""

    actor: Term
    actions: tuple[Term, ...]
    applies: tuple[DocCondition, ...]


@dataclass(frozen=True)
class OpinionDuty:
    """A、B 须 有 明确意见: these actions need an explicit opinion, never a bare circle."""

    actions: tuple[Term, ...]
    actor: Term | None = None  # ROLE ACTION 须 有 明确意见: only this role's (or relation's) acts


@dataclass(frozen=True)
class ExplainDuty:
    """X 须 说明 未采纳的意见: every consultation opinion not adopted is explained."""

    actor: Term


@dataclass(frozen=True)
class RevisionDuty:
    """R 后，X 应 F，再 V: after a return, the fix, then the review again."""

    returned: Term
    fixer: Term
    fix: Term
    review: Term
    in_principle: bool


@dataclass(frozen=True)
class ActionOrder:
    """A 先于 任何 B: every act A (by anyone) comes before any act B."""

    first: Term
    then: Term


@dataclass(frozen=True)
class CountsAs:
    """R 视为 同意：A…: taking the read mark R counts as consenting to each action A."""

    mark: Term
    actions: tuple[Term, ...]


@dataclass(frozen=True)
class SameActorDuty:
    """X 后，原 A 者 应 B: after X, whoever last did A must do B."""

    trigger: Term
    first: Term
    then: Term
    in_principle: bool


@dataclass(frozen=True)
class DocDeadline:
    """W 应 在 公文 的 L 内 完成 A: A is done by the date the document gives in L."""

    actor: Term
    action: Term
    limit: Term
    in_principle: bool


@dataclass(frozen=True)
class HoursDeadline:
    """W 应 在 N 小时 内 完成 A: A within N hours (by the clock) of reaching W."""

    actor: Term
    action: Term
    hours: int
    in_principle: bool


@dataclass(frozen=True)
class DocRequires:
    """C 的 公文 须 有 L: a document C gives the value L."""

    condition: Term
    field: Term


Body = (
    Interpretation
    | Definition
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
class Statement:
    body: Body
    guard: Guard | None
    article: int
    pos: Pos
    name: Term | None = None  # 规则 a29.1： the rule's stable id, when the author names it


@dataclass(frozen=True)
class Article:
    number: int  # 0 until resolved when the header gives a label
    statements: tuple[Statement, ...]
    pos: Pos
    label: Term | None = None  # 条文 “附则”: the header names the article by its label


@dataclass(frozen=True)
class Comment:
    text: str  # without the leading '#'
    line: int


@dataclass(frozen=True)
class KeywordUse:
    """A keyword as written and its surface language, for telling zh files from en ones."""

    text: str
    lang: str  # zh | en
    pos: Pos


@dataclass(frozen=True)
class RuleFile:
    path: str
    vocabularies: tuple[Vocabulary, ...]
    articles: tuple[Article, ...]
    comments: tuple[Comment, ...] = field(default=())
    items: tuple[Vocabulary | Article, ...] = field(default=())  # in source order
    lang: str = "zh"  # the language of most keywords (zh when there are none)
    keywords: tuple[KeywordUse, ...] = field(default=())  # in source order
