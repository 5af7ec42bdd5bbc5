"""Checking a stream of documents in order, in bounded memory, on worker processes.

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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from govrules.engine import Policy
    from govrules.inputs import Organisation

__all__ = ["CheckStream", "cores", "spawn_safe"]


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
        policy: Policy,
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
        from govrules.engine import _worker_check

        if self._pool is not None:
            return self._pool.apply_async(_worker_check, (chunk,))
        assert self._thread is not None
        return self._thread.submit(self._in_process, chunk)

    def _in_process(self, chunk: list[Any]) -> list[Any]:
        org, settings, timeout, lang, render, parse = self._job
        out = self.policy._check_chunk(chunk, org, settings, timeout, lang, parse)
        if render is None:
            return list(out)
        from govrules.errors import GovrulesError

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

    from govrules.engine import _worker_start

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
