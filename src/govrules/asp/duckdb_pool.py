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
not survive a fork) never touches them: it prepares its own.
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


@dataclass
class _Prepared:
    """One database: its tables created, the program's own facts loaded and committed."""

    con: Any
    folder: str
    sizes: Mapping[Signature, int]  # atoms in each table before any question


class DuckDBPool:
    """The prepared databases of one `Translation`; thread-safe."""

    def __init__(self, translation: Translation, keep: int = KEEP) -> None:
        self.translation = translation
        self.keep = keep
        self._lock = threading.Lock()
        self._idle: list[_Prepared] = []
        self._pid = os.getpid()

    def evaluate(
        self,
        rows: Mapping[Signature, Sequence[Row]],
        deadline: float,
        kinds: Mapping[Signature, Sequence[str]] | None = None,
    ) -> list[tuple[str, tuple[Any, ...]]]:
        """`columnar.evaluate` in a lent database: the same atoms, the same errors."""
        prepared = self._borrow(deadline)
        evaluation = Evaluation(
            self.translation, deadline, prepared.folder, prepared.con, prepared.sizes
        )
        done = False  # and small enough to keep the database
        try:
            with duckdb_errors(), watch_deadline(prepared.con, deadline):
                evaluation.x("BEGIN TRANSACTION")
                evaluation.load(rows, fact_kinds(rows) if kinds is None else kinds)
                evaluation.run()
                shown = evaluation.shown()
                evaluation.x("ROLLBACK")
            done = sum(map(len, rows.values())) <= LEND_ROWS_UP_TO
            return shown
        finally:
            self._give_back(prepared, reuse=done)

    def _borrow(self, deadline: float) -> _Prepared:
        with self._lock:
            if os.getpid() != self._pid:  # forked: leave the parent's databases alone
                _INHERITED.extend(self._idle)
                self._idle = []
                self._pid = os.getpid()
            if self._idle:
                return self._idle.pop()
        return self._prepare(deadline)

    def _prepare(self, deadline: float) -> _Prepared:
        folder = tempfile.mkdtemp(prefix="govrules-columnar-")
        con = None
        try:
            with duckdb_errors():
                con = Evaluation.connect(folder)
                evaluation = Evaluation(self.translation, deadline, folder, con)
                with watch_deadline(con, deadline):
                    evaluation.create_tables()
                    evaluation.load_own()
        except BaseException:
            if con is not None:
                con.close()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        prepared = _Prepared(con, folder, dict(evaluation.sizes))
        weakref.finalize(prepared, shutil.rmtree, folder, True)
        return prepared

    def _give_back(self, prepared: _Prepared, *, reuse: bool) -> None:
        with self._lock:
            if reuse and os.getpid() == self._pid and len(self._idle) < self.keep:
                self._idle.append(prepared)
                return
        prepared.con.close()

    def close(self) -> None:
        """Close the idle databases (those lent out close when given back)."""
        with self._lock:
            idle, self._idle, self.keep = self._idle, [], 0
        for prepared in idle:
            prepared.con.close()
