"""The restored text: 45 articles, every restoration visible and traceable to the seed."""

from __future__ import annotations

import re

from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

SEED = (bundled_policy_dir() / "source" / "seed.txt").read_text(encoding="utf-8")


def test_forty_five_articles_in_eight_chapters(policy: Policy) -> None:
    text = policy.text
    assert [a.number for a in text.articles] == list(range(1, 46))
    assert [c.number for c in text.chapters] == list(range(1, 9))
    assert text.document_number == "西府办发〔2020〕65号"
    assert str(text.in_force_from) == "2021-01-01"


def test_article_6_is_the_press_spokesman_article(policy: Policy) -> None:
    a6 = policy.text.article(6)
    assert a6 is not None and a6.text().startswith("担任区政府新闻发言人")
    assert a6.chapter == 2


def test_every_restoration_is_marked_and_the_damaged_text_is_the_seed(policy: Policy) -> None:
    flat_seed = re.sub(r"\s+", "", SEED)
    for article in policy.text.articles:
        damaged = re.sub(r"\s+", "", article.damaged_text())
        assert damaged in flat_seed, article.number
        marks = re.findall(r"⟦([^⟧]*)⟧", article.marked_text)
        listed = sum(r.count for r in article.restorations if r.kind != "number")
        assert len(marks) == listed, article.number
        assert "⟦" not in article.text() and "⟧" not in article.text()
        assert all(r.certainty in ("certain", "probable", "guess") for r in article.restorations)


def test_the_guessed_meeting_frequency_is_flagged(policy: Policy) -> None:
    a24 = policy.text.article(24)
    assert a24 is not None
    assert any(r.certainty == "guess" for r in a24.restorations)


def test_status_follows_the_rules_that_cite_an_article(policy: Policy) -> None:
    assert policy.status(29) == "encoded" and policy.status(39) == "encoded"
    assert {r.ident for r in policy.rules_for(39)} == {
        "a39.1",
        "a39.2",
        "a39.3",
        "a39.4",
        "a39.5",
        "a39.6",
    }
    assert policy.status(1) == "not_normative"
    assert policy.status(11) == "declarative"


def test_issue14_restorations_are_regraded(policy: Policy) -> None:
    """26 restores a lost 、 (probable), not an invented verb; 32's lost connective is marked
    and names the interpretation that turns on it; 24's invented negation stays a guess."""
    a26, a32, a24 = (policy.text.article(n) for n in (26, 32, 24))
    assert a26 is not None and a32 is not None and a24 is not None
    assert "主任⟦、⟧主办的⟦副⟧主任" in a26.marked_text and "确定" not in a26.marked_text
    assert {r.added: r.certainty for r in a26.restorations}["、"] == "probable"
    assert "报主任⟦,⟧由其" in a32.marked_text
    comma = next(r for r in a32.restorations if r.added == ",")
    assert "speech_director_review" in comma.why
    assert {r.added: r.certainty for r in a24.restorations}["非"] == "guess"
    assert "speech_director_review" in {i.ident for i in policy.program.interpretations}


def test_statuses_match_what_is_enforced(policy: Policy) -> None:
    """16 is enforced by a rule, 45 by the in-force date; 35's checkable duty by a35.1."""
    assert policy.status(16) == "encoded"
    assert policy.status(45) == "encoded"
    a45 = policy.text.article(45)
    assert a45 is not None and "in_force_from" in a45.enforced_by.en
    assert policy.status(35) == "encoded"
    assert policy.program.articles()[35] == ["a35.1"]
