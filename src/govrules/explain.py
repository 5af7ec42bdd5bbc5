"""Why: each step, precedence and finding traced back to its rules, articles and facts.

The solver decides; this module only reads what it derived (which definition put a person
into a relation, which clause made a procedure apply: `post_by`, `rel_by`, `applies_by`)
and lays the derivation out for a reader: the rule as written, where it is, the article it
encodes (restored text quoted), the interpretation it depends on, and the input facts it
rests on. It never re-decides anything the solver decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from govrules.errors import Bilingual
from govrules.findings import ALTERNATIVE, Finding, step_actor
from govrules.inputs import DocumentFile, Organisation, Plan
from govrules.lang import ir
from govrules.policy_text import PolicyText

__all__ = ["Derived", "Explainer", "Explanation", "Reason"]


@dataclass(frozen=True)
class Reason:
    """One rule's part in a derivation, with the facts that made it apply."""

    rule: str
    article: int
    source: str  # file:line
    statement: str  # the rule as written
    says: Bilingual  # what the rule contributes here
    facts: tuple[Bilingual, ...] = ()
    interpretation: tuple[str, bool, str] | None = None  # (name, enabled, justification)

    def to_json(self, lang: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "article": self.article,
            "source": self.source,
            "statement": self.statement,
            "says": self.says(lang),
            "facts": [f(lang) for f in self.facts],
        }
        if self.interpretation is not None:
            name, enabled, why = self.interpretation
            data["interpretation"] = {"name": name, "enabled": enabled, "justification": why}
        return data


@dataclass(frozen=True)
class Explanation:
    subject: str  # step | precedence | finding
    ident: str  # the step id, "A > B", or the finding's index (1-based)
    summary: Bilingual
    reasons: tuple[Reason, ...]

    def to_json(self, lang: str, text: PolicyText) -> dict[str, Any]:
        """The reasons, then the restored text of each article they cite, quoted once."""
        articles = []
        for number in sorted({r.article for r in self.reasons}):
            found = text.article(number)
            if found is not None:
                quoted = found.text_en if lang == "en" and found.text_en else found.text()
                articles.append({"article": number, "text": quoted})
        return {
            "subject": self.subject,
            "id": self.ident,
            "summary": self.summary(lang),
            "because": [r.to_json(lang) for r in self.reasons],
            "articles": articles,
        }


@dataclass
class Derived:
    """What the solver derived that explanations read."""

    posts: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (rel, P) -> rules
    rels: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)  # (rel, X, P)
    applies: dict[str, set[tuple[str, int]]] = field(default_factory=dict)  # proc -> (rule, n)

    def add(self, name: str, args: tuple[Any, ...]) -> None:
        if name == "post_by":
            relation, person, rule = args
            self.posts.setdefault((relation, person), set()).add(rule)
        elif name == "rel_by":
            relation, subject, person, rule = args
            self.rels.setdefault((relation, subject, person), set()).add(rule)
        elif name == "applies_by":
            proc, rule, clause = args
            self.applies.setdefault(proc, set()).add((rule, clause))


class Explainer:
    """Builds explanations for one answer: the program, the policy text and the inputs."""

    def __init__(
        self,
        program: ir.Program,
        text: PolicyText,
        org: Organisation,
        derived: Derived,
        settings: Mapping[str, bool],
        document: DocumentFile | None = None,
        plan: Plan | None = None,
    ) -> None:
        self.program = program
        self.text = text
        self.org = org
        self.derived = derived
        self.settings = settings
        self.document = document
        self.plan = plan
        self.rules = {r.ident: r for r in program.rules}
        self.interpretations = {i.ident: i for i in program.interpretations}

    # ---- words -------------------------------------------------------------------------
    def _label(self, kind: str, ident: str) -> Bilingual:
        return Bilingual(
            self.program.label(kind, ident, "zh"), self.program.label(kind, ident, "en")
        )

    def _who(self, ident: str) -> Bilingual:
        return Bilingual(self.program.role_label(ident, "zh"), self.program.role_label(ident, "en"))

    def _reason(
        self, rule_id: str, says: Bilingual, facts: Iterable[Bilingual] = ()
    ) -> Reason | None:
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        guard = None
        if rule.guard is not None:
            name, when_enabled = rule.guard
            known = self.interpretations.get(name)
            guard = (name, when_enabled, known.justification if known else "")
        return Reason(
            rule.ident,
            rule.article,
            f"{rule.source.file}:{rule.source.line}",
            rule.text,
            says,
            tuple(dict.fromkeys(facts)),
            guard,
        )

    # ---- facts of the inputs -------------------------------------------------------------
    def _doc_fact(self, cond: ir.DocCond) -> Bilingual:
        label = self._label(cond.kind if cond.kind != "name" else "name", cond.ident)
        if cond.kind == "document":
            return Bilingual(f"公文类型：{label.zh}", f"the document is: {label.en}")
        if cond.kind == "name":
            return Bilingual(f"行文名义：{label.zh}", f"issued in the name of {label.en}")
        if cond.negated:
            return Bilingual(f"不属「{label.zh}」", f"not: {label.en}")
        return Bilingual(f"属「{label.zh}」", f"condition holds: {label.en}")

    def _person_facts(self, person: str, relation: str, rule_id: str) -> list[Bilingual]:
        """The input facts about `person` that the definition `rule_id` looks at."""
        rule = self.rules.get(rule_id)
        record = self.org.person(person)
        if rule is None or not isinstance(rule.form, ir.Definition):
            return []
        facts: list[Bilingual] = []
        doc = self.document.document if self.document else None
        kinds = {c.kind for alt in rule.form.alternatives for c in alt}
        roles = {c.arg for alt in rule.form.alternatives for c in alt if c.kind == "role"}
        if record is not None:
            for role in record.roles:
                if role in roles:
                    r = self._label("role", role)
                    facts.append(Bilingual(f"{person} 担任 {r.zh}", f"{person} is {r.en}"))
            if doc is not None and kinds & {"covers_lead", "covers_field"}:
                for f in record.fields:
                    if f == doc.lead_field:
                        facts.append(
                            Bilingual(
                                f"{person} 分管 {f}（本公文主办领域）",
                                f"{person} covers {f} (the document's lead field)",
                            )
                        )
                    elif f in doc.fields:
                        facts.append(
                            Bilingual(
                                f"{person} 分管 {f}（本公文协办领域）",
                                f"{person} covers {f} (an assisting field of the document)",
                            )
                        )
            if kinds & {"serves", "serves_relation"}:
                for q in record.reports_to or ():
                    facts.append(Bilingual(f"{person} 联系 {q}", f"{person} serves {q}"))
        if doc is not None and "drafts" in kinds and doc.drafter is not None:
            facts.append(Bilingual(f"本公文的起草者是 {doc.drafter}", f"{doc.drafter} drafts it"))
        return facts

    def _pair_facts(self, subject: str, person: str, rule_id: str) -> list[Bilingual]:
        """Facts behind `person` being `subject`'s relation by personal definition `rule_id`."""
        a, b = self.org.person(subject), self.org.person(person)
        facts: list[Bilingual] = []
        if a is not None and b is not None:
            if person in a.backup:
                facts.append(
                    Bilingual(
                        f"组织文件把 {person} 列为 {subject} 的 AB 岗",
                        f"the organisation names {person} as {subject}'s A/B post partner",
                    )
                )
            if a.reports_to and person in a.reports_to:
                facts.append(
                    Bilingual(
                        f"组织文件指定 {subject} 向 {person} 汇报",
                        f"the organisation names {person} as {subject}'s superior",
                    )
                )
            shared = [f for f in a.fields if f in b.fields]
            if shared:
                joined = "、".join(shared)
                facts.append(
                    Bilingual(
                        f"{subject} 与 {person} 共同分管 {joined}",
                        f"{subject} and {person} share {', '.join(shared)}",
                    )
                )
            for role in b.roles:
                r = self._label("role", role)
                facts.append(Bilingual(f"{person} 担任 {r.zh}", f"{person} is {r.en}"))
        return facts

    # ---- steps ---------------------------------------------------------------------------
    def _applies(self, proc: str) -> list[Reason]:
        out = []
        name = self._label("procedure", proc)
        for rule_id, clause in sorted(self.derived.applies.get(proc, ())):
            rule = self.rules.get(rule_id)
            if rule is None:
                continue
            form = rule.form
            conjunctions = (
                form.applies if isinstance(form, ir.Procedure | ir.ProcedureExtend) else ()
            )
            facts = (
                [self._doc_fact(c) for c in conjunctions[clause]]
                if clause < len(conjunctions)
                else []
            )
            reason = self._reason(
                rule_id,
                Bilingual(f"流程「{name.zh}」适用于本公文", f"procedure '{name.en}' applies"),
                facts,
            )
            if reason is not None:
                out.append(reason)
        return out

    def _filled_by(self, actor: ir.Actor, person: str) -> list[Reason]:
        """Why `person` fills a slot written as `actor` (a relation: by which definition)."""
        if actor.kind != "relation":
            return []
        out = []
        rel = self._label("relation", actor.ident)
        for rule_id in sorted(self.derived.posts.get((actor.ident, person), ())):
            reason = self._reason(
                rule_id,
                Bilingual(f"{person} 是本公文的「{rel.zh}」", f"{person} is {rel.en} here"),
                self._person_facts(person, actor.ident, rule_id),
            )
            if reason is not None:
                out.append(reason)
        return out

    def step(self, step_id: str, action: str, actor: str) -> Explanation:
        reasons: list[Reason] = []
        act = self._label("action", action)
        for rule in self.program.rules:
            form = rule.form
            if not isinstance(form, ir.Procedure):
                continue
            specs = [s for s in form.steps if self._is_step(s, action, actor)]
            if not specs or form.ident not in self.derived.applies:
                continue
            reasons += self._applies(form.ident)
            for spec in specs:
                who = self._who("|".join(dict.fromkeys(x.ident for x, _ in spec.options)))
                if not spec.options:
                    who = self._who(spec.actor.ident)
                facts = [self._doc_fact(c) for conj in spec.when[:1] for c in conj]
                says = Bilingual(
                    f"第 {spec.group} 步：{who.zh} {act.zh}",
                    f"step {spec.group}: {who.en} does '{act.en}'",
                )
                reason = self._reason(rule.ident, says, facts)
                if reason is not None:
                    reasons.append(reason)
                reasons += self._filled_by(spec.actor, actor)
        who = step_actor(actor, self.program)
        return Explanation(
            "step",
            step_id,
            Bilingual(f"{who.zh} 须{act.zh}", f"{who.en} must {act.en}"),
            tuple(_unique(reasons)),
        )

    def _is_step(self, spec: ir.StepSpec, action: str, actor: str) -> bool:
        """Whether `spec` is the step `action` by `actor` (an alternative by its joined id)."""
        if spec.options:
            actions = "|".join(dict.fromkeys(a for _, a in spec.options))
            roles = "|".join(dict.fromkeys(x.ident for x, _ in spec.options))
            return (actions, ALTERNATIVE + roles) == (action, actor)
        return spec.action == action and self._fills(spec.actor, actor)

    def _fills(self, slot: ir.Actor, actor: str) -> bool:
        if slot.kind == "list":  # 每个 X: a member the document lists
            values = self.document.document.values if self.document else ()
            return any(c == slot.ident and actor in (v, self.org.units.get(v)) for c, v in values)
        if slot.kind == "relation":
            return (slot.ident, actor) in self.derived.posts
        if slot.kind == "unit":
            return self.org.units.get(slot.ident) == actor or slot.ident == actor
        record = self.org.person(actor)
        return record is not None and slot.ident in record.roles

    # ---- precedence ----------------------------------------------------------------------
    def precedence(self, before: str, after: str, rule_id: str) -> Explanation:
        reason = self._precedence_reason(before, after, rule_id)
        return Explanation(
            "precedence",
            f"{before} > {after}",
            Bilingual(f"{before} 先于 {after}", f"{before} before {after}"),
            (reason,) if reason else (),
        )

    def _precedence_reason(self, before: str, after: str, rule_id: str) -> Reason | None:
        says = Bilingual(f"{before} 须先于 {after}", f"{before} must come before {after}")
        rule = self.rules.get(rule_id)
        if rule is not None and isinstance(rule.form, ir.Procedure):
            first, then = self._group(rule.form, before), self._group(rule.form, after)
            if first and then:
                says = Bilingual(
                    f"第 {first} 步（{before}）之后才是第 {then} 步（{after}）",
                    f"step {first} ({before}) comes before step {then} ({after})",
                )
        return self._reason(rule_id, says)

    def _group(self, proc: ir.Procedure, step: str) -> int | None:
        action, _, actor = step.partition(":")
        for spec in proc.steps:
            if spec.action == action and self._fills(spec.actor, actor):
                return spec.group
        return None

    # ---- findings ------------------------------------------------------------------------
    def finding(self, index: int, finding: Finding, steps: Mapping[str, Any]) -> Explanation:
        facts = self._trace_facts(finding.facts) + self._plan_facts(finding.facts)
        if finding.kind == "late_action":
            facts += self._arrival(finding.facts)
        reason = self._reason(finding.rule, finding.message, facts)
        reasons = [reason] if reason else []
        first, later = finding.facts.get("must_come_first"), finding.facts.get("step")
        if finding.kind == "out_of_order" and isinstance(first, str) and isinstance(later, str):
            ordered = self._precedence_reason(first, later, finding.rule)
            reasons += [ordered] if ordered else []
        step = finding.facts.get("step") or finding.facts.get("must_come_first")
        if finding.kind in ("opinion_missing", "circled_only", "late_action"):
            step = f"{finding.facts.get('action')}:{finding.facts.get('actor')}"
        if isinstance(step, str) and step in steps:
            reasons += self.step(step, steps[step].action, steps[step].actor).reasons
        if finding.kind == "no_power":
            reasons += self._steps_of_action(finding, steps)
            reasons += self._powers_for(str(finding.facts.get("action")))
        reasons += self._relation_reasons(finding)
        return Explanation("finding", str(index), finding.message, tuple(_unique(reasons)))

    def _trace_facts(self, facts: Mapping[str, Any]) -> list[Bilingual]:
        if self.document is None:
            return []
        out = []
        for key in ("entry", "issued", "reviewed_again"):
            n = facts.get(key)
            if isinstance(n, int) and 1 <= n <= len(self.document.trace):
                e = self.document.trace[n - 1]
                act = self._label("action", e.action)
                opinion = f"，意见：{e.opinion}" if e.opinion else ""
                opinion_en = f", opinion: {e.opinion}" if e.opinion else ""
                out.append(
                    Bilingual(
                        f"记录第 {n} 条：{e.at:%Y-%m-%d %H:%M} {e.actor} {act.zh}{opinion}",
                        f"entry {n}: {e.at:%Y-%m-%d %H:%M} {e.actor} did '{act.en}'{opinion_en}",
                    )
                )
        return out

    def _plan_facts(self, facts: Mapping[str, Any]) -> list[Bilingual]:
        """The absences, meetings and matters of the plan a finding is about, quoted."""
        if self.plan is None:
            return []
        out = []
        for key in ("absence", "other_absence", "acting_absence"):
            n = facts.get(key)
            if isinstance(n, int) and 1 <= n <= len(self.plan.absences):
                a = self.plan.absences[n - 1]
                kind = self._label("absence", a.kind)
                told = "、".join(f"{r.to}（{r.on}）" for r in a.reported) or "无"
                told_en = ", ".join(f"{r.to} ({r.on})" for r in a.reported) or "none"
                out.append(
                    Bilingual(
                        f"第 {n} 项缺勤：{a.who} {kind.zh} {a.from_} 至 {a.to}，事先报告：{told}",
                        f"absence {n}: {a.who}, {kind.en}, {a.from_} to {a.to}; "
                        f"reported to: {told_en}",
                    )
                )
        n = facts.get("meeting")
        if isinstance(n, int) and 1 <= n <= len(self.plan.meetings):
            m = self.plan.meetings[n - 1]
            members = "、".join(m.attendees) or "无"
            out.append(
                Bilingual(
                    f"第 {n} 次会议：{m.on}，{m.kind}，召集：{m.called_by or '未写明'}，"
                    f"与会：{members}",
                    f"meeting {n}: {m.on}, {m.kind}, called by {m.called_by or 'not given'}, "
                    f"attended by {', '.join(m.attendees) or 'nobody'}",
                )
            )
        n = facts.get("matter")
        if isinstance(n, int) and 1 <= n <= len(self.plan.matters):
            t = self.plan.matters[n - 1]
            asked = "、".join(r.to for r in t.requested) or "无"
            told = "、".join(r.to for r in t.reported) or "无"
            out.append(
                Bilingual(
                    f"第 {n} 项事项：{t.who}「{t.subject}」（{t.on}），请示：{asked}，报告：{told}",
                    f"matter {n}: {t.who}, '{t.subject}' ({t.on}); asked: "
                    f"{', '.join(r.to for r in t.requested) or 'nobody'}; told: "
                    f"{', '.join(r.to for r in t.reported) or 'nobody'}",
                )
            )
        return out

    def acting(self, absent: str, acting: str, rule_id: str, days: int) -> Explanation:
        """Why `acting` acts for `absent` (grouped over the days it applies)."""
        facts = [Bilingual(f"共 {days} 个工作日", f"{days} working days")]
        record = self.org.person(absent)
        if record is not None and acting in record.backup:
            facts.append(
                Bilingual(
                    f"组织文件把 {acting} 列为 {absent} 的 AB 岗",
                    f"the organisation names {acting} as {absent}'s A/B post partner",
                )
            )
        reason = self._reason(
            rule_id,
            Bilingual(
                f"{absent} 不在岗时由 {acting} 代理", f"{acting} acts while {absent} is away"
            ),
            facts,
        )
        reasons = [reason] if reason else []
        for (relation, person), rules in sorted(self.derived.posts.items()):
            if person == acting:
                rel = self._label("relation", relation)
                for rid in sorted(rules):
                    found = self._reason(
                        rid,
                        Bilingual(f"{acting} 是「{rel.zh}」", f"{acting} is {rel.en}"),
                        self._person_facts(acting, relation, rid),
                    )
                    reasons += [found] if found else []
        reasons += self._pair_reasons(absent, acting)
        return Explanation(
            "acting",
            f"{absent} > {acting}",
            Bilingual(f"{acting} 代理 {absent}", f"{acting} acts for {absent}"),
            tuple(_unique(reasons)),
        )

    def _arrival(self, facts: Mapping[str, Any]) -> list[Bilingual]:
        """When the late step's document reached its actor, and how the due date follows."""
        n, due = facts.get("entry"), facts.get("due")
        if self.document is None or not isinstance(n, int):
            return []
        order = self.document.time_order()
        rank = order.index(n - 1) if 0 <= n - 1 < len(order) else 0
        if rank > 0:
            before = order[rank - 1]  # the entry just before it in time
            came = self.document.trace[before].at
            zh, en = f"记录第 {before + 1} 条", f"entry {before + 1}"
        elif self.document.document.received is not None:
            came = self.document.document.received
            zh, en = "收到公文", "receipt"
        else:
            return []
        return [
            Bilingual(
                f"公文于 {came:%Y-%m-%d}（{zh}）送达，按国家法定工作日（含调休）计算期限为 {due}",
                f"it arrived on {came:%Y-%m-%d} ({en}); counted in official working days "
                f"(make-up days included) it was due by {due}",
            )
        ]

    def _steps_of_action(self, finding: Finding, steps: Mapping[str, Any]) -> list[Reason]:
        """Whose step on this document the unauthorised action is: the rule giving it to
        someone else, which the finding (citing the bound on the actor's own powers) does not."""
        action, actor = finding.facts.get("action"), finding.facts.get("actor")
        act = self._label("action", str(action))
        return self._reasons(
            (
                step.rule,
                Bilingual(
                    f"本公文的{act.zh}是 {who.zh} 的步骤",
                    f"to '{act.en}' this document is the step of {who.en}",
                ),
            )
            for step in sorted(steps.values(), key=lambda s: s.id)
            if step.action == action and step.actor != actor
            for who in (step_actor(step.actor, self.program),)
        )

    def _powers_for(self, action: str) -> list[Reason]:
        """The rules that empower someone to take `action`: what would have allowed it."""
        act = self._label("action", action)
        return self._reasons(
            (
                rule.ident,
                Bilingual(
                    f"有权{act.zh}的是：{who.zh}（不含本条记录的执行者）",
                    f"the power to '{act.en}' belongs to {who.en}, not to this actor",
                ),
            )
            for rule in self.program.rules
            if isinstance(rule.form, ir.Power) and action in rule.form.actions
            for who in (self._who(rule.form.actor.ident),)
        )

    def _reasons(self, said: Iterable[tuple[str, Bilingual]]) -> list[Reason]:
        """Each rule's saying as a reason, where the rule is known."""
        return [r for rule, says in said if (r := self._reason(rule, says)) is not None]

    def _relation_reasons(self, finding: Finding) -> list[Reason]:
        person = finding.facts.get("person")
        other = finding.facts.get("other") or finding.facts.get("acting")
        if not (isinstance(person, str) and isinstance(other, str)):
            recipient = finding.facts.get("recipient")
            if isinstance(person, str) and isinstance(recipient, str):
                other = recipient
            else:
                return []
        return self._pair_reasons(person, other)

    def _pair_reasons(self, person: str, other: str) -> list[Reason]:
        """Why `other` is in a relation to `person` (a superior, an A/B post): the definitions."""
        out = []
        for (relation, subject, target), rules in sorted(self.derived.rels.items()):
            if subject == person and target == other:
                rel = self._label("relation", relation)
                for rule_id in sorted(rules):
                    reason = self._reason(
                        rule_id,
                        Bilingual(
                            f"{other} 是 {person} 的「{rel.zh}」",
                            f"{other} is {rel.en} for {person}",
                        ),
                        self._pair_facts(person, other, rule_id),
                    )
                    if reason is not None:
                        out.append(reason)
        return out


def _unique(reasons: Iterable[Reason]) -> list[Reason]:
    seen: set[tuple[str, str]] = set()
    out = []
    for r in reasons:
        key = (r.rule, r.says.zh)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
