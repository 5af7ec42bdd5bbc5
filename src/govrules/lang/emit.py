"""Resolved program → ASP text, with a comment per rule naming its article and source.

Only identifiers checked by the resolver (ASCII, `[a-z][a-z0-9_]*`) and integers reach
the program text, always inside string literals; user data never does. The comments
are for people (`govrules compile`): the solver's program is built from the rule lines
alone, never by filtering the annotated text, so nothing in a comment (a rule file's
path holding a newline and `#include`) can reach the solver. The comments themselves
show paths in a safe ASCII rendering, so even the annotated text stays one comment a line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import assert_never

from govrules.lang import ir

__all__ = ["Emitted", "emit"]


@dataclass(frozen=True)
class Emitted:
    text: str  # with provenance comments, for people
    program: str  # the same rules without any comment: what the solver reads
    source_map: dict[str, ir.Source]


def ascii_rendering(value: str) -> str:
    """`value` with everything but printable ASCII escaped (`\\n`, `\\u4e2d`)."""
    return "".join(c if " " <= c <= "~" else c.encode("unicode_escape").decode() for c in value)


def _q(ident: str) -> str:
    return '"' + ident + '"'


def _guard(rule: ir.Rule) -> list[str]:
    if rule.guard is None:
        return []
    name, when_enabled = rule.guard
    return [f"interp({_q(name)})" if when_enabled else f"not interp({_q(name)})"]


def _doc(conj: ir.Conjunction) -> list[str]:
    pred = {"document": "doc_kind", "name": "doc_name", "flag": "doc_flag"}
    out: list[str] = []
    for c in conj:
        neg = "not " if c.negated else ""
        if c.kind == "value_is":
            out.append(f"{neg}doc_value_holds({_q(c.ident)},{_q(c.relation)})")
        else:
            out.append(f"{neg}{pred[c.kind]}({_q(c.ident)})")
    return out


def _actor(actor: ir.Actor, var: str) -> str:
    if actor.kind == "list":  # 每个 X: a member of the document's list condition X
        return f"doc_member({_q(actor.ident)},{var})"
    if actor.kind == "role":
        return f"has_role({var},{_q(actor.ident)})"
    if actor.kind == "unit":
        return f"unit({_q(actor.ident)},{var})"
    return f"post({_q(actor.ident)},{var})"


def _person(conds: Iterable[ir.PersonCond], aux: set[str]) -> list[str]:
    body: list[str] = []
    for n, c in enumerate(conds):
        neg = "not " if c.negated else ""
        if c.kind == "role":
            body.append(f"{neg}has_role(P,{_q(c.arg)})")
        elif c.kind == "post":
            body.append(f"{neg}post({_q(c.arg)},P)")
        elif c.kind == "named":
            body.append(f"{neg}doc_value({_q(c.arg)},P)")
        elif c.kind == "did":
            body.append(f"{neg}event(_,P,{_q(c.arg)})")
        elif c.kind == "nobody":
            body.append(("" if c.negated else "not ") + f"post({_q(c.arg)},_)")
        elif c.kind == "covers_lead":
            body.append(f"{neg}covers_lead(P)")
        elif c.kind == "covers_field":
            body.append(f"{neg}covers_field(P)")
        elif c.kind == "shares" and not c.negated:
            body += [f"has_field(P,F{n})", f"has_field(X,F{n})", "X != P"]
        elif c.kind == "shares":
            aux.add("shares_field(X,P) :- has_field(X,F), has_field(P,F), X != P.")
            body.append("not shares_field(X,P)")
        elif c.kind == "designated":
            body.append(f"{neg}reports_to(X,P)")
        elif c.kind == "no_designated":
            body.append(("" if c.negated else "not ") + "has_reports_to(X)")
        elif c.kind == "designated_post":
            aux.add("designated_by(R,P) :- post(R,X), reports_to(X,P).")
            body.append(f"{neg}designated_by({_q(c.arg)},P)")
        elif c.kind == "no_designated_post":
            aux.add("undesignated_holder(R) :- post(R,X), not has_reports_to(X).")
            body.append(f"{neg}undesignated_holder({_q(c.arg)})")
        elif c.kind == "drafts":
            body.append(f"{neg}doc_drafter(P)")
        elif c.kind == "serves":
            aux.add("serves_role(P,R) :- reports_to(P,Q), has_role(Q,R).")
            body.append(f"{neg}serves_role(P,{_q(c.arg)})")
        elif c.kind == "serves_relation":
            aux.add("serves_post(P,R) :- reports_to(P,Q), post(R,Q).")
            body.append(f"{neg}serves_post(P,{_q(c.arg)})")
    return body


def _alternative(proc: str, s: ir.StepSpec) -> list[str]:
    """A step done when any one of its options is (之一 / 或): one step whose id joins the
    options' actions and, after `any:`, their holders; `alt_option` says who may do it how."""
    actions = "|".join(dict.fromkeys(a for _, a in s.options))
    roles = "|".join(dict.fromkeys(x.ident for x, _ in s.options))
    step = f"({_q(actions)},{_q('any:' + roles)})"
    slot = f"step_slot({proc},{s.group},{_q(actions)},{_q(roles)})"
    out = [_clause(slot, [f"applies({proc})", *_doc(conj)]) for conj in s.when or ((),)]
    for actor, action in s.options:
        head = f"alt_option({proc},{s.group},{step},{_q(roles)},{_q(action)},P)"
        out.append(_clause(head, [slot, _actor(actor, "P")]))
        out.append(f"alt_role({step},{_q(actor.ident)}).")
    if s.optional:
        out.append(f"optional_slot({proc},{s.group},{_q(actions)},{_q(roles)}).")
    return out


def _clause(head: str, body: list[str]) -> str:
    return f"{head} :- {', '.join(body)}." if body else f"{head}."


def _holder_roles(program: ir.Program) -> dict[str, set[str]]:
    """The roles a relation's holders have by definition ("is ROLE, and …": ROLE)."""
    roles: dict[str, set[str]] = {}
    for rule in program.rules:
        if isinstance(rule.form, ir.Definition):
            for alt in rule.form.alternatives:
                named = {c.arg for c in alt if c.kind == "role" and not c.negated}
                roles.setdefault(rule.form.relation, set()).update(named)
    return roles


def _rule_lines(
    rule: ir.Rule, aux: set[str], holders: dict[str, set[str]] | None = None
) -> list[str]:
    f, rid, g = rule.form, _q(rule.ident), _guard(rule)
    out = [f"rule({rid},{rule.article},{rule.severity})."]
    if isinstance(f, ir.Definition):
        for alt in f.alternatives:
            if f.personal:
                head = f"rel_by({_q(f.relation)},X,P,{rid})"
                out.append(_clause(head, ["person(X)", "person(P)", *_person(alt, aux), *g]))
            else:
                head = f"post_by({_q(f.relation)},P,{rid})"
                out.append(_clause(head, ["actor(P)", *_person(alt, aux), *g]))
    elif isinstance(f, ir.Procedure):
        proc = _q(f.ident)
        out.append(_clause(f"proc_rule({proc},{rid})", g))
        for n, conj in enumerate(f.applies):
            out.append(_clause(f"applies_by({proc},{rid},{n})", [*_doc(conj), *g]))
        seen: set[tuple[int, str, str]] = set()
        for s in f.steps:
            if s.options:
                out += _alternative(proc, s)
                continue
            slot = f"step_slot({proc},{s.group},{_q(s.action)},{_q(s.actor.ident)})"
            for conj in s.when or ((),):
                out.append(_clause(slot, [f"applies({proc})", *_doc(conj)]))
            key = (s.group, s.action, s.actor.ident)
            if key not in seen:
                seen.add(key)
                head = f"step_in({proc},{s.group},{_q(s.action)},{_q(s.actor.ident)},P)"
                out.append(_clause(head, [slot, _actor(s.actor, "P")]))
                if s.actor.kind == "list":
                    out.append(f"step_list({_q(s.actor.ident)}).")
                if s.optional:
                    out.append(
                        f"optional_slot({proc},{s.group},{_q(s.action)},{_q(s.actor.ident)})."
                    )
    elif isinstance(f, ir.ProcedureExtend):
        for n, conj in enumerate(f.applies):
            out.append(_clause(f"applies_by({_q(f.procedure)},{rid},{n})", [*_doc(conj), *g]))
    elif isinstance(f, ir.ProcedureOrder):
        proc = _q(f.procedure)
        (a1, x1), (a2, x2) = f.first, f.then
        out.append(
            _clause(
                f"prec(({_q(x1)},P1),({_q(x2)},P2),{rid})",
                [
                    f"active({proc})",
                    f"step_role(({_q(x1)},P1),{_q(a1.ident)})",
                    f"step_role(({_q(x2)},P2),{_q(a2.ident)})",
                    # One person may fill both posts: a step never precedes itself.
                    *(["P1 != P2"] if x1 == x2 else []),
                    *g,
                ],
            )
        )
    elif isinstance(f, ir.ProhibitTogether):
        out.append(
            _clause(
                f"together({rid},X,Y)",
                [f"has_role(X,{_q(f.role)})", f"rel({_q(f.relation)},X,Y)", *g],
            )
        )
        out += [f"together_kind({rid},{_q(k)})." for k in f.kinds]
    elif isinstance(f, ir.ProhibitAction):
        out.append(_clause(f"forbidden({rid},{_q(f.action)},P)", [_actor(f.actor, "P"), *g]))
    elif isinstance(f, ir.ReportDuty):
        out += [f"report_kind({rid},{_q(k)})." for k in f.kinds]
        for actor, theirs in f.recipients:
            recipient = f"rel({_q(actor.ident)},X,Q)" if theirs else _actor(actor, "Q")
            # 超过 N 个工作日 的: only absences of more than N working days (by the calendar).
            longer = (
                ["workdays_upto(T,W1)", "workdays_upto(F-1,W0)", f"W1-W0 > {f.longer_than}"]
                if f.longer_than is not None
                else []
            )
            body = [
                "absence(A,X,K,F,T)" if longer else "absence(A,X,K,_,_)",
                *longer,
                f"report_kind({rid},K)",
                f"has_role(X,{_q(f.subject.ident)})",
                recipient,
                *g,
            ]
            out.append(_clause(f"owes({rid},A,Q)", body))
    elif isinstance(f, ir.DeadlineDuty):
        out.append(
            _clause(
                f"due_within({rid},{_q(f.action)},P,{f.working_days})", [_actor(f.actor, "P"), *g]
            )
        )
    elif isinstance(f, ir.ActingDuty):
        acting = f"rel({_q(f.acting.ident)},X,Y)" if f.theirs else _actor(f.acting, "Y")
        body = [f"has_role(X,{_q(f.subject.ident)})", acting, "X != Y", *g]
        out.append(_clause(f"acts_for({rid},X,Y)", body))
        out.append(f"acting_post({rid},{_q(f.subject.ident)}).")
    elif isinstance(f, ir.MeetingMembers):
        mk = _q(f.meeting)
        out += [_clause(f"meeting_member_role({rid},{mk},{_q(r)})", g) for r in f.roles]
    elif isinstance(f, ir.MeetingFrequency):
        head = f"meeting_frequency({rid},{_q(f.meeting)},{_q(f.per)},{f.times})"
        out.append(_clause(head, g))
    elif isinstance(f, ir.PlanReading):
        if f.model == "matter_any_one":
            out.append(_clause(f"matter_any_one({rid},{_q(f.subject)})", g))
        elif f.model in ("acting_powers", "unit_members"):
            out.append(_clause(f"{f.model}({rid})", g))
        else:
            out.append(_clause(f"day_model({rid},{_q(f.model)})", g))
    elif isinstance(f, ir.MeetingCaller):
        out.append(_clause(f"meeting_caller_rule({rid},{_q(f.meeting)})", g))
        out.append(_clause(f"may_call({rid},P)", [_actor(f.caller, "P"), *g]))
    elif isinstance(f, ir.MatterDuty):
        act = _q(f.act)
        if all(theirs for _, theirs in f.recipients):
            out.append(_clause(f"matter_by_relation({rid})", g))
        for subject, kind, (actor, theirs) in (
            (s, k, r) for s in f.subjects for k in f.kinds for r in f.recipients
        ):
            recipient = f"rel({_q(actor.ident)},X,Q)" if theirs else _actor(actor, "Q")
            body = [
                "matter(M,X,_)",
                f"matter_of(M,{_q(kind)})",
                f"has_role(X,{_q(subject)})",
                recipient,
                "X != Q",
                *(["matter_director_needed(M)"] if f.when_necessary else []),
                *g,
            ]
            out.append(_clause(f"matter_owes({rid},M,Q,{act})", body))
    elif isinstance(f, ir.MatterDetails):
        for subject, kind, detail in (
            (s, k, d) for s in f.subjects for k in f.kinds for d in f.details
        ):
            body = ["matter(M,X,_)", f"matter_of(M,{_q(kind)})", f"has_role(X,{_q(subject)})", *g]
            out.append(_clause(f"matter_detail_owed({rid},M,{_q(detail)})", body))
    elif isinstance(f, ir.Power):
        out += [f"power_action({rid},{_q(a)})." for a in f.actions]
        actor = f.actor
        held = {actor.ident} if actor.kind == "role" else (holders or {}).get(actor.ident, set())
        out += [f"power_role({rid},{_q(role)})." for role in sorted(held)]
        if actor.kind == "role":  # held by the role itself, not by a relation to a document
            out.append(f"power_of_role({rid}).")
            if f.applies:  # over documents of a kind: it bounds what the role does with them
                out.append(f"power_over_kind({rid}).")
        for action in f.actions:
            for conj in f.applies or ((),):
                head = f"power({rid},{_q(action)},P)"
                out.append(_clause(head, [_actor(f.actor, "P"), *_doc(conj), *g]))
    elif isinstance(f, ir.OpinionDuty):
        out += [_clause(f"opinion_required({rid},{_q(a)})", g) for a in f.actions]
        if f.actor is not None:
            out.append(f"opinion_restricted({rid}).")
            out.append(_clause(f"opinion_holder({rid},P)", [_actor(f.actor, "P"), *g]))
    elif isinstance(f, ir.ExplainDuty):
        out.append(_clause(f"explain_duty({rid},P)", [_actor(f.actor, "P"), *g]))
    elif isinstance(f, ir.RevisionDuty):
        head = f"revision({rid},{_q(f.returned)},{_q(f.fix)},{_q(f.review)},Q)"
        out.append(_clause(head, [_actor(f.fixer, "Q"), *g]))
    elif isinstance(f, ir.ActionOrder):
        out.append(_clause(f"action_before({rid},{_q(f.first)},{_q(f.then)})", g))
    elif isinstance(f, ir.CountsAs):
        out += [_clause(f"counts_as({rid},{_q(f.mark)},{_q(a)})", g) for a in f.actions]
    elif isinstance(f, ir.SameActorDuty):
        out.append(_clause(f"same_actor({rid},{_q(f.trigger)},{_q(f.first)},{_q(f.then)})", g))
    elif isinstance(f, ir.DocDeadline):
        head = f"due_by_limit({rid},{_q(f.action)},P,{_q(f.limit)})"
        out.append(_clause(head, [_actor(f.actor, "P"), *g]))
    elif isinstance(f, ir.HoursDeadline):
        head = f"due_hours({rid},{_q(f.action)},P,{f.hours})"
        out.append(_clause(head, [_actor(f.actor, "P"), *g]))
    elif isinstance(f, ir.DocRequires):
        out.append(_clause(f"doc_requires({rid},{_q(f.field)})", [*_doc((f.condition,)), *g]))
    else:
        assert_never(f)  # a new form must be emitted (mypy names the one missing)
    return out


def emit(program: ir.Program) -> Emitted:
    lines = ["% govrules: compiled policy rules (generated; do not edit)", ""]
    traits = [
        f"trait({_q(item.kind)},{_q(item.ident)},{_q(trait)})."
        for item in program.vocabulary
        for trait in item.traits
    ]
    code: list[str] = list(traits)
    if traits:
        lines += ["% what the vocabulary's words mean to the kernel (特性)", *traits, ""]
    aux: set[str] = set()
    holders = _holder_roles(program)
    source_map: dict[str, ir.Source] = {}
    for rule in program.rules:
        src = rule.source
        source_map[rule.ident] = src
        guard = ""
        if rule.guard:
            guard = f"  [{'with' if rule.guard[1] else 'unless'} interpretation {rule.guard[0]}]"
        where = f"{ascii_rendering(src.file)}:{src.line}"
        lines.append(f"% {rule.ident}  article {rule.article}  {where}{guard}")
        rule_lines = _rule_lines(rule, aux, holders)
        lines += rule_lines
        code += rule_lines
        lines.append("")
    if aux:
        lines.append("% helpers")
        lines += sorted(aux)
        code += sorted(aux)
    text = "\n".join(lines).rstrip() + "\n"
    return Emitted(text, "\n".join(code) + "\n", source_map)
