"""Policy test cases: an input and the answer the policy's author expects for it.

A policy directory keeps its cases in `tests/*.yaml`. Each file has `cases:`; a case names
the articles it tests, gives exactly one input (`route`, `check` or `leave`, written as the
input file would be) and an `expect` block. Expected findings and acting rows are partial
dicts matched one-to-one against the answer, so a case states what matters (article, kind,
severity) and still fails on any finding it did not foresee.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govrules.errors import Bilingual, GovrulesError, InputError
from govrules.inputs import read_source
from govrules.inputs.source import Source

if TYPE_CHECKING:
    from govrules.document_answer import RouteResult
    from govrules.engine import Policy

__all__ = [
    "Case",
    "CaseResult",
    "ask_document",
    "case_files",
    "load_cases",
    "run_case",
    "run_cases",
    "unknown_rules",
]

INPUT_KEYS = ("route", "check", "leave")
EXPECT_KEYS = (
    "compliant",
    "findings",
    "order_count",
    "orders",
    "steps",
    "precedence",
    "acting",
    "changes",
    "found",
    "in_force",
)
CASE_KEYS = ("name", "articles", "org", "interpretations", "suggest", "expect", *INPUT_KEYS)


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    name: str
    articles: tuple[int | str, ...]  # numbers, or the labels articles.toml gives
    verb: str  # route | check | leave
    data: Mapping[str, Any]
    expect: Mapping[str, Any]
    org: Path | None = None
    interpretations: Mapping[str, bool] = field(default_factory=dict)
    suggest: bool = False

    @property
    def ident(self) -> str:
        return f"{Path(self.file).name}::{self.name}"


@dataclass(frozen=True)
class CaseResult:
    case: Case
    failures: tuple[str, ...]
    rules: frozenset[str]  # the rules the answer rests on, for coverage
    answer: Mapping[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failures


def case_files(directory: Path) -> list[Path]:
    """The test files of a policy directory (or a directory of test files), sorted."""
    folder = directory / "tests" if (directory / "tests").is_dir() else directory
    # Subfolders hold groups of cases (tests/readings/); `orgs/` folders hold the
    # organisation files cases name, not cases.
    return sorted(
        p
        for p in folder.rglob("*.y*ml")
        if p.is_file() and "orgs" not in p.relative_to(folder).parts[:-1]
    )


def _bad(source: Source, loc: tuple[str | int, ...], zh: str, en: str) -> InputError:
    return source.error(loc, Bilingual(zh, en), code="policy_test")


def load_cases(path: Path) -> list[Case]:
    """The cases of one file, each checked for shape before anything runs."""
    source = read_source(path, str(path))
    cases = source.data.get("cases") if isinstance(source.data, dict) else None
    if not isinstance(cases, list) or not cases:
        raise _bad(
            source, (), "测试文件须有非空的 cases 列表", "a test file needs a non-empty cases list"
        )
    out: list[Case] = []
    names: set[str] = set()
    for i, raw in enumerate(cases):
        loc: tuple[str | int, ...] = ("cases", i)
        if not isinstance(raw, dict):
            raise _bad(source, loc, "每个用例须是映射", "each case must be a mapping")
        unknown = sorted(set(raw) - set(CASE_KEYS))
        if unknown:
            raise _bad(
                source,
                (*loc, unknown[0]),
                f"未知的键 {unknown[0]}；可用：{'、'.join(CASE_KEYS)}",
                f"unknown key {unknown[0]}; known: {', '.join(CASE_KEYS)}",
            )
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip() or name in names:
            raise _bad(
                source,
                (*loc, "name"),
                "每个用例须有不重复的 name",
                "each case needs a name, unique in its file",
            )
        names.add(name)
        verbs = [k for k in INPUT_KEYS if k in raw]
        if len(verbs) != 1 or not isinstance(raw[verbs[0]], dict):
            raise _bad(
                source,
                loc,
                "每个用例须恰有一个输入：route、check 或 leave（映射）",
                "each case needs exactly one input: route, check or leave (a mapping)",
            )
        articles = raw.get("articles")
        if (
            not isinstance(articles, list)
            or not articles
            or not all(
                (isinstance(a, int) and not isinstance(a, bool)) or (isinstance(a, str) and a)
                for a in articles
            )
        ):
            raise _bad(
                source,
                (*loc, "articles"),
                "articles 须是条文编号（整数）或条文标签的非空列表",
                "articles must be a non-empty list of article numbers (or labels)",
            )
        expect = raw.get("expect")
        if not isinstance(expect, dict) or not expect:
            raise _bad(source, (*loc, "expect"), "须有 expect 映射", "expect must be a mapping")
        extra = sorted(set(expect) - set(EXPECT_KEYS))
        if extra:
            raise _bad(
                source,
                (*loc, "expect", extra[0]),
                f"未知的期望 {extra[0]}；可用：{'、'.join(EXPECT_KEYS)}",
                f"unknown expectation {extra[0]}; known: {', '.join(EXPECT_KEYS)}",
            )
        interpretations = raw.get("interpretations") or {}
        if not isinstance(interpretations, dict) or not all(
            isinstance(v, bool) for v in interpretations.values()
        ):
            raise _bad(
                source,
                (*loc, "interpretations"),
                "interpretations 须是 名称: true/false 的映射",
                "interpretations must map names to true or false",
            )
        org = raw.get("org")
        line, _ = source.locate(loc)
        out.append(
            Case(
                file=str(path),
                line=line or 1,
                name=name,
                articles=tuple(articles),
                verb=verbs[0],
                data=raw[verbs[0]],
                expect=expect,
                org=(path.parent / org) if isinstance(org, str) else None,
                interpretations=interpretations,
                suggest=bool(raw.get("suggest", False)),
            )
        )
    return out


def _named_rules(value: Any) -> Iterator[str]:
    """Every rule id an expectation names (`rule:` in findings, acting rows, …)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "rule" and isinstance(inner, str):
                yield inner
            else:
                yield from _named_rules(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _named_rules(inner)


def unknown_rules(cases: Sequence[Case], rules: set[str]) -> list[tuple[Case, str]]:
    """The stored expectations that name a rule the policy no longer has: the case can
    only fail, and the rule was probably renamed or deleted."""
    return [
        (case, name)
        for case in cases
        for name in sorted(set(_named_rules(case.expect)))
        if name not in rules
    ]


def _matches(expected: Any, actual: Any) -> bool:
    """`expected` is a part of `actual`: every key it gives has the same value there."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _matches(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(_matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)


def _pairing(expected: Sequence[Any], actual: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """A one-to-one matching of partial expectations to answers: the expectations left
    unmatched and the answers nobody expected. Backtracks for a perfect matching (the sets
    are small); failing that, a greedy matching is enough to report the differences."""

    def perfect(i: int, free: tuple[int, ...]) -> bool:
        if i == len(expected):
            return not free
        return any(
            _matches(expected[i], actual[j]) and perfect(i + 1, tuple(k for k in free if k != j))
            for j in free
        )

    if len(expected) == len(actual) and perfect(0, tuple(range(len(actual)))):
        return [], []
    free = list(range(len(actual)))
    missing: list[Any] = []
    for wanted in expected:
        j = next((k for k in free if _matches(wanted, actual[k])), None)
        if j is None:
            missing.append(wanted)
        else:
            free.remove(j)
    return missing, [actual[j] for j in free]


def _compare(expect: Mapping[str, Any], answer: Mapping[str, Any]) -> list[str]:
    failures: list[str] = []

    def show(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    for key, wanted in expect.items():
        got = answer.get(key)
        if key in ("findings", "acting", "changes"):
            if not isinstance(wanted, list):
                failures.append(f"{key}: expected a list")
                continue
            missing, extra = _pairing(wanted, list(got or []))
            failures += [f"{key}: expected, not found: {show(m)}" for m in missing]
            failures += [f"{key}: found, not expected: {show(e)}" for e in extra]
        elif key in ("steps", "precedence"):
            want = sorted(show(w) for w in wanted or [])
            have = sorted(show(g) for g in got or [])
            failures += [f"{key}: expected, not found: {w}" for w in want if w not in have]
            failures += [f"{key}: found, not expected: {h}" for h in have if h not in want]
        elif not _matches(wanted, got):
            failures.append(f"{key}: expected {show(wanted)}, got {show(got)}")
    return failures


def ask_document(policy: Policy, case: Case, *, explain: bool = False) -> RouteResult:
    """A route or check case's question, as the case poses it: a check may carry the plan
    whose absences it sees (`plan:`, for acting_for)."""
    if case.verb == "route":
        return policy.route(
            case.data, case.org, interpretations=case.interpretations, explain=explain
        )
    document = {k: v for k, v in case.data.items() if k != "plan"}
    return policy.check(
        document,
        case.org,
        interpretations=case.interpretations,
        explain=explain,
        plan=case.data.get("plan"),
    )


def _answer(policy: Policy, case: Case, coverage: bool) -> tuple[dict[str, Any], frozenset[str]]:
    """The answer as JSON data, and (only when coverage is asked) the rules it rests on:
    finding which rules fired costs an explained solve, and a plain test run needs none."""
    org: Any = case.org
    rules: set[str] = set()
    if case.verb == "leave":
        data = policy.check_leave(case.data, org, interpretations=case.interpretations).to_dict(
            "zh"
        )
        if case.suggest:
            suggestion = policy.suggest_leave(
                case.data, org, interpretations=case.interpretations
            ).to_dict("zh")
            data["changes"] = suggestion["changes"]
            data["found"] = suggestion["found"]
        if coverage:
            rules = {f["rule"] for f in data["findings"]}
            rules |= {row.get("rule", "") for row in data.get("acting", [])}
            rules |= _fired_on_plan(policy, case, org)
    else:
        result = ask_document(policy, case, explain=coverage)
        data = result.to_dict("zh")
        data.pop("explanations", None)
        data["steps"] = [s["id"] for s in data["steps"]]
        data["precedence"] = [[p["before"], p["after"]] for p in data["precedence"]]
        if coverage:
            rules = {f["rule"] for f in data["findings"]}
            rules |= {r for s in result.steps for r, _ in s.rules}
            rules |= {rule for _, _, rule in result.precedence}
            rules |= result.fired
    return data, frozenset(r for r in rules if r)


def _fired_on_plan(policy: Policy, case: Case, org: Any) -> set[str]:
    """The rules a plan gave something to judge, for coverage (the check reports only what
    went wrong)."""
    from govrules.asp.facts import symbol_to_python
    from govrules.asp.solve import solve
    from govrules.compiler import kernel_part
    from govrules.presence import leave_question

    _, settings, facts = leave_question(policy, case.data, org, case.interpretations)
    answer = solve(
        policy.compiled.solver_program + kernel_part("explain.lp"),
        facts,
        interpretations=[k for k, v in settings.items() if v],
    )
    return {symbol_to_python(a.arguments[0]) for a in answer.atoms if a.name == "fired"}


def run_case(policy: Policy, case: Case, *, coverage: bool = False) -> CaseResult:
    """One case: its answer compared with what it expects; a bad input is a failure too.
    With `coverage`, the result also names the rules the answer exercised."""
    try:
        answer, rules = _answer(policy, case, coverage)
    except GovrulesError as error:
        return CaseResult(case, (f"error: {error.render('en')}",), frozenset())
    return CaseResult(case, tuple(_compare(case.expect, answer)), rules, answer)


def run_cases(policy: Policy, directory: Path, *, coverage: bool = False) -> Iterator[CaseResult]:
    for path in case_files(directory):
        for case in load_cases(path):
            yield run_case(policy, case, coverage=coverage)
