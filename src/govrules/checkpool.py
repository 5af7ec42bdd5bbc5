"""Checking many documents: grouped groundings, worker processes, streams in order.

`check_many` (the API's batch) checks documents asking the same question with one
grounding per group (`asp.batch`), on worker processes when the batch is big enough.
`govrules batch` reads a file of any length: it hands chunks of lines to the workers, at
most a few chunks ahead of the one it is waiting for, and writes each chunk's answers as
soon as every earlier chunk's are written. What is held at once is those few chunks, not
the file or its results. `stop` ends the workers at once (a signal: the caller has
written every answer finished in order and says how far it got).

Worker processes are started with `spawn`, which runs the main script again in each worker
unless it is guarded by `if __name__ == "__main__":`; `spawn_safe` tells whether it is,
and an unguarded script is answered in-process (with a warning) rather than breaking.
"""

from __future__ import annotations

import ast
import functools
import gc
import os
import sys
import threading
import warnings
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clingo import Function

from govrules import clock
from govrules.asp.batch import BatchAtom, BatchProgram, Unsupported
from govrules.asp.facts import (
    FactArgs,
    PlainAtom,
    PlainFact,
    fact,
    fact_args,
    plain_atoms,
    symbol_of,
    text,
)
from govrules.asp.ordertype import OrderType
from govrules.asp.reuse import KeptAnswer
from govrules.asp.slicing import Signature
from govrules.asp.solve import run_bounded
from govrules.document_answer import CheckResult
from govrules.errors import Bilingual, GovrulesError, SolverLimitError
from govrules.inputs import DocumentFile, InputLike, Organisation
from govrules.policy_core import PolicyCore
from govrules.routing import (
    OrderTypeKey,
    Posed,
    Question,
    check,
    document_result,
    order_type_of,
    pose,
    solve_order_type,
)
from govrules.workdays import WorkCalendar

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

__all__ = ["CheckStream", "check_chunk", "check_many", "cores", "spawn_safe"]

# Documents grounded together (asp.batch): enough to spread grounding's fixed cost thin.
_GROUP = 64
# Order types new to a batch grounded together only from this many of one question: the
# slice's rewriting for a batch costs as much as grounding this many alone.
_REWRITE_MIN = 8
# Batches: below this many documents a process pool costs more than it saves.
_PARALLEL_MIN = 200
_CHUNK = 256
_WORKER: dict[str, Any] = {}


def cores() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    sides = [node.test.left, *node.test.comparators]
    names = {s.id for s in sides if isinstance(s, ast.Name)}
    texts = {s.value for s in sides if isinstance(s, ast.Constant)}
    return names == {"__name__"} and texts == {"__main__"}


@functools.cache
def _main_guarded(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return False
    return any(_is_main_guard(node) for node in tree.body)


def spawn_safe() -> bool:
    """Whether a spawned worker can start without running the main script's own work again:
    no main file (an interactive session, `-c`), a package run with `-m`, or a script whose
    work sits under `if __name__ == "__main__":`."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    name = getattr(spec, "name", None) or ""
    if name == "__main__" or name.endswith(".__main__"):
        return True
    path = getattr(main, "__file__", None)
    return path is None or _main_guarded(str(path))


def unguarded_warning() -> None:
    warnings.warn(
        "govrules: checking in this process, not in worker processes: the main script has "
        'no `if __name__ == "__main__":` guard, and each worker process would run it again',
        RuntimeWarning,
        stacklevel=3,
    )


class CheckStream:
    """Chunks of items checked in order, on `workers` processes: a thread of this process
    (which keeps the main thread free to answer a signal at once) and `workers - 1` worker
    processes. This process checks too: it has loaded the policy and organisation already,
    and on two cores another worker would only spawn, import and warm up again (about
    0.5 s) while the parent waited. A chunk is given to a side only when that side is free
    to take it, so a worker still starting holds back no more than one chunk."""

    def __init__(
        self,
        policy: PolicyCore,
        org: Organisation,
        settings: dict[str, bool],
        timeout: float,
        lang: str,
        render: Callable[[Any], Any] | None,
        parse: Callable[[Any], Any] | None,
        workers: int,
    ) -> None:
        self.policy = policy
        self._job = (org, settings, timeout, lang, render, parse)
        self._pool: Pool | None = None
        self._workers = max(0, workers - 1)
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="govrules-batch")
        self._wake = threading.Event()  # set whenever a side finishes a chunk
        self._pool_answered = False  # a worker has answered: the workers are warm
        if self._workers:
            from multiprocessing import get_context

            self._pool = get_context("spawn").Pool(
                self._workers, _start, (str(policy.directory), *self._job)
            )
        self.ahead = 2 * max(1, workers)  # chunks read and not yet written

    def _give(
        self, chunk: list[Any], on_thread: int, on_pool: int
    ) -> AsyncResult[list[Any]] | Future[list[Any]] | None:
        """CHUNK given to a free side, or None while both are busy. A side is free with
        fewer than two chunks each (one checked, one at hand), a worker not yet warm with
        fewer than one."""
        if on_thread < 2:
            future = self._thread.submit(self._in_process, chunk)
            future.add_done_callback(lambda _: self._wake.set())
            return future
        room = self._workers * (2 if self._pool_answered else 1)
        if self._pool is not None and on_pool < room:
            return self._pool.apply_async(
                _worker_check, (chunk,), callback=self._pool_done, error_callback=self._pool_done
            )
        return None

    def _pool_done(self, _answer: object) -> None:
        self._pool_answered = True
        self._wake.set()

    def _in_process(self, chunk: list[Any]) -> list[Any]:
        org, settings, timeout, lang, render, parse = self._job
        out = check_chunk(self.policy, chunk, org, settings, timeout, lang, parse)
        if render is None:
            return list(out)
        return [x if isinstance(x, GovrulesError) else render(x) for x in out]

    def run(
        self, chunks: Iterable[list[Any]], poll: Callable[[], None] = lambda: None
    ) -> Iterator[tuple[list[Any], list[Any]]]:
        """Each chunk with its answers, in order, with at most `ahead` chunks read but not
        answered; `poll` is called at least every 0.1 s while waiting (to stop by raising)."""
        source = iter(chunks)
        read_all = False
        # In input order: [chunk, its answer to come, or None until a side takes it].
        pending: deque[list[Any]] = deque()
        while True:
            self._wake.clear()  # before looking: a chunk finished after this wakes the wait
            while not read_all and len(pending) < self.ahead:
                chunk = next(source, None)
                if chunk is None:
                    read_all = True
                else:
                    pending.append([chunk, None])
            if not pending:
                return
            on_thread = sum(isinstance(h, Future) and not h.done() for _, h in pending)
            on_pool = sum(
                h is not None and not isinstance(h, Future) and not h.ready() for _, h in pending
            )
            for entry in pending:
                if entry[1] is None:
                    handle = self._give(entry[0], on_thread, on_pool)
                    if handle is None:
                        break
                    entry[1] = handle
                    if isinstance(handle, Future):
                        on_thread += 1
                    else:
                        on_pool += 1
            chunk, handle = pending[0]
            if handle is not None and _ready(handle):
                pending.popleft()
                yield chunk, _answer(handle)  # a finished answer is written, signal or not
                continue
            # Timed waits: a signal the kernel hands to another thread (a worker's) runs its
            # Python handler only when the main thread wakes, which an untimed wait would not.
            poll()
            self._wake.wait(0.1)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
        self._thread.shutdown(wait=True)

    def stop(self) -> None:
        """End the work at once: worker processes are terminated (a thread cannot be: the
        caller exits with `os._exit`)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            # Its queues' semaphores are released when collected: the caller's os._exit
            # would leave them to the resource tracker, which warns of leaked semaphores.
            self._pool = None
            gc.collect()
        self._thread.shutdown(wait=False, cancel_futures=True)


def _ready(handle: AsyncResult[list[Any]] | Future[list[Any]]) -> bool:
    return handle.done() if isinstance(handle, Future) else handle.ready()


def _answer(handle: AsyncResult[list[Any]] | Future[list[Any]]) -> list[Any]:
    """A finished chunk's answers (or the error its side raised)."""
    return handle.result() if isinstance(handle, Future) else handle.get()


def _start(*job: Any) -> None:
    """A worker: signals are the parent's to answer (it stops the workers itself)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_start(*job)


def check_many(
    policy: PolicyCore,
    documents: Iterable[InputLike | DocumentFile],
    org: InputLike | Organisation | None,
    interpretations: Mapping[str, bool] | None,
    timeout: float,
    lang: str,
    workers: int | None,
    render: Callable[[CheckResult], Any] | None = None,
    parse: Callable[[Any], Any] | None = None,
) -> list[Any]:
    """Many traces checked: results (or, with `render`, what it makes of each result, made
    where the result was: in the worker process) and errors, in input order. With `parse`,
    each item is read into a document there too (a bad one: its error)."""
    timeout = clock.check_timeout(timeout)
    docs = list(documents)
    org_model = policy._org(org)
    settings = policy.interpretations(interpretations)  # refuse unknown names up front
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count > 1 and len(docs) >= _PARALLEL_MIN and not spawn_safe():
        unguarded_warning()
        count = 1
    if count <= 1 or len(docs) < _PARALLEL_MIN:
        out = check_chunk(policy, docs, org_model, settings, timeout, lang, parse)
        if render is None:
            return out
        return [x if isinstance(x, GovrulesError) else render(x) for x in out]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    size = max(1, min(_CHUNK, -(-len(docs) // (count * 4))))
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
    # The caller's calendar travels along: a --calendar file is not on the worker's disk.
    job = (
        str(policy.directory),
        org_model,
        settings,
        timeout,
        lang,
        render,
        parse,
        policy.calendar,
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
                    item.labels, item.policy_text = policy.program, policy.text
                results.append(item)
    return results


def _check_one(
    policy: PolicyCore,
    document: InputLike | DocumentFile,
    org: Organisation,
    settings: Mapping[str, bool],
    timeout: float,
    lang: str,
) -> CheckResult | GovrulesError:
    try:
        return check(
            policy,
            Question(document, org, "check", interpretations=settings, timeout=timeout, lang=lang),
        )
    except GovrulesError as err:
        return err


# (the group's facts over exact predicates, the predicates of its facts)
_GroupKey = tuple[frozenset[Hashable], frozenset[Signature]]


@dataclass
class _Prepared:
    """A document of a batch, validated, with its own facts."""

    index: int
    source: Any
    posed: Posed
    exact_values: list[PlainFact]  # its facts over the slicer's exact predicates

    @functools.cached_property
    def exact(self) -> list[Any]:
        """Those facts as symbols: made only when the document's question is solved."""
        return [Function(n, [symbol_of(v) for v in a]) for n, a in self.exact_values]


def check_chunk(
    policy: PolicyCore,
    documents: Sequence[InputLike | DocumentFile],
    org: Organisation,
    settings: dict[str, bool],
    timeout: float,
    lang: str,
    parse: Callable[[Any], Any] | None = None,
) -> list[CheckResult | GovrulesError]:
    """Documents checked with one grounding per group of documents asking the same
    question (`asp.batch`), up to `_GROUP` at a time; alone when a group cannot be.

    Where the policy shares answers by order type (`asp.ordertype`), a document whose
    order type was answered before takes that answer, and each order type not seen before
    is grounded once, for all the documents of the batch that have it."""
    out: list[CheckResult | GovrulesError | None] = [None] * len(documents)
    groups: dict[_GroupKey, list[_Prepared]] = {}
    ordered = _OrderTypes.of(policy, org, settings)
    exact_kinds = policy.sliced.exact
    for index, document in enumerate(documents):
        try:
            if parse is not None:
                document = parse(document)
            posed = pose(policy, Question(document, org, "check", interpretations=settings))
        except GovrulesError as err:
            out[index] = err
            continue
        signatures = frozenset((name, len(args)) for name, args in posed.values)
        exact = [(n, a) for n, a in posed.values if (n, len(a)) in exact_kinds]
        # A constant and a string of the same text are equal as Python values: the key
        # tells them apart.
        typed: frozenset[Hashable] = frozenset(
            (n, tuple((type(v), v) for v in a)) for n, a in exact
        )
        key: _GroupKey = (typed, signatures)
        prepared = _Prepared(index, document, posed, exact)
        if ordered is None or not ordered.take(prepared, key):
            groups.setdefault(key, []).append(prepared)
    if ordered is not None:
        for index, answer in ordered.answer(timeout, lang):
            out[index] = answer
    for group, members in groups.items():
        for start in range(0, len(members), _GROUP):
            part = members[start : start + _GROUP]
            answers: list[CheckResult | GovrulesError] | None = None
            if len(part) > 1:
                try:
                    facts = [m.posed.facts for m in part]
                    found = _solve_group(
                        policy, group, part[0].exact, facts, org, settings, timeout
                    )
                    answers = [
                        _document_answer(policy, m, org, lang, plain_atoms(a))
                        for m, a in zip(part, found, strict=True)
                    ]
                except (Unsupported, GovrulesError):
                    answers = None  # asked one by one below, each with its own bound
            if answers is None:
                answers = [_check_one(policy, m.source, org, settings, timeout, lang) for m in part]
            for member, answer in zip(part, answers, strict=True):
                out[member.index] = answer
    return [x for x in out if x is not None]


def _document_answer(
    policy: PolicyCore, member: _Prepared, org: Organisation, lang: str, atoms: list[PlainAtom]
) -> CheckResult:
    question = Question(member.posed.doc, org, "check", lang=lang)
    return CheckResult.of(document_result(policy, member.posed, question, atoms))


class _OrderTypes:
    """The documents of a batch by order type (`asp.ordertype`): answered from the policy's
    kept answers, and each type not kept grounded once, with the batch's other new types."""

    def __init__(self, policy: PolicyCore, org: Organisation, settings: dict[str, bool]) -> None:
        self.policy, self.org, self.settings = policy, org, settings
        _, self.present = policy._common(org)
        self.kept = policy.answers(org)
        # order type -> its documents, each with what its own dates are
        self.waiting: dict[OrderTypeKey, list[tuple[_Prepared, OrderType]]] = {}
        self.groups: dict[_GroupKey, list[OrderTypeKey]] = {}
        self.hits: list[tuple[_Prepared, OrderType, KeptAnswer]] = []

    @classmethod
    def of(
        cls, policy: PolicyCore, org: Organisation, settings: dict[str, bool]
    ) -> _OrderTypes | None:
        """None when the policy's checks cannot share answers (the same conditions as a
        single check's, `routing._answer`)."""
        if not policy.reuse_groundings or policy.collect_statistics:
            return None
        if not policy.shares_by_order_type:
            return None
        return cls(policy, org, settings)

    def take(self, member: _Prepared, key: _GroupKey) -> bool:
        """Whether the document is answered by order type (else: grounded as it is)."""
        exact = (name for name, _ in member.exact_values)
        found = order_type_of(self.policy, member.posed, self.present | key[1], exact)
        if found is None:
            return False
        order_type, type_key = found
        kept = self.kept.get(type_key)
        if kept is not None:
            self.hits.append((member, order_type, kept))
            return True
        waiting = self.waiting.get(type_key)
        if waiting is None:
            self.waiting[type_key] = waiting = []
            self.groups.setdefault(key, []).append(type_key)
        waiting.append((member, order_type))
        return True

    def answer(
        self, timeout: float, lang: str
    ) -> Iterator[tuple[int, CheckResult | GovrulesError]]:
        """(index, answer) of every document taken."""
        policy, org, settings = self.policy, self.org, self.settings

        def one(
            member: _Prepared, order_type: OrderType, kept: KeptAnswer
        ) -> CheckResult | GovrulesError:
            try:
                atoms = order_type.restore(kept.atoms, kept.coded)
                return _document_answer(policy, member, org, lang, atoms)
            except GovrulesError:  # out of time reading it, say: asked alone, its own bound
                return _check_one(policy, member.source, org, settings, timeout, lang)

        for member, order_type, kept in self.hits:
            yield member.index, one(member, order_type, kept)
        for key, type_keys in self.groups.items():
            step = _GROUP if len(type_keys) >= _REWRITE_MIN else 1
            for start in range(0, len(type_keys), step):
                part = type_keys[start : start + step]
                # One representative per type: its facts with days and minutes as ranks.
                firsts = [self.waiting[k][0] for k in part]
                exact = firsts[0][0].exact
                try:
                    if step > 1:
                        facts = [fact_args(t.facts) for _, t in firsts]
                        ranked = policy.common_by_dates(org).ranked
                        found = [
                            plain_atoms(atoms)
                            for atoms in _solve_group(
                                policy, key, exact, facts, org, settings, timeout, ranked
                            )
                        ]
                    else:
                        found = [
                            solve_order_type(
                                policy,
                                org,
                                firsts[0][1],
                                part[0],
                                timeout=timeout,
                                exact=exact,
                                present=self.present | key[1],
                            )
                        ]
                except (Unsupported, GovrulesError):
                    for type_key in part:
                        for member, _ in self.waiting[type_key]:
                            yield (
                                member.index,
                                _check_one(policy, member.source, org, settings, timeout, lang),
                            )
                    continue
                for type_key, atoms in zip(part, found, strict=True):
                    kept = self.kept.put(type_key, KeptAnswer.of(atoms))
                    for member, order_type in self.waiting[type_key]:
                        yield member.index, one(member, order_type, kept)


def _solve_group(
    policy: PolicyCore,
    key: _GroupKey,
    exact: list[Any],
    documents: list[list[FactArgs]],
    org: Organisation,
    settings: dict[str, bool],
    timeout: float,
    ranked: frozenset[Signature] = frozenset(),
) -> list[list[BatchAtom]]:
    """The shown atoms of each document's answer, grounded together. `ranked`: the
    organisation's dated predicates, which a batch of order types carries per document
    (each document's ranks differ) and the plain batch shares."""
    common, present = policy._common(org)
    if ranked:
        common = policy.common_by_dates(org).undated
    switched = [fact("interp", text(k)) for k, v in settings.items() if v]
    # The slice depends on the interpretations (rules guarded by one switched off are cut)
    # and on which predicates the organisation has, as well as on the group's own key.
    program_key = (key, ranked, frozenset(k for k, v in settings.items() if v), present)
    batch = policy._batches.get(program_key)
    if batch is None:
        sliced = policy.sliced.program([*exact, *switched], present | key[1])
        batch = BatchProgram(sliced, (key[1] | ranked) - policy.sliced.exact)
        with policy._lock:
            if len(policy._batches) >= 64:
                policy._batches.clear()
            policy._batches[program_key] = batch

    def run(ctl: Any, models: list[list[Any]]) -> object:
        return run_bounded(ctl, timeout, models, Bilingual("批量核查", "checking a batch"))

    found = batch.solve([*common, *exact, *switched], documents, run=run)
    if not all(found):
        raise SolverLimitError(
            Bilingual("规则程序无解", "the rule program has no answer"),
            code="unsatisfiable",
        )
    return found


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
    policy = PolicyCore.load(directory)
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
    policy: PolicyCore = _WORKER["policy"]
    render = _WORKER["render"]
    out: list[Any] = []
    checked = check_chunk(
        policy,
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
