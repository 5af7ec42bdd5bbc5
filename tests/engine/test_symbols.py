"""User text enters clingo only as symbols and comes back out of a solve unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.asp.facts import fact, symbol_to_python, text
from govrules.asp.solve import solve
from govrules.engine import Policy
from govrules.errors import InputError

HOSTILE = [
    'x). #include "/etc/passwd". y(',
    "#const n=1.",
    "#show person/1.",
    ":- .",
    'a"b',
    "back\\slash\\",
    "new\nline",
    "tab\tand\rreturn",
    "\u202eright-to-left\u202c",
    "零宽\u200b字符",
    '副主任). person("x',
    "%* comment *%",
    "张区长",
]


def _round_trip(names: list[str]) -> list[str]:
    answer = solve("seen(X) :- person(X). #show seen/1.", [fact("person", text(n)) for n in names])
    return sorted(symbol_to_python(a.arguments[0]) for a in answer.atoms if a.name == "seen")


def test_hostile_names_come_back_unchanged() -> None:
    assert _round_trip(HOSTILE) == sorted(HOSTILE)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            st.characters(blacklist_characters="\0", blacklist_categories=["Cs"]),
            min_size=1,
            max_size=40,
        ),
        min_size=1,
        max_size=8,
        unique=True,
    )
)
def test_any_text_round_trips(names: list[str]) -> None:
    assert _round_trip(names) == sorted(names)


def test_nul_is_refused_not_truncated() -> None:
    """clingo strings end at NUL: such text must be refused, never silently cut short."""
    with pytest.raises(InputError) as caught:
        text("a\0b")
    assert caught.value.exit_code == 2
    assert "NUL" in caught.value.render("en")
    with pytest.raises(InputError):
        text("\ud800")


@pytest.mark.parametrize("evil", HOSTILE[:6])
def test_hostile_people_through_the_whole_engine(policy: Policy, evil: str) -> None:
    """A deputy whose name is ASP syntax is routed like any other deputy."""
    org = {
        "district": "测试区",
        "people": [
            {"name": "区长甲", "roles": ["mayor"]},
            {"name": "副区长乙", "roles": ["vice_mayor"], "fields": ["教育"]},
            {"name": "主任丙", "roles": ["office_director"]},
            {
                "name": evil.replace("\n", " ").replace("\t", " ").replace("\r", " "),
                "roles": ["deputy_director"],
                "fields": ["教育"],
            },
        ],
        "units": {"secretariat": "秘书股"},
    }
    name = org["people"][3]["name"]  # type: ignore[index]
    doc = {
        "document": {
            "id": "d",
            "kind": "outgoing",
            "in_name_of": "district_government",
            "fields": ["教育"],
        }
    }
    result = policy.route(doc, org)
    assert f"review:{name}" in [s.id for s in result.steps]
    assert result.order_count == 2
