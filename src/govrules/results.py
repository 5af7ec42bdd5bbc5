"""What every answer shares: findings, whether the rules were in force, the readings used."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from govrules.calendar_note import CalendarNote

if TYPE_CHECKING:  # annotations only: an answer without findings needs no rule program
    from govrules.findings import Finding

__all__ = ["InForce", "Result", "dump"]


def dump(data: Any) -> str:
    """Stable JSON: sorted keys, Unicode kept, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


@dataclass(frozen=True)
class InForce:
    """Contract §4: whether the rules were in force on the dates an answer involves."""

    since: date
    dates: tuple[date, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "in_force_from": self.since.isoformat(),
            "dates": {d.isoformat(): d >= self.since for d in self.dates},
            "all_in_force": all(d >= self.since for d in self.dates),
        }


@dataclass
class Result:
    """Findings, the in-force dates, the interpretations and the calendar an answer used."""

    findings: list[Finding]
    in_force: InForce
    interpretations: dict[str, bool]
    lang: str = "zh"
    # Provisional calendar years the answer counted on; dates near the end of the calendar.
    calendar: CalendarNote = field(default_factory=CalendarNote)

    @property
    def compliant(self) -> bool:
        return not any(f.severity == "violation" for f in self.findings)

    def _base_json(self, lang: str) -> dict[str, Any]:
        return {
            "compliant": self.compliant,
            "findings": [f.to_json(lang) for f in self.findings],
            "in_force": self.in_force.to_json(),
            "interpretations": dict(sorted(self.interpretations.items())),
        } | ({"calendar": self.calendar.to_json(lang)} if self.calendar else {})
