"""The compiled policy every question reads: text, program, vocabulary, calendar, caches.

`PolicyCore` is what the question modules (`routing`, `checkpool`, `presence`, `repair`,
`whynot`) work on; `engine.Policy`, the embedding API, is this core with one method per
question. The core imports no question module, so no question module's import of it can
close a circle.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from govrules import clock
from govrules.arguments import check_directory, check_flag, check_interpretations, check_whole
from govrules.asp.facts import (
    Name,
    PlainAtom,
    PlainFact,
    PlainRow,
    constant,
    day_number,
    fact,
    org_rows,
    plain_fact,
    rows_by_predicate,
    symbol_to_python,
    symbols_of,
    text,
)
from govrules.asp.ordertype import DATE_ARGUMENTS, below_codes
from govrules.asp.reuse import LRU, Grounding, KeptAnswer, KeptPlanAnswer
from govrules.asp.slicing import KeptSlices, Signature, SlicedProgram, Slicer
from govrules.asp.solve import solve
from govrules.cache import usable as cache_usable
from govrules.compiler import Compiled, compile_policy
from govrules.errors import Bilingual, Location, PolicyError, SolverLimitError
from govrules.inputs import InputLike, Organisation, Source, check_roles, load_org, source_of
from govrules.inputs.vocabulary import Vocabulary, Word
from govrules.lang import ir
from govrules.lru import LRU as BaseLRU
from govrules.policy_text import PolicyText, load_policy_text
from govrules.resources import bundled_policy_dir
from govrules.workdays import WorkCalendar

if TYPE_CHECKING:
    from govrules.asp.batch import BatchProgram
    from govrules.asp.columnar import Translated
    from govrules.asp.duckdb_pool import DuckDBPool

MAX_PEOPLE = 20_000
# From this many people, who the rules relate is asked of the sliced program even in a
# one-shot process: grounding them through the whole program costs more than the parse
# (about 50 ms) that slicing needs.
SLICE_RELATED_FROM = 2_000
# Groundings kept per organisation for reuse (`asp.reuse`), least recently used dropped.
GROUNDINGS_PER_ORG = 16
# Check answers kept per organisation by order type (`asp.ordertype`), least recently used
# dropped: a few hundred shown atoms each.
ANSWERS_PER_ORG = 256
# Plans (small ones, `presence.KEEP_PLANS_UP_TO`) whose answers are kept per organisation.
PLAN_ANSWERS_PER_ORG = 64
# A plain plan check with at least this many absences is evaluated in DuckDB where it is
# installed (`asp.columnar`): measured interleaved end to end from plain data (fresh
# organisations; DuckDB's databases lent, `asp.duckdb_pool`), clingo against DuckDB took
# 0.17 against 0.18 s at 7,000 absences, 0.22 against 0.20 s at 8,000 and 0.27 against
# 0.20 s at 10,000 (a year of 1,000 people); below, clingo answers sooner. A process's
# first such question prepares its database (about 40 ms more), as every question did
# before databases were lent: then the two tied at 10,000.
COLUMNAR_FROM = 8_000
# Who the rules relate (`related`) is asked of DuckDB from this many people (where
# `columnar_from` is not None): measured with a fresh database a question, clingo took
# 0.08 s and DuckDB 0.24 s at 3,000 people, 0.35 and 0.30 s at 10,000, 0.62 and 0.45 s at
# 20,000; with databases lent (`asp.duckdb_pool`), 0.16 and 0.15 s at 6,000 and 0.21 and
# 0.17 s at 7,000 (noisy: the threshold was left where it was).
COLUMNAR_RELATED_FROM = 8_000
# A plan given as data with at least this many absences has them read as columns
# (`inputs.bulk`) for a plain check: below, validating them as models takes a few ms.
BULK_FROM = 2_000
# Idle DuckDB databases kept a translation (`asp.duckdb_pool`): each holds 40-70 MB.
DUCKDB_KEEP = 1


def too_big(what: Bilingual, count: int, limit: int) -> SolverLimitError:
    """The refusal of an input past a size bound (checked before grounding, which cannot
    be interrupted)."""
    return SolverLimitError(
        Bilingual(
            f"输入过大：{what.zh} {count} 个，超过上限 {limit}",
            f"input too large: {count} {what.en}, above the limit of {limit}",
        ),
        code="input_too_large",
    )


class PolicyCore:
    """A compiled policy with its text and what questions share; safe to share by threads."""

    def __init__(self, directory: Path, text: PolicyText, compiled: Compiled) -> None:
        self.directory = directory
        self.text = text
        self.compiled = compiled
        self._calendar: WorkCalendar | None = None
        self._sliced: SlicedProgram | None = None
        self._asked = False
        # Whether what the policy works out may be kept in the compiled-policy cache.
        self.use_cache = True
        # A policy is shared by threads: every cache below changes only under this lock,
        # and what it holds never changes once built (see README, "Threads and processes").
        self._lock = threading.RLock()
        # (the group's exact facts and predicates, the dated predicates it carries per
        # document, the interpretations switched on, the organisation's predicates)
        self._batches: dict[
            tuple[
                tuple[frozenset[Any], frozenset[Signature]],
                frozenset[Signature],
                frozenset[str],
                frozenset[Signature],
            ],
            BatchProgram,
        ] = {}
        self._orgs: dict[int, _OrgEntry] = {}
        # The example organisation's file (path and bytes) and its model: a question that
        # names no organisation gets the same object while the file is unchanged.
        self._example: tuple[Path, bytes, Organisation] | None = None
        self.articles = {r.ident: r.article for r in compiled.program.rules}
        self.vocabulary = Vocabulary.of(
            (item.kind, Word(item.ident, item.label_zh, item.label_en, item.traits))
            for item in compiled.program.vocabulary
        )
        self.deadline_days = sorted(
            {
                r.form.working_days
                for r in compiled.program.rules
                if isinstance(r.form, ir.DeadlineDuty)
            }
        )
        # A route's grounding is reused across documents of one shape (`asp.reuse`); off,
        # every question grounds afresh (the tests compare the two).
        self.reuse_groundings = True
        # For benchmarks: when set, each query leaves the grounding's size and timings here.
        self.collect_statistics = False
        self.last_statistics: dict[str, float] = {}
        # A plain plan check with at least this many absences is evaluated in DuckDB, where
        # it is installed (`asp.columnar`; None: never); the translations are kept here.
        self.columnar_from: int | None = COLUMNAR_FROM
        # ... and who the rules relate, from this many people (where `columnar_from` lets).
        self.columnar_related_from = COLUMNAR_RELATED_FROM
        # A plain check of a plan with at least this many absences, given as data, reads
        # them as columns (`inputs.bulk`; None: always as models).
        self.bulk_from: int | None = BULK_FROM
        self.translations: BaseLRU[Translated] = BaseLRU(16)
        # ... and the DuckDB databases prepared for the last few (`asp.duckdb_pool`), at
        # most `duckdb_keep` idle each (0: a database a question, closed after it).
        self.duckdb_pools: BaseLRU[DuckDBPool] = BaseLRU(4)
        self._duckdb_keep = DUCKDB_KEEP
        self._check_articles()

    # ---- loading -----------------------------------------------------------------------
    @classmethod
    def load(cls, directory: str | Path | None = None, *, use_cache: bool = True) -> Self:
        """The policy in `directory` (the bundled one by default), of this very class."""
        check_directory(directory)
        check_flag("use_cache", use_cache)
        path = Path(directory) if directory is not None else bundled_policy_dir()
        if not path.is_dir():
            raise PolicyError(
                Bilingual("策略目录不存在", "no such policy directory"),
                Location(str(path)),
                code="no_policy",
            )
        made = cls(
            path,
            load_policy_text(path, use_cache=use_cache),
            compile_policy(path, use_cache=use_cache),
        )
        made.use_cache = use_cache
        return made

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

    # ---- the organisation --------------------------------------------------------------
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
        """The organisation of a question, loaded and checked against the policy's roles
        (once per organisation object)."""
        if isinstance(org, Organisation):
            entry = self._entry(org)
            if entry is not None and entry.checked:
                return org  # checked before: a model is frozen, so still good
        model = load_org(org) if org is not None else self._example_model()
        entry = self._entry(model)
        if entry is not None and entry.checked:
            return model  # the same content as data before (`inputs.kept`): checked then
        if len(model.people) > MAX_PEOPLE:
            raise too_big(Bilingual("人员", "people"), len(model.people), MAX_PEOPLE)
        roles = {i.ident: i.label_zh for i in self.program.vocabulary if i.kind == "role"}
        source = source_of(model)
        if source is not None:
            check_roles(model, roles, source)
        else:
            check_roles(model, roles, Source("<org>", {}))
        with self._lock:
            self._keep(model).checked = True
        return model

    def _example_model(self) -> Organisation:
        """The example organisation, read again only when its file's bytes change. The same
        object each time, so that what is kept per organisation object (its facts,
        groundings and answers) is found: a check naming no organisation took 12 ms where
        one passing the loaded model took 0.8."""
        path = self.example_org()
        try:
            before = path.read_bytes()
        except OSError:
            return load_org(path)  # it says why, in its words
        kept = self._example
        if kept is not None and kept[0] == path and kept[1] == before:
            return kept[2]
        model = load_org(path)
        try:
            unchanged = path.read_bytes() == before  # not rewritten while it was read
        except OSError:
            unchanged = False
        if unchanged:
            with self._lock:
                self._example = (path, before, model)
        return model

    def _statistics(self) -> dict[str, float] | None:
        if not self.collect_statistics:
            return None
        self.last_statistics = {}
        return self.last_statistics

    # ---- the program a question is solved with ------------------------------------------
    def question_program(self) -> str | Slicer:
        """What a question is solved with: from the second on, the program parsed once and
        cut per question (`asp.slicing`). Parsing takes longer than one question saves
        (tens of ms against a few), so the policy's first question takes its slice from the
        compiled-policy cache (`KeptSlices`: a one-shot process such as `govrules route ...`
        parses nothing once a process before it has kept that slice), or the whole
        program's text when the cache is not used."""
        if self._sliced is None and not self._asked:
            with self._lock:
                first, self._asked = not self._asked, True
            if first:
                if not self.use_cache or not cache_usable():
                    return self.compiled.solver_program  # nowhere to keep a slice
                return KeptSlices(self.compiled.solver_program, lambda: self.sliced)
        return self.sliced

    @property
    def sliced(self) -> SlicedProgram:
        """The solver program parsed once, cut per question (see `asp.slicing`); threads
        asking at once wait for the one parse."""
        if self._sliced is None:
            with self._lock:
                if self._sliced is None:
                    self._sliced = SlicedProgram(
                        self.compiled.solver_program, use_cache=self.use_cache
                    )
        return self._sliced

    # ---- what every question about an organisation shares ------------------------------
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
        facts = tuple(symbols_of(self.common_rows(org)))
        with self._lock:
            self._keep(org).facts = facts
        return facts

    def common_rows(self, org: Organisation) -> Iterator[PlainFact]:
        """The facts every question about `org` starts from, as plain values."""
        yield from org_rows(org)
        yield "in_force_from", (day_number(self.text.in_force_from),)

    def _common_facts(self, org: Organisation) -> list[Any]:
        return list(self._common_symbols(org))

    def common_by_dates(self, org: Organisation) -> DatedCommon:
        """The organisation's facts split by whether they carry a date (`asp.ordertype`):
        made once per organisation object (reading a symbol's name is a library call)."""
        entry = self._entry(org)
        if entry is not None and entry.by_dates is not None:
            return entry.by_dates
        facts = self._common_symbols(org)
        dated = [f for f in facts if f.name in DATE_ARGUMENTS]
        plain = [plain_fact(f) for f in dated]
        split = DatedCommon(
            tuple(p for p in plain if p is not None) if None not in plain else None,
            tuple(f for f in facts if f.name not in DATE_ARGUMENTS),
            frozenset((f.name, len(f.arguments)) for f in dated),
        )
        with self._lock:
            self._keep(org).by_dates = split
        return split

    def groundings(self, org: Organisation) -> LRU[Grounding]:
        """The reusable groundings of questions about `org` (`asp.reuse`): bounded, and
        dropped with the organisation's other cached facts."""
        with self._lock:
            return self._keep(org).groundings

    def answers(self, org: Organisation) -> LRU[KeptAnswer]:
        """The answers of checks about `org` by order type (`asp.ordertype`), likewise."""
        with self._lock:
            return self._keep(org).answers

    def plan_answers(self, org: Organisation) -> LRU[KeptPlanAnswer]:
        """The answers of plan questions about `org`, by plan (`presence.plan_answer`)."""
        with self._lock:
            return self._keep(org).plan_answers

    @functools.cached_property
    def counts_hours(self) -> bool:
        """Whether a rule counts hours (在 N 小时 内): the one judgement that subtracts
        times instead of comparing them, so checks cannot share answers by order type."""
        return any(isinstance(r.form, ir.HoursDeadline) for r in self.program.rules)

    @functools.cached_property
    def shares_by_order_type(self) -> bool:
        """Whether checks may share answers by order type (`asp.ordertype`): no rule counts
        hours, and no number of the program is as big as the codes that stand for days."""
        return not self.counts_hours and below_codes(self.compiled.solver_program)

    def fields(self, org: Organisation) -> frozenset[str]:
        """The fields of work the organisation's people are in charge of."""
        return frozenset(f for person in org.people for f in person.fields)

    def related(self, org: Organisation, timeout: float) -> tuple[tuple[str, str, str], ...]:
        """The (rule, person, person) triples the policy's own rules relate in `org` (a ban
        on being away together, an acting post): what a plan's grounding joins absences
        over. Derived once per organisation object."""
        entry = self._entry(org)
        if entry is not None and entry.related is not None:
            return entry.related
        found = self._derive_related(org, timeout)
        with self._lock:
            self._keep(org).related = found
        return found

    def _derive_related(
        self, org: Organisation, timeout: float
    ) -> tuple[tuple[str, str, str], ...]:
        """Which people the policy's rules relate in `org` (related/3 of kernel/leave.lp),
        asked of the rules themselves with the organisation alone and no absence: so a
        second policy's relations count as Xihu's do. Each interpretation guards its rules
        one way, so the union of the answers with every interpretation on and with every
        one off holds every pair any setting can relate."""
        # The program cut to what related/3 depends on, once it is parsed or where grounding
        # a big organisation through the whole program costs more than parsing it; else
        # (a one-shot process with a small organisation) the whole program's text.
        program: str | SlicedProgram
        if self._sliced is not None or len(org.people) >= SLICE_RELATED_FROM:
            program = self.sliced
        else:
            program = self.compiled.solver_program + "\n#show related/3.\n"
        names = [i.ident for i in self.program.interpretations]
        found: set[tuple[str, str, str]] = set()
        if len(org.people) >= self.columnar_related_from and self.columnar_allowed():
            for switched_on in (names, []):
                atoms = self.columnar_related(org, switched_on, timeout)
                if atoms is None:
                    break  # declined by the translator: clingo derives them
                found.update(atoms)
            else:
                return tuple(sorted(found))
        mode = fact("mode", constant("leave"))
        facts = [*self._common_facts(org), mode]
        for switched_on in (names, []):
            answer = solve(
                program,
                facts,
                interpretations=switched_on,
                timeout=timeout,
                exact=[mode],
                goals=[("related", 3)],
            )
            for atom in answer.atoms:
                if atom.name == "related":
                    rule, x, y = (symbol_to_python(a) for a in atom.arguments)
                    found.add((str(rule), str(x), str(y)))
        return tuple(sorted(found))

    def columnar_ready(self, size: int) -> bool:
        """Whether a plain check of a plan of `size` absences goes to DuckDB: big enough,
        and DuckDB let and installed."""
        at_least = self.columnar_from
        return at_least is not None and size >= at_least and self.columnar_allowed()

    def columnar_allowed(self) -> bool:
        """Whether DuckDB may answer at all: `columnar_from` is not None, and DuckDB is
        installed (the `audit` extra)."""
        return self.columnar_from is not None and importlib.util.find_spec("duckdb") is not None

    @property
    def duckdb_keep(self) -> int:
        """Idle DuckDB databases kept a slice (`asp.duckdb_pool`; 0: none)."""
        return self._duckdb_keep

    @duckdb_keep.setter
    def duckdb_keep(self, keep: int) -> None:
        """From now on: the databases kept past it are closed at once."""
        self._duckdb_keep = keep
        for pool in self.duckdb_pools.values():
            pool.set_keep(keep)

    def columnar_shown(
        self, text: str, rows: Mapping[Signature, list[PlainRow]], timeout: float
    ) -> list[PlainAtom] | None:
        """The shown atoms of the search-free program `text` (a slice) over `rows`, evaluated
        in DuckDB (`asp.columnar`), translated once per text and fact kinds; None where the
        translator declines it (the caller asks clingo)."""
        from govrules.asp.columnar import Unsupported, fact_kinds, translated
        from govrules.asp.duckdb_pool import DuckDBPool

        limit = clock.user_limit(timeout)
        deadline = time.monotonic() + clock.remaining(timeout)
        kinds = fact_kinds(rows)
        key = (text, tuple(sorted(kinds.items())))
        kept = self.translations.get(key)
        if kept is None:
            kept = self.translations.put(key, translated(text, kinds, use_cache=self.use_cache))
        if kept.translation is None:
            return None
        # Keyed by the translation's identity: a pool holds its translation, so the id
        # is not reused while the pool is kept.
        pool = self.duckdb_pools.get(id(kept.translation))
        if pool is None:
            pool = DuckDBPool(kept.translation, keep=self._duckdb_keep)
            pool = self.duckdb_pools.put(id(kept.translation), pool)
        try:
            return pool.evaluate(rows, deadline, kinds)
        except Unsupported:
            # These facts leave a cycle through negation undecided, or break a constraint:
            # clingo answers (or says there is no answer) as it would have.
            return None
        except TimeoutError:
            raise clock.limit_reached(Bilingual("规则推导", "deriving the answer"), limit) from None

    def columnar_related(
        self, org: Organisation, switched_on: list[str], timeout: float
    ) -> set[tuple[str, str, str]] | None:
        """related/3 with `switched_on` interpretations, in DuckDB (None: declined)."""
        mode = fact("mode", constant("leave"))
        switched = [fact("interp", text(k)) for k in switched_on]
        sliced = self.sliced.program([mode, *switched], None, [("related", 3)]).text
        extra: list[PlainFact] = [
            ("mode", (Name("leave"),)),
            *(("interp", (k,)) for k in switched_on),
        ]
        rows = rows_by_predicate(chain(self.common_rows(org), extra))
        atoms = self.columnar_shown(sliced, rows, timeout)
        if atoms is None:
            return None
        return {(str(r), str(x), str(y)) for name, (r, x, y) in atoms if name == "related"}


@dataclass(frozen=True)
class DatedCommon:
    """An organisation's facts by whether they carry a date (`PolicyCore.common_by_dates`)."""

    dated: tuple[PlainFact, ...] | None  # in plain Python; None when one cannot be
    undated: tuple[Any, ...]  # as symbols
    ranked: frozenset[Signature]  # the predicates of the dated ones


@dataclass
class _OrgEntry:
    """What a policy keeps about one organisation object: checked against the policy's
    roles, and its facts (a loaded organisation is frozen, so neither goes stale)."""

    ref: weakref.ref[Organisation]
    checked: bool = False
    facts: tuple[Any, ...] | None = None
    signatures: frozenset[tuple[str, int]] | None = None
    related: tuple[tuple[str, str, str], ...] | None = None
    groundings: LRU[Grounding] = field(default_factory=lambda: LRU(GROUNDINGS_PER_ORG))
    answers: LRU[KeptAnswer] = field(default_factory=lambda: LRU(ANSWERS_PER_ORG))
    plan_answers: LRU[KeptPlanAnswer] = field(default_factory=lambda: LRU(PLAN_ANSWERS_PER_ORG))
    by_dates: DatedCommon | None = None
