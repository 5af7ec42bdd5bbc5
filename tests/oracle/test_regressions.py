"""Disagreements the differential tests found, kept as plain regression tests."""

from __future__ import annotations

from tests.oracle.compare import compare

from govrules.engine import Policy
from govrules.inputs import load_document, load_org

SECRETARIAT = {"secretariat": "秘书股"}


def test_a_document_with_no_step_lists_no_order(policy: Policy) -> None:
    """Engine defect: a document before the rules were in force (no step) listed one empty
    order while its order_count was 0."""
    org = load_org({"district": "d", "people": [{"name": "甲", "roles": ["mayor"]}]})
    doc = load_document(
        {"document": {"id": "1", "kind": "minutes", "received": "2020-12-20T09:00"}}, org
    )
    result = policy.route(doc, org)
    assert (result.steps, result.order_count, result.orders) == ([], 0, [])
    assert compare(policy, org, doc, {}) == []


def test_one_person_in_both_posts_of_an_ordered_pair_is_not_a_cycle(policy: Policy) -> None:
    """Engine defect: with vice_mayor_first, a vice-mayor in charge who is also the director
    was made to sign before themself: a false precedence cycle (article 0), order_count 0
    and yet one order listed. A step never precedes itself."""
    org = load_org(
        {
            "district": "d",
            "people": [
                {"name": "甲", "roles": ["vice_mayor", "office_director"], "fields": ["教育"]},
                {"name": "乙", "roles": ["deputy_director"], "fields": ["教育"]},
                {"name": "丙", "roles": ["mayor"]},
            ],
            "units": SECRETARIAT,
        }
    )
    doc = load_document(
        {
            "document": {
                "id": "1",
                "kind": "outgoing",
                "in_name_of": "district_government",
                "fields": ["教育"],
            }
        },
        org,
    )
    settings = {"vice_mayor_first": True}
    result = policy.route(doc, org, interpretations=settings)
    assert result.findings == []
    assert ("sign:甲", "sign:甲", "a29.2") not in result.precedence
    assert result.order_count == 1
    assert result.orders == [["propose:秘书股", "review:乙", "sign:甲", "issue:丙"]]
    assert compare(policy, org, doc, settings) == []


def test_a_precedence_cycle_cites_a_real_article(policy: Policy) -> None:
    """Engine defect: two people who are each both deputy director and vice-mayor of the lead
    field make article 33's procedure circular; the finding cited article 0 and rule
    `kernel`, outside the contract's 1-45."""
    org = load_org(
        {
            "district": "d",
            "people": [
                {"name": "甲", "roles": ["deputy_director", "vice_mayor"], "fields": ["教育"]},
                {"name": "乙", "roles": ["deputy_director", "vice_mayor"], "fields": ["教育"]},
                {"name": "丙", "roles": ["office_director"]},
            ],
        }
    )
    doc = load_document({"document": {"id": "1", "kind": "agenda_item", "fields": ["教育"]}}, org)
    result = policy.route(doc, org)
    cycles = [f for f in result.findings if f.kind == "precedence_cycle"]
    assert {(f.article, f.rule, f.facts["step"]) for f in cycles} == {
        (33, "a33.1", "review:甲"),
        (33, "a33.1", "review:乙"),
        # director_first (a33.2) closes the loop for the director since issue 14
        (33, "a33.2", "review:丙"),
    }
    assert (result.order_count, result.orders) == (0, [])
    assert compare(policy, org, doc, {}) == []


def test_overlapping_absences_of_one_person_give_one_acting_row_a_day(policy: Policy) -> None:
    """Engine defect: a director away on a trip inside their vacation had every shared
    working day listed twice in the acting table."""
    from tests.oracle.compare import compare_leave

    from govrules.inputs import load_plan

    org = load_org(
        {
            "district": "d",
            "people": [
                {"name": "赵主任", "roles": ["office_director"]},
                {"name": "钱副主任", "roles": ["deputy_director", "office_party_deputy_secretary"]},
            ],
        }
    )
    plan = load_plan(
        {
            "absences": [
                {"who": "赵主任", "kind": "vacation", "from": "2021-03-01", "to": "2021-03-05"},
                {
                    "who": "赵主任",
                    "kind": "business_trip",
                    "from": "2021-03-04",
                    "to": "2021-03-08",
                },
            ]
        },
        org,
    )
    result = policy.check_leave(plan, org)
    days = [row["date"] for row in result.acting]
    assert days == sorted(set(days))
    assert days[0] == "2021-03-01" and days[-1] == "2021-03-08" and len(days) == 6
    assert compare_leave(policy, org, plan, {}) == []
