"""Synthetic but realistic inputs: an organisation of N people, a year of absences, traces.

The organisation keeps the shape of the bundled one (one mayor, one executive vice-mayor,
vice-mayors with fields, directors, deputies with fields, liaisons and party members), its
leadership scaled with N so that every relation the rules join on grows linearly. Everyone
is away on about 8% of the days of 2021, in absences of one to five days; directors and
deputies report in advance, mostly in time, sometimes late or not at all.
"""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

EXAMPLES = Path(__file__).resolve().parent.parent / "policy" / "xihu-office-2020" / "examples"
YEAR_START = date(2021, 1, 1)
DAYS = 365
ABSENT_SHARE = 0.08
KINDS = (("vacation", 0.4), ("business_trip", 0.35), ("sick", 0.15), ("personal", 0.1))


def load_example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def organisation(size: int, seed: int = 1) -> dict[str, Any]:
    """An organisation of `size` people (at least 12)."""
    rng = random.Random(seed)
    size = max(size, 12)
    n_fields = max(10, size // 10)
    fields = [f"领域{i:05d}" for i in range(n_fields)]
    n_vice = max(4, size // 40)
    n_directors = 1  # one office: every deputy reports to its director
    n_deputies = max(4, size // 8)
    people: list[dict[str, Any]] = [
        {"name": "区长0", "roles": ["mayor", "government_party_secretary"]},
        {"name": "常务副区长0", "roles": ["executive_vice_mayor"], "fields": fields[:2]},
    ]
    vice = [f"副区长{i}" for i in range(n_vice)]
    for i, name in enumerate(vice):
        people.append({"name": name, "roles": ["vice_mayor"], "fields": fields[i::n_vice]})
    for i in range(n_directors):
        people.append({"name": f"主任{i}", "roles": ["office_director"]})
    for i in range(n_deputies):
        own = rng.sample(fields, rng.choice((1, 1, 2)))
        people.append({"name": f"副主任{i}", "roles": ["deputy_director"], "fields": own})
    rest = size - len(people)
    for i in range(rest):
        if i % 3 == 0:
            people.append(
                {
                    "name": f"联系人{i}",
                    "roles": ["leader_liaison"],
                    "reports_to": [rng.choice(vice)],
                }
            )
        else:
            people.append({"name": f"党组成员{i}", "roles": ["office_party_member"]})
    return {"district": "南昌市西湖区", "people": people, "units": {"secretariat": "秘书股"}}


def _kind(rng: random.Random) -> str:
    x = rng.random()
    for kind, share in KINDS:
        if x < share:
            return kind
        x -= share
    return KINDS[-1][0]


class _Owed:
    """Whom a person reports an absence to in advance (article 39), in the organisation's
    order: indexed once by role and field (a scan per person was quadratic in the size)."""

    def __init__(self, org: dict[str, Any]) -> None:
        people = org["people"]
        self.leaders = [
            p["name"] for p in people if {"mayor", "executive_vice_mayor"} & set(p["roles"])
        ]
        self.by_field: dict[str, list[int]] = {}
        self.names = [p["name"] for p in people]
        for i, p in enumerate(people):
            if {"vice_mayor", "executive_vice_mayor"} & set(p["roles"]):
                for f in set(p.get("fields", ())):
                    self.by_field.setdefault(f, []).append(i)

    def __call__(self, person: dict[str, Any]) -> list[str]:
        roles = person["roles"]
        if "office_director" in roles:
            return list(self.leaders)
        if "deputy_director" in roles:
            found = sorted({i for f in set(person["fields"]) for i in self.by_field.get(f, ())})
            return [self.names[i] for i in found] + ["主任0"]
        return []


def year_plan(org: dict[str, Any], seed: int = 2) -> dict[str, Any]:
    """A year of absences: about 8% of everyone's days, with advance reports."""
    rng = random.Random(seed)
    absences: list[dict[str, Any]] = []
    owed_by = _Owed(org)
    for person in org["people"]:
        owed = owed_by(person)
        day = rng.randrange(0, 20)
        while day < DAYS:
            length = rng.randint(1, 5)
            start = YEAR_START + timedelta(days=day)
            end = start + timedelta(days=min(length, DAYS - day) - 1)
            entry: dict[str, Any] = {
                "who": person["name"],
                "kind": _kind(rng),
                "from": start.isoformat(),
                "to": end.isoformat(),
            }
            reported = []
            for whom in owed:
                luck = rng.random()
                if luck < 0.9:
                    reported.append({"to": whom, "on": (start - timedelta(days=3)).isoformat()})
                elif luck < 0.95:
                    reported.append({"to": whom, "on": start.isoformat()})
            if reported:
                entry["reported"] = reported
            absences.append(entry)
            # 8% of days away: on average 3 days away, then about 34.5 days present.
            day += length + rng.randint(20, 49)
    return {"absences": absences}


def traces(count: int, seed: int = 3) -> list[dict[str, Any]]:
    """`count` recorded documents: the bundled examples, renumbered, some shuffled out of order."""
    rng = random.Random(seed)
    bases = [
        load_example(n)
        for n in ("doc-incoming.yaml", "doc-bad-order.yaml", "doc-outgoing.yaml", "doc-office.yaml")
    ]
    bases = [b for b in bases if b.get("trace")]
    out: list[dict[str, Any]] = []
    for i in range(count):
        doc = copy.deepcopy(bases[i % len(bases)])
        doc["document"]["id"] = f"西府文〔2021〕{i + 1}号"
        if rng.random() < 0.2 and len(doc["trace"]) > 2:
            a, b = sorted(rng.sample(range(len(doc["trace"])), 2))
            first, second = doc["trace"][a], doc["trace"][b]
            first["at"], second["at"] = second["at"], first["at"]
            doc["trace"][a], doc["trace"][b] = second, first
        out.append(doc)
    return out


def workdays(policy: Any, plan: dict[str, Any]) -> list[date]:
    """The working days from a plan's first absence to its last, on the policy's calendar."""
    first = min(date.fromisoformat(a["from"]) for a in plan["absences"])
    last = max(date.fromisoformat(a["to"]) for a in plan["absences"])
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if policy.calendar.is_workday(d)]
