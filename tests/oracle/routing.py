"""Routing and trace checking, written from the restored articles and the README.

Each procedure below is one article's text as a table of groups: the groups follow each
other in the order written, the posts inside a group in any order. The posts are the
README's definitions (contract §3, articles 13, 14, 26, 30, 31). Findings use the README's
kinds and facts. Nothing here calls the rule compiler or the solver; the point is to be
wrong in different ways from them, so that a disagreement shows a defect in one of the two.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

import chinese_calendar

from govrules.inputs import DocumentFile, Organisation

IN_FORCE_FROM = date(2021, 1, 1)  # article 45

# Contract §3 roles that vote as vice-mayors in the field relations (article 13 and 14).
VICE_MAYORS = ("vice_mayor", "executive_vice_mayor")

# Marks that record reading, not an opinion (article 26: 不得简单圈阅处理; README).
READ_MARKS = frozenset(
    {"阅", "已阅", "圈阅", "已圈阅", "知悉", "已知悉", "○", "〇", "√", "✓", "o", "read"}
)
MARK_PUNCTUATION = " \t\r\n。.，,！!、；;：:"

# (role or post, condition) per slot; a condition is a predicate name on the document.
Slot = tuple[str, str, str | None]  # (action, post, condition)


@dataclass(frozen=True)
class Procedure:
    name: str
    rule: str
    article: int
    groups: tuple[tuple[Slot, ...], ...]
    optional: frozenset[tuple[str, str]] = frozenset()  # (action, post) written 如有


PROCEDURES: tuple[Procedure, ...] = (
    # Article 15: an incoming document needing neither instruction nor study.
    Procedure("incoming_proposal", "a15.1", 15, ((("propose", "deputy_in_charge", None),),)),
    # Article 26: assisting deputies opine, assisting vice-mayors review, if there are any.
    Procedure(
        "cross_field_document",
        "a26.4",
        26,
        ((("opine", "assisting_deputy", None),), (("review", "assisting_vice_mayor", None),)),
        frozenset({("opine", "assisting_deputy"), ("review", "assisting_vice_mayor")}),
    ),
    # Article 16: a speech is reviewed by the deputy in charge (16 and 32 both report it).
    Procedure("speech_review", "a16.1", 16, ((("review", "deputy_in_charge", None),),)),
    # Article 27 ¶1: 依次送 … 审核后报呈相关领导批示 (director before leader: director_first).
    Procedure(
        "incoming_instruction",
        "a27.1",
        27,
        (
            (("propose", "secretariat", None),),
            (("review", "deputy_in_charge", None),),
            (("review", "office_director", None), ("instruct", "relevant_leader", None)),
        ),
    ),
    # Article 27 ¶2: 报呈副区长、主任 (no order between them unless submit_in_order).
    Procedure(
        "incoming_collective_study",
        "a27.2",
        27,
        (
            (("propose", "secretariat", None),),
            (("review", "deputy_in_charge", None),),
            (("review", "vice_mayor_in_charge", None), ("review", "office_director", None)),
        ),
    ),
    # Article 28: every secret document is reviewed by the deputy in charge.
    Procedure("secret_review", "a28.4", 28, ((("review", "deputy_in_charge", None),),)),
    # Article 29 ¶1.
    Procedure(
        "government_document",
        "a29.1",
        29,
        (
            (("propose", "secretariat", None),),
            (("review", "deputy_in_charge", None),),
            (("sign", "vice_mayor_in_charge", None), ("sign", "office_director", None)),
            (
                ("issue", "mayor", "name_government"),
                ("issue", "government_party_secretary", "name_party_group"),
            ),
        ),
    ),
    # Article 29 ¶2.
    Procedure(
        "office_document",
        "a29.3",
        29,
        (
            (("propose", "secretariat", None),),
            (("review", "deputy_in_charge", None),),
            (
                ("sign", "office_director", "no_leader_signature"),
                ("review", "office_director", "leader_signature"),
                ("sign", "relevant_district_leader", "leader_signature"),
            ),
        ),
    ),
    # Article 30.
    Procedure(
        "important_drafting",
        "a30.2",
        30,
        (
            (("review", "deputy_in_charge", None),),
            (("draft", "drafter", None),),
            (("consult", "drafter", None),),
            (("submit", "drafter", None),),
        ),
    ),
    # Article 31: only minutes of a meeting the vice-mayor in charge chaired (chaired_by);
    # 再按程序报批印发 fixes no step here.
    Procedure(
        "minutes_issuing",
        "a31.2",
        31,
        (
            (("draft", "liaison_in_charge", None),),
            (("review", "deputy_in_charge", None),),
            (("review", "office_director", None),),
        ),
    ),
    # Article 32 (speech_director_review on): the director reviews; before the vice-mayor's
    # approval when director_first.
    Procedure(
        "speech_approval",
        "a32.1",
        32,
        (
            (("draft", "drafter", None),),
            (("revise", "liaison_in_charge", None),),
            (("review", "deputy_in_charge", None),),
            (("review", "office_director", None), ("approve", "vice_mayor_in_charge", None)),
            (
                ("approve", "mayor", "escalate_to_mayor"),
                ("approve", "executive_vice_mayor", "escalate_to_executive_vice_mayor"),
            ),
        ),
    ),
    # Article 32 (speech_director_review off): the director only forwards it.
    Procedure(
        "speech_approval_direct",
        "a32.3",
        32,
        (
            (("draft", "drafter", None),),
            (("revise", "liaison_in_charge", None),),
            (("review", "deputy_in_charge", None),),
            (("approve", "vice_mayor_in_charge", None),),
            (
                ("approve", "mayor", "escalate_to_mayor"),
                ("approve", "executive_vice_mayor", "escalate_to_executive_vice_mayor"),
            ),
        ),
    ),
    # Article 33: no order between the vice-mayor's review and the coordination meeting.
    Procedure(
        "agenda_review",
        "a33.1",
        33,
        (
            (("review", "deputy_in_charge", None),),
            (
                ("review", "office_director", None),
                ("review", "vice_mayor_in_charge", None),
                ("coordinate", "vice_mayor_in_charge", "major_disagreement"),
            ),
        ),
    ),
)

RULE_ARTICLE = {p.rule: p.article for p in PROCEDURES} | {
    "a4.1": 4,
    "a4.2": 4,
    "a14.3": 14,
    "a14.4": 14,
    "a15.2": 15,
    "a15.3": 15,
    "a15.4": 15,
    "a26.14": 26,
    "a27.4": 27,
    "a29.9": 29,
    "a31.3": 31,
    "a31.4": 31,
    "a31.5": 31,
    "a31.6": 31,
    "a32.2": 32,
    "a33.2": 33,
    "a28.1": 28,
    "a26.8": 26,
    "a26.9": 26,
    "a26.10": 26,
    "a26.11": 26,
    "a26.12": 26,
    "a26.13": 26,
    "a27.3": 27,
    "a29.2": 29,
    "a26.1": 26,
    "a28.2": 28,
    "a28.3": 28,
    "a30.3": 30,
    "a13.4": 13,
    "a14.5": 14,
    "a14.6": 14,
    "a17.1": 17,
    "a17.2": 17,
    "a3.1": 3,
    "a26.16": 26,
    "a27.10": 27,
    "a28.5": 28,
    "a28.6": 28,
    "a28.7": 28,
    "a28.9": 28,
    "a31.8": 31,
    "a32.4": 32,
}

# Extra precedences between posts inside procedures, with the interpretation they need:
# (rule, procedure that must apply, (action, post) before, (action, post) after, setting).
EXTRA_PRECEDENCE: tuple[tuple[str, str, tuple[str, str], tuple[str, str], str | None], ...] = (
    # Article 26: 主办的副主任 … 签呈相关副区长审核.
    (
        "a26.8",
        "cross_field_document",
        ("review", "deputy_in_charge"),
        ("review", "assisting_vice_mayor"),
        None,
    ),
    # Article 26: the assisting deputy opines on the secretariat's proposal.
    (
        "a26.9",
        "cross_field_document",
        ("propose", "secretariat"),
        ("opine", "assisting_deputy"),
        None,
    ),
    (
        "a26.10",
        "cross_field_document",
        ("review", "assisting_vice_mayor"),
        ("sign", "office_director"),
        "concerned_review_first",
    ),
    (
        "a26.11",
        "cross_field_document",
        ("review", "assisting_vice_mayor"),
        ("issue", "mayor"),
        "concerned_review_first",
    ),
    (
        "a26.12",
        "cross_field_document",
        ("review", "assisting_vice_mayor"),
        ("issue", "government_party_secretary"),
        "concerned_review_first",
    ),
    (
        "a26.13",
        "cross_field_document",
        ("review", "assisting_vice_mayor"),
        ("instruct", "relevant_leader"),
        "concerned_review_first",
    ),
    # The director before the leader wherever the text puts him first (director_first).
    (
        "a27.4",
        "incoming_instruction",
        ("review", "office_director"),
        ("instruct", "relevant_leader"),
        "director_first",
    ),
    (
        "a29.9",
        "office_document",
        ("review", "office_director"),
        ("sign", "relevant_district_leader"),
        "director_first",
    ),
    (
        "a32.2",
        "speech_approval",
        ("review", "office_director"),
        ("approve", "vice_mayor_in_charge"),
        "director_first",
    ),
    (
        "a33.2",
        "agenda_review",
        ("review", "office_director"),
        ("review", "vice_mayor_in_charge"),
        "director_first",
    ),
    (
        "a27.3",
        "incoming_collective_study",
        ("review", "vice_mayor_in_charge"),
        ("review", "office_director"),
        "submit_in_order",
    ),
    (
        "a29.2",
        "government_document",
        ("sign", "vice_mayor_in_charge"),
        ("sign", "office_director"),
        "vice_mayor_first",
    ),
)

DEFAULT_INTERPRETATIONS = {
    "vice_mayor_first": False,
    "office_party_group_as_office": True,
    "submit_in_order": False,
    "concerned_review_first": True,
    "any_absence_together": False,
    "relevant_leader_by_trace": True,
    "director_first": True,
    "secretariat_drafts_routine": True,
    "speech_director_review": True,
    "review_within_field": False,
    "concerned_vice_mayors": True,
    "any_deputy_of_field": True,
}

# Article 26 (and 4, 14, 15): acts that state their actor's opinion (特性 意见); one stands
# for another of the same person when the text names the act differently.
OPINION_ACTS = frozenset({"propose", "review", "sign", "opine"})
# The office's and the government's posts: whoever holds none of them and drafts minutes
# (31) or revises an incoming document (28) is a department or the sending unit.
OFFICIAL_ROLES = (
    "mayor",
    "executive_vice_mayor",
    "vice_mayor",
    "office_director",
    "deputy_director",
    "leader_liaison",
)


def step_id(action: str, actor: str) -> str:
    return f"{action}:{actor}"


def is_explicit(opinion: str | None) -> bool:
    """README: an empty opinion or a bare read mark is not an explicit opinion."""
    if opinion is None:
        return False
    core = opinion.strip(MARK_PUNCTUATION)
    return bool(core) and core.lower() not in READ_MARKS


@dataclass(frozen=True)
class OFinding:
    severity: str
    article: int
    rule: str
    kind: str
    facts: Mapping[str, Any]

    def key(self) -> str:
        return json.dumps(
            [self.article, self.rule, self.kind, self.severity, dict(self.facts)],
            ensure_ascii=False,
            sort_keys=True,
        )


@dataclass
class OStep:
    action: str
    actor: str
    required: set[tuple[int, str, str]] = field(default_factory=set)  # (article, rule, post)

    @property
    def id(self) -> str:
        return step_id(self.action, self.actor)


@dataclass
class Route:
    steps: dict[str, OStep]
    precedence: set[tuple[str, str, str]]  # (before, after, rule)
    findings: list[OFinding]
    active: list[Procedure]
    roles: dict[str, set[str]]  # step id -> the posts it fills

    @property
    def pairs(self) -> set[tuple[str, str]]:
        return {(a, b) for a, b, _ in self.precedence}


class Office:
    """The organisation's relations, as contract §3 and articles 13, 14, 26 define them."""

    def __init__(
        self,
        org: Organisation,
        doc: DocumentFile | None = None,
        settings: Mapping[str, bool] | None = None,
    ) -> None:
        self.org = org
        self.people = {p.name: p for p in org.people}
        self.units = dict(org.units)
        self.doc = doc.document if doc is not None else None
        self.trace = doc.trace if doc is not None else ()
        self.settings = {**DEFAULT_INTERPRETATIONS, **(settings or {})}

    def value(self, key: str) -> str | None:
        """A condition valued by a person (leader, chaired_by), as the input gives it."""
        assert self.doc is not None
        return dict(self.doc.values).get(key)

    def relevant(self, action: str) -> list[str]:
        """相关领导 (27, 28, 29 ¶2): of the mayor, the executive vice-mayor and the vice-mayor
        in charge, whoever did `action` (relevant_leader_by_trace); else the leader the
        document names; else the vice-mayor in charge."""
        if self.settings["relevant_leader_by_trace"]:
            pool = {
                *self.with_role("mayor"),
                *self.with_role("executive_vice_mayor"),
                *self.post("vice_mayor_in_charge"),
            }
            acted = sorted({self.actor_name(e.actor) for e in self.trace if e.action == action})
            found = [p for p in acted if p in pool]
            if found:
                return found
        named = self.value("leader")
        if named is not None:
            return [named]
        return self.post("vice_mayor_in_charge")

    def actor_name(self, name: str) -> str:
        """A trace or drafter names a unit by its id or its display name: one actor."""
        return self.units.get(name, name)

    def with_role(self, role: str) -> list[str]:
        return [p.name for p in self.org.people if role in p.roles]

    def _fields(self) -> tuple[str | None, set[str]]:
        assert self.doc is not None
        fields = list(self.doc.fields)
        return (fields[0] if fields else None), set(fields)

    def post(self, name: str) -> list[str]:
        """Who fills a post for the document."""
        lead, all_fields = self._fields()
        people = self.org.people
        if name == "secretariat":
            return [self.units["secretariat"]] if "secretariat" in self.units else []
        if name == "deputy_in_charge":
            # Article 14 (any_deputy_of_field): of the deputies of the lead field, the ones who
            # handled the document (an opinion act), or all of them when none did.
            of_field = [p.name for p in people if "deputy_director" in p.roles and lead in p.fields]
            if self.settings["any_deputy_of_field"]:
                acts = {(self.actor_name(e.actor), e.action) for e in self.trace}
                handled = [d for d in of_field if any((d, a) in acts for a in OPINION_ACTS)]
                if handled:
                    return handled
            return of_field
        if name == "lead_field_vice_mayor":
            return [
                p.name
                for p in people
                if any(r in p.roles for r in VICE_MAYORS) and lead in p.fields
            ]
        if name == "vice_mayor_in_charge":
            # Article 13: the deputy in charge's vice-mayor: whom he is designated to report to
            # (those covering the lead field, else all of them); the lead field's vice-mayors
            # when a deputy in charge has no designation.
            deputies = [self.people[d] for d in self.post("deputy_in_charge")]
            chosen: set[str] = set()
            if any(not d.reports_to for d in deputies):
                chosen.update(self.post("lead_field_vice_mayor"))
            designated = {
                q
                for d in deputies
                for q in (d.reports_to or ())
                if q in self.people and set(self.people[q].roles) & set(VICE_MAYORS)
            }
            of_lead = {q for q in designated if lead in self.people[q].fields}
            chosen.update(of_lead or designated)
            return [p.name for p in people if p.name in chosen]
        if name in ("co_drafting_department", "submitting_unit"):
            action = "draft" if name == "co_drafting_department" else "revise"
            actors = {self.actor_name(e.actor) for e in self.trace if e.action == action}
            return sorted(
                a
                for a in actors
                if (a in self.people and not set(self.people[a].roles) & set(OFFICIAL_ROLES))
                or a in self.units.values()
            )
        if name == "assisting_vice_mayor" and not self.settings["concerned_vice_mayors"]:
            return []
        if name in ("assisting_deputy", "assisting_vice_mayor"):
            roles = ("deputy_director",) if name == "assisting_deputy" else VICE_MAYORS
            return [
                p.name
                for p in people
                if any(r in p.roles for r in roles)
                and all_fields & set(p.fields)
                and lead not in p.fields
            ]
        if name == "relevant_leader":
            return self.relevant("instruct")
        if name == "relevant_district_leader":
            return self.relevant("sign")
        if name == "drafter":
            assert self.doc is not None
            return [self.actor_name(self.doc.drafter)] if self.doc.drafter else []
        if name == "liaison_in_charge":
            in_charge = set(self.post("vice_mayor_in_charge"))
            return [
                p.name
                for p in people
                if "leader_liaison" in p.roles and in_charge & set(p.reports_to or ())
            ]
        return self.with_role(name)


def _flags(doc: DocumentFile) -> set[str]:
    """The conditions as the input file writes them (keys of the document)."""
    d = doc.document
    given = {**(d.model_extra or {}), **{f: True for f in d.flags}}
    flags = {
        f
        for f in ("needs_instruction", "collective_study", "leader_signature", "secret")
        if given.get(f) is True
    }
    if given.get("major_disagreement") is True:
        flags.add("major_disagreement")
    if given.get("escalate_to"):
        flags.add(f"escalate_to_{given['escalate_to']}")
    if len(set(d.fields)) > 1:
        flags.add("cross_field")
    return flags


def applies(
    proc: str, doc: DocumentFile, settings: Mapping[str, bool], office: Office | None = None
) -> bool:
    d, flags = doc.document, _flags(doc)
    if d.received is not None and d.received.date() < IN_FORCE_FROM:
        return False  # article 45
    kind, name = d.kind, d.in_name_of
    match proc:
        case "incoming_proposal":
            return kind == "incoming" and not flags & {"needs_instruction", "collective_study"}
        case "cross_field_document":
            return "cross_field" in flags and (
                kind in ("outgoing", "agenda_item", "incoming")
                or bool(flags & {"needs_instruction", "collective_study"})
            )
        case "incoming_instruction":
            return kind == "incoming" and "needs_instruction" in flags
        case "incoming_collective_study":
            return kind == "incoming" and "collective_study" in flags
        case "secret_review":
            return "secret" in flags
        case "government_document":
            return kind == "outgoing" and name in ("district_government", "government_party_group")
        case "office_document":
            return kind == "outgoing" and (
                name == "office"
                or (name == "office_party_group" and settings["office_party_group_as_office"])
            )
        case "important_drafting":
            return kind == "important_draft"
        case "minutes_issuing":
            chair = dict(d.values).get("chaired_by")
            in_charge = office.post("vice_mayor_in_charge") if office is not None else []
            return kind == "minutes" and chair is not None and chair in in_charge
        case "speech_review":
            return kind == "speech"
        case "speech_approval":
            return kind == "speech" and settings["speech_director_review"]
        case "speech_approval_direct":
            return kind == "speech" and not settings["speech_director_review"]
        case "agenda_review":
            return kind == "agenda_item"
    raise AssertionError(proc)


def _condition(cond: str | None, doc: DocumentFile) -> bool:
    flags = _flags(doc)
    match cond:
        case None:
            return True
        case "name_government":
            return doc.document.in_name_of == "district_government"
        case "name_party_group":
            return doc.document.in_name_of == "government_party_group"
        case "no_leader_signature":
            return "leader_signature" not in flags
        case _:
            return cond in flags


def route(
    org: Organisation, doc: DocumentFile, settings: Mapping[str, bool] | None = None
) -> Route:
    """The steps, precedence and route-time findings of a document."""
    settings = {**DEFAULT_INTERPRETATIONS, **(settings or {})}
    office = Office(org, doc, settings)
    steps: dict[str, OStep] = {}
    roles: dict[str, set[str]] = {}
    precedence: set[tuple[str, str, str]] = set()
    findings: list[OFinding] = []
    active = [p for p in PROCEDURES if applies(p.name, doc, settings, office)]
    for proc in active:
        filled_groups: list[list[str]] = []
        for group in proc.groups:
            ids: list[str] = []
            for action, post, cond in group:
                if not _condition(cond, doc):
                    continue
                actors = office.post(post)
                if not actors and (action, post) not in proc.optional:
                    findings.append(
                        OFinding(
                            "violation",
                            proc.article,
                            proc.rule,
                            "unfilled_step",
                            {"procedure": proc.name, "action": action, "role": post},
                        )
                    )
                for actor in actors:
                    step = steps.setdefault(step_id(action, actor), OStep(action, actor))
                    step.required.add((proc.article, proc.rule, post))
                    roles.setdefault(step.id, set()).add(post)
                    ids.append(step.id)
            if ids:
                filled_groups.append(ids)
        for earlier, later in itertools.pairwise(filled_groups):
            precedence.update((a, b, proc.rule) for a in earlier for b in later if a != b)
    names = {p.name for p in active}
    for rule, proc_name, first, then, setting in EXTRA_PRECEDENCE:
        if proc_name not in names or (setting is not None and not settings[setting]):
            continue
        befores = [
            s for s in steps.values() if (s.action, first[1]) == first and first[1] in roles[s.id]
        ]
        afters = [s for s in steps.values() if s.action == then[0] and then[1] in roles[s.id]]
        precedence.update((a.id, b.id, rule) for a in befores for b in afters if a.id != b.id)
    route = Route(steps, precedence, findings, active, roles)
    # A cycle cites the first rule (by id) of the precedences on it.
    for s in _cycle_members(set(steps), route.pairs):
        rule = min(r for a, b, r in precedence if a == s and _reaches(b, s, route.pairs))
        findings.append(
            OFinding("violation", RULE_ARTICLE[rule], rule, "precedence_cycle", {"step": s})
        )
    return route


def _reaches(start: str, goal: str, pairs: set[tuple[str, str]]) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(b for a, b in pairs if a == node)
    return False


def _cycle_members(ids: set[str], pairs: set[tuple[str, str]]) -> set[str]:
    after: dict[str, set[str]] = {i: set() for i in ids}
    for a, b in pairs:
        after[a].add(b)
    members = set()
    for start in ids:
        seen, todo = set(), list(after[start])
        while todo:
            node = todo.pop()
            if node == start:
                members.add(start)
                break
            if node not in seen:
                seen.add(node)
                todo.extend(after[node])
    return members


def linear_extensions(ids: Iterable[str], pairs: set[tuple[str, str]], cap: int) -> list[list[str]]:
    """Up to `cap` orders of all steps respecting every pair, found by plain backtracking."""
    ids = sorted(ids)
    preds = {i: {a for a, b in pairs if b == i} for i in ids}
    out: list[list[str]] = []

    def go(prefix: list[str], done: set[str]) -> None:
        if len(out) >= cap:
            return
        if len(prefix) == len(ids):
            out.append(list(prefix))
            return
        for i in ids:
            if i not in done and preds[i] <= done:
                prefix.append(i)
                done.add(i)
                go(prefix, done)
                prefix.pop()
                done.remove(i)

    go([], set())
    return out


def count_linear_extensions(ids: Iterable[str], pairs: set[tuple[str, str]]) -> int:
    """The number of orders, by memoised recursion on the set of steps done."""
    ids = tuple(sorted(ids))
    preds = {i: frozenset(a for a, b in pairs if b == i) for i in ids}

    @cache
    def ways(done: frozenset[str]) -> int:
        if len(done) == len(ids):
            return 1
        return sum(ways(done | {i}) for i in ids if i not in done and preds[i] <= done)

    return ways(frozenset())


def depths(ids: Iterable[str], pairs: set[tuple[str, str]]) -> dict[str, int]:
    """Longest chain of predecessors of each step (the reading order of a route)."""
    ids = list(ids)
    preds = {i: [a for a, b in pairs if b == i] for i in ids}

    @cache
    def depth(i: str) -> int:
        return max((depth(p) + 1 for p in preds[i]), default=0)

    return {i: depth(i) for i in ids}


# ---- checking a trace -------------------------------------------------------------------


# The power rules (有权): rule, article, actions, the role their holders have, and whether
# the power is over documents like this one (a power over other documents is cited only
# when its holders share the actor's role).
POWERS: tuple[tuple[str, int, frozenset[str], str], ...] = (
    ("a4.1", 4, frozenset({"review"}), "office_director"),
    ("a4.2", 4, frozenset({"review", "sign"}), "office_director"),
    ("a13.4", 13, frozenset({"review"}), "vice_mayor|executive_vice_mayor"),
    ("a14.3", 14, frozenset({"review"}), "deputy_director"),
    ("a14.4", 14, frozenset({"review"}), "deputy_director"),
    ("a14.5", 14, frozenset({"sign"}), "deputy_director"),
    ("a14.6", 14, frozenset({"review"}), "deputy_director"),
    ("a15.2", 15, frozenset({"propose"}), "deputy_director"),
    ("a15.3", 15, frozenset({"propose"}), ""),  # the secretariat (a unit: no role)
    ("a15.4", 15, frozenset({"review"}), "deputy_director"),
    ("a3.1", 3, frozenset({"coordinate"}), "office_director"),
    ("a17.1", 17, frozenset({"coordinate"}), "deputy_director"),
    ("a17.2", 17, frozenset({"coordinate"}), "deputy_director"),
    ("a26.16", 26, frozenset({"review"}), "vice_mayor|executive_vice_mayor"),
    ("a27.10", 27, frozenset({"instruct"}), "mayor"),
    ("a28.1", 28, frozenset({"return"}), "deputy_director"),
    ("a28.7", 28, frozenset({"revise", "submit"}), ""),  # the secretariat
    ("a28.9", 28, frozenset({"revise"}), ""),  # the sending unit
    ("a31.3", 31, frozenset({"draft"}), ""),  # the drafter
    ("a31.8", 31, frozenset({"draft"}), ""),  # a department drafting with the liaison
    ("a31.4", 31, frozenset({"approve", "issue"}), "mayor"),
    ("a31.5", 31, frozenset({"approve", "issue"}), "executive_vice_mayor"),
    # the vice-mayor in charge: its holders are vice-mayors or the executive vice-mayor
    ("a31.6", 31, frozenset({"approve", "issue"}), "vice_mayor|executive_vice_mayor"),
    ("a32.4", 32, frozenset({"revise"}), "deputy_director"),
)
# Powers a role holds as such (主任 有权 …), cited whatever the document; a power held
# through a relation to the document is cited only where it has a holder.
ROLE_POWERS = frozenset({"a3.1", "a4.1", "a4.2", "a14.6", "a27.10", "a28.1", "a31.4", "a31.5"})
# Of those, the ones over documents of a kind: they bound what the role does with such a
# document, so an act beyond them cites them first (the director's 审核 of a government-name
# document, article 4, when he issues it).
BOUNDING_POWERS = frozenset({"a4.1", "a4.2", "a14.6", "a27.10", "a31.4", "a31.5"})


def _power_here(rule: str, office: Office, doc: DocumentFile, settings: Mapping[str, bool]) -> bool:
    """Whether the power has a holder for this document (its conditions hold)."""
    d = doc.document
    outgoing = d.kind == "outgoing"
    director = bool(office.with_role("office_director"))
    in_charge = bool(office.post("deputy_in_charge"))
    match rule:
        case "a4.1":
            return (
                director
                and outgoing
                and d.in_name_of in ("district_government", "government_party_group")
            )
        case "a4.2":
            return director and outgoing and d.in_name_of in ("office", "office_party_group")
        case "a13.4":
            return bool(office.post("lead_field_vice_mayor"))
        case "a14.5":
            return in_charge and outgoing and d.in_name_of == "office"
        case "a14.6":
            return (
                not settings["review_within_field"]
                and outgoing
                and bool(office.with_role("deputy_director"))
            )
        case "a17.1":
            return in_charge
        case "a17.2":
            return bool(office.post("assisting_deputy"))
        case "a3.1":
            return director
        case "a26.16":
            return len(set(d.fields)) > 1 and bool(office.post("vice_mayor_in_charge"))
        case "a27.10":
            return (
                d.kind == "incoming"
                and "collective_study" in _flags(doc)
                and bool(office.with_role("mayor"))
            )
        case "a28.7":
            return d.kind == "incoming" and "secretariat" in office.units
        case "a28.9":
            return d.kind == "incoming" and bool(office.post("submitting_unit"))
        case "a31.8":
            return d.kind == "minutes" and bool(office.post("co_drafting_department"))
        case "a32.4":
            return d.kind == "speech" and in_charge
        case "a14.3":
            return in_charge and outgoing and d.in_name_of == "district_government"
        case "a14.4":
            return in_charge and outgoing and d.in_name_of == "office"
        case "a15.2" | "a15.4":
            if rule == "a15.4" and not settings["secretariat_drafts_routine"]:
                return False
            return d.kind == "incoming" and bool(office.post("deputy_in_charge"))
        case "a15.3":
            return (
                settings["secretariat_drafts_routine"]
                and d.kind == "incoming"
                and "secretariat" in office.units
            )
        case "a28.1":
            return bool(office.with_role("deputy_director"))
        case "a31.3":
            return d.kind == "minutes" and bool(office.post("drafter"))
        case "a31.4":
            return d.kind == "minutes" and bool(office.with_role("mayor"))
        case "a31.5":
            return d.kind == "minutes" and bool(office.with_role("executive_vice_mayor"))
        case "a31.6":
            return d.kind == "minutes" and bool(office.post("vice_mayor_in_charge"))
    raise AssertionError(rule)


# Article 4, 14, 15, 28, 31: actions a rule empowers beyond the procedure's own steps.
def _empowered(
    office: Office, doc: DocumentFile, actor: str, action: str, settings: Mapping[str, bool]
) -> bool:
    d = doc.document
    person = office.people.get(actor)
    roles = set(person.roles) if person else set()
    in_charge = actor in office.post("deputy_in_charge")
    outgoing = d.kind == "outgoing"
    if action == "return" and "deputy_director" in roles:  # article 28
        return True
    if action == "propose" and d.kind == "incoming" and in_charge:  # article 15
        return True
    if settings["secretariat_drafts_routine"] and d.kind == "incoming":  # article 15
        if action == "propose" and actor == office.units.get("secretariat"):
            return True
        if action == "review" and in_charge:
            return True
    if d.kind == "minutes":  # article 31: co-drafting department; 报批印发 by a leader
        if action == "draft" and actor in office.post("drafter"):
            return True
        leaders = {
            *office.with_role("mayor"),
            *office.with_role("executive_vice_mayor"),
            *office.post("vice_mayor_in_charge"),
        }
        if action in ("approve", "issue") and actor in leaders:
            return True
    if action == "review" and outgoing and "office_director" in roles:  # article 4
        return True
    if action == "review" and actor in office.post("lead_field_vice_mayor"):  # article 13
        return True
    if action == "sign" and outgoing and in_charge and d.in_name_of == "office":  # article 14
        return True
    if (  # article 14 (review_within_field off): any deputy may review an outgoing document
        action == "review"
        and outgoing
        and "deputy_director" in roles
        and not settings["review_within_field"]
    ):
        return True
    if action == "coordinate" and in_charge:  # article 17
        return True
    if action == "coordinate" and actor in office.post("assisting_deputy"):  # article 17
        return True
    if action == "coordinate" and "office_director" in roles:  # article 3
        return True
    if (  # article 26: 签呈相关副区长审核
        action == "review"
        and len(set(d.fields)) > 1
        and actor in office.post("vice_mayor_in_charge")
    ):
        return True
    if d.kind == "incoming":
        if action == "instruct" and "mayor" in roles and "collective_study" in _flags(doc):
            return True  # article 27 ¶2: the mayor's ruling
        if action in ("revise", "submit") and actor == office.units.get("secretariat"):
            return True  # article 28: the secretariat 落实 and resubmits
        if action == "revise" and actor in office.post("submitting_unit"):
            return True  # article 28: the sending unit revises
    if d.kind == "minutes" and action == "draft" and actor in office.post("co_drafting_department"):
        return True  # article 31: 会同相关部门起草
    if d.kind == "speech" and action == "revise" and in_charge:  # article 32: 组织审核修改
        return True
    if action == "sign" and outgoing and "office_director" in roles:  # article 4
        return d.in_name_of in ("office", "office_party_group")
    # Article 14: the deputy in charge reviews district-government and office documents.
    return (
        action == "review"
        and outgoing
        and in_charge
        and d.in_name_of
        in (
            "district_government",
            "office",
        )
    )


def next_working_day(day: date) -> date:
    """The first working day after `day` on China's official calendar (调休 included)."""
    day += timedelta(days=1)
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def check(
    org: Organisation, doc: DocumentFile, settings: Mapping[str, bool] | None = None
) -> tuple[Route, list[OFinding]]:
    """The route, and every finding on the document's trace: the trace judged in the order
    of its `at` times (equal times in list order), entries named by their list position."""
    settings = {**DEFAULT_INTERPRETATIONS, **(settings or {})}
    order = sorted(range(len(doc.trace)), key=lambda i: doc.trace[i].at)
    timed = doc.model_copy(update={"trace": tuple(doc.trace[i] for i in order)})
    r, found = _check(org, timed, settings)
    for f in found:
        for key in ("entry", "issued", "reviewed_again"):
            if key in f.facts:
                f.facts[key] = order[f.facts[key] - 1] + 1  # type: ignore[index]
    return r, found


def _check(
    org: Organisation, doc: DocumentFile, settings: dict[str, bool]
) -> tuple[Route, list[OFinding]]:
    r = route(org, doc, settings)
    office = Office(org, doc, settings)
    findings = list(r.findings)
    events = [(office.actor_name(e.actor), e.action) for e in doc.trace]
    # Article 45: nothing done before the in-force date is judged.
    in_force = [e.at.date() >= IN_FORCE_FROM for e in doc.trace]
    last: dict[str, int] = {}
    for i, (actor, action) in enumerate(events):
        last[step_id(action, actor)] = i
    # An opinion act (特性 意见) with an explicit opinion, not itself a step, stands for the
    # same person's opinion step of another kind whose own act was never taken.
    took = set(events)
    stand_ins: dict[int, set[str]] = {}
    for i, ((actor, action), e) in enumerate(zip(events, doc.trace, strict=True)):
        if action not in OPINION_ACTS or step_id(action, actor) in r.steps:
            continue
        if not is_explicit(e.opinion):
            continue
        for wanted in sorted(OPINION_ACTS - {action}):
            sid = step_id(wanted, actor)
            if sid in r.steps and (actor, wanted) not in took:
                stand_ins.setdefault(i, set()).add(wanted)
                last[sid] = max(last.get(sid, -1), i)
    # Missing steps: one finding per rule requiring the step.
    for step in r.steps.values():
        if step.id not in last:
            for article, rule, _ in step.required:
                findings.append(
                    OFinding(
                        "violation",
                        article,
                        rule,
                        "missing_step",
                        {"step": step.id, "actor": step.actor, "action": step.action},
                    )
                )
    # Out of order: judged where each step was last done.
    for before, after, rule in r.precedence:
        if before in last and after in last and last[after] < last[before]:
            findings.append(
                OFinding(
                    "violation",
                    RULE_ARTICLE[rule],
                    rule,
                    "out_of_order",
                    {"must_come_first": before, "step": after, "entry": last[after] + 1},
                )
            )
    # No power, only where a procedure applies: the finding cites a power the actor's role
    # holds over documents of this kind (it bounds what he does with one); else a rule on who
    # may take that action, preferring one whose holders share a role with the actor, else one
    # over documents like this one, the earliest article first (README); when none, the first
    # procedure.
    main = min((p.rule for p in r.active), default=None)
    for i, (actor, action) in enumerate(events):
        if not r.active or not in_force[i]:
            continue
        if step_id(action, actor) in r.steps or action == "circulate" or i in stand_ins:
            continue
        if _empowered(office, doc, actor, action, settings):
            continue
        person = office.people.get(actor)
        roles = set(person.roles) if person else set()
        speaking = [(a, rule, role) for rule, a, acts, role in POWERS if action in acts]
        fitting = [
            c
            for c in speaking
            if set(c[2].split("|")) & roles - {""}
            and (c[1] in ROLE_POWERS or _power_here(c[1], office, doc, settings))
        ]
        here = [c for c in speaking if _power_here(c[1], office, doc, settings)]
        bounds = [
            (a, rule, role)
            for rule, a, _, role in POWERS
            if rule in BOUNDING_POWERS
            and set(role.split("|")) & roles
            and _power_here(rule, office, doc, settings)
        ]
        # ... unless a power over this action, held by the actor's role, applies here.
        if any(
            set(c[2].split("|")) & roles and _power_here(c[1], office, doc, settings)
            for c in speaking
        ):
            bounds = []
        candidates = bounds or fitting or here
        cited = min(candidates)[1] if candidates else main
        if cited is None:
            continue
        findings.append(
            OFinding(
                "violation",
                RULE_ARTICLE[cited],
                cited,
                "no_power",
                {"entry": i + 1, "actor": actor, "action": action},
            )
        )
    # Article 26: explicit opinions, and no circling instead of acting; the director's 审签
    # too (the rule binds the office's director and deputies).
    directors = set(office.with_role("office_director"))

    def duties(actor: str) -> list[tuple[str, str]]:
        out = [(a, "a26.1") for a in ("propose", "review", "opine")]
        return out + ([("sign", "a26.14")] if actor in directors else [])

    opined = {
        (actor, action)
        for (actor, action), e in zip(events, doc.trace, strict=True)
        if is_explicit(e.opinion)
    } | {(events[i][0], wanted) for i, wanted_set in stand_ins.items() for wanted in wanted_set}
    for i, ((actor, action), e) in enumerate(zip(events, doc.trace, strict=True)):
        if not in_force[i]:
            continue
        for wanted, rule in duties(actor):
            # The unrestricted duty (a26.1) binds the document's steps; the director's own
            # (a26.14, a duty naming its actor) binds his 审签 whenever he may take it. Only
            # a step can be answered by circling alone (circled_only).
            is_step = step_id(wanted, actor) in r.steps
            bound = is_step or (
                rule == "a26.14" and _empowered(office, doc, actor, wanted, settings)
            )
            if not bound:
                continue
            if action == wanted and not is_explicit(e.opinion):
                findings.append(
                    OFinding(
                        "violation",
                        26,
                        rule,
                        "opinion_missing",
                        {"entry": i + 1, "actor": actor, "action": action},
                    )
                )
            if is_step and action == "circulate" and (actor, wanted) not in opined:
                findings.append(
                    OFinding(
                        "violation",
                        26,
                        rule,
                        "circled_only",
                        {"entry": i + 1, "actor": actor, "action": wanted},
                    )
                )
    # Nothing after issue.
    issues = [i for i, (p, a) in enumerate(events) if a == "issue" and step_id(a, p) in r.steps]
    if issues:
        first = issues[0]
        rule = min(
            rule for s in r.steps.values() if s.action == "issue" for _, rule, _ in s.required
        )
        for j in range(first + 1, len(events)):
            if not in_force[j]:
                continue
            actor, action = events[j]
            findings.append(
                OFinding(
                    "violation",
                    RULE_ARTICLE[rule],
                    rule,
                    "after_issue",
                    {"entry": j + 1, "actor": actor, "action": action, "issued": first + 1},
                )
            )
    # Article 28: a return by a reviewer is fixed by the secretariat, then reviewed again.
    secretariat = office.units.get("secretariat")
    if secretariat is not None:
        for i, (actor, action) in enumerate(events):
            if action != "return" or step_id("review", actor) not in r.steps or not in_force[i]:
                continue
            again = [j for j in range(i + 1, len(events)) if events[j] == (actor, "review")]
            if not again:
                findings.append(
                    OFinding(
                        "violation",
                        28,
                        "a28.2",
                        "not_resubmitted",
                        {"entry": i + 1, "actor": actor},
                    )
                )
            elif not {(secretariat, a) for a in ("propose", "revise", "submit")} & set(
                events[i + 1 : again[0]]
            ):
                findings.append(
                    OFinding(
                        "violation",
                        28,
                        "a28.2",
                        "resubmitted_unrevised",
                        {"entry": i + 1, "actor": actor, "reviewed_again": again[0] + 1},
                    )
                )
    # Article 30: an opinion not adopted is explained (when the document has a drafter).
    if r.active and office.post("drafter"):
        for c, consulted in enumerate(doc.document.consultations):
            if not consulted.adopted and not consulted.explained:
                findings.append(
                    OFinding(
                        "violation",
                        30,
                        "a30.3",
                        "unexplained_rejection",
                        {"consultation": c + 1, "unit": consulted.unit},
                    )
                )
    # Article 28: a deputy reviews within one working day of the document's arrival; a limit
    # that lapsed before the rules were in force binds nobody (45).
    for i, ((actor, action), e) in enumerate(zip(events, doc.trace, strict=True)):
        person = office.people.get(actor)
        if action != "review" or person is None or "deputy_director" not in person.roles:
            continue
        if step_id(action, actor) not in r.steps:
            continue
        if i > 0:
            arrived = doc.trace[i - 1].at.date()
        elif doc.document.received is not None:
            arrived = doc.document.received.date()
        else:
            continue
        due = next_working_day(arrived)
        if e.at.date() > due and due >= IN_FORCE_FROM:
            findings.append(
                OFinding(
                    "warning",
                    28,
                    "a28.3",
                    "late_action",
                    {"entry": i + 1, "actor": actor, "action": action, "due": due.isoformat()},
                )
            )
    return r, findings
