"""Article 38: important matters name their field; 同时报告主任 is a check of its own."""

from __future__ import annotations

from typing import Any

import pytest

from govrules.engine import Policy
from govrules.errors import InputError
from govrules.inputs import load_org
from govrules.resources import bundled_org_file

ORG = load_org(bundled_org_file())


def matter(field: str | None, *asked: str, director_needed: bool = False) -> dict[str, Any]:
    m: dict[str, Any] = {
        "who": "吴副主任",
        "subject": "事项",
        "on": "2021-06-15",
        "director_needed": director_needed,
        "requested": [{"to": q, "on": "2021-06-15"} for q in asked],
        "reported": [{"to": q, "on": "2021-06-18"} for q in asked],
    }
    if field is not None:
        m["field"] = field
    return m


def found(policy: Policy, m: dict[str, Any], **interp: bool) -> list[tuple[str, str]]:
    r = policy.check_leave({"matters": [m]}, ORG, interpretations=interp)
    return sorted((f.kind, str(f.facts["recipient"])) for f in r.findings)


def test_a_matter_with_a_field_goes_to_that_field_s_vice_mayor_only(policy: Policy) -> None:
    # 吴副主任 reports to 陈副区长 (公安, 司法) and 杨副区长 (民政, ...): on main both were owed.
    assert found(policy, matter("公安", "陈副区长")) == []
    assert found(policy, matter("民政", "陈副区长")) == [
        ("matter_not_asked", "杨副区长"),
        ("matter_not_reported", "杨副区长"),
    ]


def test_a_matter_without_a_field_goes_to_any_one_of_them(policy: Policy) -> None:
    assert found(policy, matter(None, "杨副区长")) == []
    assert found(policy, matter(None)) == [
        ("matter_not_asked", "杨副区长"),
        ("matter_not_asked", "陈副区长"),
        ("matter_not_reported", "杨副区长"),
        ("matter_not_reported", "陈副区长"),
    ]
    strict = found(policy, matter(None, "杨副区长"), any_one_in_charge=False)
    assert strict == [("matter_not_asked", "陈副区长"), ("matter_not_reported", "陈副区长")]


def test_the_director_report_is_its_own_check(policy: Policy) -> None:
    m = matter("公安", "陈副区长", director_needed=True)
    assert found(policy, m) == [("matter_not_reported", "赵主任")]
    r = policy.check_leave({"matters": [m]}, ORG)
    (finding,) = r.findings
    assert finding.rule == "a38.3"


def test_a_field_nobody_covers_is_bad_input(policy: Policy) -> None:
    with pytest.raises(InputError) as caught:
        policy.check_leave({"matters": [matter("公按", "陈副区长")]}, ORG)
    assert "公按" in caught.value.render("zh") and "公安" in caught.value.render("en")
