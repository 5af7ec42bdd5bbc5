"""Why not: which rules rule out an order, a trace or a plan, as minimal sets.

"Why can't the director sign first?" is a question about every valid order, not about
one: the answer is the smallest set of rules that together leave no valid order with the
director signing first. The solver finds it as an unsatisfiable core (`asp.cores`); this
module poses the questions and lays the answers out with each rule's article and text.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govrules.asp.cores import minimal_cores
from govrules.asp.facts import constant, fact, step_symbol, symbol_to_python, text
from govrules.compiler import kernel_part
from govrules.errors import Bilingual, InputError
from govrules.findings import Finding, step_id
from govrules.inputs import DocumentFile, InputLike, Organisation, Plan
from govrules.lang import ir
from govrules.policy_core import PolicyCore
from govrules.routing import Question, ask, check, document_question

__all__ = ["Reason", "WhyNot", "parse_order"]

_SEPARATORS = re.compile(r"\s*(?:→|->|>|,|，|、|\s)\s*")


def parse_order(text: str) -> list[str]:
    """Step ids as written on a command line: `a:甲,b:乙` (action:actor) or with → or >."""
    return [part for part in _SEPARATORS.split(text.strip()) if part]


@dataclass(frozen=True)
class Reason:
    """A minimal set of rules that, holding together, rule the question out."""

    rules: tuple[ir.Rule, ...]
    precedence: tuple[tuple[str, str, str], ...] = ()  # what the rules impose on the steps
    findings: tuple[Finding, ...] = ()  # what the rules find in the trace or plan

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "rules": [
                {
                    "rule": r.ident,
                    "article": r.article,
                    "statement": r.text,
                    "source": f"{r.source.file}:{r.source.line}",
                    "interpretation": list(r.guard) if r.guard else None,
                }
                for r in self.rules
            ],
            "precedence": [{"before": a, "after": b, "rule": r} for a, b, r in self.precedence],
            "findings": [f.to_json(lang) for f in self.findings],
        }


@dataclass
class WhyNot:
    question: str  # order | trace | plan
    asked: list[str]  # the order asked about, or the input's name
    possible: bool
    reasons: list[Reason] = field(default_factory=list)
    witness: list[str] = field(default_factory=list)  # a valid order that satisfies the ask
    articles: dict[int, Bilingual] = field(default_factory=dict)
    lang: str = "zh"

    @property
    def compliant(self) -> bool:
        return self.possible

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        cited = sorted({r.article for reason in self.reasons for r in reason.rules})
        return {
            "question": self.question,
            "asked": self.asked,
            "possible": self.possible,
            "witness": self.witness,
            "reasons": [r.to_dict(lang) for r in self.reasons],
            "articles": [
                {"article": n, "text": self.articles[n](lang)} for n in cited if n in self.articles
            ],
        }

    def to_json(self, lang: str | None = None) -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _articles(policy: PolicyCore) -> dict[int, Bilingual]:
    return {a.number: Bilingual(a.text(), a.text_en or a.text()) for a in policy.text.articles}


def why_not_order(
    policy: PolicyCore,
    document: Any,
    order: Sequence[str],
    org: Any = None,
    *,
    interpretations: Mapping[str, bool] | None = None,
    timeout: float = 10.0,
    lang: str = "zh",
) -> WhyNot:
    """Why no valid order puts `order`'s steps in the order given (or that one does)."""
    # Inputs are read and checked once; the route below and the question share them.
    org_model, doc, settings, facts = document_question(
        policy, Question(document, org, "route", interpretations)
    )
    routed = ask(
        policy,
        Question(doc, org_model, "route", interpretations, limit=0, timeout=timeout, lang=lang),
    )
    known = {s.id: s for s in routed.steps}
    if len(order) < 2 or len(set(order)) != len(order):
        raise InputError(
            Bilingual(
                "--why-not 须给出至少两个不重复的步骤（行为:执行者），如 a:甲,b:乙",
                "--why-not needs at least two distinct steps (action:actor), e.g. a:X,b:Y",
            ),
            code="bad_order",
        )
    unknown = [s for s in order if s not in known]
    if unknown:
        listed = ", ".join(known) or "-"
        raise InputError(
            Bilingual(
                f"{'、'.join(unknown)} 不是本公文的步骤；本公文的步骤：{listed}",
                f"{', '.join(unknown)} is not a step of this document; its steps: {listed}",
            ),
            code="unknown_step",
        )
    symbols = {s.id: step_symbol(s.action, s.actor) for s in routed.steps}
    facts += [fact("want_before", symbols[a], symbols[b]) for a, b in itertools.pairwise(order)]
    facts += [fact("interp", text(k)) for k, v in settings.items() if v]
    rules = [
        r.ident
        for r in policy.program.rules
        if isinstance(r.form, ir.Procedure | ir.ProcedureOrder | ir.ActionOrder)
    ]
    answer = minimal_cores(
        policy.compiled.solver_program + kernel_part("whynot.lp"),
        facts,
        rules,
        externals=[constant("enumerate")],
        timeout=timeout,
    )
    by_id = {r.ident: r for r in policy.program.rules}
    reasons = [
        Reason(
            tuple(by_id[r] for r in core),
            _blocking([p for p in routed.precedence if p[2] in core], order),
        )
        for core in answer.cores
    ]
    witness: list[str] = []
    if answer.witness is not None and not answer.cores:
        placed = sorted(
            (symbol_to_python(a.arguments[1]), step_id(*symbol_to_python(a.arguments[0])))
            for a in answer.witness
            if a.name == "at"
        )
        witness = [s for _, s in placed]
    return WhyNot(
        "order",
        list(order),
        answer.witness is not None and not answer.cores,
        reasons,
        witness,
        _articles(policy),
        lang,
    )


def _blocking(
    pairs: Sequence[tuple[str, str, str]], order: Sequence[str]
) -> tuple[tuple[str, str, str], ...]:
    """The precedence pairs on a chain that puts a later step of `order` before an earlier
    one: the part of the rules that actually stands in the way."""

    def reach(start: str) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            for a, b, _ in pairs:
                if a == node and b not in seen:
                    seen.add(b)
                    todo.append(b)
        return seen

    def reached_by(goal: str) -> set[str]:
        return {a for a, _, _ in pairs if goal in reach(a)} | {goal}

    kept: set[tuple[str, str, str]] = set()
    for i, first in enumerate(order):
        for later in order[i + 1 :]:
            ahead, behind = reach(later), reached_by(first)
            kept |= {p for p in pairs if p[0] in ahead and p[1] in behind}
    return tuple(sorted(kept))


def why_not_findings(
    policy: PolicyCore,
    question: str,
    asked: str,
    facts: list[Any],
    settings: Mapping[str, bool],
    findings: Sequence[Finding],
    *,
    timeout: float,
    lang: str,
) -> WhyNot:
    """The minimal sets of rules a fixed trace or plan breaks (each found by a core)."""
    facts = facts + [fact("interp", text(k)) for k, v in settings.items() if v]
    answer = minimal_cores(
        policy.compiled.solver_program + kernel_part("whynot.lp"),
        facts,
        [r.ident for r in policy.program.rules],
        externals=[constant("whynot_findings")],
        timeout=timeout,
    )
    by_id = {r.ident: r for r in policy.program.rules}
    reasons = [
        Reason(
            tuple(by_id[r] for r in core),
            findings=tuple(f for f in findings if f.rule in core and f.severity == "violation"),
        )
        for core in answer.cores
    ]
    return WhyNot(
        question,
        [asked],
        not answer.cores and not answer.unconditional,
        reasons,
        articles=_articles(policy),
        lang=lang,
    )


def why_not_trace(
    policy: PolicyCore,
    document: InputLike | DocumentFile,
    org: InputLike | Organisation | None,
    *,
    interpretations: Mapping[str, bool] | None,
    timeout: float,
    lang: str,
) -> WhyNot:
    """Which minimal sets of rules the recorded trace breaks."""
    org_model, doc, settings, facts = document_question(
        policy, Question(document, org, "check", interpretations)
    )
    checked = check(
        policy,
        Question(doc, org_model, "check", interpretations, timeout=timeout, lang=lang),
    )
    question = ("trace", doc.document.id, facts, settings)
    return why_not_findings(policy, *question, checked.findings, timeout=timeout, lang=lang)


def why_not_plan(
    policy: PolicyCore,
    plan: InputLike | Plan,
    org: InputLike | Organisation | None,
    *,
    interpretations: Mapping[str, bool] | None,
    timeout: float,
    lang: str,
) -> WhyNot:
    """Which minimal sets of rules a plan of absences breaks."""
    from govrules.presence import check_leave, leave_question

    model, settings, facts = leave_question(policy, plan, org, interpretations)
    checked = check_leave(
        policy, model, org, interpretations=interpretations, timeout=timeout, lang=lang
    )
    name = str(plan) if isinstance(plan, str | Path) else "<plan>"
    question = ("plan", name, facts, settings)
    return why_not_findings(policy, *question, checked.findings, timeout=timeout, lang=lang)
