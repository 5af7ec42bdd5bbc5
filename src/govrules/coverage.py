"""Policy-test coverage: which rules the test cases exercise, and which articles they test.

A rule is exercised by a case when it derived something in that case's answer (a step, a
precedence, a relation, a finding) or was given something to judge (a power used by a
trace entry, an opinion duty on an entry, a report owed). An article is tested when a case
names it; it is tested both ways when some case of it expects no violation of the article
and another expects one, as OPA's coverage counts lines evaluated both ways.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from govrules.lang import ir
from govrules.policy_tests import CaseResult

__all__ = ["ArticleCoverage", "Coverage", "RuleCoverage", "measure"]


@dataclass(frozen=True)
class RuleCoverage:
    rule: str
    article: int
    source: str
    cases: tuple[str, ...]  # the cases that exercise it

    @property
    def covered(self) -> bool:
        return bool(self.cases)


@dataclass(frozen=True)
class ArticleCoverage:
    article: int
    rules: tuple[RuleCoverage, ...]
    cases: tuple[str, ...]  # the cases naming the article
    positive: bool  # some case of it expects no violation of the article
    negative: bool  # some case of it expects one
    can_fail: bool = True  # False when its rules only define terms others use

    @property
    def both_ways(self) -> bool:
        """Tested holding and broken (or holding only, for definitions nothing can break)."""
        return self.positive and (self.negative or not self.can_fail)

    @property
    def percent(self) -> float:
        if not self.rules:
            return 100.0
        return 100.0 * sum(r.covered for r in self.rules) / len(self.rules)


@dataclass(frozen=True)
class Coverage:
    articles: tuple[ArticleCoverage, ...]

    @property
    def rules(self) -> list[RuleCoverage]:
        return [r for a in self.articles for r in a.rules]

    @property
    def percent(self) -> float:
        rules = self.rules
        return 100.0 * sum(r.covered for r in rules) / len(rules) if rules else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": round(self.percent, 1),
            "rules_total": len(self.rules),
            "rules_covered": sum(r.covered for r in self.rules),
            "articles": [
                {
                    "article": a.article,
                    "percent": round(a.percent, 1),
                    "cases": len(a.cases),
                    "positive": a.positive,
                    "negative": a.negative,
                    "can_fail": a.can_fail,
                    "rules": [
                        {
                            "rule": r.rule,
                            "source": r.source,
                            "covered": r.covered,
                            "cases": len(r.cases),
                        }
                        for r in a.rules
                    ],
                }
                for a in self.articles
            ],
        }


def _violates(result: CaseResult, article: int, labels: set[str] | None = None) -> bool:
    """Whether a case's answer has a violation of the article (cited by number or label)."""
    cited = {article, *(labels or set())}
    return any(
        f.get("severity") == "violation" and f.get("article") in cited
        for f in result.answer.get("findings", [])
    )


def articles_rules(program: ir.Program, number: int) -> list[ir.Rule]:
    return [r for r in program.rules if r.article == number]


def measure(program: ir.Program, results: Iterable[CaseResult]) -> Coverage:
    """Coverage of every rule of `program` (grouped by article) by the case results."""
    done = list(results)
    by_rule: dict[str, list[str]] = {}
    for result in done:
        for ident in result.rules:
            by_rule.setdefault(ident, []).append(result.case.ident)
    articles: dict[int, list[RuleCoverage]] = {}
    for rule in program.rules:
        articles.setdefault(rule.article, []).append(
            RuleCoverage(
                rule.ident,
                rule.article,
                f"{rule.source.file}:{rule.source.line}",
                tuple(sorted(set(by_rule.get(rule.ident, ())))),
            )
        )
    out = []
    for number in sorted(articles):
        labels = {r.label for r in articles_rules(program, number) if r.label is not None}
        naming = [r for r in done if {number, *labels} & set(r.case.articles)]
        out.append(
            ArticleCoverage(
                number,
                tuple(articles[number]),
                tuple(r.case.ident for r in naming),
                any(not _violates(r, number, labels) for r in naming),
                any(_violates(r, number, labels) for r in naming),
                any(
                    not isinstance(r.form, ir.Definition)
                    for r in program.rules
                    if r.article == number
                ),
            )
        )
    return Coverage(tuple(out))
