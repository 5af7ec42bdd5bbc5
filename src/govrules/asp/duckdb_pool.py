"""DuckDB databases prepared for one translation and lent to one question at a time.

A fresh database a question (`columnar.evaluate`) pays, each time, for what never changes:
opening the database (about 11 ms), creating a table per predicate (about 0.25 ms each,
96 for the bundled policy's leave slice) and loading the program's own facts (about 20
ms), a sixth of a 2,000-person audit. A prepared database has all that done once. Each
question runs in a transaction that is rolled back, so what it loaded and derived (its
tables' rows, its temporary tables) is gone before the next borrows the database; a
question that fails in any way closes its database instead of handing it on.

An idle database is not free: DuckDB keeps the memory its last question used (about 40
MB after a small one, 60-70 MB after a year of 2,000 people, 100 MB after 20,000) until
it is closed. So at most `keep` idle databases are kept a translation (`KEEP`; 0: none),
and only after a question of at most `LEND_ROWS_UP_TO` facts: past that, the fixed cost
saved is a few per cent of the question. Questions running at once beyond `keep` each
prepare their own. A process forked from the one that prepared them (DuckDB's threads do
not survive a fork) never touches them, nor removes their folders: it prepares its own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from govrules.asp.columnar import (
    Evaluation,
    Row,
    Signature,
    Translation,
    duckdb_errors,
    fact_kinds,
)
from govrules.asp.solve import watch_deadline

__all__ = ["KEEP", "LEND_ROWS_UP_TO", "DuckDBPool"]

KEEP = 1  # idle databases kept a translation
LEND_ROWS_UP_TO = 50_000  # facts of a question whose database is kept: about 3,000 people

# Databases inherited through a fork: never used, never closed (closing could wait for
# threads the fork did not copy), only kept from the garbage collector.
_INHERITED: list[Any] = []
_POOLS: weakref.WeakSet[DuckDBPool] = weakref.WeakSet()


def _remove_folder(folder: str, owner: int) -> None:
    """A database's folder removed, by the process that made it only (a forked child's
    copy of a database must not remove its parent's folder when collected or at exit)."""
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class _Prepared:
    """One database: its tables created, the program's own facts loaded and committed."""

    con: Any
    folder: str
    sizes: Mapping[Signature, int]  # atoms in each table before any question
    owner: int  # the process that made it
    removal: weakref.finalize[Any, Any] | None = None  # of the folder, once collected


def _discard(prepared: _Prepared) -> None:
    """Close a database and remove its folder now (a failed question's facts may be in
    it); one inherited through a fork is left alone."""
    if prepared.owner != os.getpid():
        _INHERITED.append(prepared)
        return
    prepared.con.close()
    if prepared.removal is not None:
        prepared.removal()  # runs once: removes the folder, and is detached


class DuckDBPool:
    """The prepared databases of one `Translation`; thread-safe."""

    def __init__(self, translation: Translation, keep: int = KEEP) -> None:
        self.translation = translation
        self._keep = keep
        self._lock = threading.Lock()
        self._idle: list[_Prepared] = []
        _POOLS.add(self)

    def set_keep(self, keep: int) -> None:
        """At most `keep` idle databases from now on: those past it are closed."""
        with self._lock:
            self._keep = keep
            extra, self._idle = self._idle[keep:], self._idle[:keep]
        for prepared in extra:
            _discard(prepared)

    def evaluate(
        self,
        rows: Mapping[Signature, Sequence[Row]],
        deadline: float,
        kinds: Mapping[Signature, Sequence[str]] | None = None,
    ) -> list[tuple[str, tuple[Any, ...]]]:
        """`columnar.evaluate` in a lent database: the same atoms, the same errors. A
        question whose database will not be kept (past `LEND_ROWS_UP_TO` facts, or none
        kept) runs outside a transaction: inside one, DuckDB would hold every table a
        recursive stratum drops or empties until the end."""
        lend = self._keep > 0 and sum(map(len, rows.values())) <= LEND_ROWS_UP_TO
        prepared = self._borrow(deadline)
        evaluation = Evaluation(
            self.translation, deadline, prepared.folder, prepared.con, prepared.sizes
        )
        done = False
        try:
            with duckdb_errors():
                with watch_deadline(prepared.con, deadline):
                    if lend:
                        evaluation.x("BEGIN TRANSACTION")
                    evaluation.load(rows, fact_kinds(rows) if kinds is None else kinds)
                    evaluation.run()
                    shown = evaluation.shown()
                if lend:  # unwatched: the answer is found, the deadline no longer matters
                    prepared.con.execute("ROLLBACK")
            done = True
            return shown
        finally:
            self._give_back(prepared, reuse=done and lend)

    def _borrow(self, deadline: float) -> _Prepared:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._prepare(deadline)

    def _prepare(self, deadline: float) -> _Prepared:
        folder = tempfile.mkdtemp(prefix="govrules-columnar-")
        try:
            evaluation = Evaluation.prepared(self.translation, deadline, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        prepared = _Prepared(evaluation.con, folder, dict(evaluation.sizes), os.getpid())
        prepared.removal = weakref.finalize(prepared, _remove_folder, folder, prepared.owner)
        return prepared

    def _give_back(self, prepared: _Prepared, *, reuse: bool) -> None:
        with self._lock:
            if reuse and prepared.owner == os.getpid() and len(self._idle) < self._keep:
                self._idle.append(prepared)
                return
        _discard(prepared)

    def close(self) -> None:
        """Close the idle databases and keep none from now on (those lent out are closed
        when given back)."""
        self.set_keep(0)

    def _after_fork(self) -> None:
        """In a forked child: the parent's idle databases are never used nor closed, and a
        lock another thread held at the fork is replaced."""
        self._lock = threading.Lock()
        _INHERITED.extend(self._idle)
        self._idle = []


def _after_fork_in_child() -> None:
    for pool in list(_POOLS):
        pool._after_fork()


if hasattr(os, "register_at_fork"):  # POSIX only: elsewhere there is no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)
