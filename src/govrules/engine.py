"""A loaded policy: compiled once, then asked many questions, each bounded in time.

`Policy` is the embedding API of contract §5. Loading reads the policy text and the
compiled program (from the cache when the rule files are unchanged); each query turns
its inputs into symbols, grounds the kernel with the policy program and reads one answer.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clingo import Function

from govrules import clock
from govrules.arguments import (
    check_directory,
    check_flag,
    check_interpretations,
    check_language,
    check_many,
    check_steps,
    check_whole,
)
from govrules.asp.facts import (
    FactArgs,
    constant,
    day_number,
    document_fact_args,
    fact,
    number,
    org_facts,
    symbol_to_python,
    text,
    trace_order,
)
from govrules.asp.slicing import Signature, SlicedProgram
from govrules.asp.solve import run_bounded, solve
from govrules.compiler import Compiled, compile_policy, kernel_part
from govrules.errors import Bilingual, GovrulesError, Location, PolicyError, SolverLimitError
from govrules.findings import Finding, build_finding, step_id
from govrules.inputs import (
    DocumentFile,
    InputLike,
    Organisation,
    Plan,
    Source,
    check_roles,
    load_document,
    load_org,
    source_of,
)
from govrules.inputs.vocabulary import Vocabulary, Word
from govrules.lang import ir
from govrules.orders import count_orders, first_orders
from govrules.policy_text import PolicyText, load_policy_text
from govrules.resources import bundled_policy_dir
from govrules.results import InForce, Result, dump
from govrules.workdays import CalendarNote, Deadline, WorkCalendar

if TYPE_CHECKING:
    # Explanations and why-not are imported where they are asked for: a route or a check
    # does not pay for importing them.
    from govrules.asp.batch import BatchProgram
    from govrules.explain import Derived, Explanation
    from govrules.presence import LeaveResult
    from govrules.repair import Suggestion
    from govrules.whynot import WhyNot

__all__ = ["CheckResult", "InForce", "LeaveResult", "Policy", "RouteResult", "Step", "load_policy"]

DEFAULT_TIMEOUT = 10.0
DEFAULT_ORDER_LIMIT = 100
MAX_ORDER_LIMIT = 100_000
MAX_PEOPLE = 20_000
MAX_ABSENCES = 200_000
MAX_TRACE = 2_000
# Listing orders grounds a program quadratic in the steps (and grounding cannot be
# interrupted): past this many steps `route` gives steps, precedence and the exact count,
# and refuses to list orders (exit 3) unless asked for none (`--limit 0`).
MAX_ORDER_STEPS = 64


@dataclass(frozen=True)
class Step:
    id: str
    actor: str
    role: str
    action: str
    article: int
    rule: str
    # Every rule (and its article) that requires the step: procedures may share a step.
    rules: tuple[tuple[str, int], ...] = ()

    def to_json(self, labels: ir.Program | None = None, lang: str = "zh") -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "actor": self.actor,
            "role": self.role,
            "action": self.action,
            "article": self.article,
            "rule": self.rule,
            "required_by": [{"rule": r, "article": a} for r, a in self.rules],
        }
        if labels is not None:
            data["role_label"] = labels.role_label(self.role, lang)
            data["action_label"] = labels.label("action", self.action, lang)
        return data


@dataclass
class RouteResult(Result):
    document: str = ""
    steps: list[Step] = field(default_factory=list)
    precedence: list[tuple[str, str, str]] = field(default_factory=list)  # (before, after, rule)
    orders: list[list[str]] = field(default_factory=list)
    order_count: int = 0
    articles: dict[str, int] = field(default_factory=dict)
    labels: ir.Program | None = None
    explanations: list[Explanation] | None = None  # only when asked (explain=True)
    policy_text: PolicyText | None = None
    fired: frozenset[str] = frozenset()  # rules that derived something (explain=True)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        data = self._base_json(lang)
        data.update(
            {
                "document": self.document,
                "steps": [s.to_json(self.labels, lang) for s in self.steps],
                "precedence": [
                    {"before": a, "after": b, "rule": r, "article": self.articles.get(r, 0)}
                    for a, b, r in self.precedence
                ],
                "orders": self.orders,
                "order_count": self.order_count,
                "orders_listed": len(self.orders),
            }
        )
        if self.explanations is not None and self.policy_text is not None:
            data["explanations"] = [e.to_json(lang, self.policy_text) for e in self.explanations]
        return data

    def to_json(self, lang: str | None = None) -> str:
        return dump(self.to_dict(lang))


@dataclass
class CheckResult(RouteResult):
    pass


def _too_big(what: Bilingual, count: int, limit: int) -> SolverLimitError:
    return SolverLimitError(
        Bilingual(
            f"输入过大：{what.zh} {count} 个，超过上限 {limit}",
            f"input too large: {count} {what.en}, above the limit of {limit}",
        ),
        code="input_too_large",
    )


class Policy:
    """A compiled policy with its text; reusable and safe to query many times."""

    def __init__(self, directory: Path, text: PolicyText, compiled: Compiled) -> None:
        self.directory = directory
        self.text = text
        self.compiled = compiled
        self._calendar: WorkCalendar | None = None
        self._sliced: SlicedProgram | None = None
        self._asked = False
        # A policy is shared by threads: every cache below changes only under this lock,
        # and what it holds never changes once built (see README, "Threads and processes").
        self._lock = threading.RLock()
        self._batches: dict[tuple[frozenset[str], frozenset[Signature]], BatchProgram] = {}
        self._orgs: dict[int, _OrgEntry] = {}
        self._articles = {r.ident: r.article for r in compiled.program.rules}
        self.vocabulary = Vocabulary.of(
            (item.kind, Word(item.ident, item.label_zh, item.label_en, item.traits))
            for item in compiled.program.vocabulary
        )
        self._deadline_days = sorted(
            {
                r.form.working_days
                for r in compiled.program.rules
                if isinstance(r.form, ir.DeadlineDuty)
            }
        )
        # For benchmarks: when set, each query leaves the grounding's size and timings here.
        self.collect_statistics = False
        self.last_statistics: dict[str, float] = {}
        self._check_articles()

    # ---- loading -----------------------------------------------------------------------
    @classmethod
    def load(cls, directory: str | Path | None = None, *, use_cache: bool = True) -> Policy:
        check_directory(directory)
        check_flag("use_cache", use_cache)
        path = Path(directory) if directory is not None else bundled_policy_dir()
        if not path.is_dir():
            raise PolicyError(
                Bilingual("策略目录不存在", "no such policy directory"),
                Location(str(path)),
                code="no_policy",
            )
        return cls(path, load_policy_text(path), compile_policy(path, use_cache=use_cache))

    def _check_articles(self) -> None:
        count = len(self.text.articles)
        for rule in self.program.rules:
            if not 1 <= rule.article <= count:
                raise PolicyError(
                    Bilingual(
                        f"规则 {rule.ident} 引用的第{rule.article}条不存在（共 {count} 条）",
                        f"rule {rule.ident} cites article {rule.article}, but there are {count}",
                    ),
                    Location(rule.source.file, rule.source.line, rule.source.column),
                    code="no_such_article",
                )

    @property
    def program(self) -> ir.Program:
        return self.compiled.program

    @property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar from every source (`calendars.layered`), built once on
        first use under the policy's lock; it is immutable."""
        if self._calendar is None:
            with self._lock:
                if self._calendar is None:
                    from govrules.calendars import layered

                    self._calendar = layered(self.directory)
        return self._calendar

    def use_calendar(self, calendar: WorkCalendar) -> None:
        """Count working days on `calendar` (e.g. `calendars.layered(dir, file)`); set it
        before sharing the policy between threads."""
        self._calendar = calendar

    # ---- articles ----------------------------------------------------------------------
    def rules_for(self, article: int) -> list[ir.Rule]:
        check_whole("article", article, 1)
        return [r for r in self.program.rules if r.article == article]

    def status(self, article: int) -> str:
        """encoded | declarative | not_normative | not_retrieved | pending (no rule yet)."""
        found = self.text.article(article)
        if self.rules_for(article) or (found is not None and found.enforced_by.zh):
            return "encoded"
        kind = found.kind if found else "pending"
        return "pending" if kind == "normative" else kind

    # ---- interpretations ---------------------------------------------------------------
    def interpretations(self, overrides: Mapping[str, bool] | None = None) -> dict[str, bool]:
        """Every named interpretation with its setting: the default unless overridden."""
        settings = {i.ident: i.default_enabled for i in self.program.interpretations}
        for name, value in (check_interpretations(overrides) or {}).items():
            if name not in settings:
                known = ", ".join(sorted(settings)) or "-"
                raise PolicyError(
                    Bilingual(
                        f"没有名为「{name}」的解释；可用的有：{known}",
                        f"no interpretation named {name!r}; known: {known}",
                    ),
                    code="unknown_interpretation",
                )
            settings[name] = value
        return settings

    # ---- inputs ------------------------------------------------------------------------
    def _entry(self, org: Organisation) -> _OrgEntry | None:
        """What is kept about this very organisation object, if anything. Keyed by `id`
        (hashing a big organisation costs more than a question) and checked against a weak
        reference, so a new object that reuses a dead one's id never gets its facts."""
        found = self._orgs.get(id(org))
        return found if found is not None and found.ref() is org else None

    def _keep(self, org: Organisation) -> _OrgEntry:
        """The entry of `org`, made when missing (call with the lock held)."""
        found = self._entry(org)
        if found is None:
            if len(self._orgs) >= 64:
                self._orgs.clear()
            found = self._orgs[id(org)] = _OrgEntry(weakref.ref(org))
        return found

    def example_org(self) -> Path:
        """The organisation used when a question names none: the one the policy declares
        (policy.toml `example_org`); InputError (exit 2) when it declares none."""
        from govrules.policy_text import example_org_file

        return example_org_file(self.directory, self.text.example_org)

    def _org(self, org: InputLike | Organisation | None) -> Organisation:
        if isinstance(org, Organisation):
            entry = self._entry(org)
            if entry is not None and entry.checked:
                return org  # checked before: a model is frozen, so still good
        model = load_org(org if org is not None else self.example_org())
        if len(model.people) > MAX_PEOPLE:
            raise _too_big(Bilingual("人员", "people"), len(model.people), MAX_PEOPLE)
        roles = {i.ident: i.label_zh for i in self.program.vocabulary if i.kind == "role"}
        source = source_of(model)
        if source is not None:
            check_roles(model, roles, source)
        else:
            check_roles(model, roles, Source("<org>", {}))
        if isinstance(org, Organisation) and org is model:
            with self._lock:
                self._keep(model).checked = True
        return model

    def _statistics(self) -> dict[str, float] | None:
        if not self.collect_statistics:
            return None
        self.last_statistics = {}
        return self.last_statistics

    def question_program(self) -> str | SlicedProgram:
        """What a question is solved with: the whole program's text for the policy's first
        question, the sliced program from the second on. Parsing the program for slicing
        takes longer than one question saves (tens of ms against a few), so a one-shot
        process (`govrules route ...`) never pays for it; a policy that answers again does."""
        if self._sliced is None and not self._asked:
            with self._lock:
                first, self._asked = not self._asked, True
            if first:
                return self.compiled.solver_program
        return self.sliced

    @property
    def sliced(self) -> SlicedProgram:
        """The solver program parsed once, cut per question (see `asp.slicing`); threads
        asking at once wait for the one parse."""
        if self._sliced is None:
            with self._lock:
                if self._sliced is None:
                    self._sliced = SlicedProgram(self.compiled.solver_program)
        return self._sliced

    def _common(self, org: Organisation) -> tuple[tuple[Any, ...], frozenset[tuple[str, int]]]:
        """The organisation's facts and their predicates, built once per organisation
        object (a loaded organisation is frozen, so its facts cannot change)."""
        entry = self._entry(org)
        if entry is not None and entry.facts is not None and entry.signatures is not None:
            return entry.facts, entry.signatures
        facts = self._common_symbols(org)
        signatures = frozenset((f.name, len(f.arguments)) for f in facts)
        with self._lock:
            self._keep(org).signatures = signatures
        return facts, signatures

    def _common_symbols(self, org: Organisation) -> tuple[Any, ...]:
        entry = self._entry(org)
        if entry is not None and entry.facts is not None:
            return entry.facts
        # Built outside the lock (a big organisation takes a while); two threads asking
        # about a new organisation at once both build the same facts, and one is kept.
        facts = (
            *org_facts(org),
            fact("in_force_from", number(day_number(self.text.in_force_from))),
        )
        with self._lock:
            self._keep(org).facts = facts
        return facts

    def _common_facts(self, org: Organisation) -> list[Any]:
        return list(self._common_symbols(org))

    def related(self, org: Organisation, timeout: float) -> tuple[tuple[str, str, str], ...]:
        """The (rule, person, person) triples the policy's own rules relate in `org` (a ban
        on being away together, an acting post): what a plan's grounding joins absences
        over. Derived once per organisation object (`presence.derive_related`)."""
        entry = self._entry(org)
        if entry is not None and entry.related is not None:
            return entry.related
        from govrules.presence import derive_related

        found = derive_related(self, org, timeout)
        with self._lock:
            self._keep(org).related = found
        return found

    # ---- documents ---------------------------------------------------------------------
    def _deadline_facts(self, doc: DocumentFile) -> list[Any]:
        return [Function(name, args) for name, args in self._deadline_fact_args(doc)]

    def _deadline_fact_args(self, doc: DocumentFile) -> list[FactArgs]:
        days = self._deadline_days
        if not days:
            return []
        starts = {e.at.date() for e in doc.trace}
        if doc.document.received is not None:
            starts.add(doc.document.received.date())
        return [
            (
                "workday_after",
                [
                    number(day_number(d)),
                    number(n),
                    number(day_number(self.calendar.add_working_days(d, n))),
                ],
            )
            for d in sorted(starts)
            for n in days
        ]

    def document_question(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None,
        mode: str,
        interpretations: Mapping[str, bool] | None,
    ) -> tuple[Organisation, DocumentFile, dict[str, bool], list[Any]]:
        """The checked inputs of a question about a document, and the facts that pose it."""
        org_model, doc, settings, facts = self._document_inputs(
            document, org, mode, interpretations
        )
        return org_model, doc, settings, self._common_facts(org_model) + facts

    def _document_inputs(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None,
        mode: str,
        interpretations: Mapping[str, bool] | None,
    ) -> tuple[Organisation, DocumentFile, dict[str, bool], list[Any]]:
        """As `document_question`, without the organisation's facts (see `_common`)."""
        org_model, doc, settings, args = self._document_fact_args(
            document, org, mode, interpretations
        )
        return org_model, doc, settings, [Function(name, a) for name, a in args]

    def _document_fact_args(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None,
        mode: str,
        interpretations: Mapping[str, bool] | None,
        plan: InputLike | Plan | None = None,
    ) -> tuple[Organisation, DocumentFile, dict[str, bool], list[FactArgs]]:
        org_model = self._org(org)
        doc = load_document(document, org_model, self.vocabulary)
        if len(doc.trace) > MAX_TRACE:
            raise _too_big(Bilingual("处理记录", "trace entries"), len(doc.trace), MAX_TRACE)
        settings = self.interpretations(interpretations)
        facts = document_fact_args(doc, org_model, self.text.read_marks)
        facts.append(("mode", [constant(mode)]))
        facts.append(("enum_cap", [number(MAX_ORDER_STEPS)]))
        if mode == "check":
            facts += self._deadline_fact_args(doc)
        if plan is not None:
            facts += _absence_fact_args(self, plan, org_model, doc)
        return org_model, doc, settings, facts

    def _document(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None,
        *,
        mode: str,
        interpretations: Mapping[str, bool] | None,
        limit: int,
        timeout: float,
        lang: str,
        explain: bool = False,
        plan: InputLike | Plan | None = None,
    ) -> RouteResult:
        check_whole("limit", limit, -(2**63))
        check_language(lang)
        check_flag("explain", explain)
        with clock.question(timeout):
            return self._document_bounded(
                document,
                org,
                mode=mode,
                interpretations=interpretations,
                limit=limit,
                timeout=timeout,
                lang=lang,
                explain=explain,
                plan=plan,
            )

    def _document_bounded(
        self,
        document: InputLike | DocumentFile,
        org: InputLike | Organisation | None,
        *,
        mode: str,
        interpretations: Mapping[str, bool] | None,
        limit: int,
        timeout: float,
        lang: str,
        explain: bool = False,
        plan: InputLike | Plan | None = None,
    ) -> RouteResult:
        if not 0 <= limit <= MAX_ORDER_LIMIT:
            raise PolicyError(
                Bilingual(
                    f"--limit 须在 0 到 {MAX_ORDER_LIMIT} 之间",
                    f"--limit must be 0..{MAX_ORDER_LIMIT}",
                ),
                code="bad_limit",
            )
        org_model, doc, settings, args = self._document_fact_args(
            document, org, mode, interpretations, plan
        )
        facts = [Function(name, a) for name, a in args]
        common, present = self._common(org_model)
        program = self.question_program()
        signatures: set[Signature] = set()
        exact: list[Any] = []
        if isinstance(program, SlicedProgram):
            # The predicates from the (predicate, arguments) pairs: no call per symbol.
            signatures = {(name, len(a)) for name, a in args}
            exact = [
                f for f, sig in zip(facts, signatures_of(args), strict=True) if sig in program.exact
            ]
        if explain:
            program = self.compiled.solver_program + kernel_part("explain.lp")
        answer = solve(
            program,
            [*common, *facts],
            interpretations=[k for k, v in settings.items() if v],
            timeout=timeout,
            exact=exact,
            present=present | signatures,
            statistics=self._statistics(),
        )
        return self._document_result(
            doc,
            org_model,
            settings,
            lang,
            limit,
            answer.atoms,
            explain,
            deadline=time.monotonic() + clock.remaining(timeout),
            mode=mode,
        )

    def _document_result(
        self,
        doc: DocumentFile,
        org_model: Organisation,
        settings: dict[str, bool],
        lang: str,
        limit: int,
        atoms: Iterable[Any],
        explain: bool,
        deadline: float | None = None,
        mode: str = "check",
    ) -> RouteResult:
        """A document's answer from the shown atoms of its model; listing and counting the
        orders (a route's) stop at `deadline` (time.monotonic) when there is one."""
        listing = mode == "route" and limit > 0
        articles = self._articles
        step_rules: dict[tuple[str, str], set[tuple[int, str, str]]] = {}
        precedence, findings = [], []
        derived: Derived | None = None
        fired: set[str] = set()
        positions = trace_order(doc)
        for atom in atoms:
            name = atom.name  # one call into the library, not one per test below
            args = tuple(symbol_to_python(a) for a in atom.arguments)
            if name == "fired":
                fired.add(args[0])
            elif name in ("post_by", "rel_by", "applies_by"):
                if derived is None:
                    from govrules.explain import Derived

                    derived = Derived()
                derived.add(name, args)
            elif name == "step_info":
                (action, actor), role, rule = args
                step_rules.setdefault((action, actor), set()).add(
                    (articles.get(rule, 0), rule, role)
                )
            elif name == "prec":
                (a1, p1), (a2, p2), rule = args
                precedence.append((step_id(a1, p1), step_id(a2, p2), rule))
            elif name == "finding":
                severity, article, rule, kind, fargs = args
                findings.append(
                    build_finding(
                        severity, article, rule, kind, tuple(fargs), self.program, positions
                    )
                )
        steps = [_step(action, actor, found) for (action, actor), found in step_rules.items()]
        precedence = sorted(set(precedence))
        pairs = {(a, b) for a, b, _ in precedence}
        depth = _depths({s.id for s in steps}, pairs)
        steps = sorted(steps, key=lambda s: (depth[s.id], s.id))
        ids = [s.id for s in steps]
        if limit > 0 and len(ids) > MAX_ORDER_STEPS:  # orders are listed for a route only
            raise SolverLimitError(
                Bilingual(
                    f"公文有 {len(ids)} 个步骤，超过可列举审批顺序的上限 {MAX_ORDER_STEPS}；"
                    "用 --limit 0 只求步骤、先后关系和顺序总数",
                    f"the document has {len(ids)} steps, above the {MAX_ORDER_STEPS} whose "
                    "orders can be listed; --limit 0 gives the steps, precedence and count only",
                ),
                code="too_many_steps",
            )
        dates = [d.date() for d in (doc.document.received, *(e.at for e in doc.trace)) if d]
        note = self._calendar_note(dates, counted=mode == "check")
        findings = sorted(findings, key=Finding.sort_key)
        explanations = None
        if explain:
            from govrules.explain import Derived, Explainer

            explainer = Explainer(
                self.program, self.text, org_model, derived or Derived(), settings, doc
            )
            by_id = {s.id: s for s in steps}
            explanations = [explainer.step(s.id, s.action, s.actor) for s in steps]
            explanations += [explainer.precedence(a, b, r) for a, b, r in precedence]
            explanations += [
                explainer.finding(n, f, by_id) for n, f in enumerate(findings, start=1)
            ]
        return RouteResult(
            findings=findings,
            in_force=InForce(self.text.in_force_from, tuple(sorted(set(dates)))),
            interpretations=settings,
            lang=lang,
            document=doc.document.id,
            steps=steps,
            precedence=precedence,
            # The first `limit` orders in lexicographic order of step ids (orders.first_orders):
            # the same on every run and version, whatever order the solver finds them in.
            orders=first_orders(ids, pairs, limit, timeout=_left(deadline)) if listing else [],
            # The count shares the request's time limit with the solve.
            order_count=count_orders(ids, pairs, timeout=_left(deadline)) if ids else 0,
            articles=articles,
            labels=self.program,
            explanations=explanations,
            policy_text=self.text,
            fired=frozenset(fired),
            calendar=note,
        )

    def _calendar_note(self, dates: list[date], counted: bool) -> CalendarNote:
        """What a document's answer says about the calendar: a check counts working days
        from each of its dates (the deadline facts), a route counts none."""
        spans = []
        if counted and dates and self._deadline_days:
            last = self.calendar.add_working_days(max(dates), self._deadline_days[-1])
            spans.append((min(dates), last))
        if not dates:
            return CalendarNote()
        note = self.calendar.note(spans, dates)
        note.warn()
        return note

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
        return self._document(
            document,
            org,
            mode="route",
            interpretations=interpretations,
            limit=limit,
            timeout=timeout,
            lang=lang,
            explain=explain,
        )

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
        result = self._document(
            document,
            org,
            mode="check",
            interpretations=interpretations,
            limit=0,
            timeout=timeout,
            lang=lang,
            explain=explain,
            plan=plan,
        )
        return CheckResult(**{k: getattr(result, k) for k in result.__dataclass_fields__})

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
        return self._map_checks(documents, org, interpretations, timeout, lang, workers, None)

    def _map_checks(
        self,
        documents: Iterable[InputLike | DocumentFile],
        org: InputLike | Organisation | None,
        interpretations: Mapping[str, bool] | None,
        timeout: float,
        lang: str,
        workers: int | None,
        render: Callable[[CheckResult], Any] | None,
        parse: Callable[[Any], Any] | None = None,
    ) -> list[Any]:
        """check_many's work: results (or, with `render`, what it makes of each result,
        made where the result was: in the worker process) and errors, in input order.
        With `parse`, each item is read into a document there too (a bad one: its error)."""
        timeout = clock.check_timeout(timeout)
        docs = list(documents)
        org_model = self._org(org)
        settings = self.interpretations(interpretations)  # refuse unknown names up front
        count = workers if workers is not None else (os.cpu_count() or 1)
        if count > 1 and len(docs) >= _PARALLEL_MIN:
            from govrules.checkpool import spawn_safe, unguarded_warning

            if not spawn_safe():
                unguarded_warning()
                count = 1
        if count <= 1 or len(docs) < _PARALLEL_MIN:
            out = self._check_chunk(docs, org_model, settings, timeout, lang, parse)
            if render is None:
                return out
            return [x if isinstance(x, GovrulesError) else render(x) for x in out]
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        size = max(1, min(_CHUNK, -(-len(docs) // (count * 4))))
        chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
        # The caller's calendar travels along: a --calendar file is not on the worker's disk.
        job = (
            str(self.directory),
            org_model,
            settings,
            timeout,
            lang,
            render,
            parse,
            self.calendar,
        )
        results: list[Any] = []
        with ProcessPoolExecutor(
            max_workers=count,
            mp_context=get_context("spawn"),
            initializer=_worker_start,
            initargs=job,
        ) as pool:
            for part in pool.map(_worker_check, chunks):
                for item in part:
                    if isinstance(item, CheckResult):
                        item.labels, item.policy_text = self.program, self.text
                    results.append(item)
        return results

    def _check_one(
        self,
        document: InputLike | DocumentFile,
        org: Organisation,
        settings: Mapping[str, bool],
        timeout: float,
        lang: str,
    ) -> CheckResult | GovrulesError:
        try:
            return self.check(document, org, interpretations=settings, timeout=timeout, lang=lang)
        except GovrulesError as err:
            return err

    def _check_chunk(
        self,
        documents: Sequence[InputLike | DocumentFile],
        org: Organisation,
        settings: dict[str, bool],
        timeout: float,
        lang: str,
        parse: Callable[[Any], Any] | None = None,
    ) -> list[CheckResult | GovrulesError]:
        """Documents checked with one grounding per group of documents asking the same
        question (`asp.batch`), up to `_GROUP` at a time; alone when a group cannot be."""
        from govrules.asp.batch import Unsupported

        out: list[CheckResult | GovrulesError | None] = [None] * len(documents)
        groups: dict[tuple[frozenset[str], frozenset[Signature]], list[_Prepared]] = {}
        for index, document in enumerate(documents):
            try:
                if parse is not None:
                    document = parse(document)
                _, doc, _, facts = self._document_fact_args(document, org, "check", settings)
            except GovrulesError as err:
                out[index] = err
                continue
            signatures = frozenset((name, len(args)) for name, args in facts)
            exact = [Function(n, a) for n, a in facts if (n, len(a)) in self.sliced.exact]
            key = (frozenset(str(e) for e in exact), signatures)
            groups.setdefault(key, []).append(_Prepared(index, document, doc, facts, exact))
        for key, members in groups.items():
            for start in range(0, len(members), _GROUP):
                part = members[start : start + _GROUP]
                answers: list[CheckResult | GovrulesError] | None = None
                if len(part) > 1:
                    try:
                        answers = self._check_group(key, part, org, settings, timeout, lang)
                    except (Unsupported, GovrulesError):
                        answers = None  # asked one by one below, each with its own bound
                if answers is None:
                    answers = [
                        self._check_one(m.source, org, settings, timeout, lang) for m in part
                    ]
                for member, answer in zip(part, answers, strict=True):
                    out[member.index] = answer
        return [x for x in out if x is not None]

    def _check_group(
        self,
        key: tuple[frozenset[str], frozenset[Signature]],
        members: list[_Prepared],
        org: Organisation,
        settings: dict[str, bool],
        timeout: float,
        lang: str,
    ) -> list[CheckResult | GovrulesError]:
        from govrules.asp.batch import BatchProgram

        common, present = self._common(org)
        switched = [fact("interp", text(k)) for k, v in settings.items() if v]
        exact = members[0].exact
        batch = self._batches.get(key)
        if batch is None:
            sliced = self.sliced.program([*exact, *switched], present | key[1])
            batch = BatchProgram(sliced, key[1] - self.sliced.exact)
            with self._lock:
                if len(self._batches) >= 64:
                    self._batches.clear()
                self._batches[key] = batch

        def run(ctl: Any, models: list[list[Any]]) -> object:
            return run_bounded(ctl, timeout, models, Bilingual("批量核查", "checking a batch"))

        atoms = batch.solve([*common, *exact, *switched], [m.facts for m in members], run=run)
        results: list[CheckResult | GovrulesError] = []
        for member, found in zip(members, atoms, strict=True):
            if not found:
                raise SolverLimitError(
                    Bilingual("规则程序无解", "the rule program has no answer"),
                    code="unsatisfiable",
                )
            result = self._document_result(member.doc, org, settings, lang, 0, found, False)
            results.append(
                CheckResult(**{k: getattr(result, k) for k in result.__dataclass_fields__})
            )
        return results

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
            org_model, doc, settings, facts = self.document_question(
                document, org, "check", interpretations
            )
            checked = self.check(
                doc, org_model, interpretations=interpretations, timeout=timeout, lang=lang
            )
            question = ("trace", doc.document.id, facts, settings)
            from govrules.whynot import why_not_findings

            return why_not_findings(self, *question, checked.findings, timeout=timeout, lang=lang)

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
            from govrules.presence import leave_question

            model, settings, facts = leave_question(self, plan, org, interpretations)
            checked = self.check_leave(
                model, org, interpretations=interpretations, timeout=timeout, lang=lang
            )
            name = str(plan) if isinstance(plan, str | Path) else "<plan>"
            question = ("plan", name, facts, settings)
            from govrules.whynot import why_not_findings

            return why_not_findings(self, *question, checked.findings, timeout=timeout, lang=lang)

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

            result = check_leave(
                self, plan, org, interpretations=interpretations, timeout=timeout, lang=lang
            )
            if explain:
                result.explanations = self._leave_explanations(
                    result, plan, org, interpretations, timeout
                )
                result.policy_text = self.text
            return result

    def _leave_explanations(
        self,
        result: LeaveResult,
        plan: InputLike | Plan,
        org: InputLike | Organisation | None,
        interpretations: Mapping[str, bool] | None,
        timeout: float,
    ) -> list[Explanation]:
        """Why each finding of a plan, and why each person acts for each absent one."""
        from govrules.presence import leave_question

        model, settings, facts = leave_question(self, plan, org, interpretations)
        answer = solve(
            self.compiled.solver_program + kernel_part("explain.lp"),
            facts,
            interpretations=[k for k, v in settings.items() if v],
            timeout=timeout,
        )
        from govrules.explain import Derived, Explainer

        derived = Derived()
        for atom in answer.atoms:
            if atom.name in ("post_by", "rel_by", "applies_by"):
                derived.add(atom.name, tuple(symbol_to_python(a) for a in atom.arguments))
        explainer = Explainer(
            self.program, self.text, self._org(org), derived, settings, plan=model
        )
        out = [explainer.finding(n, f, {}) for n, f in enumerate(result.findings, start=1)]
        groups: dict[tuple[str, str, str], int] = {}
        for row in result.acting:
            key = (row["absent"], row["acting"], row["rule"])
            groups[key] = groups.get(key, 0) + 1
        out += [explainer.acting(a, b, r, n) for (a, b, r), n in sorted(groups.items())]
        return out

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


def _left(deadline: float | None) -> float | None:
    """Seconds left until `deadline` (time.monotonic), None for no deadline."""
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def signatures_of(args: list[FactArgs]) -> list[tuple[str, int]]:
    return [(name, len(a)) for name, a in args]


def _step(action: str, actor: str, found: set[tuple[int, str, str]]) -> Step:
    """One step; when several procedures require it, the first article cites it."""
    ordered = sorted(found)
    article, rule, role = ordered[0]
    rules = tuple(sorted({(r, a) for a, r, _ in ordered}, key=lambda x: (x[1], x[0])))
    return Step(step_id(action, actor), actor, role, action, article, rule, rules)


def _depths(ids: set[str], pairs: set[tuple[str, str]]) -> dict[str, int]:
    """Each step's longest chain of predecessors: the order a person reads the steps in."""
    depth = dict.fromkeys(ids, 0)
    for _ in range(len(ids)):
        changed = False
        for a, b in pairs:
            if a in depth and b in depth and depth[b] < depth[a] + 1 <= len(ids):
                depth[b] = depth[a] + 1
                changed = True
        if not changed:
            break
    return depth


@dataclass
class _OrgEntry:
    """What a policy keeps about one organisation object: checked against the policy's
    roles, and its facts (a loaded organisation is frozen, so neither goes stale)."""

    ref: weakref.ref[Organisation]
    checked: bool = False
    facts: tuple[Any, ...] | None = None
    signatures: frozenset[tuple[str, int]] | None = None
    related: tuple[tuple[str, str, str], ...] | None = None


@dataclass
class _Prepared:
    """A document of a batch, validated, with its own facts."""

    index: int
    source: Any
    doc: DocumentFile
    facts: list[FactArgs]
    exact: list[Any]


# Documents grounded together (asp.batch): enough to spread grounding's fixed cost thin.
_GROUP = 64
# Batches: below this many documents a process pool costs more than it saves.
_PARALLEL_MIN = 200
_CHUNK = 256
_WORKER: dict[str, Any] = {}


def _worker_start(
    directory: str,
    org: Organisation,
    settings: dict[str, bool],
    timeout: float,
    lang: str,
    render: Callable[[CheckResult], Any] | None,
    parse: Callable[[Any], Any] | None,
    calendar: WorkCalendar | None = None,
) -> None:
    policy = Policy.load(directory)
    if calendar is not None:
        policy.use_calendar(calendar)
    _WORKER.update(
        parse=parse,
        policy=policy,
        org=org,
        settings=settings,
        timeout=timeout,
        lang=lang,
        render=render,
    )


def _worker_check(docs: list[Any]) -> list[Any]:
    policy: Policy = _WORKER["policy"]
    render = _WORKER["render"]
    out: list[Any] = []
    checked = policy._check_chunk(
        docs,
        _WORKER["org"],
        _WORKER["settings"],
        _WORKER["timeout"],
        _WORKER["lang"],
        _WORKER["parse"],
    )
    for item in checked:
        if isinstance(item, CheckResult):
            if render is not None:
                out.append(render(item))
                continue
            item.labels = item.policy_text = None  # the parent puts its own back
        out.append(item)
    return out


def load_policy(directory: str | Path | None = None) -> Policy:
    """The bundled policy, or the one in `directory` (a wrong type: `InputError`)."""
    return Policy.load(directory)


def __getattr__(name: str) -> Any:
    """`LeaveResult` lives in `presence`; kept importable from here for existing callers."""
    if name == "LeaveResult":
        from govrules import presence

        return presence.LeaveResult
    if name == "Suggestion":
        from govrules import repair

        return repair.Suggestion
    raise AttributeError(name)


def _absence_fact_args(
    policy: Policy, plan: InputLike | Plan, org: Organisation, doc: DocumentFile
) -> list[FactArgs]:
    """The absences a check sees (`absences_given`): only of the people its entries were done
    on behalf of, so a year's plan costs the check nothing it does not need."""
    from govrules.presence import load_inputs

    _, model = load_inputs(policy, plan, org)
    wanted = {e.acting_for for e in doc.trace if e.acting_for is not None}
    out: list[FactArgs] = [("absences_given", [])]
    for index, a in enumerate(model.absences):
        if a.who in wanted:
            out.append(
                (
                    "absence",
                    [
                        number(index),
                        text(a.who),
                        text(a.kind),
                        number(day_number(a.from_)),
                        number(day_number(a.to)),
                    ],
                )
            )
    return out
