"""Routing beyond article 29: steps shared by procedures, explicit opinions, drafters."""

from __future__ import annotations

import pytest

from govrules.asp.facts import is_explicit_opinion
from govrules.engine import Policy
from govrules.errors import InputError


@pytest.mark.parametrize(
    ("opinion", "explicit"),
    [
        (None, False),
        ("", False),
        ("  ", False),
        ("阅", False),
        ("已阅。", False),
        ("圈阅", False),
        ("○", False),
        ("√", False),
        ("Read.", False),
        ("同意", True),
        ("已阅，同意", True),
        ("请卫健委落实", True),
    ],
)
def test_a_bare_read_mark_is_not_an_opinion(
    policy: Policy, opinion: str | None, explicit: bool
) -> None:
    """The bundled policy's read marks (policy.toml `read_marks`)."""
    assert is_explicit_opinion(opinion, policy.text.read_marks) is explicit


def test_a_policy_without_read_marks_takes_every_word_as_an_opinion() -> None:
    assert is_explicit_opinion("已阅", frozenset())
    assert not is_explicit_opinion(" 。", frozenset())


def test_a_step_two_procedures_require_cites_both(policy: Policy) -> None:
    doc = {
        "document": {
            "id": "密〔2021〕1号",
            "kind": "outgoing",
            "in_name_of": "district_government",
            "fields": ["教育"],
            "secret": True,
        }
    }
    steps = {s.id: s for s in policy.route(doc).steps}
    review = steps["review:钱副主任"]
    assert [r for r, _ in review.rules] == ["a28.4", "a29.1"]
    assert review.article == 28 and review.rule == "a28.4"
    assert [r for r, _ in steps["issue:张区长"].rules] == ["a29.1"]


def test_every_document_kind_has_a_procedure(policy: Policy) -> None:
    kinds = {
        "outgoing": {"in_name_of": "office"},
        "incoming": {},
        "minutes": {"chaired_by": "王副区长"},
        "speech": {"drafter": "区卫健委"},
        "agenda_item": {},
        "important_draft": {"drafter": "区教育局", "in_name_of": "district_government"},
    }
    for kind, extra in kinds.items():
        doc = {"document": {"id": kind, "kind": kind, "fields": ["卫生"], **extra}}
        result = policy.route(doc)
        assert result.steps and result.compliant and result.order_count >= 1, kind


def test_a_drafter_outside_the_organisation_is_refused(policy: Policy) -> None:
    doc = {"document": {"id": "x", "kind": "speech", "fields": ["卫生"], "drafter": "区卫建委"}}
    with pytest.raises(InputError) as caught:
        policy.route(doc)
    assert "区卫健委" in caught.value.message.zh  # did you mean
    assert caught.value.location is not None and caught.value.location.field == "document.drafter"
