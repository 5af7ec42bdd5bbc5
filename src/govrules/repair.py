"""Repair (`leave --suggest`): the smallest change that makes a plan compliant.

The kernel itself searches: each movable vacation gets one shift within the window, the
clash and acting rules are evaluated on the shifted positions, and `#minimize` ranks the
candidates (fewest days moved, then fewest people). Reports and requests are proposed
afterwards, and the repaired plan is checked from scratch before it is returned, so a
suggestion can never be shown that the checker would reject.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from govrules import clock
from govrules.asp.solve import Answer
from govrules.errors import Bilingual, InputError, SolverLimitError
from govrules.findings import Finding
from govrules.inputs import Absence, InputLike, Matter, Organisation, Plan, Report
from govrules.presence import (
    LeaveResult,
    atom_args,
    check_leave,
    leave_result,
    load_inputs,
    repair_size,
    solve_plan,
)
from govrules.results import dump

if TYPE_CHECKING:
    from govrules.policy_core import PolicyCore

__all__ = ["DEFAULT_WINDOW", "MAX_WINDOW", "Change", "Suggestion", "suggest_leave"]

DEFAULT_WINDOW = 14
MAX_WINDOW = 92
# Grounding a repair cannot be interrupted, so its size (`presence.repair_size`: pairs of
# absences that can meet within the window, times the places each may take) is checked
# before it. Past MAX_REPAIR_SIZE, never; below it, not when it cannot be ground in the
# time left at REPAIR_UNITS_PER_SECOND (a fast machine's pace: this is about 2 to 4 times
# slower, so a refused search is one that would surely overrun).
MAX_REPAIR_SIZE = 1_000_000
REPAIR_UNITS_PER_SECOND = 40_000


@dataclass(frozen=True)
class Change:
    """One change of a suggestion: a vacation moved, an advance report to make (article 39),
    or a matter to bring to (ask) or report to someone (the matter rules)."""

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
    what: Bilingual | None = None  # matter_*: the kind of matter, by its label

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
                f"将 {self.who} 的缺勤（第 {self.absence} 项）由 {self.from_} 至 {self.to} "
                f"调整为 {self.new_from} 至 {self.new_to}（{way} {abs(shift)} 天）"
            )
        assert self.on is not None
        if self.kind.startswith("matter_"):
            ask = self.kind == "matter_ask"
            what = self.what or Bilingual("事项", "matter")
            if lang == "en":
                verb = "asks" if ask else "reports to"
                return f"{self.who} {verb} {self.recipient} on matter {self.absence} ({self.on})"
            verb = "请示" if ask else "报告"
            return f"{self.who} 就第 {self.absence} 项{what.zh}{verb} {self.recipient}（{self.on}）"
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


# ---- suggestions ------------------------------------------------------------------------


def _previous_workday(policy: PolicyCore, day: date) -> date:
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


def _check_window(window: int) -> None:
    if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= MAX_WINDOW:
        raise InputError(
            Bilingual(
                f"--window 须为 0 到 {MAX_WINDOW} 之间的整数（天），实际为 {window!r}",
                f"--window must be a whole number of days from 0 to {MAX_WINDOW}, got {window!r}",
            ),
            code="bad_window",
        )


def _check_size(size: int, window: int, timeout: float) -> None:
    """Refuse a repair search too big to ground in the time left (or at all): exit 3."""
    why = clock.too_big(size, MAX_REPAIR_SIZE, REPAIR_UNITS_PER_SECOND, timeout)
    if why is None:
        return
    raise SolverLimitError(
        Bilingual(
            f"调整方案的搜索规模过大：可能相遇的缺勤对 × 移动位置（前后 {window} 天）共 {size}，"
            f"{why.zh}；请缩小 --window 或分段处理计划",
            f"the repair search is too big: pairs of absences that may meet x places to move "
            f"to ({window} days either way) come to {size}, {why.en}; narrow --window or "
            "split the plan",
        ),
        code="input_too_large",
    )


def _moves(before: LeaveResult, absences: list[Absence], shifts: dict[int, int]) -> list[Change]:
    """Apply the solver's shifts to `absences` (in place); one change per moved vacation."""
    changes = []
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
    return changes


def _reports(
    policy: PolicyCore, checked: LeaveResult, absences: list[Absence], moved: set[int]
) -> list[Change]:
    """Advance reports still missing or late on the moved plan, made the last working day
    before the absence (article 39); `absences` is updated in place."""
    changes = []
    for f in checked.findings:
        if f.kind not in ("report_missing", "report_late") or f.severity != "violation":
            continue
        index = f.facts["absence"] - 1
        old = absences[index]
        on = _previous_workday(policy, old.from_)
        report = Report(to=f.facts["recipient"], on=on)
        absences[index] = old.model_copy(update={"reported": (*old.reported, report)})
        if index in moved:
            why = Bilingual(
                "缺勤调整后，原报告不再早于缺勤开始，须就新日期事先报告",
                "after the move the earlier report no longer precedes the vacation: "
                "report the new dates in advance",
            )
        elif f.kind == "report_missing":
            why = Bilingual("尚未事先报告", "not yet reported in advance")
        else:
            why = Bilingual("报告晚于缺勤开始", "the report came after the absence began")
        reason = Bilingual(f"第{f.article}条：{why.zh}", f"article {f.article}: {why.en}")
        changes.append(
            Change("report", index + 1, old.who, reason, recipient=f.facts["recipient"], on=on)
        )
    return changes


def _matter_entries(
    policy: PolicyCore, checked: LeaveResult, matters: list[Matter]
) -> list[Change]:
    """Requests and reports on matters still missing, made on the matter's day (及时);
    `matters` is updated in place."""
    changes = []
    for f in checked.findings:
        if f.kind not in ("matter_not_asked", "matter_not_reported"):
            continue
        index = f.facts["matter"] - 1
        old = matters[index]
        ask = f.kind == "matter_not_asked"
        key = "requested" if ask else "reported"
        entry = Report(to=f.facts["recipient"], on=old.on)
        matters[index] = old.model_copy(update={key: (*getattr(old, key), entry)})
        of = old.kind or ""
        label = Bilingual(
            policy.program.label("matter", of, "zh"), policy.program.label("matter", of, "en")
        )
        why = (
            Bilingual(f"{label.zh}须及时请示", f"a matter ({label.en}) is brought for instructions")
            if ask
            else Bilingual(f"{label.zh}须及时报告", f"a matter ({label.en}) is reported")
        )
        reason = Bilingual(f"第{f.article}条：{why.zh}", f"article {f.article}: {why.en}")
        kind = "matter_ask" if ask else "matter_report"
        changes.append(
            Change(
                kind,
                index + 1,
                old.who,
                reason,
                recipient=f.facts["recipient"],
                on=old.on,
                what=label,
            )
        )
    return changes


_ORDER = ("move", "report", "matter_ask", "matter_report")


def suggest_leave(
    policy: PolicyCore,
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
    the advance reports still missing, dated the last working day before the absence,
    and the requests and reports missing on matters. The repaired plan is
    checked again before it is returned."""
    _check_window(window)
    org_model, model = load_inputs(policy, plan, org)
    settings = policy.interpretations(interpretations)
    first = solve_plan(policy, org_model, model, settings, timeout=timeout)
    before = leave_result(policy, model, first, settings, lang)
    related = policy.related(org_model, clock.remaining(timeout))
    _check_size(repair_size(related, model, window), window, timeout)
    answer = solve_plan(policy, org_model, model, settings, timeout=timeout, window=window)
    if not answer.satisfiable:
        return _no_repair(
            before,
            window,
            answer,
            Bilingual(
                f"在前后 {window} 天的范围内调整缺勤无法消除全部冲突（只调整可调整类别的缺勤，"
                "且只调整受本规则约束的人员的缺勤）；可放宽 --window 或人工调整",
                f"no way to move absences within {window} days either way removes every "
                "clash (only absences of a movable kind, of people the rules bind, move); "
                "widen --window or rearrange by hand",
            ),
            lang,
        )
    shifts = {a: s for a, s in (atom_args(x) for x in answer.atoms if x.name == "shift") if s}
    absences, matters = list(model.absences), list(model.matters)
    changes = _moves(before, absences, shifts)
    moved = model.model_copy(update={"absences": tuple(absences)})
    checked = check_leave(policy, moved, org_model, interpretations=settings, timeout=timeout)
    changes += _reports(policy, checked, absences, set(shifts))
    changes += _matter_entries(policy, checked, matters)
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
                "移动缺勤、补充报告和请示后仍有违规，无法自动修正："
                + "；".join(f"第{f.article}条：{f.message.zh}" for f in left),
                "violations remain after moving vacations and adding reports and requests, "
                "which cannot be repaired automatically: "
                + "; ".join(f"article {f.article}: {f.message.en}" for f in left),
            ),
            lang,
        )
    return Suggestion(
        found=True,
        window=window,
        before=before,
        changes=sorted(changes, key=lambda c: (_ORDER.index(c.kind), c.absence, c.recipient or "")),
        repaired_plan=repaired,
        after=after,
        days_moved=sum(abs(s) for s in shifts.values()),
        people_moved=len({model.absences[a].who for a in shifts}),
        optimal=answer.optimal,
        statistics=answer.statistics,
        lang=lang,
    )
