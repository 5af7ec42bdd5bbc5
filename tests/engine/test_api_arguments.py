"""Wrong types in the Python API (issue 15, item 13): each is govrules' `InputError` with a
message in both languages, never a bare Python error, and never an answer to a question
that was not asked (a string taken apart into documents or steps)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govrules import load_org
from govrules.engine import Policy, load_policy
from govrules.errors import InputError
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"
DOC = str(EX / "doc-outgoing.yaml")
PLAN = str(EX / "plan.yaml")

Call = Callable[[Policy], Any]
CALLS: dict[str, tuple[Call, str]] = {
    "load_policy(123)": (lambda p: load_policy(123), "path"),  # type: ignore[arg-type]
    "load(use_cache='no')": (lambda p: Policy.load(None, use_cache="no"), "use_cache"),  # type: ignore[arg-type]
    "load_org(123)": (lambda p: load_org(123), "mapping"),
    "route limit='a'": (lambda p: p.route(DOC, limit="a"), "limit"),  # type: ignore[arg-type]
    "route limit=True": (lambda p: p.route(DOC, limit=True), "limit"),
    "route limit=2.5": (lambda p: p.route(DOC, limit=2.5), "limit"),  # type: ignore[arg-type]
    "route interpretations=5": (lambda p: p.route(DOC, interpretations=5), "interpretations"),  # type: ignore[arg-type]
    "route interpretations value": (
        lambda p: p.route(DOC, interpretations={"ab_posts": "yes"}),  # type: ignore[dict-item]
        "True/False",
    ),
    "route lang='fr'": (lambda p: p.route(DOC, lang="fr"), "lang"),
    "check explain='yes'": (lambda p: p.check(DOC, explain="yes"), "explain"),  # type: ignore[arg-type]
    "check_many(None)": (lambda p: p.check_many(None), "documents"),  # type: ignore[arg-type]
    "check_many('abc')": (lambda p: p.check_many("abc"), "documents"),
    "check_many(path)": (lambda p: p.check_many(Path(DOC)), "documents"),  # type: ignore[arg-type]
    "check_many workers='x'": (lambda p: p.check_many([DOC], workers="x"), "workers"),  # type: ignore[arg-type]
    "check_many workers=0": (lambda p: p.check_many([DOC], workers=0), "workers"),
    "why_not_order(doc, 'abc')": (lambda p: p.why_not_order(DOC, "abc"), "order"),
    "why_not_order(doc, [1, 2])": (lambda p: p.why_not_order(DOC, [1, 2]), "step"),  # type: ignore[list-item]
    "why_not_order(doc, None)": (lambda p: p.why_not_order(DOC, None), "order"),  # type: ignore[arg-type]
    "check_leave interpretations=[]": (
        lambda p: p.check_leave(PLAN, interpretations=[]),  # type: ignore[arg-type]
        "interpretations",
    ),
    "check_leave lang=None": (lambda p: p.check_leave(PLAN, lang=None), "lang"),  # type: ignore[arg-type]
    "suggest_leave window='x'": (lambda p: p.suggest_leave(PLAN, window="x"), "window"),  # type: ignore[arg-type]
    "rules_for('39')": (lambda p: p.rules_for("39"), "article"),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_wrong_type_is_an_input_error_in_both_languages(policy: Policy, name: str) -> None:
    call, mentioned = CALLS[name]
    with pytest.raises(InputError) as caught:
        call(policy)
    zh, en = caught.value.render("zh"), caught.value.render("en")
    assert mentioned in en, en
    assert zh != en and any("\u4e00" <= c <= "\u9fff" for c in zh)
    assert caught.value.exit_code == 2


def test_the_right_types_still_answer(policy: Policy) -> None:
    assert policy.route(DOC, limit=0, interpretations={}, lang="en").order_count > 0
    assert len(policy.check_many((DOC, DOC), workers=1)) == 2
    asked = policy.why_not_order(DOC, ("review:钱副主任", "propose:秘书股"))
    assert asked.asked == ["review:钱副主任", "propose:秘书股"] and not asked.possible
    assert policy.rules_for(39)
