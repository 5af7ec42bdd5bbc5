"""A DuckDB database lent question after question (`asp.duckdb_pool`) answers each as a
fresh database would: nothing one question loads or derives reaches the next, a question
that fails never hands its database on, and threads sharing a pool get their own answers."""

from __future__ import annotations

import gc
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from bench import gen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govrules
from govrules.asp import columnar, duckdb_pool
from govrules.asp.duckdb_pool import DuckDBPool
from govrules.asp.facts import constant, fact
from govrules.inputs import load_org, load_plan
from govrules.presence import plain_leave_rows


@pytest.fixture(scope="module")
def duck() -> govrules.Policy:
    policy = govrules.load_policy()
    policy.columnar_from = 0
    policy.reuse_groundings = False
    return policy


def _rows(policy: govrules.Policy, seed: int, people: int = 30) -> Any:
    data = gen.organisation(people, seed=seed)
    org = load_org(data)
    plan = load_plan(gen.year_plan(data, seed=seed), org)
    return plain_leave_rows(policy, org, plan, policy.interpretations(None))


@pytest.fixture(scope="module")
def translation(duck: govrules.Policy) -> columnar.Translation:
    rows = _rows(duck, 1)
    kinds = columnar.fact_kinds(rows)
    sliced = duck.sliced.program([fact("mode", constant("leave"))]).text
    found = columnar.translated(sliced, kinds, use_cache=False).translation
    assert found is not None and ("finding", 5) in found.shown
    return found


def _fresh(translation: columnar.Translation, rows: Any) -> Any:
    return columnar.evaluate(translation, rows, time.monotonic() + 120)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seeds=st.lists(st.integers(0, 10_000), min_size=2, max_size=5))
def test_questions_through_one_database_are_answered_as_in_fresh_ones(
    duck: govrules.Policy, translation: columnar.Translation, seeds: list[int]
) -> None:
    pool = DuckDBPool(translation, keep=1)
    lent = None
    for seed in seeds:
        rows = _rows(duck, seed)
        assert pool.evaluate(rows, time.monotonic() + 120) == _fresh(translation, rows)
        (idle,) = pool._idle
        assert lent is None or idle.con is lent  # the same database, lent again
        lent = idle.con
    pool.close()


def test_a_question_past_its_deadline_closes_its_database(
    duck: govrules.Policy, translation: columnar.Translation
) -> None:
    pool = DuckDBPool(translation, keep=1)
    rows = _rows(duck, 3)
    pool.evaluate(rows, time.monotonic() + 120)
    (first,) = pool._idle
    with pytest.raises(TimeoutError):
        pool.evaluate(rows, time.monotonic() - 1)
    assert pool._idle == []
    with pytest.raises(Exception, match="closed"):
        first.con.execute("SELECT 1")
    assert pool.evaluate(rows, time.monotonic() + 120) == _fresh(translation, rows)


def test_a_question_the_database_refuses_closes_it() -> None:
    """Facts that break a constraint raise `Unsupported` mid-transaction: that database is
    closed, and the next question is answered in another."""
    text = "p(X) :- q(X). :- q(3). #show p/1."
    translation = columnar.translate(text, {("q", 1): ("int",)})
    pool = DuckDBPool(translation, keep=1)
    good = {("q", 1): [(1,), (2,)]}
    assert pool.evaluate(good, time.monotonic() + 60) == [("p", (1,)), ("p", (2,))]
    (first,) = pool._idle
    with pytest.raises(columnar.Unsupported):
        pool.evaluate({("q", 1): [(3,)]}, time.monotonic() + 60)
    assert pool._idle == []
    assert pool.evaluate({("q", 1): [(4,)]}, time.monotonic() + 60) == [("p", (4,))]
    (second,) = pool._idle
    assert second is not first


def test_threads_sharing_a_pool_get_their_own_answers(
    duck: govrules.Policy, translation: columnar.Translation
) -> None:
    work = [_rows(duck, seed, people=20) for seed in range(4)]
    expected = [_fresh(translation, rows) for rows in work]
    assert len({repr(e) for e in expected}) == len(work)  # four different answers
    pool = DuckDBPool(translation, keep=2)

    def ask(thread: int) -> list[Any]:
        """Three questions in turn; an error is raised again by `map` below."""
        picks = [(thread + round_) % len(work) for round_ in range(3)]
        return [(i, pool.evaluate(work[i], time.monotonic() + 300)) for i in picks]

    with ThreadPoolExecutor(6) as threads:
        answered = [a for answers in threads.map(ask, range(6)) for a in answers]
    assert len(answered) == 18
    for i, answer in answered:
        assert answer == expected[i]
    assert 1 <= len(pool._idle) <= 2
    pool.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_process_leaves_its_parents_databases_alone(
    duck: govrules.Policy, translation: columnar.Translation
) -> None:
    """DuckDB's threads do not survive a fork: a child neither uses nor closes the
    databases it inherited, and their folders outlive the child's collection and exit."""
    pool = DuckDBPool(translation, keep=1)
    rows = _rows(duck, 5)
    pool.evaluate(rows, time.monotonic() + 120)
    (parents,) = pool._idle
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's verdict is its exit status
        ok = pool._idle == [] and duckdb_pool._INHERITED[-1] is parents
        pool.close()
        gc.collect()
        assert parents.removal is not None
        parents.removal()  # what the child's exit would run
        os._exit(0 if ok and os.path.isdir(parents.folder) else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert os.path.isdir(parents.folder)
    assert pool.evaluate(rows, time.monotonic() + 120) == _fresh(translation, rows)
    assert pool._idle == [parents]  # still the parent's, still open
    pool.close()
    assert not os.path.exists(parents.folder)


def test_an_interrupted_question_closes_its_database_and_removes_its_facts() -> None:
    """A question interrupted in the middle of its transaction (a long recursion, a short
    deadline) hands nothing on: its database is closed, its folder removed at once."""
    text = "path(X, Y) :- edge(X, Y). path(X, Z) :- path(X, Y), edge(Y, Z). #show path/2."
    kinds = {("edge", 2): ("int", "int")}
    translation = columnar.translate(text, kinds)
    pool = DuckDBPool(translation)
    small = {("edge", 2): [(1, 2), (2, 3)]}
    expected = [("path", (1, 2)), ("path", (1, 3)), ("path", (2, 3))]
    assert pool.evaluate(small, time.monotonic() + 60) == expected
    (first,) = pool._idle
    chain = {("edge", 2): [(i, i + 1) for i in range(3_000)]}
    with pytest.raises(TimeoutError):
        pool.evaluate(chain, time.monotonic() + 0.3)
    assert pool._idle == []
    assert not os.path.exists(first.folder)
    with pytest.raises(Exception, match="closed"):
        first.con.execute("SELECT 1")
    assert pool.evaluate(small, time.monotonic() + 60) == expected


def test_an_answer_found_in_time_is_kept_past_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The deadline passing after the answer is found (here, while it is read) loses
    neither the answer nor the database: the rollback is not held to the deadline."""
    translation = columnar.translate("p(X) :- q(X). #show p/1.", {("q", 1): ("int",)})
    pool = DuckDBPool(translation)
    original = columnar.Evaluation.shown

    pool.evaluate({("q", 1): [(0,)]}, time.monotonic() + 60)  # a database prepared
    # Time enough for the question on a busy machine; the answer is read past it.
    deadline = time.monotonic() + 1.0

    def slow(self: columnar.Evaluation) -> Any:
        found = original(self)
        time.sleep(max(deadline - time.monotonic(), 0) + 0.2)
        return found

    monkeypatch.setattr(columnar.Evaluation, "shown", slow)
    assert pool.evaluate({("q", 1): [(1,)]}, deadline) == [("p", (1,))]
    assert len(pool._idle) == 1
    pool.close()


def test_a_closed_pool_keeps_nothing(
    duck: govrules.Policy, translation: columnar.Translation
) -> None:
    pool = DuckDBPool(translation)
    rows = _rows(duck, 6)
    pool.evaluate(rows, time.monotonic() + 120)
    (idle,) = pool._idle
    pool.close()
    with pytest.raises(Exception, match="closed"):
        idle.con.execute("SELECT 1")
    assert pool.evaluate(rows, time.monotonic() + 120) == _fresh(translation, rows)
    assert pool._idle == []


def test_the_policy_lends_one_database_question_after_question() -> None:
    policy = govrules.load_policy()
    policy.columnar_from = 0
    policy.reuse_groundings = False
    org = gen.organisation(25, seed=8)
    for seed in (8, 9, 8):
        policy.check_leave(gen.year_plan(org, seed=seed), org=org)
    pools = list(policy.duckdb_pools._items.values())
    assert pools and all(len(p._idle) == 1 for p in pools)


def test_a_big_question_closes_its_database(
    duck: govrules.Policy, translation: columnar.Translation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB keeps the memory a question used until its database is closed: past
    `LEND_ROWS_UP_TO` facts, the database is not kept."""
    rows = _rows(duck, 7)
    facts = sum(map(len, rows.values()))
    pool = DuckDBPool(translation)
    monkeypatch.setattr(duckdb_pool, "LEND_ROWS_UP_TO", facts - 1)
    assert pool.evaluate(rows, time.monotonic() + 120) == _fresh(translation, rows)
    assert pool._idle == []
    monkeypatch.setattr(duckdb_pool, "LEND_ROWS_UP_TO", facts)
    pool.evaluate(rows, time.monotonic() + 120)
    assert len(pool._idle) == 1
    pool.close()


def test_a_policy_may_keep_no_database_before_or_after_its_first_question() -> None:
    org = gen.organisation(25, seed=8)
    for before in (True, False):
        policy = govrules.load_policy()
        policy.columnar_from = 0
        if before:
            policy.duckdb_keep = 0
        policy.check_leave(gen.year_plan(org, seed=8), org=org)
        pools = policy.duckdb_pools.values()
        assert pools and all(len(p._idle) == (0 if before else 1) for p in pools)
        kept = [p._idle[0] for p in pools if p._idle]
        policy.duckdb_keep = 0
        assert all(p._idle == [] for p in pools)
        assert not any(os.path.exists(k.folder) for k in kept)
        policy.check_leave(gen.year_plan(org, seed=9), org=org)
        assert all(p._idle == [] for p in policy.duckdb_pools.values())
