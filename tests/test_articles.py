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
        assert all(r.certainty in ("certain", "guess") for r in article.restorations)


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
