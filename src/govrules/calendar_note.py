"""What an answer owes its reader about the working-day calendar it counted on.

Apart from `workdays` (which reads calendar files, and so the input models) so that an
answer can carry its note without them: a route answered from its kit (`quickroute`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from govrules.errors import Bilingual, InputWarning

__all__ = ["WARN_DAYS", "CalendarNote", "nearest_to_end"]

# An answer whose dates come this close to the last covered day warns (the next year's
# arrangement is due to be added).
WARN_DAYS = 30


def nearest_to_end(
    days: Iterable[date], last_covered: Callable[[date], date | None]
) -> tuple[date | None, date | None]:
    """The latest of `days` within WARN_DAYS of the last day the calendar covers from it
    on (`last_covered`: None for a day of a year it does not cover), with that last day;
    (None, None) when no day comes so close."""
    near: date | None = None
    end: date | None = None
    for day in days:
        last_day = last_covered(day)
        if last_day is None:
            continue
        if (last_day - day).days < WARN_DAYS and (near is None or day > near):
            near, end = day, last_day
    return near, end


def _note_lines(years: tuple[int, ...]) -> Bilingual:
    shown = "、".join(str(y) for y in years)
    return Bilingual(
        f"注意：{shown} 年的日历是临时安排（只含法定节假日，未含调休），"
        "以国务院办公厅的放假通知为准",
        f"Note: the calendar of {', '.join(str(y) for y in years)} is provisional (statutory "
        "holidays only, no make-up days); the State Council's notice prevails",
    )


@dataclass(frozen=True)
class CalendarNote:
    """What an answer owes its reader about the calendar it counted on: the provisional
    years it used, and how close its dates came to the last day the calendar covers."""

    provisional_years: tuple[int, ...] = ()
    near: date | None = None  # the latest date of the answer close to the end of coverage
    last_covered_day: date | None = None

    def __bool__(self) -> bool:
        return bool(self.provisional_years) or self.near is not None

    def warning(self) -> Bilingual | None:
        if self.near is None or self.last_covered_day is None:
            return None
        days = (self.last_covered_day - self.near).days
        nxt = self.last_covered_day.year + 1
        return Bilingual(
            f"{self.near} 距日历覆盖的最后一天 {self.last_covered_day} 只有 {days} 天，其后的"
            f"工作日无法计算；请添加 {nxt} 年的日历：国务院公布放假安排前，可先用 "
            f"govrules calendar template {nxt} -o {nxt}.yaml 生成临时日历，放入日历目录"
            "（见 govrules calendar status）或用 --calendar 指定",
            f"{self.near} is {days} days from {self.last_covered_day}, the last day the "
            f"calendar covers; working days after it cannot be counted. Add {nxt}: until the "
            f"State Council publishes its arrangement, govrules calendar template {nxt} -o "
            f"{nxt}.yaml makes a provisional calendar to place in a calendar directory (see "
            "govrules calendar status) or pass with --calendar",
        )

    def lines(self, lang: str) -> list[str]:
        """The text output's line about provisional years (the warning goes to stderr)."""
        return [_note_lines(self.provisional_years)(lang)] if self.provisional_years else []

    def warn(self) -> None:
        """The closeness to the end of coverage as an `InputWarning` (the CLI prints it)."""
        message = self.warning()
        if message is not None:
            import warnings

            warnings.warn(InputWarning(message), stacklevel=3)

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        message = self.warning()
        return {
            "provisional_years": list(self.provisional_years),
            "last_covered_day": self.last_covered_day.isoformat()
            if self.last_covered_day
            else None,
            "warnings": [message(lang)] if message else [],
        }
