"""The bulk reader of a big plan's absences (`inputs.bulk`) against the models.

The bulk reader may decline anything. It must never accept a plan the models refuse, and
what it accepts must give the same facts, dates and people as the models' plan. Generated
plans mix valid values with the ones the two could read differently: names the models trim,
control characters, unknown people and kinds, labels for kinds, unit ids and display names,
dates as text, objects and numbers, dates out of order, extra and missing keys, explicit
nulls, tuples for lists.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govrules
from govrules.asp.facts import plan_rows, plan_tables, rows_by_predicate
from govrules.errors import InputError
from govrules.inputs import Organisation, Person, load_org, load_plan, read_source
from govrules.inputs.bulk import (
    AbsenceTable,
    TabledPlan,
    _values,
    absence_days,
    absentees,
    tabled_plan,
)
from govrules.inputs.plain import plain
from govrules.presence import plan_dates, workday_span
from govrules.results import dump

EXAMPLES = Path(__file__).resolve().parents[2] / "policy" / "xihu-office-2020" / "examples"
POLICY = govrules.load_policy()
ORG = load_org(EXAMPLES / "org.yaml")
VOCABULARY = POLICY.vocabulary
PEOPLE = [p.name for p in ORG.people]
UNITS = [*ORG.units, *ORG.units.values()]

_PERSON = st.sampled_from(PEOPLE)
_WORDS = VOCABULARY.words("absence")
_DAYS = st.dates(min_value=date(2020, 12, 20), max_value=date(2021, 3, 10))
_DAY = st.one_of(_DAYS.map(date.isoformat), _DAYS)

# Values the two readers could take differently, each its own choice (a value drawn from
# a union of unions would come up too rarely to find a mistake).
ODD_NAMES = st.one_of(
    _PERSON.map(lambda n: f" {n}"),
    _PERSON.map(lambda n: f"{n}\u3000"),  # a full-width space: trimmed
    _PERSON.map(lambda n: f"{n}\x1c"),  # Python trims it; pydantic does not
    st.sampled_from(["无名氏", "", "a\x00b", "x" * 201, "a\u2028b", "张区长\n", "秘书股 "]),
    st.sampled_from([1, None, True, ["张区长"], 1.5]),
)
ODD_KINDS = st.one_of(
    st.sampled_from([w.label_en for w in _WORDS]),
    st.sampled_from(["holiday", " vacation", "vacation ", "", 3, None]),
)
ODD_DATES = st.one_of(
    _DAYS.map(lambda d: f"{d.year}-{d.month}-{d.day}"),  # one digit: the pattern takes it
    _DAYS.map(lambda d: f" {d.isoformat()} "),
    _DAYS.map(lambda d: datetime(d.year, d.month, d.day)),
    st.sampled_from(["2021-02-30", "2021-13-01", "20210105", 20210105, None, "", "2021/01/05"]),
    st.sampled_from([datetime(2021, 1, 5, 9, 30), [2021, 1, 5], {"y": 2021}]),
)
_REPORT = st.fixed_dictionaries({"to": st.one_of(_PERSON, st.sampled_from(UNITS)), "on": _DAY})


@st.composite
def _absence(draw: st.DrawFn) -> Any:
    """A valid absence, or one changed in one place (one in three)."""
    first = draw(_DAYS)
    last = draw(_DAYS.filter(lambda d: d >= first))
    entry: dict[Any, Any] = {
        "who": draw(_PERSON),
        "kind": draw(st.sampled_from([w.ident for w in _WORDS] + [w.label_zh for w in _WORDS])),
        "from": draw(st.sampled_from([first, first.isoformat()])),
        "to": draw(st.sampled_from([last, last.isoformat()])),
    }
    if draw(st.booleans()):
        entry["reported"] = draw(st.lists(_REPORT, max_size=3))
    change = draw(st.sampled_from(["none"] * 26 + [
        "who", "kind", "from", "to", "swap", "reported", "report to", "report on",
        "report key", "report extra", "missing", "extra", "not a mapping",
    ]))  # fmt: skip
    reports = entry.get("reported")
    if change in ("who", "kind", "from", "to"):
        odd = {"who": ODD_NAMES, "kind": ODD_KINDS, "from": ODD_DATES, "to": ODD_DATES}
        entry[change] = draw(odd[change])
    elif change == "swap":
        entry["from"], entry["to"] = entry["to"], draw(_DAYS.filter(lambda d: d < first))
    elif change == "reported":
        entry["reported"] = draw(
            st.sampled_from([None, {}, "张区长", (), ({"to": "张区长", "on": "2021-01-01"},)])
        )
    elif change.startswith("report") and reports:
        report = draw(st.sampled_from(reports))
        if change == "report to":
            report["to"] = draw(ODD_NAMES)
        elif change == "report on":
            report["on"] = draw(ODD_DATES)
        elif change == "report key":
            del report[draw(st.sampled_from(["to", "on"]))]
        else:
            report[draw(st.sampled_from(["by", 1, "from"]))] = "x"
        if draw(st.booleans()):  # or not a mapping at all
            reports[reports.index(report)] = draw(st.sampled_from([None, "张区长", ["张区长"]]))
    elif change == "missing":
        del entry[draw(st.sampled_from(["who", "kind", "from", "to"]))]
    elif change == "extra":
        entry[draw(st.sampled_from(["from_", "note", 1]))] = draw(_DAY)
    elif change == "not a mapping":
        return draw(st.sampled_from([[entry], None, "张区长"]))
    return entry


@st.composite
def _plans(draw: st.DrawFn) -> dict[str, Any]:
    plan: dict[str, Any] = {"absences": draw(st.lists(_absence(), min_size=1, max_size=6))}
    if draw(st.booleans()):
        plan["meetings"] = [{"on": "2021-01-04", "attendees": ["张区长"]}]
    if draw(st.booleans()):
        plan["period"] = {"from": "2021-01-01", "to": "2021-02-28"}
    if draw(st.sampled_from([False] * 8 + [True])):
        plan["extra"] = 1
    return plan


def _models(data: dict[str, Any]) -> Any:
    return _models_of(data, ORG)


def _typed(tables: dict[tuple[str, int], list[Any]]) -> dict[tuple[str, int], list[Any]]:
    """Rows with each value's type: a constant (`Name`) and a string of the same text are
    equal as Python values, not as facts."""
    return {sig: [tuple((type(v), v) for v in row) for row in rows] for sig, rows in tables.items()}


def _assert_same(tabled: TabledPlan, model: Any) -> None:
    assert not isinstance(model, InputError), f"bulk accepted what the models refuse: {model}"
    assert list(plan_rows(tabled)) == list(plan_rows(model))
    assert _typed(plan_tables(tabled)) == _typed(rows_by_predicate(plan_rows(model)))
    assert plan_dates(tabled) == plan_dates(model)
    assert workday_span(POLICY, tabled, 3) == workday_span(POLICY, model, 3)
    assert list(absence_days(tabled)) == list(absence_days(model))
    assert Counter(absentees(tabled)) == Counter(absentees(model))
    assert len(tabled.absences) == len(model.absences)
    assert (tabled.period, tabled.meetings, tabled.matters) == (
        model.period,
        model.meetings,
        model.matters,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_plans())
def test_bulk_accepts_only_what_the_models_accept_and_reads_it_alike(data: dict[str, Any]) -> None:
    tabled = tabled_plan(data, ORG, VOCABULARY, 0)
    model = _models(data)
    if tabled is not None:
        _assert_same(tabled, model)


_BASE = {"who": "钱副主任", "kind": "vacation", "from": "2021-01-04", "to": "2021-01-08"}
_REPORTED = [{"to": "赵主任", "on": "2021-01-01"}, {"to": "secretariat", "on": "2021-01-02"}]
# Each a change to one absence of a valid plan; the models refuse most of them.
ONE_CHANGE: list[tuple[Any, Any]] = [
    ("who", "无名氏"), ("who", " 钱副主任"), ("who", "钱副主任\u3000"), ("who", "钱副主任\x1c"),
    ("who", ""), ("who", 1), ("who", None), ("who", ["钱副主任"]), ("who", "x" * 201),
    ("kind", "holiday"), ("kind", "休假"), ("kind", "Vacation"), ("kind", " vacation"),
    ("kind", 3), ("from", "2021-02-30"), ("from", "2021-1-4"), ("from", " 2021-01-04 "),
    ("from", date(2021, 1, 4)), ("from", datetime(2021, 1, 4)), ("from", 20210104),
    ("from", datetime(2021, 1, 4, 9)), ("from", [2021, 1, 4]), ("from", None),
    ("to", "2021-01-03"), ("to", "2020-12-31"), ("reported", None), ("reported", {}),
    ("reported", "赵主任"), ("reported", ()), ("reported", []),
    ("reported", [{"to": "无名氏", "on": "2021-01-01"}]),
    ("reported", [{"to": "秘书股", "on": "2021-01-01"}]),
    ("reported", [{"to": "secretariat ", "on": "2021-01-01"}]),
    ("reported", [{"to": "赵主任"}]), ("reported", [{"on": "2021-01-01"}]),
    ("reported", [{"to": "赵主任", "on": "2021-01-01", "by": "x"}]),
    ("reported", [{"to": "赵主任", "on": "2021-01-01", 1: "x"}]),
    ("reported", [{"to": "赵主任", "on": "2021-02-30"}]), ("reported", [None]),
    ("reported", [["赵主任", "2021-01-01"]]), ("reported", [{"to": 1, "on": "2021-01-01"}]),
    ("from_", "2021-01-04"), ("note", "x"), (1, "x"), ("who", KeyError), ("to", KeyError),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value"), ONE_CHANGE, ids=repr)
def test_one_change_is_declined_or_read_alike(key: Any, value: Any) -> None:
    absence = {**_BASE, "reported": [dict(r) for r in _REPORTED]}
    if value is KeyError:
        del absence[key]
    else:
        absence[key] = value
    data = {"absences": [_BASE, absence, {**_BASE, "who": "孙副主任"}]}
    model, tabled = _models(data), tabled_plan(data, ORG, VOCABULARY, 0)
    if isinstance(model, InputError):
        assert tabled is None
    elif tabled is not None:
        _assert_same(tabled, model)
    assert tabled_plan({"absences": [_BASE, _BASE]}, ORG, VOCABULARY, 0) is not None


def _untrimmed(value: Any) -> bool:
    return isinstance(value, str) and value == value.strip()


def _plainly_written(absence: Any) -> bool:
    """Nothing the bulk reader declines by design though the models may take it: a key
    `from_`, a name with spaces around it, a date as a datetime, a tuple for a list."""
    if type(absence) is not dict or "from_" in absence:
        return False
    reports = absence.get("reported", [])
    return (
        all(_untrimmed(absence.get(k)) for k in ("who", "kind"))
        and all(type(absence.get(k)) in (str, date) for k in ("from", "to"))
        and type(reports) is list
        and all(
            type(r) is dict and _untrimmed(r.get("to")) and type(r.get("on")) in (str, date)
            for r in reports
        )
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(_absence(), min_size=1, max_size=6))
def test_valid_absences_are_accepted(absences: list[Any]) -> None:
    """The reader is not a refusal in disguise: a plan the models accept, with nothing
    the reader is documented to decline, is read as columns."""
    data = {"absences": absences}
    model = _models(data)
    tabled = tabled_plan(data, ORG, VOCABULARY, 0)
    if not isinstance(model, InputError) and all(map(_plainly_written, absences)):
        assert tabled is not None
        _assert_same(tabled, model)


@settings(max_examples=100, deadline=None)
@given(st.lists(_absence(), min_size=1, max_size=6))
def test_the_values_counted_are_the_walks(absences: list[Any]) -> None:
    """The bulk reader counts an accepted plan's values as `inputs.plain` does, for the
    budget against billion laughs."""
    data = {"absences": absences}
    tabled = tabled_plan(data, ORG, VOCABULARY, 0)
    if tabled is None:
        return
    budget = [10**9]
    plain(absences, "t", budget)
    reports = sum(len(r) for r in tabled.absences.reported)
    assert _values(absences, reports) == 10**9 - budget[0]


def test_a_year_of_a_generated_organisation_is_read_alike() -> None:
    from bench import gen

    org_data = gen.organisation(300)
    plan_data = gen.year_plan(org_data)
    org = load_org(org_data)
    tabled = tabled_plan(plan_data, org, VOCABULARY, 2_000)
    assert isinstance(tabled, TabledPlan) and isinstance(tabled.absences, AbsenceTable)
    assert len(tabled.absences) >= 2_000
    assert list(plan_rows(tabled)) == list(plan_rows(load_plan(plan_data, org, VOCABULARY)))


def test_fewer_absences_than_the_threshold_are_left_to_the_models() -> None:
    data = {
        "absences": [{"who": "张区长", "kind": "出差", "from": "2021-01-04", "to": "2021-01-04"}]
    }
    assert tabled_plan(data, ORG, VOCABULARY, 2) is None
    assert tabled_plan(data, ORG, VOCABULARY, 1) is not None


@pytest.mark.parametrize("name", ["plan.yaml", "plan-2021.yaml"])
def test_a_source_read_from_a_file_is_read_alike(name: str, tmp_path: Path) -> None:
    source = read_source(EXAMPLES / name)
    tabled = tabled_plan(source, ORG, VOCABULARY, 0)
    assert tabled is not None
    _assert_same(tabled, load_plan(EXAMPLES / name, ORG, VOCABULARY))
    as_json = tmp_path / "plan.json"
    as_json.write_text(json.dumps(source.data, ensure_ascii=False), encoding="utf-8")
    again = tabled_plan(read_source(as_json), ORG, VOCABULARY, 0)
    assert again is not None and list(plan_rows(again)) == list(plan_rows(tabled))


def _answer(policy: govrules.Policy, plan: Any) -> str:
    try:
        return dump(policy.check_leave(plan, org=ORG).to_dict("en"))
    except InputError as error:
        return error.render("en")


@pytest.mark.parametrize("name", ["plan.yaml", "plan-2021.yaml"])
def test_check_leave_answers_alike_either_way(name: str) -> None:
    """The whole answer, byte for byte, and any refusal word for word, with the bulk
    reader on for every plan and off; each bad plan is refused alike."""
    bulk, models = govrules.load_policy(), govrules.load_policy()
    bulk.bulk_from, models.bulk_from = 0, None
    data = read_source(EXAMPLES / name).data
    first = data["absences"][0]
    bad = [
        data,
        {**data, "absences": [{**first, "who": "无名氏"}, *data["absences"]]},
        {**data, "absences": [*data["absences"], {**first, "from": "2021-02-30"}]},
        {**data, "absences": [*data["absences"], {**first, "kind": "holiday"}]},
        {**data, "absences": [*data["absences"], {**first, "to": "2020-01-01"}]},
        {**data, "absences": [*data["absences"], {**first, "reported": None}]},
        {**data, "extra": 1},
    ]
    for plan in bad:
        assert _answer(bulk, plan) == _answer(models, plan)
    assert _answer(bulk, EXAMPLES / name) == _answer(models, EXAMPLES / name)


def test_check_leave_reads_a_big_plan_as_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check_leave` takes the bulk path from `bulk_from` absences (and only a plain check:
    an explanation reads the models)."""
    import govrules.presence as presence

    seen: list[str] = []
    original = presence.leave_result

    def spy(policy: Any, plan: Any, *args: Any) -> Any:
        seen.append(type(plan).__name__)
        return original(policy, plan, *args)

    monkeypatch.setattr(presence, "leave_result", spy)
    policy = govrules.load_policy()
    data = read_source(EXAMPLES / "plan-2021.yaml").data
    size = len(data["absences"])
    policy.bulk_from = size
    policy.check_leave(data, org=ORG)
    policy.check_leave(data, org=ORG, explain=True)
    policy.bulk_from = size + 1
    policy.check_leave(data, org=ORG)
    assert seen == ["TabledPlan", "Plan", "Plan"]


class _Key(str, Enum):  # noqa: UP042  (a StrEnum's str() is its text: not this case)
    """A key equal to the text it stands for, whose str() is not that text: `plain` writes
    it as 'Key.who', which the models do not know (found by an adversarial review)."""

    absences = "absences"
    who = "who"
    on = "on"


@pytest.mark.parametrize("where", ["plan", "absence", "report"])
def test_a_key_that_is_not_exactly_text_is_declined(where: str) -> None:
    absence: dict[Any, Any] = {**_BASE, "reported": [dict(_REPORTED[0])]}
    data: dict[Any, Any] = {"absences": [absence]}
    if where == "plan":
        data = {_Key.absences: [absence]}
    elif where == "absence":
        absence[_Key.who] = absence.pop("who")
    else:
        absence["reported"] = [{"to": "赵主任", _Key.on: "2021-01-01"}]
    assert isinstance(_models(data), InputError)
    assert tabled_plan(data, ORG, VOCABULARY, 0) is None


def test_an_organisation_built_without_validation_gets_no_name_the_models_refuse() -> None:
    """Membership in the organisation is not taken as proof of a valid name: an
    organisation built in Python without validation may hold a lone surrogate; a unit
    whose display name is empty keeps it, as `units_by_name` does (a review found both)."""
    people = [*ORG.people, Person.model_construct(name="张\ud800", roles=("mayor",))]
    odd = Organisation.model_construct(district="x", people=tuple(people), units={"empty": ""})
    bad = {"absences": [{**_BASE, "who": "张\ud800"}]}
    assert isinstance(_models_of(bad, odd), InputError)
    assert tabled_plan(bad, odd, VOCABULARY, 0) is None
    to_unit = {"absences": [{**_BASE, "reported": [{"to": "empty", "on": "2021-01-01"}]}]}
    tabled, model = tabled_plan(to_unit, odd, VOCABULARY, 0), _models_of(to_unit, odd)
    assert tabled is not None and not isinstance(model, InputError)
    assert list(plan_rows(tabled)) == list(plan_rows(model))


def _models_of(data: dict[str, Any], org: Organisation) -> Any:
    try:
        return load_plan(data, org, VOCABULARY)
    except InputError as error:
        return error
