"""`govrules calendar` and the calendar's sources: status, check, template, provisional
answers, the warning near the calendar's end, and every kind of bad calendar file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from govrules.calendars import ENV_DIR
from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"
LANGS = ["zh", "en"]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def template_2027(tmp_path: Path) -> Path:
    code, out, _ = run("calendar", "template", "2027")
    assert code == 0
    path = tmp_path / "2027.yaml"
    path.write_text(out, encoding="utf-8")
    return path


def official(path: Path) -> Path:
    """The template turned into an official arrangement: the mark removed, and (as a
    notice would) a bridge day and a make-up Saturday added."""
    text = path.read_text(encoding="utf-8").replace("    provisional: true\n", "")
    text = text.replace("元旦: [2027-01-01]", "元旦: [2027-01-01]\n      调休: [2027-02-09]")
    text = text.replace("workdays: []", "workdays: [2027-02-20]")
    out = path.with_name("official-2027.yaml")
    out.write_text(text, encoding="utf-8")
    return out


# ---- the "done when" -------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_year_end_deadline_on_a_provisional_template(template_2027: Path, lang: str) -> None:
    args = ("deadline", "2026-12-31", "--days", "1", "--calendar", str(template_2027))
    code, out, err = run(*args, "--lang", lang)
    first, note = out.splitlines()
    assert code == 0 and first == "2027-01-04" and err == ""
    assert "2027" in note and ("临时" in note if lang == "zh" else "provisional" in note)
    code, out, _ = run(*args, "--lang", lang, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["due"] == "2027-01-04"
    assert data["calendar"]["provisional_years"] == [2027]
    assert data["calendar"]["last_covered_day"] == "2027-12-31"


def test_spring_festival_2027_on_the_template(template_2027: Path) -> None:
    # 除夕 2027-02-05 (Fri) to 初三 02-08 (Mon) off: after Thursday 02-04 comes 02-09.
    code, out, _ = run("deadline", "2027-02-04", "--calendar", str(template_2027))
    assert code == 0 and out.splitlines()[0] == "2027-02-09"


def test_an_official_file_replaces_the_template_without_other_change(
    template_2027: Path,
) -> None:
    path = official(template_2027)
    code, out, _ = run("deadline", "2027-02-04", "--calendar", str(path), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["due"] == "2027-02-10" and "calendar" not in data  # 02-09 off
    code, out, _ = run("deadline", "2027-02-19", "--calendar", str(path))
    assert out == "2027-02-20（调休上班日）\n"


# ---- the warning near the end of the calendar --------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_date_near_the_last_covered_day_warns(lang: str) -> None:
    code, out, err = run("deadline", "2026-12-20", "--days", "3", "--lang", lang)
    assert code == 0 and out == "2026-12-23\n"
    assert "2026-12-31" in err and "govrules calendar template 2027 -o 2027.yaml" in err
    assert ("警告" if lang == "zh" else "warning") in err
    code, out, err = run("deadline", "2026-12-20", "-n", "3", "--lang", lang, "--format", "json")
    warnings = json.loads(out)["calendar"]["warnings"]
    assert len(warnings) == 1 and "2026-12-23" in warnings[0]


def test_no_warning_far_from_the_end(template_2027: Path) -> None:
    assert run("deadline", "2026-11-20") == (0, "2026-11-23\n", "")
    # With 2027 covered, late December 2026 is no longer near the end.
    code, _, err = run("deadline", "2026-12-20", "--calendar", str(template_2027))
    assert code == 0 and err == ""


# ---- answers of the engine ----------------------------------------------------------------


def _document(tmp_path: Path, received: str) -> Path:
    text = (EX / "doc-incoming.yaml").read_text(encoding="utf-8")
    text = re.sub(r"2021-09-29T09:00", f"{received}T09:00", text)
    text = text.split("trace:")[0]
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_says_it_used_a_provisional_year(tmp_path: Path, template_2027: Path) -> None:
    doc = _document(tmp_path, "2026-12-31")
    code, out, _ = run("check", str(doc), "--calendar", str(template_2027), "--format", "json")
    assert code in (0, 1) and json.loads(out)["calendar"]["provisional_years"] == [2027]
    _, text, _ = run("check", str(doc), "--calendar", str(template_2027), "--lang", "en")
    assert "the calendar of 2027 is provisional" in text
    # A route counts no working days, but its date is near the end of the calendar: warned.
    _, out, err = run("route", str(doc), "--format", "json", "--lang", "en")
    note = json.loads(out)["calendar"]
    assert note["provisional_years"] == [] and len(note["warnings"]) == 1
    assert "2026-12-31" in err and "warning" in err
    # Without 2027, the day before the year's end warns (and the deadline cannot be counted).
    code, _, err = run("check", str(doc), "--format", "json")
    assert code == 2 and "2027" in err


def test_api_results_carry_the_calendar_note(tmp_path: Path, template_2027: Path) -> None:
    from govrules.calendars import layered

    policy = Policy.load(bundled_policy_dir())
    policy.use_calendar(layered(policy.directory, template_2027))
    result = policy.check(_document(tmp_path, "2026-12-31"))
    assert result.calendar.provisional_years == (2027,)
    assert json.loads(result.to_json())["calendar"]["provisional_years"] == [2027]
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "absences:\n  - {who: 钱副主任, kind: vacation, from: 2027-02-01, to: 2027-02-03,"
        " reported: [{to: 王副区长, on: 2027-01-20}, {to: 赵主任, on: 2027-01-20}]}\n",
        encoding="utf-8",
    )
    leave = policy.check_leave(plan)
    assert leave.calendar.provisional_years == (2027,)
    assert json.loads(leave.to_json())["calendar"]["provisional_years"] == [2027]
    due = policy.deadline("2026-12-31", 1)
    assert due.due.isoformat() == "2027-01-04" and due.calendar.provisional_years == (2027,)
    old = policy.check(_document(tmp_path, "2021-09-29"))
    assert not old.calendar and "calendar" not in json.loads(old.to_json())


# ---- status and the sources' precedence -------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_status_of_the_bundled_calendar(lang: str) -> None:
    code, out, _ = run("calendar", "--lang", lang)
    assert code == 0 and (0, out, "") == run("calendar", "status", "--lang", lang)
    assert re.search(r"^2004–2026  (正式|official)  chinesecalendar \d", out, re.M)
    assert "GOVRULES_CALENDAR_DIR" in out and "2026-12-31" in out
    code, out, _ = run("calendar", "status", "--format", "json", "--lang", lang)
    data = json.loads(out)
    assert code == 0 and [y["year"] for y in data["years"]] == list(range(2004, 2027))
    assert data["precedence"] == ["file", "user", "policy", "bundled"]
    assert data["provisional_years"] == [] and data["last_covered_day"] == "2026-12-31"
    assert data["years"][0]["source"]["kind"] == "bundled"


@pytest.mark.parametrize("lang", LANGS)
def test_status_shows_which_source_wins_and_why(
    tmp_path: Path, template_2027: Path, lang: str
) -> None:
    policy_dir, user_dir = tmp_path / "policy", tmp_path / "user"
    (policy_dir / "calendars").mkdir(parents=True)
    user_dir.mkdir()
    official_text = official(template_2027).read_text(encoding="utf-8")
    (policy_dir / "calendars" / "2027.yaml").write_text(official_text, encoding="utf-8")
    (user_dir / "2027.yaml").write_text(template_2027.read_text(encoding="utf-8"), "utf-8")
    env = {ENV_DIR: str(user_dir)}
    base = ("calendar", "status", "--policy", str(policy_dir), "--lang", lang)
    code, out, _ = run(*base, "--format", "json", env=env)
    year = json.loads(out)["years"][-1]
    assert code == 0 and year["year"] == 2027 and year["status"] == "provisional"
    assert [c["kind"] for c in year["candidates"]] == ["user", "policy"]
    assert str(user_dir / "2027.yaml") in year["source"]["where"]
    # The provisional user file hides the policy's official arrangement: status says so.
    assert str(policy_dir / "calendars" / "2027.yaml") in year["reason"]
    code, text, _ = run(*base, env=env)
    assert code == 0 and re.search(r"^2027  (临时|provisional)  .*user/2027.yaml", text, re.M)
    # Without the user directory, the policy's official file wins.
    code, out, _ = run(*base, "--format", "json")
    assert json.loads(out)["years"][-1]["status"] == "official"
    # --calendar beats both.
    code, out, _ = run(*base, "--format", "json", "--calendar", str(template_2027), env=env)
    assert [c["kind"] for c in json.loads(out)["years"][-1]["candidates"]] == [
        "file",
        "user",
        "policy",
    ]
    # The same precedence for an answer: the policy's official 2027 has 02-09 off.
    args = ("deadline", "2027-02-04", "--policy", str(policy_dir), "--format", "json")
    assert json.loads(run(*args)[1])["due"] == "2027-02-10"
    assert json.loads(run(*args, env=env)[1])["due"] == "2027-02-09"


def test_a_missing_user_directory_is_an_error(tmp_path: Path) -> None:
    code, _, err = run("deadline", "2021-10-08", env={ENV_DIR: str(tmp_path / "nope")})
    assert code == 2 and ENV_DIR in err and "Traceback" not in err


def test_a_directory_file_must_hold_its_own_year(tmp_path: Path, template_2027: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "2028.yaml").write_text(template_2027.read_text("utf-8"), "utf-8")
    code, _, err = run("calendar", "--lang", "en", env={ENV_DIR: str(tmp_path / "d")})
    assert code == 2 and "2028.yaml:" in err and "years.2027" in err
    assert "named for 2028 but lists 2027" in err


# ---- check --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_check_a_good_file(template_2027: Path, lang: str) -> None:
    code, out, _ = run("calendar", "check", str(template_2027), "--lang", lang)
    assert code == 0 and ("无误" in out if lang == "zh" else "is fine" in out)
    assert ("春节 2" in out) and ("254" in out)  # weekdays off by name; working days
    code, out, _ = run("calendar", "check", str(template_2027), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["ok"] and data["problems"] == []
    (year,) = data["years"]
    assert year["status"] == "provisional" and year["holidays"]["春节"] == [
        "2027-02-05",
        "2027-02-08",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_check_lists_every_problem(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text(
        "years:\n  2027:\n    holidays: {元旦: [2027-01-02]}\n    workdays: [2027-01-04]\n",
        encoding="utf-8",
    )
    code, out, err = run("calendar", "check", str(path), "--lang", lang)
    lines = [x for x in err.splitlines() if x.startswith(f"{path}:")]
    assert code == 2 and out == "" and len(lines) == 2
    assert lines[0].startswith(f"{path}:3:") and "years.2027.holidays.元旦[0]" in lines[0]
    assert lines[1].startswith(f"{path}:4:") and "years.2027.workdays[0]" in lines[1]
    code, out, _ = run("calendar", "check", str(path), "--lang", lang, "--format", "json")
    data = json.loads(out)
    assert code == 2 and not data["ok"]
    assert [(p["line"], p["field"]) for p in data["problems"]] == [
        (3, "years.2027.holidays.元旦[0]"),
        (4, "years.2027.workdays[0]"),
    ]


# ---- template -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_template_text_json_and_output_file(tmp_path: Path, lang: str) -> None:
    code, text, _ = run("calendar", "template", "2027", "--lang", lang)
    assert code == 0 and "provisional: true" in text and "春节: [2027-02-05, 2027-02-08]" in text
    assert ("调休" in text) and ("workdays" in text)
    code, out, _ = run("calendar", "template", "2027", "--format", "json", "--lang", lang)
    data = json.loads(out)["years"]["2027"]
    assert data["provisional"] and data["holidays"]["春节"] == ["2027-02-05", "2027-02-08"]
    target = tmp_path / "2027.yaml"
    assert run("calendar", "template", "2027", "-o", str(target), "--lang", lang)[0] == 0
    assert target.read_text(encoding="utf-8") == text
    code, _, err = run("calendar", "template", "2027", "-o", str(target), "--lang", lang)
    assert code == 2 and str(target) in err and "--force" in err
    assert run("calendar", "template", "2027", "-o", str(target), "--force")[0] == 0


@pytest.mark.parametrize("year", ["2024", "2100", "明年"])
def test_template_refuses_other_years(year: str) -> None:
    code, out, err = run("calendar", "template", year)
    assert code == 2 and out == "" and "Traceback" not in err


# ---- every kind of bad calendar file ----------------------------------------------------------

BAD = {
    "bad YAML": ("years:\n  2027:\n    holidays: [2027-01-01\n", 4, ""),
    "wrong type": ("years:\n  2027:\n    holidays: 5\n", 3, "years.2027.holidays"),
    "wrong type in a name": (
        "years:\n  2027:\n    holidays:\n      元旦: 2027-01-01\n",
        4,
        "years.2027.holidays.元旦",
    ),
    "not a date": ("years:\n  2027:\n    holidays: [2027-02-30]\n", 3, "years.2027.holidays[0]"),
    "outside its year": (
        "years:\n  2027:\n    holidays: [2028-01-03]\n",
        3,
        "years.2027.holidays[0]",
    ),
    "duplicate": (
        "years:\n  2027:\n    holidays:\n      元旦: [2027-01-01]\n      春节: [2027-01-01]\n",
        5,
        "years.2027.holidays.春节[0]",
    ),
    "holiday and workday": (
        "years:\n  2027:\n    workdays: [2027-02-20]\n    holidays: [2027-02-20]\n",
        4,
        "years.2027.holidays[0]",
    ),
    "workday not on a weekend": (
        "years:\n  2027:\n    workdays: [2027-02-22]\n",
        3,
        "years.2027.workdays[0]",
    ),
    "holiday on a weekend": (
        "years:\n  2027:\n    holidays: {春节: [2027-02-06]}\n",
        3,
        "years.2027.holidays.春节[0]",
    ),
    "unknown key": ("years:\n  2027:\n    holiday: [2027-01-01]\n", 3, "years.2027.holiday"),
    "provisional not a flag": ("years:\n  2027:\n    provisional: maybe\n", 3, ""),
    "year not a year": ("years:\n  明年:\n    holidays: []\n", 2, "years.明年"),
    "year out of range": ("years:\n  1800:\n    holidays: []\n", 2, "years.1800"),
    "empty name": ("years:\n  2027:\n    holidays: {'': [2027-01-01]}\n", 3, ""),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_calendar_files_exit_2_with_place_and_field(
    tmp_path: Path, kind: str, lang: str
) -> None:
    text, line, field = BAD[kind]
    path = tmp_path / "cal.yaml"
    path.write_text(text, encoding="utf-8")
    for args in (
        ("calendar", "check", str(path)),
        ("deadline", "2027-01-04", "--calendar", str(path)),
        ("calendar", "status", "--calendar", str(path)),
    ):
        code, _, err = run(*args, "--lang", lang)
        assert code == 2 and "Traceback" not in err, (kind, args, err)
        assert err.startswith(f"{path}:{line}:"), (kind, args, err)
        if field:
            assert f"{'字段' if lang == 'zh' else 'field'} {field}:" in err, (kind, err)


@pytest.mark.parametrize("lang", LANGS)
def test_unreadable_calendar_files(tmp_path: Path, lang: str) -> None:
    for path in (tmp_path / "missing.yaml", tmp_path):
        for args in (
            ("calendar", "check", str(path)),
            ("deadline", "2027-01-04", "--calendar", str(path)),
        ):
            code, _, err = run(*args, "--lang", lang)
            assert code == 2 and err.startswith(f"{path}:") and "Traceback" not in err
