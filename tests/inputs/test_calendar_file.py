"""The user calendar file: each listed day must be in its year, listed once, and matter."""

from __future__ import annotations

from datetime import date

import pytest

from govrules.inputs import load_calendar_file

from .helpers import ExpectError, Write

CALENDAR = """\
years:
  2027:
    holidays: [2027-01-01, 2027-02-08, 2027-02-09]
    workdays: [2027-02-20]
  2028:
    holidays: [2028-01-03]
"""


def test_valid_calendar_file(write: Write) -> None:
    calendar = load_calendar_file(write("cal.yaml", CALENDAR))
    assert sorted(calendar.years) == [2027, 2028]
    assert calendar.years[2027].workdays == (date(2027, 2, 20),)
    assert calendar.years[2028].workdays == ()


def test_json_calendar_with_string_years(write: Write) -> None:
    text = '{"years": {"2027": {"holidays": ["2027-01-01"], "workdays": []}}}'
    assert load_calendar_file(write("cal.json", text)).years[2027].holidays == (date(2027, 1, 1),)


@pytest.mark.parametrize(
    ("old", "new", "field", "line", "zh", "en"),
    [
        (
            "2027-02-09]",
            "2026-02-09]",
            "years.2027.holidays[2]",
            3,
            ["日期 2026-02-09 不在 2027 年内", "years.2026"],
            ["the date 2026-02-09 is not in 2027", "list it under years.2026"],
        ),
        (
            "2027-02-09]",
            "2027-02-08]",
            "years.2027.holidays[2]",
            3,
            ["日期 2027-02-08 重复列出", "第 3 行已列出"],
            ["the date 2027-02-08 is listed twice", "already on line 3"],
        ),
        (
            "workdays: [2027-02-20]",
            "workdays: [2027-02-20, 2027-01-01]",
            "years.2027.workdays[1]",
            4,
            ["日期 2027-01-01 重复列出", "不能同时出现在 holidays 和 workdays 中"],
            ["listed twice (already on line 3", "cannot be in both holidays and workdays"],
        ),
        (
            "workdays: [2027-02-20]",
            "workdays: [2027-02-22]",
            "years.2027.workdays[0]",
            4,
            ["调休上班日 2027-02-22（星期一）不是周末"],
            ["the make-up working day 2027-02-22 (Monday) is not on a weekend"],
        ),
        (
            "holidays: [2028-01-03]",
            "holidays: [2028-01-02]",
            "years.2028.holidays[0]",
            6,
            ["假日 2028-01-02（星期日）是周末", "是否写错了日期"],
            ["the holiday 2028-01-02 (Sunday) is on a weekend", "is the date mistyped?"],
        ),
        (
            "  2028:",
            "  1800:",
            "years.1800",
            5,
            ["不小于 1900 的数"],
            ["expected a number of at least 1900"],
        ),
        (
            "  2028:",
            "  明年:",
            "years.明年",
            5,
            ["应为整数", "'明年'"],
            ["expected a whole number", "found '明年'"],
        ),
    ],
)
def test_calendar_errors(
    write: Write,
    expect_error: ExpectError,
    old: str,
    new: str,
    field: str,
    line: int,
    zh: list[str],
    en: list[str],
) -> None:
    assert old in CALENDAR
    path = write("cal.yaml", CALENDAR.replace(old, new))
    expect_error(lambda: load_calendar_file(path), field=field, line=line, zh=zh, en=en)


def test_both_lists_reports_the_later_in_the_file(write: Write, expect_error: ExpectError) -> None:
    text = "years:\n  2027:\n    workdays: [2027-02-20]\n    holidays: [2027-02-20]\n"
    expect_error(
        lambda: load_calendar_file(write("cal.yaml", text)),
        field="years.2027.holidays[0]",
        line=4,
        zh=["日期 2027-02-20 重复列出（第 3 行已列出", "holidays 和 workdays"],
        en=["already on line 3", "both holidays and workdays"],
    )
