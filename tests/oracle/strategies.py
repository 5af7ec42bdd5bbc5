"""Hypothesis strategies: organisations, documents of every kind, traces and plans.

Traces are built from the oracle's own route (so that most entries are steps that matter)
and then damaged: shuffled, cut short, duplicated, mixed with foreign entries, returned and
resubmitted, answered with bare read marks. Names include hostile text: ASP syntax, quotes,
backslashes, right-to-left marks, mixed scripts.
"""

from __future__ import annotations

import copy
import functools
import warnings
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from tests.oracle import routing

from govrules.errors import InputWarning
from govrules.inputs import (
    DocumentFile,
    Organisation,
    Plan,
    load_document,
    load_org,
    load_plan,
    read_source,
)
from govrules.resources import bundled_org_file

# The bundled policy's actions, as its vocabulary declares them.
ACTIONS = (
    "propose",
    "review",
    "sign",
    "issue",
    "instruct",
    "opine",
    "return",
    "circulate",
    "draft",
    "revise",
    "approve",
    "consult",
    "submit",
    "coordinate",
)
FIELDS = ("教育", "卫生", "财政", "发改", "城建", "审计", "公安", "民政")


@functools.cache
def _bundled_org() -> dict[str, Any]:
    return dict(read_source(bundled_org_file()).data)


PLAIN_NAMES = (
    "张区长",
    "李副区长",
    "王副区长",
    "刘副区长",
    "陈副区长",
    "赵主任",
    "钱副主任",
    "孙副主任",
    "周副主任",
    "吴副主任",
    "郑联系人",
    "冯联系人",
    "Alice",
    "Bob",
    "欧阳娜娜",
    "王 五",
)
HOSTILE_NAMES = (
    'x). #include "/etc/passwd". y(',
    "#const n=1.",
    "#show finding/5.",
    ":- .",
    'quote"d',
    "back\\slash",
    "\u202ertl名",
    "Аlice",  # Cyrillic А
    "名" * 150,
    "%comment",
    "a,b",
    "(1,2)",
)
UNIT_NAMES = ("秘书股", "秘书科", "区教育局", "区财政局", "Secretariat", "drafting unit")
OPINIONS = (
    None,
    "",
    "同意",
    "拟同意，请审签",
    "已阅",
    "已阅。",
    "阅",
    "圈阅",
    "○",
    "√",
    "read",
    "Read!",
    "知悉",
    " 已阅，同意 ",
    "不同意，退回修改",
    "请秘书股修改后再报",
)
# Role sets people really hold, and a few odd combinations the engine must still handle.
ROLE_SETS: tuple[tuple[str, ...], ...] = (
    ("mayor",),
    ("mayor", "government_party_secretary"),
    ("government_party_secretary",),
    ("executive_vice_mayor",),
    ("vice_mayor",),
    ("office_director",),
    ("deputy_director",),
    ("deputy_director", "office_party_deputy_secretary"),
    ("deputy_director", "office_party_member"),
    ("leader_liaison",),
)
CORE_ROLES: tuple[tuple[str, ...], ...] = (
    ("mayor", "government_party_secretary"),
    ("office_director",),
    ("deputy_director", "office_party_deputy_secretary"),
    ("vice_mayor",),
    ("deputy_director", "office_party_member"),
    ("executive_vice_mayor",),
    ("leader_liaison",),
)
ODD_ROLE_SETS: tuple[tuple[str, ...], ...] = (
    ("vice_mayor", "office_director"),
    ("deputy_director", "vice_mayor"),
    ("deputy_director", "office_director"),
    ("mayor", "vice_mayor"),
    ("leader_liaison", "deputy_director"),
)
INTERPRETATIONS = (
    "vice_mayor_first",
    "office_party_group_as_office",
    "submit_in_order",
    "concerned_review_first",
)


@st.composite
def organisations(draw: st.DrawFn, hostile: bool = True) -> dict[str, Any]:
    if draw(st.integers(0, 4)) == 0:  # the bundled office, as the README's examples use it
        return copy.deepcopy(_bundled_org())
    pool = PLAIN_NAMES + (HOSTILE_NAMES if hostile else ())
    names: list[str] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=9, unique=True))
    people: list[dict[str, Any]] = []
    core: bool = draw(st.booleans())  # the posts a real office has, then anyone
    for n, name in enumerate(names):
        odd = draw(st.integers(0, 7)) == 0
        if core and n < len(CORE_ROLES):
            roles = CORE_ROLES[n]
        else:
            roles = draw(st.sampled_from(ODD_ROLE_SETS if odd else ROLE_SETS))
        person: dict[str, Any] = {"name": name, "roles": list(roles)}
        fields = draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True))
        if fields:
            person["fields"] = fields
        people.append(person)
    leaders = [
        p["name"] for p in people if {"vice_mayor", "executive_vice_mayor"} & set(p["roles"])
    ]
    for person in people:
        others = [p["name"] for p in people if p["name"] != person["name"]]
        serve = [n for n in leaders if n != person["name"]]
        if "leader_liaison" in person["roles"] and serve and draw(st.integers(0, 3)) > 0:
            person["reports_to"] = [draw(st.sampled_from(serve))]
        elif others and draw(st.integers(0, 3)) == 0:
            person["reports_to"] = draw(
                st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True)
            )
    for person in people:
        others = [p["name"] for p in people if p["name"] != person["name"]]
        if "deputy_director" in person["roles"] and others and draw(st.integers(0, 2)) > 0:
            person["backup"] = draw(
                st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True)
            )
    units: dict[str, str] = {}
    free = [u for u in UNIT_NAMES if u not in names]
    if free and draw(st.integers(0, 9)) > 0:
        units["secretariat"] = draw(st.sampled_from(free))
    for uid in ("education_bureau", "finance_bureau"):
        left = [u for u in free if u not in units.values()]
        wanted: bool = draw(st.booleans())
        if left and wanted:
            units[uid] = draw(st.sampled_from(left))
    return {"district": "南昌市西湖区", "people": people, "units": units}


def _moment(minutes: int) -> str:
    """A local time `minutes` after the rules came into force (before it, if negative)."""
    return (datetime(2021, 1, 1) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def _start(draw: st.DrawFn) -> int:
    """Minutes since 2021-01-01: any day to 2025, a few days before, at office hours or not."""
    day: int = draw(st.integers(-12, 1800))
    minute: int = draw(st.sampled_from((0, 9 * 60, 9 * 60 + 30, 14 * 60, 17 * 60 + 59, 23 * 60)))
    return day * 1440 + minute


@st.composite
def documents(draw: st.DrawFn, org: dict[str, Any]) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ("outgoing", "incoming", "minutes", "speech", "agenda_item", "important_draft")
        )
    )
    doc: dict[str, Any] = {
        "id": draw(st.sampled_from(("西府文〔2021〕1号", "x). y(", "D-1"))),
        "kind": kind,
    }
    if kind in ("outgoing", "important_draft"):  # 须名义: both name whose document it is
        doc["in_name_of"] = draw(
            st.sampled_from(
                ("district_government", "government_party_group", "office", "office_party_group")
            )
        )
    doc["fields"] = draw(st.lists(st.sampled_from(FIELDS), max_size=3))
    for flag in (
        "needs_instruction",
        "collective_study",
        "leader_signature",
        "secret",
        "major_disagreement",
    ):
        if draw(st.integers(0, 3)) == 0:
            doc[flag] = True
    if draw(st.booleans()):
        doc["received"] = _moment(_start(draw))
    actors = [p["name"] for p in org["people"]] + list(org["units"]) + list(org["units"].values())
    if draw(st.integers(0, 2)) > 0:
        doc["drafter"] = draw(st.sampled_from(actors))
    if kind == "speech" or draw(st.integers(0, 5)) == 0:
        escalate = draw(st.sampled_from((None, "mayor", "executive_vice_mayor")))
        if escalate:
            doc["escalate_to"] = escalate
    if draw(st.integers(0, 2)) == 0:
        doc["consultations"] = [
            {
                "unit": draw(st.sampled_from(UNIT_NAMES)),
                "adopted": draw(st.booleans()),
                "explained": draw(st.booleans()),
            }
            for _ in range(draw(st.integers(1, 3)))
        ]
    return doc


def _written(org: dict[str, Any], actor: str, flip: bool) -> str:
    """A unit may be written by its id as well as by its name."""
    if flip:
        for uid, shown in org["units"].items():
            if shown == actor:
                return str(uid)
    return actor


@st.composite
def traces(
    draw: st.DrawFn,
    org: dict[str, Any],
    orgm: Organisation,
    doc: dict[str, Any],
    settings: dict[str, bool],
) -> list[dict[str, Any]]:
    docm = load_document({"document": doc}, orgm)
    r = routing.route(orgm, docm, settings)
    orders = routing.linear_extensions(r.steps, r.pairs, 1)
    base = orders[0] if orders else sorted(r.steps)
    entries = [(r.steps[s].actor, r.steps[s].action) for s in base]
    if draw(st.integers(0, 3)) == 0:
        entries = draw(st.permutations(entries))
    actors = [p["name"] for p in org["people"]] + list(org["units"].values())
    ops = draw(st.lists(st.integers(0, 6), max_size=5))
    for op in ops:
        at = draw(st.integers(0, len(entries)))
        if op == 0 and entries:  # drop
            del entries[min(at, len(entries) - 1)]
        elif op == 1 and entries:  # duplicate
            entries.insert(at, entries[min(at, len(entries) - 1)])
        elif op == 2:  # a foreign entry
            entries.insert(at, (draw(st.sampled_from(actors)), draw(st.sampled_from(ACTIONS))))
        elif op in (3, 4):  # a return, maybe fixed and reviewed again
            reviewers = [s.actor for s in r.steps.values() if s.action == "review"]
            deputies = [p["name"] for p in org["people"] if "deputy_director" in p["roles"]]
            who = draw(st.sampled_from(reviewers or deputies or actors))
            loop = [(who, "return")]
            sec = org["units"].get("secretariat")
            if sec and draw(st.booleans()):
                loop.append((sec, "propose"))
            if draw(st.integers(0, 3)) > 0:
                loop.append((who, "review"))
            entries[at:at] = loop
        elif op == 5:  # circle instead of acting
            entries.insert(at, (draw(st.sampled_from(actors)), "circulate"))
        elif op == 6 and entries:  # truncate
            entries = entries[:at]
    minute = _start(draw)
    out = []
    for actor, action in entries:
        minute += draw(st.sampled_from((0, 30, 300, 1440, 2 * 1440, 3 * 1440, -600)))
        entry: dict[str, Any] = {
            "actor": _written(org, actor, draw(st.integers(0, 3)) == 0),
            "action": action,
            "at": _moment(minute),
        }
        opinion = draw(st.sampled_from(OPINIONS))
        if opinion is not None:
            entry["opinion"] = opinion
        out.append(entry)
    return out


@st.composite
def settings_(draw: st.DrawFn) -> dict[str, bool]:
    return {name: draw(st.booleans()) for name in INTERPRETATIONS}


@st.composite
def cases(
    draw: st.DrawFn, hostile: bool = True
) -> tuple[dict[str, Any], Organisation, dict[str, Any], DocumentFile, dict[str, bool]]:
    """(org dict, org model, document file dict, document model, interpretations)."""
    org = draw(organisations(hostile))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)  # odd names are the point here
        orgm = load_org(org)
    doc = draw(documents(org))
    settings = draw(settings_())
    data: dict[str, Any] = {"document": doc}
    if draw(st.integers(0, 4)) > 0:
        data["trace"] = draw(traces(org, orgm, doc, settings))
    return org, orgm, data, load_document(data, orgm), settings


@st.composite
def plans(draw: st.DrawFn, org: dict[str, Any]) -> dict[str, Any]:
    """Absences of anyone, around the in-force day or later, with reports before, on or
    after their first day, to anyone."""
    names = [p["name"] for p in org["people"]]
    # The office's own staff are away more often in these plans: the rules bind them.
    staff = [
        p["name"] for p in org["people"] if {"office_director", "deputy_director"} & set(p["roles"])
    ]
    absences = []
    for _ in range(draw(st.integers(0, 9))):
        first = date(2021, 1, 1) + timedelta(days=draw(st.integers(-6, 45)))
        last = first + timedelta(days=draw(st.integers(0, 12)))
        absence: dict[str, Any] = {
            "who": draw(st.sampled_from(names + staff * 2)),
            "kind": draw(st.sampled_from(("business_trip", "vacation", "sick", "personal"))),
            "from": first.isoformat(),
            "to": last.isoformat(),
        }
        reports = [
            {
                "to": draw(st.sampled_from(names)),
                "on": (first + timedelta(days=draw(st.integers(-5, 2)))).isoformat(),
            }
            for _ in range(draw(st.integers(0, 4)))
        ]
        if reports:
            absence["reported"] = reports
        absences.append(absence)
    return {"absences": absences}


@st.composite
def leave_cases(
    draw: st.DrawFn,
) -> tuple[dict[str, Any], Organisation, dict[str, Any], Plan, dict[str, bool]]:
    """(org dict, org model, plan dict, plan model, interpretations)."""
    org = draw(organisations())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        orgm = load_org(org)
    plan = draw(plans(org))
    settings = {
        "any_absence_together": draw(st.booleans()),
        "ab_posts": draw(st.booleans()),
        "workday_clock": draw(st.booleans()),
        "same_day_report": draw(st.booleans()),
    }
    return org, orgm, plan, load_plan(plan, orgm), settings
