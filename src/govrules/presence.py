"""Presence: a plan file checked against the presence rules: absences, acting posts,
the meeting log and the matters.

The kernel reasons on intervals of day numbers only, so grounding grows with the number
of absences and not with the number of days; this module turns its answer into the
day-by-day acting table (a post is vacant on *working* days, on the official calendar
with its make-up working days). `repair` asks the same kernel for the smallest change.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govrules import clock
from govrules.asp.facts import (
    Name,
    PlainFact,
    PlainRow,
    constant,
    day_number,
    fact,
    number,
    plan_facts,
    plan_tables,
    rows_by_predicate,
    symbol_to_python,
    symbols_of,
    text,
)
from govrules.asp.reuse import KeptPlanAnswer
from govrules.asp.slicing import Slicer
from govrules.asp.solve import Answer, solve
from govrules.errors import Bilingual, SolverLimitError
from govrules.findings import Finding, build_finding
from govrules.inputs import InputLike, Organisation, Plan, load_plan, read_source
from govrules.inputs.bulk import CheckedPlan, TabledPlan, absence_days, absentees, tabled_plan
from govrules.lang import ir
from govrules.policy_core import PolicyCore, too_big
from govrules.policy_text import PolicyText
from govrules.results import InForce, Result, dump

if TYPE_CHECKING:
    from govrules.explain import Explanation

__all__ = [
    "LeaveResult",
    "atom_args",
    "audit_inputs",
    "check_leave",
    "leave_facts",
    "leave_question",
    "leave_result",
    "load_inputs",
    "plan_dates",
    "repair_size",
    "solve_plan",
    "workday_span",
]

MAX_ABSENCES = 200_000
MAX_FINDINGS = 5_000
MAX_ABSENCE_PAIRS = 4_000_000
_SCAN_AT_MOST = 5_000  # facts a plan question looks at one by one to cut the program
KEEP_PLANS_UP_TO = 1_000  # absences, meetings and matters of a plan whose answer is kept


@dataclass
class LeaveResult(Result):
    """Findings and the acting table: for each working day a post is vacant, who acts."""

    acting: list[dict[str, Any]] = field(default_factory=list)
    labels: ir.Program | None = None
    explanations: list[Explanation] | None = None  # only when asked (explain=True)
    policy_text: PolicyText | None = None

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        data = self._base_json(lang)
        data["acting"] = self.acting
        if self.explanations is not None and self.policy_text is not None:
            data["explanations"] = [e.to_json(lang, self.policy_text) for e in self.explanations]
        return data

    def to_json(self, lang: str | None = None) -> str:
        return dump(self.to_dict(lang))


# ---- facts ------------------------------------------------------------------------------


def workday_span(
    policy: PolicyCore, plan: CheckedPlan, window: int = 0
) -> tuple[date, date] | None:
    """The days whose working-day status a plan question reads (None: no absence in force)."""
    since = policy.text.in_force_from
    days = list(absence_days(plan))
    last = max(map(itemgetter(1), days), default=None)
    if last is None or last < since:
        return None
    first = max(min(f for f, t in days if t >= since), since)  # the first day in force
    return max(first - timedelta(days=window), since), last + timedelta(days=window)


def workday_facts(policy: PolicyCore, plan: CheckedPlan, window: int) -> list[Any]:
    return list(symbols_of(workday_rows(policy, plan, window)))


def workday_rows(policy: PolicyCore, plan: CheckedPlan, window: int) -> list[PlainFact]:
    """workdays_upto(Day, N) over every day the plan's absences can reach, moved or not.

    Only differences matter (working days in [F,T] = N(T) - N(F-1)), so the count starts
    at 0 the day before the first day needed. One fact per day of the span: linear in days,
    independent of the number of absences.
    """
    span = workday_span(policy, plan, window)
    if span is None:
        return []
    first, last = span
    calendar = policy.calendar
    day = first - timedelta(days=1)
    count = 0
    out: list[PlainFact] = [("workdays_upto", (day_number(day), 0))]
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_workday(day)
        out.append(("workdays_upto", (day_number(day), count)))
    return out


def leave_facts(
    policy: PolicyCore, org: Organisation, plan: CheckedPlan, window: int | None = None
) -> list[Any]:
    """Every fact a plan question needs: organisation, plan, working days, and with a
    `window` the request for a repair."""
    facts = policy._common_facts(org)
    facts += plan_facts(plan)
    facts.append(fact("mode", constant("leave")))
    facts += workday_facts(policy, plan, window or 0)
    if window is not None:
        facts += [fact("suggest"), fact("window", number(window))]
    return facts


def plain_leave_rows(
    policy: PolicyCore, org: Organisation, plan: CheckedPlan, settings: Mapping[str, bool]
) -> dict[tuple[str, int], list[PlainRow]]:
    """The facts of a plan's check (no repair), with its interpretations, as rows by
    predicate: what `asp.columnar` loads. The same facts as `leave_facts` (tested)."""
    grouped = rows_by_predicate(
        chain(
            policy.common_rows(org),
            [("mode", (Name("leave"),))],
            workday_rows(policy, plan, 0),
            (("interp", (k,)) for k, v in settings.items() if v),
        )
    )
    for sig, rows in plan_tables(plan).items():
        grouped.setdefault(sig, []).extend(rows)
    return grouped


def leave_question(
    policy: PolicyCore,
    plan: InputLike | Plan,
    org: InputLike | Organisation | None,
    interpretations: Mapping[str, bool] | None,
) -> tuple[Plan, dict[str, bool], list[Any]]:
    """The checked plan of a question about absences, its settings and the facts that pose
    it (for questions beyond the check itself, such as why-not)."""
    org_model, model = load_inputs(policy, plan, org)
    settings = policy.interpretations(interpretations)
    return model, settings, leave_facts(policy, org_model, model)


def solve_plan(
    policy: PolicyCore,
    org: Organisation,
    plan: CheckedPlan,
    settings: Mapping[str, bool],
    *,
    timeout: float,
    window: int | None = None,
) -> Answer:
    """One bounded solve of a plan; with a `window`, the optimal repair (or none)."""
    if window is None and policy.columnar_ready(len(plan.absences)):
        found = columnar_answer(policy, org, plan, settings, timeout=timeout)
        if found is not None:
            return found
        check_pairs(policy, org, plan)  # DuckDB declined: clingo grounds, bounded first
    facts = leave_facts(policy, org, plan, window)
    # The program is cut to the rules a plan question can fire (asp.slicing). A small plan
    # is looked at fact by fact (which predicates it has: no meetings, no repair asked...);
    # a big one, up to 100,000s of facts, is keyed on the mode alone, unscanned.
    # leave_facts asks for a repair (the fact `suggest`) exactly when there is a window.
    exact: list[Any] = [fact("mode", constant("leave"))]
    if window is not None:
        exact.append(fact("suggest"))
    present = None
    program = policy.question_program()
    if isinstance(program, Slicer) and len(facts) <= _SCAN_AT_MOST:
        signatures, exact = program.classify(facts)
        present = frozenset(signatures)
    return solve(
        program,
        facts,
        interpretations=[k for k, v in settings.items() if v],
        timeout=timeout,
        optimize=window is not None,
        allow_unsatisfiable=window is not None,
        exact=exact,
        present=present,
        statistics=policy._statistics(),
    )


def columnar_answer(
    policy: PolicyCore,
    org: Organisation,
    plan: CheckedPlan,
    settings: Mapping[str, bool],
    *,
    timeout: float,
) -> Answer | None:
    """A plan's check (no repair) evaluated in DuckDB (`asp.columnar`), on the slice clingo
    would ground for a big plan (keyed on its mode alone); None where the translator
    declines it (clingo answers instead)."""
    switched = [fact("interp", text(k)) for k, v in settings.items() if v]
    # policy.sliced, not question_program(): a process's first question may be handed the
    # whole program's text, which is not sliced.
    sliced = policy.sliced.program([fact("mode", constant("leave")), *switched]).text
    started = time.perf_counter()
    atoms = policy.columnar_shown(sliced, plain_leave_rows(policy, org, plan, settings), timeout)
    if atoms is None:
        return None
    statistics = policy._statistics()
    if statistics is not None:  # no grounding: no atoms nor rules to count
        statistics.update(columnar_seconds=time.perf_counter() - started)
    return Answer([], plain=atoms)


def plan_answer(
    policy: PolicyCore,
    org: Organisation,
    plan: CheckedPlan,
    settings: Mapping[str, bool],
    *,
    timeout: float,
) -> Answer:
    """A plan's check (no repair): the answer kept from the same plan asked before about
    the same organisation object, with the same interpretations, on the same calendar, or
    solved and kept. An office checks a plan again and again as it is edited and viewed;
    each time the same facts would be ground again. Only small plans are kept (hashing a
    plan reads all of it)."""
    size = len(plan.absences) + len(plan.meetings) + len(plan.matters)
    if (
        isinstance(plan, TabledPlan)  # compared by identity: no key for a kept answer
        or size > KEEP_PLANS_UP_TO
        or not policy.reuse_groundings
        or policy.collect_statistics
    ):
        return solve_plan(policy, org, plan, settings, timeout=timeout)
    calendar = policy.calendar
    key = (plan, frozenset(k for k, v in settings.items() if v))
    kept_plans = policy.plan_answers(org)
    kept = kept_plans.get(key)
    if kept is not None and kept.calendar is calendar:
        return kept.answer
    if kept is not None:
        kept.broken = True  # counted on another calendar: dropped
    answer = solve_plan(policy, org, plan, settings, timeout=timeout)
    kept_plans.put(key, KeptPlanAnswer(answer, calendar))
    return answer


def atom_args(atom: Any) -> tuple[Any, ...]:
    return tuple(symbol_to_python(a) for a in atom.arguments)


def findings_of(policy: PolicyCore, answer: Answer) -> list[Finding]:
    found: list[Any]
    if answer.plain is not None:
        found = [args for name, args in answer.plain if name == "finding"]
    else:
        found = [atom for atom in answer.atoms if atom.name == "finding"]
    # Clashes grow with the square of the absences, and each finding costs a fraction of a
    # millisecond to read back: past MAX_FINDINGS the answer would blow every time limit.
    if len(found) > MAX_FINDINGS:
        raise SolverLimitError(
            Bilingual(
                f"问题过多：{len(found)} 项，超过上限 {MAX_FINDINGS}；请分段核查计划",
                f"too many findings: {len(found)}, above the limit of {MAX_FINDINGS}; "
                "check the plan in parts",
            ),
            code="too_many_findings",
        )
    if answer.plain is None:
        found = [atom_args(atom) for atom in found]
    findings = [build_finding(s, a, r, k, tuple(fa), policy.program) for s, a, r, k, fa in found]
    return sorted(findings, key=Finding.sort_key)


def _acting_rows(policy: PolicyCore, answer: Answer) -> list[dict[str, Any]]:
    """Each working day of an absence of someone with an acting rule, with whoever acts:
    the first person named (in name order, as the kernel numbers them) who is present.
    Days nobody can act on are `no_acting` findings, not rows."""
    # A DuckDB answer is plain values; a clingo answer is symbols, and reading one is a
    # library call: a placed absence is read only if its person is concerned.
    acting: list[tuple[Any, ...]]
    placed: list[Any]
    who_of: Callable[[Any], str]
    span_of: Callable[[Any], tuple[int, int]]
    if answer.plain is not None:
        acting = [args for name, args in answer.plain if name == "acting"]
        placed = [args for name, args in answer.plain if name == "placed"]
        who_of, span_of = itemgetter(1), itemgetter(3, 4)
    else:
        acting = [atom_args(atom) for atom in answer.atoms if atom.name == "acting"]
        placed = [atom for atom in answer.atoms if atom.name == "placed"]

        def who_of(atom: Any) -> str:
            return str(atom.arguments[1].string)

        def span_of(atom: Any) -> tuple[int, int]:
            _, _, _, start, end = atom_args(atom)
            return start, end

    named: dict[tuple[str, str], list[str]] = {}
    for rule_id, absent, person in acting:
        named.setdefault((rule_id, absent), []).append(person)
    # Only the absences of people with someone to act for them, or who act, matter here:
    # a year of a big organisation places 100,000s of absences, most of them of neither.
    concerned = {absent for _, absent in named} | {p for ps in named.values() for p in ps}
    away: dict[str, list[tuple[int, int]]] = {}
    if concerned:
        for item in placed:
            who = who_of(item)
            if who in concerned:
                away.setdefault(who, []).append(span_of(item))
    rules = {r.ident: r for r in policy.program.rules}
    calendar = policy.calendar
    rows = []
    for (rule_id, absent), people in sorted(named.items()):
        rule = rules[rule_id]
        assert isinstance(rule.form, ir.ActingDuty)
        for start, end in away.get(absent, []):
            for n in range(start, end + 1):
                day = date.fromordinal(n)
                if not calendar.is_workday(day):
                    continue
                present = [
                    p for p in sorted(people) if not any(s <= n <= e for s, e in away.get(p, []))
                ]
                if present:
                    rows.append(
                        {
                            "date": day.isoformat(),
                            "post": rule.form.subject.ident,
                            "absent": absent,
                            "acting": present[0],
                            "article": rule.article,
                            "rule": rule_id,
                        }
                    )
    # Absences of one person may overlap (a trip within a vacation): one row per day and post.
    unique = {tuple(sorted(r.items())): r for r in rows}
    return sorted(
        unique.values(), key=lambda r: (r["date"], r["post"], r["absent"], r["acting"], r["rule"])
    )


def plan_dates(plan: CheckedPlan) -> set[date]:
    """Every date a plan names: the answer says on which of them the rules were in force."""
    dates: set[date] = set()
    for days in absence_days(plan):
        dates.update(days)
    if plan.period is not None:
        dates.update((plan.period.from_, plan.period.to))
    dates.update(m.on for m in plan.meetings)
    dates.update(m.on for m in plan.matters)
    return dates


def load_inputs(
    policy: PolicyCore,
    plan: InputLike | Plan,
    org: InputLike | Organisation | None,
) -> tuple[Organisation, Plan]:
    """The organisation and the plan, validated and cross-checked, within the size limits."""
    org_model = policy._org(org)
    model = load_plan(plan, org_model, policy.vocabulary)
    _within_bounds(policy, org_model, model, columnar=False)
    return org_model, model


def audit_inputs(
    policy: PolicyCore,
    plan: InputLike | Plan,
    org: InputLike | Organisation | None,
) -> tuple[Organisation, CheckedPlan]:
    """`load_inputs` for a plain check: a big plan given as data has its absences read as
    columns (`inputs.bulk`, from `PolicyCore.bulk_from`); and a plan that DuckDB will check
    (`PolicyCore.columnar_ready`) skips the bound on pairs of absences, which guards
    clingo's grounding: DuckDB is interrupted at the deadline (and `solve_plan` checks the
    bound if clingo answers after all)."""
    org_model = policy._org(org)
    model: CheckedPlan | None = None
    if policy.bulk_from is not None and not isinstance(plan, Plan):
        if isinstance(plan, str | Path):  # read once: a decline hands the same source on
            plan = read_source(plan, "<plan>")
        model = tabled_plan(plan, org_model, policy.vocabulary, policy.bulk_from)
    if model is None:
        model = load_plan(plan, org_model, policy.vocabulary)
    _within_bounds(policy, org_model, model, columnar=True)
    return org_model, model


def _within_bounds(
    policy: PolicyCore, org: Organisation, plan: CheckedPlan, *, columnar: bool
) -> None:
    """`plan` within `MAX_ABSENCES`, and within `MAX_ABSENCE_PAIRS` unless (`columnar`)
    DuckDB will check it: the bounds guard clingo's grounding, which cannot be stopped."""
    if len(plan.absences) > MAX_ABSENCES:
        raise too_big(Bilingual("缺勤", "absences"), len(plan.absences), MAX_ABSENCES)
    if not (columnar and policy.columnar_ready(len(plan.absences))):
        check_pairs(policy, org, plan)


def check_pairs(policy: PolicyCore, org: Organisation, plan: CheckedPlan) -> None:
    """The pairs of absences a grounding joins, within `MAX_ABSENCE_PAIRS`."""
    # Inside a question, the time left of its clock; called alone, the default limit.
    pairs = absence_pairs(policy.related(org, clock.remaining(10.0)), plan)
    if pairs > MAX_ABSENCE_PAIRS:
        raise too_big(
            Bilingual("可能相关的缺勤对", "pairs of absences that may meet"),
            pairs,
            MAX_ABSENCE_PAIRS,
        )


def absence_pairs(related: Sequence[tuple[str, str, str]], plan: CheckedPlan) -> int:
    """The pairs of absences the grounding joins: for each pair of people the rules relate
    (`PolicyCore.related`), the product of their numbers of absences. Counted before grounding,
    which cannot be interrupted."""
    count = Counter(absentees(plan))
    return sum(count.get(x, 0) * count.get(y, 0) for _, x, y in related)


def _meeting(mine: Sequence[tuple[int, int]], theirs: Sequence[tuple[int, int]], reach: int) -> int:
    """How many pairs (a, b), a in `mine`, b in `theirs` (day spans), come within `reach`
    days of each other: all pairs but those where b ends too early or starts too late."""
    ends = sorted(t for _, t in theirs)
    starts = sorted(f for f, _ in theirs)
    total = len(theirs) * len(mine)
    for first, last in mine:
        total -= bisect_left(ends, first - reach)
        total -= len(starts) - bisect_right(starts, last + reach)
    return total


def repair_size(related: Sequence[tuple[str, str, str]], plan: Plan, window: int) -> int:
    """An upper bound on the work of grounding a repair (`leave --suggest`): each pair of
    absences of people the rules relate (`PolicyCore.related`) that can meet when both move up
    to `window` days either way, times the 2 x window + 1 places each may take. Counted by
    sorting, in n log n, before any grounding."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for absence in plan.absences:
        span = (absence.from_.toordinal(), absence.to.toordinal())
        spans.setdefault(absence.who, []).append(span)
    reach = 2 * window
    pairs = 0
    for _, x, y in related:
        mine, theirs = spans.get(x), spans.get(y)
        if mine and theirs:
            pairs += _meeting(mine, theirs, reach)
    return pairs * (2 * window + 1)


def leave_result(
    policy: PolicyCore, plan: CheckedPlan, answer: Answer, settings: dict[str, bool], lang: str
) -> LeaveResult:
    dates = tuple(sorted(plan_dates(plan)))
    span = workday_span(policy, plan)
    note = policy.calendar.note([span] if span else [], dates if span else ())
    note.warn()
    return LeaveResult(
        findings=findings_of(policy, answer),
        in_force=InForce(policy.text.in_force_from, dates),
        interpretations=settings,
        lang=lang,
        acting=_acting_rows(policy, answer),
        labels=policy.program,
        calendar=note,
    )


def check_leave(
    policy: PolicyCore,
    plan: InputLike | Plan,
    org: InputLike | Organisation | None = None,
    *,
    interpretations: Mapping[str, bool] | None = None,
    timeout: float = 10.0,
    lang: str = "zh",
    explain: bool = False,
) -> LeaveResult:
    """A plan checked: clashes, advance reports, and who acts for each vacant post; with
    `explain`, why each finding and each acting post."""
    org_model, model = (
        load_inputs(policy, plan, org) if explain else audit_inputs(policy, plan, org)
    )
    settings = policy.interpretations(interpretations)
    answer = plan_answer(policy, org_model, model, settings, timeout=timeout)
    result = leave_result(policy, model, answer, settings, lang)
    if explain:
        assert isinstance(model, Plan)  # an explanation reads the models
        result.explanations = _explanations(policy, result, org_model, model, settings, timeout)
        result.policy_text = policy.text
    return result


def _explanations(
    policy: PolicyCore,
    result: LeaveResult,
    org: Organisation,
    plan: Plan,
    settings: dict[str, bool],
    timeout: float,
) -> list[Explanation]:
    """Why each finding of a plan, and why each person acts for each absent one."""
    from govrules.compiler import kernel_part
    from govrules.explain import Derived, Explainer

    answer = solve(
        policy.compiled.solver_program + kernel_part("explain.lp"),
        leave_facts(policy, org, plan),
        interpretations=[k for k, v in settings.items() if v],
        timeout=timeout,
    )
    derived = Derived()
    for atom in answer.atoms:
        if atom.name in ("post_by", "rel_by", "applies_by"):
            derived.add(atom.name, atom_args(atom))
    explainer = Explainer(policy.program, policy.text, org, derived, settings, plan=plan)
    out = [explainer.finding(n, f, {}) for n, f in enumerate(result.findings, start=1)]
    groups: dict[tuple[str, str, str], int] = {}
    for row in result.acting:
        key = (row["absent"], row["acting"], row["rule"])
        groups[key] = groups.get(key, 0) + 1
    out += [explainer.acting(a, b, r, n) for (a, b, r), n in sorted(groups.items())]
    return out
