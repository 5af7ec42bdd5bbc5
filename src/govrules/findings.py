"""One schema for every finding: severity, article, rule, message and the facts it rests on.

The kernel derives `finding(Severity, Article, Rule, Kind, Args)`; this module gives
each kind its named facts and its sentence in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from govrules.errors import Bilingual
from govrules.lang import ir
from govrules.orders import step_id

__all__ = ["Finding", "build_finding", "step_actor", "step_id"]


# How a step of alternatives (之一 / 或) names its actor: `any:` and the holders' words.
ALTERNATIVE = "any:"


@dataclass(frozen=True)
class Finding:
    severity: str
    article: int
    rule: str
    kind: str
    message: Bilingual
    facts: dict[str, Any]
    label: str | None = None  # the article's own label (articles.toml), when it has one

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "severity": self.severity,
            # The article's label (a string) when the policy labels it, else its number.
            "article": self.label if self.label is not None else self.article,
            "rule": self.rule,
            "kind": self.kind,
            "message": self.message(lang),
            "facts": self.facts,
        }

    def sort_key(self) -> tuple[Any, ...]:
        import json

        return (self.article, self.rule, self.kind, json.dumps(self.facts, sort_keys=True))


class _Labels:
    def __init__(
        self, program: ir.Program, rule: str, positions: Sequence[int] | None = None
    ) -> None:
        self.program = program
        self.rule = rule
        self.positions = positions

    def entry(self, index: int) -> int:
        """The 1-based list position of the trace entry the kernel numbers `index` (the
        kernel numbers entries in time order; users read the positions they wrote)."""
        if self.positions is None or not 0 <= index < len(self.positions):
            return index + 1
        return self.positions[index] + 1

    def action(self, ident: str) -> Bilingual:
        return Bilingual(
            self.program.label("action", ident, "zh"), self.program.label("action", ident, "en")
        )

    def role(self, ident: str) -> Bilingual:
        return Bilingual(self.program.role_label(ident, "zh"), self.program.role_label(ident, "en"))

    def revision(self) -> tuple[Bilingual, Bilingual]:
        """The return and the review of the revision loop the finding's rule describes."""
        for rule in self.program.rules:
            if rule.ident == self.rule and isinstance(rule.form, ir.RevisionDuty):
                return self.action(rule.form.returned), self.action(rule.form.review)
        return Bilingual("退回", "return"), Bilingual("审核", "review")

    def caller(self) -> Bilingual:
        """Who may call an ad hoc meeting, by the rule the finding cites."""
        for rule in self.program.rules:
            if rule.ident == self.rule and isinstance(rule.form, ir.MeetingCaller):
                return self.role(rule.form.caller.ident)
        return Bilingual("有权者", "whoever may")

    def matter_kind(self) -> Bilingual:
        """The kind of matter (事项) the finding's matter rule is about, by its label."""
        for rule in self.program.rules:
            if rule.ident == self.rule and isinstance(rule.form, ir.MatterDuty | ir.MatterDetails):
                kinds = rule.form.kinds
                return Bilingual(
                    "、".join(self.program.label("matter", k, "zh") for k in kinds),
                    "/".join(self.program.label("matter", k, "en") for k in kinds),
                )
        return Bilingual("事项", "matter")

    def together_relation(self) -> Bilingual:
        """The relation the finding's prohibition is about (the related post of a ban on
        being away together)."""
        for rule in self.program.rules:
            if rule.ident == self.rule and isinstance(rule.form, ir.ProhibitTogether):
                return self.role(rule.form.relation)
        return Bilingual("相关人员", "the related person")


def _day(n: int) -> str:
    return date.fromordinal(n).isoformat()


Builder = Callable[[tuple[Any, ...], _Labels], tuple[dict[str, Any], Bilingual]]


def _unfilled(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    proc, action, role = args
    r, a = lb.role(role), lb.action(action)
    return {"procedure": proc, "action": action, "role": role}, Bilingual(
        f"组织中没有人担任「{r.zh}」，流程无法完成「{a.zh}」这一步",
        f"nobody in the organisation is {r.en}, so the step '{a.en}' cannot be done",
    )


def step_actor(actor: str, program: ir.Program) -> Bilingual:
    """Who does a step: a name, or for a step of alternatives (`any:R1|R2`) any one holder."""
    if not actor.startswith(ALTERNATIVE):
        return Bilingual(actor, actor)
    ident = actor[len(ALTERNATIVE) :]
    zh, en = program.role_label(ident, "zh"), program.role_label(ident, "en")
    return Bilingual(f"{zh}（任一人）", f"one of {en}")


def _who(actor: str, lb: _Labels) -> Bilingual:
    return step_actor(actor, lb.program)


def _missing(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    action, actor = args
    a, who = lb.action(action), _who(actor, lb)
    return {"step": step_id(action, actor), "actor": actor, "action": action}, Bilingual(
        f"缺少步骤：{who.zh} 未{a.zh}", f"missing step: {who.en} did not {a.en}"
    )


def _out_of_order(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    (a1, p1), (a2, p2), entry = args
    n = lb.entry(entry)
    first, later = step_id(a1, p1), step_id(a2, p2)
    w1, w2 = _who(p1, lb), _who(p2, lb)
    return {"must_come_first": first, "step": later, "entry": n}, Bilingual(
        f"顺序错误：{w2.zh} {lb.action(a2).zh}（记录第 {n} 条）早于 {w1.zh} {lb.action(a1).zh}",
        f"out of order: {w2.en} did '{lb.action(a2).en}' (entry {n}) before "
        f"{w1.en} did '{lb.action(a1).en}'",
    )


def _action_order(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, action, first = args
    n = lb.entry(entry)
    a, f = lb.action(action), lb.action(first)
    return {"entry": n, "actor": actor, "action": action, "must_come_first": first}, Bilingual(
        f"记录第 {n} 条：{actor} {a.zh}之前没有任何「{f.zh}」",
        f"entry {n}: {actor} did '{a.en}' with no '{f.en}' before it",
    )


def _not_reexamined(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor = args
    n = lb.entry(entry)
    trigger, first, then = _same_actor(lb)
    return {"entry": n, "actor": actor}, Bilingual(
        f"记录第 {n} 条{trigger.zh}之后，原{first.zh}者 {actor} 未{then.zh}",
        f"after the '{trigger.en}' of entry {n}, {actor}, who did '{first.en}', did not "
        f"'{then.en}'",
    )


def _same_actor(lb: _Labels) -> tuple[Bilingual, Bilingual, Bilingual]:
    for rule in lb.program.rules:
        if rule.ident == lb.rule and isinstance(rule.form, ir.SameActorDuty):
            f = rule.form
            return lb.action(f.trigger), lb.action(f.first), lb.action(f.then)
    return Bilingual("修改", "change"), Bilingual("签发", "sign"), Bilingual("复审", "re-examine")


def _past_limit(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    action, actor, entry, condition, day, minute = args
    n, a = lb.entry(entry), lb.action(action)
    limit = f"{_day(day)}T{minute // 60:02d}:{minute % 60:02d}"
    c = Bilingual(
        lb.program.label("flag", condition, "zh"), lb.program.label("flag", condition, "en")
    )
    facts = {"entry": n, "actor": actor, "action": action, "condition": condition, "due": limit}
    return facts, Bilingual(
        f"记录第 {n} 条：{actor} {a.zh}晚于公文的{c.zh} {limit}",
        f"entry {n}: {actor} did '{a.en}' after the document's {c.en}, {limit}",
    )


def _late_in_hours(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    action, actor, entry, hours = args
    n, a = lb.entry(entry), lb.action(action)
    return {"entry": n, "actor": actor, "action": action, "hours": hours}, Bilingual(
        f"记录第 {n} 条：{actor} {a.zh}超过 {hours} 小时的时限",
        f"entry {n}: {actor} did '{a.en}' more than {hours} hours after it arrived",
    )


def _missing_value(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    (condition,) = args
    c = Bilingual(
        lb.program.label("flag", condition, "zh"), lb.program.label("flag", condition, "en")
    )
    return {"condition": condition}, Bilingual(
        f"公文未写明{c.zh}（{condition}）", f"the document does not give its {c.en} ({condition})"
    )


def _no_power(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, action = args
    n = lb.entry(entry)
    a = lb.action(action)
    return {"entry": n, "actor": actor, "action": action}, Bilingual(
        f"记录第 {n} 条：{actor} 无权{a.zh}本公文（既不是其审批流程中的步骤，也没有规则授权）",
        f"entry {n}: {actor} has no power to '{a.en}' this document (not a step of its "
        "procedure, and no rule empowers it)",
    )


def _acting_not_named(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, absent = args
    return {"entry": entry + 1, "actor": actor, "acting_for": absent}, Bilingual(
        f"记录第 {entry + 1} 条：{actor} 代 {absent} 办理，"
        f"但没有规则指定 {actor} 代 {absent} 主持工作",
        f"entry {entry + 1}: {actor} acted for {absent}, but no rule names {actor} to act "
        f"for {absent}",
    )


def _acting_not_away(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, absent, day = args
    return {"entry": entry + 1, "actor": actor, "acting_for": absent, "on": _day(day)}, Bilingual(
        f"记录第 {entry + 1} 条：{actor} 代 {absent} 办理，但计划中 {absent} {_day(day)} 并未外出",
        f"entry {entry + 1}: {actor} acted for {absent}, but the plan does not have {absent} "
        f"away on {_day(day)}",
    )


def _acting_unverified(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, absent = args
    return {"entry": entry + 1, "actor": actor, "acting_for": absent}, Bilingual(
        f"记录第 {entry + 1} 条：{actor} 代 {absent} 办理；"
        f"未提供请假计划，无法核实 {absent} 当日外出（check --plan）",
        f"entry {entry + 1}: {actor} acted for {absent}; no plan was given, so {absent}'s "
        "absence that day is not verified (check --plan)",
    )


def _opinion_missing(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, action = args
    n = lb.entry(entry)
    a = lb.action(action)
    return {"entry": n, "actor": actor, "action": action}, Bilingual(
        f"记录第 {n} 条：{actor} {a.zh}未签署明确意见",
        f"entry {n}: {actor} did '{a.en}' without an explicit opinion",
    )


def _circled_only(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, action = args
    n = lb.entry(entry)
    a = lb.action(action)
    return {"entry": n, "actor": actor, "action": action}, Bilingual(
        f"记录第 {n} 条：{actor} 只作阅知标记，未就「{a.zh}」提出明确意见",
        f"entry {n}: {actor} only circled the document instead of '{a.en}' with an "
        "explicit opinion",
    )


def _after_issue(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, action, issued = args
    n = lb.entry(entry)
    m = lb.entry(issued)
    a = lb.action(action)
    return {
        "entry": n,
        "actor": actor,
        "action": action,
        "issued": m,
    }, Bilingual(
        f"记录第 {n} 条：公文已于第 {m} 条办结，{actor} 仍在办结后{a.zh}",
        f"entry {n}: {actor} did '{a.en}' after the document was concluded (entry {m})",
    )


def _not_resubmitted(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor = args
    n = lb.entry(entry)
    back, review = lb.revision()
    return {"entry": n, "actor": actor}, Bilingual(
        f"记录第 {n} 条：{actor} {back.zh}后，公文未再送其{review.zh}",
        f"entry {n}: after {actor} did '{back.en}', the document was never "
        f"resubmitted to them for '{review.en}'",
    )


def _unrevised(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, again = args
    n = lb.entry(entry)
    m = lb.entry(again)
    back, review = lb.revision()
    return {"entry": n, "actor": actor, "reviewed_again": m}, Bilingual(
        f"记录第 {n} 条：{actor} {back.zh}后，第 {m} 条再{review.zh}前没有按要求修改落实",
        f"entry {n}: {actor} did '{back.en}', but nothing was revised before "
        f"'{review.en}' again at entry {m}",
    )


def _unexplained(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    index, unit = args
    return {"consultation": index + 1, "unit": unit}, Bilingual(
        f"第 {index + 1} 项征询：{unit} 的意见未采纳，也未沟通说明",
        f"consultation {index + 1}: the opinion of {unit} was not adopted and not explained",
    )


def _forbidden(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    entry, actor, action = args
    n = lb.entry(entry)
    a = lb.action(action)
    return {"entry": n, "actor": actor, "action": action}, Bilingual(
        f"记录第 {n} 条：{actor} 不得{a.zh}",
        f"entry {n}: {actor} may not {a.en}",
    )


def _late(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    action, actor, entry, due = args
    n = lb.entry(entry)
    a = lb.action(action)
    return {
        "entry": n,
        "actor": actor,
        "action": action,
        "due": _day(due),
    }, Bilingual(
        f"记录第 {n} 条：{actor} {a.zh} 晚于期限 {_day(due)}",
        f"entry {n}: {actor} did '{a.en}' after the due date {_day(due)}",
    )


def _together(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    x, a, y, b, f, t = args
    facts = {
        "person": x,
        "absence": a + 1,
        "other": y,
        "other_absence": b + 1,
        "from": _day(f),
        "to": _day(t),
    }
    span = _day(f) if f == t else f"{_day(f)} 至 {_day(t)}"
    span_en = _day(f) if f == t else f"{_day(f)} to {_day(t)}"
    rel = lb.together_relation()
    return facts, Bilingual(
        f"{x}（第 {a + 1} 项）与其{rel.zh} {y}（第 {b + 1} 项）{span} 同时不在岗",
        f"{x} (absence {a + 1}) and {y} (absence {b + 1}), {rel.en} for them, "
        f"are away together on {span_en}",
    )


def _no_acting(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    x, a, y, b, f, t = args
    facts = {
        "person": x,
        "absence": a + 1,
        "acting": y,
        "acting_absence": b + 1,
        "from": _day(f),
        "to": _day(t),
    }
    span = _day(f) if f == t else f"{_day(f)} 至 {_day(t)}"
    span_en = _day(f) if f == t else f"{_day(f)} to {_day(t)}"
    return facts, Bilingual(
        f"{x}（第 {a + 1} 项）外出期间，应代为主持工作的 {y}（第 {b + 1} 项）{span} 也不在岗，"
        "岗位在工作日无人主持",
        f"while {x} is away (absence {a + 1}), {y}, who is to act for them, is away too "
        f"(absence {b + 1}) on {span_en}: nobody acts on those working days",
    )


def _month(key: int) -> str:
    return f"{key // 100}-{key % 100:02d}"


def _meeting_too_few(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    per, f, t, held, wanted = args
    facts = {"from": _day(f), "to": _day(t), "held": held, "required": wanted}
    zh_per, en_per = ("月", "month") if per == "month" else ("周", "week")
    return facts, Bilingual(
        f"{_day(f)} 至 {_day(t)} 只召开会议 {held} 次（规则要求每{zh_per}召开{wanted}次）",
        f"only {held} meeting(s) held from {_day(f)} to {_day(t)} (the rule: {wanted} a {en_per})",
    )


def _meeting_missed(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    month, f, t = args
    facts = {"month": _month(month), "from": _day(f), "to": _day(t)}
    return facts, Bilingual(
        f"{_month(month)} 未召开会议（规则要求一般每月召开1次）",
        f"no meeting held in {_month(month)} (the rule: generally once a month)",
    )


def _not_a_member(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    i, p, d = args
    return {"meeting": i + 1, "person": p, "on": _day(d)}, Bilingual(
        f"第 {i + 1} 次会议（{_day(d)}）：{p} 不是会议组成人员，只能列席（observers），"
        "不能作为与会成员（attendees）",
        f"meeting {i + 1} ({_day(d)}): {p} is not a member of the meeting and may "
        "only sit in (observers), not attend as a member (attendees)",
    )


def _meeting_caller(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    i, p, d = args
    return {"meeting": i + 1, "called_by": p, "on": _day(d)}, Bilingual(
        f"第 {i + 1} 次会议（{_day(d)}）是临时会议，由 {p} 召开；临时召开须由{lb.caller().zh}决定",
        f"meeting {i + 1} ({_day(d)}) was an ad hoc meeting called by {p}; only "
        f"{lb.caller().en} decides to call one",
    )


def _matter(verb: Bilingual) -> Builder:
    def build(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
        m, p, q = args
        kind = lb.matter_kind()
        return {"matter": m + 1, "person": p, "recipient": q}, Bilingual(
            f"{p} 的第 {m + 1} 项{kind.zh}未{verb.zh} {q}",
            f"{p}'s {kind.en} {m + 1} was not {verb.en} {q}",
        )

    return build


def _unspecified(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    m, p, what = args
    kind = lb.matter_kind()
    detail = Bilingual("责任人", "responsible person")
    if what == "deadline":
        detail = Bilingual("完成时限", "deadline")
    return {"matter": m + 1, "person": p, "missing": what}, Bilingual(
        f"{p} 的第 {m + 1} 项{kind.zh}未明确{detail.zh}",
        f"{p}'s {kind.en} {m + 1} names no {detail.en}",
    )


def _report_missing(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    a, p, q = args
    return {"absence": a + 1, "person": p, "recipient": q}, Bilingual(
        f"{p} 的第 {a + 1} 项缺勤未事先报告 {q}",
        f"{p}'s absence {a + 1} was not reported in advance to {q}",
    )


def _report_late(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    a, p, q, d = args
    return {"absence": a + 1, "person": p, "recipient": q, "reported_on": _day(d)}, Bilingual(
        f"{p} 的第 {a + 1} 项缺勤到 {_day(d)} 才报告 {q}，不是事先报告",
        f"{p}'s absence {a + 1} was reported to {q} only on {_day(d)}, not in advance",
    )


def _cycle(args: tuple[Any, ...], lb: _Labels) -> tuple[dict[str, Any], Bilingual]:
    ((action, actor),) = args
    return {"step": step_id(action, actor)}, Bilingual(
        f"流程先后关系成环：{step_id(action, actor)} 须先于自身，没有可行的审批顺序",
        f"the precedence has a cycle through {step_id(action, actor)}: no valid order exists",
    )


_BUILDERS: dict[str, Builder] = {
    "unfilled_step": _unfilled,
    "missing_step": _missing,
    "out_of_order": _out_of_order,
    "no_power": _no_power,
    "opinion_missing": _opinion_missing,
    "circled_only": _circled_only,
    "after_issue": _after_issue,
    "not_resubmitted": _not_resubmitted,
    "resubmitted_unrevised": _unrevised,
    "unexplained_rejection": _unexplained,
    "forbidden_action": _forbidden,
    "late_action": _late,
    "absent_together": _together,
    "no_acting": _no_acting,
    "meeting_missed": _meeting_missed,
    "meeting_too_few": _meeting_too_few,
    "not_a_member": _not_a_member,
    "meeting_caller": _meeting_caller,
    "acting_not_named": _acting_not_named,
    "acting_not_away": _acting_not_away,
    "acting_unverified": _acting_unverified,
    "matter_not_asked": _matter(Bilingual("请示", "brought for instructions to")),
    "matter_not_reported": _matter(Bilingual("报告", "reported to")),
    "matter_unspecified": _unspecified,
    "report_missing": _report_missing,
    "report_late": _report_late,
    "precedence_cycle": _cycle,
    "action_out_of_order": _action_order,
    "not_reexamined": _not_reexamined,
    "past_time_limit": _past_limit,
    "missing_value": _missing_value,
    "late_in_hours": _late_in_hours,
}


def build_finding(
    severity: str,
    article: int,
    rule: str,
    kind: str,
    args: tuple[Any, ...],
    program: ir.Program,
    positions: Sequence[int] | None = None,
) -> Finding:
    """`positions[i]` is the list position of the entry the kernel numbers i (time order)."""
    facts, message = _BUILDERS[kind](args, _Labels(program, rule, positions))
    cited = program.article_of(rule)
    label = cited if isinstance(cited, str) else None
    return Finding(severity, article, rule, kind, message, facts, label)
