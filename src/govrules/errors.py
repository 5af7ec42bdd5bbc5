"""One error tree for the whole toolchain.

Every error a user can cause is a `GovrulesError`: it carries a stable code, the place
it was found (file, line, column, field) and its message in Chinese and English, so the
CLI can print one clear line and pick the exit status without a traceback.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = [
    "Bilingual",
    "CalendarError",
    "GovrulesError",
    "InputError",
    "InputWarning",
    "Location",
    "PolicyError",
    "RuleError",
    "SolverLimitError",
    "has_control",
    "printable",
]

# Characters that drive a terminal or break a line when printed: C0, DEL, C1, and the line
# and paragraph separators.
_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def has_control(text: str) -> bool:
    """Whether `text` holds a character that drives a terminal or breaks a line."""
    return any(unicodedata.category(c) in _CONTROL_CATEGORIES for c in text)


def printable(text: str) -> str:
    """`text` safe to print on one line: each control character shown as its escape
    (`\\n`, `\\x9b`, `\\u2028`), everything else (Chinese included) as it is."""
    if not has_control(text):
        return text
    return "".join(
        c.encode("unicode_escape").decode() if unicodedata.category(c) in _CONTROL_CATEGORIES else c
        for c in text
    )


@dataclass(frozen=True)
class Bilingual:
    """A message in both of the languages govrules speaks."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Location:
    """Where an error sits: a file, and inside it a line, a column and a field path."""

    file: str = ""
    line: int | None = None
    column: int | None = None
    field: str = ""

    def __str__(self) -> str:
        parts = [printable(self.file) if self.file else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass
class GovrulesError(Exception):
    """Base of every error govrules reports to a user."""

    message: Bilingual
    location: Location = field(default_factory=Location)
    code: str = "error"
    detail: str = ""  # extra lines (a source excerpt with a caret), language-neutral
    exit_code: int = 2

    def __post_init__(self) -> None:
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh") -> str:
        """The one message a user sees: place, field, text, then any excerpt."""
        if not self.location.file and self.location.line is None and not self.location.field:
            text = f"govrules: {self.message(lang)}"
            return f"{text}\n{self.detail}" if self.detail else text
        head = str(self.location)
        if self.location.field:
            label = "字段" if lang != "en" else "field"
            head += f": {label} {self.location.field}"
        text = f"{head}: {self.message(lang)}"
        return f"{text}\n{self.detail}" if self.detail else text

    def __str__(self) -> str:
        return self.render("en")

    def __hash__(self) -> int:
        return id(self)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by its fields (batches send errors back from worker processes)."""
        return (_rebuild, (type(self), {f.name: getattr(self, f.name) for f in fields(self)}))


def _rebuild(cls: type[GovrulesError], values: dict[str, Any]) -> GovrulesError:
    exit_code = values.pop("exit_code")
    error = cls(**values)
    error.exit_code = exit_code
    return error


class InputError(GovrulesError):
    """Bad input data: an organisation, document, plan or calendar file (exit 2)."""


class CalendarError(InputError):
    """A date the working-day calendar cannot answer for (exit 2)."""


class PolicyError(GovrulesError):
    """A policy directory that is incomplete or inconsistent (exit 2)."""


class RuleError(GovrulesError):
    """An error in a rule file, found by the stage named in `code` (exit 2)."""


class SolverLimitError(GovrulesError):
    """A bound was reached: time, models or input size (exit 3)."""

    def __post_init__(self) -> None:
        self.exit_code = 3
        super().__post_init__()


class InputWarning(UserWarning):
    """Input accepted, but suspicious (a name with invisible characters, mixed scripts, or
    looking like another name): issued with `warnings.warn`, printed by the CLI."""

    def __init__(self, message: Bilingual, location: Location | None = None) -> None:
        self.message = message
        self.location = location or Location()
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh") -> str:
        label = "警告" if lang != "en" else "warning"
        where = self.location
        head = str(where) if where.file or where.line is not None else "govrules"
        if where.field:
            head += f": {'字段' if lang != 'en' else 'field'} {where.field}"
        return f"{head}: {label}: {self.message(lang)}"
