"""The bundled policy's own test cases (policy/…/tests/*.yaml), one pytest test per case,
and the runner itself: a wrong expectation must fail, with a readable difference."""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules.coverage import measure
from govrules.engine import Policy
from govrules.errors import InputError
from govrules.policy_tests import Case, CaseResult, case_files, load_cases, run_case
from govrules.resources import bundled_policy_dir

CASES = [case for path in case_files(bundled_policy_dir()) for case in load_cases(path)]


@pytest.fixture(scope="module")
def results(policy: Policy) -> dict[str, CaseResult]:
    """Every bundled case run once; the per-case tests and coverage read the same answers."""
    return {case.ident: run_case(policy, case, coverage=True) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.ident for c in CASES])
def test_bundled_case(results: dict[str, CaseResult], case: Case) -> None:
    result = results[case.ident]
    assert result.passed, "\n".join(result.failures)


def test_bundled_cases_cover_every_rule_both_ways(
    policy: Policy, results: dict[str, CaseResult]
) -> None:
    coverage = measure(policy.program, results.values())
    uncovered = [r.rule for r in coverage.rules if not r.covered]
    assert uncovered == [] and coverage.percent == 100.0
    for article in coverage.articles:
        assert article.cases, f"article {article.article} has no case naming it"
        assert article.both_ways, f"article {article.article}"
    encoded = {n for n in range(1, 46) if policy.status(n) == "encoded"}
    # An article the engine enforces without a rule (45: the in-force date) has no rule to cover.
    by_rules = {n for n in encoded if policy.rules_for(n)}
    assert by_rules == {a.article for a in coverage.articles}


CASE_FILE = """
cases:
  - name: 钱副主任与王副区长同时休假
    articles: [39]
    leave:
      absences:
        - {who: 钱副主任, kind: vacation, from: 2021-03-01, to: 2021-03-02,
           reported: [{to: 王副区长, on: 2021-02-20}, {to: 赵主任, on: 2021-02-20}]}
        - {who: 王副区长, kind: vacation, from: 2021-03-02, to: 2021-03-03}
    expect:
      compliant: {compliant}
      findings: {findings}
"""


def _write(tmp_path: Path, compliant: str, findings: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(
        CASE_FILE.replace("{compliant}", compliant).replace("{findings}", findings),
        encoding="utf-8",
    )
    return path


def test_runner_passes_a_true_expectation(policy: Policy, tmp_path: Path) -> None:
    path = _write(tmp_path, "false", "[{article: 39, kind: absent_together}]")
    (case,) = load_cases(path)
    assert run_case(policy, case).passed


def test_runner_reports_missing_and_unexpected_findings(policy: Policy, tmp_path: Path) -> None:
    path = _write(tmp_path, "true", "[{article: 39, kind: report_missing}]")
    (case,) = load_cases(path)
    result = run_case(policy, case)
    assert not result.passed
    text = "\n".join(result.failures)
    assert "compliant: expected true, got false" in text
    assert "expected, not found" in text and "report_missing" in text
    assert "found, not expected" in text and "absent_together" in text


def test_runner_refuses_a_malformed_case_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("cases:\n  - name: x\n    articles: [39]\n    expect: {compliant: true}\n")
    with pytest.raises(InputError) as caught:
        load_cases(path)
    assert caught.value.location is not None and caught.value.location.line == 2
