"""Articles 25, 39 and 45 on plans: the acting table, repairs (--suggest), the year plan."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.engine import Policy
from govrules.errors import CalendarError, InputError
from govrules.inputs import load_org, load_plan
from govrules.repair import Suggestion
from govrules.resources import bundled_org_file, bundled_policy_dir

YEAR_PLAN = bundled_policy_dir() / "examples" / "plan-2021.yaml"
ORG = load_org(bundled_org_file())
BOUND = {"赵主任", "钱副主任", "孙副主任", "周副主任", "吴副主任"}


def _reported(who: str, start: str) -> list[dict[str, str]]:
    """Advance reports to everyone `who` owes one, two days before `start`."""
    to = {
        "赵主任": ["张区长", "李副区长"],
        "钱副主任": ["王副区长", "赵主任"],
        "孙副主任": ["李副区长", "赵主任"],
        "周副主任": ["刘副区长", "赵主任"],
        "吴副主任": ["陈副区长", "杨副区长", "赵主任"],
    }.get(who, [])
    on = (date.fromisoformat(start) - timedelta(days=2)).isoformat()
    return [{"to": q, "on": on} for q in to]


def absence(who: str, kind: str, start: str, end: str) -> dict[str, Any]:
    return {"who": who, "kind": kind, "from": start, "to": end, "reported": _reported(who, start)}


def _away(plan: Any) -> dict[str, list[tuple[date, date]]]:
    """Who is away when, as planned."""
    out: dict[str, list[tuple[date, date]]] = {}
    for a in plan.absences:
        out.setdefault(a.who, []).append((a.from_, a.to))
    return out


# ---- the acting table -------------------------------------------------------------------


def test_acting_rows_are_working_days_only(policy: Policy) -> None:
    # 2021-09-26 (Sunday) was a make-up working day; 2021-10-01..07 the National Day holiday.
    plan = {"absences": [absence("赵主任", "business_trip", "2021-09-24", "2021-10-08")]}
    rows = policy.check_leave(plan, ORG).acting
    days = [r["date"] for r in rows]
    september = ["2021-09-24", "2021-09-26", "2021-09-27", "2021-09-28", "2021-09-29"]
    assert days == [*september, "2021-09-30", "2021-10-08"]
    assert {(r["post"], r["acting"], r["article"], r["rule"]) for r in rows} == {
        ("office_director", "钱副主任", 25, "a25.2")
    }


def test_acting_table_is_sorted_and_deterministic(policy: Policy) -> None:
    first = policy.check_leave(YEAR_PLAN, ORG).to_json("en")
    assert first == policy.check_leave(YEAR_PLAN, ORG).to_json("en")
    rows = json.loads(first)["acting"]
    keys = [(r["date"], r["post"], r["absent"], r["acting"]) for r in rows]
    assert keys == sorted(keys) and len(keys) == len(set(keys))


def test_a_year_without_calendar_data_is_refused_clearly(policy: Policy) -> None:
    plan = {"absences": [absence("赵主任", "business_trip", "2031-03-03", "2031-03-04")]}
    with pytest.raises(CalendarError) as caught:
        policy.check_leave(plan, ORG)
    assert "2031" in caught.value.message.zh and "2031" in caught.value.message.en


def test_meeting_and_matter_dates_are_in_the_in_force_answer(policy: Policy) -> None:
    plan = {
        "meetings": [{"on": "2020-12-10", "attendees": ["赵主任"]}],
        "matters": [{"who": "钱副主任", "subject": "x", "on": "2021-02-01", "important": False}],
    }
    in_force = policy.check_leave(plan, ORG).in_force.to_json()
    assert in_force["dates"] == {"2020-12-10": False, "2021-02-01": True}


def test_meeting_log_names_people_of_the_organisation(policy: Policy) -> None:
    plan = {"meetings": [{"on": "2021-02-01", "attendees": ["赵主人"]}]}
    with pytest.raises(InputError) as caught:
        policy.check_leave(plan, ORG)
    assert "meetings[0].attendees[0]" in caught.value.render("en")
    assert "赵主任" in caught.value.message.en  # did you mean


# ---- suggestions ------------------------------------------------------------------------


def _check_repair(policy: Policy, plan: Any, s: Suggestion, window: int, **interp: bool) -> None:
    """What every found repair must satisfy, whatever the plan."""
    assert s.found and s.repaired_plan is not None and s.after is not None
    again = policy.check_leave(s.repaired_plan, ORG, interpretations=interp)
    assert again.compliant and again.findings == s.after.findings
    original = load_plan(plan, ORG) if not hasattr(plan, "absences") else plan
    calendar = policy.calendar
    for old, new in zip(original.absences, s.repaired_plan.absences, strict=True):
        assert (old.who, old.kind) == (new.who, new.kind)
        if (old.from_, old.to) != (new.from_, new.to):
            assert old.kind == "vacation" and old.who in BOUND
            shift = (new.from_ - old.from_).days
            assert 0 < abs(shift) <= window and (new.to - old.to).days == shift
            assert calendar.is_workday(new.from_)
        added = set(new.reported) - set(old.reported)
        assert all(r.on < new.from_ for r in added)
    moves = [c for c in s.changes if c.kind == "move"]
    assert s.days_moved == sum(abs(c.days) for c in moves)
    assert s.people_moved == len({c.who for c in moves})


def test_year_plan_is_checked_and_repaired(policy: Policy) -> None:
    before = policy.check_leave(YEAR_PLAN, ORG)
    kinds = sorted({(f.article, f.kind) for f in before.findings if f.severity == "violation"})
    assert kinds == [
        (25, "no_acting"),
        (39, "absent_together"),
        (39, "report_missing"),
    ]
    s = policy.suggest_leave(YEAR_PLAN, ORG)
    _check_repair(policy, load_plan(YEAR_PLAN, ORG), s, 14)
    assert s.optimal
    # Every absence a violation names, and only vacations of office staff, is moved.
    moved = {c.absence for c in s.changes if c.kind == "move"}
    assert moved and all(c.reason.zh for c in s.changes)
    # Grounding stays small for a year of a 13-person office (figure in the final report).
    assert 0 < s.statistics["rules"] < 20_000
    warnings = [f.kind for f in s.after.findings] if s.after else []
    assert warnings == ["meeting_missed"]


def test_suggest_moves_the_fewest_days(policy: Policy) -> None:
    # A 5-day vacation overlapping the vice-mayor's 2 days: the cheapest move is found by
    # trying every shift in the window.
    deputy = absence("钱副主任", "vacation", "2021-03-01", "2021-03-05")
    vice = absence("王副区长", "vacation", "2021-03-03", "2021-03-04")
    plan = {"absences": [deputy, vice]}
    s = policy.suggest_leave(plan, ORG, window=14)
    _check_repair(policy, plan, s, 14)
    best = None
    for shift in range(-14, 15):
        start = date(2021, 3, 1) + timedelta(days=shift)
        moved = absence(
            "钱副主任", "vacation", start.isoformat(), (start + timedelta(4)).isoformat()
        )
        trial = policy.check_leave({"absences": [moved, vice]}, ORG)
        clash = any(f.kind == "absent_together" for f in trial.findings)
        same_days = policy.calendar.working_days_between(
            start - timedelta(1), start + timedelta(4)
        ) == policy.calendar.working_days_between(date(2021, 2, 28), date(2021, 3, 5))
        if not clash and policy.calendar.is_workday(start) and same_days:
            best = abs(shift) if best is None else min(best, abs(shift))
    assert s.days_moved == best


def test_no_repair_when_only_fixed_absences_clash(policy: Policy) -> None:
    trip = absence("钱副主任", "business_trip", "2021-03-01", "2021-03-05")
    vice = absence("王副区长", "vacation", "2021-03-03", "2021-03-04")
    s = policy.suggest_leave(
        {"absences": [trip, vice]}, ORG, interpretations={"any_absence_together": True}
    )
    assert not s.found and s.reason is not None and "--window" in s.reason.en
    assert s.to_dict("en")["found"] is False


def test_a_compliant_plan_needs_no_change(policy: Policy) -> None:
    plan = {"absences": [absence("孙副主任", "vacation", "2021-05-10", "2021-05-12")]}
    s = policy.suggest_leave(plan, ORG)
    assert s.found and s.changes == [] and s.days_moved == 0


def test_window_is_validated(policy: Policy) -> None:
    with pytest.raises(InputError):
        policy.suggest_leave({"absences": []}, ORG, window=-1)


# ---- properties -------------------------------------------------------------------------

PEOPLE = [
    "张区长",
    "王副区长",
    "刘副区长",
    "赵主任",
    "钱副主任",
    "孙副主任",
    "周副主任",
    "吴副主任",
]
KINDS = ["vacation", "vacation", "business_trip", "sick", "personal"]


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        who = draw(st.sampled_from(PEOPLE))
        start = date(2021, 3, 1) + timedelta(days=draw(st.integers(0, 40)))
        end = start + timedelta(days=draw(st.integers(0, 6)))
        item = absence(who, draw(st.sampled_from(KINDS)), start.isoformat(), end.isoformat())
        if draw(st.booleans()):
            item["reported"] = item["reported"][:1]
        out.append(item)
    return {"absences": out}


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plans(), st.sampled_from([0, 3, 10]))
def test_every_repair_rechecks_and_no_acting_person_is_away(
    policy: Policy, plan: dict[str, Any], window: int
) -> None:
    model = load_plan(plan, ORG)
    result = policy.check_leave(model, ORG)
    away = _away(model)
    for row in result.acting:
        day = date.fromisoformat(row["date"])
        assert not any(f <= day <= t for f, t in away.get(row["acting"], []))
        assert any(f <= day <= t for f, t in away[row["absent"]])
        assert policy.calendar.is_workday(day)
    s = policy.suggest_leave(model, ORG, window=window)
    if s.found:
        _check_repair(policy, model, s, window)
    else:
        assert s.reason is not None


def test_cli_suggest_exit_status_and_json(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from govrules.cli.main import cli

    runner = CliRunner()
    ok = runner.invoke(cli, ["leave", str(YEAR_PLAN), "--suggest", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["found"] and data["after"]["compliant"] and data["changes"]
    again = runner.invoke(cli, ["leave", str(YEAR_PLAN), "--suggest", "--format", "json"])
    assert again.output == ok.output
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "absences:\n"
        "  - {who: 钱副主任, kind: business_trip, from: 2021-03-01, to: 2021-03-05}\n"
        "  - {who: 王副区长, kind: vacation, from: 2021-03-03, to: 2021-03-04}\n",
        encoding="utf-8",
    )
    none = runner.invoke(
        cli, ["leave", str(plan), "--suggest", "-i", "any_absence_together=on", "--lang", "en"]
    )
    assert none.exit_code == 1 and "No repair" in none.output
    bad = runner.invoke(cli, ["leave", str(plan), "--suggest", "--window", "1000"])
    assert bad.exit_code == 2


def test_cli_leave_takes_a_calendar_for_uncovered_years(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from govrules.cli.main import cli

    plan = tmp_path / "p.yaml"
    plan.write_text(
        "absences:\n  - {who: 赵主任, kind: business_trip, from: 2031-03-03, to: 2031-03-04,\n"
        "     reported: [{to: 张区长, on: 2031-02-28}, {to: 李副区长, on: 2031-02-28}]}\n",
        encoding="utf-8",
    )
    calendar = tmp_path / "c.yaml"
    calendar.write_text("years:\n  2031:\n    holidays: [2031-03-04]\n", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli, ["leave", str(plan)])
    assert refused.exit_code == 2 and "2031" in refused.output
    ok = runner.invoke(cli, ["leave", str(plan), "--calendar", str(calendar), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert [r["date"] for r in json.loads(ok.output)["acting"]] == ["2031-03-03"]


def test_an_ad_hoc_meeting_needs_its_caller(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from govrules.cli.main import cli

    plan = tmp_path / "p.yaml"
    plan.write_text("meetings:\n  - {on: 2021-03-01, kind: ad_hoc}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["leave", str(plan), "--lang", "en"])
    assert result.exit_code == 2
    assert "p.yaml:2" in result.output and "called_by" in result.output
    assert "Traceback" not in result.output


def test_suggest_grounding_grows_linearly_with_the_plan(policy: Policy) -> None:
    """Two years of the same plan ground to about twice the program of one year."""
    from govrules.inputs import Plan

    year = load_plan(YEAR_PLAN, ORG)

    def repeated(years: int) -> Plan:
        out = []
        for k in range(years):
            shift = timedelta(days=364 * k)  # whole weeks: the same weekdays
            for a in year.absences:
                reports = tuple(r.model_copy(update={"on": r.on + shift}) for r in a.reported)
                out.append(
                    a.model_copy(
                        update={"from_": a.from_ + shift, "to": a.to + shift, "reported": reports}
                    )
                )
        return Plan(absences=tuple(out))

    one = policy.suggest_leave(repeated(1), ORG)
    two = policy.suggest_leave(repeated(2), ORG)
    assert one.found and two.found and two.days_moved >= one.days_moved
    ratio = two.statistics["rules"] / one.statistics["rules"]
    assert 1.5 < ratio < 2.3, (one.statistics, two.statistics)


def test_with_two_backups_the_post_is_uncovered_only_when_both_are_away(policy: Policy) -> None:
    org = load_org(
        {
            "district": "测试区",
            "people": [
                {"name": "区长", "roles": ["mayor"]},
                {"name": "主任", "roles": ["office_director"]},
                {"name": "甲", "roles": ["deputy_director"], "backup": ["乙", "丙"]},
                {"name": "乙", "roles": ["deputy_director"]},
                {"name": "丙", "roles": ["deputy_director"]},
            ],
        }
    )

    def away(who: str, start: str, end: str) -> dict[str, Any]:
        on = (date.fromisoformat(start) - timedelta(days=3)).isoformat()
        return {"who": who, "kind": "business_trip", "from": start, "to": end,
                "reported": [{"to": "主任", "on": on}]}  # fmt: skip

    one = policy.check_leave(
        {
            "absences": [
                away("甲", "2021-06-07", "2021-06-11"),
                away("丙", "2021-06-07", "2021-06-09"),
            ]
        },
        org,
    )
    assert one.compliant
    assert [(r["date"], r["acting"]) for r in one.acting if r["absent"] == "甲"] == [
        ("2021-06-07", "乙"),  # 丙 comes first in name order, but is away
        ("2021-06-08", "乙"),
        ("2021-06-09", "乙"),
        ("2021-06-10", "丙"),
        ("2021-06-11", "丙"),
    ]
    both = policy.check_leave(
        {
            "absences": [
                away("甲", "2021-06-07", "2021-06-11"),
                away("乙", "2021-06-07", "2021-06-09"),
                away("丙", "2021-06-09", "2021-06-10"),
            ]
        },
        org,
    )
    gaps = [f.facts for f in both.findings if f.kind == "no_acting" and f.facts["person"] == "甲"]
    assert [(g["from"], g["to"]) for g in gaps] == [("2021-06-09", "2021-06-09")]
    assert "2021-06-09" not in [r["date"] for r in both.acting if r["absent"] == "甲"]


def test_absences_are_copied_only_for_people_a_clash_or_acting_post_concerns(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The leave kernel copies an absence (its in-force part, in_force_absence/5) only for
    someone a rule relates to another: the mayor's trips (related to no one by the bundled
    rules) are ground as facts alone, so a year of a big organisation is not copied."""
    import clingo

    grounded: list[list[clingo.Symbol]] = []
    ground = clingo.Control.ground

    def counting(self: clingo.Control, *args: Any, **kwargs: Any) -> None:
        ground(self, *args, **kwargs)
        grounded.append([a.symbol for a in self.symbolic_atoms.by_signature("in_force_absence", 5)])

    monkeypatch.setattr(clingo.Control, "ground", counting)
    trips = [
        {"who": who, "kind": "business_trip", "from": f"2021-02-0{k}", "to": f"2021-02-0{k}"}
        for who in ("张区长", "钱副主任")
        for k in (1, 2, 3)
    ]
    for window in (None, 3):
        grounded.clear()
        if window is None:
            policy.check_leave({"absences": trips}, org=ORG)
        else:
            policy.suggest_leave({"absences": trips}, ORG, window=window)
        copied = {str(s.arguments[1].string) for atoms in grounded for s in atoms}
        assert copied == {"钱副主任"}, (window, copied)


# ---- the working days a plan reads ------------------------------------------------------

DAYS_AROUND = st.dates(date(2020, 1, 1), date(2022, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    spans=st.lists(st.tuples(DAYS_AROUND, st.integers(0, 40)), max_size=8),
    window=st.integers(0, 30),
)
def test_the_working_day_span_covers_exactly_the_days_in_force_within_the_window(
    policy: Policy, spans: list[tuple[date, int]], window: int
) -> None:
    """Every day of an absence in force, `window` days either side, never before the rules
    came into force: by definition, day by day."""
    from govrules.presence import workday_span

    since = policy.text.in_force_from
    absences = [
        {
            "who": "钱副主任",
            "kind": "trip",
            "from": f.isoformat(),
            "to": (f + timedelta(d)).isoformat(),
        }
        for f, d in spans
    ]
    plan = load_plan({"absences": absences}, ORG)
    days = {
        day
        for f, d in spans
        for k in range(-window, d + window + 1)
        if (day := f + timedelta(k)) >= since and f + timedelta(d) >= since
    }
    expected = (min(days), max(days)) if days else None
    assert workday_span(policy, plan, window) == expected
