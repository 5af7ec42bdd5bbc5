"""Presence, written from articles 25, 39 and 45 and the README: clashes, advance reports,
who acts for an absent post, and posts nobody can act for.

Days are handled one by one here (the engine reasons on intervals), so the two are wrong in
different ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import chinese_calendar
from tests.oracle.routing import DEFAULT_INTERPRETATIONS, IN_FORCE_FROM, VICE_MAYORS, OFinding

from govrules.inputs import Absence, Organisation, Person, Plan

ALL_KINDS = frozenset({"business_trip", "vacation", "sick", "personal"})


def vice_mayors_in_charge(org: Organisation, x: Person) -> list[str]:
    """Contract §3 and article 13: the vice-mayors sharing a field, unless `reports_to`."""
    if x.reports_to:
        return [n for n in x.reports_to if n != x.name]
    return [
        p.name
        for p in org.people
        if p.name != x.name
        and any(r in p.roles for r in VICE_MAYORS)
        and set(p.fields) & set(x.fields)
    ]


def _in_force(a: Absence) -> tuple[date, date] | None:
    """Article 45: the part of an absence from the day the rules came into force."""
    start = max(a.from_, IN_FORCE_FROM)
    return (start, a.to) if start <= a.to else None


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _acting_for(
    org: Organisation, settings: Mapping[str, bool]
) -> dict[tuple[str, str], list[str]]:
    """Article 25: (rule, absent post holder) → the people named to act, by name."""
    named: dict[tuple[str, str], list[str]] = {}
    for x in org.people:
        if "office_director" in x.roles:
            presiding = [
                p.name
                for p in org.people
                if p.name != x.name
                and "deputy_director" in p.roles
                and "office_party_deputy_secretary" in p.roles
            ]
            if presiding:
                named[("a25.2", x.name)] = sorted(presiding)
        if settings["ab_posts"] and "deputy_director" in x.roles:
            partners = sorted({b for b in x.backup if b != x.name})
            if partners:
                named[("a25.3", x.name)] = partners
    return named


POSTS = {"a25.2": "office_director", "a25.3": "deputy_director"}


def leave(
    org: Organisation, plan: Plan, settings: Mapping[str, bool] | None = None
) -> tuple[list[OFinding], list[dict[str, Any]]]:
    """The findings and the acting table of a plan of absences."""
    settings = {
        **DEFAULT_INTERPRETATIONS,
        "ab_posts": True,
        "workday_clock": True,
        "same_day_report": True,
        **(settings or {}),
    }
    workdays = settings["workday_clock"]
    people = {p.name: p for p in org.people}
    absences = list(enumerate(plan.absences))
    by_person: dict[str, list[tuple[int, Absence]]] = {}
    for i, a in absences:
        by_person.setdefault(a.who, []).append((i, a))
    findings: list[OFinding] = []

    # Article 39: a deputy and the vice-mayor in charge not away together (on vacation, or
    # for any reason under any_absence_together).
    wide = settings["any_absence_together"]
    rule, kinds = ("a39.4", ALL_KINDS) if wide else ("a39.3", frozenset({"vacation"}))
    for x in org.people:
        if "deputy_director" not in x.roles:
            continue
        for y in vice_mayors_in_charge(org, x):
            for i, a in by_person.get(x.name, []):
                for j, b in by_person.get(y, []):
                    span_a, span_b = _in_force(a), _in_force(b)
                    if a.kind not in kinds or b.kind not in kinds or not span_a or not span_b:
                        continue
                    first, last = max(span_a[0], span_b[0]), min(span_a[1], span_b[1])
                    # Article 39 (workday_clock): only a shared working day is 同时.
                    shared = first <= last and (
                        not workdays
                        or any(chinese_calendar.is_workday(d) for d in _days(first, last))
                    )
                    if shared:
                        findings.append(
                            OFinding(
                                "violation",
                                39,
                                rule,
                                "absent_together",
                                {
                                    "person": x.name,
                                    "absence": i + 1,
                                    "other": y,
                                    "other_absence": j + 1,
                                    "from": first.isoformat(),
                                    "to": last.isoformat(),
                                },
                            )
                        )

    # Article 39: reports in advance, for absences that begin once the rules are in force.
    for i, a in absences:
        if a.from_ < IN_FORCE_FROM:
            continue
        x = people[a.who]
        owed: list[tuple[str, str]] = []
        if "office_director" in x.roles:
            owed += [
                ("a39.1", p.name)
                for p in org.people
                if {"mayor", "executive_vice_mayor"} & set(p.roles)
            ]
        if "deputy_director" in x.roles:
            owed += [("a39.2", q) for q in vice_mayors_in_charge(org, x)]
            owed += [("a39.2", p.name) for p in org.people if "office_director" in p.roles]
        for rule_id, q in set(owed):
            if q == x.name:
                continue
            made = [r.on for r in a.reported if r.to == q]
            # Article 39: 事先 = before the first day, or (workday_clock) the first working
            # day; a report dated that day counts too under same_day_report.
            start = a.from_
            if workdays:
                start = next(
                    (d for d in _days(a.from_, a.to) if chinese_calendar.is_workday(d)), a.from_
                )
            if not made:
                findings.append(
                    OFinding(
                        "violation",
                        39,
                        rule_id,
                        "report_missing",
                        {"absence": i + 1, "person": x.name, "recipient": q},
                    )
                )
            elif not any(d < start or (settings["same_day_report"] and d == start) for d in made):
                findings.append(
                    OFinding(
                        "violation",
                        39,
                        rule_id,
                        "report_late",
                        {
                            "absence": i + 1,
                            "person": x.name,
                            "recipient": q,
                            "reported_on": min(made).isoformat(),
                        },
                    )
                )

    # Article 25: on each working day of an absence, the first named person who is present
    # acts; chains of days on which everyone named is away too are findings.
    def away(name: str, day: date) -> bool:
        return any(
            (span := _in_force(b)) is not None and span[0] <= day <= span[1]
            for _, b in by_person.get(name, [])
        )

    rows: list[dict[str, Any]] = []
    for (rule_id, holder), named in sorted(_acting_for(org, settings).items()):
        for i, a in by_person.get(holder, []):
            span = _in_force(a)
            if span is None:
                continue
            for day in _days(*span):
                if not chinese_calendar.is_workday(day):
                    continue
                present = [p for p in named if not away(p, day)]
                if present:
                    rows.append(
                        {
                            "date": day.isoformat(),
                            "post": POSTS[rule_id],
                            "absent": holder,
                            "acting": present[0],
                            "article": 25,
                            "rule": rule_id,
                        }
                    )
            findings += _no_acting(rule_id, holder, i, span, named, by_person)
    # One row per day and post, however many of the holder's absences cover the day.
    unique = {tuple(sorted(r.items())): r for r in rows}
    rows = sorted(
        unique.values(), key=lambda r: (r["date"], r["post"], r["absent"], r["acting"], r["rule"])
    )
    return findings, rows


def _no_acting(
    rule_id: str,
    holder: str,
    index: int,
    span: tuple[date, date],
    named: list[str],
    by_person: dict[str, list[tuple[int, Absence]]],
) -> list[OFinding]:
    """Every way the absences of all the named people cover working days of the holder's
    absence: one finding per stretch, naming the last person's absence that closes it."""
    stretches: list[tuple[date, date, str, int]] = [(span[0], span[1], "", -1)]
    for name in named:
        narrowed = []
        for first, last, _, _ in stretches:
            for j, b in by_person.get(name, []):
                other = _in_force(b)
                if other is None:
                    continue
                f, t = max(first, other[0]), min(last, other[1])
                if f <= t:
                    narrowed.append((f, t, name, j))
        stretches = narrowed
    out = []
    for first, last, name, j in set(stretches):
        if any(chinese_calendar.is_workday(d) for d in _days(first, last)):
            out.append(
                OFinding(
                    "violation",
                    25,
                    rule_id,
                    "no_acting",
                    {
                        "person": holder,
                        "absence": index + 1,
                        "acting": name,
                        "acting_absence": j + 1,
                        "from": first.isoformat(),
                        "to": last.isoformat(),
                    },
                )
            )
    return out
