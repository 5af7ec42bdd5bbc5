"""The provisional template: statutory holidays under the rules in force from 2025."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govrules.calendar_template import (
    FIRST_YEAR,
    LAST_YEAR,
    statutory_holidays,
    template,
    template_data,
)
from govrules.errors import InputError
from govrules.inputs import load_calendar_file

# Our names and chinesecalendar's for the same holidays.
NAMES = {
    "元旦": chinese_calendar.Holiday.new_years_day,
    "春节": chinese_calendar.Holiday.spring_festival,
    "清明节": chinese_calendar.Holiday.tomb_sweeping_day,
    "劳动节": chinese_calendar.Holiday.labour_day,
    "端午节": chinese_calendar.Holiday.dragon_boat_festival,
    "中秋节": chinese_calendar.Holiday.mid_autumn_festival,
    "国庆节": chinese_calendar.Holiday.national_day,
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_are_the_official_holidays(year: int) -> None:
    """Every statutory day the template computes (lunar ones included) is a day off in
    chinesecalendar's data for that year, under the same holiday's name."""
    for holiday in statutory_holidays(year):
        for day in holiday.days:
            off, name = chinese_calendar.get_holiday_detail(day)
            assert off, (holiday.name, day)
            # 2025-10-06 is both 中秋 and within the 国庆 break: chinesecalendar names one.
            if not (holiday.name == "中秋节" and day.month == 10):
                assert name == NAMES[holiday.name].value, (holiday.name, day)


@pytest.mark.parametrize("year", [2025, 2026])
def test_listed_holidays_are_official_weekdays_off(year: int) -> None:
    listed = load_calendar_file(read_source_text(template(year))).years[year]
    official = {d for d in chinese_calendar.constants.holidays if d.year == year}
    assert set(listed.holiday_dates) <= official
    assert listed.provisional and listed.workday_dates == ()


def read_source_text(text: str) -> dict[str, object]:
    """The YAML text as data (the template's text and JSON forms must agree)."""
    import io

    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(io.StringIO(text))
    assert isinstance(data, dict)
    return data


def test_2027_spring_festival_starts_on_new_years_eve() -> None:
    spring = {h.name: h.days for h in statutory_holidays(2027)}["春节"]
    assert spring == tuple(date(2027, 2, d) for d in (5, 6, 7, 8))  # 除夕 is 2027-02-05
    listed = load_calendar_file(read_source_text(template(2027))).years[2027]
    spring_listed = [day for day, name, _ in listed.entries("holidays") if name == "春节"]
    assert spring_listed == [date(2027, 2, 5), date(2027, 2, 8)]  # a Friday and a Monday


@given(st.integers(FIRST_YEAR, LAST_YEAR), st.sampled_from(["zh", "en"]))
def test_every_template_is_a_valid_calendar(year: int, lang: str) -> None:
    text = template(year, lang)
    calendar = load_calendar_file(read_source_text(text))  # passes every check
    assert load_calendar_file(template_data(year)).years == calendar.years  # JSON form
    listed = calendar.years[year]
    statutory = statutory_holidays(year)
    days = [d for h in statutory for d in h.days]
    weekdays = {d for d in days if d.weekday() < 5}
    assert set(listed.holiday_dates) == weekdays and len(listed.holiday_dates) == len(weekdays)
    assert sum(len(h.days) for h in statutory) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3
    named = {h.name: h.days for h in statutory}
    spring = named["春节"]
    assert [b - a for a, b in itertools.pairwise(spring)] == [timedelta(1)] * 3
    assert date(year, 1, 20) <= spring[0] <= date(year, 2, 19)
    assert date(year, 4, 4) <= named["清明节"][0] <= date(year, 4, 6)
    assert date(year, 5, 25) <= named["端午节"][0] <= date(year, 6, 26)  # bounds with slack
    assert date(year, 9, 7) <= named["中秋节"][0] <= date(year, 10, 8)
    assert "provisional: true" in text and "workdays: []" in text


@pytest.mark.parametrize("year", [2024, 2100])
def test_years_outside_the_rules_are_refused(year: int) -> None:
    with pytest.raises(InputError) as caught:
        template(year)
    assert caught.value.location.field == "YEAR"
    assert "2025" in caught.value.render("zh") and "2025" in caught.value.render("en")
