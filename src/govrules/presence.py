"""Presence: a plan of absences checked (articles 25, 39, 45) and, on request, repaired.

The kernel reasons on intervals of day numbers only, so grounding grows with the number
of absences and not with the number of days; this module turns its answer into the
day-by-day acting table (a post is vacant on *working* days, on the official calendar
with its make-up working days) and, for a suggestion, into a list of changes that is
re-checked on the repaired plan before anyone sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from govrules.asp.facts import constant, day_number, fact, number, plan_facts, symbol_to_python
from govrules.asp.solve import Answer, solve
from govrules.errors import Bilingual, InputError
from govrules.explain import Explanation
from govrules.findings import Finding, build_finding
from govrules.inputs import InputLike, Organisation, Plan, Report, load_plan
from govrules.lang import ir
from govrules.policy_text import PolicyText
from govrules.results import InForce, Result, dump

if TYPE_CHECKING:
    from govrules.engine import Policy

__all__ = [
    "DEFAULT_WINDOW",
    "MAX_WINDOW",
    "Change",
    "LeaveResult",
    "Suggestion",
    "check_leave",
    "suggest_leave",
]

DEFAULT_WINDOW = 14
MAX_WINDOW = 92
MAX_ABSENCES = 200_000


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


@dataclass(frozen=True)
class Change:
    """One change of a suggestion: a vacation moved, an advance report to make (article 39),
    or an important matter to bring to (ask) or report to someone (article 38)."""

    kind: str  # move | report | matter_ask | matter_report
    absence: int  # 1-based, as in findings; for matter_*: the matter
    who: str
    reason: Bilingual
    from_: date | None = None  # move: the old dates
    to: date | None = None
    new_from: date | None = None  # move: the new dates
    new_to: date | None = None
    recipient: str | None = None  # report: to whom, on which day
    on: date | None = None

    @property
    def days(self) -> int:
        if self.from_ is None or self.new_from is None:
            return 0
        return (self.new_from - self.from_).days

    def to_json(self, lang: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "matter" if self.kind.startswith("matter_") else "absence": self.absence,
            "who": self.who,
            "reason": self.reason(lang),
        }
        if self.kind == "move":
            assert self.from_ and self.to and self.new_from and self.new_to
            data.update(
                {
                    "from": self.from_.isoformat(),
                    "to": self.to.isoformat(),
                    "new_from": self.new_from.isoformat(),
                    "new_to": self.new_to.isoformat(),
                    "days": self.days,
                }
            )
        else:
            assert self.on is not None
            data.update({"recipient": self.recipient, "on": self.on.isoformat()})
        return data

    def sentence(self, lang: str) -> str:
        if self.kind == "move":
            assert self.from_ and self.to and self.new_from and self.new_to
            shift = self.days
            if lang == "en":
                way = "later" if shift > 0 else "earlier"
                return (
                    f"move {self.who}'s vacation (absence {self.absence}) from {self.from_}–"
                    f"{self.to} to {self.new_from}–{self.new_to} ({abs(shift)} days {way})"
                )
            way = "推后" if shift > 0 else "提前"
            return (
                f"将 {self.who} 的休假（第 {self.absence} 项）由 {self.from_} 至 {self.to} "
                f"调整为 {self.new_from} 至 {self.new_to}（{way} {abs(shift)} 天）"
            )
        assert self.on is not None
        if self.kind.startswith("matter_"):
            ask = self.kind == "matter_ask"
            if lang == "en":
                verb = "asks" if ask else "reports to"
                return f"{self.who} {verb} {self.recipient} on matter {self.absence} ({self.on})"
            verb = "请示" if ask else "报告"
            return f"{self.who} 就第 {self.absence} 项重要事项{verb} {self.recipient}（{self.on}）"
        if lang == "en":
            return (
                f"{self.who} reports absence {self.absence} to {self.recipient} "
                f"on {self.on} (before it begins)"
            )
        return (
            f"{self.who} 于 {self.on}（缺勤开始前）将第 {self.absence} 项缺勤报告 {self.recipient}"
        )


@dataclass
class Suggestion:
    """The smallest change that makes a plan compliant, or why there is none."""

    found: bool
    window: int
    before: LeaveResult
    changes: list[Change] = field(default_factory=list)
    repaired_plan: Plan | None = None
    after: LeaveResult | None = None
    days_moved: int = 0
    people_moved: int = 0
    optimal: bool = False
    statistics: dict[str, int] = field(default_factory=dict)
    reason: Bilingual | None = None  # why there is no repair
    lang: str = "zh"

    @property
    def compliant(self) -> bool:
        """A suggestion 'succeeds' when a repair was found (exit 0), else exit 1."""
        return self.found

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        data: dict[str, Any] = {
            "found": self.found,
            "window": self.window,
            "changes": [c.to_json(lang) for c in self.changes],
            "days_moved": self.days_moved,
            "people_moved": self.people_moved,
            "optimal": self.optimal,
            "grounding": dict(sorted(self.statistics.items())),
            "before": self.before.to_dict(lang),
        }
        if self.found and self.repaired_plan is not None and self.after is not None:
            data["repaired_plan"] = self.repaired_plan.model_dump(
                mode="json", by_alias=True, exclude_defaults=True
            )
            data["after"] = self.after.to_dict(lang)
        if self.reason is not None:
            data["reason"] = self.reason(lang)
        return data

    def to_json(self, lang: str | None = None) -> str:
        return dump(self.to_dict(lang))


# ---- facts ------------------------------------------------------------------------------


def _workday_facts(policy: Policy, plan: Plan, window: int) -> list[Any]:
    """workdays_upto(Day, N) over every day the plan's absences can reach, moved or not.

    Only differences matter (working days in [F,T] = N(T) - N(F-1)), so the count starts
    at 0 the day before the first day needed. One fact per day of the span: linear in days,
    independent of the number of absences.
    """
    since = policy.text.in_force_from
    spans = [(max(a.from_, since), a.to) for a in plan.absences if a.to >= since]
    if not spans:
        return []
    first = max(min(f for f, _ in spans) - timedelta(days=window), since)
    last = max(t for _, t in spans) + timedelta(days=window)
    calendar = policy.calendar
    day = first - timedelta(days=1)
    count = 0
    out = [fact("workdays_upto", number(day_number(day)), number(0))]
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_workday(day)
        out.append(fact("workdays_upto", number(day_number(day)), number(count)))
    return out


def _solve(
    policy: Policy,
    org: Organisation,
    plan: Plan,
    settings: Mapping[str, bool],
    *,
    timeout: float,
    window: int | None = None,
) -> Answer:
    facts = policy._common_facts(org)
    facts += plan_facts(plan)
    facts.append(fact("mode", constant("leave")))
    facts += _workday_facts(policy, plan, window or 0)
    if window is not None:
        facts += [fact("suggest"), fact("window", number(window))]
    return solve(
        policy.compiled.solver_program,
        facts,
        interpretations=[k for k, v in settings.items() if v],
        timeout=timeout,
        optimize=window is not None,
        allow_unsatisfiable=window is not None,
    )


def _args(atom: Any) -> tuple[Any, ...]:
    return tuple(symbol_to_python(a) for a in atom.arguments)


def _findings(policy: Policy, answer: Answer) -> list[Finding]:
    found = [
        build_finding(s, a, r, k, tuple(fa), policy.program)
        for s, a, r, k, fa in (_args(atom) for atom in answer.atoms if atom.name == "finding")
    ]
    return sorted(found, key=Finding.sort_key)


def _acting_rows(policy: Policy, answer: Answer) -> list[dict[str, Any]]:
    """Each working day of an absence of someone with an acting rule, with whoever acts:
    the first person named (in name order, as the kernel numbers them) who is present.
    Days nobody can act on are `no_acting` findings, not rows."""
    away: dict[str, list[tuple[int, int]]] = {}
    for atom in answer.atoms:
        if atom.name == "placed":
            _, who, _, start, end = _args(atom)
            away.setdefault(who, []).append((start, end))
    named: dict[tuple[str, str], list[str]] = {}
    for atom in answer.atoms:
        if atom.name == "acting":
            rule_id, absent, acting = _args(atom)
            named.setdefault((rule_id, absent), []).append(acting)
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
    return sorted(rows, key=lambda r: (r["date"], r["post"], r["absent"], r["acting"], r["rule"]))


def plan_dates(plan: Plan) -> set[date]:
    """Every date a plan names: the answer says on which of them the rules were in force."""
    dates: set[date] = set()
    for absence in plan.absences:
        dates.update((absence.from_, absence.to))
    if plan.period is not None:
        dates.update((plan.period.from_, plan.period.to))
    dates.update(m.on for m in plan.meetings)
    dates.update(m.on for m in plan.matters)
    return dates


def _load(policy: Policy, plan: InputLike | Plan, org: InputLike | Organisation | None) -> Any:
    from govrules.engine import _too_big

    org_model = policy._org(org)
    model = load_plan(plan, org_model)
    if len(model.absences) > MAX_ABSENCES:
        raise _too_big(Bilingual("缺勤", "absences"), len(model.absences), MAX_ABSENCES)
    return org_model, model


def _result(
    policy: Policy, plan: Plan, answer: Answer, settings: dict[str, bool], lang: str
) -> LeaveResult:
    return LeaveResult(
        findings=_findings(policy, answer),
        in_force=InForce(policy.text.in_force_from, tuple(sorted(plan_dates(plan)))),
        interpretations=settings,
        lang=lang,
        acting=_acting_rows(policy, answer),
        labels=policy.program,
    )


def check_leave(
    policy: Policy,
    plan: InputLike | Plan,
    org: InputLike | Organisation | None = None,
    *,
    interpretations: Mapping[str, bool] | None = None,
    timeout: float = 10.0,
    lang: str = "zh",
) -> LeaveResult:
    """A plan checked: clashes, advance reports, and who acts for each vacant post."""
    org_model, model = _load(policy, plan, org)
    settings = policy.interpretations(interpretations)
    answer = _solve(policy, org_model, model, settings, timeout=timeout)
    return _result(policy, model, answer, settings, lang)


# ---- suggestions ------------------------------------------------------------------------


def _previous_workday(policy: Policy, day: date) -> date:
    """The last working day before `day` (a report is made on a working day)."""
    calendar = policy.calendar
    candidate = day - timedelta(days=1)
    for _ in range(40):
        if calendar.is_workday(candidate):
            return candidate
        candidate -= timedelta(days=1)
    return day - timedelta(days=1)


def _mentions(finding: Finding, index: int) -> bool:
    keys = ("absence", "other_absence", "acting_absence")
    return any(finding.facts.get(k) == index for k in keys)


def _move_reason(before: LeaveResult, index: int) -> Bilingual:
    causes = [f for f in before.findings if f.severity == "violation" and _mentions(f, index)]
    if not causes:
        return Bilingual(
            "为其他调整腾出时间，避免产生新的冲突",
            "to make room for another change without a new clash",
        )
    return Bilingual(
        "；".join(f"第{f.article}条：{f.message.zh}" for f in causes),
        "; ".join(f"article {f.article}: {f.message.en}" for f in causes),
    )


def _no_repair(
    before: LeaveResult, window: int, answer: Answer, reason: Bilingual, lang: str
) -> Suggestion:
    return Suggestion(
        found=False,
        window=window,
        before=before,
        statistics=answer.statistics,
        reason=reason,
        lang=lang,
    )


def suggest_leave(
    policy: Policy,
    plan: InputLike | Plan,
    org: InputLike | Organisation | None = None,
    *,
    window: int = DEFAULT_WINDOW,
    interpretations: Mapping[str, bool] | None = None,
    timeout: float = 10.0,
    lang: str = "zh",
) -> Suggestion:
    """The smallest change that makes the plan compliant: fewest vacation days moved,
    then fewest people moved, each vacation by at most `window` days either way; then
    the advance reports still missing, dated the last working day before the absence.
    The repaired plan is checked again before it is returned."""
    if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= MAX_WINDOW:
        raise InputError(
            Bilingual(
                f"--window 须为 0 到 {MAX_WINDOW} 之间的整数（天），实际为 {window!r}",
                f"--window must be a whole number of days from 0 to {MAX_WINDOW}, got {window!r}",
            ),
            code="bad_window",
        )
    org_model, model = _load(policy, plan, org)
    settings = policy.interpretations(interpretations)
    before = _result(
        policy, model, _solve(policy, org_model, model, settings, timeout=timeout), settings, lang
    )
    answer = _solve(policy, org_model, model, settings, timeout=timeout, window=window)
    if not answer.satisfiable:
        return _no_repair(
            before,
            window,
            answer,
            Bilingual(
                f"在前后 {window} 天的范围内移动休假无法消除全部冲突（病假、事假、出差和副区长、"
                "区长的休假不移动）；可放宽 --window 或人工调整",
                f"no way to move vacations within {window} days either way removes every "
                "clash (sick leave, personal leave, business trips and the vice-mayors' and "
                "the mayor's vacations stay put); widen --window or rearrange by hand",
            ),
            lang,
        )
    shifts = {a: s for a, s in (_args(x) for x in answer.atoms if x.name == "shift") if s}
    absences = list(model.absences)
    changes: list[Change] = []
    for index, shift in sorted(shifts.items()):
        old = absences[index]
        delta = timedelta(days=shift)
        absences[index] = old.model_copy(update={"from_": old.from_ + delta, "to": old.to + delta})
        changes.append(
            Change(
                "move",
                index + 1,
                old.who,
                _move_reason(before, index + 1),
                from_=old.from_,
                to=old.to,
                new_from=old.from_ + delta,
                new_to=old.to + delta,
            )
        )
    moved = model.model_copy(update={"absences": tuple(absences)})
    checked = check_leave(
        policy, moved, org_model, interpretations=settings, timeout=timeout, lang=lang
    )
    for f in checked.findings:
        if f.kind not in ("report_missing", "report_late") or f.severity != "violation":
            continue
        index = f.facts["absence"] - 1
        old = absences[index]
        on = _previous_workday(policy, old.from_)
        report = Report(to=f.facts["recipient"], on=on)
        absences[index] = old.model_copy(update={"reported": (*old.reported, report)})
        if index in shifts:
            why = Bilingual(
                "休假调整后，原报告不再早于休假开始，须就新日期事先报告",
                "after the move the earlier report no longer precedes the vacation: "
                "report the new dates in advance",
            )
        elif f.kind == "report_missing":
            why = Bilingual("尚未事先报告", "not yet reported in advance")
        else:
            why = Bilingual("报告晚于缺勤开始", "the report came after the absence began")
        changes.append(
            Change(
                "report",
                index + 1,
                old.who,
                Bilingual(f"第{f.article}条：{why.zh}", f"article {f.article}: {why.en}"),
                recipient=f.facts["recipient"],
                on=on,
            )
        )
    matters = list(model.matters)
    for f in checked.findings:
        if f.kind not in ("matter_not_asked", "matter_not_reported"):
            continue
        index = f.facts["matter"] - 1
        old_matter = matters[index]
        ask = f.kind == "matter_not_asked"
        entry = Report(to=f.facts["recipient"], on=old_matter.on)
        key = "requested" if ask else "reported"
        matters[index] = old_matter.model_copy(update={key: (*getattr(old_matter, key), entry)})
        why = (
            Bilingual("重要事项须及时请示", "an important matter is brought for instructions")
            if ask
            else Bilingual("重要事项须及时报告", "an important matter is reported")
        )
        changes.append(
            Change(
                "matter_ask" if ask else "matter_report",
                index + 1,
                old_matter.who,
                Bilingual(f"第{f.article}条：{why.zh}", f"article {f.article}: {why.en}"),
                recipient=f.facts["recipient"],
                on=old_matter.on,
            )
        )
    repaired = model.model_copy(update={"absences": tuple(absences), "matters": tuple(matters)})
    after = check_leave(
        policy, repaired, org_model, interpretations=settings, timeout=timeout, lang=lang
    )
    if not after.compliant:
        left = [f for f in after.findings if f.severity == "violation"]
        return _no_repair(
            before,
            window,
            answer,
            Bilingual(
                "移动休假、补充报告、请示后仍有违规，无法自动修正："
                + "；".join(f"第{f.article}条：{f.message.zh}" for f in left),
                "violations remain after moving vacations and adding reports and requests, "
                "which cannot be "
                "repaired automatically: "
                + "; ".join(f"article {f.article}: {f.message.en}" for f in left),
            ),
            lang,
        )
    return Suggestion(
        found=True,
        window=window,
        before=before,
        changes=sorted(
            changes,
            key=lambda c: (
                ("move", "report").index(c.kind) if c.kind in ("move", "report") else 2,
                c.kind,
                c.absence,
                c.recipient or "",
            ),
        ),
        repaired_plan=repaired,
        after=after,
        days_moved=sum(abs(s) for s in shifts.values()),
        people_moved=len({model.absences[a].who for a in shifts}),
        optimal=answer.optimal,
        statistics=answer.statistics,
        lang=lang,
    )


def leave_question(
    policy: Policy,
    plan: InputLike | Plan,
    org: InputLike | Organisation | None,
    interpretations: Mapping[str, bool] | None,
) -> tuple[Plan, dict[str, bool], list[Any]]:
    """The checked plan of a question about absences, and the facts that pose it (for
    questions beyond the check itself, such as why-not)."""
    org_model, model = _load(policy, plan, org)
    settings = policy.interpretations(interpretations)
    facts = policy._common_facts(org_model)
    facts += plan_facts(model)
    facts.append(fact("mode", constant("leave")))
    facts += _workday_facts(policy, model, 0)
    return model, settings, facts
