"""A plain plan check evaluated in DuckDB (`asp.columnar`) answers exactly as clingo does.

Big plain audits go to DuckDB (`PolicyCore.columnar_from`); here the threshold is set to 0 so
that small generated plans take that path, and each answer (findings, acting table, the whole
JSON) is compared with clingo's on the same inputs: generated organisations and plans with
every interpretation on or off, people named with the characters CSV and clingo's text quote,
the bundled example plans, and several threads at once. A slice the translator declines, a
cycle the facts leave undecided, and a deadline are answered as clingo would answer them;
clingo's arithmetic edges (#sup, #inf, division by zero) are held to clingo directly. One
difference is by design: the bound on pairs of absences guards clingo's grounding only, so
a plan past it that clingo refuses, DuckDB answers.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from bench import gen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govrules
from govrules.asp import columnar
from govrules.asp.columnar import Signature
from govrules.asp.facts import symbols_of
from govrules.asp.solve import watch_deadline
from govrules.errors import SolverLimitError
from govrules.inputs import load_org, load_plan
from govrules.presence import leave_facts, plain_leave_rows

EXAMPLES = Path(__file__).resolve().parents[2] / "policy" / "xihu-office-2020" / "examples"


def _policy(columnar_from: int | None) -> govrules.Policy:
    """clingo's side reads every plan as models; DuckDB's reads a plan given as data as
    columns (`inputs.bulk`): each answer compared holds the two readers equal too."""
    policy = govrules.load_policy()
    policy.reuse_groundings = False  # no kept plan answers: every check is evaluated
    policy.columnar_from = columnar_from
    policy.bulk_from = None if columnar_from is None else 0
    return policy


@pytest.fixture(scope="module")
def pair() -> tuple[govrules.Policy, govrules.Policy]:
    """(clingo's policy, DuckDB's policy)."""
    return _policy(None), _policy(0)


def _same(pair: Any, plan: Any, org: Any, interpretations: dict[str, bool] | None) -> str:
    clingo_policy, duck_policy = pair
    expected = clingo_policy.check_leave(plan, org=org, interpretations=interpretations)
    got = duck_policy.check_leave(plan, org=org, interpretations=interpretations)
    assert got.to_json() == expected.to_json()
    kept = list(duck_policy.translations._items.values())
    assert kept and all(k.translation is not None for k in kept)  # DuckDB did answer
    return str(expected.to_json())


def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _renamed(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """`data` (plain organisation or plan data) with people's names replaced."""
    if isinstance(data, dict):
        return {k: _renamed(v, names) for k, v in data.items()}
    if isinstance(data, list):
        return [_renamed(v, names) for v in data]
    if isinstance(data, str):
        return names.get(data, data)
    return data


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.integers(12, 90),
    org_seed=st.integers(0, 10_000),
    plan_seed=st.integers(0, 10_000),
    switches=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_a_generated_plan_is_answered_as_clingo_answers_it(
    pair: Any, people: int, org_seed: int, plan_seed: int, switches: list[bool]
) -> None:
    org = gen.organisation(people, seed=org_seed)
    plan = gen.year_plan(org, seed=plan_seed)
    names = [i.ident for i in pair[0].program.interpretations]
    interpretations = dict(zip(names, switches, strict=False))
    answer = _same(pair, plan, org, interpretations)
    assert '"findings": [' in answer


# Names with what CSV quotes (comma, quote, newline-free) and what clingo's text escapes.
ODD = st.text(
    alphabet=st.sampled_from(list("王李,\"\\'; ()#%{}ab")), min_size=1, max_size=6
).filter(lambda s: s.strip() == s)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(odd=st.lists(ODD, min_size=6, max_size=6, unique=True), seed=st.integers(0, 1000))
def test_names_with_quotes_commas_and_backslashes_survive_the_round_trip(
    pair: Any, odd: list[str], seed: int
) -> None:
    org = gen.organisation(30, seed=seed)
    plan = gen.year_plan(org, seed=seed)
    people = [p["name"] for p in org["people"]]
    names = {old: f"{odd[i % len(odd)]}{old}" for i, old in enumerate(people)}
    answer = _same(pair, _renamed(plan, names), _renamed(org, names), None)
    found = json.loads(answer)
    assert any(
        new in json.dumps(found, ensure_ascii=False) for new in map(_json_text, names.values())
    )


@pytest.mark.parametrize("plan_file", ["plan.yaml", "plan-2021.yaml"])
def test_the_bundled_plans_are_answered_as_clingo_answers_them(pair: Any, plan_file: str) -> None:
    names = [i.ident for i in pair[0].program.interpretations]
    for switched in (dict.fromkeys(names, True), dict.fromkeys(names, False), None):
        _same(pair, EXAMPLES / plan_file, EXAMPLES / "org.yaml", switched)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.integers(12, 400), seed=st.integers(0, 10_000))
def test_who_the_rules_relate_is_derived_as_clingo_derives_it(
    pair: Any, people: int, seed: int
) -> None:
    """related/3 bounds a plan's grounding (`presence.absence_pairs`): from many people it
    is asked of DuckDB."""
    data = gen.organisation(people, seed=seed)
    expected = pair[0].related(load_org(data), 60)
    duck = _policy(0)
    duck.columnar_related_from = 0
    assert duck.related(load_org(data), 60) == expected
    assert expected
    kept = list(duck.translations._items.values())
    assert len(kept) == 2 and all(k.translation is not None for k in kept)


def test_the_rows_are_the_facts_clingo_is_given(pair: Any) -> None:
    policy = pair[0]
    org = load_org(EXAMPLES / "org.yaml")
    plan = load_plan(EXAMPLES / "plan.yaml", org, policy.vocabulary)
    settings_ = policy.interpretations(None)
    rows = plain_leave_rows(policy, org, plan, settings_)
    from_rows = sorted(
        str(s) for s in symbols_of((name, v) for (name, _), vs in rows.items() for v in vs)
    )
    switched = [f'interp("{k}")' for k, v in settings_.items() if v]
    assert from_rows == sorted([*map(str, leave_facts(policy, org, plan)), *switched])


def _declining(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """The translator declines every slice, in a cache of its own: the declined slices it
    keeps must not reach another test's, nor a kept translation bypass it."""
    monkeypatch.setenv("GOVRULES_CACHE", str(cache))

    def decline(text: str, kinds: Any) -> columnar.Translation:
        raise columnar.Unsupported("not today")

    monkeypatch.setattr(columnar, "translate", decline)


def test_a_slice_the_translator_declines_goes_to_clingo(
    pair: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    declining = _policy(0)
    _declining(monkeypatch, tmp_path)
    org = gen.organisation(20, seed=5)
    plan = gen.year_plan(org, seed=5)
    expected = pair[0].check_leave(plan, org=org).to_json()
    assert declining.check_leave(plan, org=org).to_json() == expected
    kept = list(declining.translations._items.values())
    assert kept and all(k.translation is None and k.declined == "not today" for k in kept)


def test_what_the_translator_cannot_do_it_says() -> None:
    assert "choice rule" in columnar.translated("{ a }.", {}).declined
    # a second policy's slice may hold one: declined, not an AttributeError (a review)
    assert "conditional" in columnar.translated("ok :- q(X) : r(X). r(1).", {}).declined
    assert columnar.translated("a :- b. b :- not c.", {}).translation is not None


def test_who_the_rules_relate_goes_to_duckdb_by_default_from_its_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`columnar_related_from` people, with `columnar_from` at its default (a review found
    the default gate never let DuckDB answer); never with `columnar_from = None`."""
    asked: list[int] = []
    original = govrules.Policy.columnar_related

    def spy(self: Any, org: Any, *args: Any) -> Any:
        asked.append(len(org.people))
        return original(self, org, *args)

    monkeypatch.setattr(govrules.Policy, "columnar_related", spy)
    data = gen.organisation(30, seed=5)
    expected = _policy(None).related(load_org(data), 60)
    for columnar_from, related_from, calls in ((None, 1, 0), (10_000, 31, 0), (10_000, 30, 2)):
        policy = govrules.load_policy()
        policy.columnar_from, policy.columnar_related_from = columnar_from, related_from
        asked.clear()
        assert policy.related(load_org(data), 60) == expected
        assert len(asked) == calls


def test_a_check_past_its_time_limit_says_so(pair: Any) -> None:
    org = load_org(gen.organisation(60, seed=2))
    plan = load_plan(gen.year_plan(gen.organisation(60, seed=2), seed=2), org)
    duck = _policy(0)
    duck.check_leave(plan, org=org)
    (kept,) = [
        k
        for k in duck.translations._items.values()
        if k.translation is not None and ("finding", 5) in k.translation.shown
    ]
    assert kept.translation is not None
    rows = plain_leave_rows(duck, org, plan, duck.interpretations(None))
    with pytest.raises(TimeoutError):
        columnar.evaluate(kept.translation, rows, time.monotonic() - 1)
    with pytest.raises(SolverLimitError) as raised:
        duck.check_leave(plan, org=org, timeout=0.01)
    assert raised.value.code == "timeout"


def test_threads_sharing_one_policy_get_clingo_answers(pair: Any) -> None:
    work = []
    for seed in range(4):
        org = gen.organisation(40, seed=seed)
        work.append((gen.year_plan(org, seed=seed), org))
    expected = [pair[0].check_leave(p, org=o).to_json() for p, o in work]
    shared = _policy(0)
    shared.check_leave(*work[0])  # its slices translated: the threads share them
    got: dict[int, str] = {}
    failed: list[BaseException] = []

    def ask(i: int) -> None:
        try:
            plan, org = work[i % len(work)]
            # DuckDB runs a question on every core: many at once on a busy machine take
            # longer than the default limit, which is not what this test is about.
            got[i] = shared.check_leave(plan, org=org, timeout=300).to_json()
        except BaseException as error:  # reported below
            failed.append(error)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failed
    assert [got[i] for i in range(6)] == [expected[i % len(work)] for i in range(6)]


def test_a_question_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The facts' CSV and whatever DuckDB spills go to a private folder: each CSV is removed
    once read, the folder with its database (`asp.duckdb_pool`); nothing is written where
    the process runs."""
    import gc
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR read again
    policy = _policy(0)
    org = gen.organisation(30, seed=9)
    policy.check_leave(gen.year_plan(org, seed=9), org=org)
    policy.check_leave(gen.year_plan(org, seed=10), org=org)
    assert [p for p in (tmp_path / "tmp").rglob("*") if not p.is_dir()] == []
    assert list((tmp_path / "cwd").iterdir()) == []
    policy.duckdb_pools.clear()
    gc.collect()
    assert list((tmp_path / "tmp").iterdir()) == []


# A cycle through negation that facts decide: p needs r false, r needs s false, s needs p.
CYCLE = """
p(X) :- q(X), not r(X).
r(X) :- q(X), X > 1, not s(X).
s(X) :- p(Y), q(X), X = Y + 3.
#show p/1. #show r/1. #show s/1.
"""


@settings(max_examples=15, deadline=None)
@given(st.sets(st.integers(0, 15), max_size=12))
def test_a_cycle_through_negation_is_answered_as_clingo_answers_it(numbers: set[int]) -> None:
    """Each s(X) waits on p(X-3): the facts stratify the cycle, several alternations deep."""
    from govrules.asp.solve import solve

    rows = {("q", 1): [(n,) for n in sorted(numbers)]}
    facts = list(symbols_of(("q", v) for v in rows[("q", 1)]))
    expected = {(a.name, (a.arguments[0].number,)) for a in solve(CYCLE, facts).atoms}
    translation = columnar.translate(CYCLE, columnar.fact_kinds(rows))
    assert set(columnar.evaluate(translation, rows, time.monotonic() + 60)) == expected


# Rules over a small graph for generated programs: heads and bodies drawn from p, q, r, so
# recursion, recursion through negation and rules that cannot fire all arise.
_BODIES = (
    "e(X), {s}{b}(X)",
    "edge(X, Y), {s}{b}(Y)",
    "edge(Y, X), {b}(Y), {s}{c}(X)",
    "e(X), {b}(X), {s}{c}(X)",
)
_RULES = st.tuples(
    st.sampled_from("pqr"),
    st.sampled_from(_BODIES),
    st.sampled_from("pqr"),
    st.sampled_from("pqr"),
    st.sampled_from(["", "not "]),
)


def _clingo_answers(text: str, rows: Mapping[Signature, Sequence[tuple[int, ...]]]) -> Any:
    """Every answer set of `text` over `rows`, by clingo."""
    import clingo

    ctl = clingo.Control(["0"], logger=lambda *_: None)
    facts = [f"{name}({','.join(map(str, v))})." for (name, _), vs in rows.items() for v in vs]
    ctl.add("base", [], text + "".join(facts))
    ctl.ground([("base", [])])
    models: list[set[tuple[str, tuple[int, ...]]]] = []
    ctl.solve(
        on_model=lambda m: models.append(
            {(a.name, (a.arguments[0].number,)) for a in m.symbols(shown=True)}
        )
    )
    return models


@settings(max_examples=120, deadline=None)
@given(
    rules=st.lists(_RULES, min_size=1, max_size=5),
    own=st.booleans(),
    questions=st.lists(
        st.tuples(
            st.sets(st.integers(0, 6), max_size=6),
            st.sets(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=10),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_generated_programs_are_answered_as_clingo_answers_them(
    rules: list[tuple[str, str, str, str, str]],
    own: bool,
    questions: list[tuple[set[int], set[tuple[int, int]]]],
) -> None:
    """Whatever the translator answers is clingo's unique answer set, in a fresh database
    and in one lent question after question (`asp.duckdb_pool`); a program it declines (a
    cycle the facts leave undecided) is one it may decline."""
    from govrules.asp.duckdb_pool import DuckDBPool

    text = "".join(
        f"{head}(X) :- {body.format(s=sign, b=b, c=c)}.\n" for head, body, b, c, sign in rules
    )
    text += "e(7). edge(7, 0).\n" if own else ""  # the program's own facts
    text += "#show p/1. #show q/1. #show r/1.\n"
    types = {("e", 1): ("int",), ("edge", 2): ("int", "int")}
    try:
        translation = columnar.translate(text, types)
    except columnar.Unsupported:
        return
    pool = DuckDBPool(translation)
    for nodes, edges in questions:
        rows: dict[Signature, list[tuple[int, ...]]] = {
            ("e", 1): [(n,) for n in sorted(nodes)],
            ("edge", 2): sorted(edges),
        }
        try:
            got = set(columnar.evaluate(translation, rows, time.monotonic() + 60))
        except columnar.Unsupported:
            with pytest.raises(columnar.Unsupported):
                pool.evaluate(rows, time.monotonic() + 60)
            continue
        assert _clingo_answers(text, rows) == [got]
        assert set(pool.evaluate(rows, time.monotonic() + 60)) == got
    pool.close()


def test_an_undecided_cycle_goes_to_clingo() -> None:
    text = "a :- not b. b :- not a. #show a/0. #show b/0."
    translation = columnar.translate(text, {})
    with pytest.raises(columnar.Unsupported):
        columnar.evaluate(translation, {}, time.monotonic() + 60)
    assert _policy(0).columnar_shown(text, {}, 10) is None


def test_the_pair_bound_guards_clingo_not_duckdb(
    pair: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The bound on pairs of absences protects clingo's grounding, which cannot be
    interrupted; DuckDB can, so a plan it checks is not refused by it. A plan DuckDB
    declines goes to clingo, bounded again."""
    from govrules import presence
    from govrules.errors import InputError

    org = gen.organisation(30, seed=4)
    plan = gen.year_plan(org, seed=4)
    expected = pair[0].check_leave(plan, org=org).to_json()
    monkeypatch.setattr(presence, "MAX_ABSENCE_PAIRS", 1)
    with pytest.raises((InputError, SolverLimitError)) as refused:
        _policy(None).check_leave(plan, org=org)
    assert "pairs of absences" in str(refused.value)
    assert _policy(0).check_leave(plan, org=org).to_json() == expected
    _declining(monkeypatch, tmp_path)
    with pytest.raises((InputError, SolverLimitError)) as again:
        _policy(0).check_leave(plan, org=org)
    assert "pairs of absences" in str(again.value)


# Programs on the edges of clingo's arithmetic: a #min or #max of nothing is #sup or #inf,
# and X/0 or X\0 drops the rule instance.
LOW = "low(X) :- X = #min{Z : p(Z)}, q(_)."
EDGES = """
big :- #min{Z : p(Z)} > 5.
small :- #max{Z : p(Z)} < 5.
below(Y) :- q(Y), X = #min{Z : p(Z)}, X > Y.
above(Y) :- q(Y), X = #max{Z : p(Z)}, X < Y.
none(Y) :- q(Y), X = #max{Z : p(Z)}, X = Y.
other(Y) :- q(Y), X = #min{Z : p(Z)}, X != Y.
ratio(X, Y, Z) :- q(X), q(Y), Z = X / Y.
rest(X, Y, Z) :- q(X), q(Y), Z = X \\ Y.
share(X) :- q(X), q(Y), X / Y > 1.
{shown}
"""
SHOWN = ["big", "small", "below", "above", "none", "other", "ratio", "rest", "share"]


def _edge_program(with_low: bool) -> str:
    names = [*SHOWN, "low"] if with_low else SHOWN
    arity = {"big": 0, "small": 0, "ratio": 3, "rest": 3, "low": 1}
    shown = " ".join(f"#show {n}/{arity.get(n, 1)}." for n in names)
    return (LOW if with_low else "") + EDGES.replace("{shown}", shown)


@settings(max_examples=15, deadline=None)
@given(
    ps=st.sets(st.integers(-3, 9), max_size=4),
    qs=st.sets(st.integers(-3, 9), min_size=1, max_size=4),
)
def test_empty_minimums_and_division_by_zero_are_read_as_clingo_reads_them(
    ps: set[int], qs: set[int]
) -> None:
    from govrules.asp.facts import symbol_to_python
    from govrules.asp.solve import solve

    rows = {("p", 1): [(n,) for n in sorted(ps)], ("q", 1): [(n,) for n in sorted(qs)]}
    facts = list(symbols_of((name, v) for (name, _), vs in rows.items() for v in vs))
    for with_low in (False, True):
        program = _edge_program(with_low)
        answer = solve(program, facts).atoms
        expected = {(a.name, tuple(symbol_to_python(x) for x in a.arguments)) for a in answer}
        translation = columnar.translate(program, columnar.fact_kinds(rows))
        if with_low and not ps:  # low(#sup): no column holds it, so clingo answers
            assert any(str(a) == "low(#sup)" for a in answer)
            with pytest.raises(columnar.Unsupported):
                columnar.evaluate(translation, rows, time.monotonic() + 60)
            continue
        assert set(columnar.evaluate(translation, rows, time.monotonic() + 60)) == expected


@pytest.mark.parametrize("pause", [0.0, 0.3])
def test_the_deadline_interrupts_a_statement(pause: float) -> None:
    """A running statement is stopped at the deadline; so is one that starts after it, when
    the deadline passed while no statement ran (DuckDB forgets an interrupt then)."""
    con = duckdb.connect(":memory:")
    started = time.monotonic()
    with (
        pytest.raises(duckdb.InterruptException),
        watch_deadline(con, time.monotonic() + (0.2 if not pause else 0.05)),
    ):
        time.sleep(pause)
        con.execute("SELECT count(*) FROM range(10000000000) a WHERE a.range % 7 = 3").fetchall()
    assert time.monotonic() - started < 5


def test_the_watchdog_interrupts_again_until_released() -> None:
    from govrules.asp.solve import _WATCHDOG

    class Target:
        calls = 0

        def interrupt(self) -> None:
            self.calls += 1

    target = Target()
    token = _WATCHDOG.watch(target, 0.0, repeat=True)
    time.sleep(0.3)
    assert _WATCHDOG.release(token) is True
    calls = target.calls
    assert calls >= 3
    time.sleep(0.2)
    assert target.calls == calls  # released: left alone
    once = Target()
    token = _WATCHDOG.watch(once, 0.0)
    time.sleep(0.2)
    assert _WATCHDOG.release(token) is True and once.calls == 1  # a clingo control: once


def test_a_period_ending_in_december_9999_is_counted(pair: Any) -> None:
    """The last month of the calendar has no day after it (it was an OverflowError)."""
    plan = {"period": {"from": "9999-11-15", "to": "9999-12-31"}}
    answer = json.loads(_same(pair, plan, EXAMPLES / "org.yaml", None))
    assert answer["findings"]  # the months and weeks of the period were judged


def _typed_rows(translation: columnar.Translation) -> list[Any]:
    """The program's own facts with each value's type: a constant (`Name`) equals its text
    as a str, and must not come back as one."""
    return [(sig, tuple((type(v).__name__, str(v)) for v in row)) for sig, row in translation.facts]


def test_a_translation_is_kept_in_the_cache_for_the_next_process(
    pair: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process's first big audit takes its SQL from the compiled-policy cache: what comes
    back is the translation itself, constants and compound facts included; a changed slice
    or fact kinds name another entry; a declined slice is declined again from it."""
    monkeypatch.setenv("GOVRULES_CACHE", str(tmp_path / "cache"))
    policy = pair[1]
    org = load_org(EXAMPLES / "org.yaml")
    plan = load_plan(EXAMPLES / "plan-2021.yaml", org, policy.vocabulary)
    rows = plain_leave_rows(policy, org, plan, policy.interpretations(None))
    kinds = columnar.fact_kinds(rows)
    from govrules.asp.facts import constant, fact

    text = policy.sliced.program([fact("mode", constant("leave"))]).text
    text += '\nown(a, "b", 3, f(x, "y")). own(c, "d", -1, g).'
    fresh = columnar.translated(text, kinds, use_cache=False)
    assert fresh.translation is not None
    first = columnar.translated(text, kinds)  # written
    written = sorted(p.name for p in (tmp_path / "cache").glob("columnar-*.json"))
    assert len(written) == 1

    def not_again(*_: Any) -> None:
        raise AssertionError("translated again: the kept translation was not read")

    monkeypatch.setattr(columnar, "translate", not_again)
    again = columnar.translated(text, kinds)  # read back
    for got in (first, again):
        assert got == fresh
        assert got.translation is not None
        assert _typed_rows(got.translation) == _typed_rows(fresh.translation)
    assert again.translation is not None
    assert columnar.evaluate(again.translation, rows, time.monotonic() + 60, kinds) == (
        columnar.evaluate(fresh.translation, rows, time.monotonic() + 60, kinds)
    )
    monkeypatch.undo()
    monkeypatch.setenv("GOVRULES_CACHE", str(tmp_path / "cache"))
    columnar.translated(text + "\nextra(1).", kinds)
    assert len(list((tmp_path / "cache").glob("columnar-*.json"))) == 2
    declined = columnar.translated("{ a }.", {})
    assert declined.translation is None and columnar.translated("{ a }.", {}) == declined
