"""chinesecalendar's data checked against an independent source, the `holidays` package.

Both transcribe the State Council's notices (国务院办公厅关于 20XX 年部分节假日安排的通知);
a working day depends only on which weekdays are off and which weekend days are worked,
so those two sets are compared, year by year, over every year both cover. Each day on
which they disagree is listed below with the reason; a new disagreement (a new release of
either package) fails the test until someone reads the notice and explains it here.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar.constants as official
from holidays.countries.china import China

FIRST, LAST = 2004, 2026

# (day, which list, which package has it): why they differ.
EXPLAINED = {
    (date(2005, 12, 31), "workdays", "holidays"): (
        "The notice for 2006 moves the Saturday 2005-12-31 to Tuesday 2006-01-03 for 元旦: "
        "2005-12-31 was worked. chinesecalendar has 2006-01-03 off but, keeping each "
        "notice's days under the year it arranges, misses the make-up day that falls in "
        "2005; holidays has it. The notice is right: chinesecalendar counts one working "
        "day too few that week."
    ),
}


def _chinesecalendar() -> tuple[set[date], set[date]]:
    off = {d for d in official.holidays if d.weekday() < 5 and FIRST <= d.year <= LAST}
    on = {d for d in official.workdays if FIRST <= d.year <= LAST}
    return off, on


def _holidays() -> tuple[set[date], set[date]]:
    china = China(years=range(FIRST, LAST + 1))  # type: ignore[no-untyped-call]
    off = {d for d in china if d.weekday() < 5}
    on = {d for d in china.weekend_workdays if FIRST <= d.year <= LAST}
    return off, on


def test_the_two_packages_differ_only_where_explained() -> None:
    (cc_off, cc_on), (h_off, h_on) = _chinesecalendar(), _holidays()
    found = set()
    for key, ours, theirs in (("holidays", cc_off, h_off), ("workdays", cc_on, h_on)):
        found |= {(d, key, "chinesecalendar") for d in ours - theirs}
        found |= {(d, key, "holidays") for d in theirs - ours}
    assert found == set(EXPLAINED)


def test_the_comparison_sees_every_year() -> None:
    """Not vacuous: both packages have days off in each year compared."""
    (cc_off, _), (h_off, _) = _chinesecalendar(), _holidays()
    assert {d.year for d in cc_off} == {d.year for d in h_off} == set(range(FIRST, LAST + 1))
