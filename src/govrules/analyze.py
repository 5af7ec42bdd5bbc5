"""Analysis: what a policy's rules can and cannot do, over a bounded space of scenarios.

The solver generates every organisation, document, trace and plan within small bounds
(a few people with any roles and fields, every document kind, name and condition, short
traces and plans, every interpretation on or off: `kernel/analyze.lp`) and is asked, for
each rule, whether any scenario makes it fire; whether any scenario gives a procedure a
cycle; whether a rule forbids a step another rule requires; whether a required step can
ever be filled. Each problem comes with a concrete scenario that shows it, or, for a rule
that never fires, with the bounds within which none does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govrules import clock
from govrules.asp.facts import number, symbol_to_python, text
from govrules.asp.queries import Grounded, atom
from govrules.compiler import kernel_part
from govrules.errors import Bilingual, SolverLimitError
from govrules.findings import step_id
from govrules.lang import ir

if TYPE_CHECKING:
    from govrules.engine import Policy

__all__ = ["Analysis", "Bounds", "Problem", "analysis_size", "analyze"]

# The space is ground once, which cannot be interrupted; its work grows about as rules x
# people^3 x days^3 (measured: 4 to 5 microseconds a unit on a slow 2-core machine, from
# 54 rules x 2 people x 1 day to 54 x 10 x 7). Past MAX_ANALYSIS_SIZE it is refused, and
# below it when it cannot be ground in the time left at ANALYSIS_UNITS_PER_SECOND (a fast
# machine's pace), before grounding starts.
MAX_ANALYSIS_SIZE = 40_000_000
ANALYSIS_UNITS_PER_SECOND = 700_000

_PEOPLE = "甲乙丙丁戊己庚辛壬癸"


@dataclass(frozen=True)
class Bounds:
    people: int = 5
    fields: int = 2
    days: int = 3
    entries: int = 3
    absences: int = 2

    def to_dict(self) -> dict[str, int]:
        return {
            "people": self.people,
            "fields": self.fields,
            "days": self.days,
            "trace_entries": self.entries,
            "absences": self.absences,
        }


@dataclass(frozen=True)
class Problem:
    kind: str  # never_fires | cycle | forbidden_step | unfillable_step
    rules: tuple[ir.Rule, ...]
    message: Bilingual
    witness: dict[str, Any] | None = None

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message(lang),
            "rules": [
                {
                    "rule": r.ident,
                    "article": r.article,
                    "source": f"{r.source.file}:{r.source.line}",
                    "statement": r.text,
                }
                for r in self.rules
            ],
            "witness": self.witness,
        }


@dataclass
class Analysis:
    problems: list[Problem]
    bounds: Bounds
    rules_checked: int
    slots_checked: int
    grounding: dict[str, int] = field(default_factory=dict)
    lang: str = "zh"

    @property
    def compliant(self) -> bool:
        """Clean: no problem found within the bounds."""
        return not self.problems

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        return {
            "clean": self.compliant,
            "bounds": self.bounds.to_dict(),
            "rules_checked": self.rules_checked,
            "steps_checked": self.slots_checked,
            "grounding": self.grounding,
            "problems": [p.to_dict(lang) for p in self.problems],
        }

    def to_json(self, lang: str | None = None) -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _universe(policy: Policy, bounds: Bounds) -> list[Any]:
    """The a_* facts: the policy's vocabulary, as far as inputs can express it, and bounds."""
    vocab: dict[str, list[str]] = {}
    for item in policy.program.vocabulary:
        vocab.setdefault(item.kind, []).append(item.ident)
    out: list[Any] = []
    people = [f"{_PEOPLE[i % len(_PEOPLE)]}{i // len(_PEOPLE) or ''}" for i in range(bounds.people)]
    out += [atom("a_person", text(p)) for p in people]
    out += [atom("a_person_index", text(p), number(i)) for i, p in enumerate(people)]
    out += [atom("a_role", text(r)) for r in vocab.get("role", [])]
    out += [atom("a_role_index", text(r), number(i)) for i, r in enumerate(vocab.get("role", []))]
    # The organisation's shape comes from the roles' traits: one post (职务) per person,
    # and a post with a single holder (唯一).
    words = policy.vocabulary
    out += [atom("a_post", text(w.ident)) for w in words.words("role") if "post" in w.traits]
    out += [atom("a_single", text(w.ident)) for w in words.words("role") if "single" in w.traits]
    out += [atom("a_field", text(f"领域{n + 1}")) for n in range(bounds.fields)]
    out.append(atom("a_first_field", text("领域1")))
    out += [atom("a_unit", text(u), text(u)) for u in vocab.get("unit", [])]
    out += [atom("a_kind", text(k)) for k in vocab.get("document", [])]
    out += [
        atom("a_named_kind", text(w.ident)) for w in words.words("document") if "named" in w.traits
    ]
    out += [atom("a_name", text(n)) for n in vocab.get("name", [])]
    out += [atom("a_action", text(a)) for a in vocab.get("action", [])]
    out += [atom("a_absence_kind", text(k)) for k in vocab.get("absence", [])]
    valued = {w.ident for w in words.words("flag") if "role_value" in w.traits}
    roles = vocab.get("role", [])
    exclusive = {f"{c}_{r}": c for c in valued for r in roles}
    for word in words.words("flag"):
        if "several_fields" in word.traits:
            out.append(atom("a_cross_flag", text(word.ident)))
        elif word.ident in exclusive:
            out.append(atom("a_exclusive", text(exclusive[word.ident]), text(word.ident)))
        elif word.ident not in valued:
            out.append(atom("a_free_flag", text(word.ident)))
    out += [atom("a_day", number(d)) for d in range(1, bounds.days + 1)]
    out += [atom("a_slot", number(i)) for i in range(bounds.entries)]
    out += [atom("a_absence_slot", number(i)) for i in range(bounds.absences)]
    out += [atom("a_meeting_slot", number(0)), atom("a_matter_slot", number(0))]
    out += [atom("a_meeting_kind", text(k)) for k in ("regular", "ad_hoc")]
    out += [atom("a_meeting_word", text(k)) for k in vocab.get("meeting", [])]
    out += [atom("a_matter_word", text(k)) for k in vocab.get("matter", [])]
    out.append(atom("a_month", number(202101), number(1), number(bounds.days)))
    out += [atom("a_consultation", number(0)), atom("a_received", number(1))]
    out.append(atom("a_in_force", number(1)))
    out += [atom("a_interp", text(i.ident)) for i in policy.program.interpretations]
    dues = {
        r.form.working_days for r in policy.program.rules if isinstance(r.form, ir.DeadlineDuty)
    }
    out += [atom("a_due", number(n)) for n in sorted(dues)]
    return out


def _scenario(model: Sequence[Any]) -> dict[str, Any]:
    """A model's chosen inputs laid out as the input files would hold them."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for sym in model:
        rows.setdefault(sym.name, []).append(tuple(symbol_to_python(a) for a in sym.arguments))
    people: dict[str, dict[str, Any]] = {}
    for (name,) in rows.get("person", []):
        people[name] = {"name": name, "roles": [], "fields": []}
    for key, column in (("has_role", "roles"), ("has_field", "fields")):
        for who, value in rows.get(key, []):
            people[who][column].append(value)
    for key in ("reports_to", "backup"):
        for who, other in rows.get(key, []):
            people[who].setdefault(key, []).append(other)
    document: dict[str, Any] = {}
    for (kind,) in rows.get("doc_kind", []):
        document["kind"] = kind
    for (name,) in rows.get("doc_name", []):
        document["in_name_of"] = name
    fields = sorted(rows.get("doc_field", []), key=lambda r: r[1])
    if fields:
        document["fields"] = [f for f, _ in fields]
    flags = sorted(f for (f,) in rows.get("doc_flag", []))
    if flags:
        document["conditions"] = flags
    for (drafter,) in rows.get("doc_drafter", []):
        document["drafter"] = drafter
    days = {i: d for i, d, _ in rows.get("event_at", [])}
    opinions = {i for (i,) in rows.get("explicit_opinion", [])}
    trace = [
        {"entry": i + 1, "actor": x, "action": a, "day": days.get(i), "opinion": i in opinions}
        for i, x, a in sorted(rows.get("event", []))
    ]
    absences = [
        {"absence": a + 1, "who": p, "kind": k, "from_day": f, "to_day": t}
        for a, p, k, f, t in sorted(rows.get("absence", []))
    ]
    out: dict[str, Any] = {
        "interpretations_on": sorted(i for (i,) in rows.get("interp", [])),
        "people": sorted(people.values(), key=lambda p: p["name"]),
        "document": document,
    }
    if trace:
        out["trace"] = trace
    if absences:
        out["absences"] = absences
    return out


def _never(space: Grounded, keys: Sequence[Any], opener: str, reached: str) -> list[Any]:
    """The keys no scenario reaches. Each solve asks whether any key still open is reached
    and closes every key its scenario reaches, so a handful of solves settle them all."""
    from govrules.asp.queries import symbol_of

    still = {k: symbol_of(opener, k) for k in keys}
    goal = "some_rule_fires" if opener == "open_rule" else "some_slot_filled"
    space.free([symbol_of(opener, k) for k in keys])
    while still:
        model = space.ask([atom(goal)], false=[s for k, s in _closed(keys, still, opener)])
        if model is None:
            break
        got = {
            tuple(symbol_to_python(a) for a in sym.arguments)
            if len(sym.arguments) > 1
            else symbol_to_python(sym.arguments[0])
            for sym in model
            if sym.name == reached
        }
        for key in list(still):
            if key in got:
                del still[key]
    return sorted(still)


def _closed(keys: Sequence[Any], still: dict[Any, Any], opener: str) -> list[tuple[Any, Any]]:
    from govrules.asp.queries import symbol_of

    return [(k, symbol_of(opener, k)) for k in keys if k not in still]


def analysis_size(policy: Policy, bounds: Bounds) -> int:
    """The estimated work of grounding the space (see MAX_ANALYSIS_SIZE)."""
    rest = max(1, bounds.fields * bounds.entries * bounds.absences) / 12  # 1 at the defaults
    rules = max(1, len(policy.program.rules))
    return int(rules * bounds.people**3 * bounds.days**3 * max(1.0, rest))


def _check_size(size: int, timeout: float) -> None:
    why = clock.too_big(size, MAX_ANALYSIS_SIZE, ANALYSIS_UNITS_PER_SECOND, timeout)
    if why is None:
        return
    raise SolverLimitError(
        Bilingual(
            f"分析范围过大：规则数 × 人数³ × 天数³ 共 {size}，{why.zh}；请缩小 --people、"
            "--days 或分析部分规则",
            f"the analysis is too big: rules x people^3 x days^3 come to {size}, {why.en}; "
            "lower --people or --days, or analyse part of the rules",
        ),
        code="input_too_large",
    )


def analyze(
    policy: Policy, bounds: Bounds | None = None, *, timeout: float = 60.0, lang: str = "zh"
) -> Analysis:
    """Rules that never fire, cycles, forbidden required steps, unfillable steps: within
    `timeout` seconds for the whole analysis (its size is checked before grounding)."""
    bounds = bounds or Bounds()
    with clock.question(timeout):
        _check_size(analysis_size(policy, bounds), timeout)
        return _analyze(policy, bounds, timeout, lang)


def _analyze(policy: Policy, bounds: Bounds, timeout: float, lang: str) -> Analysis:
    # Orders are not enumerated here: without its external, the grounder drops the
    # enumeration (quadratic in steps) instead of instantiating it for every scenario.
    solver = policy.compiled.solver_program.replace("#external enumerate.", "")
    program = solver + kernel_part("explain.lp") + kernel_part("analyze.lp")
    space = Grounded(program, _universe(policy, bounds), timeout=timeout)
    rules = {r.ident: r for r in policy.program.rules}
    problems: list[Problem] = []

    for ident in _never(space, [r.ident for r in policy.program.rules], "open_rule", "fired"):
        rule = rules[ident]
        problems.append(
            Problem(
                "never_fires",
                (rule,),
                Bilingual(
                    f"规则 {rule.ident} 在分析范围内的任何情形下都不起作用",
                    f"rule {rule.ident} fires in no scenario within the bounds",
                ),
            )
        )

    model = space.ask([atom("cycle")])
    if model is not None:
        looped = {
            symbol_to_python(s.arguments[0])
            for s in model
            if s.name == "reach" and s.arguments[0] == s.arguments[1]
        }
        on_cycle = sorted(
            {
                symbol_to_python(s.arguments[2])
                for s in model
                if s.name == "prec"
                and symbol_to_python(s.arguments[0]) in looped
                and symbol_to_python(s.arguments[1]) in looped
            }
        )
        steps = sorted(step_id(*s) for s in looped)
        problems.append(
            Problem(
                "cycle",
                tuple(rules[r] for r in on_cycle if r in rules),
                Bilingual(
                    f"这些规则合起来使步骤成环（{'、'.join(steps)}），没有可行的办理顺序",
                    f"together these rules put steps in a cycle ({', '.join(steps)}): "
                    "no valid order exists",
                ),
                _scenario(model),
            )
        )

    for pair in space.atoms("forbidden_step", 2):
        model = space.ask([pair])
        if model is not None:
            required, forbidding = (symbol_to_python(a) for a in pair.arguments)
            problems.append(
                Problem(
                    "forbidden_step",
                    (rules[required], rules[forbidding]),
                    Bilingual(
                        f"规则 {required} 要求的步骤被规则 {forbidding} 禁止",
                        f"a step rule {required} requires is forbidden by rule {forbidding}",
                    ),
                    _scenario(model),
                )
            )

    slots = space.atoms("slot_active", 4)
    keys = [tuple(symbol_to_python(a) for a in slot.arguments) for slot in slots]
    proc_rules = {r.form.ident: r for r in policy.program.rules if isinstance(r.form, ir.Procedure)}
    for key in _never(space, keys, "open_slot", "slot_filled"):
        proc, group, action, role = key
        slot = atom("slot_active", text(proc), number(group), text(action), text(role))
        model = space.ask([slot])
        if model is None:
            continue
        label = policy.program.role_label(role, "zh")
        problems.append(
            Problem(
                "unfillable_step",
                (proc_rules[proc],) if proc in proc_rules else (),
                Bilingual(
                    f"流程要求「{label}」{policy.program.label('action', action, 'zh')}，"
                    f"但任何组织中都没有人能担任「{label}」",
                    f"the procedure requires {policy.program.role_label(role, 'en')} to "
                    f"{policy.program.label('action', action, 'en')}, but nobody in any "
                    "organisation can be that",
                ),
                _scenario(model),
            )
        )

    return Analysis(
        problems,
        bounds,
        rules_checked=len(policy.program.rules),
        slots_checked=len(slots),
        grounding=space.size(),
        lang=lang,
    )
