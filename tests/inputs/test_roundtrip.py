"""Any valid organisation or plan survives model_dump(by_alias) and loading unchanged."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.inputs import Organisation, Plan, load_org, load_plan

_NAME_CHARS = st.characters(
    codec="utf-8", categories=("L", "N", "P", "S"), exclude_characters="\x7f"
)
names = st.text(_NAME_CHARS, min_size=1, max_size=12)
roles = st.sampled_from(
    ["mayor", "executive_vice_mayor", "vice_mayor", "office_director", "deputy_director"]
)


@st.composite
def org_dicts(draw: st.DrawFn) -> dict[str, Any]:
    every = draw(st.lists(names, min_size=1, max_size=8, unique=True))
    split = draw(st.integers(min_value=1, max_value=len(every)))
    people_names, unit_names = every[:split], every[split:]
    people = []
    for name in people_names:
        person: dict[str, Any] = {
            "name": name,
            "roles": draw(st.lists(roles, min_size=1, max_size=3)),
            "fields": draw(st.lists(names, max_size=3)),
            "backup": draw(st.lists(st.sampled_from(people_names), max_size=2)),
        }
        person["backup"] = [b for b in person["backup"] if b != name]
        if draw(st.booleans()):
            person["reports_to"] = draw(st.lists(st.sampled_from(people_names), max_size=2))
            person["reports_to"] = [r for r in person["reports_to"] if r != name]
        people.append(person)
    units = {f"unit {i}": shown for i, shown in enumerate(unit_names)}  # a space: no name has one
    return {"district": draw(names), "people": people, "units": units}


def _normalised(model: Organisation | Plan) -> dict[str, Any]:
    return model.model_dump(by_alias=True, mode="json")


@settings(max_examples=60, deadline=None)
@given(org_dicts())
def test_org_round_trips(data: dict[str, Any]) -> None:
    org = load_org(data)
    again = load_org(org.model_dump(by_alias=True))
    assert again == org and hash(again) == hash(org)
    dumped = _normalised(org)
    for person in data["people"]:
        person.setdefault("reports_to", None)
        person.setdefault("units", [])
    assert dumped == data


@st.composite
def plan_dicts(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    org = draw(org_dicts())
    people = [p["name"] for p in org["people"]]
    absences = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        start = draw(st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 12, 1)))
        end = start + timedelta(days=draw(st.integers(min_value=0, max_value=20)))
        reports = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"to": st.sampled_from(people), "on": st.just(start - timedelta(days=2))}
                ),
                max_size=2,
            )
        )
        absences.append(
            {
                "who": draw(st.sampled_from(people)),
                "kind": draw(st.sampled_from(["business_trip", "vacation", "sick", "personal"])),
                "from": start.isoformat(),
                "to": end.isoformat(),
                "reported": [{"to": r["to"], "on": r["on"].isoformat()} for r in reports],
            }
        )
    return org, {"absences": absences}


@settings(max_examples=60, deadline=None)
@given(plan_dicts())
def test_plan_round_trips(data: tuple[dict[str, Any], dict[str, Any]]) -> None:
    org_data, plan_data = data
    org = load_org(org_data)
    plan = load_plan(plan_data, org)
    again = load_plan(plan.model_dump(by_alias=True), org)
    assert again == plan
    assert _normalised(plan) == {**plan_data, "period": None, "meetings": [], "matters": []}
