"""A provisional calendar file for a year the State Council has not yet arranged.

The statutory holidays of the 全国年节及纪念日放假办法 as in force from 2025 (元旦 1 day,
春节 4 days from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3) can be computed for any
year; the make-up working days (调休) and bridge days cannot, since each year's notice
decides them. The template lists the statutory days that fall on weekdays, by name, and
is marked `provisional: true`; its comments tell the office what to add from the notice.

Lunar dates (春节, 端午, 中秋) and the solar term 清明 come from the `holidays` package, a
maintained library (monthly releases, each China year checked against the notices);
除夕 is taken as the day before 正月初一, whether the twelfth month has 29 or 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version
from typing import Any

from govrules.errors import Bilingual, InputError, Location

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Statutory",
    "statutory_holidays",
    "template",
    "template_data",
]

# The rules the template follows are in force from 2025; the library's solar terms are
# reliable up to 2099.
FIRST_YEAR = 2025
LAST_YEAR = 2099
_WEEKDAYS_ZH = "一二三四五六日"


@dataclass(frozen=True)
class Statutory:
    """One statutory holiday of a year: its name and its days, weekends included."""

    name: str
    en: str
    days: tuple[date, ...]


def _lunar_dates(year: int) -> dict[str, date]:
    """正月初一, 清明, 端午 and 中秋 of `year`, from the `holidays` package."""
    # Imported here: only the template needs it (it takes 0.1 s).
    from holidays.constants import PUBLIC
    from holidays.countries.china import China

    china = China(  # type: ignore[no-untyped-call]
        years=year, observed=False, language="zh_CN", categories=PUBLIC
    )
    found = {}
    for name in ("春节", "清明节", "端午节", "中秋节"):
        days = china.get_named(name, lookup="exact")
        if not days:  # pragma: no cover - the library dropped or renamed a holiday
            raise RuntimeError(f"holidays {version('holidays')} has no {name} in {year}")
        found[name] = min(days)
    return found


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            Bilingual(
                f"只能为 {FIRST_YEAR}–{LAST_YEAR} 年生成模板（{FIRST_YEAR} 年起施行的放假办法；"
                f"更早的年份已有内置数据），而不是 {year}",
                f"a template can be made for {FIRST_YEAR}–{LAST_YEAR} only (the holiday rules "
                f"in force from {FIRST_YEAR}; earlier years have built-in data), not {year}",
            ),
            Location(field="YEAR"),
            "calendar.template_year",
        )


def statutory_holidays(year: int) -> list[Statutory]:
    """The statutory holidays of `year` under the rules in force from 2025, in date order."""
    _check_year(year)
    lunar = _lunar_dates(year)
    new_year = lunar["春节"]  # 正月初一
    span = [new_year + timedelta(days=k) for k in range(-1, 3)]  # 除夕 to 初三
    return [
        Statutory("元旦", "New Year's Day", (date(year, 1, 1),)),
        Statutory("春节", "Spring Festival", tuple(span)),
        Statutory("清明节", "Qingming", (lunar["清明节"],)),
        Statutory("劳动节", "Labour Day", (date(year, 5, 1), date(year, 5, 2))),
        Statutory("端午节", "Dragon Boat Festival", (lunar["端午节"],)),
        Statutory("中秋节", "Mid-Autumn Festival", (lunar["中秋节"],)),
        Statutory("国庆节", "National Day", tuple(date(year, 10, d) for d in (1, 2, 3))),
    ]


def _listed(year: int) -> list[tuple[Statutory, list[date], list[date], list[date]]]:
    """Each holiday with its weekdays to list, its weekend days, and its days listed
    under an earlier holiday already (中秋 can fall within 国庆)."""
    seen: set[date] = set()
    rows = []
    for holiday in sorted(statutory_holidays(year), key=lambda h: h.days[0]):
        weekdays = [d for d in holiday.days if d.weekday() < 5 and d not in seen]
        weekend = [d for d in holiday.days if d.weekday() >= 5]
        shared = [d for d in holiday.days if d.weekday() < 5 and d in seen]
        seen.update(holiday.days)
        rows.append((holiday, weekdays, weekend, shared))
    return rows


def template_data(year: int) -> dict[str, Any]:
    """The template as data (its JSON form): the statutory weekdays off, by name."""
    holidays = {h.name: [d.isoformat() for d in days] for h, days, _, _ in _listed(year)}
    return {"years": {str(year): {"provisional": True, "holidays": holidays, "workdays": []}}}


def _day(day: date, lang: str) -> str:
    if lang == "en":
        return f"{day.isoformat()} {day.strftime('%a')}"
    return f"{day.isoformat()} 周{_WEEKDAYS_ZH[day.weekday()]}"


def _comment(holiday: Statutory, weekend: list[date], shared: list[date], lang: str) -> str:
    en = lang == "en"
    eve = " (New Year's Eve)" if en else "（除夕）"
    days = [
        _day(d, lang) + (eve if holiday.name == "春节" and k == 0 else "")
        for k, d in enumerate(holiday.days)
    ]
    text = ("statutory: " if en else "法定：") + (", " if en else "、").join(days)
    if weekend:
        text += "; weekend days are off anyway" if en else "；周末本就休息，不列出"
    if shared:
        shown = ", ".join(d.isoformat() for d in shared)
        text += f"; {shown} listed above already" if en else f"；{shown} 已在上面列出"
    return text


def _header(year: int, lang: str) -> list[str]:
    library = f"holidays {version('holidays')}"
    if lang == "en":
        return [
            f"govrules calendar file for {year}: PROVISIONAL, statutory holidays only",
            "",
            "The statutory holidays of the national holiday rules in force from 2025 "
            "(全国年节及纪念日放假办法):",
            "New Year 1 day, Spring Festival 4 days from New Year's Eve, Qingming 1, Labour Day 2,",
            "Dragon Boat 1, Mid-Autumn 1, National Day 3; lunar dates computed by " + library + ".",
            "holidays lists the statutory days on Monday to Friday; weekends are off anyway.",
            "",
            "This file knows nothing of the make-up working days (调休). When the State Council's",
            f"General Office publishes the {year} arrangement (放假调休安排, usually in November):",
            "  1. add the bridge days off (weekdays within the long breaks) under holidays,",
            "  2. list the weekend days that are worked under workdays,",
            "  3. delete the line `provisional: true`,",
            f"  4. run: govrules calendar check {year}.yaml",
        ]
    return [
        f"govrules 日历文件：{year} 年（临时安排，只含法定节假日）",
        "",
        "依据《全国年节及纪念日放假办法》（2025 年 1 月 1 日起施行）的法定节假日：",
        "元旦 1 天、春节 4 天（除夕起）、清明节 1 天、劳动节 2 天、端午节 1 天、"
        "中秋节 1 天、国庆节 3 天；",
        f"农历日期由 {library} 计算。holidays 只列落在周一至周五的法定假日（周末本就不上班）。",
        "",
        f"本文件不含调休。国务院办公厅公布 {year} 年放假调休安排（通常在 11 月）后，请：",
        "  1. 在 holidays 下补上调休放假的工作日（连休中的其他周一至周五），",
        "  2. 在 workdays 下列出调休上班的周末日期，",
        "  3. 删去 provisional: true 一行，",
        f"  4. 运行 govrules calendar check {year}.yaml 检查。",
    ]


def template(year: int, lang: str = "zh") -> str:
    """The template as a commented YAML calendar file."""
    rows = _listed(year)
    lines = [f"# {line}".rstrip() for line in _header(year, lang)]
    lines += ["years:", f"  {year}:", "    provisional: true", "    holidays:"]
    for holiday, days, weekend, shared in rows:
        lines.append(f"      # {_comment(holiday, weekend, shared, lang)}")
        lines.append(f"      {holiday.name}: [{', '.join(d.isoformat() for d in days)}]")
    note = "weekend days worked: from the notice" if lang == "en" else "调休上班的周末：按通知填写"
    lines.append(f"    workdays: []  # {note}")
    return "\n".join(lines) + "\n"
