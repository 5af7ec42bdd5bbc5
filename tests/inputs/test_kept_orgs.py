"""An organisation sent as data with every question is loaded once (`inputs.kept`): the
same content gives the same model, any change gives a fresh load, and every load warns as
a fresh one would."""

from __future__ import annotations

import copy
import enum
import threading
import traceback
import warnings
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.engine import Policy
from govrules.errors import GovrulesError, InputWarning
from govrules.inputs import load_org, loaders
from govrules.inputs.kept import KEEP_VALUES_UP_TO, content_key
from govrules.resources import bundled_org_file, bundled_policy_dir

ORG: dict[str, Any] = {
    "district": "测试区",
    "people": [
        {"name": "张区长", "roles": ["mayor"]},
        {"name": "王副区长", "roles": ["vice_mayor"], "fields": ["教育"]},
        {"name": "钱副主任", "roles": ["deputy_director"], "fields": ["教育"]},
        {"name": "Аlice", "roles": ["office_director"]},  # a Cyrillic А: warned
    ],
    "units": {"office": "办公室", "finance": "财政局"},
}


def _warned(data: Any) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        org = load_org(data)
    return org, [str(w.message) for w in caught if isinstance(w.message, InputWarning)]


def test_the_same_content_is_the_same_model_and_warns_every_time() -> None:
    first, warned = _warned(copy.deepcopy(ORG))
    again, warned_again = _warned(copy.deepcopy(ORG))
    assert again is first
    assert warned and warned_again == warned


def test_changed_content_is_loaded_afresh() -> None:
    data = copy.deepcopy(ORG)
    first = load_org(data)
    data["people"][1]["fields"].append("卫生")  # the caller's dict, changed in place
    changed = load_org(data)
    assert changed is not first and changed.people[1].fields == ("教育", "卫生")
    reordered = {**ORG, "units": dict(reversed(list(ORG["units"].items())))}
    other = load_org(reordered)  # key order can matter: not the same content
    assert other is not load_org(copy.deepcopy(ORG))
    assert list(other.units) == ["finance", "office"]


class _Role(enum.StrEnum):
    MAYOR = "mayor"


def test_data_that_is_not_plain_json_or_too_big_is_not_kept() -> None:
    assert content_key(copy.deepcopy(ORG)) is not None
    dated = copy.deepcopy(ORG)
    dated["people"][0]["since"] = date(2021, 1, 1)  # a Python caller's date: no key
    assert content_key(dated) is None
    assert content_key(bundled_org_file()) is None  # a path: its file may change
    # Data the loader reads otherwise than its JSON text says: never keyed, so never
    # taken for the plain data that has the same JSON text.
    as_enum = copy.deepcopy(ORG)
    as_enum["people"][0]["roles"] = [_Role.MAYOR]
    assert content_key(as_enum) is None
    numbered = {**copy.deepcopy(ORG), "units": {1: "办公室"}}
    assert content_key(numbered) is None
    load_org({**copy.deepcopy(ORG), "units": {"1": "办公室"}})
    with pytest.raises(GovrulesError):
        load_org(numbered)  # refused as it would be by a fresh load
    tupled = {**copy.deepcopy(ORG), "people": tuple(ORG["people"])}
    assert content_key(tupled) is None
    per_person = 4  # the person's mapping, its name, its list of roles, the role
    big = {
        "district": "测试区",
        "people": [
            {"name": f"p{i}", "roles": ["staff"]}
            for i in range(KEEP_VALUES_UP_TO // per_person + 1)
        ],
    }
    assert content_key(big) is None


def test_every_load_warns_with_a_warning_of_its_own() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_org(copy.deepcopy(ORG))
        load_org(copy.deepcopy(ORG))
    found = [w.message for w in caught if isinstance(w.message, InputWarning)]
    assert len(found) == 2 and found[0] is not found[1] and str(found[0]) == str(found[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        for _ in range(3):
            with pytest.raises(InputWarning) as raised:
                load_org(copy.deepcopy(ORG))
            assert len(list(traceback.walk_tb(raised.value.__traceback__))) <= 3


_NAMES = st.sampled_from(["甲", "乙", "丙", "Аlice", "Alice", " 丁 ", "", "x\u202e"])
_PEOPLE = st.lists(
    st.fixed_dictionaries(
        {
            "name": _NAMES,
            "roles": st.lists(st.sampled_from(["mayor", "vice_mayor", 3]), max_size=2),
        },
        optional={"fields": st.lists(_NAMES, max_size=2), "backup": st.lists(_NAMES, max_size=1)},
    ),
    max_size=4,
)


def _outcome(data: Any) -> tuple[str, Any, list[str]]:
    try:
        org, warned = _warned(data)
    except GovrulesError as err:
        return "error", str(err), []
    return "org", org, warned


@settings(max_examples=150, deadline=None)
@given(people=_PEOPLE, units=st.dictionaries(_NAMES, _NAMES, max_size=2))
def test_a_kept_load_answers_as_a_fresh_load(people: list[Any], units: dict[str, str]) -> None:
    data = {"district": "测试区", "people": people, "units": units}
    loaders._ORGS.clear()
    fresh = _outcome(copy.deepcopy(data))
    kept = _outcome(copy.deepcopy(data))
    assert kept[0] == fresh[0] and kept[2] == fresh[2]
    if fresh[0] == "org":
        assert kept[1] is fresh[1]
        loaders._ORGS.clear()
        assert _outcome(copy.deepcopy(data))[1] == fresh[1]  # equal to a load never kept
    else:
        assert kept[1] == fresh[1]


def test_threads_loading_one_organisation_get_one_model() -> None:
    loaders._ORGS.clear()
    found: list[Any] = []
    errors: list[BaseException] = []

    def load() -> None:
        try:
            for _ in range(20):
                found.append(load_org(copy.deepcopy(ORG)))
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=load) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({id(org) for org in found}) == 1  # threads that raced keep the first
    assert all(org == found[0] for org in found)


def test_a_policy_keeps_what_it_works_out_for_an_organisation_sent_as_data(
    policy: Policy,
) -> None:
    """Sent as data with each question, the organisation is one model, so the policy's
    per-organisation facts and kept answers are found again."""
    from ruamel.yaml import YAML

    from govrules.resources import bundled_org_file

    yaml = YAML(typ="safe")
    org = yaml.load(bundled_org_file().read_text(encoding="utf-8"))
    doc = yaml.load(
        (bundled_policy_dir() / "examples" / "doc-incoming.yaml").read_text(encoding="utf-8")
    )
    answers = {policy.check(doc, org=copy.deepcopy(org)).to_json("en") for _ in range(3)}
    assert len(answers) == 1
    model = load_org(copy.deepcopy(org))
    entry = policy._entry(model)
    assert entry is not None and entry.checked and entry.facts is not None
