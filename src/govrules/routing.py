"""Questions about one document: its route (steps, precedence, orders) and its trace's check.

A question is posed by one `Question` (the document, the organisation and how to answer);
`ask` bounds it in time, turns its inputs into symbols, solves and reads the answer.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from clingo import Function

from govrules import clock
from govrules.arguments import check_flag, check_language, check_whole
from govrules.asp.facts import (
    FactArgs,
    Name,
    PlainAtom,
    PlainFact,
    day_number,
    document_fact_values,
    fact_args,
    number,
    plain_atoms,
    symbol_of,
    text,
    trace_order,
)
from govrules.asp.ordertype import DATE_ARGUMENTS, KNOWN_PREDICATES, OrderType, abstract
from govrules.asp.reuse import Grounding, KeptAnswer, field_domain
from govrules.asp.slicing import Signature, SlicedProgram, Slicer
from govrules.asp.solve import solve
from govrules.calendar_note import CalendarNote
from govrules.clock import DEFAULT_TIMEOUT
from govrules.compiler import kernel_part
from govrules.document_answer import (
    MAX_ORDER_STEPS,
    CheckResult,
    RouteResult,
    check_listable,
    listed_orders,
    read_shown,
)
from govrules.errors import Bilingual, PolicyError
from govrules.findings import Finding, build_finding
from govrules.inputs import DocumentFile, InputLike, Organisation, Plan, load_document
from govrules.policy_core import PolicyCore, too_big
from govrules.results import InForce

if TYPE_CHECKING:
    from govrules.explain import Derived

DEFAULT_ORDER_LIMIT = 100
MAX_ORDER_LIMIT = 100_000
MAX_TRACE = 2_000
# What a check's answer is kept by: its order type and the interpretations switched on.
OrderTypeKey = tuple[Hashable, frozenset[str]]


@dataclass(frozen=True)
class Question:
    """A question about one document, as asked: everything `ask` needs, in one place."""

    document: InputLike | DocumentFile
    org: InputLike | Organisation | None
    mode: str  # route | check
    interpretations: Mapping[str, bool] | None = None
    limit: int = 0  # orders to list (a route's)
    timeout: float = DEFAULT_TIMEOUT
    lang: str = "zh"
    explain: bool = False
    plan: InputLike | Plan | None = None  # a check's absences of the people acted for


@dataclass(frozen=True)
class Posed:
    """A question's inputs, checked, with the facts that pose it, without the
    organisation's (`PolicyCore._common`)."""

    org: Organisation
    doc: DocumentFile
    settings: dict[str, bool]
    # The document's and the question's facts in plain Python: what a check's order type is
    # computed from (`asp.ordertype`) without making a symbol of each value.
    values: list[PlainFact]
    # A plan's facts (a check beside absences): not plain, so never abstracted.
    plan_facts: list[FactArgs] = field(default_factory=list)

    @functools.cached_property
    def facts(self) -> list[FactArgs]:
        """Every fact as (predicate, symbols): made only when the question is solved."""
        return [*fact_args(self.values), *self.plan_facts]


def deadline_fact_values(policy: PolicyCore, doc: DocumentFile) -> list[PlainFact]:
    """The working days after each of the document's dates that the policy's deadlines
    count (computed in Python on the calendar, never in ASP)."""
    days = policy.deadline_days
    if not days:
        return []
    starts = {e.at.date() for e in doc.trace}
    if doc.document.received is not None:
        starts.add(doc.document.received.date())
    return [
        ("workday_after", (day_number(d), n, day_number(policy.calendar.add_working_days(d, n))))
        for d in sorted(starts)
        for n in days
    ]


def pose(policy: PolicyCore, question: Question) -> Posed:
    """The checked inputs of a question and the facts of the document that pose it."""
    org_model = policy._org(question.org)
    doc = load_document(question.document, org_model, policy.vocabulary)
    if len(doc.trace) > MAX_TRACE:
        raise too_big(Bilingual("处理记录", "trace entries"), len(doc.trace), MAX_TRACE)
    settings = policy.interpretations(question.interpretations)
    values = document_fact_values(doc, org_model, policy.text.read_marks)
    values.append(("mode", (Name(question.mode),)))
    values.append(("enum_cap", (MAX_ORDER_STEPS,)))
    if question.mode == "check":
        values += deadline_fact_values(policy, doc)
    plan_facts = []
    if question.plan is not None:
        plan_facts = _absence_fact_args(policy, question.plan, org_model, doc)
    return Posed(org_model, doc, settings, values, plan_facts)


def document_question(
    policy: PolicyCore, question: Question
) -> tuple[Organisation, DocumentFile, dict[str, bool], list[Any]]:
    """The checked inputs of a question about a document, and every fact that poses it
    (the organisation's too), for questions beyond the answer itself (why-not)."""
    posed = pose(policy, question)
    own = [Function(name, a) for name, a in posed.facts]
    return posed.org, posed.doc, posed.settings, policy._common_facts(posed.org) + own


def ask(policy: PolicyCore, question: Question) -> RouteResult:
    """The answer to a question about a document, within its time limit."""
    check_whole("limit", question.limit, -(2**63))
    check_language(question.lang)
    check_flag("explain", question.explain)
    with clock.question(question.timeout):
        return _answer(policy, question)


def _answer(policy: PolicyCore, question: Question) -> RouteResult:
    if not 0 <= question.limit <= MAX_ORDER_LIMIT:
        raise PolicyError(
            Bilingual(
                f"--limit 须在 0 到 {MAX_ORDER_LIMIT} 之间",
                f"--limit must be 0..{MAX_ORDER_LIMIT}",
            ),
            code="bad_limit",
        )
    posed = pose(policy, question)
    common, present = policy._common(posed.org)
    # An explanation grounds the whole program with its explaining kernel: no slice.
    program = (
        policy.compiled.solver_program + kernel_part("explain.lp")
        if question.explain
        else policy.question_program()
    )
    own = _OwnFacts(posed, program.exact if isinstance(program, Slicer) else frozenset())
    signatures = own.signatures() if isinstance(program, Slicer) else set()
    atoms: list[Any] | None = None
    plain: list[PlainAtom] | None = None
    if (
        isinstance(program, SlicedProgram)
        and policy.reuse_groundings
        and not policy.collect_statistics
    ):
        sliced = _Sliced(program, own, common, present | signatures, question.timeout)
        if question.mode == "route":
            atoms = _reused(policy, posed, sliced)
        elif question.mode == "check" and question.plan is None and policy.shares_by_order_type:
            plain = _shared_answer(policy, posed, sliced)
    if atoms is None and plain is None:
        atoms = solve(
            program,
            [*common, *own.symbols],
            interpretations=[k for k, v in posed.settings.items() if v],
            timeout=question.timeout,
            exact=own.exact,
            present=present | signatures,
            statistics=policy._statistics(),
        ).atoms
    return document_result(
        policy,
        posed,
        question,
        plain if plain is not None else plain_atoms(atoms or ()),
        deadline=time.monotonic() + clock.remaining(question.timeout),
    )


class _OwnFacts:
    """A question's own facts, made symbols only when they are needed: a check answered
    from a kept order type reads only which predicates they have (each symbol made or read
    is a call into clingo, which also lets other threads take the GIL). One question's
    own: not shared between threads (and no `cached_property`, whose lock in Python 3.11
    is one for all instances)."""

    def __init__(self, posed: Posed, exact_predicates: Collection[Signature]) -> None:
        self._posed = posed
        self._exact_predicates = exact_predicates
        self._symbols: list[Any] | None = None
        self._exact: list[Any] | None = None

    def signatures(self) -> set[Signature]:
        posed = self._posed
        return {(name, len(row)) for name, row in posed.values} | {
            (name, len(args)) for name, args in posed.plan_facts
        }

    def exact_names(self) -> list[str]:
        """The predicates of the facts over the exact predicates (`Slicer.exact`)."""
        wanted = self._exact_predicates
        return [
            name
            for name, row in (*self._posed.values, *self._posed.plan_facts)
            if (name, len(row)) in wanted
        ]

    @property
    def symbols(self) -> list[Any]:
        if self._symbols is None:
            self._symbols = [Function(name, args) for name, args in self._posed.facts]
        return self._symbols

    @property
    def exact(self) -> list[Any]:
        """The facts over the exact predicates, which a slice is cut by as they are."""
        if self._exact is None:
            wanted = self._exact_predicates
            self._exact = [
                f
                for f, (name, args) in zip(self.symbols, self._posed.facts, strict=True)
                if (name, len(args)) in wanted
            ]
        return self._exact


@dataclass(frozen=True)
class _Sliced:
    """A question's sliced program and facts: what a reused grounding or a shared answer is
    looked up by, or made from."""

    program: SlicedProgram
    own: _OwnFacts
    common: Sequence[Any]
    present: frozenset[Signature] | set[Signature]
    timeout: float


def _shared_answer(policy: PolicyCore, posed: Posed, q: _Sliced) -> list[PlainAtom] | None:
    """A check answered from the answer of an earlier check of the same order type
    (`asp.ordertype`): the same facts once every day and minute is replaced by its rank.
    None when the facts cannot be abstracted: the caller asks afresh."""
    found = order_type_of(policy, posed, q.present, q.own.exact_names())
    if found is None:
        return None
    order_type, key = found
    cache = policy.answers(posed.org)
    kept = cache.get(key)
    if kept is None:
        atoms = solve_order_type(
            policy,
            posed.org,
            order_type,
            key,
            timeout=q.timeout,
            exact=q.own.exact,
            present=q.present,
        )
        kept = cache.put(key, KeptAnswer.of(atoms))
    return order_type.restore(kept.atoms, kept.coded)


def order_type_of(
    policy: PolicyCore, posed: Posed, present: Collection[Signature], exact: Iterable[str]
) -> tuple[OrderType, OrderTypeKey] | None:
    """A check's order type (`asp.ordertype`) and the key its answer is kept by (with the
    interpretations switched on); None when the check cannot share: a plan beside it, an
    input predicate (`present`) the abstraction does not know and that might carry a
    date, a dated fact among those the slice is keyed on as they are (`exact`, by name)."""
    if posed.plan_facts or not {name for name, _ in present} <= KNOWN_PREDICATES:
        return None
    if any(name in DATE_ARGUMENTS for name in exact):
        return None
    dated = policy.common_by_dates(posed.org).dated
    if dated is None:
        return None
    order_type = abstract([*dated, *posed.values])
    if order_type is None:
        return None
    return order_type, (order_type.key, frozenset(k for k, v in posed.settings.items() if v))


def solve_order_type(
    policy: PolicyCore,
    org: Organisation,
    order_type: OrderType,
    key: OrderTypeKey,
    *,
    timeout: float,
    exact: Sequence[Any],
    present: Collection[Signature],
) -> list[PlainAtom]:
    """The answer of an order type not kept: its facts, days and minutes as ranks, solved
    on the question's slice."""
    answer = solve(
        policy.sliced,
        [*policy.common_by_dates(org).undated, *order_type.symbols()],
        interpretations=sorted(key[1]),
        timeout=timeout,
        exact=exact,
        present=present,
    )
    return plain_atoms(answer.atoms)


def _reused(policy: PolicyCore, posed: Posed, q: _Sliced) -> list[Any] | None:
    """A route answered on the grounding of its shape (`asp.reuse`): everything but the
    document's fields fixed, the fields switched as externals. None when the document
    does not fit (a field no one in the organisation has) or the grounding has no model:
    the caller grounds afresh, which also gives the proper error."""
    varying = [
        *(
            Function(name, list(map(symbol_of, row)))
            for name, row in posed.values
            if name == "doc_field"
        ),
        *(Function(name, args) for name, args in posed.plan_facts if name == "doc_field"),
    ]
    switched_names = frozenset(k for k, v in posed.settings.items() if v)
    # The shape in plain Python (making a symbol's text or hash is a call into clingo):
    # each value with its type, so that a constant and a string of the same letters differ.
    fixed_values = frozenset(
        (name, tuple((type(v), v) for v in row))
        for name, row in posed.values
        if name != "doc_field"
    )
    plan_facts = frozenset(str(Function(name, args)) for name, args in posed.plan_facts)
    key = (fixed_values, plan_facts, switched_names, len(varying))
    cache = policy.groundings(posed.org)
    grounding = cache.get(key)
    if grounding is None:
        facts = q.own.symbols
        fixed = [f for f, (name, _) in zip(facts, posed.facts, strict=True) if name != "doc_field"]
        switched = [Function("interp", [text(k)]) for k in sorted(switched_names)]
        sliced = q.program.program([*q.own.exact, *switched], q.present)
        domain = field_domain(policy.fields(posed.org), len(varying))
        made = Grounding(sliced.statements, [*sliced.facts, *q.common, *fixed, *switched, *domain])
        grounding = cache.put(key, made)
    if not grounding.fits(varying):
        return None
    return grounding.answer(varying, q.timeout)


def document_result(
    policy: PolicyCore,
    posed: Posed,
    question: Question,
    atoms: Iterable[PlainAtom],
    deadline: float | None = None,
) -> RouteResult:
    """A document's answer from the shown atoms of its model (`facts.plain_atoms`); listing
    and counting the orders (a route's) stop at `deadline` (time.monotonic) when there is
    one."""
    doc, limit, lang = posed.doc, question.limit, question.lang
    listing = question.mode == "route" and limit > 0
    program = policy.program
    shown = read_shown(atoms, policy.articles)
    positions = trace_order(doc)
    findings = [
        build_finding(severity, article, rule, kind, tuple(fargs), program, positions)
        for severity, article, rule, kind, fargs in shown.findings
    ]
    derived: Derived | None = None
    if shown.derived:
        from govrules.explain import Derived

        derived = Derived()
        for name, args in shown.derived:
            derived.add(name, args)
    steps, precedence = shown.steps, shown.precedence
    check_listable(shown, limit)
    dates = [d.date() for d in (doc.document.received, *(e.at for e in doc.trace)) if d]
    note = calendar_note(policy, dates, counted=question.mode == "check")
    findings = sorted(findings, key=Finding.sort_key)
    orders, order_count = listed_orders(shown, limit, listing, deadline)
    explanations = None
    if question.explain:
        from govrules.explain import Derived, Explainer

        explainer = Explainer(
            program, policy.text, posed.org, derived or Derived(), posed.settings, doc
        )
        by_id = {s.id: s for s in steps}
        explanations = [explainer.step(s.id, s.action, s.actor) for s in steps]
        explanations += [explainer.precedence(a, b, r) for a, b, r in precedence]
        explanations += [explainer.finding(n, f, by_id) for n, f in enumerate(findings, start=1)]
    return RouteResult(
        findings=findings,
        in_force=InForce(policy.text.in_force_from, tuple(sorted(set(dates)))),
        interpretations=posed.settings,
        lang=lang,
        document=doc.document.id,
        steps=steps,
        precedence=precedence,
        orders=orders,
        order_count=order_count,
        articles=policy.articles,
        labels=program,
        explanations=explanations,
        policy_text=policy.text,
        fired=frozenset(shown.fired),
        calendar=note,
    )


def calendar_note(policy: PolicyCore, dates: list[date], counted: bool) -> CalendarNote:
    """What a document's answer says about the calendar: a check counts working days
    from each of its dates (the deadline facts), a route counts none."""
    spans = []
    if counted and dates and policy.deadline_days:
        last = policy.calendar.add_working_days(max(dates), policy.deadline_days[-1])
        spans.append((min(dates), last))
    if not dates:
        return CalendarNote()
    note = policy.calendar.note(spans, dates)
    note.warn()
    return note


def route(policy: PolicyCore, question: Question) -> RouteResult:
    """Every valid approval order for a document, with the article behind each step."""
    return ask(policy, question)


def check(policy: PolicyCore, question: Question) -> CheckResult:
    """A recorded trace checked against the rules."""
    return CheckResult.of(ask(policy, question))


def _absence_fact_args(
    policy: PolicyCore, plan: InputLike | Plan, org: Organisation, doc: DocumentFile
) -> list[FactArgs]:
    """The absences a check sees (`absences_given`): only of the people its entries were done
    on behalf of, so a year's plan costs the check nothing it does not need."""
    from govrules.presence import load_inputs

    _, model = load_inputs(policy, plan, org)
    wanted = {e.acting_for for e in doc.trace if e.acting_for is not None}
    out: list[FactArgs] = [("absences_given", [])]
    for index, a in enumerate(model.absences):
        if a.who in wanted:
            out.append(
                (
                    "absence",
                    [
                        number(index),
                        text(a.who),
                        text(a.kind),
                        number(day_number(a.from_)),
                        number(day_number(a.to)),
                    ],
                )
            )
    return out
