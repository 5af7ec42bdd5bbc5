"""Every encoded article of a bundled policy has independent-reader scenarios both ways.

The same hand should not write a rule and the only test of it (issue 14): each article the
engine enforces needs, in its policy's `tests/readings/`, at least one case a reader who saw
only the text judged compliant and one judged not. The cases themselves run with the
policy's own (test_policy_cases); this test fails when an article is encoded without them.
A case counts for every article it lists: an article that only defines terms (13's relations,
45's in-force date) is broken through the article that applies them, which its findings cite.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules.engine import Policy
from govrules.policy_tests import case_files, load_cases
from govrules.resources import data_root

POLICIES = sorted(p for p in (data_root() / "policy").iterdir() if (p / "policy.toml").exists())


def test_the_bundled_policies_are_found() -> None:
    assert len(POLICIES) >= 2


@pytest.mark.parametrize("directory", POLICIES, ids=lambda p: p.name)
def test_every_encoded_article_has_a_reader_case_each_way(directory: Path) -> None:
    policy = Policy.load(directory)
    labels = {a.label: a.number for a in policy.text.articles if a.label is not None}
    encoded = {a.number for a in policy.text.articles if policy.status(a.number) == "encoded"}
    ways: dict[int, set[bool]] = {n: set() for n in encoded}
    for path in case_files(directory / "tests" / "readings"):
        for case in load_cases(path):
            compliant = case.expect.get("compliant")
            for article in case.articles:
                number = labels[article] if isinstance(article, str) else article
                if number in ways and isinstance(compliant, bool):
                    ways[number].add(compliant)
    lacking = {n: sorted(w) for n, w in sorted(ways.items()) if w != {True, False}}
    assert encoded and not lacking, f"encoded articles without a reader case each way: {lacking}"
