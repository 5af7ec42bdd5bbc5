"""The embedding API: `Policy`, a compiled policy with one method per question.

`Policy` is the facade of contract §5 over one module per question: `routing` (route and
check of a document), `checkpool` (many documents), `presence` (a plan of absences),
`repair` (the smallest change to a plan) and `whynot` (minimal sets of rules). Each works
on `policy_core.PolicyCore`, which `Policy` extends; none imports this module. Loading
reads the policy text and the compiled program (from the cache when the rule files are
unchanged); each question is bounded in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govrules import clock
from govrules.arguments import check_flag, check_language, check_many, check_steps, check_whole
from govrules.clock import DEFAULT_TIMEOUT
from govrules.document_answer import MAX_ORDER_STEPS, CheckResult, RouteResult, Step
from govrules.inputs import DocumentFile, InputLike, Organisation, Plan
from govrules.policy_core import MAX_PEOPLE, PolicyCore
from govrules.results import InForce
from govrules.routing import (
    DEFAULT_ORDER_LIMIT,
    MAX_ORDER_LIMIT,
    MAX_TRACE,
    Question,
    ask,
    document_question,
)
from govrules.workdays import Deadline

if TYPE_CHECKING:
    # Leave, repair and why-not are imported where they are asked for: a route or a check
    # does not pay for importing them.
    from govrules.errors import GovrulesError
    from govrules.presence import LeaveResult
    from govrules.repair import Suggestion
    from govrules.whynot import WhyNot

__all__ = [
    "DEFAULT_ORDER_LIMIT",
    "DEFAULT_TIMEOUT",
    "MAX_ORDER_LIMIT",
    "MAX_ORDER_STEPS",
    "MAX_PEOPLE",
    "MAX_TRACE",
    "CheckResult",
    "InForce",
    "LeaveResult",
    "Policy",
    "RouteResult",
    "Step",
    "load_policy",
]


class Policy(PolicyCore):
    """A compiled policy with its text; reusable and safe to query many times, by threads."""

    # ---- documents ---------------------------------------------------------------------
    def document_question(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None,
        mode: str,
        interpretations: Mapping[str, bool] | None,
    ) -> tuple[Organisation, DocumentFile, dict[str, bool], list[Any]]:
        """The checked inputs of a question about a document, and the facts that pose it."""
        return document_question(self, Question(document, org, mode, interpretations))

    def route(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None = None,
        *,
        interpretations: Mapping[str, bool] | None = None,
        limit: int = DEFAULT_ORDER_LIMIT,
        timeout: float = DEFAULT_TIMEOUT,
        lang: str = "zh",
        explain: bool = False,
    ) -> RouteResult:
        """Every valid approval order for a document, with the article behind each step."""
        question = Question(document, org, "route", interpretations, limit, timeout, lang, explain)
        return ask(self, question)

    def check(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None = None,
        *,
        interpretations: Mapping[str, bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        lang: str = "zh",
        explain: bool = False,
        plan: InputLike | Plan | None = None,
    ) -> CheckResult:
        """A recorded trace checked against the rules; with a `plan`, its absences of the
        people entries were done on behalf of (acting_for) are seen (article 25)."""
        question = Question(
            document, org, "check", interpretations, 0, timeout, lang, explain, plan
        )
        return CheckResult.of(ask(self, question))

    def check_many(
        self,
        documents: Iterable[InputLike | DocumentFile],
        org: InputLike | Organisation | None = None,
        *,
        interpretations: Mapping[str, bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        lang: str = "zh",
        workers: int | None = None,
    ) -> list[CheckResult | GovrulesError]:
        """Many recorded traces checked, in input order: each item is the document's result,
        or the error that document alone raised (bad input, a solver limit).

        With `workers` > 1 (default: one per core, for batches big enough to pay for it) the
        documents are checked in worker processes, each loading this policy from the
        compiled-policy cache; the answers are the same as in one process, in the same order.
        """
        check_many("documents", documents)
        check_language(lang)
        if workers is not None:
            check_whole("workers", workers, 1)
        from govrules import checkpool

        return checkpool.check_many(self, documents, org, interpretations, timeout, lang, workers)

    # ---- why not -----------------------------------------------------------------------
    def why_not_order(
        self,
        document: InputLike | DocumentFile,
        order: Sequence[str],
        org: InputLike | Organisation | None = None,
        *,
        interpretations: Mapping[str, bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        lang: str = "zh",
    ) -> WhyNot:
        """Why no valid order has these steps in this order: minimal sets of rules."""
        check_language(lang)
        with clock.question(timeout):
            from govrules.whynot import why_not_order

            return why_not_order(
                self,
                document,
                check_steps(order),
                org,
                interpretations=interpretations,
                timeout=timeout,
                lang=lang,
            )

    def why_not_trace(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None = None,
        *,
        interpretations: Mapping[str, bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        lang: str = "zh",
    ) -> WhyNot:
        """Which minimal sets of rules the recorded trace breaks."""
        check_language(lang)
        with clock.question(timeout):
            from govrules.whynot import why_not_trace

            return why_not_trace(
                self, document, org, interpretations=interpretations, timeout=timeout, lang=lang
            )

    def why_not_plan(
        self,
        plan: InputLike | Plan,
        org: InputLike | Organisation | None = None,
        *,
        interpretations: Mapping[str, bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        lang: str = "zh",
    ) -> WhyNot:
        """Which minimal sets of rules a plan of absences breaks."""
        check_language(lang)
        with clock.question(timeout):
            from govrules.whynot import why_not_plan

            return why_not_plan(
                self, plan, org, interpretations=interpretations, timeout=timeout, lang=lang
            )

    # ---- absences ----------------------------------------------------------------------
    def check_leave(
        self,
        plan: InputLike | Plan,
        org: InputLike | Organisation | None = None,
        *,
        interpretations: Mapping[str, bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        lang: str = "zh",
        explain: bool = False,
    ) -> LeaveResult:
        """A plan checked: clashes, advance reports, who acts for each vacant post."""
        check_language(lang)
        check_flag("explain", explain)
        with clock.question(timeout):
            from govrules.presence import check_leave

            return check_leave(
                self,
                plan,
                org,
                interpretations=interpretations,
                timeout=timeout,
                lang=lang,
                explain=explain,
            )

    def suggest_leave(
        self,
        plan: InputLike | Plan,
        org: InputLike | Organisation | None = None,
        *,
        window: int = 14,
        interpretations: Mapping[str, bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        lang: str = "zh",
    ) -> Suggestion:
        """The smallest change (vacations moved, reports added) that makes a plan compliant."""
        check_language(lang)
        with clock.question(timeout):
            from govrules.repair import suggest_leave

            return suggest_leave(
                self,
                plan,
                org,
                window=window,
                interpretations=interpretations,
                timeout=timeout,
                lang=lang,
            )

    # ---- working days ------------------------------------------------------------------
    def due_date(self, start: date | str, working_days: int = 1) -> date:
        return self.calendar.add_working_days(start, working_days)

    def deadline(self, start: date | str, working_days: int = 1) -> Deadline:
        """The due date with what the calendar owes the reader (provisional years used,
        closeness to the last covered day)."""
        return self.calendar.deadline(start, working_days)


def load_policy(directory: str | Path | None = None) -> Policy:
    """The bundled policy, or the one in `directory` (a wrong type: `InputError`)."""
    return Policy.load(directory)


def __getattr__(name: str) -> Any:
    """`LeaveResult` lives in `presence`, `Suggestion` in `repair`; importable from here
    for existing callers without importing them for a route."""
    if name == "LeaveResult":
        from govrules import presence

        return presence.LeaveResult
    if name == "Suggestion":
        from govrules import repair

        return repair.Suggestion
    raise AttributeError(name)
