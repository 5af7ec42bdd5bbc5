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
import os
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clingo import Function

from govrules import clock
from govrules.asp.facts import FactArgs, fact, text
from govrules.asp.slicing import Signature
from govrules.asp.solve import run_bounded
from govrules.errors import Bilingual, GovrulesError, SolverLimitError
from govrules.inputs import DocumentFile, InputLike, Organisation
from govrules.policy_core import PolicyCore
from govrules.routing import CheckResult, Posed, Question, check, document_result, pose
from govrules.workdays import WorkCalendar

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

__all__ = ["CheckStream", "check_chunk", "check_many", "cores", "spawn_safe"]

# Documents grounded together (asp.batch): enough to spread grounding's fixed cost thin.
_GROUP = 64
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
    """Chunks of items checked in order: on `workers` processes, or on one thread of this
    process (which keeps the main thread free to answer a signal at once)."""

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
        self._thread: ThreadPoolExecutor | None = None
        if workers > 1:
            from multiprocessing import get_context

            self._pool = get_context("spawn").Pool(
                workers, _start, (str(policy.directory), *self._job)
            )
            self.ahead = 2 * workers
        else:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="govrules-batch")
            self.ahead = 2

    def _submit(self, chunk: list[Any]) -> AsyncResult[list[Any]] | Future[list[Any]]:
        if self._pool is not None:
            return self._pool.apply_async(_worker_check, (chunk,))
        assert self._thread is not None
        return self._thread.submit(self._in_process, chunk)

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
        pending: deque[tuple[list[Any], AsyncResult[list[Any]] | Future[list[Any]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, self._submit(chunk)))
            while len(pending) >= self.ahead:
                done, answer = pending.popleft()
                yield done, _result(answer, poll)
        while pending:
            done, answer = pending.popleft()
            yield done, _result(answer, poll)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
        if self._thread is not None:
            self._thread.shutdown(wait=True)

    @property
    def in_process(self) -> bool:
        """Checked on a thread of this process, which only exiting the process can stop."""
        return self._thread is not None

    def stop(self) -> None:
        """End the work at once: worker processes are terminated (a thread cannot be: the
        caller exits with `os._exit`)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
        if self._thread is not None:
            self._thread.shutdown(wait=False, cancel_futures=True)


def _start(*job: Any) -> None:
    """A worker: signals are the parent's to answer (it stops the workers itself)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_start(*job)


def _result(
    pending: AsyncResult[list[Any]] | Future[list[Any]], poll: Callable[[], None]
) -> list[Any]:
    # Timed waits: a signal the kernel hands to another thread (a worker's) only runs its
    # Python handler when the main thread wakes, which an untimed wait would not do.
    if isinstance(pending, Future):
        while True:
            poll()
            try:
                return pending.result(timeout=0.1)
            except TimeoutError:
                continue
    while not pending.ready():
        poll()
        pending.wait(0.1)
    return pending.get()


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


@dataclass
class _Prepared:
    """A document of a batch, validated, with its own facts."""

    index: int
    source: Any
    posed: Posed
    exact: list[Any]


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
    question (`asp.batch`), up to `_GROUP` at a time; alone when a group cannot be."""
    from govrules.asp.batch import Unsupported

    out: list[CheckResult | GovrulesError | None] = [None] * len(documents)
    groups: dict[tuple[frozenset[str], frozenset[Signature]], list[_Prepared]] = {}
    exact_kinds = policy.sliced.exact
    for index, document in enumerate(documents):
        try:
            if parse is not None:
                document = parse(document)
            posed = pose(policy, Question(document, org, "check", interpretations=settings))
        except GovrulesError as err:
            out[index] = err
            continue
        signatures = frozenset((name, len(args)) for name, args in posed.facts)
        exact = [Function(n, a) for n, a in posed.facts if (n, len(a)) in exact_kinds]
        key = (frozenset(str(e) for e in exact), signatures)
        groups.setdefault(key, []).append(_Prepared(index, document, posed, exact))
    for key, members in groups.items():
        for start in range(0, len(members), _GROUP):
            part = members[start : start + _GROUP]
            answers: list[CheckResult | GovrulesError] | None = None
            if len(part) > 1:
                try:
                    answers = _check_group(policy, key, part, org, settings, timeout, lang)
                except (Unsupported, GovrulesError):
                    answers = None  # asked one by one below, each with its own bound
            if answers is None:
                answers = [_check_one(policy, m.source, org, settings, timeout, lang) for m in part]
            for member, answer in zip(part, answers, strict=True):
                out[member.index] = answer
    return [x for x in out if x is not None]


def _check_group(
    policy: PolicyCore,
    key: tuple[frozenset[str], frozenset[Signature]],
    members: list[_Prepared],
    org: Organisation,
    settings: dict[str, bool],
    timeout: float,
    lang: str,
) -> list[CheckResult | GovrulesError]:
    from govrules.asp.batch import BatchProgram

    common, present = policy._common(org)
    switched = [fact("interp", text(k)) for k, v in settings.items() if v]
    exact = members[0].exact
    batch = policy._batches.get(key)
    if batch is None:
        sliced = policy.sliced.program([*exact, *switched], present | key[1])
        batch = BatchProgram(sliced, key[1] - policy.sliced.exact)
        with policy._lock:
            if len(policy._batches) >= 64:
                policy._batches.clear()
            policy._batches[key] = batch

    def run(ctl: Any, models: list[list[Any]]) -> object:
        return run_bounded(ctl, timeout, models, Bilingual("批量核查", "checking a batch"))

    facts: list[list[FactArgs]] = [m.posed.facts for m in members]
    atoms = batch.solve([*common, *exact, *switched], facts, run=run)
    results: list[CheckResult | GovrulesError] = []
    for member, found in zip(members, atoms, strict=True):
        if not found:
            raise SolverLimitError(
                Bilingual("规则程序无解", "the rule program has no answer"),
                code="unsatisfiable",
            )
        question = Question(member.posed.doc, org, "check", lang=lang)
        results.append(CheckResult.of(document_result(policy, member.posed, question, found)))
    return results


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
