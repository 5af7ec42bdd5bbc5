"""A route answered on a reused grounding equals one ground afresh (`asp.reuse`, #16).

Random documents of the oracle's generator are routed by a policy that reuses the
grounding of each question shape and by one that grounds every question afresh; the JSON
answers (or the errors) must be identical. The documents vary the fields (the externals
switched per call) and everything else (kind, name of issue, flags, drafter, received,
consultations, interpretations), so both a shape's reuse and its first grounding, and
the fallback for documents that do not fit, are compared.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any, cast

import pytest
from clingo import Control, Function, Number, String
from clingo.ast import AST, parse_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.oracle.strategies import _bundled_org, documents, settings_

from govrules.asp.reuse import LRU, Grounding, field_domain
from govrules.engine import Policy
from govrules.errors import GovrulesError
from govrules.inputs import load_org

ORG = load_org(_bundled_org())
REUSING = Policy.load()
FRESH = Policy.load()
FRESH.reuse_groundings = False
# Past each policy's first question: from the second on, questions are sliced (the only
# programs a grounding is reused for).
for _policy in (REUSING, FRESH):
    _policy.route({"document": {"id": "w", "kind": "incoming", "fields": []}}, ORG)


def _answer(policy: Policy, doc: dict[str, Any], interpretations: dict[str, bool]) -> str:
    try:
        return policy.route(
            {"document": doc}, ORG, interpretations=interpretations, limit=20
        ).to_json("en")
    except GovrulesError as err:
        return f"error {err.code}: {err.render('en')}"


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(doc=documents(_bundled_org()), interpretations=settings_())
def test_a_reused_grounding_answers_as_a_fresh_one(
    doc: dict[str, Any], interpretations: dict[str, bool]
) -> None:
    assert _answer(REUSING, doc, interpretations) == _answer(FRESH, doc, interpretations)


def test_documents_of_one_shape_share_one_grounding() -> None:
    """Documents differing only in their fields are answered on one grounding, each with
    its own answer (not the first one's)."""
    policy = Policy.load()
    policy.route({"document": {"id": "w", "kind": "incoming", "fields": []}}, ORG)
    answers = {}
    for field in ("教育", "卫生", "公安"):
        doc = {"id": "d", "kind": "outgoing", "in_name_of": "district_government"}
        routed = policy.route({"document": {**doc, "fields": [field]}}, ORG)
        answers[field] = [s.id for s in routed.steps]
    cache = policy.groundings(ORG)
    shapes = len(cache)
    assert shapes == 1, shapes
    assert len({tuple(v) for v in answers.values()}) >= 2, answers  # not the first one's
    fresh = {
        f: [s.id for s in FRESH.route({"document": {**doc, "fields": [f]}}, ORG).steps]
        for f in answers
    }
    assert answers == fresh


_FIELDS = ("a", "b", "c")
_SWITCHED = [Function("doc_field", [String(f), Number(i)]) for f in _FIELDS for i in range(2)]
_ECHO = "seen(F, I) :- doc_field(F, I). some :- doc_field(_, _). none :- not some."


@settings(max_examples=60, database=None)
@given(st.lists(st.sets(st.sampled_from(_SWITCHED)), min_size=1, max_size=8))
def test_each_call_sees_exactly_its_own_externals(calls: list[set[Any]]) -> None:
    """A grounding assigns only the externals whose value changes between calls: every
    call, whatever came before it, sees exactly its own atoms true and every other false."""
    statements: list[AST] = []
    parse_string(_ECHO, statements.append)
    grounding = Grounding(statements, field_domain(_FIELDS, 2))
    for on in calls:
        shown = grounding.answer(on, 10)
        assert shown is not None
        seen = {s for s in shown if s.name == "seen"}
        assert seen == {Function("seen", s.arguments) for s in on}
        assert (Function("none") in shown) == (not on)


class _FailingSecondAssignment:
    """A control whose second external assignment fails (an interrupt, say)."""

    def __init__(self, ctl: Any) -> None:
        self._ctl, self._calls = ctl, 0

    def assign_external(self, *args: Any) -> None:
        self._calls += 1
        if self._calls == 2:
            raise KeyboardInterrupt
        self._ctl.assign_external(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctl, name)


def test_a_grounding_broken_mid_assignment_answers_no_more() -> None:
    """Externals half assigned when a call failed: a call that was already waiting for the
    grounding gets None (its caller grounds afresh), never an answer on stale externals."""
    statements: list[AST] = []
    parse_string(_ECHO, statements.append)
    grounding = Grounding(statements, field_domain(_FIELDS, 2))
    a0, b0 = _SWITCHED[0], _SWITCHED[2]
    assert grounding.answer([a0, b0], 10) is not None
    real, grounding.ctl = grounding.ctl, cast(Control, _FailingSecondAssignment(grounding.ctl))
    with pytest.raises(KeyboardInterrupt):
        grounding.answer([], 10)
    grounding.ctl = real
    assert grounding.broken
    assert grounding.answer([a0, b0], 10) is None


def test_threads_share_a_grounding_safely() -> None:
    """Threads asking documents of one shape at once get each their own right answer."""
    doc = {"id": "t", "kind": "outgoing", "in_name_of": "district_government"}
    fields = ["教育", "卫生", "公安", "财政"] * 5
    expected = {f: _answer(FRESH, {**doc, "fields": [f]}, {}) for f in set(fields)}
    found: list[tuple[str, str]] = []
    lock = threading.Lock()

    def ask(field: str) -> None:
        answer = _answer(REUSING, {**doc, "fields": [field]}, {})
        with lock:
            found.append((field, answer))

    threads = [threading.Thread(target=ask, args=(f,)) for f in fields]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == len(fields)
    assert all(answer == expected[field] for field, answer in found)


def test_the_cache_of_groundings_is_bounded() -> None:
    """Past its size the least recently used grounding is dropped; a used one is kept."""
    cache: LRU[Grounding] = LRU(2)
    first, second, third = (cast(Grounding, SimpleNamespace(broken=False)) for _ in range(3))
    cache.put("a", first)
    cache.put("b", second)
    assert cache.get("a") is first  # "a" used: "b" is now the least recently used
    cache.put("c", third)
    assert len(cache) == 2
    assert cache.get("b") is None and cache.get("a") is first and cache.get("c") is third
