"""Working days on China's official calendar, and what happens outside the years it knows."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.errors import CalendarError, InputError
from govrules.workdays import WorkCalendar, as_date

OFFICIAL = WorkCalendar.official()


def test_make_up_saturday_and_national_day() -> None:
    assert OFFICIAL.add_working_days(date(2021, 10, 8), 1) == date(2021, 10, 9)  # a Saturday
    assert OFFICIAL.add_working_days(date(2021, 9, 30), 1) == date(2021, 10, 8)
    assert OFFICIAL.is_workday(date(2021, 10, 9)) and not OFFICIAL.is_workday(date(2021, 10, 4))


def test_zero_days_is_the_start_or_the_next_working_day() -> None:
    assert OFFICIAL.add_working_days(date(2021, 9, 30), 0) == date(2021, 9, 30)
    assert OFFICIAL.add_working_days(date(2021, 10, 1), 0) == date(2021, 10, 8)


def test_text_and_datetime_inputs() -> None:
    assert OFFICIAL.add_working_days("2021-09-30", 1) == date(2021, 10, 8)
    assert OFFICIAL.is_workday(datetime(2021, 10, 9, 17, 30))
    assert as_date(" 2021-1-5 ") == date(2021, 1, 5)


@pytest.mark.parametrize("value", ["2021-02-30", "明天", "20211008"])
def test_bad_date_text(value: str) -> None:
    with pytest.raises(InputError) as caught:
        OFFICIAL.add_working_days(value, 1)
    err = caught.value
    assert err.exit_code == 2 and err.location.field == "start"
    assert "不是有效的日期" in err.render("zh") and "is not a valid date" in err.render("en")


@pytest.mark.parametrize("n", [-1, True, 1.5])
def test_bad_day_counts(n: int) -> None:
    with pytest.raises(InputError) as caught:
        OFFICIAL.add_working_days(date(2021, 1, 4), n)
    err = caught.value
    assert err.exit_code == 2 and err.location.field == "days"
    assert "不小于 0 的整数" in err.render("zh") and "at least 0" in err.render("en")


def test_working_days_between() -> None:
    assert OFFICIAL.working_days_between(date(2021, 9, 30), date(2021, 10, 9)) == 2
    assert OFFICIAL.working_days_between(date(2021, 10, 1), date(2021, 10, 7)) == 0
    assert OFFICIAL.working_days_between(date(2021, 10, 9), date(2021, 9, 30)) == -2
    assert OFFICIAL.working_days_between("2021-01-01", "2021-12-31") == 250


def test_covered_years() -> None:
    assert OFFICIAL.covered_years == tuple(range(2004, 2027))
    assert WorkCalendar.load(None) is OFFICIAL


def _assert_missing(err: CalendarError, year: int, covered: str) -> None:
    assert err.exit_code == 2
    zh, en = err.render("zh"), err.render("en")
    assert f"没有 {year} 年的节假日安排" in zh and covered in zh and "--calendar FILE" in zh
    assert f"no holiday calendar for {year}" in en and covered in en
    assert "--calendar FILE" in en and f"years.{year}" in en
    template = f"govrules calendar template {year} -o {year}.yaml"
    assert (template in zh and template in en) == (year >= 2025)  # the template's years


@pytest.mark.parametrize(
    ("call", "year"),
    [
        (lambda: OFFICIAL.is_workday(date(2027, 1, 4)), 2027),
        (lambda: OFFICIAL.add_working_days(date(2003, 12, 1), 1), 2003),
        (lambda: OFFICIAL.add_working_days(date(2026, 12, 31), 1), 2027),  # runs off the end
        (lambda: OFFICIAL.add_working_days(date(2026, 6, 1), 10_000), 2027),
        (lambda: OFFICIAL.working_days_between(date(2026, 12, 1), date(2027, 1, 8)), 2027),
    ],
)
def test_years_without_data_are_refused(call: Callable[[], object], year: int) -> None:
    with pytest.raises(CalendarError) as caught:
        call()
    _assert_missing(caught.value, year, "2004–2026")


CALENDAR_2027 = """\
years:
  2027:
    holidays: [2027-01-01, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11, 2027-02-12]
    workdays: [2027-02-06, 2027-02-20]
"""


def test_calendar_file_adds_a_year(tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text(CALENDAR_2027, encoding="utf-8")
    calendar = WorkCalendar.load(path)
    assert calendar.covered_years[-1] == 2027
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 6)  # a Saturday
    assert calendar.add_working_days(date(2027, 2, 6), 1) == date(2027, 2, 15)
    assert calendar.is_workday(date(2027, 2, 20))
    assert calendar.add_working_days(date(2021, 9, 30), 1) == date(2021, 10, 8)  # kept


def test_calendar_file_replaces_a_year() -> None:
    calendar = WorkCalendar.load({"years": {2021: {"holidays": ["2021-10-01"]}}})
    assert calendar.is_workday(date(2021, 10, 8)) and not calendar.is_workday(date(2021, 10, 9))
    assert calendar.add_working_days(date(2021, 9, 30), 1) == date(2021, 10, 4)
    assert OFFICIAL.add_working_days(date(2021, 9, 30), 1) == date(2021, 10, 8)  # untouched


def test_no_date_across_an_uncovered_year() -> None:
    calendar = WorkCalendar.load({"years": {2030: {"holidays": ["2030-01-01"]}}})
    assert calendar.covered_years[-2:] == (2026, 2030)
    assert calendar.add_working_days(date(2030, 1, 1), 1) == date(2030, 1, 2)
    with pytest.raises(CalendarError) as caught:
        calendar.add_working_days(date(2026, 12, 31), 1)
    _assert_missing(caught.value, 2027, "2004–2026, 2030")


def test_calendar_file_errors_are_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text("years:\n  2027:\n    holidays: [2027-01-02]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        WorkCalendar.load(path)
    assert caught.value.location.line == 3 and "is on a weekend" in caught.value.render("en")


def test_fast_enough_for_request_paths() -> None:
    start = time.perf_counter()
    for i in range(20_000):
        OFFICIAL.add_working_days(date(2021, 1, 1) + timedelta(days=i % 300), i % 40)
    assert time.perf_counter() - start < 1.0


def _brute_force(start: date, n: int) -> date:
    day = start
    if n == 0:
        while not chinese_calendar.is_workday(day):
            day += timedelta(days=1)
        return day
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 11, 15)),
    st.integers(min_value=0, max_value=30),
)
def test_agrees_with_day_by_day_count(start: date, n: int) -> None:
    result = OFFICIAL.add_working_days(start, n)
    assert result == _brute_force(start, n)
    assert OFFICIAL.is_workday(result) and chinese_calendar.is_workday(result)
    # n = 0 from a day off moves to the next working day: the one day counted in (start, result].
    expected = n if n > 0 or chinese_calendar.is_workday(start) else 1
    assert OFFICIAL.working_days_between(start, result) == expected
    between = sum(
        chinese_calendar.is_workday(start + timedelta(days=k))
        for k in range(1, (result - start).days + 1)
    )
    assert between == expected
