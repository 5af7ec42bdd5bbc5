"""Checks that need more than one value: unique names, and names that must refer to someone.

Each check collects every problem and reports the first in file order, as `validate` does,
so a user always fixes the topmost mistake first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from govrules.errors import Bilingual, InputError
from govrules.inputs.messages import did_you_mean
from govrules.inputs.models import DocumentFile, Organisation, Plan, Report
from govrules.inputs.source import Source, source_of

__all__ = [
    "Problems",
    "check_document",
    "check_org",
    "check_plan",
    "check_roles",
    "unit_renaming",
    "units_by_name",
]

Loc = tuple[str | int, ...]
_NOWHERE = 10**9


class Problems:
    """Problems found in one source; `raise_first` reports the topmost one."""

    def __init__(self, source: Source):
        self.source = source
        self.found: list[tuple[Loc, Bilingual]] = []

    def add(self, loc: Loc, message: Bilingual) -> None:
        self.found.append((loc, message))

    def where(self, loc: Loc) -> Bilingual:
        """'line 12' when the source has positions, else the field path."""
        line, _ = self.source.locate(loc)
        if line is not None:
            return Bilingual(zh=f"第 {line} 行", en=f"line {line}")
        path = self.source.field_path(loc)
        return Bilingual(zh=path, en=path)

    def _position(self, loc: Loc) -> tuple[int, int]:
        line, column = self.source.locate(loc)
        return (line or _NOWHERE, column or _NOWHERE)

    def in_file_order(self, locs: Sequence[Loc]) -> list[Loc]:
        """`locs` sorted by their position in the file (stable where it is unknown)."""
        return sorted(locs, key=self._position)

    def errors(self, code: str) -> list[InputError]:
        """Every problem as a positioned error, in file order (for a verb that lists all)."""
        ordered = sorted(self.found, key=lambda item: self._position(item[0]))
        return [self.source.error(loc, message, code) for loc, message in ordered]

    def raise_first(self, code: str) -> None:
        if not self.found:
            return
        loc, message = min(self.found, key=lambda item: self._position(item[0]))
        others = len(self.found) - 1
        if others:
            message = Bilingual(
                zh=f"{message.zh}（另有 {others} 处问题）",
                en=f"{message.en} ({others} more problem{'s' if others > 1 else ''})",
            )
        raise self.source.error(loc, message, code)


def _guess(word: str, candidates: Iterable[str]) -> Bilingual:
    guess = did_you_mean(word, candidates)
    if guess is None:
        return Bilingual(zh="", en="")
    return Bilingual(zh=f"，是否应为 '{guess}'？", en=f", did you mean '{guess}'?")


def _unknown_person(problems: Problems, loc: Loc, name: str, org: Organisation, what: str) -> None:
    people = [p.name for p in org.people]
    guess = _guess(name, people)
    problems.add(
        loc,
        Bilingual(
            zh=f"{what} 中的 '{name}' 不是本组织的人员{guess.zh or '；'}人员：{'、'.join(people)}",
            en=f"'{name}' in {what} is not a person of the organisation{guess.en or ';'} "
            f"people: {', '.join(people)}",
        ),
    )


def check_org(org: Organisation, source: Source) -> None:
    """Names unique across people and units; `reports_to` and `backup` name people."""
    names = Problems(source)
    _unique_names(names, org)
    names.raise_first("input.org")  # first: a duplicate makes every reference doubtful
    references = Problems(source)
    _references(references, org)
    references.raise_first("input.org")


def _unique_names(problems: Problems, org: Organisation) -> None:
    """A trace names an actor by person name, unit id or unit name: all must differ."""
    seen: dict[str, Loc] = {}
    entries: list[tuple[str, Loc]] = [
        (p.name, ("people", i, "name")) for i, p in enumerate(org.people)
    ]
    for uid, shown in org.units.items():
        entries += [(uid, ("units", uid))] + ([(shown, ("units", uid))] if shown != uid else [])
    for name, loc in entries:
        if name not in seen:
            seen[name] = loc
            continue
        first = problems.where(seen[name])
        problems.add(
            loc,
            Bilingual(
                zh=f"名称 '{name}' 重复（{first.zh}已使用）；人员和单位的名称必须各不相同",
                en=f"the name '{name}' is used twice (already on {first.en}); people and units "
                "need distinct names",
            ),
        )


def _references(problems: Problems, org: Organisation) -> None:
    names = {p.name for p in org.people}
    for i, person in enumerate(org.people):
        for j, unit in enumerate(person.units):
            if org.unit_id(unit) is None:
                shown = "、".join(org.units) or "无"
                problems.add(
                    ("people", i, "units", j),
                    Bilingual(
                        zh=f"units 中的 '{unit}' 不是组织文件 units 所列的单位；单位：{shown}",
                        en=f"'{unit}' in units is not a unit listed under units in the "
                        f"organisation file; units: {', '.join(org.units) or 'none'}",
                    ),
                )
        for key in ("reports_to", "backup"):
            for j, other in enumerate(getattr(person, key) or ()):
                loc: Loc = ("people", i, key, j)
                if other not in names:
                    _unknown_person(problems, loc, other, org, key)
                elif other == person.name:
                    problems.add(
                        loc,
                        Bilingual(
                            zh=f"{key} 不能是本人（{other}）",
                            en=f"{key} cannot name oneself ({other})",
                        ),
                    )
    problems.raise_first("input.org")


def check_roles(
    org: Organisation, known_roles: Mapping[str, str], source: Source | None = None
) -> None:
    """Every role is in the policy's vocabulary (`known_roles`: role -> its Chinese name)."""
    if source is None:
        source = source_of(org) or Source("<org>", {})
    problems = Problems(source)
    listed_zh = "、".join(f"{role}（{label}）" for role, label in known_roles.items())
    for i, person in enumerate(org.people):
        for j, role in enumerate(person.roles):
            if role in known_roles:
                continue
            guess = did_you_mean(role, known_roles)
            zh_guess = f"，是否应为 '{guess}'（{known_roles[guess]}）？" if guess else "；"
            en_guess = f", did you mean '{guess}' ({known_roles[guess]})?" if guess else ";"
            problems.add(
                ("people", i, "roles", j),
                Bilingual(
                    zh=f"未知的角色 '{role}'{zh_guess}本政策的角色：{listed_zh}",
                    en=f"unknown role '{role}'{en_guess} the policy's roles: "
                    + ", ".join(known_roles),
                ),
            )
    problems.raise_first("input.role")


def _actors(org: Organisation) -> list[str]:
    return [p.name for p in org.people] + list(org.units.values()) + list(org.units)


def check_document(doc: DocumentFile, org: Organisation, source: Source) -> None:
    """Every trace actor is a person or a unit (by display name or id) of `org`."""
    problems = Problems(source)
    actors = _actors(org)
    people = [p.name for p in org.people]
    for i, event in enumerate(doc.trace):
        if event.acting_for is not None and event.acting_for not in people:
            _unknown_person(
                problems, ("trace", i, "acting_for"), event.acting_for, org, "acting_for"
            )
        if event.actor in actors:
            continue
        guess = _guess(event.actor, actors)
        units = "、".join(org.units.values()) or "无"
        problems.add(
            ("trace", i, "actor"),
            Bilingual(
                zh=f"执行者 '{event.actor}' 既不是本组织的人员，也不是其单位{guess.zh or '；'}"
                f"单位：{units}",
                en=f"the actor '{event.actor}' is neither a person nor a unit of the "
                f"organisation{guess.en or ';'} units: {', '.join(org.units.values()) or 'none'}",
            ),
        )
    drafter = doc.document.drafter
    if drafter is not None and drafter not in actors:
        guess = _guess(drafter, actors)
        problems.add(
            ("document", "drafter"),
            Bilingual(
                zh=f"起草者（drafter）'{drafter}' 既不是本组织的人员，也不是其单位"
                f"{guess.zh or '；'}"
                "请在组织文件的 units 中列出起草的单位",
                en=f"the drafter '{drafter}' is neither a person nor a unit of the "
                f"organisation{guess.en or ';'} list drafting units under units in the "
                "organisation file",
            ),
        )
    problems.raise_first("input.document")


def unit_renaming(org: Organisation) -> Callable[[str], str | None]:
    """Whom a report names, as the kernel knows them: a unit's display name where `to` is a
    unit's id, else None (it names a person, or a unit by its display name already).
    Memoised: a year's audit has hundreds of thousands of reports to a few names."""
    display = frozenset(org.units.values())
    renamed: dict[str, str | None] = {}

    def unit_name(to: str) -> str | None:
        if to not in renamed:
            uid = None if to in display else org.unit_id(to)
            renamed[to] = None if uid is None else org.units[uid]
        return renamed[to]

    return unit_name


def units_by_name(plan: Plan, org: Organisation) -> Plan:
    """`plan` with every report or request to a unit naming it by its display name, as the
    kernel knows units (`unit(Id, Name)`); a checked plan only (see `check_plan`)."""

    # Copies only where a name changes: a year's audit has hundreds of thousands of reports,
    # nearly all to people, and copying each model cost more than grounding them.
    unit_name = unit_renaming(org)

    def named(reports: tuple[Report, ...]) -> tuple[Report, ...]:
        """`reports` itself (the same object) when no name changes."""
        if all(unit_name(r.to) is None for r in reports):
            return reports
        return tuple(
            r if (to := unit_name(r.to)) is None else r.model_copy(update={"to": to})
            for r in reports
        )

    changed = False
    absences = []
    for a in plan.absences:
        reported = named(a.reported)
        if reported is not a.reported:
            changed, a = True, a.model_copy(update={"reported": reported})
        absences.append(a)
    matters = []
    for m in plan.matters:
        requested, reported = named(m.requested), named(m.reported)
        if requested is not m.requested or reported is not m.reported:
            changed = True
            m = m.model_copy(update={"requested": requested, "reported": reported})
        matters.append(m)
    if not changed:
        return plan
    return plan.model_copy(update={"absences": tuple(absences), "matters": tuple(matters)})


def check_plan(plan: Plan, org: Organisation, source: Source) -> None:
    """Who is absent is a person of `org`; whom they reported to, a person or a unit."""
    problems = Problems(source)
    names = {p.name for p in org.people}
    for i, absence in enumerate(plan.absences):
        if absence.who not in names:
            _unknown_person(problems, ("absences", i, "who"), absence.who, org, "who")
        for j, report in enumerate(absence.reported):
            if report.to not in names and org.unit_id(report.to) is None:
                loc: Loc = ("absences", i, "reported", j, "to")
                _unknown_person(problems, loc, report.to, org, "reported.to")
    for i, meeting in enumerate(plan.meetings):
        people: list[tuple[Loc, str, str]] = []
        if meeting.called_by is not None:
            people.append((("meetings", i, "called_by"), meeting.called_by, "called_by"))
        for key in ("attendees", "observers"):
            for j, name in enumerate(getattr(meeting, key)):
                people.append((("meetings", i, key, j), name, key))
        for loc, name, what in people:
            if name not in names:
                _unknown_person(problems, loc, name, org, what)
    fields = sorted({f for p in org.people for f in p.fields})
    for i, matter in enumerate(plan.matters):
        if matter.who not in names:
            _unknown_person(problems, ("matters", i, "who"), matter.who, org, "who")
        if matter.field is not None and matter.field not in fields:
            guess = _guess(matter.field, fields)
            problems.add(
                ("matters", i, "field"),
                Bilingual(
                    zh=f"field 中的 '{matter.field}' 不是本组织任何人分管的领域"
                    f"{guess.zh or '；'}领域：{'、'.join(fields)}",
                    en=f"'{matter.field}' in field is not a field anyone in the organisation "
                    f"covers{guess.en or ';'} fields: {', '.join(fields)}",
                ),
            )
        for key in ("requested", "reported"):
            for j, entry in enumerate(getattr(matter, key)):
                if entry.to not in names and org.unit_id(entry.to) is None:
                    loc = ("matters", i, key, j, "to")
                    _unknown_person(problems, loc, entry.to, org, f"{key}.to")
    problems.raise_first("input.plan")
